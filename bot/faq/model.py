"""Loading the FAQ source files into typed entries, with errors that name file, entry and fix.

:func:`read_topics` collects every format problem (bad YAML, unknown field, bad date...) so
that staff see them all at once; :func:`load_topics` raises on the first file that has any.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.errors import FaqFormatError
from bot.faq.problems import Problem, Severity
from bot.settings import FAQ_DIR, PROJECT_ROOT
from bot.text import LANGUAGES

LANGUAGE_NAMES = {"fr": "French", "en": "English"}
# Retrieval intent every FAQ entry belongs to: `faq/<entry id>`.
RETRIEVAL_INTENT = "faq"
ENTRY_ID = re.compile(r"^[a-z][a-z0-9_]{2,60}$")
ENTRY_FIELDS = ("id", "source", "review_by", "answer", "examples", "quick_replies")
TOPIC_FIELDS = ("topic", "title", "entries")


@dataclass(frozen=True)
class Source:
    """Where an answer comes from, per language (a plain string in the file serves both)."""

    document: dict[str, str]
    date: dict[str, str]


@dataclass(frozen=True)
class Entry:
    id: str
    topic: str
    file: Path
    answer: dict[str, str]
    examples: dict[str, list[str]]
    source: Source
    review_by: dt.date | None
    quick_replies: dict[str, list[str]] = field(default_factory=dict)

    @property
    def intent(self) -> str:
        return f"{RETRIEVAL_INTENT}/{self.id}"

    @property
    def response_name(self) -> str:
        return f"utter_{self.intent}"


@dataclass(frozen=True)
class Topic:
    name: str
    title: str
    file: Path
    entries: list[Entry]


class FaqLoader(yaml.SafeLoader):
    """YAML as staff mean it: every value is text (dates are checked by us, so that a wrong
    date names its entry; `no` stays "no", not False), and a key written twice is an error
    instead of silently dropping the first one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' appears twice in the same place", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_TEXT_ONLY = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
              "tag:yaml.org,2002:float"}
FaqLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _TEXT_ONLY]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def shown_path(path: Path, faq_dir: Path | None = None, shown_dir: str | None = None) -> str:
    """How a file is named to staff: relative to the project ("faq/center.yml")."""
    if faq_dir is not None and shown_dir is not None and path.parent == faq_dir:
        return f"{shown_dir}/{path.name}"
    for base in (PROJECT_ROOT, Path.cwd()):
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


def parse_yaml(text: str) -> Any:
    return yaml.load(text, Loader=FaqLoader)  # noqa: S506 (FaqLoader is a SafeLoader)


def yaml_problem(exc: yaml.YAMLError, shown: str) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = f" near line {mark.line + 1}" if mark else ""
    problem = str(getattr(exc, "problem", None) or exc)
    if "appears twice" in problem:
        fix = "keep only one of the two (merge their contents if both are needed)."
    elif "tab" in problem:
        fix = "indent with spaces, never with the Tab key."
    else:
        fix = (
            "check the indentation (same number of spaces as the lines around it), and put "
            "texts containing ': ' or starting with a quote, '-', '[' or '{' between double quotes."
        )
    return Problem(shown, None, f"the file is not valid YAML{line} ({problem})", fix)


