"""RuleOverrides on hand-made parse results: which intent wins, without a trained model."""
from __future__ import annotations

from typing import Any

import pytest
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.advice import ADVICE_KEY
from bot.nlu.overrides import RuleOverrides
from bot.nlu.urgency import URGENCY_KEY

CONFIG = {
    "min_faq_confidence": 0.3,
    "min_faq_similarity": 0.35,
    "advice_general_info": ["side_effects"],
    "min_advice_info_confidence": 0.5,
}


def parsed(text: str, intent: str = "faq", entry: str = "center_size", confidence: float = 0.9,
           similarity: float | None = 0.8, urgency: float | None = None,
           advice: float | None = None, ranking: list[str] | None = None) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.9})
    message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": 0.9 - i / 10}
                                     for i, name in enumerate([intent, *(ranking or [])])])
    response: dict[str, Any] = {"confidence": confidence, "intent_response_key": f"faq/{entry}",
                                "similarity": similarity}
    message.set(RESPONSE_SELECTOR_PROPERTY_NAME, {"faq": {"response": response, "ranking": []}})
    if urgency is not None:
        message.set(URGENCY_KEY, {"score": urgency, "urgent": urgency >= 0.3})
    if advice is not None:
        message.set(ADVICE_KEY, {"score": advice, "advice": advice >= 0.6})
    return message


def decided(message: Message, **config: Any) -> str:
    [result] = RuleOverrides({**CONFIG, **config}).process([message])
    return result.get(INTENT)["name"]


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        (parsed("qui dirige le centre", entry="center_head"), "faq"),
        # an FAQ entry far from the message: an honest "I don't know", not its fact
        (parsed("how much does a parking ticket cost", similarity=0.2), "dont_know"),
        (parsed("blorf", confidence=0.1), "nlu_fallback"),
        # the learned detector alone is enough for urgency, and wins over everything
        (parsed("ça ne va pas du tout, je me sens partir", urgency=0.8), "urgent_symptoms"),
        (parsed("j'ai 40 de fièvre", urgency=0.0), "urgent_symptoms"),  # the rules alone
        (parsed("qui dirige le centre", entry="center_head", urgency=0.1), "faq"),
        # a mild symptom the advice rules recognise needs a surer detector to become urgent
        (parsed("my skin is itching", entry="side_effects", urgency=0.8), "medical_advice_general"),
        (parsed("my skin is itching", entry="side_effects", urgency=0.99), "urgent_symptoms"),
        # refusal, followed by the general answer only when it is one of the allowed entries
        (parsed("j'ai un lupus, puis-je avoir une immunothérapie ?", entry="side_effects"),
         "medical_advice_general"),
        (parsed("j'ai un lupus, puis-je avoir une immunothérapie ?", entry="center_size"),
         "medical_advice"),
        (parsed("j'ai un lupus, puis-je avoir une immunothérapie ?", entry="side_effects",
                confidence=0.4), "medical_advice"),
        # a general question naming a serious symptom: the answer, then the 15 / 112 line
        (parsed("can immunotherapy give you bad diarrhoea?", entry="side_effects"),
         "faq_serious_symptom"),
        (parsed("ich habe eine Frage zur Studie", intent="search_trials"), "nlu_fallback"),
        # another language: "we answer in French or English", even when the advice rules
        # read words it shares with French ("mon", "meine")
        (parsed("Welche Behandlung ist für meine Krebsart die beste?", intent="medical_advice"),
         "nlu_fallback"),
    ],
)
def test_overrides(message: Message, intent: str) -> None:
    assert decided(message) == intent


def test_staff_who_speak_a_language_are_not_a_switch_of_language() -> None:
    # which languages the staff speak is a fact we do not hold: "I don't know", with the contact
    assert decided(parsed("Do you have English-speaking staff?", intent="switch_language")) == "dont_know"
    assert decided(parsed("un médecin qui parle anglais", intent="switch_language")) == "dont_know"
    assert decided(parsed("parlez-vous anglais ?", intent="switch_language")) == "switch_language"


def _unsure(text: str) -> Message:
    message = parsed(text, intent="out_of_scope")
    message.set(INTENT, {"name": "out_of_scope", "confidence": 0.3})
    return message


