"""Every check on the FAQ sources, before anything is generated or trained.

Errors block ``bot faq build`` and ``bot faq retrain`` (the assistant would break, or say
something unsafe); warnings are worth a look but change nothing. Each problem names the
file, the entry and the fix (see docs/staff.md, "What validation messages mean").
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.faq.content import unsafe_content
from bot.faq.model import (
    LANGUAGE_NAMES,
    LANGUAGES,
    Entry,
    Topic,
    all_entries,
    read_topics,
    shown_path,
)
from bot.faq.paths import FaqPaths
from bot.faq.problems import Problem, Report, Severity
from bot.faq.similarity import find_confusions, find_near_duplicates
from bot.faq.text import normalize
from bot.language import detect

# Below this many examples per language the model cannot learn the entry reliably.
MIN_EXAMPLES_PER_LANGUAGE = 5
# Rasa reads "[text](entity)" and "[text]{...}" in examples as entity annotations.
_ANNOTATION_CHARS = re.compile(r"[\[\]{}]")
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class OtherExample:
    intent: str
    file: str


def other_intent_examples(nlu_dir: Path) -> dict[str, OtherExample]:
    """Examples of the hand-written intents (greet, search_trials...), by normalised text."""
    found: dict[str, OtherExample] = {}
    if not nlu_dir.is_dir():
        return found
    for path in sorted(nlu_dir.glob("*.yml")):  # top level only: nlu_data/faq/ is generated
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            continue  # not ours to report; `rasa data validate` does
        for item in data.get("nlu") or []:
            if not isinstance(item, dict) or "intent" not in item:
                continue
            for line in str(item.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = _ANNOTATION.sub(r"\1", line[2:])
                    found.setdefault(normalize(text), OtherExample(str(item["intent"]), shown_path(path)))
    return found


class _Checker:
    def __init__(self, paths: FaqPaths, today: dt.date) -> None:
        self.paths, self.today = paths, today
        self.report = Report()
        self.shown: dict[Path, str] = {}

    def where(self, entry: Entry) -> str:
        return self.shown.get(entry.file) or shown_path(entry.file, self.paths.faq_dir, self.paths.shown_dir)

    def error(self, entry: Entry, message: str, fix: str) -> None:
        self.report.add(Problem(self.where(entry), entry.id, message, fix, Severity.ERROR))

    def warning(self, entry: Entry, message: str, fix: str) -> None:
        self.report.add(Problem(self.where(entry), entry.id, message, fix, Severity.WARNING))

    # -- one entry ---------------------------------------------------------------------------

    def entry(self, entry: Entry) -> None:
        for lang in LANGUAGES:
            name = LANGUAGE_NAMES[lang]
            if not entry.answer[lang]:
                self.error(
                    entry, f"the {name} answer is missing",
                    f"under 'answer:', add '{lang}: >-' followed by the answer in {name}, indented.",
                )
            for finding in unsafe_content(entry.answer[lang]):
                self.error(entry, f"{name} answer: {finding.message}", finding.fix)
            examples = entry.examples[lang]
            if not examples:
                self.error(
                    entry, f"there are no {name} example questions",
                    f"under 'examples:', add '{lang}:' and at least {MIN_EXAMPLES_PER_LANGUAGE} "
                    f"ways a patient might ask this in {name}, one per line starting with '- '.",
                )
            elif len(examples) < MIN_EXAMPLES_PER_LANGUAGE:
                self.error(
                    entry,
                    f"only {len(examples)} {name} example question(s); at least "
                    f"{MIN_EXAMPLES_PER_LANGUAGE} are needed for the assistant to recognise the question",
                    f"add {MIN_EXAMPLES_PER_LANGUAGE - len(examples)} more different ways of asking "
                    f"it in {name} (short and long, with and without accents).",
                )
            seen: set[str] = set()
            for example in examples:
                key = normalize(example)
                if not key:
                    self.error(entry, f"the {name} example '{example}' has no words",
                               "delete it or write a real question.")
                elif key in seen:
                    self.warning(entry, f"the {name} example '{example}' is written twice",
                                 "delete one of the two.")
                seen.add(key)
                if _ANNOTATION_CHARS.search(example):
                    self.error(
                        entry, f"the {name} example '{example}' contains [ ] or {{ }}, which the "
                        "assistant's training reads as special markup",
                        "remove the brackets (write the words without them).",
                    )
            if not entry.source.document[lang]:
                self.error(
                    entry, f"the source document is missing ({name})",
                    "under 'source:', write 'document:' with the title of the document the answer "
                    "comes from (one text, or 'fr:' and 'en:' lines).",
                )
            if not entry.source.date[lang]:
                self.error(
                    entry, f"the date of the source is missing ({name})",
                    "under 'source:', write 'date:' with the date of the document, e.g. "
                    "'date: \"2018\"' or 'date: \"non datée\"' if it has none.",
                )
        if entry.review_by is None:
            self.error(
                entry, "the review date is missing",
                "add 'review_by: YYYY-MM-DD', the date by which someone must check this answer again.",
            )
        elif entry.review_by < self.today:
            self.warning(
                entry, f"the review date ({entry.review_by.isoformat()}) has passed",
                "check the answer against its source, then set 'review_by:' to the next review date.",
            )

    def languages(self, entry: Entry) -> None:
        for lang in LANGUAGES:
            other = "en" if lang == "fr" else "fr"
            name, other_name = LANGUAGE_NAMES[lang], LANGUAGE_NAMES[other]
            if detect(entry.answer[lang]) == other:
                self.warning(
                    entry, f"the {name} answer looks written in {other_name}",
                    f"check that the texts under '{lang}:' and '{other}:' are not swapped.",
                )
            examples = entry.examples[lang]
            wrong = [e for e in examples if detect(e) == other]
            if len(wrong) >= 3 and len(wrong) * 2 >= len(examples):
                self.warning(
                    entry, f"most {name} examples look written in {other_name} (e.g. '{wrong[0]}')",
                    f"check that the examples under '{lang}:' and '{other}:' are not swapped.",
                )

    # -- across entries ----------------------------------------------------------------------

    def duplicate_ids(self, entries: list[Entry]) -> None:
        by_id: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            by_id[entry.id].append(entry)
        for entry_id, same in by_id.items():
            if len(same) > 1:
                places = " and ".join(self.where(e) for e in same)
                for entry in same:
                    self.error(
                        entry, f"the id '{entry_id}' is used by {len(same)} entries ({places})",
                        "give each entry its own id (rename one of them, e.g. add a word), or "
                        "merge the two entries into one.",
                    )

    def duplicate_examples(self, entries: list[Entry]) -> None:
        owners: dict[str, list[tuple[Entry, str]]] = defaultdict(list)
        for entry in entries:
            for lang in LANGUAGES:
                for example in dict.fromkeys(entry.examples[lang]):
                    owners[normalize(example)].append((entry, example))
        for key, found in owners.items():
            ids = list(dict.fromkeys(e.id for e, _ in found))
            if key and len(ids) > 1:
                for entry, example in found:
                    others = ", ".join(f"'{i}'" for i in ids if i != entry.id)
                    self.error(
                        entry, f"the example '{example}' is also an example of {others}: the "
                        "assistant cannot know which answer to give",
                        "keep it under the one entry that answers it, and delete it from the other(s).",
                    )
        others = other_intent_examples(self.paths.other_nlu_dir)
        for key, found in owners.items():
            if key in others:
                other = others[key]
                for entry, example in found:
                    self.error(
                        entry, f"the example '{example}' is also an example of the assistant's "
                        f"'{other.intent}' intent ({other.file})",
                        "delete it from this entry, or reword it so that it is clearly about this "
                        "entry's subject.",
                    )

    def similarity(self, entries: list[Entry]) -> None:
        rows = [(entry, example) for entry in entries for lang in LANGUAGES for example in entry.examples[lang]]
        texts = [example for _, example in rows]
        labels = [entry.id for entry, _ in rows]
        for near in find_near_duplicates(texts, labels):
            for i, j in ((near.index, near.other_index), (near.other_index, near.index)):
                self.warning(
                    rows[i][0], f"the example '{texts[i]}' is almost the same as '{texts[j]}' of "
                    f"'{labels[j]}'",
                    "keep this question under one entry only, or make the two clearly different.",
                )
        for confusion in find_confusions(texts, labels):
            entry, example = rows[confusion.index]
            self.warning(
                entry, f"the example '{example}' looks closer to the entry '{confusion.other_label}' "
                "than to its own (its words are mostly those of that entry's examples)",
                f"check it belongs here; if it does, add more examples with this wording to "
                f"'{entry.id}', or reword it so that it is clearly about '{entry.id}'.",
            )


def validate(
    paths: FaqPaths | None = None,
    *,
    similarity: bool = True,
    languages: bool = True,
    today: dt.date | None = None,
) -> Report:
    """All problems of the FAQ under ``paths`` (the project's FAQ by default)."""
    paths = paths or FaqPaths()
    checker = _Checker(paths, today or dt.date.today())
    if not paths.faq_dir.is_dir():
        checker.report.add(
            Problem(paths.shown, None, "the FAQ folder does not exist",
                    "check the folder name, or create it with one .yml file per topic.")
        )
        return checker.report
    topics, problems = read_topics(paths.faq_dir, paths.shown_dir)
    checker.report.extend(problems)
    entries = all_entries(topics)
    checker.duplicate_ids(entries)
    for entry in entries:
        checker.entry(entry)
        if languages:
            checker.languages(entry)
    checker.duplicate_examples(entries)
    if similarity:
        checker.similarity(entries)
    return checker.report


def overdue(topics: list[Topic], today: dt.date | None = None, within_days: int = 0) -> list[Entry]:
    """Entries whose review date has passed (or comes within ``within_days``), soonest first."""
    limit = (today or dt.date.today()) + dt.timedelta(days=within_days)
    due = [e for e in all_entries(topics) if e.review_by is not None and e.review_by < limit]
    return sorted(due, key=lambda e: (e.review_by or limit, e.id))
