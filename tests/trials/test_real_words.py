"""The real words the trial matcher must not take for typos of a cancer name or a drug
(bot/trials/real_words.py, generated into bot/trials/not_typos.txt from spaCy's tables)."""
from __future__ import annotations

import pytest

from bot.trials.matching import generated_not_typos
from bot.trials.real_words import TYPOS_ANYWAY, lexicon_words, real_words
from bot.trials.understand import find_concepts


@pytest.mark.parametrize("text", ["pouvons-nous participer à un essai ?", "je cherche un livre sur l'immunothérapie",
                                  "is it real or not", "do you know where I live", "dans quel sens ?"])
def test_a_real_word_is_no_cancer_name(text: str) -> None:
    assert find_concepts(text, "condition") == []


@pytest.mark.parametrize(("text", "key"), [("essais cancer des poumons", "lung"), ("cancer du poumom", "lung"),
                                           ("melanom trials", "melanoma"), ("liver cancer", "liver"),
                                           ("cancer du sein", "breast"), ("prostrate cancer", "prostate")])
def test_names_and_their_typos_still_match(text: str, key: str) -> None:
    assert key in find_concepts(text, "condition")


def test_the_generated_list_is_what_the_generator_gives_for_its_words() -> None:
    listed = generated_not_typos()
    assert {"livre", "pouvons", "sens", "real", "lives"} <= listed
    assert not listed & (lexicon_words() | TYPOS_ANYWAY)
    sample = sorted(listed)[::10] + ["poumom", "melanom", "bronche", "paumons"]
    fr, en = real_words(sample, "fr", lexicon_words()), real_words(sample, "en", lexicon_words())
    assert (fr | en) == set(sample[:-4]) & listed  # typos, inflections and kept words never listed
