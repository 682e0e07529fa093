"""Changing the FAQ source files for staff, without ever leaving them broken.

Edits are made on the text (a new entry appended, an example line inserted), so the
comments and layout that staff wrote stay as they are. Every change is first made on a copy
of the FAQ folder and validated there; only a change that adds no error reaches the real
files (see :func:`checked_change`).
"""
from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.errors import EditError, EditRejected
from bot.faq.model import (
    LANGUAGE_NAMES,
    LANGUAGES,
    Entry,
    all_entries,
    parse_yaml,
    read_topics,
    topic_files,
)
from bot.faq.paths import FaqPaths
from bot.faq.problems import Report
from bot.faq.validate import validate


@dataclass
class EntryDraft:
    """A new entry as staff describe it (interactively or in a file)."""

    id: str
    answer: dict[str, str]
    examples: dict[str, list[str]]
    source_document: dict[str, str]
    source_date: dict[str, str]
    review_by: dt.date | None
    topic: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        def one_or_both(values: dict[str, str]) -> Any:
            # Same text in both languages: write it once, as the existing files do.
            if values.get("fr") == values.get("en"):
                return values.get("fr", "")
            return {lang: values.get(lang, "") for lang in LANGUAGES}

        data: dict[str, Any] = {
            "id": self.id,
            "source": {
                "document": one_or_both(self.source_document),
                "date": one_or_both(self.source_date),
            },
            "review_by": self.review_by,
            "answer": {lang: _Folded(self.answer.get(lang, "")) for lang in LANGUAGES},
            "examples": {lang: list(self.examples.get(lang, [])) for lang in LANGUAGES},
        }
        data.update(self.extra)
        return data


def draft_from_data(raw: Any, where: str) -> EntryDraft:
    """An entry read from a staff file (same fields as in faq/*.yml)."""
    if not isinstance(raw, dict):
        raise EditError(f"{where}: expected the fields of one entry (id, answer, examples, source, review_by).")

    def per_language(value: Any) -> dict[str, str]:
        if isinstance(value, dict):
            return {lang: " ".join(str(value.get(lang) or "").split()) for lang in LANGUAGES}
        return {lang: " ".join(str(value or "").split()) for lang in LANGUAGES}

    def lists(value: Any) -> dict[str, list[str]]:
        if not isinstance(value, dict):
            return {lang: [] for lang in LANGUAGES}
        return {
            lang: [" ".join(str(e).split()) for e in (value.get(lang) or []) if str(e).strip()]
            for lang in LANGUAGES
        }

    source = raw.get("source") if isinstance(raw.get("source"), dict) else {}
    review = raw.get("review_by")
    review_by = None
    if review not in (None, ""):
        try:
            review_by = dt.date.fromisoformat(str(review).strip())
        except ValueError:
            raise EditError(
                f"{where}: review_by '{review}' is not a date; write it as YYYY-MM-DD."
            ) from None
    known = {"id", "answer", "examples", "source", "review_by", "topic"}
    return EntryDraft(
        id=str(raw.get("id") or ""),
        answer={lang: text for lang, text in per_language(raw.get("answer")).items()}
        if isinstance(raw.get("answer"), dict)
        else {lang: "" for lang in LANGUAGES},
        examples=lists(raw.get("examples")),
        source_document=per_language(source.get("document")),
        source_date=per_language(source.get("date")),
        review_by=review_by,
        topic=str(raw["topic"]) if raw.get("topic") else None,
        extra={k: v for k, v in raw.items() if k not in known},
    )


# -- rendering -----------------------------------------------------------------------------


