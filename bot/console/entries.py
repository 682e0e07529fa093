"""FAQ entries in the console: the live ones (the faq/*.yml files) and their versions.

Where the truth is: the files under faq/ hold the entries that patients get (what the
model was trained on); the console database holds every version, drafts and history. An
edit in the console is a version (draft -> pending -> approved by someone else); only
publishing writes approved versions into the files. An edit made by a developer in the
files directly shows up here as an "imported" version, so the two never disagree.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from bot.console import store
from bot.console.auth import Staff
from bot.console.settings import Project
from bot.errors import ConsoleError
from bot.faq.edit import EditError, EntryDraft, append_entry, remove_entry, replace_entry
from bot.faq.model import ENTRY_ID, LANGUAGES, Entry, Topic, all_entries, read_topics, topic_files
from bot.faq.paths import FaqPaths
from bot.faq.problems import Problem
from bot.faq.validate import validate

OPEN = ("draft", "pending", "approved")  # at most one open version per entry
IMPORTED = "imported"  # the live text, read from the files (first sight, or edited there)
_SYNC = threading.Lock()


# -- entry data (the JSON kept in each version) -------------------------------------------------


def entry_data(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "topic": entry.file.stem,
        "answer": dict(entry.answer),
        "examples": {lang: list(entry.examples[lang]) for lang in LANGUAGES},
        "source": {"document": dict(entry.source.document), "date": dict(entry.source.date)},
        "review_by": entry.review_by.isoformat() if entry.review_by else "",
        "quick_replies": {k: v for k, v in entry.quick_replies.items() if v},
        "retired": False,
    }


def clean_data(raw: Any, entry_id: str | None = None) -> dict[str, Any]:
    """Entry data as sent by the console's form, normalised (texts stripped, lists cleaned)."""
    if not isinstance(raw, dict):
        raise ConsoleError("the entry must be a JSON object with id, topic, answer, examples, source, review_by.")

    def texts(value: Any) -> dict[str, str]:
        value = value if isinstance(value, dict) else {}
        return {lang: " ".join(str(value.get(lang) or "").split()) for lang in LANGUAGES}

    def lists(value: Any) -> dict[str, list[str]]:
        value = value if isinstance(value, dict) else {}
        out: dict[str, list[str]] = {}
        for lang in LANGUAGES:
            items = value.get(lang) or []
            if isinstance(items, str):
                items = items.splitlines()
            out[lang] = [" ".join(str(i).split()) for i in items if isinstance(i, str) and i.strip()]
        return out

    source = raw.get("source") if isinstance(raw.get("source"), dict) else {}
    quick = raw.get("quick_replies") if isinstance(raw.get("quick_replies"), dict) else {}
    data = {
        "id": str(entry_id or raw.get("id") or "").strip(),
        "topic": str(raw.get("topic") or "").strip(),
        "answer": texts(raw.get("answer")),
        "examples": lists(raw.get("examples")),
        "source": {"document": texts(source.get("document")), "date": texts(source.get("date"))},
        "review_by": str(raw.get("review_by") or "").strip(),
        "quick_replies": {k: v for k, v in lists(quick).items() if v},
        "retired": bool(raw.get("retired")),
    }
    if not ENTRY_ID.match(data["id"]):
        raise ConsoleError(
            "the id must be 3 to 61 lowercase letters, digits or _, starting with a letter "
            "(e.g. visiting_hours)."
        )
    if not ENTRY_ID.match(data["topic"]):
        raise ConsoleError("choose the topic the entry belongs to (e.g. center).")
    return data


