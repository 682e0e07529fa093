"""The answer language: explicit requests, detection on long messages, the page's lang."""
from pathlib import Path

import pytest

from bot.language import (
    choose_language,
    detect,
    explicit_request,
    names_someone_speaking,
    normalize_code,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("en français svp", "fr"),
        ("En Francais stp", "fr"),
        ("répondez en français", "fr"),
        ("can we speak french", "fr"),
        ("in english please", "en"),
        ("English", "en"),
        ("anglais", "en"),
        ("parlez-moi en anglais", "en"),
        ("switch to English!", "en"),
        ("I don't speak English", None),  # a negation is not a request
        ("je ne parle pas anglais", None),
        ("the english channel", None),
        ("what is immunotherapy", None),
        # a language someone else speaks is a question about them, not a request to us
        ("un médecin qui parle anglais", None),
        ("y a-t-il un interprète qui parle arabe ?", None),
        ("tu parles anglais ?", "en"),
    ],
)
def test_explicit_requests(text: str, expected: str | None) -> None:
    assert explicit_request(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("c quoi l immunotherapie", "fr"),  # no accents, SMS style
        ("je voudrais savoir si il y a un essai pour le cancer du sein", "fr"),
        ("qui dirige le centre", "fr"),
        ("is there a trial for my breast cancer please", "en"),
        ("who runs the center", "en"),
        ("Ich möchte wissen, ob es eine Studie gibt", "other"),
        ("¿Hay algún ensayo clínico para el melanoma?", "other"),
        ("我想知道免疫疗法的副作用是什么", "other"),
        # too short or ambiguous to tell: None keeps the current language
        ("ok", None),
        ("merci", None),
        ("hello", None),
        ("nivolumab phase 2", None),
        ("😀😀", None),
        ("", None),
    ],
)
def test_detection(text: str, expected: str | None) -> None:
    assert detect(text) == expected


def test_normalize_code() -> None:
    assert normalize_code("fr-FR") == "fr"
    assert normalize_code("EN_gb") == "en"
    assert normalize_code("de") is None
    assert normalize_code(None) is None
    assert normalize_code(42) is None


def test_default_is_french_when_nothing_is_known() -> None:
    assert choose_language("ok", None) == "fr"


def test_page_language_applies_to_the_first_message() -> None:
    assert choose_language("hello", None, page_language="en") == "en"


def test_short_message_keeps_current_language_even_if_page_says_otherwise() -> None:
    # The page said "en" before too: nothing new, and "merci" is too short to tell.
    assert choose_language("merci", "fr", page_language="en", previous_page_language="en") == "fr"


def test_switching_the_page_language_switches_the_answers() -> None:
    assert choose_language("ok", "fr", page_language="en", previous_page_language="fr") == "en"


def test_long_message_wins_over_the_page_language() -> None:
    text = "bonjour je voudrais savoir ce qu'est l'immunothérapie"
    assert choose_language(text, "en", page_language="en", previous_page_language="en") == "fr"


def test_explicit_request_wins_over_everything() -> None:
    text = "please answer in French, I read it better than the English page"
    assert choose_language(text, "en", page_language="en") == "fr"


def test_unknown_language_keeps_the_current_one() -> None:
    assert choose_language("Ich möchte wissen, ob es eine Studie gibt", "en") == "en"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kidney cancer trials phase 2", "en"),  # three words: detected, no longer left to the page
        ("NCT04318717 still open?", "en"),
        ("what trials exist", "en"),
        ("essais cancer testicule", "fr"),
        ("lung cancer trials", "en"),  # was taken for another language: organ names are cues
        ("breast cancer trials?", "en"),
        ("essais cancer du sein", "fr"),
        ("quels essais existent", "fr"),
        ("hola, ¿tienen ensayos para cáncer de pulmón?", "other"),
    ],
)
def test_short_messages_of_three_words_or_more(text: str, expected: str) -> None:
    assert detect(text) == expected


def _other_language_messages() -> list[str]:
    path = Path(__file__).parent / "data" / "other_languages.txt"
    return [line.split("\t", 1)[1].strip() for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line]


def test_most_short_messages_in_other_languages_are_recognised_as_such() -> None:
    messages = _other_language_messages()
    recognised = [m for m in messages if detect(m) == "other"]
    assert len(recognised) >= 0.85 * len(messages), set(messages) - set(recognised)


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [
        ("I don't speak French", "fr", "en"),
        ("je ne parle pas anglais", "en", "fr"),
        ("je ne comprends pas l'anglais", "en", "fr"),
        ("sorry, no French", "fr", "en"),
        ("english?", "fr", "en"),
        ("speak english pls", "fr", "en"),
        ("can you answer in English", "fr", "en"),
        ("je préfère l'anglais", "fr", "en"),
        ("parlez-vous anglais ?", "fr", "en"),
        ("pas en anglais svp", "en", "fr"),
        ("English version please", "fr", "en"),
    ],
)
def test_a_language_switch_in_any_wording(text: str, current: str, expected: str) -> None:
    assert choose_language(text, current, page_language=current, previous_page_language=current) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Do you have English-speaking staff?", True),
        ("How can you find an English speaking doctor in France", True),
        ("un médecin qui parle anglais", True),
        ("est-ce qu'un médecin parlant anglais peut me recevoir ?", True),
        ("le personnel est-il anglophone ?", True),
        ("can we keep speaking English", False),  # "keep speaking" names no one
        ("do you speak English?", False),
        ("who speaks the most at the meeting", False),
    ],
)
def test_a_language_someone_else_speaks(text: str, expected: bool) -> None:
    assert names_someone_speaking(text) is expected
