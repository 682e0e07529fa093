"""``bot trials sync`` against a loopback fake of the ClinicalTrials.gov API v2 serving the
bundled real records: the store follows the registry through changes and faults."""
from __future__ import annotations

import asyncio
import copy
import datetime as dt
import io
import json
import logging
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.trials import importer, service, store
from bot.trials.db import get_engine, session_scope
from bot.trials.models import Trial, TrialSite, TrialStatusChange, TrialSyncRun
from bot.trials.query import TrialQuery
from bot.trials.registry import USER_AGENT, ClientOptions
from bot.trials.seed import DATA_DIR
from bot.trials.sync import (
    COMPLETED,
    FAILED,
    INTERRUPTED,
    Progress,
    SavedQuery,
    SyncBusy,
    SyncError,
    SyncOptions,
    last_sync_summary,
    load_queries,
    log_to_file,
    sync,
)
from tests.trials.fake_registry import FakeRegistry, nct_of
from tests.trials.test_cli import bot  # noqa: F401 - the `bot` command fixture

TODAY = dt.date.today().isoformat()
FAST = ClientOptions(connect_timeout_s=1.0, read_timeout_s=1.0, retries=3, backoff_s=0.01, backoff_max_s=0.05,
                     retry_after_max_s=3.0, min_interval_s=0.0)
QUERY = SavedQuery("curie-immunotherapy", (("query.cond", "cancer"), ("query.locn", "Institut Curie")))


def _v2_records() -> list[dict]:
    manifest = json.loads((DATA_DIR / "manifest.json").read_text())
    return [json.loads((DATA_DIR / m["file"]).read_text()) for m in manifest if m.get("format") == "ctgov-v2"]


V2 = _v2_records()  # 19 real API v2 study objects


@pytest.fixture
def registry() -> Iterator[FakeRegistry]:
    fake = FakeRegistry([copy.deepcopy(s) for s in V2[:-1]]).start()  # the last one is "new" later
    try:
        yield fake
    finally:
        fake.stop()


def options(registry: FakeRegistry, **kw) -> SyncOptions:
    return SyncOptions(queries=(QUERY,), api_url=registry.url, page_size=5, client=FAST, **kw)


def stored(url: str) -> dict[str, str]:
    with get_engine(url).connect() as c:
        return dict(c.execute(select(Trial.nct_id, Trial.overall_status)).all())


def registry_state(fake: FakeRegistry) -> dict[str, str]:
    return {nct_of(s): s["protocolSection"]["statusModule"]["overallStatus"] for s in fake.studies}


def whole_records(url: str) -> None:
    """Every stored trial has all its site rows: no half-written record."""
    with get_engine(url).connect() as c:
        counts = dict(c.execute(select(TrialSite.nct_id, func.count()).group_by(TrialSite.nct_id)).all())
        for nct, site_count in c.execute(select(Trial.nct_id, Trial.site_count)).all():
            assert counts.get(nct, 0) == site_count, nct


def change(study: dict, status: str) -> None:
    """What the registry does when a sponsor updates a record: new status, new dates."""
    module = study["protocolSection"]["statusModule"]
    module["overallStatus"] = status
    module["lastUpdatePostDateStruct"]["date"] = TODAY
    study.setdefault("derivedSection", {}).setdefault("miscInfoModule", {})["versionHolder"] = TODAY


