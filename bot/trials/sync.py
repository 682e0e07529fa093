"""``bot trials sync``: keep the store current from the ClinicalTrials.gov API v2.

One run, for the saved queries (``trials_sync.yml``):

1. **Changes**: every query's records last updated since the previous complete run
   (``AREA[LastUpdatePostDate]RANGE[since,MAX]``, one day of overlap: the registry posts dates,
   not times), page by page. Each page goes through the importer (same validation, status
   history and report as ``bot trials import``) in its own transaction; the resume point
   (query, ``pageToken``) is saved after the page is applied. A run stopped halfway (network,
   crash, Ctrl-C) leaves whole records only, and the next run resumes there.
2. **Membership**: the NCT numbers each query matches now (one small request per 1000).
   Matching trials missing from the store (new to the query with an old update date, or
   refused last time) are fetched by ``filter.ids``.
3. **Marks**, only after a complete run: a trial a sync once found and that no query matches
   any more is marked ``left_query_at`` (kept with its history, out of patients' results); one
   that comes back is unmarked. Staff flags (featured, hidden) are never touched.

The newest completed run's start is the next run's watermark; what each run changed is kept in
``trial_sync_runs`` (see :func:`last_sync_summary`).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from bot.errors import SyncBusy, SyncError
from bot.settings import LOG_DIR
from bot.trials import importer, store
from bot.trials.db import get_engine, resolve_url
from bot.trials.models import Trial, TrialSyncRun
from bot.trials.registry import (
    DEFAULT_API_URL,
    MAX_PAGE_SIZE,
    ClientOptions,
    RegistryClient,
    RegistryRefused,
)

log = logging.getLogger(__name__)

# What we store (bot/trials/formats/v2.py reads these); results and documents are left out.
FIELDS = ("protocolSection", "derivedSection.miscInfoModule", "derivedSection.conditionBrowseModule")
ID_FIELD = "protocolSection.identificationModule.nctId"
QUERY_PARAMS = frozenset({
    "query.term", "query.cond", "query.intr", "query.locn", "query.spons", "query.titles", "query.outc",
    "query.lead", "query.id", "query.patient", "filter.overallStatus", "filter.geo", "filter.advanced",
    "filter.synonyms", "postFilter.overallStatus", "postFilter.advanced", "aggFilters",
})
IDS_PER_REQUEST = 100  # filter.ids: keeps the URL short
MAX_PAGES = 20_000  # per query: a registry that repeats itself never loops us forever
KEPT_IN_LOG = 500  # entries per list kept in a run's changes
RUNNING, COMPLETED, FAILED, INTERRUPTED = "running", "completed", "failed", "interrupted"


# ---------------------------------------------------------------- settings
@dataclass(frozen=True)
class SavedQuery:
    name: str
    params: tuple[tuple[str, str], ...]  # API v2 parameters, e.g. ("query.locn", "Institut Curie")

    def api_params(self) -> dict[str, str]:
        return dict(self.params)


def load_queries(path: Path) -> tuple[SavedQuery, ...]:
    """The saved queries of a YAML file (``queries: [{name: ..., query.cond: ...}, ...]``)."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SyncError(f"cannot read the saved queries {path}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise SyncError(f"{path} is not valid YAML: {str(exc).splitlines()[0]}") from exc
    items = doc.get("queries") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not items:
        raise SyncError(f"{path}: expected a non-empty list under 'queries:'")
    queries, names = [], set()
    for i, item in enumerate(items):
        where = f"{path} queries[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise SyncError(f"{where}: each query needs a 'name'")
        name = item["name"].strip()
        if name in names:
            raise SyncError(f"{where}: the name {name!r} is used twice")
        names.add(name)
        params = {k: v for k, v in item.items() if k != "name"}
        unknown = sorted(set(params) - QUERY_PARAMS)
        if unknown:
            raise SyncError(f"{where} ({name}): unknown API parameter(s) {', '.join(unknown)}; "
                            f"known: {', '.join(sorted(QUERY_PARAMS))}")
        if not params or not all(isinstance(v, (str, int)) and str(v).strip() for v in params.values()):
            raise SyncError(f"{where} ({name}): give at least one parameter, each a non-empty text")
        queries.append(SavedQuery(name, tuple(sorted((k, str(v).strip()) for k, v in params.items()))))
    return tuple(queries)