def yaml_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The entry as it is written in faq/*.yml (same layout as `bot faq add`)."""
    draft = EntryDraft(
        id=data["id"], answer=data["answer"], examples=data["examples"],
        source_document=data["source"]["document"], source_date=data["source"]["date"], review_by=None,
        extra={"quick_replies": data["quick_replies"]} if data.get("quick_replies") else {},
    )
    fields = draft.to_data()
    # Kept as written: a wrong date gets the same message as in the files.
    fields["review_by"] = data["review_by"] or None
    if fields["review_by"] is None:
        del fields["review_by"]
    return fields


# -- applying versions to a FAQ folder ---------------------------------------------------------


def apply(faq_dir: Path, changes: list[dict[str, Any]]) -> None:
    """Writes entry data into the topic files of ``faq_dir`` (replace, add, or retire)."""
    topics, _ = read_topics(faq_dir)
    where = {e.id: e.file.name for e in all_entries(topics)}
    for data in changes:
        current = where.get(data["id"])
        if data.get("retired"):
            if current:
                remove_entry(faq_dir / current, data["id"])
            continue
        target = f"{data['topic']}.yml"
        if current == target:
            replace_entry(faq_dir / current, yaml_fields(data))
        else:
            if current:  # moved to another topic
                remove_entry(faq_dir / current, data["id"])
            append_entry(faq_dir / target, yaml_fields(data), data["topic"])


def copy_faq(faq_dir: Path, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    for path in topic_files(faq_dir):
        shutil.copy2(path, into / path.name)
    return into


# -- validation, as `bot faq validate` --------------------------------------------------------


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "severity": problem.severity.value, "where": problem.where, "entry": problem.entry,
        "message": problem.message, "fix": problem.fix, "text": problem.render(),
    }


def check(project: Project, data: dict[str, Any], full: bool = False) -> list[dict[str, Any]]:
    """The problems `bot faq validate` would report for this entry once written (and any
    error it would add elsewhere), with their `Fix:` lines."""
    shown = FaqPaths(faq_dir=project.faq_dir, root=project.root, shown_dir="faq")
    before = set(validate(shown, similarity=False, languages=False).errors)
    with tempfile.TemporaryDirectory(prefix="console-check-") as tmp:
        faq_dir = copy_faq(project.faq_dir, Path(tmp) / "faq")
        try:
            apply(faq_dir, [data])
        except EditError as exc:
            return [{"severity": "error", "where": f"faq/{data['topic']}.yml", "entry": data["id"],
                     "message": str(exc), "fix": "ask a developer to look at the file.", "text": str(exc)}]
        paths = FaqPaths(faq_dir=faq_dir, root=project.root, shown_dir="faq")
        report = validate(paths, similarity=full, languages=full)
    found = [p for p in [*report.errors, *report.warnings]
             if p.entry == data["id"] or (p.is_error and p not in before)]
    return [_problem_json(p) for p in found]


# -- versions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    id: int
    entry_id: str
    number: int
    data: dict[str, Any]
    status: str
    author: str
    created_at: float
    note: str
    reviewer: str | None
    reviewed_at: float | None
    comment: str | None
    publication_id: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "entry_id": self.entry_id, "number": self.number, "data": self.data,
            "status": self.status, "author": self.author, "created_at": _iso(self.created_at),
            "note": self.note, "reviewer": self.reviewer, "reviewed_at": _iso(self.reviewed_at),
            "comment": self.comment, "publication_id": self.publication_id,
        }


def _iso(at: float | None) -> str | None:
    return dt.datetime.fromtimestamp(at, dt.timezone.utc).isoformat(timespec="seconds") if at else None


def _version(row: Any) -> Version:
    return Version(
        row.id, row.entry_id, row.number, json.loads(row.data), row.status, row.author, row.created_at,
        row.note or "", row.reviewer, row.reviewed_at, row.comment, row.publication_id,
    )


def versions_of(engine: Engine, entry_id: str) -> list[Version]:
    with engine.begin() as conn:
        rows = conn.execute(
            select(store.versions).where(store.versions.c.entry_id == entry_id).order_by(store.versions.c.number.desc())
        ).all()
    return [_version(r) for r in rows]


def get_version(engine: Engine, version_id: int) -> Version:
    with engine.begin() as conn:
        row = conn.execute(select(store.versions).where(store.versions.c.id == version_id)).first()
    if row is None:
        raise ConsoleError(f"there is no version {version_id}.", 404)
    return _version(row)


def versions_with(engine: Engine, statuses: tuple[str, ...]) -> list[Version]:
    with engine.begin() as conn:
        rows = conn.execute(
            select(store.versions).where(store.versions.c.status.in_(statuses)).order_by(store.versions.c.id)
        ).all()
    return [_version(r) for r in rows]


def _insert(engine: Engine, data: dict[str, Any], status: str, author: str, note: str = "") -> Version:
    with engine.begin() as conn:
        numbers = conn.execute(
            select(store.versions.c.number).where(store.versions.c.entry_id == data["id"])
        ).scalars().all()
        if status in OPEN:  # a new draft replaces the entry's previous open one
            conn.execute(
                update(store.versions)
                .where(store.versions.c.entry_id == data["id"], store.versions.c.status.in_(OPEN))
                .values(status="superseded")
            )
        result = conn.execute(store.versions.insert().values(
            entry_id=data["id"], number=max(numbers, default=0) + 1, data=json.dumps(data, ensure_ascii=False),
            status=status, author=author, created_at=time.time(), note=note,
        ))
        version_id = int(result.inserted_primary_key[0])
    return get_version(engine, version_id)


def live_topics(project: Project) -> list[Topic]:
    topics, _ = read_topics(project.faq_dir, "faq")
    return topics


def live_data(project: Project) -> dict[str, dict[str, Any]]:
    return {e.id: entry_data(e) for e in all_entries(live_topics(project))}


def sync_from_files(engine: Engine, project: Project) -> dict[str, dict[str, Any]]:
    """Records the live text of each entry as a version when the history does not have it
    yet (first run, or a developer edited the file): the history is then complete."""
    with _SYNC:  # two requests at once must not both record the same import
        return _sync(engine, project)


def _sync(engine: Engine, project: Project) -> dict[str, dict[str, Any]]:
    live = live_data(project)
    with engine.begin() as conn:
        rows = conn.execute(
            select(store.versions.c.entry_id, store.versions.c.data)
            .where(store.versions.c.status.in_(("published", IMPORTED)))
            .order_by(store.versions.c.id)
        ).all()
    last = {r.entry_id: json.loads(r.data) for r in rows}
    for entry_id, data in live.items():
        known = last.get(entry_id)
        if known is None or {**known, "retired": False} != data:
            _insert(engine, data, IMPORTED, "(faq files)", "read from the faq/ files")
    return live


def _open_version(engine: Engine, entry_id: str) -> Version | None:
    return next((v for v in versions_of(engine, entry_id) if v.status in OPEN), None)


def list_entries(engine: Engine, project: Project, query: str = "") -> list[dict[str, Any]]:
    """Every entry by topic with its review date and where its latest change stands."""
    live = sync_from_files(engine, project)
    titles = {t.file.stem: t.title for t in live_topics(project)}
    today = dt.date.today()
    rows: dict[str, dict[str, Any]] = {}
    for entry_id, data in live.items():
        rows[entry_id] = {"data": data, "live": True}
    for version in versions_with(engine, OPEN + ("rejected",)):
        if version.status == "rejected" and _open_version(engine, version.entry_id):
            continue
        row = rows.setdefault(version.entry_id, {"data": version.data, "live": False})
        row["change"] = {"status": version.status, "version": version.id, "author": version.author}
    needle = query.strip().lower()
    result = []
    for entry_id, row in rows.items():
        data = row["data"]
        haystack = " ".join([entry_id, *data["answer"].values(), *sum(data["examples"].values(), [])]).lower()
        if needle and needle not in haystack:
            continue
        review = data.get("review_by") or ""
        try:
            overdue = bool(review) and dt.date.fromisoformat(review) < today
        except ValueError:
            overdue = False
        result.append({
            "id": entry_id, "topic": data["topic"], "topic_title": titles.get(data["topic"], data["topic"]),
            "question": (data["examples"]["en"] or data["examples"]["fr"] or [""])[0],
            "review_by": review, "overdue": overdue, "live": row["live"],
            "change": row.get("change"),
        })
    return sorted(result, key=lambda r: (r["topic"], r["id"]))


def entry_detail(engine: Engine, project: Project, entry_id: str) -> dict[str, Any]:
    live = sync_from_files(engine, project)
    history = versions_of(engine, entry_id)
    if entry_id not in live and not history:
        raise ConsoleError(f"there is no entry '{entry_id}'.", 404)
    current = _open_version(engine, entry_id)
    return {
        "id": entry_id,
        "live": live.get(entry_id),
        "open": current.to_json() if current else None,
        "versions": [v.to_json() for v in history],
    }


def save(engine: Engine, project: Project, staff: Staff, raw: Any, submit: bool, note: str = "") -> dict[str, Any]:
    """A new version of an entry: a draft, or submitted for review when it has no error."""
    data = clean_data(raw)
    live = sync_from_files(engine, project)
    if data["id"] not in live and not versions_of(engine, data["id"]) and data.get("retired"):
        raise ConsoleError(f"there is no entry '{data['id']}' to retire.", 404)
    problems = [] if data.get("retired") else check(project, data, full=submit)
    errors = [p for p in problems if p["severity"] == "error"]
    if submit and errors:
        raise ConsoleError(
            "the entry has errors: fix them as described, then submit again.", 422, problems
        )
    if data == live.get(data["id"]) and _open_version(engine, data["id"]) is None:
        raise ConsoleError("nothing was changed compared with the live entry.", 409, problems)
    version = _insert(engine, data, "pending" if submit else "draft", staff.name, note)
    action = "retire_submitted" if data.get("retired") else ("submitted" if submit else "draft_saved")
    store.record(engine, staff.name, action, data["id"], {"version": version.id})
    return {"version": version.to_json(), "problems": problems}


def submit_draft(engine: Engine, project: Project, staff: Staff, version_id: int) -> dict[str, Any]:
    version = get_version(engine, version_id)
    if version.status != "draft":
        raise ConsoleError(f"version {version_id} is {version.status}, not a draft.", 409)
    return save(engine, project, staff, version.data, submit=True, note=version.note)


def review(engine: Engine, staff: Staff, version_id: int, approve: bool, comment: str = "") -> Version:
    """Medical sign-off: approve or reject a pending version, never one's own."""
    version = get_version(engine, version_id)
    if version.status != "pending":
        raise ConsoleError(f"version {version_id} is {version.status}: only versions waiting for "
                           "review can be approved or rejected.", 409)
    if version.author == staff.name:
        raise ConsoleError("you wrote this version: another reviewer must sign it off.", 403)
    if not approve and not comment.strip():
        raise ConsoleError("say why it is rejected, so that the author can fix it (comment).")
    with engine.begin() as conn:
        conn.execute(update(store.versions).where(store.versions.c.id == version_id).values(
            status="approved" if approve else "rejected", reviewer=staff.name, reviewed_at=time.time(),
            comment=comment.strip() or None,
        ))
    store.record(engine, staff.name, "approved" if approve else "rejected", version.entry_id,
                 {"version": version_id, "comment": comment.strip()})
    return get_version(engine, version_id)


def restore(engine: Engine, project: Project, staff: Staff, version_id: int) -> dict[str, Any]:
    """An older version back as a new version waiting for review (history is never rewritten)."""
    version = get_version(engine, version_id)
    result = save(engine, project, staff, version.data, submit=True, note=f"restores version {version.number}")
    store.record(engine, staff.name, "restored", version.entry_id, {"from": version_id})
    return result


def diff(project: Project, version: Version) -> dict[str, Any]:
    """FR/EN differences of a version against the live entry, word by word."""
    live = live_data(project).get(version.entry_id)
    out: dict[str, Any] = {"entry_id": version.entry_id, "new_entry": live is None,
                           "retired": bool(version.data.get("retired"))}
    for lang in LANGUAGES:
        before = (live or {}).get("answer", {}).get(lang, "")
        after = "" if version.data.get("retired") else version.data["answer"][lang]
        out[lang] = {
            "answer": word_diff(before, after),
            "examples_added": [e for e in version.data["examples"][lang] if e not in (live or {}).get("examples", {}).get(lang, [])],
            "examples_removed": [e for e in (live or {}).get("examples", {}).get(lang, []) if e not in version.data["examples"][lang]],
        }
    fields = ("source", "review_by", "topic")
    out["other_changes"] = [f for f in fields if (live or {}).get(f) != version.data.get(f)] if live else []
    return out


def word_diff(before: str, after: str) -> list[dict[str, str]]:
    """[{op: same|added|removed, text}], words grouped."""
    a, b = before.split(), after.split()
    parts: list[dict[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append({"op": "same", "text": " ".join(a[i1:i2])})
            continue
        if i2 > i1:
            parts.append({"op": "removed", "text": " ".join(a[i1:i2])})
        if j2 > j1:
            parts.append({"op": "added", "text": " ".join(b[j1:j2])})
    return parts
