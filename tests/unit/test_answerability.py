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
    asked_facts,
    content_stems,
    foreign_terms,
    not_a_trial_search,
    stem,
    stems,
)

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
