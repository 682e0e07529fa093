"""What staff do to the FAQ, for every caller (``bot faq``, ``bot inbox``, ``bot train``/``run``,
the staff console): read entries from a staff file, add them, generate the Rasa files, train.

Nothing here prints: failures are :mod:`bot.errors` (EditError, EditRejected, FaqBuildError,
TrainingFailed), with a message for staff; the callers say what happened.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from bot.errors import EditError
from bot.faq import generate
from bot.faq.edit import EntryDraft, append_entry, checked_change, draft_from_data
from bot.faq.generate import BuildResult
from bot.faq.model import ENTRY_ID, parse_yaml, yaml_problem
from bot.faq.paths import FaqPaths
from bot.faq.problems import Report
from bot.runtime.model import ensure_model

# An entry of a staff file, the topic it names (if any) and that topic's title (if any).
FoundDraft = tuple[EntryDraft, str | None, str | None]


def drafts_from_file(path: Path, topic: str | None) -> list[FoundDraft]:
    """Entries of a staff file: one entry, a list of entries, or a whole topic file."""
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EditError(f"there is no file {path}.") from None
    except yaml.YAMLError as exc:
        problem = yaml_problem(exc, str(path))
        raise EditError(f"{problem.message}. Fix: {problem.fix}") from None
    title = None
    if isinstance(raw, dict) and "entries" in raw:
        topic = topic or raw.get("topic")
        title = raw.get("title")
        raw = raw["entries"]
    items = raw if isinstance(raw, list) else [raw]
    drafts = []
    for index, item in enumerate(items):
        draft = draft_from_data(item, f"{path}, entry number {index + 1}")
        drafts.append((draft, draft.topic or topic, title))
    return drafts


def topic_file_for(paths: FaqPaths, topic: str | None, where: str) -> Path:
    if not topic:
        raise EditError(f"{where}: say which topic it belongs to, with --topic NAME (e.g. --topic center).")
    if not ENTRY_ID.match(topic):
        raise EditError(f"the topic name '{topic}' must be lowercase letters, digits and _ (e.g. practical).")
    return paths.faq_dir / f"{topic}.yml"


def add_entries(paths: FaqPaths, drafts: list[tuple[EntryDraft, Path, str | None]]) -> Report:
    """Appends the entries to their topic files, if the FAQ stays valid (else EditRejected)."""

    def change(faq_dir: Path) -> None:
        for draft, topic_file, title in drafts:
            append_entry(faq_dir / topic_file.name, draft.to_data(), title)

    return checked_change(paths, change)


def build(paths: FaqPaths | None = None, check_only: bool = False) -> BuildResult:
    """Generates the Rasa files from the FAQ (FaqBuildError when it has errors)."""
    paths = paths or FaqPaths()
    return generate.build(paths.faq_dir, check_only=check_only, root=paths.root)


def train(force: bool = False) -> Path:
    """The project's model for its current FAQ, in two explicit steps: the FAQ's generated
    files (inputs of the model) are brought up to date, then the model is trained if any input
    changed (FaqBuildError, TrainingFailed)."""
    build()
    return ensure_model(force=force)
