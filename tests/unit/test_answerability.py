"""AnswerabilityCheck on hand-made parse results: an FAQ answer about something else becomes
"I don't know". Through the trained model: tests/e2e/test_answerability.py."""
from __future__ import annotations

from typing import Any

import pytest
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.answerability import (
    ANSWERABILITY_KEY,
    AnswerabilityCheck,
    about_a_trial,
    asked_facts,
    asks_about_trial_design,
    content_stems,
    definition_subject,
    foreign_terms,
    not_a_trial_search,
    stem,
    stems,
    subjects_not_held,
    undefined_terms,
)
from bot.nlu.topics import ENTRY_TOPIC_WORDS, SUBJECT_WORDS

# What a trained check holds: the words of each entry, and every word of the training data.
DEFINITION = stems("what is a clinical trial? a study with volunteers to evaluate a new treatment")
COSTS = stems("how much does it cost? I do not have verified information on costs")
PLACE = stems("where is the center? on the Paris site of the hospital")
KNOWN = DEFINITION | COSTS | PLACE | stems("how long does it last, what comes after the end, the standard of care differs")


def parsed(text: str, entry: str, intent: str = "faq") -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.9})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9}, {"name": "greet", "confidence": 0.1}])
    response: dict[str, Any] = {"confidence": 0.8, "intent_response_key": f"faq/{entry}", "similarity": 0.7}
    message.set(RESPONSE_SELECTOR_PROPERTY_NAME, {"faq": {"response": response, "ranking": []}})
    return message


def check(message: Message) -> Message:
    component = AnswerabilityCheck(
        {"honest_entries": ["costs"]},
        vocabularies={"faq/what_is_clinical_trial": DEFINITION, "faq/costs": COSTS, "faq/center_location": PLACE},
        known=KNOWN, facts={"faq/what_is_clinical_trial": set(), "faq/costs": {"cost"}, "faq/center_location": {"place"}},
        trial_entries={"faq/what_is_clinical_trial"},
    )
    [result] = component.process([message])
    return result


def test_stems_join_inflections_of_both_languages() -> None:
    assert stem("studies") == stem("study") == stem("studied")
    assert stem("patients") == stem("patient")
    assert stem("traitements") == stem("traitement")


def test_content_words_leave_out_question_frames_shared_topics_and_cancer_types() -> None:
    assert content_stems("What is a melanoma clinical trial?") == set()
    assert content_stems("Qu'est-ce qu'un essai clinique ?") == set()
    assert content_stems("How does this trial differ from the standard of care?") == {
        stem("differ"), stem("standard"), stem("care")}


def test_who_a_question_is_about_is_no_topic() -> None:
    # "a relative" says who, not what: "how to support a relative" is not answered by an entry
    # whose example is "a relative starts immunotherapy, how does it work?" (branch wrong4)
    works = stems("un proche commence une immunothérapie, comment elle agit") | {stem("agit")}
    assert content_stems("Comment soutenir un proche qui a un cancer ?") == {stem("soutenir")}
    assert foreign_terms("Comment soutenir un proche ?", works, works | {stem("soutenir")}) == ([stem("soutenir")], 1)


def test_foreign_terms_are_known_words_the_entry_never_uses() -> None:
    foreign, total = foreign_terms("What comes after the trial ends, zorglub?", DEFINITION, KNOWN)
    # "zorglub" is unknown to the assistant (a typo, a brand): it does not count
    assert foreign == sorted({stem("comes"), stem("ends")}) and total == 3


@pytest.mark.parametrize("text", [
    "How does this trial differ from the standard of care?",
    "What comes after the trial ends?",
    "Is my participation in the trial confidential?",  # a kind of fact no example asks for
])
def test_a_neighbouring_fact_becomes_dont_know(text: str) -> None:
    result = check(parsed(text, "what_is_clinical_trial"))
    assert result.get(INTENT) == {"name": "dont_know", "confidence": 1.0}
    assert result.get(INTENT_RANKING_KEY) == [{"name": "dont_know", "confidence": 1.0}]
    assert result.get(ANSWERABILITY_KEY)["entry"] == "faq/what_is_clinical_trial"