class _Folded(str):
    """An answer: written folded ('>-') over several lines, like the existing files."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # "- item" indented under its key, as in the hand-written files.
        return super().increase_indent(flow, False)


_Dumper.add_representer(
    _Folded, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style=">")
)


def scalar(text: str) -> str:
    """``text`` as a one-line YAML value, quoted only when YAML needs it."""
    dumped = yaml.dump(text, Dumper=_Dumper, allow_unicode=True, width=100_000)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def render_entry(data: dict[str, Any], indent: int) -> str:
    """One entry as a YAML list item, its dash at column ``indent``."""
    text = yaml.dump(
        [data], Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=92, indent=2
    )
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


# -- text edits ----------------------------------------------------------------------------


def _compose(text: str, path: Path) -> yaml.MappingNode:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        raise EditError(
            f"{path.name} is not valid YAML; run `bot faq validate` and fix it first."
        ) from None
    if not isinstance(node, yaml.MappingNode):
        raise EditError(f"{path.name} does not look like an FAQ file (no 'entries:').")
    return node


def _value(mapping: yaml.Node, key: str) -> yaml.Node | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    for key_node, value in mapping.value:
        if getattr(key_node, "value", None) == key:
            return value
    return None


def _line_after(node: yaml.Node) -> int:
    """Index of the first line after ``node``."""
    end = node.end_mark
    return end.line if end.column == 0 else end.line + 1


def _dash_indent(lines: list[str], line_index: int) -> int:
    line = lines[line_index]
    return len(line) - len(line.lstrip(" "))


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def insert_example(path: Path, entry_id: str, lang: str, text: str) -> None:
    """Adds ``text`` as the last ``lang`` example of ``entry_id`` in ``path``."""
    text = " ".join(text.split())
    if not text:
        raise EditError("the example is empty; write the question as a patient would ask it.")
    source = path.read_text(encoding="utf-8")
    root = _compose(source, path)
    entries = _value(root, "entries")
    entry = next(
        (e for e in getattr(entries, "value", []) if getattr(_value(e, "id"), "value", None) == entry_id),
        None,
    )
    if entry is None:
        raise EditError(f"{path.name} has no entry '{entry_id}'.")
    examples = _value(_value(entry, "examples") or yaml.MappingNode("", []), lang)
    if not isinstance(examples, yaml.SequenceNode) or examples.flow_style or not examples.value:
        raise EditError(
            f"the entry '{entry_id}' in {path.name} has no list of {LANGUAGE_NAMES[lang]} examples "
            f"written one per line; add the example by hand under 'examples:' -> '{lang}:'."
        )
    lines = source.splitlines(keepends=True)
    first = examples.value[0].start_mark.line
    indent = _dash_indent(lines, first)
    at = _line_after(examples.value[-1])
    if at > 0 and not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    lines.insert(at, f"{' ' * indent}- {scalar(text)}\n")
    new_text = "".join(lines)
    # The only change must be this example, at the end of this list.
    expected = copy.deepcopy(_raw_entries(source))
    for raw in expected:
        if isinstance(raw, dict) and raw.get("id") == entry_id:
            raw["examples"][lang].append(text)
    if not expected or _raw_entries(new_text) != expected:
        raise EditError(
            f"could not add the example to {path.name} automatically; add it by hand under "
            f"'{entry_id}' -> 'examples:' -> '{lang}:'."
        )
    _write_atomically(path, new_text)


def append_entry(path: Path, data: dict[str, Any], title: str | None = None) -> None:
    """Appends an entry at the end of the topic file ``path`` (created if it does not exist)."""
    if not path.exists():
        topic = path.stem
        header = (
            f"# FAQ topic: {title or topic}. Staff edit this file, then run `bot faq validate`\n"
            "# and `bot faq retrain` (see docs/staff.md).\n"
            f"topic: {scalar(topic)}\n"
            f"title: {scalar(title or topic)}\n"
            "entries:\n"
        )
        new_text = header + render_entry(data, 2)
    else:
        source = path.read_text(encoding="utf-8")
        root = _compose(source, path)
        entries = _value(root, "entries")
        if not isinstance(entries, yaml.SequenceNode) or entries.flow_style:
            raise EditError(f"{path.name} has no list under 'entries:'; fix it by hand first.")
        lines = source.splitlines(keepends=True)
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        if entries.value:
            indent = _dash_indent(lines, entries.value[0].start_mark.line)
            # After the last entry, or before the next top-level key if 'entries' is not last.
            keys = [k for k, _ in root.value]
            after = [k for k in keys if k.start_mark.line > entries.value[-1].start_mark.line]
            at = after[0].start_mark.line if after else len(lines)
            block = ("\n" if at and lines[at - 1].strip() else "") + render_entry(data, indent)
        else:
            raise EditError(f"{path.name} has an empty 'entries:' list; add the entry by hand.")
        lines.insert(at, block)
        new_text = "".join(lines)
    old_entries = _raw_entries(path.read_text(encoding="utf-8")) if path.exists() else []
    new_entries = _raw_entries(new_text)
    added = new_entries[-1] if new_entries else {}
    same_texts = isinstance(added, dict) and all(
        (added.get("answer") or {}).get(lang) == str(data["answer"][lang])
        and (added.get("examples") or {}).get(lang) == data["examples"][lang]
        for lang in LANGUAGES
        if data["answer"][lang] and data["examples"][lang]
    )
    if new_entries[:-1] != old_entries or not same_texts or added.get("id") != data["id"]:
        raise EditError(f"could not append the entry to {path.name} automatically; add it by hand.")
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(path, new_text)


def _entry_lines(source: str, path: Path, entry_id: str) -> tuple[list[str], int, int, int]:
    """The file's lines, and where the entry ``entry_id`` starts and ends (its dash indent)."""
    root = _compose(source, path)
    entries = _value(root, "entries")
    items = list(getattr(entries, "value", []))
    index = next(
        (i for i, e in enumerate(items) if getattr(_value(e, "id"), "value", None) == entry_id), None
    )
    if index is None or not isinstance(entries, yaml.SequenceNode) or entries.flow_style:
        raise EditError(f"{path.name} has no entry '{entry_id}' written as a list item.")
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    start = items[index].start_mark.line
    indent = _dash_indent(lines, start)
    if index + 1 < len(items):
        end = items[index + 1].start_mark.line
        while end > start + 1 and not lines[end - 1].strip():  # keep the blank line between entries
            end -= 1
    else:
        keys = [k for k, _ in root.value if k.start_mark.line > start]
        end = keys[0].start_mark.line if keys else len(lines)
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
    return lines, start, end, indent


