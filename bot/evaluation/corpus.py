"""The corpus of real questions (``eval/real_questions/{dev,test}.yml``): loading, checks and
adding new items with the README's split rule (``add_items``).

Each item is a question taken from a public source (its URL is kept), the language it is
written in, a category and what a correct assistant with OUR sources must do (``expect``: one
or more acceptable outcomes, see ``OUTCOME_KINDS``). The test part is never training data.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from bot.errors import CorpusError
from bot.settings import CORPUS_DIR, PROJECT_ROOT
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


# -- adding items --------------------------------------------------------------------------

# Where training text lives (root-relative folder, file pattern): NLU data (generated FAQ
# examples included), the FAQ sources and the held-out NLU sets (which must stay unseen too).
TRAINING_FILES = (("nlu_data", "**/*.yml"), ("faq", "*.yml"), ("tests/nlu", "heldout_*.yml"))
_EXAMPLE_LINE = re.compile(r"^\s*-\s+(.+?)\s*$")
OTHER_PAGE_EVERY = 8  # about one item in eight is sent from the page of the other language


def digest(text: str) -> str:
    """The SHA-1 of the folded text: the item's id, its split order and its page language."""
    return hashlib.sha1(fold(text).encode("utf-8")).hexdigest()


def training_texts(root: Path = PROJECT_ROOT) -> dict[str, Path]:
    """Every example sentence of the training files, folded, with the file it comes from."""
    found: dict[str, Path] = {}
    for folder, pattern in TRAINING_FILES:
        for path in sorted((root / folder).glob(pattern)):
            for line in path.read_text(encoding="utf-8").splitlines():
                match = _EXAMPLE_LINE.match(line)
                if match:
                    found.setdefault(fold(match.group(1).strip("'\"")), path)
    return found


def new_item(raw: dict[str, Any]) -> Item:
    """An item to add, from its text, lang, category, expect and source: the id is computed
    (language + digest) and so is the page language when not given (the item's own, or the
    other language for one digest in ``OTHER_PAGE_EVERY``; other-language items: the French page)."""
    text = " ".join(str(raw.get("text", "")).split())
    lang = str(raw.get("lang", ""))
    item = item_from_dict({**raw, "text": text, "id": f"{lang}-{digest(text)[:8]}"})
    if "page_lang" in raw:
        return item
    if lang not in LANGUAGES:
        page = LANGUAGES[0]
    elif int(digest(text), 16) % OTHER_PAGE_EVERY == 0:
        page = next(other for other in LANGUAGES if other != lang)
    else:
        page = lang
    return replace(item, page_lang=page)


def split(existing: list[Item], new: list[Item], trained: set[str]) -> list[Item]:
    """``new`` with their part: within each (category, language) stratum, in digest order, they
    go alternately to dev and test, starting with the part that holds fewer items of the
    stratum (dev on a tie, so that test never outgrows dev); an item whose folded text is in
    ``trained`` goes to dev and takes no turn. Existing items keep their part."""
    counts = Counter((i.category, i.lang, i.part) for i in existing)
    strata: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in new:
        strata[(item.category, item.lang)].append(item)
    placed: dict[str, str] = {}
    for (category, lang), items in strata.items():
        turn = "test" if counts[(category, lang, "test")] < counts[(category, lang, "dev")] else "dev"
        for item in sorted(items, key=lambda i: digest(i.text)):
            if fold(item.text) in trained:
                placed[item.id] = "dev"
                continue
            placed[item.id] = turn
            turn = "dev" if turn == "test" else "test"
    return [replace(item, part=placed[item.id]) for item in new]


def _as_dict(item: Item) -> dict[str, Any]:
    return {"id": item.id, "text": item.text, "lang": item.lang, "category": item.category,
            "expect": [str(o) for o in item.expect], "page_lang": item.page_lang, "source": item.source}


def _append(path: Path, items: list[Item]) -> None:
    """Appends ``items`` to a part file in its own layout (existing lines are kept as they are)."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    text += yaml.safe_dump([_as_dict(i) for i in items], sort_keys=False, allow_unicode=True, width=10**6)
    tmp = path.with_name(f".{path.name}.tmp")  # atomically: a half-written part would lose items
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def add_items(raws: list[dict[str, Any]], faq_ids: set[str], trained: set[str],
              root: Path = CORPUS_DIR) -> list[Item]:
    """Adds new items to the parts under ``root`` by the split rule and returns them with their
    part. Nothing is written when one of them has a problem (schema, unknown FAQ entry, already
    in the corpus or twice in ``raws``): CorpusError lists every problem."""
    existing = load_all(root)
    new = [new_item(raw) for raw in raws]
    if not new:
        raise CorpusError("no item to add")
    found = [line for line in problems(existing + [replace(i, part="new") for i in new], faq_ids)
             if line.startswith("new:")]
    if found:
        raise CorpusError(f"{len(found)} problem(s), nothing added:\n" + "\n".join(found))
    placed = split(existing, new, trained)
    for part in PARTS:
        mine = [i for i in placed if i.part == part]
        if mine:
            _append(part_path(part, root), mine)
    return placed