def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def _per_language(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {lang: str(value.get(lang) or "").strip() for lang in LANGUAGES}
    return {lang: str(value or "").strip() for lang in LANGUAGES}


def parse_review_date(value: Any) -> dt.date:
    """A review date as written in a file ("2027-01-31"); ValueError when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


class _EntryParser:
    """Reads one entry, recording every problem instead of stopping at the first."""

    def __init__(self, raw: Any, topic: str, path: Path, index: int, shown: str) -> None:
        self.raw, self.topic, self.path, self.index, self.shown = raw, topic, path, index, shown
        self.problems: list[Problem] = []
        self.entry_id: str | None = None

    def problem(self, message: str, fix: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(self.shown, self.entry_id, message, fix, severity))

    def _texts(self, key: str, what: str) -> dict[str, Any]:
        value = self.raw.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(
                f"'{key}' must have a 'fr:' part and an 'en:' part, one per line under it",
                f"write '{key}:', then on the next lines, indented, 'fr:' and 'en:' with {what}.",
            )
            return {}
        for lang in value:
            if lang not in LANGUAGES:
                self.problem(
                    f"'{key}' has a part '{lang}', but only 'fr' and 'en' are used",
                    f"rename '{lang}:' to 'fr:' or 'en:'.{_did_you_mean(str(lang), LANGUAGES)}",
                )
        return value

    def _examples(self, examples: dict[str, Any]) -> dict[str, list[str]]:
        parsed: dict[str, list[str]] = {}
        for lang in LANGUAGES:
            value = examples.get(lang)
            if value is None:
                parsed[lang] = []
                continue
            if not isinstance(value, list):
                self.problem(
                    f"the {LANGUAGE_NAMES[lang]} examples must be a list, one question per line "
                    "starting with '- '",
                    f"under 'examples:' -> '{lang}:', write each question on its own line as '- question'.",
                )
                parsed[lang] = []
                continue
            texts = []
            for item in value:
                if isinstance(item, (dict, list)):
                    shown = yaml.safe_dump(item, allow_unicode=True, default_flow_style=True).strip()
                    self.problem(
                        f"a {LANGUAGE_NAMES[lang]} example is not plain text ({shown}): YAML read "
                        "a ': ' or brackets in it as structure",
                        "put that example between double quotes, e.g. - \"question: details\".",
                    )
                elif item is not None and str(item).strip():
                    texts.append(" ".join(str(item).split()))
            parsed[lang] = texts
        return parsed

    def parse(self) -> Entry | None:
        raw = self.raw
        if not isinstance(raw, dict):
            self.problem(
                f"entry number {self.index + 1} is not a set of fields (id, answer, examples...)",
                "start the entry with '  - id: my_entry' and indent its other fields under 'id'.",
            )
            return None
        entry_id = raw.get("id")
        if not isinstance(entry_id, str) or not ENTRY_ID.match(entry_id):
            self.problem(
                f"entry number {self.index + 1} needs an 'id' of lowercase letters, digits and "
                f"underscores (3 to 61 characters, starting with a letter); found {entry_id!r}",
                "write e.g. 'id: visiting_hours' (no spaces, accents or capitals).",
            )
            return None
        self.entry_id = entry_id
        for key in raw:
            if key not in ENTRY_FIELDS:
                self.problem(
                    f"unknown field '{key}'",
                    f"use only {', '.join(ENTRY_FIELDS)}.{_did_you_mean(str(key), ENTRY_FIELDS)}",
                )
        answers = self._texts("answer", "the answer in that language")
        for lang, text in answers.items():
            if isinstance(text, (dict, list)):
                self.problem(
                    f"the {LANGUAGE_NAMES.get(lang, lang)} answer is not plain text",
                    "write the answer after '>-' on the following lines, indented.",
                )
        examples = self._examples(self._texts("examples", "a list of questions"))
        source = raw.get("source") or {}
        if not isinstance(source, dict):
            self.problem(
                "'source' must have a 'document:' line and a 'date:' line under it",
                "write 'source:', then indented 'document: <title of the document>' and "
                "'date: <its date>'.",
            )
            source = {}
        review_by = None
        if raw.get("review_by") not in (None, ""):
            try:
                review_by = parse_review_date(raw["review_by"])
            except ValueError:
                self.problem(
                    f"review_by '{raw['review_by']}' is not a valid date",
                    "write it as YYYY-MM-DD, e.g. 2027-06-30 (a day that exists).",
                )
        quick = raw.get("quick_replies") or {}
        if self.problems:
            return None
        return Entry(
            id=entry_id,
            topic=self.topic,
            file=self.path,
            answer={lang: str(answers.get(lang) or "").strip() for lang in LANGUAGES},
            examples=examples,
            source=Source(
                document=_per_language(source.get("document")),
                date=_per_language(source.get("date")),
            ),
            review_by=review_by,
            quick_replies={lang: [str(q) for q in quick.get(lang) or []] for lang in LANGUAGES}
            if isinstance(quick, dict)
            else {},
        )


def read_topic(path: Path, shown: str | None = None) -> tuple[Topic | None, list[Problem]]:
    """The topic in ``path`` (its well-formed entries) and every format problem found."""
    shown = shown or shown_path(path)
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return None, [yaml_problem(exc, shown)]
    except UnicodeDecodeError:
        return None, [Problem(shown, None, "the file is not UTF-8 text", "save the file as UTF-8.")]
    if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
        return None, [
            Problem(
                shown,
                None,
                "the file must have 'topic:', 'title:' and a list of entries under 'entries:'",
                "copy the layout of another file under faq/ (or delete this file if it is not needed).",
            )
        ]
    problems = [
        Problem(
            shown, None, f"unknown field '{key}' at the top of the file",
            f"use only {', '.join(TOPIC_FIELDS)}.{_did_you_mean(str(key), TOPIC_FIELDS)}",
        )
        for key in raw
        if key not in TOPIC_FIELDS
    ]
    name = str(raw.get("topic") or path.stem)
    entries = []
    for index, item in enumerate(raw["entries"]):
        parser = _EntryParser(item, name, path, index, shown)
        entry = parser.parse()
        problems.extend(parser.problems)
        if entry is not None:
            entries.append(entry)
    topic = Topic(name=name, title=str(raw.get("title") or name), file=path, entries=entries)
    return topic, problems


def topic_files(faq_dir: Path) -> list[Path]:
    """Source files, sorted by name so that generation is deterministic."""
    return sorted(faq_dir.glob("*.yml"))


def read_topics(
    faq_dir: Path = FAQ_DIR, shown_dir: str | None = None
) -> tuple[list[Topic], list[Problem]]:
    topics: list[Topic] = []
    problems: list[Problem] = []
    for path in topic_files(faq_dir):
        topic, found = read_topic(path, shown_path(path, faq_dir, shown_dir))
        problems.extend(found)
        if topic is not None:
            topics.append(topic)
    return topics, problems


def load_topic(path: Path) -> Topic:
    topic, problems = read_topic(path)
    errors = [p for p in problems if p.is_error]
    if errors or topic is None:
        raise FaqFormatError("\n".join(p.render() for p in errors))
    return topic


def load_topics(faq_dir: Path = FAQ_DIR) -> list[Topic]:
    """All topics, sorted by file name so that generation is deterministic."""
    return [load_topic(p) for p in topic_files(faq_dir)]


def all_entries(topics: list[Topic]) -> list[Entry]:
    return [entry for topic in topics for entry in topic.entries]