@dataclass(frozen=True)
class SyncOptions:
    queries: tuple[SavedQuery, ...]
    api_url: str = DEFAULT_API_URL
    page_size: int = 200  # full records; the API allows 1000
    overlap_days: int = 1
    full: bool = False  # fetch everything the queries match, ignoring the watermark
    client: ClientOptions = field(default_factory=ClientOptions)
    stale_after_s: float = 3600.0  # a "running" run silent this long is considered dead

    def key(self) -> str:
        text = json.dumps([self.api_url.rstrip("/"), [(q.name, q.params) for q in self.queries]])
        return hashlib.sha256(text.encode()).hexdigest()


# ---------------------------------------------------------------- report
@dataclass
class SyncReport:
    run_id: int = 0
    state: str = RUNNING
    since: str | None = None
    resumed: bool = False
    pages: int = 0
    fetched: int = 0
    requests: int = 0
    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    status_changes: list[tuple[str, str, str]] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)
    matching: int | None = None  # trials the queries match now
    refused: set[str] = field(default_factory=set)  # NCT numbers skipped in this run (not asked again)
    message: str = ""
    seconds: float = 0.0

    def add(self, imported: importer.ImportReport) -> None:
        self.imported += imported.imported
        self.updated += imported.updated
        self.unchanged += len(imported.unchanged)
        self.skipped += [str(issue) for issue in imported.skipped]
        self.refused |= {issue.nct_id for issue in imported.skipped if issue.nct_id}
        self.status_changes += imported.status_changes

    def changes_json(self) -> str:
        return json.dumps({
            "imported": self.imported[:KEPT_IN_LOG], "updated": self.updated[:KEPT_IN_LOG],
            "counts": {"imported": len(self.imported), "updated": len(self.updated), "unchanged": self.unchanged,
                       "skipped": len(self.skipped), "status_changes": len(self.status_changes),
                       "left": len(self.left), "returned": len(self.returned), "requests": self.requests},
            "unchanged": self.unchanged, "skipped": self.skipped[:KEPT_IN_LOG],
            "status_changes": self.status_changes[:KEPT_IN_LOG], "left": self.left[:KEPT_IN_LOG],
            "returned": self.returned[:KEPT_IN_LOG], "matching": self.matching,
        }, ensure_ascii=False)

    def load_changes(self, text: str | None) -> None:
        """Continues the counts of an interrupted run being resumed."""
        data = json.loads(text) if text else {}
        self.imported = list(data.get("imported", []))
        self.updated = list(data.get("updated", []))
        self.unchanged = int(data.get("unchanged", 0))
        self.skipped = list(data.get("skipped", []))
        self.status_changes = [tuple(c) for c in data.get("status_changes", [])]  # type: ignore[misc]

    def summary(self) -> str:
        since = f"changes since {self.since}" if self.since else "everything the queries match"
        lines = [
            f"sync {self.state} ({since}{', resumed' if self.resumed else ''}): {self.fetched} record(s) in "
            f"{self.pages} page(s), {self.requests} request(s), {self.seconds:.1f} s",
            f"  {len(self.imported)} new, {len(self.updated)} updated, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped; {len(self.left)} left the queries, {len(self.returned)} came back"
            + (f"; {self.matching} trial(s) match the queries" if self.matching is not None else ""),
        ]
        lines += [f"  status {nct}: {old} -> {new}" for nct, old, new in self.status_changes[:50]]
        lines += [f"  left the queries (kept, hidden from patients): {nct}" for nct in self.left[:50]]
        lines += [f"  back in the queries: {nct}" for nct in self.returned[:50]]
        lines += [f"  skipped {issue}" for issue in self.skipped[:50]]
        if self.message:
            lines.append(f"  {self.message}")
        return "\n".join(lines)