@pytest.mark.parametrize("text", [
    "what is a clinical trial",
    "c'est quoi un essai clinique pour le mélanome ?",
    "what is a new treatment study, zorglub",  # one unknown word: still the definition
    "what exactly is a clinical trial?",  # a filler word is not a topic
])
def test_a_question_in_the_entrys_words_keeps_its_answer(text: str) -> None:
    assert check(parsed(text, "what_is_clinical_trial")).get(INTENT)["name"] == "faq"


def test_honest_entries_other_intents_and_overridden_messages_are_left_alone() -> None:
    assert check(parsed("what comes after the end, standard of care?", "costs")).get(INTENT)["name"] == "faq"
    assert check(parsed("what comes after the end?", "what_is_clinical_trial", intent="trial_details")
                 ).get(INTENT)["name"] == "trial_details"
    assert check(parsed("what comes after the end?", "what_is_clinical_trial", intent="urgent_symptoms")
                 ).get(INTENT)["name"] == "urgent_symptoms"


def test_an_untrained_check_changes_nothing() -> None:
    message = parsed("What comes after the trial ends?", "what_is_clinical_trial")
    [result] = AnswerabilityCheck({}).process([message])
    assert result.get(INTENT)["name"] == "faq"


def test_asked_facts_name_the_kind_of_practical_fact() -> None:
    assert asked_facts("Combien de temps dure un essai ?") == {"duration"}
    assert asked_facts("is it free, or does insurance pay?") == {"cost"}
    assert asked_facts("Où se trouve le centre ?") == {"place"}
    assert asked_facts("what is immunotherapy?") == set()


@pytest.mark.parametrize(("text", "searches"), [
    ("how do I get a second opinion from another hospital?", False),
    ("what trials do you have?", True),
    ("quels essais avez-vous ?", True),
    ("y a-t-il quelque chose pour le cancer du poumon ?", True),  # a cancer type
    ("is it still recruiting?", True),  # a status: a follow-up about a shown trial
    ("can I participate in something here?", True),  # taking part
    ("NCT04318717 ?", True),
    ("melanoma", True),  # not a readable question: left to the dialogue
])
def test_a_trial_search_needs_something_of_a_trial_in_the_message(text: str, searches: bool) -> None:
    assert not_a_trial_search(text) is not searches
    result = check(parsed(text, "what_is_clinical_trial", intent="search_trials")).get(INTENT)["name"]
    assert result == ("search_trials" if searches else "dont_know")


def test_a_question_about_a_trial_is_not_answered_by_an_entry_that_never_names_one() -> None:
    assert check(parsed("where is the center?", "center_location")).get(INTENT)["name"] == "faq"
    result = check(parsed("where is the trial site?", "center_location"))
    assert result.get(INTENT)["name"] == "dont_know" and result.get(ANSWERABILITY_KEY)["trial_question"]


@pytest.mark.parametrize("text", [
    "bonjour, je voudrais comprendre ce qu'est un essai clinique",
    "hello, I would like to understand what a clinical trial is",
])
def test_a_greeting_or_wanting_to_understand_is_how_a_question_is_asked_not_what_about(text: str) -> None:
    # words of the greetings and "I would like to understand" are known from other intents:
    # counted as foreign, they turned a plain question into "I don't know"
    known = KNOWN | stems("bonjour hello comprendre understand voudrais")
    assert foreign_terms(text, DEFINITION, known)[0] == []


def test_inflections_of_question_frames_are_not_topics() -> None:
    # "needed" is "need", a function word: alone it turned the definition into "I don't know"
    assert content_stems("Why are clinical research studies needed?") == set()
    assert check(parsed("Why are clinical research studies needed?", "what_is_clinical_trial")
                 ).get(INTENT)["name"] == "faq"
    # "données" (data) is a topic even though "donner" is a function word
    assert stem("donnees") in content_stems("mes données sont-elles protégées ?")


