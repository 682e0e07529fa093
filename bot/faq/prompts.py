"""Asking staff for a new entry, one question at a time, checking each answer as it comes."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.faq.content import unsafe_content
from bot.faq.edit import EntryDraft
from bot.faq.model import ENTRY_ID, LANGUAGE_NAMES, LANGUAGES, Topic, all_entries
from bot.faq.text import normalize
from bot.faq.validate import MIN_EXAMPLES_PER_LANGUAGE

Ask = Callable[[str], str]
Say = Callable[[str], None]


@dataclass(frozen=True)
class TopicChoice:
    file: Path
    title: str | None  # set for a new topic


def _lines(ask: Ask, prompt: str) -> list[str]:
    """Lines typed until an empty one."""
    lines = []
    while True:
        line = ask(prompt if not lines else "")
        if not line.strip():
            return lines
        lines.append(line.strip())


def ask_topic(topics: list[Topic], faq_dir: Path, ask: Ask, say: Say) -> TopicChoice:
    say("Topics:")
    for number, topic in enumerate(topics, 1):
        say(f"  {number}. {topic.file.stem} ({topic.title})")
    while True:
        answer = ask("Topic number, or the name of a new topic (e.g. practical): ").strip()
        if answer.isdigit() and 1 <= int(answer) <= len(topics):
            return TopicChoice(topics[int(answer) - 1].file, None)
        existing = next((t for t in topics if t.file.stem == answer), None)
        if existing:
            return TopicChoice(existing.file, None)
        if ENTRY_ID.match(answer):
            title = ask(f"Title of the new topic '{answer}' (e.g. 'Practical / Pratique'): ").strip()
            return TopicChoice(faq_dir / f"{answer}.yml", title or answer)
        say("  Type a number from the list, or a new name in lowercase letters (and _), "
            "at least 3 characters.")


def ask_id(taken: set[str], ask: Ask, say: Say) -> str:
    while True:
        entry_id = ask("Short id for the entry (lowercase letters, digits and _, e.g. cafeteria_hours): ").strip()
        if not ENTRY_ID.match(entry_id):
            say("  The id must start with a letter and use only a-z, 0-9 and _ (3 to 61 characters).")
        elif entry_id in taken:
            say(f"  '{entry_id}' is already used by another entry; choose another id.")
        else:
            return entry_id


def ask_answer(lang: str, ask: Ask, say: Say) -> str:
    name = LANGUAGE_NAMES[lang]
    while True:
        text = " ".join(_lines(ask, f"Answer in {name} (press Enter on an empty line to finish):\n"))
        if not text:
            say(f"  The {name} answer is needed.")
            continue
        findings = unsafe_content(text)
        if not findings:
            return text
        for finding in findings:
            say(f"  Not allowed: {finding.message}. {finding.fix[0].upper()}{finding.fix[1:]}")
        say("  Please type the answer again.")


def ask_examples(lang: str, taken: dict[str, str], given: list[str], ask: Ask, say: Say) -> list[str]:
    """At least the minimum number of distinct questions, none belonging to another entry."""
    name = LANGUAGE_NAMES[lang]
    examples = list(given)
    if examples:
        say(f"{name} example(s) already given: " + "; ".join(examples))
    while len(examples) < MIN_EXAMPLES_PER_LANGUAGE or not examples:
        missing = MIN_EXAMPLES_PER_LANGUAGE - len(examples)
        typed = _lines(
            ask,
            f"Ways a patient may ask this in {name}, one per line ({missing} more at least; "
            "empty line to finish):\n",
        )
        for text in typed:
            key = normalize(text)
            if not key:
                continue
            if key in taken:
                say(f"  '{text}' is already an example of '{taken[key]}': not added.")
            elif key in {normalize(e) for e in examples}:
                say(f"  '{text}' was already given.")
            else:
                examples.append(text)
        if len(examples) < MIN_EXAMPLES_PER_LANGUAGE:
            say(f"  {len(examples)} {name} example(s) so far; at least {MIN_EXAMPLES_PER_LANGUAGE} are needed.")
    return examples


def ask_review_date(today: dt.date, ask: Ask, say: Say) -> dt.date:
    default = today + dt.timedelta(days=365)
    while True:
        text = ask(f"Review by (YYYY-MM-DD, Enter for {default.isoformat()}): ").strip()
        if not text:
            return default
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            say("  Write the date as YYYY-MM-DD, e.g. 2027-06-30.")
            continue
        if date <= today:
            say("  The review date must be in the future.")
            continue
        return date


def ask_entry(
    topics: list[Topic],
    faq_dir: Path,
    ask: Ask | None = None,
    say: Say | None = None,
    given_examples: dict[str, list[str]] | None = None,
    today: dt.date | None = None,
) -> tuple[EntryDraft, TopicChoice]:
    """A complete new entry, asked field by field (on the terminal unless ``ask``/``say``)."""
    ask = ask or input
    say = say or print
    entries = all_entries(topics)
    taken_examples = {
        normalize(example): entry.id
        for entry in entries
        for lang in LANGUAGES
        for example in entry.examples[lang]
    }
    choice = ask_topic(topics, faq_dir, ask, say)
    entry_id = ask_id({e.id for e in entries}, ask, say)
    answers = {lang: ask_answer(lang, ask, say) for lang in LANGUAGES}
    given = given_examples or {}
    examples = {
        lang: ask_examples(lang, taken_examples, given.get(lang, []), ask, say) for lang in LANGUAGES
    }
    while not (document := ask("Source document (title of the document the answer comes from): ").strip()):
        say("  The source is needed: staff and patients must know where the answer comes from.")
    while not (date := ask("Date of that document (e.g. 2018, or 'undated'): ").strip()):
        say("  Write the date of the document, or 'undated' if it has none.")
    review_by = ask_review_date(today or dt.date.today(), ask, say)
    draft = EntryDraft(
        id=entry_id,
        answer=answers,
        examples=examples,
        source_document={lang: document for lang in LANGUAGES},
        source_date={lang: date for lang in LANGUAGES},
        review_by=review_by,
    )
    return draft, choice
