"""The corpus of real questions (``eval/real_questions/{dev,test}.yml``): loading and checks.

Each item is a question taken from a public source (its URL is kept), the language it is
written in, a category and what a correct assistant with OUR sources must do (``expect``: one
or more acceptable outcomes, see ``OUTCOME_KINDS``). The test part is never training data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.settings import CORPUS_DIR
from bot.text import LANGUAGES, words

PARTS = ("dev", "test")
LANGS = (*LANGUAGES, "other")
MIN_ITEMS = 500

CATEGORIES = {
    "immuno": "immunotherapy in general",
    "side_effects": "side effects (general questions)",
    "treatment": "how treatment happens",
    "center": "the center: who runs it, when it opened, partners",
    "trials_general": "clinical trials in general",
    "trial_search": "looking for trials (by cancer type, held or not)",
    "caregivers": "relatives, visits, accompanying",
    "practical": "practical facts we do not hold (hours, cost, parking, booking, results)",
    "urgent": "urgent symptoms: the emergency numbers first",
    "advice": "individual medical advice: refusal and pointer to the care team",
    "out_of_scope": "outside what the assistant is for",
    "smalltalk": "greetings, thanks, goodbyes, what the assistant is",
    "other_language": "a language other than French or English",
    "language_switch": "asking to switch language",
}

# Outcome kinds an item may accept ("faq:<entry id>", "trials:<cancer>", "no_trials:<cancer>",
# "language_switch:<fr|en>" carry a value; the others stand alone).
OUTCOME_KINDS = {
    "faq": "the FAQ entry named after the colon",
    "dont_know": "an honest 'I don't know' with a way to reach a human",
    "advice_refusal": "no individual advice, pointer to the care team",
    "emergency": "the emergency numbers (15 / 112) first",
    "trials": "a trial search showing records (we hold records for this cancer)",
    "no_trials": "a trial search saying nothing was found (we hold no record for it)",
    "trial_howto": "how to take part in a trial, in general",
    "human": "how to reach a person",
    "other_language": "'I only understand French and English'",
    "language_switch": "the switch confirmed, in the language asked for",
    "greet": "a greeting", "goodbye": "a goodbye", "thank": "you're welcome",
    "identity": "what the assistant is",
    "out_of_scope": "'outside what I can help with'",
}
_VALUED = {"faq", "trials", "no_trials", "language_switch"}


@dataclass(frozen=True)
class Outcome:
    kind: str
    value: str | None = None

    @classmethod
    def parse(cls, text: str) -> Outcome:
        kind, _, value = str(text).partition(":")
        return cls(kind.strip(), value.strip() or None)

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}" if self.value else self.kind


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    lang: str
    category: str
    expect: tuple[Outcome, ...]
    source: str
    part: str = ""
    page_lang: str | None = None  # the widget's page language sent with the message
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def reply_lang(self) -> str | None:
        """The language the answer must be in (None: no language check)."""
        for outcome in self.expect:
            if outcome.kind == "language_switch":
                return outcome.value
        return self.lang if self.lang in LANGUAGES else None


def fold(text: str) -> str:
    """The kernel's folding (lowercase, accents, apostrophes), punctuation stripped and spaces
    collapsed: to compare texts."""
    return " ".join(words(text))


def part_path(part: str, root: Path = CORPUS_DIR) -> Path:
    return root / f"{part}.yml"


def load_part(part: str, root: Path = CORPUS_DIR) -> list[Item]:
    data = yaml.safe_load(part_path(part, root).read_text(encoding="utf-8")) or {}
    return [item_from_dict(raw, part) for raw in data.get("items", [])]


def load_all(root: Path = CORPUS_DIR) -> list[Item]:
    return [item for part in PARTS for item in load_part(part, root)]


def item_from_dict(raw: dict[str, Any], part: str = "") -> Item:
    expect = raw.get("expect") or []
    if isinstance(expect, str):
        expect = [expect]
    return Item(
        id=str(raw.get("id", "")),
        text=str(raw.get("text", "")),
        lang=str(raw.get("lang", "")),
        category=str(raw.get("category", "")),
        expect=tuple(Outcome.parse(e) for e in expect),
        source=str(raw.get("source", "")),
        part=part,
        page_lang=raw.get("page_lang", raw.get("lang") if raw.get("lang") in LANGUAGES else None),
    )


def problems(items: list[Item], faq_ids: set[str]) -> list[str]:
    """Schema problems of a corpus: one line each (empty when the corpus is sound)."""
    found = []
    seen: dict[str, str] = {}
    for item in items:
        where = f"{item.part}:{item.id or item.text[:40]!r}"
        if not item.text.strip():
            found.append(f"{where}: empty text")
        if item.lang not in LANGS:
            found.append(f"{where}: unknown lang {item.lang!r}")
        if item.category not in CATEGORIES:
            found.append(f"{where}: unknown category {item.category!r}")
        if not re.match(r"^https?://\S+$", item.source):
            found.append(f"{where}: source is not a URL: {item.source!r}")
        if item.page_lang not in (None, *LANGUAGES):
            found.append(f"{where}: page_lang must be fr, en or null")
        if not item.expect:
            found.append(f"{where}: no expected outcome")
        for outcome in item.expect:
            if outcome.kind not in OUTCOME_KINDS:
                found.append(f"{where}: unknown outcome {outcome}")
            elif (outcome.kind in _VALUED) != bool(outcome.value):
                found.append(f"{where}: outcome {outcome} needs {'a' if outcome.kind in _VALUED else 'no'} value")
            elif outcome.kind == "faq" and outcome.value not in faq_ids:
                found.append(f"{where}: unknown FAQ entry {outcome.value!r}")
        key = fold(item.text)
        if key in seen:
            found.append(f"{where}: duplicate of {seen[key]}")
        seen[key] = where
        if item.id in seen:
            found.append(f"{where}: duplicate id")
        seen[item.id] = where
    return found