def selector_sure(message: Message, confidence: float) -> Message:
    selector = message.get(RESPONSE_SELECTOR_PROPERTY_NAME)
    selector["faq"]["response"]["confidence"] = confidence
    return message


def test_an_entry_the_selector_is_unsure_of_becomes_dont_know_but_not_an_honest_one() -> None:
    component = AnswerabilityCheck(
        {"honest_entries": ["costs"], "min_entry_confidence": 0.5},
        vocabularies={"faq/what_is_clinical_trial": DEFINITION, "faq/costs": COSTS}, known=KNOWN,
        facts={"faq/costs": {"cost"}}, trial_entries={"faq/what_is_clinical_trial"})
    [sure] = component.process([selector_sure(parsed("what is a clinical trial", "what_is_clinical_trial"), 0.8)])
    assert sure.get(INTENT)["name"] == "faq"
    [unsure] = component.process([selector_sure(parsed("what is a clinical trial", "what_is_clinical_trial"), 0.4)])
    assert unsure.get(INTENT)["name"] == "dont_know" and unsure.get(ANSWERABILITY_KEY)["unsure_entry"]
    [honest] = component.process([selector_sure(parsed("how much does it cost?", "costs"), 0.4)])
    assert honest.get(INTENT)["name"] == "faq"


def test_an_honest_entry_given_as_a_guess_becomes_the_plain_dont_know() -> None:
    component = AnswerabilityCheck(
        {"honest_entries": ["costs"], "min_honest_entry_confidence": 0.5},
        vocabularies={"faq/costs": COSTS}, known=KNOWN, facts={"faq/costs": {"cost"}})
    [guess] = component.process([selector_sure(parsed("will I have to stay in the hospital?", "costs"), 0.32)])
    assert guess.get(INTENT)["name"] == "dont_know" and guess.get(ANSWERABILITY_KEY)["unsure_entry"]
    # sure of it, the honest entry stays, whatever its words ("how much?" shares none)
    [sure] = component.process([selector_sure(parsed("will I have to stay in the hospital?", "costs"), 0.8)])
    assert sure.get(INTENT)["name"] == "faq"


DOMAIN = KNOWN | stems("my skin is itching, I have a fever, who can I call")


def off_topic_check(message: Message) -> Message:
    component = AnswerabilityCheck(
        {"min_entry_confidence": 0.5, "fallback_threshold": 0.5},
        vocabularies={"faq/what_is_clinical_trial": DEFINITION}, known=KNOWN | stems("weather tomorrow"),
        facts={}, trial_entries={"faq/what_is_clinical_trial"}, domain=DOMAIN,
        elsewhere=stems("cold weather outside, currency rates, concerts and events this weekend, the meaning of life"))
    [result] = component.process([message])
    return result


@pytest.mark.parametrize("text", ["is it cold outside?", "currency exchange rates today?", "any concerts this weekend?"])
def test_dont_know_about_nothing_we_cover_is_out_of_scope(text: str) -> None:
    result = off_topic_check(parsed(text, "what_is_clinical_trial", intent="dont_know"))
    assert result.get(INTENT) == {"name": "out_of_scope", "confidence": 1.0}
    assert result.get(INTENT_RANKING_KEY) == [{"name": "out_of_scope", "confidence": 1.0}]


@pytest.mark.parametrize("text", [
    "how much does the new treatment cost?",  # a shared topic word
    "is there anything for melanoma?",  # a cancer type
    "can I participate somewhere?",  # taking part
    "who can I call about my fever?",  # words of our subject
    "what is a carer?",  # a word never seen in training is no evidence either way
])
def test_dont_know_about_our_subject_stays_dont_know(text: str) -> None:
    assert off_topic_check(parsed(text, "what_is_clinical_trial", intent="dont_know")).get(INTENT)["name"] == "dont_know"