def replace_entry(path: Path, data: dict[str, Any]) -> None:
    """Rewrites the entry ``data["id"]`` of ``path`` with ``data``; the other entries and
    their comments stay as they are."""
    source = path.read_text(encoding="utf-8")
    lines, start, end, indent = _entry_lines(source, path, data["id"])
    new_text = "".join(lines[:start]) + render_entry(data, indent) + "".join(lines[end:])
    old, new = _raw_entries(source), _raw_entries(new_text)
    changed = [i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
    if len(old) != len(new) or len(changed) > 1 or (changed and new[changed[0]].get("id") != data["id"]):
        raise EditError(f"could not rewrite the entry '{data['id']}' in {path.name} automatically.")
    _write_atomically(path, new_text)


def remove_entry(path: Path, entry_id: str) -> None:
    """Deletes the entry ``entry_id`` from ``path`` (the file goes when it was the last one)."""
    source = path.read_text(encoding="utf-8")
    lines, start, end, _ = _entry_lines(source, path, entry_id)
    old = _raw_entries(source)
    if len(old) == 1:
        path.unlink()
        return
    while end < len(lines) and not lines[end].strip():
        end += 1
    new_text = "".join(lines[:start]) + "".join(lines[end:])
    expected = [e for e in old if not (isinstance(e, dict) and e.get("id") == entry_id)]
    if _raw_entries(new_text) != expected:
        raise EditError(f"could not remove the entry '{entry_id}' from {path.name} automatically.")
    _write_atomically(path, new_text)


def _raw_entries(text: str) -> list[Any]:
    try:
        raw = parse_yaml(text)
    except yaml.YAMLError:
        return []
    return list(raw.get("entries") or []) if isinstance(raw, dict) else []


# -- checked changes -----------------------------------------------------------------------


def find_entry(faq_dir: Path, entry_id: str) -> Entry | None:
    topics, _ = read_topics(faq_dir)
    return next((e for e in all_entries(topics) if e.id == entry_id), None)


def checked_change(
    paths: FaqPaths, change: Callable[[Path], None], validate_similarity: bool = True
) -> Report:
    """Makes ``change`` (given a FAQ folder) on a copy, validates it, and copies the changed
    files back only if the change added no error. Returns the validation report."""
    shown = FaqPaths(faq_dir=paths.faq_dir, root=paths.root, shown_dir=paths.shown)
    before = validate(shown, similarity=False, languages=False)
    with tempfile.TemporaryDirectory(prefix="faq-edit-") as tmp:
        copy_dir = Path(tmp) / paths.faq_dir.name
        copy_dir.mkdir()
        for path in topic_files(paths.faq_dir):
            shutil.copy2(path, copy_dir / path.name)
        change(copy_dir)
        copy_paths = FaqPaths(faq_dir=copy_dir, root=paths.root, shown_dir=paths.shown)
        report = validate(copy_paths, similarity=validate_similarity)
        old = set(before.errors)
        new_errors = [p for p in report.errors if p not in old]
        if new_errors:
            raise EditRejected(new_errors, report)
        for path in topic_files(copy_dir):
            target = paths.faq_dir / path.name
            text = path.read_text(encoding="utf-8")
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                _write_atomically(target, text)
    return report
