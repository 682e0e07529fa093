"""The spaCy vocabulary matcher (bot/vocabulary.py): inflected, plural and unaccented forms
of cancer names, drugs, symptoms and illnesses are found in French and English; unrelated words
and look-alikes are not; nothing is downloaded and TensorFlow is not imported."""
from __future__ import annotations

import subprocess
import sys

import pytest

from bot import vocabulary


def _found(text: str, lang: str) -> list[tuple[str, str]]:
    return [(m.kind, m.key) for m in vocabulary.find(text, lang)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Des essais pour les cancers du poumon ?", [("cancer", "lung")]),
    ("Mon père a deux mélanomes", [("cancer", "melanoma")]),
    ("leucemie aigue chez l'enfant", [("cancer", "leukemia")]),  # no accent
    ("LEUCÉMIES", [("cancer", "leukemia")]),
    ("les leucemies", [("cancer", "leukemia")]),  # plural without its accent: not in the lookup table
    ("myélomes multiples", [("cancer", "myeloma")]),  # a plural the lookup table lacks
    ("cancer du col de l’utérus", [("cancer", "cervical")]),  # typographic apostrophe, longest phrase
    ("cancer du col de l uterus", [("cancer", "cervical")]),
    ("j'ai de la fièvre et des diarrhées", [("symptom", "fever"), ("symptom", "digestive")]),
    ("je suis essoufflée", [("symptom", "breathing")]),
    ("elle est sous Keytruda", [("drug", "pembrolizumab")]),
    ("avec mon diabète", [("illness", "diabetes")]),
])
def test_french_forms_are_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text, "fr") == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("trials for lung cancers", [("cancer", "lung")]),
    ("Melanomas", [("cancer", "melanoma")]),
    ("sarcomas and gliomas", [("cancer", "sarcoma"), ("cancer", "brain")]),  # plurals the lexicon does not list
    ("childhood leukaemias", [("cancer", "leukemia")]),
    ("I had fevers and chills", [("symptom", "fever"), ("symptom", "fever")]),
    ("my husband fainted", [("symptom", "fainting")]),
    ("it is hard to breath", [("symptom", "breathing")]),
    ("on Opdivo and Yervoy", [("drug", "nivolumab"), ("drug", "ipilimumab")]),
    ("with my lupus", [("illness", "lupus")]),
])
def test_english_forms_are_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text, "en") == expected


@pytest.mark.parametrize(("text", "lang"), [
    ("au sein de l'équipe soignante", "fr"),  # "sein" that is not the breast
    ("Peut-on livrer des fleurs dans un hôpital ?", "fr"),  # "livrer" is not "liver"
    ("Quelle heure est-il ?", "fr"),
    ("Where can I park my car?", "en"),
    ("What time does the center open?", "en"),
    ("the colour of the walls", "en"),
])
def test_unrelated_words_are_not_matched(text: str, lang: str) -> None:
    assert vocabulary.find(text, lang) == []


def test_mention_keeps_the_words_as_written() -> None:
    [mention] = vocabulary.find("Essais pour les MÉLANOMES ?", "fr")
    assert (mention.text, mention.start, mention.end) == ("MÉLANOMES", 3, 4)


def test_only_french_and_english_pipelines() -> None:
    with pytest.raises(ValueError):
        vocabulary.pipeline("de")


def test_pipeline_is_built_once() -> None:
    assert vocabulary.pipeline("en") is vocabulary.pipeline("en")


def test_loads_offline_without_tensorflow() -> None:
    """A fresh process with no network (proxies to nowhere) builds both pipelines; spaCy's import
    does not pull TensorFlow in."""
    code = (
        "import sys\n"
        "from bot import vocabulary\n"
        "assert vocabulary.find('cancers du poumon', 'fr')[0].key == 'lung'\n"
        "assert vocabulary.find('lungs', 'en')[0].key == 'lung'\n"
        "assert 'tensorflow' not in sys.modules, 'TensorFlow was imported'\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
           "NO_PROXY": "", "HF_HUB_OFFLINE": "1", "OPENBLAS_NUM_THREADS": "1"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)


@pytest.mark.parametrize(("word", "lang"), [
    ("livre", "fr"), ("pouvons", "fr"), ("sens", "fr"), ("bain", "fr"), ("lever", "fr"),
    ("live", "en"), ("real", "en"), ("lives", "en"), ("voting", "en"),
])
def test_real_words_are_no_typos_of_the_vocabulary(word: str, lang: str) -> None:
    """Today's trial matcher takes these for "liver", "poumons", "seins", "brain", "renal"."""
    assert vocabulary.is_other_word(word, lang)


@pytest.mark.parametrize(("word", "lang"), [
    ("melanom", "fr"), ("leucemi", "fr"), ("poumons", "fr"), ("seins", "fr"), ("leucemies", "fr"),
    ("pancreatc", "en"), ("lungs", "en"), ("melanomas", "en"), ("brian", "en"),
])
def test_typos_and_vocabulary_forms_are_not_other_words(word: str, lang: str) -> None:
    assert not vocabulary.is_other_word(word, lang)


def test_other_word_is_relative_to_the_kinds_asked() -> None:
    """"breath" is a symptom word of the vocabulary, and a real word beside the cancer names
    (today's hand list bot.trials.matching.NOT_TYPOS has it, for "breast")."""
    assert not vocabulary.is_other_word("breath", "en")
    assert vocabulary.is_other_word("breath", "en", ("cancer",))


def test_the_rasa_pipeline_never_imports_spacy() -> None:
    """The scope check reads the phrases only (bot.vocabulary_terms): importing spaCy there cost
    the Rasa process about 1.5 s at start and some 40 MB."""
    code = (
        "import sys\n"
        "import bot.nlu.answerability, bot.nlu.overrides, bot.nlu.scope, bot.safety\n"
        "assert bot.nlu.scope.names_our_subject('des essais pour le mélanome ?')\n"
        "assert 'spacy' not in sys.modules, 'spaCy was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1"},
                   timeout=120)


def test_the_matcher_and_the_scope_check_share_one_vocabulary() -> None:
    from bot import vocabulary_terms

    assert vocabulary.VOCABULARY is vocabulary_terms.VOCABULARY
