"""Through the trained model: a question whose fact we do not hold gets "I don't know" with how
to reach the center, never the nearest FAQ entry's fact (bot/nlu/answerability.py); questions
in an entry's own words keep their answer. The wordings are ours, not the corpus's."""
from __future__ import annotations

import pytest

from tests.conftest import Assistant

pytestmark = pytest.mark.model


@pytest.mark.parametrize(("text", "lang", "neighbour"), [
    # near "which cancers" / "immunotherapy vs other treatments", which say nothing of children
    ("is immunotherapy offered to children as well?", "en", "immunotherapy_vs_other_treatments"),
    ("l'immunothérapie est-elle proposée aux enfants ?", "fr", "which_cancers"),
    # near the definition of a trial, which says nothing about costs
    ("est-ce qu'un essai clinique coûte quelque chose ?", "fr", "what_is_clinical_trial"),
    # near consent, which says nothing about confidentiality
    ("is informed consent confidential?", "en", "trial_consent"),
    # near the definition of immunotherapy, which names no hospital
    ("which hospitals give immunotherapy?", "en", "what_is_immunotherapy"),
])
def test_a_fact_we_do_not_hold_gets_dont_know_not_a_neighbouring_answer(
    assistant: Assistant, text: str, lang: str, neighbour: str
) -> None:
    parsed = assistant.parse(text)
    assert parsed["intent"]["name"] == "dont_know", parsed["intent"]
    # decided by the answerability check (the selector's choice was the neighbouring entry), or
    # before it when no intent was sure of the question (the same honest answer)
    if "answerability" in parsed:
        assert parsed["answerability"]["entry"] == f"faq/{neighbour}", parsed.get("answerability")
    else:
        assert parsed["response_selector"]["faq"]["response"]["confidence"] < 0.5, parsed["response_selector"]
    reply = assistant.text(text, lang=lang)
    assert ("don't have verified information" in reply) if lang == "en" else ("pas d'information vérifiée" in reply), reply


@pytest.mark.parametrize(("text", "entry"), [
    ("what exactly is a clinical trial?", "what_is_clinical_trial"),
    ("c'est quoi un essai clinique pour le mélanome ?", "what_is_clinical_trial"),
    ("can I pull out of a trial whenever I want?", "leave_trial"),
    ("quels effets secondaires peut donner l'immunothérapie ?", "side_effects"),
    ("who is the head of the immunotherapy center?", "center_head"),
])
def test_a_question_in_an_entrys_own_words_keeps_its_answer(assistant: Assistant, text: str, entry: str) -> None:
    parsed = assistant.parse(text)
    selected = parsed["response_selector"]["faq"]["response"]["intent_response_key"]
    assert parsed["intent"]["name"] == "faq" and selected == f"faq/{entry}", (parsed["intent"], selected)


@pytest.mark.parametrize(("text", "subject"), [
    # words of a subject no entry covers (bot/nlu/topics.py), unseen in training or not
    ("what does blinded mean in a clinical trial?", "blind"),
    ("is there a cafeteria at the center?", "cafete"),
    ("what is a screening trial?", "screen"),
    ("does the center have wifi?", "wifi"),
])
def test_a_subject_we_hold_nothing_on_gets_dont_know(assistant: Assistant, text: str, subject: str) -> None:
    parsed = assistant.parse(text)
    assert parsed["intent"]["name"] == "dont_know", parsed["intent"]
    assert subject in parsed["answerability"]["subjects_not_held"], parsed.get("answerability")


@pytest.mark.parametrize(("text", "subject"), [
    # subject phrases (bot/nlu/topics.py): their words one by one are ordinary
    ("un essai clinique, c'est le dernier recours ?", "dernier recours"),
    ("what happens if the study is stopped early?", "stopped early"),
])
def test_a_subject_phrase_we_hold_nothing_on_gets_dont_know(assistant: Assistant, text: str, subject: str) -> None:
    parsed = assistant.parse(text)
    assert parsed["intent"]["name"] == "dont_know", parsed["intent"]
    assert subject in parsed["answerability"]["subjects_not_held"], parsed.get("answerability")


@pytest.mark.parametrize("text", [
    # terms never seen in training: the definition of immunotherapy is not theirs
    "what is immunotherapy related sarcopenia?",
    "c'est quoi une immunothérapie néoadjuvante ?",
])
def test_the_definition_of_an_unseen_term_gets_dont_know(assistant: Assistant, text: str) -> None:
    parsed = assistant.parse(text)
    assert parsed["intent"]["name"] == "dont_know", parsed["intent"]
    assert parsed["answerability"]["undefined_terms"], parsed.get("answerability")


@pytest.mark.parametrize("text", [
    # the treatment a trial tests: the side-effect entry (immunotherapy in general) is not its answer
    "what side effects can the experimental drug cause?",
    "quels effets indésirables peut donner le traitement expérimental ?",
])
def test_the_side_effects_of_a_tested_treatment_get_dont_know(assistant: Assistant, text: str) -> None:
    parsed = assistant.parse(text)
    assert parsed["intent"]["name"] == "dont_know", parsed["intent"]
    assert parsed["answerability"]["trial_question"], parsed.get("answerability")


@pytest.mark.parametrize("text", [
    # organs and symptoms belong to the side-effect entry's topic, whatever its examples say
    "can immunotherapy affect the kidneys?",
    "l'immunothérapie peut-elle abîmer le foie ?",
    "can immunotherapy cause hair loss?",
])
def test_a_general_question_about_an_organ_or_symptom_gets_the_side_effect_answer(
    assistant: Assistant, text: str
) -> None:
    parsed = assistant.parse(text)
    selected = parsed["response_selector"]["faq"]["response"]["intent_response_key"]
    assert parsed["intent"]["name"] == "faq" and selected == "faq/side_effects", (parsed["intent"], selected)


@pytest.mark.parametrize("text", [
    # nothing of our subject (bot/nlu/scope.py): outside what the assistant is for
    "how do I unblock a kitchen sink?",
    "is autism passed on from the parents?",
    "quelle est la capitale de l'australie ?",
])
def test_a_question_about_something_else_gets_out_of_scope_not_dont_know(assistant: Assistant, text: str) -> None:
    assert assistant.parse(text)["intent"]["name"] == "out_of_scope"


def test_an_off_topic_message_naming_an_urgent_symptom_keeps_the_emergency_line(assistant: Assistant) -> None:
    assert assistant.parse("how do I unblock a sink, I have chest pain and can't breathe")["intent"]["name"] == "urgent_symptoms"


@pytest.mark.parametrize(("text", "entry"), [
    # a companion during chemotherapy: was the comparison of immunotherapy with chemotherapy
    ("can my friend stay next to me during chemo?", "accompany_patient"),
    ("mon frère peut-il rester avec moi pendant la chimio ?", "accompany_patient"),
    # seeing the place before coming: was an unsure waiting-times guess
    ("can I see the premises before I start?", "practical_info"),
])
def test_a_practical_question_gets_its_practical_entry(assistant: Assistant, text: str, entry: str) -> None:
    parsed = assistant.parse(text)
    selected = parsed["response_selector"]["faq"]["response"]["intent_response_key"]
    assert parsed["intent"]["name"] == "faq" and selected == f"faq/{entry}", (parsed["intent"], selected)
