"""The conversation store fails visibly and keeps no personal data (bot/conversation_store.py).

Real faults: a PostgreSQL database that stops accepting connections while the store runs, and a
full disk (a 1 MiB tmpfs) under SQLite. Before: Rasa answered and stored nothing, silently.
"""
from __future__ import annotations

import asyncio
import json
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY
from rasa.shared.core.events import UserUttered

from bot.conversation_store import HEALTH, ConversationStoreError, SafeSQLTrackerStore, mask_event
from bot.runtime.rasa_server import _create_tracker_store
from tests.services import require_postgres
from tests.stores.helpers import (
    PG_ADMIN_URL,
    postgres_database,
    project_domain,
    run_async,
    tracker_store,
)
from tests.stores.test_tracker_store import conversation

PERSONAL = "Je suis Mme Dupont, jean.dupont@example.org, 06 12 34 56 78, née le 12/03/1961"
KEPT = "NCT04956640 et 40 de fièvre"


def failures(operation: str) -> float:
    return REGISTRY.get_sample_value("bot_tracker_store_failures_total", {"operation": operation}) or 0.0


def _readable(value: object) -> str:
    """A JSON column as its text would read (Rasa writes accents as \\u escapes)."""
    try:
        return json.dumps(json.loads(str(value)), ensure_ascii=False)
    except ValueError:
        return str(value)


def every_value(url: str) -> str:
    """Everything stored in the database, every table and column, as one string."""
    engine = sa.create_engine(url)
    parts = []
    with engine.connect() as connection:
        for table in sa.inspect(engine).get_table_names():
            for row in connection.execute(sa.text(f'SELECT * FROM "{table}"')):
                parts.extend(_readable(value) for value in row)
    engine.dispose()
    return "\n".join(parts)


def test_the_store_rasa_uses_is_ours_without_the_memory_fallback(tracker_url: str) -> None:
    store = tracker_store(tracker_url)
    assert isinstance(store, SafeSQLTrackerStore)
    # Rasa's Agent wraps stores in FailSafeTrackerStore (answers from memory when the DB fails).
    assert _create_tracker_store(store, project_domain()) is store


def test_a_patients_email_and_phone_are_nowhere_in_the_database(tracker_url: str) -> None:
    tracker = conversation("patient-pii")
    tracker.update(UserUttered(f"{PERSONAL}. {KEPT}", intent={"name": "faq", "confidence": 0.9},
                               parse_data={"text": f"{PERSONAL}. {KEPT}", "intent": {"name": "faq"},
                                           "entities": [{"entity": "x", "value": "jean.dupont@example.org"}]}))
    assert "jean.dupont@example.org" in tracker.latest_message.text  # raw in memory, for the NLU
    run_async(tracker_store(tracker_url).save(tracker))

    stored = every_value(tracker_url)
    for secret in ("jean.dupont@example.org", "dupont", "Dupont", "06 12 34 56 78", "12 34 56 78", "12/03/1961"):
        assert secret not in stored
    assert "[email]" in stored and "[phone]" in stored and "[date]" in stored and "[name]" in stored
    assert "NCT04956640" in stored and "40 de fièvre" in stored  # public ids and symptoms stay
    if tracker_url.startswith("sqlite"):  # not even in free pages or a journal of the file
        db = Path(sa.engine.make_url(tracker_url).database)
        raw = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
        assert b"jean.dupont" not in raw and b"06 12 34 56 78" not in raw


def test_other_events_are_stored_as_they_are() -> None:
    event = {"event": "bot", "text": "Call 15 or 112 (jean@example.org)"}
    assert mask_event(event) == event


# -- PostgreSQL outage ----------------------------------------------------------------------


def _refuse_connections(database: str, refuse: bool) -> None:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {"false" if refuse else "true"}')
        if refuse:  # and end the connections the store already holds
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
            )
    admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    require_postgres()
    with postgres_database() as url:
        yield url
        _refuse_connections(sa.engine.make_url(url).database, refuse=False)


@pytest.mark.postgres
def test_a_postgresql_outage_fails_each_message_visibly_and_recovers(postgres_url: str) -> None:
    database = sa.engine.make_url(postgres_url).database
    store = tracker_store(postgres_url)
    tracker = conversation("patient-outage")  # language en, one question asked
    run_async(store.save(tracker))
    before = failures("write"), failures("read")

    _refuse_connections(database, refuse=True)
    tracker.update(UserUttered("the first one", timestamp=time.time()))
    with pytest.raises(ConversationStoreError) as caught:
        run_async(store.save(tracker))
    assert caught.value.language == "en"  # the 503 is written in the conversation's language
    with pytest.raises(ConversationStoreError):
        run_async(store.retrieve("patient-outage"))  # never an empty tracker from memory
    assert (failures("write"), failures("read")) == (before[0] + 1, before[1] + 1)
    assert HEALTH.probe() is False
    assert REGISTRY.get_sample_value("bot_tracker_store_up") == 0

    _refuse_connections(database, refuse=False)
    assert HEALTH.probe() is True  # the health check sees the recovery without any traffic
    run_async(store.save(tracker))  # the same store instance, no restart
    restored = run_async(store.retrieve("patient-outage"))
    assert restored.get_slot("language") == "en"
    assert [e.text for e in restored.events if isinstance(e, UserUttered)] == ["what is immunotherapy", "the first one"]
    assert REGISTRY.get_sample_value("bot_tracker_store_up") == 1


