"""Finding known phrases in folded text, tolerating plurals and one or two typos per word."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path


def within_distance(a: str, b: str, limit: int) -> bool:
    """True if the Damerau-Levenshtein distance of ``a`` and ``b`` is at most ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return False
    if a == b:
        return True
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return False
        prev2, prev = prev, cur
    return prev[-1] <= limit


def typo_budget(word: str) -> int:
    """Typos forgiven in a lexicon word: none for short words (too many false friends)."""
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


# Real words one typo away from a lexicon word ("breath"/"breast", "George"/"gorge"): names
# spaCy's tables do not hold, by hand; the language's words, generated (bot/trials/real_words.py).
NOT_TYPOS = frozenset({"breath", "breathe", "color", "colors", "colour", "george", "seine", "reine"})
NOT_TYPOS_FILE = Path(__file__).with_name("not_typos.txt")


@cache
def generated_not_typos() -> frozenset[str]:
    lines = NOT_TYPOS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


_ENDINGS = ("s", "x", "e", "es", "ne", "nes")  # plurals and feminines the matcher accepts


def is_inflection(text_word: str, lexicon_word: str) -> bool:
    return any(text_word == lexicon_word + ending for ending in _ENDINGS)


@lru_cache(maxsize=50000)
def word_matches(text_word: str, lexicon_word: str) -> bool:
    if text_word == lexicon_word or is_inflection(text_word, lexicon_word):
        return True
    if text_word in NOT_TYPOS or text_word in generated_not_typos():
        return False
    budget = typo_budget(lexicon_word)
    # Typos rarely touch the first letter; checking it keeps false matches (and work) down.
    return budget > 0 and text_word[:1] == lexicon_word[:1] and within_distance(text_word, lexicon_word, budget)


@dataclass(frozen=True)
class Match:
    value: str
    start: int  # word positions in the folded text
    end: int


class PhraseMatcher:
    """Longest-first matching of folded phrases (several words) against a folded word list."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._phrases: list[tuple[tuple[str, ...], str]] = []
        for phrase, value in entries:
            words = tuple(phrase.split())
            if words:
                self._phrases.append((words, value))
        self._phrases.sort(key=lambda item: -len(item[0]))
        self._first_words = {words[0] for words, _ in self._phrases}

    def find(self, words: list[str], taken: set[int] | None = None) -> list[Match]:
        """Non-overlapping matches, longest phrase first at each position; marks ``taken``."""
        taken = taken if taken is not None else set()
        found: list[Match] = []
        i = 0
        while i < len(words):
            match = None if i in taken else self._match_at(words, i, taken)
            if match is None:
                i += 1
                continue
            found.append(match)
            taken.update(range(match.start, match.end))
            i = match.end
        return found

    def _match_at(self, words: list[str], i: int, taken: set[int]) -> Match | None:
        first = words[i]
        if not any(word_matches(first, w) for w in self._candidates(first)):
            return None
        for phrase, value in self._phrases:
            end = i + len(phrase)
            if end > len(words) or any(k in taken for k in range(i, end)):
                continue
            if all(word_matches(words[i + k], phrase[k]) for k in range(len(phrase))):
                return Match(value, i, end)
        return None

    def _candidates(self, word: str) -> Iterable[str]:
        if word in self._first_words:
            return (word,)
        return (w for w in self._first_words if w[:1] == word[:1])