# ---------------------------------------------------------------- progress
class Progress:
    """Records fetched, pages and ETA: one overwritten line on a terminal, and the log."""

    def __init__(self, stream: Any = None, *, show: bool = True) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = show and bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()

    def page(self, query: str, fetched: int, total: int | None, pages: int) -> None:
        elapsed = time.monotonic() - self.started
        eta = ""
        if total and fetched and total > fetched:
            eta = f", about {elapsed / fetched * (total - fetched):.0f} s left"
        of = f"/{total}" if total is not None else ""
        text = f"{query}: {fetched}{of} record(s), {pages} page(s), {elapsed:.0f} s{eta}"
        log.info("sync %s", text)
        if self.tty:
            self.stream.write("\r" + text.ljust(100)[:100])
            self.stream.flush()

    def reset(self) -> None:
        self.started = time.monotonic()

    def done(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


# ---------------------------------------------------------------- runs table
def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite returns naive datetimes; they were written in UTC."""
    return value.replace(tzinfo=dt.timezone.utc) if value is not None and value.tzinfo is None else value


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def _alive(owner: str | None) -> bool | None:
    """Whether the process that owns a run still exists; None if it is on another machine."""
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    if int(pid) == os.getpid():  # this process runs one sync at a time: a leftover of an earlier one
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _claim(engine: Engine, options: SyncOptions, report: SyncReport) -> tuple[int, dict[str, Any] | None]:
    """The run to do: the unfinished one of these settings (resumed), else a new one."""
    key = options.key()
    with engine.begin() as connection:
        latest = connection.execute(select(TrialSyncRun).order_by(TrialSyncRun.id.desc()).limit(1)).first()
        if latest is not None and latest.state == RUNNING:
            alive = _alive(latest.owner)
            quiet = (_now() - _aware(latest.heartbeat_at)).total_seconds()
            if alive or (alive is None and quiet < options.stale_after_s):
                raise SyncBusy(f"another sync is running (run {latest.id}, {latest.owner}, "
                               f"last page {quiet:.0f} s ago); try later")
        now = _now()
        if latest is not None and latest.state != COMPLETED and latest.config_key == key and not options.full:
            report.resumed, report.since = True, latest.since
            report.pages, report.fetched = latest.pages, latest.fetched
            report.load_changes(latest.changes)
            connection.execute(update(TrialSyncRun).where(TrialSyncRun.id == latest.id).values(
                state=RUNNING, owner=_owner(), heartbeat_at=now, message=None))
            return latest.id, json.loads(latest.resume) if latest.resume else None
        if latest is not None and latest.state == RUNNING:  # dead, and other settings: closed
            connection.execute(update(TrialSyncRun).where(TrialSyncRun.id == latest.id).values(
                state=FAILED, message="stopped without finishing (process gone)"))
        report.since = None if options.full else _watermark(connection, options.overlap_days)
        result = connection.execute(TrialSyncRun.__table__.insert().values(
            started_at=now, heartbeat_at=now, state=RUNNING, since=report.since, api_url=options.api_url,
            config_key=key, resume=json.dumps({"query": 0, "token": None}), owner=_owner(), pages=0, fetched=0))
        return int(result.inserted_primary_key[0]), {"query": 0, "token": None}


def _watermark(connection: Any, overlap_days: int) -> str | None:
    last = connection.execute(select(TrialSyncRun.started_at).where(TrialSyncRun.state == COMPLETED)
                              .order_by(TrialSyncRun.id.desc()).limit(1)).scalar()
    if last is None:
        return None
    return (_aware(last).date() - dt.timedelta(days=overlap_days)).isoformat()


def _save(engine: Engine, report: SyncReport, **values: Any) -> None:
    """The run's counts so far, and ``values`` (e.g. ``resume``: where to go on from)."""
    if "resume" in values:
        values["resume"] = json.dumps(values["resume"]) if values["resume"] is not None else None
    with engine.begin() as connection:
        connection.execute(update(TrialSyncRun).where(TrialSyncRun.id == report.run_id).values(
            heartbeat_at=_now(), pages=report.pages, fetched=report.fetched, changes=report.changes_json(),
            **values))


# ---------------------------------------------------------------- the run
def sync(options: SyncOptions, database_url: str | None = None, *, progress: Progress | None = None,
         should_stop: Callable[[], bool] = lambda: False) -> SyncReport:
    """Runs (or resumes) one sync; raises :class:`SyncError` (or ``KeyboardInterrupt``) after
    recording why in the runs table. ``should_stop`` is asked between pages (``bot run``)."""
    if not options.queries:
        raise SyncError("no saved query: add some to the queries file (see README, Trials from the registry)")
    if not 1 <= options.page_size <= MAX_PAGE_SIZE:
        raise SyncError(f"the page size must be 1 to {MAX_PAGE_SIZE}")
    url = resolve_url(database_url)
    engine = get_engine(url)
    started = time.perf_counter()
    report = SyncReport()
    report.run_id, resume = _claim(engine, options, report)
    client = RegistryClient(options.api_url, options.client)
    progress = progress or Progress(show=False)  # the log only
    try:
        _fetch_changes(client, options, url, engine, report, resume, progress, should_stop)
        _save(engine, report, resume=None)  # every change fetched: nothing to resume
        members, complete = _membership(client, options, report, progress, should_stop)
        _fetch_missing(client, options, url, engine, report, members, progress, should_stop)
        if complete:
            _mark(engine, members, report)
        importer.refresh_statistics(url, len(report.imported) + len(report.updated))
    except KeyboardInterrupt:
        report.state, report.message = INTERRUPTED, "interrupted; the next sync resumes where this one stopped"
        _finish(engine, report, started, client)
        raise
    except Exception as exc:  # noqa: BLE001 - recorded, then reported as a SyncError
        report.state = FAILED
        report.message = f"stopped: {exc}; the next sync resumes where this one stopped"
        _finish(engine, report, started, client)
        raise SyncError(report.message.removeprefix("stopped: ")) from exc
    finally:
        progress.done()
    report.state = COMPLETED
    _finish(engine, report, started, client)
    return report


def _finish(engine: Engine, report: SyncReport, started: float, client: RegistryClient) -> None:
    report.seconds = time.perf_counter() - started
    report.requests += client.requests
    client.close()
    (log.info if report.state == COMPLETED else log.warning)("%s", report.summary())
    values: dict[str, Any] = {"state": report.state, "message": report.message or None}
    if report.state == COMPLETED:
        values["finished_at"] = _now()
    try:
        _save(engine, report, **values)
    except Exception as exc:  # noqa: BLE001 - the store itself may be what failed
        log.warning("could not record the end of sync run %s: %s", report.run_id, exc)


def _pages(client: RegistryClient, params: dict[str, str], token: str | None,
           should_stop: Callable[[], bool]) -> Iterator[tuple[dict[str, Any], str | None]]:
    """(page, token it was fetched with) until the last page; stops on a repeated token."""
    for _ in range(MAX_PAGES):
        if should_stop():
            raise KeyboardInterrupt
        asked = {**params, **({"pageToken": token} if token else {"countTotal": "true"})}
        page = client.get_page(asked)
        yield page, token
        following = page.get("nextPageToken")
        if not following:
            return
        if following == token:
            raise SyncError("the registry sent the same nextPageToken twice (paging loop); stopped")
        token = following
    raise SyncError(f"more than {MAX_PAGES} pages for one query; stopped")


def _with_since(params: dict[str, str], since: str | None) -> dict[str, str]:
    if not since:
        return params
    window = f"AREA[LastUpdatePostDate]RANGE[{since},MAX]"
    own = params.get("filter.advanced")
    return {**params, "filter.advanced": f"({own}) AND {window}" if own else window}


def _apply(url: str, label: str, studies: list[Any], report: SyncReport) -> None:
    """One page of records into the store, through the importer (one transaction per batch)."""
    report.pages += 1
    if not studies:  # nothing changed since the watermark: an empty page, not an empty file
        return
    result = importer.import_documents([(label, {"studies": studies})], url, batch_size=len(studies))
    report.add(result)
    report.fetched += len(studies)


def _fetch_changes(client: RegistryClient, options: SyncOptions, url: str, engine: Engine, report: SyncReport,
                   resume: dict[str, Any] | None, progress: Progress, should_stop: Callable[[], bool]) -> None:
    if resume is None:
        return
    today = _now().date().isoformat()
    for index in range(int(resume.get("query", 0)), len(options.queries)):
        query = options.queries[index]
        token = resume.get("token") if index == resume.get("query") else None
        params = {**_with_since(query.api_params(), report.since), "pageSize": str(options.page_size),
                  "fields": ",".join(FIELDS)}
        total, fetched = None, 0
        progress.reset()
        try:
            list_pages = _pages(client, params, token, should_stop)
            first = next(list_pages, None)
        except RegistryRefused:
            if not token:
                raise
            # A saved page token the registry no longer accepts: this query again from the start
            # (records already applied come back unchanged).
            log.warning("sync: the registry refused the saved page token of %s; starting it again", query.name)
            list_pages = _pages(client, params, None, should_stop)
            first = next(list_pages, None)
        for page, _asked in _chain(first, list_pages):
            total = page.get("totalCount", total)
            studies = page["studies"]
            _apply(url, f"registry sync {today} {query.name} p{report.pages + 1}", studies, report)
            fetched += len(studies)
            following = page.get("nextPageToken")
            nxt = {"query": index, "token": following} if following else {"query": index + 1, "token": None}
            _save(engine, report, resume=nxt)
            progress.page(query.name, fetched, total, report.pages)


def _chain(first: Any, rest: Iterator[Any]) -> Iterable[Any]:
    if first is not None:
        yield first
        yield from rest


def _membership(client: RegistryClient, options: SyncOptions, report: SyncReport, progress: Progress,
                should_stop: Callable[[], bool]) -> tuple[set[str], bool]:
    """Every NCT number the queries match now, and whether each listing was complete."""
    members: set[str] = set()
    complete = True
    for query in options.queries:
        params = {**query.api_params(), "pageSize": str(MAX_PAGE_SIZE), "fields": ID_FIELD}
        ids: set[str] = set()
        total = None
        progress.reset()
        for page, _token in _pages(client, params, None, should_stop):
            total = page.get("totalCount", total)
            for study in page["studies"]:
                nct = _nct_of(study)
                if nct:
                    ids.add(nct)
            progress.page(f"{query.name} (membership)", len(ids), total, report.pages)
        if isinstance(total, int) and len(ids) < total:
            complete = False
            report.message = (f"the listing of {query.name} gave {len(ids)} of {total} trials: "
                              "no trial marked as having left the queries this time")
        members |= ids
    report.matching = len(members)
    return members, complete


def _nct_of(study: Any) -> str | None:
    try:
        value = study["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError):
        return None
    return value.strip().upper() if isinstance(value, str) else None


def _stored_ids(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(select(Trial.nct_id)).scalars())


def _fetch_missing(client: RegistryClient, options: SyncOptions, url: str, engine: Engine, report: SyncReport,
                   members: set[str], progress: Progress, should_stop: Callable[[], bool]) -> None:
    missing = sorted(members - _stored_ids(engine) - report.refused)
    today = _now().date().isoformat()
    for start in range(0, len(missing), IDS_PER_REQUEST):
        chunk = missing[start:start + IDS_PER_REQUEST]
        params = {"filter.ids": ",".join(chunk), "pageSize": str(options.page_size), "fields": ",".join(FIELDS)}
        for page, _token in _pages(client, params, None, should_stop):
            _apply(url, f"registry sync {today} missing p{report.pages + 1}", page["studies"], report)
            progress.page("missing from the store", start + len(chunk), len(missing), report.pages)


def _mark(engine: Engine, members: set[str], report: SyncReport) -> None:
    """After a complete run: which followed trials left the queries, which came back."""
    now = _now()
    with engine.begin() as connection:
        rows = connection.execute(select(Trial.nct_id, Trial.registry_seen_at, Trial.left_query_at)).all()
        left = sorted(r.nct_id for r in rows
                      if r.registry_seen_at is not None and r.left_query_at is None and r.nct_id not in members)
        returned = sorted(r.nct_id for r in rows if r.left_query_at is not None and r.nct_id in members)
        followed = sum(1 for r in rows if r.registry_seen_at is not None and r.left_query_at is None)
        if not members and followed:
            report.message = (f"the queries match no trial now (registry change?): the {followed} followed "
                              "trial(s) were not marked; check the saved queries")
            return
        present = sorted(members & {r.nct_id for r in rows})
        for chunk in _chunks(present, 500):
            connection.execute(update(Trial).where(Trial.nct_id.in_(chunk)).values(
                registry_seen_at=now, left_query_at=None))
        for chunk in _chunks(left, 500):
            connection.execute(update(Trial).where(Trial.nct_id.in_(chunk)).values(left_query_at=now))
        for chunk in _chunks(left + returned, 500):
            store.rerank(connection, chunk)
    report.left, report.returned = left, returned


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# ---------------------------------------------------------------- for the console
@dataclass(frozen=True)
class SyncSummary:
    """The newest sync run, for staff screens."""

    run_id: int
    state: str  # running | completed | failed | interrupted
    started_at: dt.datetime
    finished_at: dt.datetime | None
    since: str | None
    pages: int
    fetched: int
    counts: dict[str, int]  # imported, updated, unchanged, skipped, status_changes, left, returned
    status_changes: list[tuple[str, str, str]]  # (NCT, old, new), at most KEPT_IN_LOG
    left: list[str]
    returned: list[str]
    skipped: list[str]
    message: str | None
    last_completed_at: dt.datetime | None  # start of the newest completed run (the watermark)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (dates as ISO 8601 text), for a web API."""
        data = dataclasses.asdict(self)
        for key in ("started_at", "finished_at", "last_completed_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def last_sync_summary(database_url: str | None = None) -> SyncSummary | None:
    """When the last sync ran and what it changed; None if no sync ever ran."""
    engine = get_engine(resolve_url(database_url))
    with engine.connect() as connection:
        run = connection.execute(select(TrialSyncRun).order_by(TrialSyncRun.id.desc()).limit(1)).first()
        if run is None:
            return None
        completed = connection.execute(select(TrialSyncRun.started_at).where(TrialSyncRun.state == COMPLETED)
                                       .order_by(TrialSyncRun.id.desc()).limit(1)).scalar()
    data = json.loads(run.changes) if run.changes else {}
    return SyncSummary(
        run_id=run.id, state=run.state, started_at=_aware(run.started_at), finished_at=_aware(run.finished_at),
        since=run.since, pages=run.pages, fetched=run.fetched, counts=dict(data.get("counts", {})),
        status_changes=[tuple(c) for c in data.get("status_changes", [])],  # type: ignore[misc]
        left=list(data.get("left", [])), returned=list(data.get("returned", [])),
        skipped=list(data.get("skipped", [])), message=run.message, last_completed_at=_aware(completed),
    )


def describe(summary: SyncSummary | None) -> str:
    """A few lines for staff: when the last sync ran, how it ended, what changed."""
    if summary is None:
        return "no registry sync has run on this store yet"
    when = f"{summary.started_at:%Y-%m-%d %H:%M} UTC"
    counts = summary.counts
    lines = [f"last sync: run {summary.run_id}, {summary.state}, started {when}"
             + (f", finished {summary.finished_at:%H:%M} UTC" if summary.finished_at else ""),
             f"  {summary.fetched} record(s) in {summary.pages} page(s): {counts.get('imported', 0)} new, "
             f"{counts.get('updated', 0)} updated, {counts.get('unchanged', 0)} unchanged, "
             f"{counts.get('skipped', 0)} skipped, {counts.get('status_changes', 0)} status change(s), "
             f"{counts.get('left', 0)} left the queries, {counts.get('returned', 0)} came back"]
    lines += [f"  status {nct}: {old} -> {new}" for nct, old, new in summary.status_changes[:20]]
    lines += [f"  left the queries: {nct}" for nct in summary.left[:20]]
    if summary.message:
        lines.append(f"  {summary.message}")
    last = summary.last_completed_at
    lines.append(f"last complete sync: {last:%Y-%m-%d %H:%M} UTC" if last else "no sync has completed yet")
    return "\n".join(lines)


def options_from_settings(settings: Any, *, api_url: str | None = None, queries_file: Path | None = None,
                          page_size: int = 200, full: bool = False) -> SyncOptions:
    """Sync options from the settings (``TRIALS_SYNC_*``), with command-line overrides."""
    return SyncOptions(
        queries=load_queries(queries_file or settings.trials_sync_queries),
        api_url=api_url or settings.trials_sync_api_url,
        page_size=page_size,
        full=full,
        client=ClientOptions(min_interval_s=settings.trials_sync_interval_s, retries=settings.trials_sync_retries,
                             backoff_s=settings.trials_sync_backoff_s),
    )


def log_to_file(path: Path | None = None) -> None:
    """Sync progress and warnings also go to ``var/logs/trials-sync.log`` (once per process)."""
    path = path or LOG_DIR / "trials-sync.log"
    logger = logging.getLogger("bot.trials")
    if any(getattr(h, "baseFilename", None) == str(path) for h in logger.handlers):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