def test_an_unsure_readable_off_topic_question_is_out_of_scope_not_left_to_the_fallback() -> None:
    message = parsed("any events this weekend in pondichery?", "what_is_clinical_trial", intent="greet")
    message.set(INTENT, {"name": "greet", "confidence": 0.3})
    assert off_topic_check(message).get(INTENT)["name"] == "out_of_scope"
    sure = parsed("any events this weekend in pondichery?", "what_is_clinical_trial", intent="greet")
    assert off_topic_check(sure).get(INTENT)["name"] == "greet"  # 0.9: the classifier decides
    gibberish = parsed("qsdf", "what_is_clinical_trial", intent="greet")
    gibberish.set(INTENT, {"name": "greet", "confidence": 0.3})
    assert off_topic_check(gibberish).get(INTENT)["name"] == "greet"  # not a question: the fallback's


def test_what_a_word_means_is_how_a_question_is_asked_and_randomisation_is_about_trials() -> None:
    # "meaning" is a word of the out-of-scope examples ("what is the meaning of life"):
    # "What does randomization mean?" got "outside what I can help with"
    assert content_stems("What does it mean?") == set()
    assert off_topic_check(parsed("What does randomization mean?", "what_is_clinical_trial", intent="dont_know")
                           ).get(INTENT)["name"] == "dont_know"
    assert not not_a_trial_search("what is a placebo?")


def test_a_question_about_trials_is_never_out_of_scope() -> None:
    assert check(parsed("What does randomization mean?", "what_is_clinical_trial", intent="out_of_scope")
                 ).get(INTENT)["name"] == "dont_know"
    assert check(parsed("what is the meaning of life?", "what_is_clinical_trial", intent="out_of_scope")
                 ).get(INTENT)["name"] == "out_of_scope"


def test_an_unsure_out_of_scope_guess_without_its_words_is_dont_know() -> None:
    def guessed(text: str, confidence: float) -> Message:
        message = parsed(text, "what_is_clinical_trial", intent="out_of_scope")
        message.set(INTENT, {"name": "out_of_scope", "confidence": confidence})
        return message
    component = AnswerabilityCheck({"min_out_of_scope_confidence": 0.7}, elsewhere=stems("weather outside"))
    [unsure] = component.process([guessed("is there a bicycle rack?", 0.63)])
    assert unsure.get(INTENT)["name"] == "dont_know"
    [sure] = component.process([guessed("is there a bicycle rack?", 0.9)])
    [evidence] = component.process([guessed("is the weather nice outside?", 0.63)])
    assert sure.get(INTENT)["name"] == evidence.get(INTENT)["name"] == "out_of_scope"


@pytest.mark.parametrize(("text", "subject"), [
    ("What does randomization in a clinical trial mean?", "random"),  # never seen in training
    ("Qu'est-ce qu'un essai en double aveugle ?", "aveugl"),
    ("Can I drink alcohol during the trial?", "alcoho"),
    ("Is there wifi at the center?", "wifi"),
])
def test_one_word_of_a_subject_the_entry_never_names_is_enough(text: str, subject: str) -> None:
    assert subjects_not_held(text, DEFINITION) == [subject]
    result = check(parsed(text, "what_is_clinical_trial"))
    assert result.get(INTENT)["name"] == "dont_know"
    assert result.get(ANSWERABILITY_KEY)["subjects_not_held"] == [subject]


def test_a_subject_word_the_entry_uses_keeps_its_answer() -> None:
    placebo_entry = DEFINITION | stems("some trials compare the new treatment with a placebo")
    assert subjects_not_held("Will I get a placebo?", placebo_entry) == []
    assert subjects_not_held("what is a clinical trial?", DEFINITION) == []


