"""End to end: messages posted to the running REST channel, as the web page sends them.

Each test checks the language of the reply and the fact it must carry, in French and in
English, with messages written the way patients write.
"""
from __future__ import annotations

import uuid

import pytest

from tests.conftest import Assistant

pytestmark = pytest.mark.model


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("bonjour", "fr", ["assistant automatisé", "15", "112"]),
        ("hello", "en", ["automated assistant", "15", "112"]),
        ("c quoi l'immunotherapie ?", "fr", ["système immunitaire", "Fondation ARC"]),
        ("what is immunotherapy", "en", ["immune system", "Fondation ARC"]),
        ("qui dirige le centre ?", "fr", ["Sebastian Amigorena", "Emanuela Romano", "2017-2018"]),
        ("who runs the center?", "en", ["Sebastian Amigorena", "Emanuela Romano", "2017-2018"]),
        ("le centre a ouvert quand", "fr", ["2018", "premier centre"]),
        ("when did the center open", "en", ["2018", "first cancer immunotherapy center in France"]),
        ("combien de lits et de chercheurs au centre ?", "fr", ["140", "10 lits", "5,5 millions", "16"]),
        ("how big is the centre", "en", ["140", "10 beds", "1,400", "€5.5 million", "16"]),
        ("quels sont les effets secondaires de l'immunotherapie", "fr", ["plusieurs mois", "équipe soignante"]),
        ("immunotherapy side effects?", "en", ["months later", "care team"]),
        ("ca marche pour tout le monde ?", "fr", ["minorité", "répondeurs"]),
        ("does it work for everyone", "en", ["minority", "responders"]),
        ("c'est quoi la chaire imoca", "fr", ["Sanofi", "ANR", "dendritiques"]),
        ("what is the imoca chair", "en", ["Sanofi", "ANR", "dendritic"]),
    ],
)
def test_facts_in_the_right_language(assistant: Assistant, text: str, lang: str, expected: list[str]) -> None:
    reply = assistant.text(text, new_sender(), lang=lang)
    for fragment in expected:
        assert fragment in reply, f"{fragment!r} missing from the reply to {text!r}: {reply!r}"


@pytest.mark.parametrize(
    ("text", "lang", "first_line"),
    [
        ("j'ai 40 de fievre et des frissons", "fr", "appelez tout de suite le 15"),
        ("je n'arrive plus à respirer", "fr", "appelez tout de suite le 15"),
        ("I have chest pain since this morning", "en", "call 15 (SAMU) or 112 right now"),
        # urgency wins over the trial question in the same message
        ("my husband fainted, is there a trial for melanoma?", "en", "call 15 (SAMU) or 112 right now"),
    ],
)
def test_urgent_symptoms_get_emergency_numbers_first(
    assistant: Assistant, text: str, lang: str, first_line: str
) -> None:
    replies = assistant.send(text, new_sender(), lang=lang)
    assert first_line in replies[0]["text"].split("\n")[0]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("est ce que je dois arreter mon traitement", "fr", "pas donner d'avis médical"),
        ("will i survive?", "en", "cannot give personal medical advice"),
    ],
)
def test_no_individual_medical_advice(assistant: Assistant, text: str, lang: str, expected: str) -> None:
    assert expected in assistant.text(text, new_sender(), lang=lang)


def test_two_misses_in_a_row_offer_a_human_contact(assistant: Assistant) -> None:
    sender = new_sender()
    first = assistant.text("blorf zanzibar quux", sender, lang="fr")
    second = assistant.text("raconte-moi une blague", sender, lang="fr")  # out of scope: a miss too
    assert "reformuler" in first
    assert "équipe soignante" in second and "15" in second


def test_language_follows_the_page_and_explicit_requests(assistant: Assistant) -> None:
    sender = new_sender()
    assert "Bonjour" in assistant.text("bonjour", sender, lang="fr")
    # The person switches the page to English.
    assert "Hello" in assistant.text("hi", sender, lang="en")
    # An explicit request wins over the page's language.
    reply = assistant.text("en français s'il vous plaît", sender, lang="en")
    assert "je continue en français" in reply
    # ...and short messages keep the language chosen.
    assert "Avec plaisir" in assistant.text("thx", sender, lang="en")


def test_long_french_message_on_the_english_page_gets_french(assistant: Assistant) -> None:
    reply = assistant.text(
        "bonjour, mon pere commence une immunotherapie et je voudrais comprendre comment ca marche",
        new_sender(),
        lang="en",
    )
    assert "système immunitaire" in reply


def test_asking_for_english_speaking_staff_is_no_switch_of_language(assistant: Assistant) -> None:
    # the language named is the staff's; nothing we ship says who speaks it: "I don't know"
    reply = assistant.text("Do you have English-speaking staff?", new_sender(), lang="en")
    assert "I don't have verified information" in reply and "care team" in reply


def test_no_metadata_means_french(assistant: Assistant) -> None:
    assert "Bonjour" in assistant.text("hello", new_sender())
