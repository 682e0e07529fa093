"""Masking personal data in what patients wrote, before staff see it.

Staff need the question, not the person: emails, phone numbers, links, dates, long numbers
(patient or social-security numbers) and names (after "je m'appelle", "my name is", "Mme",
"Dr", "mon mari"...) are replaced by a placeholder. Trial ids (NCT01234567) are public and
kept. Masking is best effort: free text can always hide a name we cannot recognise.
"""
from __future__ import annotations

import re

EMAIL, PHONE, NUMBER, DATE, LINK, NAME = "[email]", "[phone]", "[number]", "[date]", "[link]", "[name]"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_LINK = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_PHONE = re.compile(
    r"(?:\+|\b00)\d{1,3}[\s.\-]?(?:\(0\)[\s.\-]?)?\d(?:[\s.\-]?\d){7,10}\b"  # +33 6 12 34 56 78
    r"|\b0\d(?:[\s.\-]?\d{2}){4}\b"  # 06 12 34 56 78
)
_DATE = re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b")
# Five digits or more, possibly grouped ("1 85 05 78 006 084 36"); not a trial id (NCT...).
_DIGITS = re.compile(r"(?<![A-Za-z\d])(?<!NCT)\d(?:[\s.\-]?\d){4,}(?!\d)", re.IGNORECASE)

_NAME_WORD = r"[^\W\d_][\w'’\-]*"
_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*"
# Cues after which the next words are a name, whatever their case.
_SELF_INTRO = (
    r"je m'appelle|je m’appelle|mon nom est|mon nom c'est|mon nom c’est|mon prénom est|"
    r"mon prenom est|my name is|my name's|my name’s|i am called|i'm called|call me|appelez-moi"
)
# Abbreviated titles are followed by a name ("Mme dupont"); titles written in full are
# ordinary words too ("bonjour madame, je voudrais"), so only a capitalised word after them.
_TITLE_SHORT = r"(?:mrs|mme|mlle|mr|ms|dr)\.?\s+|(?:mrs|mme|mlle|mr|ms|dr|m|pr)\.\s*"
_TITLE_LONG = (
    r"madame|monsieur|mademoiselle|miss|docteur|doctor|professeur|professor|"
    r"mon mari|ma femme|mon épouse|mon epouse|mon époux|mon epoux|mon fils|ma fille|ma mère|"
    r"ma mere|mon père|mon pere|mon frère|mon frere|ma sœur|ma soeur|mon compagnon|ma compagne|"
    r"my husband|my wife|my son|my daughter|my mother|my father|my brother|my sister|my partner"
)
_STOPWORDS = frozenset(
    """je j et and i suis am ai have has a à au aux de du des le la les l un une est is was
    mais but ou or pour for avec with qui who que what quoi svp please merci thanks bonjour hello
    hi ne n pas not mon ma mes my son sa ses his her votre vos your il elle he she on we nous
    vous you ils elles they c ce cette this that there voudrais would veux want peux can could
    aimerais souhaite need dois must quel quelle quand when où where comment how pourquoi why
    ici here y en dans in at sur the an of to from it qu s m d t""".split()
)
_INTRO_NAME = re.compile(
    rf"(?P<cue>\b(?i:{_SELF_INTRO})\s+)(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
)
_SHORT_TITLE_NAME = re.compile(
    rf"(?P<cue>(?<![\w.])(?i:{_TITLE_SHORT}))(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD})?)"
)
_LONG_TITLE_NAME = re.compile(
    rf"(?P<cue>\b(?i:{_TITLE_LONG}),?\s+)(?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED})?)"
)


def _is_ordinary(word: str) -> bool:
    folded = word.lower().replace("’", "'")
    return folded in _STOPWORDS or folded.split("'")[0] in _STOPWORDS


def _leading_name(words: str, capitalised_only: bool = False) -> str:
    """The first words of ``words`` that can be a name (stops at an ordinary word)."""
    kept: list[str] = []
    for word in words.split():
        if _is_ordinary(word) or (capitalised_only and not word[0].isupper()):
            break
        kept.append(word)
    return " ".join(kept)


def _masker(capitalised_only: bool):  # type: ignore[no-untyped-def]
    def replace(match: re.Match[str]) -> str:
        words = match.group("name")
        name = _leading_name(words, capitalised_only)
        if not name:
            return match.group(0)
        return match.group("cue") + NAME + words[len(name) :]

    return replace


def _mask_names(text: str) -> str:
    text = _INTRO_NAME.sub(_masker(False), text)
    text = _SHORT_TITLE_NAME.sub(_masker(False), text)
    return _LONG_TITLE_NAME.sub(_masker(True), text)


def mask(text: str) -> str:
    """``text`` with the personal data we can recognise replaced by placeholders."""
    text = _EMAIL.sub(EMAIL, text)
    text = _LINK.sub(LINK, text)
    text = _PHONE.sub(PHONE, text)
    text = _DATE.sub(DATE, text)
    text = _DIGITS.sub(NUMBER, text)
    text = _mask_names(text)
    return " ".join(text.split())


PLACEHOLDERS = (EMAIL, PHONE, NUMBER, DATE, LINK, NAME)


def has_personal_data(text: str) -> bool:
    """True when ``text`` holds personal data, or held some (it is stored masked)."""
    return mask(text) != " ".join(text.split()) or any(p in text for p in PLACEHOLDERS)