def test_a_readable_question_no_intent_is_sure_of_gets_i_dont_know() -> None:
    assert decided(_unsure("Who can I talk to about my worries?"), dont_know_below=0.5) == "dont_know"
    assert decided(_unsure("Who can I talk to about my worries?")) == "out_of_scope"  # off by default
    # not a question, or too short to be one: the FallbackClassifier decides (rephrase)
    assert decided(_unsure("blorf zanzibar quux flimp"), dont_know_below=0.5) == "out_of_scope"
    assert decided(_unsure("keytruda?"), dont_know_below=0.5) == "out_of_scope"
    # an unsure FAQ entry: "I don't know" for a question, "rephrase" for anything else
    assert decided(parsed("who can I talk to if I have questions?", confidence=0.1),
                   dont_know_below=0.5) == "dont_know"
    assert decided(parsed("blorf zanzibar quux flimp", confidence=0.1), dont_know_below=0.5) == "nlu_fallback"


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        # the advice detector refuses a question about one's own health the rules missed...
        (parsed("how is my body going to cope with all this?", advice=0.9), "medical_advice"),
        (parsed("how is my body going to cope with all this?", advice=0.2), "faq"),
        # a request for general information stays with the FAQ, whoever it is for
        (parsed("mon père commence une immunothérapie, comment ça marche ?", advice=0.9,
                entry="how_immunotherapy_works"), "faq"),
        (parsed("mon père commence une immunothérapie, comment ça marche ?", intent="medical_advice",
                ranking=["faq"]), "faq"),
        (parsed("I was just diagnosed, what questions should I ask my oncologist?", intent="medical_advice",
                ranking=["faq"]), "faq"),
        # ...not one without a word of health, nor a practical one
        (parsed("send a giggle my way", intent="out_of_scope", advice=0.9), "out_of_scope"),
        (parsed("if I'm anxious about my treatment, who can I talk to?", entry="contact_center", advice=0.9),
         "faq"),
        # the classifier's "advice" without a word of health: its runner-up decides
        (parsed("send a giggle my way", intent="medical_advice", ranking=["out_of_scope"]), "out_of_scope"),
        (parsed("my skin looks odd", intent="medical_advice", ranking=["out_of_scope"]), "medical_advice"),
        # one's own health that nothing answers: the refusal with the care team, not "I don't know"
        (parsed("will I lose my hair?", similarity=0.2), "medical_advice"),
        # ...but where one's care is given is practical: "I don't know" with the contact
        (parsed("where will I have my treatment?", similarity=0.2), "dont_know"),
        (parsed("peut-on faire ses analyses de sang à l'hôpital ?", intent="medical_advice", ranking=["dont_know"]),
         "dont_know"),
        (parsed("where is the cafeteria?", similarity=0.2), "dont_know"),
        (parsed("what trials are open to me?", similarity=0.2), "dont_know"),  # trials answer that
    ],
)
def test_advice_detector_and_personal_non_answers(message: Message, intent: str) -> None:
    assert decided(message, dont_know_below=0.5) == intent


def test_the_detector_can_be_switched_off() -> None:
    message = parsed("ça ne va pas du tout, je me sens partir", urgency=0.9)
    assert decided(message, use_urgency_detector=False) == "faq"


