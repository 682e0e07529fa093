"""Text helpers shared by the importer and the search: folding, tokens, registry-text cleanup."""
from __future__ import annotations

import html
import re
from functools import lru_cache

from bot import text as kernel

_NON_WORD = re.compile(r"[^a-z0-9]+")
# Words that never narrow a search on their own (EN + FR function words).
STOPWORDS = frozenset(
    """
    a an and are as at be by for from has have in into is it its of on or the to with without
    versus vs via who whose which that this these those than then was were will
    au aux avec ce ces dans de des du elle en et il je la le les leur lui ma mais me mes moi mon
    ne nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous
    l d j s n c y est ai suis
    """.split()
)


@lru_cache(maxsize=200_000)  # registry names (sites, cities, drugs) repeat across trials
def fold(text: str) -> str:
    """The kernel's folding (bot.text.fold), then anything but a-z and 0-9 as single spaces.

    Both registry text and patient messages go through this, so that "Mélanome", "melanome" and
    "MELANOME" meet, and "PD-1", "pd 1", "Keytruda®" become comparable word sequences.
    """
    return _NON_WORD.sub(" ", kernel.fold(text)).strip()


def tokens(text: str, *, min_len: int = 2, max_len: int = 40) -> list[str]:
    """Folded words of ``text`` without stop words, in order, without duplicates."""
    return list(_tokens(text, min_len, max_len))


@lru_cache(maxsize=100_000)
def _tokens(text: str, min_len: int, max_len: int) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for word in fold(text).split():
        if min_len <= len(word) <= max_len and word not in STOPWORDS:
            seen.setdefault(word, None)
    return tuple(seen)


# The v2 API escapes Markdown punctuation ("\\>= 18", "\\[UTC\\]"); patients must not see it.
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>^~|=])")
# Windows-1252 read as UTF-8 the wrong way round ("â‰¥" for "≥") in some XML-derived records.
_MOJIBAKE = re.compile(r"[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]{1,3}")


def _fix_mojibake(match: re.Match[str]) -> str:
    chunk = match.group(0)
    try:
        return chunk.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return chunk


_NEEDS_CLEANING = re.compile(r"[\\&\r\n\u00c2-\u00f4]")


def clean_registry_text(text: str) -> str:
    """Registry text as a reader should see it: unescaped, no HTML entities, tidy line breaks."""
    if not _NEEDS_CLEANING.search(text):  # most names and titles: nothing to undo
        return text.strip()
    text = html.unescape(text)
    text = _MOJIBAKE.sub(_fix_mojibake, text)
    text = _MD_ESCAPE.sub(r"\1", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    # Classic XML text blocks indent every line; drop the common indent.
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    common = min(indents) if indents else 0
    text = "\n".join(line[common:] for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-") + "…"
