"""The text kernel: the languages we answer in and the one way text is folded for matching.

Every rule that compares words (safety patterns, language cues, trial search, FAQ duplicates,
the inbox's grouping) goes through :func:`fold`, so that "Cœur", "coeur" and "COEUR", or
"c’est" and "c'est", are the same words everywhere.
"""
from __future__ import annotations

import re
import unicodedata

# The languages the assistant answers in; French first: the center's language and the default.
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = LANGUAGES[0]

# Ligatures NFKD leaves whole (patients write "soeur" as often as "sœur"), and the typographic
# apostrophes phones and word processors put in ("c’est") turned into the one patterns use.
_FOLDED = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "’": "'", "ʼ": "'"})
_NOT_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower case, without accents or ligatures, with one kind of apostrophe.

    Punctuation and spacing are kept: patterns may need them ("15 ?", "PD-1").
    """
    if text.isascii():  # most messages: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLDED).lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def squash_spaces(text: str) -> str:
    """Runs of white space as single spaces, none at either end."""
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """The folded words of ``text``: punctuation (and "_") separates words and is dropped."""
    return _NOT_WORD.sub(" ", fold(text).replace("_", " ")).split()


def any_of(patterns: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """One regex matching any of ``patterns``, each kept whole in its own group: ``a|b`` inside
    a pattern stays that pattern's alternative."""
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def is_language(value: object) -> bool:
    """True for "fr" and "en" (exact codes; see bot.language.normalize_code for "fr-FR")."""
    return value in LANGUAGES
