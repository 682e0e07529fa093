"""bot/nlu/scope.py: does a question name anything of the assistant's subject? And the
answerability check's use of it (``check_scope``): "I don't know" to a question about
something else becomes "outside what I can help with"."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.answerability import AnswerabilityCheck, stems
from bot.nlu.scope import names_our_subject, outside_our_subject, subject_words


@pytest.mark.parametrize("text", [
    "how do i unblock a kitchen sink",
    "is autism inherited from the parents",  # health in general is not our subject
    "can hypnosis help me stop biting my nails",
    "which kibble is best for a kitten",
    "explain the theory of relativity",  # "relativity" is no relative
    "update the billing address on my phone plan",  # an address, but not ours
    "put me through to the airline's customer service",
    "quelle est la plus longue rivière d'europe",
    "où est la boulangerie la plus proche",  # "proche" (near), not "un proche"
    "could anyone survive on mars",
    "how do i study for the sat",  # "study" the verb is no trial
    "je fais des études de droit",  # nor schooling
    "how much food should i feed my cat",  # food is no word of ours: pets, ducks, recipes
])
def test_a_question_about_something_else_names_nothing_of_our_subject(text: str) -> None:
    assert outside_our_subject(text)


@pytest.mark.parametrize("text", [
    "what does a carer do?",
    "is there wifi in the rooms?",
    "is there a bicycle rack?",
    "dois-je prendre un rendez-vous avant de venir ?",
    "une chambre seule, ça coûte combien ?",
    "how soon could I get an appointment?",
    "on attend longtemps là-bas ?",
    "can I participate somewhere?",
    "would they use me as a guinea pig?",
    "où faire une radiographie ?",
    "dans quel hôpital se faire soigner ?",
    "nivolumab ou pembrolizumab ?",  # drugs of the trial vocabulary
    "j'ai de la fièvre et je tousse",  # symptoms (bot.vocabulary, lemma-aware)
    "are you a robot?",  # the assistant itself
    "tell me about NCT01234567",  # a trial's registry number
    "what does phase 2 mean?",
    "where do I park?",
    "how long is the study?",  # "study" the noun is a trial
    "une étude observationnelle, c'est quoi ?",
    "are you a human or a computer program?",  # the assistant itself
    "Quels papiers prendre avec soi ?",  # what to bring to the hospital
    "Quelles indemnités pour quel temps passé?",  # a trial's compensation
    "Do you have English-speaking staff?",  # the center's staff
    "le personnel parle-t-il anglais ?",
    "Faut-il être à jeun ?",  # before a test or a treatment: a practical question of ours
])
def test_a_question_on_our_subject_names_it(text: str) -> None:
    assert names_our_subject(text) and not outside_our_subject(text)


def test_a_demonstrative_points_back_to_what_was_said() -> None:
    # "these procedures", "this company": the conversation's subject, maybe ours
    assert not outside_our_subject("ces examens changent-ils ma vie de tous les jours ?")
    assert not outside_our_subject("quelle est la réputation de cette société ?")
    assert outside_our_subject("quelle est la réputation d'une société ?")


def test_words_match_by_prefix_across_inflections_and_languages() -> None:
    assert subject_words("Hôpitaux et hospitalisation") == ["hopitaux", "hospitalisation"]
    assert subject_words("the best record in the nfl") == []
    assert subject_words("j'ai une question") == ["question"]  # "ai" of "j'ai" is no AI


def _dont_know(text: str, check_scope: bool) -> str:
    component = AnswerabilityCheck({"check_scope": check_scope}, domain={"anything"})
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": "dont_know", "confidence": 1.0})
    [result] = component.process([message])
    return str(result.get(INTENT)["name"])


def test_dont_know_about_something_else_is_out_of_scope_when_the_scope_is_checked() -> None:
    # no word of the out-of-scope examples: the learned check alone left it "I don't know"
    assert _dont_know("how do i unblock a kitchen sink", check_scope=False) == "dont_know"
    assert _dont_know("how do i unblock a kitchen sink", check_scope=True) == "out_of_scope"
    assert _dont_know("what can a carer do for the patient?", check_scope=True) == "dont_know"


def test_taking_part_is_a_trial_not_something_else() -> None:
    assert not outside_our_subject("What are the possible advantages and risks of taking part?")
    assert not outside_our_subject("puis-je prendre part à une recherche ?")


def test_coming_along_with_someone_is_a_visit_not_something_else() -> None:
    assert not outside_our_subject("can my sister come along with me?")
    assert not outside_our_subject("qui peut venir avec moi ?")
    assert outside_our_subject("can my sister come along to the concert?")


def _honest(text: str, entry: str) -> str:
    component = AnswerabilityCheck({"honest_entries": ["trial_specifics", "costs"],
                                    "trial_only_entries": ["trial_specifics"]})
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": "faq", "confidence": 0.9})
    message.set("response_selector", {"faq": {"response": {"confidence": 0.9, "intent_response_key": f"faq/{entry}"}}})
    [result] = component.process([message])
    return str(result.get(INTENT)["name"])


def test_what_we_do_not_hold_about_trials_answers_only_a_question_about_trials() -> None:
    assert _honest("how many hours will I spend in hospital?", "trial_specifics") == "dont_know"
    assert _honest("how long will the trial last?", "trial_specifics") == "faq"
    assert _honest("how many hours will I spend in hospital?", "costs") == "faq"  # another honest entry


def test_a_trial_entry_the_selector_is_sure_of_keeps_the_question_on_our_subject() -> None:
    # "why is there a control group?" names nothing of the vocabulary, but the selector was
    # sure it is about trials: "I don't know", not "outside what I can help with"
    component = AnswerabilityCheck({"honest_entries": ["trial_specifics"], "trial_only_entries": ["trial_specifics"],
                                    "check_scope": True}, domain={"anything"})
    message = Message(data={TEXT: "why is there a control group?"})
    message.set(INTENT, {"name": "faq", "confidence": 0.9})
    message.set("response_selector", {"faq": {"response": {"confidence": 0.9, "intent_response_key": "faq/trial_specifics"}}})
    [result] = component.process([message])
    assert result.get(INTENT)["name"] == "dont_know"


def _unsure_request(text: str) -> str:
    component = AnswerabilityCheck({"check_scope": True, "fallback_threshold": 0.5}, domain={"anything"},
                                   known=stems("joue la radio, play my music station, show my backyard"))
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": "out_of_scope", "confidence": 0.3})
    [result] = component.process([message])
    return str(result.get(INTENT)["name"]) if result.get(INTENT)["confidence"] == 1.0 else "unsure"


def test_an_unsure_request_of_real_words_about_something_else_is_out_of_scope() -> None:
    assert _unsure_request("joue ma station radio") == "out_of_scope"
    assert _unsure_request("show me recent activity in my backyard") == "out_of_scope"
    assert _unsure_request("blorf zanzibar quux flimp") == "unsure"  # no real words: "please rephrase"
    assert _unsure_request("radio") == "unsure"  # too short to tell