def test_the_forced_intent_stands_alone_in_the_ranking() -> None:
    [result] = RuleOverrides(CONFIG).process([parsed("x", similarity=0.1)])
    assert result.get(INTENT_RANKING_KEY) == [{"name": "dont_know", "confidence": 1.0}]


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        # the detector or the classifier alone on a message that tells of no symptom: no emergency
        (parsed("aujourd'hui j'ai vu un bouledogue", intent="out_of_scope", urgency=0.9), "out_of_scope"),
        (parsed("open and play music from my jogging playlist", intent="urgent_symptoms",
                ranking=["out_of_scope"]), "out_of_scope"),
        # ...but on one that does, they still decide
        (parsed("my lips are turning blue", intent="out_of_scope", urgency=0.9), "urgent_symptoms"),
        (parsed("je me sens partir", intent="urgent_symptoms", ranking=["out_of_scope"]), "urgent_symptoms"),
    ],
)
def test_urgency_needs_a_word_of_health_or_the_body(message: Message, intent: str) -> None:
    assert decided(message) == intent


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        # a symptom called mild: neither the classifier's guess nor an unsure detector make it urgent
        (parsed("How to manage mild diarrhea?", intent="urgent_symptoms", urgency=0.37,
                ranking=["faq"], entry="side_effects"), "faq_serious_symptom"),
        # (a symptom told without a question is somebody's: the refusal, with when to call 15)
        (parsed("une légère fièvre depuis hier", intent="out_of_scope", urgency=0.8), "medical_advice"),
        # a sure detector still decides, and so do the rules
        (parsed("une légère fièvre depuis hier", intent="out_of_scope", urgency=0.97), "urgent_symptoms"),
        (parsed("mild fever of 39.5", intent="faq", urgency=0.1), "urgent_symptoms"),
    ],
)
def test_a_symptom_called_mild_needs_a_surer_detector(message: Message, intent: str) -> None:
    assert decided(message) == intent


def _between(text: str, first: float, second: float) -> Message:
    message = parsed(text, intent="faq", entry="treatment_organisation")
    message.set(INTENT_RANKING_KEY, [{"name": "faq", "confidence": first},
                                     {"name": "medical_advice", "confidence": second}])
    return message


def test_a_readable_question_between_two_intents_gets_i_dont_know() -> None:
    # the FallbackClassifier would say "please rephrase" to a question it cannot place
    assert decided(_between("What is a standard treatment?", 0.54, 0.45), dont_know_within=0.1) == "dont_know"
    assert decided(_between("What is a standard treatment?", 0.54, 0.45)) == "faq"  # off by default
    assert decided(_between("What is a standard treatment?", 0.8, 0.1), dont_know_within=0.1) == "faq"
    # not a readable question: the FallbackClassifier's "please rephrase" stands
    assert decided(_between("standard?", 0.54, 0.45), dont_know_within=0.1) == "faq"



@pytest.mark.parametrize(
    ("message", "intent"),
    [
        # how a trial is designed, asked as one's future: general trial information, never refused
        # (the rules, the classifier and the detector all took these for advice)
        (parsed("will I get a placebo?", intent="medical_advice", ranking=["faq"], entry="trial_specifics",
                advice=0.9), "faq"),
        (parsed("will I know which treatment I get?", entry="trial_specifics"), "faq"),
        (parsed("Will I be allocated a treatment by computer, or do you and I have any choice?",
                entry="trial_specifics"), "faq"),
        (parsed("Am I assured of getting the new treatment?", entry="trial_specifics", advice=0.9), "faq"),
        (parsed("Puis-je choisir librement le type de traitement, ou est-ce décidé au hasard ?",
                entry="trial_specifics", advice=0.9), "faq"),
        # ...nor turned into the refusal when nothing answers it
        (parsed("Is there a chance I will not get the treatment being tested?", similarity=0.2), "dont_know"),
        # one's own disease named: still a question for one's oncologist
        (parsed("I have stage 4 melanoma, will I get a placebo?", intent="medical_advice", ranking=["faq"]),
         "medical_advice"),
    ],
)
def test_how_a_trial_is_designed_is_not_personal_advice(message: Message, intent: str) -> None:
    assert decided(message, dont_know_below=0.5) == intent


def test_a_short_definition_of_a_term_we_name_gets_i_dont_know_not_rephrase() -> None:
    assert decided(_unsure("Qu'est-ce que Keytruda?"), dont_know_below=0.5) == "dont_know"
    assert decided(parsed("what is nivolumab?", confidence=0.1), dont_know_below=0.5) == "dont_know"
    assert decided(parsed("what is blorf?", confidence=0.1), dont_know_below=0.5) == "nlu_fallback"
    # a three-word French question, its subject after the verb: a question all the same
    assert decided(parsed("Serai-je radioactif ?", confidence=0.1), dont_know_below=0.5) != "nlu_fallback"
    assert decided(parsed("Puis-je ?", confidence=0.1), dont_know_below=0.5) == "nlu_fallback"