@pytest.mark.parametrize(("text", "subject"), [
    ("What does randomization in a clinical trial mean?", "randomization in a clinical trial"),
    ("Qu'est-ce qu'un essai en double aveugle ?", "un essai en double aveugle"),
    ("Que signifie le terme répondeur ?", "repondeur"),
    ("c'est quoi un essai clinique", "un essai clinique"),
    ("How does a trial work?", None),
    ("What is I decide to withdraw from the study?", None),  # "what if": a clause
])
def test_the_subject_of_a_definition_question(text: str, subject: str | None) -> None:
    assert definition_subject(text) == subject


def test_a_definition_of_a_known_word_the_entry_never_uses_becomes_dont_know() -> None:
    known = KNOWN | stems("the control group of a study")
    assert undefined_terms("What is a control group?", DEFINITION, known) == sorted({stem("control"), stem("group")})
    # not a definition question: one foreign word is not enough
    assert undefined_terms("Is there a control group in every trial?", DEFINITION, known) == []
    # a near spelling of the entry's words is the entry's word
    assert undefined_terms("what is a clinical triall study", DEFINITION, known | {"triall"}) == []


def test_words_of_an_entrys_topic_are_the_entrys() -> None:
    # a general question about the thyroid is a side-effect question, whatever the entry's examples
    assert {stem("thyroid"), stem("rash"), stem("cheveux")} <= {stem(w) for w in ENTRY_TOPIC_WORDS["side_effects"]}
    assert not SUBJECT_WORDS & ENTRY_TOPIC_WORDS["side_effects"]


def test_a_definition_of_a_term_never_seen_becomes_dont_know() -> None:
    immunotherapy = stems("what is immunotherapy? a treatment that mobilises the immune system")
    known = KNOWN | immunotherapy
    # "arthralgia" was never seen in training and the entry uses no word of the subject
    assert undefined_terms("What is immunotherapy induced arthralgia?", immunotherapy, known) == sorted(
        {stem("induced"), stem("arthralgia")})
    # the entry uses a word of the subject: an unseen word beside it is a typo or a brand
    assert undefined_terms("what is a new treatment study, zorglub", DEFINITION, KNOWN) == []
    # a misspelt word of the entry is still the entry's
    assert undefined_terms("what is immunotheraphy?", immunotherapy, known) == []


@pytest.mark.parametrize(("text", "phrase"), [
    ('ARE CLINICAL TRIALS A "LAST RESORT"?', "last resort"),
    ("L'immunothérapie peut-elle être proposée en première intention ?", "premiere intention"),
    ("What happens if the trial is stopped early?", "stopped early"),
    ("Who can take part in a clinical trial?", "who can take part"),
    ("What does the study type mean?", "study type"),  # the registry's field, on our cards
])
def test_a_subject_phrase_the_entry_does_not_use_is_not_held(text: str, phrase: str) -> None:
    assert phrase in subjects_not_held(text, DEFINITION)
    assert check(parsed(text, "what_is_clinical_trial")).get(INTENT)["name"] == "dont_know"


def test_a_subject_phrase_whose_words_the_entry_uses_is_held() -> None:
    control_entry = DEFINITION | stems("some trials have a control group")
    assert subjects_not_held("Is there a control group?", control_entry) == []
    assert "control group" in subjects_not_held("Is there a control group?", DEFINITION)


@pytest.mark.parametrize("text", [
    "What are the possible side effects or risks of the new treatment?",
    "Will I get the study drug once the trial is over?",
    "Quels sont les effets du traitement expérimental ?",
    "Le nouveau traitement est-il sûr ?",
])
def test_the_treatment_a_trial_tests_makes_a_question_about_trials(text: str) -> None:
    assert about_a_trial(text)
    # the entry chosen never speaks of trials: not its answer
    assert check(parsed(text, "center_location")).get(INTENT)["name"] == "dont_know"


@pytest.mark.parametrize("text", [
    "What are the side effects of immunotherapy?",
    "Is immunotherapy a new treatment?",
    "Quels sont les nouveaux traitements du cancer ?",
])
def test_a_new_treatment_in_general_is_not_a_trial(text: str) -> None:
    assert not about_a_trial(text)


