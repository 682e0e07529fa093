"""Through the trained model: a question whose fact we do not hold gets "I don't know" with how
to reach the center, never the nearest FAQ entry's fact (bot/nlu/answerability.py); questions
in an entry's own words keep their answer. The wordings are ours, not the corpus's."""
from __future__ import annotations

import pytest

from tests.conftest import Assistant

pytestmark = pytest.mark.model


@pytest.mark.parametrize(("text", "lang"), [
    # the definition of a trial is near, but it does not say how this one differs or why it is run
    ("in what way is this study different from the usual standard care?", "en"),
    ("why are the researchers running this particular trial?", "en"),
    # consent is near, but it says nothing about confidentiality or costs
    ("will my taking part in the study stay confidential?", "en"),
    ("est-ce que participer à un essai est payant ?", "fr"),
    # which cancers immunotherapy treats is near, but not whether children get it
    ("l'immunothérapie est-elle proposée aux enfants ?", "fr"),
])
def test_a_fact_we_do_not_hold_gets_dont_know_not_a_neighbouring_answer(
    assistant: Assistant, text: str, lang: str
) -> None:
    parsed = assistant.parse(text)
    assert parsed["intent"]["name"] == "dont_know", (parsed["intent"], parsed.get("answerability"))
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