# -- full disk ------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs (needs root, as in CI)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(directory: Path) -> Path:
    filler = directory / "filler"
    with filler.open("wb", buffering=0) as out:  # unbuffered: nothing left to flush at close
        try:
            for _ in range(10_000):  # 1 MiB disk: a few hundred writes at most
                out.write(b"\0" * 4096)
        except OSError:
            pass
    return filler


def test_a_full_disk_fails_the_message_visibly_and_recovers(small_disk: Path) -> None:
    url = f"sqlite:///{small_disk / 'conversations.db'}"
    store = tracker_store(url)
    tracker = conversation("patient-disk")
    run_async(store.save(tracker))
    filler = _fill(small_disk)
    before = failures("write")

    for i in range(3):  # long enough messages to need a new page
        tracker.update(UserUttered(f"question {i} " + uuid.uuid4().hex * 40, timestamp=time.time()))
    with pytest.raises(ConversationStoreError) as caught:
        run_async(store.save(tracker))
    assert "full" in str(caught.value.__cause__).lower()
    assert failures("write") == before + 1

    filler.unlink()
    run_async(store.save(tracker))
    restored = run_async(tracker_store(url).retrieve("patient-disk"))
    assert len([e for e in restored.events if isinstance(e, UserUttered)]) == 4


SAVE_THEN_WAIT = """
import sys, time
from tests.stores.helpers import run_async, tracker_store
from tests.stores.test_tracker_store import conversation
store = tracker_store(sys.argv[1])
run_async(store.save(conversation("acknowledged")))
print("saved", flush=True)  # what the REST channel answers only after save() returned
time.sleep(60)
"""


def test_sqlite_is_pooled_in_wal_mode_and_keeps_what_was_acknowledged(tmp_path: Path) -> None:
    """One connection kept (not one opened per read and per write), WAL with a sync on every
    commit; a process killed right after a save (kill -9, its connection still open and the
    log not yet copied into the database) loses nothing."""
    import os
    import signal
    import sys

    from bot.settings import PROJECT_ROOT

    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    store = tracker_store(url)
    assert isinstance(store.engine.pool, sa.pool.QueuePool)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    run_async(store.save(conversation("first")))
    run_async(store.retrieve("first"))
    assert store.engine.pool.checkedin() == 1  # the same connection served every call

    child = subprocess.Popen([sys.executable, "-c", SAVE_THEN_WAIT, url], cwd=PROJECT_ROOT,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "saved"
        assert (tmp_path / "conversations.db-wal").stat().st_size > 0
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    tracker = run_async(tracker_store(url).retrieve("acknowledged"))
    assert tracker is not None and [e.type_name for e in tracker.events] == [
        e.type_name for e in conversation("acknowledged").events]


def _held_writes(store: SafeSQLTrackerStore) -> threading.Event:
    """The store's writes wait (in its writer thread) until the returned event is set."""
    release = threading.Event()
    write = store._write

    def held(tracker: Any) -> Any:
        assert release.wait(5), "nothing set the event: the event loop stood still during the save"
        return write(tracker)

    store._write = held  # type: ignore[method-assign]
    return release


def test_the_event_loop_serves_others_while_a_save_commits(tmp_path: Path) -> None:
    """The write and its synced commit run in the writer thread: meanwhile the loop runs other
    coroutines (here, the one that lets the write go on); the save returns once it is stored."""
    store = tracker_store(f"sqlite:///{tmp_path / 'conversations.db'}")
    release = _held_writes(store)

    async def save_and_release() -> None:
        saving = asyncio.create_task(store.save(conversation("free")))
        await asyncio.sleep(0.05)
        assert not saving.done()
        release.set()  # runs only because the loop is free while the save waits
        await saving

    run_async(save_and_release())
    stored = run_async(tracker_store(f"sqlite:///{tmp_path / 'conversations.db'}").retrieve("free"))
    assert stored is not None and len(stored.events) == len(conversation("free").events)


def test_a_message_cancelled_during_its_save_ends_after_the_commit(tmp_path: Path) -> None:
    """Rasa's timeout cancels the message: it ends once the commit is done (as when the save ran
    in the loop), so the conversation's next turn, once its lock is free, reads what was saved."""
    store = tracker_store(f"sqlite:///{tmp_path / 'conversations.db'}")
    release = _held_writes(store)

    async def cancel_during_the_save() -> None:
        saving = asyncio.create_task(store.save(conversation("cancelled")))
        await asyncio.sleep(0.05)
        saving.cancel()
        await asyncio.sleep(0.05)
        assert not saving.done()  # still waiting for its commit
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await saving

    run_async(cancel_during_the_save())
    stored = run_async(tracker_store(f"sqlite:///{tmp_path / 'conversations.db'}").retrieve("cancelled"))
    assert stored is not None and len(stored.events) == len(conversation("cancelled").events)