@pytest.mark.parametrize(("text", "design"), [
    ("will I get a placebo?", True),
    ("Vais-je recevoir un placebo ?", True),
    ("will I know which treatment I get?", True),
    ("saurai-je quel traitement je reçois ?", True),
    ("Am I assured of getting the new treatment?", True),
    ("Is there a chance I will not get the treatment being tested?", True),
    ("Quelles sont mes chances de recevoir le traitement ou le placebo/la norme de soins?", True),
    # what suits oneself, or one's own disease: advice still
    ("should I join a placebo trial?", False),
    ("will I get a placebo for my lung cancer?", False),
    ("what treatment will I get for my melanoma?", False),
    ("will I lose my hair?", False),
])
def test_how_a_trial_is_designed_is_told_from_ones_own_care(text: str, design: bool) -> None:
    assert asks_about_trial_design(text) is design


@pytest.mark.parametrize(("text", "trial"), [
    ("can I join the study?", True),
    ("what is a clinical study", True),
    ("the study drug side effects", True),
    ("participer à des études", True),
    ("qu'est-ce qu'une étude clinique", True),
    # the verb, and schooling: no trial
    ("what should i study in college", False),
    ("how do i study for the sat", False),
    ("je fais des études de droit", False),
])
def test_a_study_is_a_trial_only_as_a_noun(text: str, trial: bool) -> None:
    assert about_a_trial(text) is trial


def _identity(text: str) -> str:
    component = AnswerabilityCheck(
        {"own_words_intents": ["bot_identity"]},
        intent_words={"bot_identity": stems("qui êtes-vous, vous êtes un robot ? who are you, are you a real person, "
                                            "what can you do, quelles langues parlez-vous")})
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": "bot_identity", "confidence": 0.6})
    [result] = component.process([message])
    return str(result.get(INTENT)["name"])


def test_who_are_you_guessed_for_a_request_about_something_else_is_out_of_scope() -> None:
    assert _identity("pourriez-vous reporter ma réunion") == "out_of_scope"
    assert _identity("combien de pattes a un chien") == "out_of_scope"
    assert _identity("can you book me a taxi") == "out_of_scope"
    # about the assistant: its own words, a word of the assistant, a language
    assert _identity("qui êtes-vous exactement ?") == "bot_identity"
    assert _identity("tu es un bot ?") == "bot_identity"
    assert _identity("are you a human or a computer program?") == "bot_identity"
    assert _identity("do you speak german or italian?") == "bot_identity"
    assert _identity("what do you call yourself") == "bot_identity"
    assert _identity("can you help me find some information?") == "bot_identity"


def _hours(text: str) -> str:
    component = AnswerabilityCheck(
        {"honest_entries": ["opening_hours"], "other_place_entries": ["opening_hours"], "check_scope": True},
        vocabularies={"faq/opening_hours": stems("what time do you open? opening hours of the center, "
                                                 "I do not have verified information on the hours")},
        domain=stems("where do I go when I arrive at the center? can I see the premises"))
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": "faq", "confidence": 0.9})
    message.set(RESPONSE_SELECTOR_PROPERTY_NAME,
                {"faq": {"response": {"confidence": 0.9, "intent_response_key": "faq/opening_hours"}}})
    [result] = component.process([message])
    return str(result.get(INTENT)["name"])


def test_another_places_hours_are_not_the_centers() -> None:
    assert _hours("what time does the louvre open") == "out_of_scope"
    assert _hours("is the pnc bank open") == "out_of_scope"
    assert _hours("what time do you open?") == "faq"
    assert _hours("are you open on sunday") == "faq"  # asked of the center
    assert _hours("what time does the cafeteria open") == "faq"  # a place of ours
    assert _hours("how can I reach them during regular business hours?") == "faq"  # the care team
    # words of our other intents name no other place (CI's held-out and e2e messages)
    assert _hours("where should i go when i arrive") == "faq"
    assert _hours("can I see the premises before I start?") == "faq"
