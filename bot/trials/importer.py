"""Importing registry files into the store: idempotent, per-record error isolation, bulk writes.

Records are parsed and checked in Python first; the database then receives batches of
whole-table ``INSERT``/``DELETE`` statements. A batch the database refuses is retried one record
at a time, so one bad record never costs the others, and nothing already stored is deleted:
a trial missing from an import stays as it is.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError

from bot.settings import PROJECT_ROOT
from bot.trials import indexing
from bot.trials.db import get_engine, resolve_url
from bot.trials.formats import UnsupportedDocument, parser_for, split
from bot.trials.models import (
    Trial,
    TrialSearch,
    TrialStatusChange,
    TrialTerm,
    age_in_days,
    search_rank,
)
from bot.trials.records import (
    CLOSED_RANK,
    JOINED,
    STATUS_RANK,
    FieldError,
    TrialRecord,
    child_fields,
    to_columns,
)

BATCH_SIZE = 400
MAX_FILE_BYTES = 200 * 1024 * 1024
IGNORED_NAMES = {"manifest.json", "package.json", "package-lock.json"}
# Record field -> (ORM model of its child table, item type): the relationship of that name.
_CHILDREN = {name: (Trial.__mapper__.relationships[name].mapper.class_, item)
             for name, item in child_fields(TrialRecord).items()}
_CHILD_TABLES = tuple(model for model, _ in _CHILDREN.values())


@dataclass(frozen=True)
class Issue:
    """A record (or file) that was not imported, and why: file, element, field, reason."""

    file: str
    element: str
    field: str
    reason: str
    nct_id: str | None = None

    def __str__(self) -> str:
        where = self.file + (f" {self.element}" if self.element else "")
        who = f" ({self.nct_id})" if self.nct_id else ""
        what = f"{self.field}: " if self.field else ""
        return f"{where}{who}: {what}{self.reason}"


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)  # new trials
    updated: list[str] = field(default_factory=list)  # content changed
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    status_changes: list[tuple[str, str, str]] = field(default_factory=list)  # (nct, old, new)
    files: int = 0
    seconds: float = 0.0

    @property
    def stored(self) -> int:
        return len(self.imported) + len(self.updated) + len(self.unchanged)

    @property
    def ok(self) -> bool:
        return not self.skipped

    def __str__(self) -> str:  # print(report) shows the summary, not every field
        return self.summary()

    def summary(self) -> str:
        lines = [
            f"{self.files} file(s): {len(self.imported)} imported, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped ({self.seconds:.1f} s)"
        ]
        lines += [f"  status {nct}: {old} -> {new}" for nct, old, new in self.status_changes[:50]]
        lines += [f"  skipped {issue}" for issue in self.skipped]
        lines += [f"  ignored {name}" for name in self.ignored_files]
        return "\n".join(lines)


@dataclass(frozen=True)
class _Parsed:
    record: TrialRecord
    source: str  # file (+ element) it came from


def import_paths(paths: Iterable[str | Path], database_url: str | None = None,
                 *, batch_size: int = BATCH_SIZE) -> ImportReport:
    """Imports files and directories (``*.json`` inside, recursively) into the store."""
    report = ImportReport()
    started = time.perf_counter()
    files = list(_expand(paths, report))
    report.files = len(files)
    url = resolve_url(database_url)
    _import(_parse_files(files, report), url, report, batch_size)
    _refresh_statistics(url, report)
    report.seconds = time.perf_counter() - started
    return report


def import_documents(documents: Iterable[tuple[str, Any]], database_url: str | None = None,
                     *, batch_size: int = BATCH_SIZE) -> ImportReport:
    """Imports already-parsed JSON documents, each named by a source label (tests, tools)."""
    report = ImportReport()
    started = time.perf_counter()

    def parsed() -> Iterator[_Parsed]:
        seen: dict[str, str] = {}
        for label, doc in documents:
            report.files += 1
            yield from _parse_document(label, doc, report, seen)

    url = resolve_url(database_url)
    _import(parsed(), url, report, batch_size)
    _refresh_statistics(url, report)
    report.seconds = time.perf_counter() - started
    return report


ANALYZE_AFTER = 1000  # changed trials


def _refresh_statistics(url: str, report: ImportReport) -> None:
    refresh_statistics(url, len(report.imported) + len(report.updated))


def refresh_statistics(url: str, changed: int) -> None:
    """After a large import on PostgreSQL, until autovacuum runs, the planner statistics are
    stale and the visibility map is empty: every posting read would then visit the table (10x
    slower searches) instead of the index alone. VACUUM ANALYZE now sets both. (SQLite needs
    neither for these queries.)"""
    engine = get_engine(url)
    if engine.dialect.name == "postgresql" and changed >= ANALYZE_AFTER:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in ("trial_terms", "trial_search", "trials"):
                connection.exec_driver_sql(f"VACUUM ANALYZE {table}")


# ---------------------------------------------------------------- reading and parsing
def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _expand(paths: Iterable[str | Path], report: ImportReport) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*.json")):
                if child.name in IGNORED_NAMES:
                    report.ignored_files.append(_display(child))
                elif child.is_file():
                    yield child
        elif path.is_file():
            yield path
        else:
            report.skipped.append(Issue(str(path), "", "", "no such file or directory"))


def _parse_files(files: list[Path], report: ImportReport) -> Iterator[_Parsed]:
    seen: dict[str, str] = {}
    for path in files:
        name = _display(path)
        doc = _read_json(path, name, report)
        if doc is not None:
            yield from _parse_document(name, doc, report, seen)


def _read_json(path: Path, name: str, report: ImportReport) -> Any | None:
    def fail(reason: str) -> None:
        report.skipped.append(Issue(name, "", "", reason))

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            fail(f"file larger than {MAX_FILE_BYTES // 2**20} MB")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        fail(f"cannot read the file ({exc.strerror or exc})")
        return None
    if not raw.strip():
        fail("empty file")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(f"not UTF-8 text (byte {exc.start})")
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        # An unterminated string runs to the end of the input: the file was cut short.
        at_end = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        truncated = " (file truncated?)" if at_end else ""
        fail(f"not valid JSON{truncated}: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return None
    except RecursionError:
        fail("not valid JSON: nested too deeply")
        return None


def _parse_document(name: str, doc: Any, report: ImportReport, seen: dict[str, str]) -> Iterator[_Parsed]:
    try:
        elements = list(split(doc))
    except UnsupportedDocument as exc:
        report.skipped.append(Issue(name, "", "", str(exc)))
        return
    if not elements:
        report.skipped.append(Issue(name, "", "", "no studies in this document"))
    for element in elements:
        source = f"{name}#{element.where}" if element.where else name
        try:
            record = parser_for(element.data)(element.data)
        except UnsupportedDocument as exc:
            report.skipped.append(Issue(name, element.where, "", str(exc)))
            continue
        except FieldError as exc:
            report.skipped.append(Issue(name, element.where, exc.path, exc.message, _guess_nct(element.data)))
            continue
        except (TypeError, ValueError, AttributeError, KeyError, RecursionError) as exc:
            # A shape no check anticipated: report it like any bad record, never crash the import.
            report.skipped.append(Issue(name, element.where, "", f"unreadable record ({type(exc).__name__}: {exc})"[:300],
                                        _guess_nct(element.data)))
            continue
        if record.nct_id in seen:
            report.skipped.append(Issue(name, element.where, "nctId",
                                        f"duplicate of {seen[record.nct_id]} in this import; first one kept",
                                        record.nct_id))
            continue
        seen[record.nct_id] = source
        yield _Parsed(record, source)


def _guess_nct(data: Any) -> str | None:
    text = json.dumps(data, default=str)[:4000] if isinstance(data, (dict, list)) else ""
    match = re.search(r"NCT\d{8}", text)
    return match.group(0) if match else None


# ---------------------------------------------------------------- writing
@dataclass
class _Rows:
    trial: dict[str, Any]
    children: dict[type, list[dict[str, Any]]]
    terms: list[str]


def _rows(parsed: _Parsed, now: dt.datetime, digest: str) -> _Rows:
    record = parsed.record
    conditions = indexing.condition_concepts(record)
    interventions = indexing.intervention_concepts(record)
    oncology = indexing.is_oncology(record)
    immunotherapy = indexing.is_immunotherapy(record, interventions, oncology)
    nct = record.nct_id
    trial = {
        **to_columns(record),
        "status_rank": STATUS_RANK.get(record.overall_status, CLOSED_RANK),
        "condition_names": JOINED.encode(record.conditions),
        "site_count": len(record.sites),
        "locations_digest": json.dumps(indexing.locations_digest(record), ensure_ascii=False),
        "immunotherapy": immunotherapy,
        "oncology": oncology,
        "source_file": parsed.source,
        "content_hash": digest,
        "imported_at": now,
    }
    children = {
        model: [{"nct_id": nct, "position": i, **(to_columns(x) if item else {"name": x})}
                for i, x in enumerate(getattr(record, name))]
        for name, (model, item) in _CHILDREN.items()
    }
    return _Rows(trial, children, sorted(indexing.terms(record, conditions, interventions, immunotherapy)))


def _batches(items: Iterable[_Parsed], size: int) -> Iterator[list[_Parsed]]:
    batch: list[_Parsed] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _refused(exc: Exception) -> bool:
    """True if the database (or the driver) refused this data, as opposed to being unusable.

    Constraint and value errors are about a record; operational errors (server gone, file
    locked, missing table) are about the store, and abort the import instead.
    """
    if isinstance(exc, (IntegrityError, DataError)):
        return True
    return isinstance(exc, StatementError) and not isinstance(exc, DBAPIError)


class _LazyRows:
    """Table rows per trial, built on first use: unchanged records never need them."""

    def __init__(self, batch: list[_Parsed]) -> None:
        self.now = dt.datetime.now(dt.timezone.utc)
        self.items = {p.record.nct_id: p for p in batch}
        self.hashes = {p.record.nct_id: indexing.content_hash(p.record) for p in batch}
        self._built: dict[str, _Rows] = {}

    def __getitem__(self, nct: str) -> _Rows:
        if nct not in self._built:
            self._built[nct] = _rows(self.items[nct], self.now, self.hashes[nct])
        return self._built[nct]


def _import(parsed: Iterable[_Parsed], url: str, report: ImportReport, batch_size: int) -> None:
    engine = get_engine(url)
    for batch in _batches(parsed, batch_size):
        rows = _LazyRows(batch)
        outcome = _Outcome()
        try:
            with engine.begin() as connection:
                _write(connection, batch, rows, outcome)
        except StatementError as exc:
            if not _refused(exc):
                raise
            outcome = _isolate(engine, batch, rows)
        outcome.apply(report)


def _isolate(engine: Engine, batch: list[_Parsed], rows: _LazyRows) -> _Outcome:
    """Writes a refused batch one record per transaction, reporting the records refused."""
    outcome = _Outcome()
    for item in batch:
        single = _Outcome()
        try:
            with engine.begin() as connection:
                _write(connection, [item], rows, single)
        except StatementError as exc:
            if not _refused(exc):
                raise
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
            outcome.skipped.append(Issue(item.source, "", "", f"database refused the record: {reason}",
                                         item.record.nct_id))
            continue
        outcome.merge(single)
    return outcome


@dataclass
class _Outcome:
    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)
    status_changes: list[tuple[str, str, str]] = field(default_factory=list)

    def merge(self, other: _Outcome) -> None:
        for name in ("imported", "updated", "unchanged", "skipped", "status_changes"):
            getattr(self, name).extend(getattr(other, name))

    def apply(self, report: ImportReport) -> None:
        report.imported += self.imported
        report.updated += self.updated
        report.unchanged += self.unchanged
        report.skipped += self.skipped
        report.status_changes += self.status_changes


def _write(connection: Connection, batch: list[_Parsed], rows: _LazyRows, outcome: _Outcome) -> None:
    ids = [p.record.nct_id for p in batch]
    existing = {
        row.nct_id: row
        for row in connection.execute(
            select(Trial.nct_id, Trial.content_hash, Trial.overall_status, Trial.snapshot_date,
                   Trial.featured, Trial.hidden, Trial.left_query_at)
            .where(Trial.nct_id.in_(ids))
        )
    }
    new, changed = [], []
    history: list[dict[str, Any]] = []
    for item in batch:
        record = item.record
        old = existing.get(record.nct_id)
        if old is None:
            new.append(record.nct_id)
            history.append(_history(record, None, rows.now, item.source))
        elif old.content_hash == rows.hashes[record.nct_id]:
            outcome.unchanged.append(record.nct_id)
        elif old.snapshot_date and record.snapshot_date and record.snapshot_date < old.snapshot_date:
            outcome.skipped.append(Issue(
                item.source, "", "snapshot date",
                f"older copy ({record.snapshot_date}) than the stored one ({old.snapshot_date}); stored one kept",
                record.nct_id))
        else:
            changed.append(record.nct_id)
            if old.overall_status != record.overall_status:
                history.append(_history(record, old.overall_status, rows.now, item.source))
                outcome.status_changes.append((record.nct_id, old.overall_status, record.overall_status))

    if changed:
        search_ids = dict(connection.execute(
            select(TrialSearch.nct_id, TrialSearch.id).where(TrialSearch.nct_id.in_(changed))).all())
        connection.execute(delete(TrialTerm).where(TrialTerm.trial_id.in_(list(search_ids.values()))))
        for table in _CHILD_TABLES:
            connection.execute(delete(table).where(table.nct_id.in_(changed)))
        for nct in changed:
            values = dict(rows[nct].trial)
            values.pop("nct_id")
            connection.execute(update(Trial).where(Trial.nct_id == nct).values(**values))
            search_row = _search_row(rows[nct].trial, existing[nct])
            search_row.pop("nct_id")
            connection.execute(update(TrialSearch).where(TrialSearch.nct_id == nct).values(**search_row))
    if new:
        connection.execute(insert(Trial), [
            {**rows[nct].trial, "first_imported_at": rows[nct].trial["imported_at"], "featured": False, "hidden": False}
            for nct in new
        ])
        _bulk_insert(connection, TrialSearch, [_search_row(rows[nct].trial, None) for nct in new])
    for table in _CHILD_TABLES:
        _bulk_insert(connection, table, [child for nct in new + changed for child in rows[nct].children[table]])
    if new or changed:
        # Terms point at the integer search id, known once the search rows exist.
        found = connection.execute(
            select(TrialSearch.nct_id, TrialSearch.id, TrialSearch.rank).where(TrialSearch.nct_id.in_(new + changed)))
        postings: list[tuple[Any, ...]] = []
        for nct, search_id, rank in found:
            trial = rows[nct].trial
            low, high = age_in_days(trial["min_age_years"]), age_in_days(trial["max_age_years"])
            postings += [(term, rank, search_id, low, high) for term in rows[nct].terms]
        postings.sort()  # in key order, inserts append to B-tree pages instead of scattering
        _bulk_insert_tuples(connection, TrialTerm, _POSTING_COLUMNS, postings)
    if history:
        connection.execute(insert(TrialStatusChange), history)
    outcome.imported += new
    outcome.updated += changed


def _search_row(trial: dict[str, Any], old: Any | None) -> dict[str, Any]:
    """The narrow search row; an update keeps the staff flags (and the sync's mark) of the stored trial."""
    featured, hidden, left = ((bool(old.featured), bool(old.hidden), old.left_query_at is not None)
                              if old is not None else (False, False, False))
    return {
        "nct_id": trial["nct_id"], "rank": search_rank(featured, trial["status_rank"], hidden, left),
        "overall_status": trial["overall_status"], "immunotherapy": trial["immunotherapy"],
        "min_age_years": trial["min_age_years"], "max_age_years": trial["max_age_years"],
    }


_POSTING_COLUMNS = ("term", "rank", "trial_id", "min_age_days", "max_age_days")


def _bulk_insert_tuples(connection: Connection, model: type, columns: tuple[str, ...],
                        rows: list[tuple[Any, ...]]) -> None:
    """Many rows (tuples in ``columns`` order) into one table of plain text and numbers.

    SQLAlchemy's per-row parameter handling costs as much as the database's own work here, so
    the driver is used directly: ``executemany`` on SQLite, ``COPY`` on PostgreSQL; elsewhere
    Core ``insert()``.
    """
    if not rows:
        return
    table = model.__table__.name  # type: ignore[attr-defined]
    dialect = connection.dialect.name
    if dialect == "sqlite":
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        connection.exec_driver_sql(sql, rows)
    elif dialect == "postgresql":
        _copy(connection, table, columns, rows)
    else:
        connection.execute(insert(model), [dict(zip(columns, row, strict=True)) for row in rows])


def _copy(connection: Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL ``COPY ... FROM STDIN`` (CSV) inside the current transaction."""
    buffer = io.StringIO()
    # None is written as an empty unquoted field, which COPY reads as NULL; the importer never
    # stores empty strings (they are normalised to None), so the two cannot be confused.
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)"
    dbapi = connection.connection  # the driver connection, in this transaction
    try:
        with dbapi.cursor() as cursor:
            cursor.copy_expert(sql, buffer)
    except connection.dialect.dbapi.Error as exc:  # type: ignore[union-attr]
        # Same exception classes as any statement (DataError, IntegrityError...): the caller
        # then isolates the record the database refuses.
        raise DBAPIError.instance(sql, None, exc, connection.dialect.dbapi.Error) from exc  # type: ignore[union-attr]


def _bulk_insert(connection: Connection, model: type, values: list[dict[str, Any]]) -> None:
    """Many rows given as dicts (all with the same keys); see :func:`_bulk_insert_tuples`."""
    if values:
        columns = tuple(values[0])
        _bulk_insert_tuples(connection, model, columns, [tuple(row[c] for c in columns) for row in values])


def _history(record: TrialRecord, old: str | None, now: dt.datetime, source: str) -> dict[str, Any]:
    return {"nct_id": record.nct_id, "old_status": old, "new_status": record.overall_status,
            "snapshot_date": record.snapshot_date, "recorded_at": now, "source_file": source}