def test_first_sync_fetches_every_page_and_the_store_matches(empty_store: str, registry: FakeRegistry) -> None:
    report = sync(options(registry), empty_store)
    assert report.state == COMPLETED and not report.skipped, report.summary()
    assert stored(empty_store) == registry_state(registry)
    assert len(report.imported) == 18 and report.pages == 4  # 5 + 5 + 5 + 3
    assert report.matching == 18 and report.left == []
    pages = [r for r in registry.requests if "fields" in r and "nctId" not in r["fields"]]
    assert [r.get("pageToken") is None for r in pages] == [True, False, False, False]
    assert pages[0]["countTotal"] == "true" and pages[0]["query.locn"] == "Institut Curie"
    assert pages[0]["format"] == "json" and pages[0]["pageSize"] == "5"
    assert "filter.advanced" not in pages[0]  # first sync: everything the query matches
    assert set(pages[0]["fields"].split(",")) >= {"protocolSection", "derivedSection.miscInfoModule"}
    assert set(registry.user_agents) == {USER_AGENT}
    whole_records(empty_store)
    with session_scope(empty_store) as session:
        detail = store.get_detail(session, V2[0]["protocolSection"]["identificationModule"]["nctId"])
        assert detail is not None and detail.source_format == "ctgov-v2" and detail.registry_seen_at
        assert detail.sites  # the fields we asked for are the ones the importer stores
        assert [h.old_status for h in detail.history] == [None]
    summary = last_sync_summary(empty_store)
    assert summary is not None and summary.state == COMPLETED and summary.counts["imported"] == 18
    assert json.loads(json.dumps(summary.to_dict()))["last_completed_at"] == summary.started_at.isoformat()

    again = sync(options(registry), empty_store)  # the next night, nothing changed: an empty page
    assert again.state == COMPLETED and again.fetched == 0 and again.pages == 1 and not again.skipped
    assert again.since == (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert stored(empty_store) == registry_state(registry) and again.left == []


def test_second_state_changes_withdrawal_new_and_left_trials(empty_store: str, registry: FakeRegistry) -> None:
    sync(options(registry), empty_store)
    ids = [nct_of(s) for s in registry.studies]
    featured, hidden, changed, withdrawn, gone = ids[0], ids[1], ids[2], ids[3], ids[4]
    with session_scope(empty_store) as session:
        store.set_flag(session, featured, "featured", True)
        store.set_flag(session, hidden, "hidden", True)
    old_status = {nct: status for nct, status in registry_state(registry).items()}

    by_id = {nct_of(s): s for s in registry.studies}
    change(by_id[changed], "COMPLETED" if old_status[changed] != "COMPLETED" else "RECRUITING")
    change(by_id[withdrawn], "WITHDRAWN")
    change(by_id[featured], "ACTIVE_NOT_RECRUITING" if old_status[featured] != "ACTIVE_NOT_RECRUITING"
           else "COMPLETED")
    registry.studies = [s for s in registry.studies if nct_of(s) != gone] + [copy.deepcopy(V2[-1])]
    new = nct_of(V2[-1])
    registry.requests.clear()

    report = sync(options(registry), empty_store)
    assert report.state == COMPLETED, report.summary()
    since = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert report.since == since
    changes = [r for r in registry.requests if "filter.advanced" in r]
    assert changes and all(r["filter.advanced"] == f"AREA[LastUpdatePostDate]RANGE[{since},MAX]" for r in changes)
    assert sorted(report.updated) == sorted([changed, withdrawn, featured])  # only the changed records
    assert report.imported == [new]  # matched the query, old update date: fetched by filter.ids
    assert report.left == [gone]
    assert {c[0] for c in report.status_changes} == {changed, withdrawn, featured}

    now = stored(empty_store)
    assert {k: v for k, v in now.items() if k != gone} == registry_state(registry)
    assert now[gone] == old_status[gone]  # kept, never deleted
    with session_scope(empty_store) as session:
        assert store.get_detail(session, featured).featured
        assert store.get_detail(session, hidden, include_hidden=True).hidden
        assert store.get_detail(session, gone) is None  # out of patients' sight
        kept = store.get_detail(session, gone, include_hidden=True)
        assert kept is not None and kept.left_query_at is not None and len(kept.history) == 1
        w = store.get_detail(session, withdrawn)
        assert w.status == "WITHDRAWN"
        assert [(h.old_status, h.new_status) for h in w.history] == [(None, old_status[withdrawn]),
                                                                       (old_status[withdrawn], "WITHDRAWN")]
        assert session.execute(select(func.count()).select_from(TrialStatusChange)).scalar() == 19 + 3

    # The gone trial comes back: unmarked, visible again; staff flags still untouched.
    registry.studies.append(copy.deepcopy(V2[4]))
    report = sync(options(registry), empty_store)
    assert report.returned == [gone] and report.left == []
    with session_scope(empty_store) as session:
        assert store.get_detail(session, gone) is not None
        assert store.get_detail(session, featured).featured
        assert store.get_detail(session, hidden) is None


def test_the_assistant_sees_new_statuses_without_a_restart(empty_store: str, registry: FakeRegistry) -> None:
    """Through the service the custom actions call: a session per request, nothing cached."""
    sync(options(registry), empty_store)
    target = next(s for s in registry.studies if s["protocolSection"]["statusModule"]["overallStatus"] == "RECRUITING")
    nct = nct_of(target)
    before = asyncio.run(service.get_trial(nct, empty_store))
    assert before is not None and before.is_recruiting
    change(target, "TERMINATED")
    sync(options(registry), empty_store)
    after = asyncio.run(service.get_trial(nct, empty_store))
    assert after is not None and after.status == "TERMINATED"
    result = asyncio.run(service.search_trials(TrialQuery(statuses=["RECRUITING"]), 0, 50, empty_store))
    assert nct not in result.ids


def test_registry_faults_are_retried_and_nothing_is_lost(empty_store: str, registry: FakeRegistry) -> None:
    registry.faults = [("status", 429, {"Retry-After": "1"}), ("status", 500, {}), ("ok",),
                       ("delay", 1.6), ("ok",), ("truncate",)]
    started = time.monotonic()
    report = sync(options(registry), empty_store)
    assert report.state == COMPLETED, report.summary()
    assert time.monotonic() - started >= 1.0  # Retry-After honoured
    assert stored(empty_store) == registry_state(registry)
    assert registry.faults == [] and len(registry.requests) == 4 + 1 + 4  # pages, ids, one repeat per fault
    assert report.requests == len(registry.requests)
    whole_records(empty_store)


def test_registry_that_keeps_failing_gives_a_clear_error_then_the_next_sync_completes(
        empty_store: str, registry: FakeRegistry) -> None:
    registry.faults = [("ok",)] + [("status", 503, {})] * 10
    with pytest.raises(SyncError, match="kept refusing|503"):
        sync(options(registry), empty_store)
    assert len(stored(empty_store)) == 5  # the first page, whole
    summary = last_sync_summary(empty_store)
    assert summary.state == FAILED and "resumes" in summary.message
    registry.faults = []
    report = sync(options(registry), empty_store)
    assert report.resumed and report.state == COMPLETED
    assert stored(empty_store) == registry_state(registry)


def test_a_malformed_record_is_reported_and_the_others_imported(empty_store: str, registry: FakeRegistry) -> None:
    bad = registry.studies[6]
    bad["protocolSection"]["statusModule"]["overallStatus"] = "MAYBE_RECRUITING"
    report = sync(options(registry), empty_store)
    assert report.state == COMPLETED
    assert len(report.skipped) == 1 and nct_of(bad) in report.skipped[0]
    assert "overallStatus" in report.skipped[0] and "registry sync" in report.skipped[0]
    assert len(stored(empty_store)) == 17
    # Fixed in the registry (same old update date): the next sync fetches it as missing.
    bad["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    report = sync(options(registry), empty_store)
    assert report.imported == [nct_of(bad)] and stored(empty_store) == registry_state(registry)


def test_server_dying_mid_sync_then_the_next_sync_resumes(empty_store: str, registry: FakeRegistry) -> None:
    port = registry.port
    registry.faults = [("ok",), ("ok",), ("die",)]
    with pytest.raises(SyncError, match="cannot reach"):
        sync(options(registry), empty_store)
    assert len(stored(empty_store)) == 10
    whole_records(empty_store)
    registry.stop()
    registry.requests.clear()
    registry.start(port=port)  # back, same address
    report = sync(options(registry), empty_store)
    assert report.resumed and report.state == COMPLETED
    assert registry.requests[0].get("pageToken")  # went on from the saved page, not from the start
    assert stored(empty_store) == registry_state(registry) and report.fetched == 18


def test_a_page_token_the_registry_forgot_restarts_that_query(empty_store: str, registry: FakeRegistry) -> None:
    registry.faults = [("ok",), ("die",)]
    port = registry.port
    with pytest.raises(SyncError):
        sync(options(registry), empty_store)
    fresh = FakeRegistry(registry.studies).start(port=port)  # a new server: old tokens unknown
    try:
        report = sync(options(fresh), empty_store)  # same address: the run is resumed
        assert report.state == COMPLETED and stored(empty_store) == registry_state(fresh)
    finally:
        fresh.stop()


def test_ctrl_c_inside_a_page_leaves_whole_records_and_the_next_sync_resumes(
        empty_store: str, registry: FakeRegistry, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = importer._write
    calls = {"n": 0}

    def write_then_interrupt(*args, **kwargs):
        real_write(*args, **kwargs)
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # rows of page 2 written, transaction not committed

    monkeypatch.setattr(importer, "_write", write_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        sync(options(registry), empty_store)
    monkeypatch.setattr(importer, "_write", real_write)
    assert len(stored(empty_store)) == 5
    whole_records(empty_store)
    assert last_sync_summary(empty_store).state == INTERRUPTED
    report = sync(options(registry), empty_store)
    assert report.resumed and stored(empty_store) == registry_state(registry)


def test_a_second_sync_while_one_runs_is_refused(empty_store: str, registry: FakeRegistry) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    with get_engine(empty_store).begin() as c:
        c.execute(TrialSyncRun.__table__.insert().values(
            started_at=now, heartbeat_at=now, state="running", api_url=registry.url, config_key="x",
            owner=f"{socket.gethostname()}:{os.getppid()}", pages=0, fetched=0))  # a live process
    with pytest.raises(SyncBusy, match="another sync is running"):
        sync(options(registry), empty_store)
    assert stored(empty_store) == {}


def test_saved_queries_file(tmp_path: Path) -> None:
    shipped = load_queries(Path(__file__).resolve().parents[2] / "trials_sync.yml")
    assert shipped and dict(shipped[0].params)["query.locn"] == "Institut Curie"
    bad = tmp_path / "q.yml"
    for text, message in (
        ("queries: []", "non-empty list"),
        ("queries:\n  - query.cond: cancer", "needs a 'name'"),
        ("queries:\n  - name: a\n    query.conditions: cancer", "unknown API parameter"),
        ("queries:\n  - name: a\n    query.cond: x\n  - name: a\n    query.cond: y", "used twice"),
        ("queries: [", "not valid YAML"),
    ):
        bad.write_text(text)
        with pytest.raises(SyncError, match=message):
            load_queries(bad)


def test_cli_sync_and_status(bot, empty_store: str, registry: FakeRegistry, tmp_path: Path,  # noqa: F811
                             monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("TRIALS_SYNC_INTERVAL_S", "0"), ("TRIALS_SYNC_RETRIES", "1"), ("TRIALS_SYNC_BACKOFF_S", "0.01")):
        monkeypatch.setenv(name, value)
    queries = tmp_path / "queries.yml"
    queries.write_text("queries:\n  - name: curie\n    query.locn: Institut Curie\n")
    code, out, err = bot("trials", "--db", empty_store, "sync", "--status")
    assert code == 0 and "no registry sync has run" in out
    code, out, err = bot("trials", "--db", empty_store, "sync", "--api-url", registry.url, "--queries", str(queries),
                         "--page-size", "7")
    assert code == 0, err
    assert "sync completed (everything the queries match): 18 record(s) in 3 page(s)" in out
    assert "18 new" in out
    assert registry.requests[0]["query.locn"] == "Institut Curie" and registry.requests[0]["pageSize"] == "7"
    code, out, _ = bot("trials", "--db", empty_store, "sync", "--status")
    assert code == 0 and "completed" in out and "18 new" in out and "last complete sync:" in out

    change(registry.studies[0], "BOGUS")
    gone = nct_of(registry.studies.pop())
    code, out, _ = bot("trials", "--db", empty_store, "sync", "--api-url", registry.url, "--queries", str(queries))
    assert code == 3 and "skipped" in out and "overallStatus" in out  # partial: a record refused
    assert f"left the queries (kept, hidden from patients): {gone}" in out
    code, out, _ = bot("trials", "--db", empty_store, "show", gone)
    assert code == 0 and "Registry sync: no longer in the saved queries since" in out

    url = registry.url
    registry.stop()
    code, _, err = bot("trials", "--db", empty_store, "sync", "--api-url", url, "--queries", str(queries))
    assert code == 1 and "cannot reach the registry ([Errno 111] Connection refused)" in err
    assert "the next sync resumes where this one stopped" in err
    code, _, err = bot("trials", "--db", empty_store, "sync", "--queries", str(tmp_path / "none.yml"))
    assert code == 1 and "cannot read the saved queries" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_and_in_the_log(empty_store: str, registry: FakeRegistry, tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    terminal = _Terminal()
    with caplog.at_level(logging.INFO, logger="bot.trials.sync"):
        sync(options(registry), empty_store, progress=Progress(terminal))
    shown = terminal.getvalue()
    assert "\rcurie-immunotherapy: 5/18 record(s), 1 page(s)" in shown and "s left" in shown  # ETA
    assert "curie-immunotherapy: 18/18 record(s), 4 page(s)" in shown and shown.endswith("\n")
    assert any("18/18 record(s), 4 page(s)" in r.getMessage() for r in caplog.records)
    log_file = tmp_path / "sync.log"
    log_to_file(log_file)
    try:
        sync(options(registry), empty_store)
    finally:
        for handler in list(logging.getLogger("bot.trials").handlers):
            if getattr(handler, "baseFilename", None) == str(log_file):
                logging.getLogger("bot.trials").removeHandler(handler)
                handler.close()
    logged = log_file.read_text()
    assert "curie-immunotherapy: 0/0 record(s), 1 page(s)" in logged  # nothing changed since
    assert "membership): 18/18 record(s)" in logged and "sync completed (changes since" in logged


def test_a_run_whose_process_died_is_resumed(empty_store: str, registry: FakeRegistry) -> None:
    """kill -9, power cut: the run stays "running" with an owner that no longer exists."""
    opts = options(registry)
    now = dt.datetime.now(dt.timezone.utc)
    with get_engine(empty_store).begin() as c:
        c.execute(TrialSyncRun.__table__.insert().values(
            started_at=now, heartbeat_at=now, state="running", api_url=registry.url, config_key=opts.key(),
            resume=json.dumps({"query": 0, "token": None}), owner=f"{socket.gethostname()}:999999999",
            pages=0, fetched=0))
    report = sync(opts, empty_store)
    assert report.resumed and report.run_id == 1 and report.state == COMPLETED
    assert stored(empty_store) == registry_state(registry)


def test_no_trial_is_marked_after_an_incomplete_listing(empty_store: str, registry: FakeRegistry) -> None:
    sync(options(registry), empty_store)
    gone = nct_of(registry.studies.pop(0))
    registry.count_extra = 1  # the registry says 18 match, lists 17
    report = sync(options(registry), empty_store)
    assert report.left == [] and "no trial marked" in report.message
    with session_scope(empty_store) as session:
        assert store.get_detail(session, gone) is not None  # still shown: nothing proves it left
    registry.count_extra = 0
    assert sync(options(registry), empty_store).left == [gone]
