"""The conversation store: Rasa's SQL tracker store, made to fail visibly and to keep no
personal data (``type: bot.conversation_store.SafeSQLTrackerStore`` in endpoints.yml).

Two changes to Rasa's ``SQLTrackerStore``:
- **Fail visibly.** Rasa wraps every tracker store in a ``FailSafeTrackerStore`` that, when the
  database is down or the disk is full, logs an error and carries on in memory: the patient
  gets an answer that is then forgotten ("the first one" loses its trial list, the language
  flips). Here a failed read or write raises :class:`ConversationStoreError` (with the
  conversation's language), which the REST channel turns into a 503 and a short message; the
  health check and ``/metrics`` report it; the next message after the database is back works
  again (``pool_pre_ping`` drops a server's dead connections first). ``bot.runtime.rasa_server`` removes the
  in-memory fallback for this store.
- **Mask before writing.** What a patient typed is stored masked (``bot.inbox.privacy.mask``:
  emails, phone numbers, dates, long numbers, names after "je m'appelle", "Mme"...); the raw
  text stays in memory only, for the NLU and the actions of the current turn.

And one for speed: **read only the new rows.** Rasa rebuilds the tracker from every stored event
of the session at each message (JSON, then one ``Event`` per row: a third of a message, more as
the conversation grows). The events already read are kept per conversation (those read back
from the database, so masked), with the id of their last row; the next read asks for the rows
from that id on and deserialises only the new ones; the tracker they make is kept too, and
each read gets a copy of it with the new events replayed (``DialogueStateTracker.copy``, which
``bot.runtime.rasa_server`` makes copy the state rather than replay every event). The database
stays the truth for several Rasa instances: rows another instance wrote are read the same way,
and when the remembered last row is gone (the conversation was purged) or a new session
started, the whole session is read again as Rasa does.

And for the cost of each message: the new rows of a save are written by one Core ``INSERT``
(the same rows, in the same order, as Rasa's ORM objects), and a SQLite file gets a pool of
connections (SQLAlchemy 1.4 opens one per call otherwise) in WAL mode with ``synchronous=FULL``:
a commit appends to the -wal file and syncs it, so an answered message survives a crash. The
retention purge empties the -wal file (``bot.inbox.store.checkpoint_wal``). A save's write and
commit run in the store's writer thread (one for SQLite, ``WRITERS`` for a server database): the
message is answered only once its commit is synced, as before, but the event loop serves the
other conversations during the sync (about 4 ms per commit here, during which the whole process
stood still). A SQLite file's connections get no ``pool_pre_ping`` (a file's connection does
not die with a server; the ping was two ``SELECT 1`` per message). The reads and the save's
row count are statements compiled once and run by the driver as they are (``_Prepared``), on a
Core connection: SQLAlchemy's ORM session, statement building and cache-key lookup were most of
a read's cost. Reading a whole session (a new conversation, or after a purge) is Rasa's own
query, compiled once the same way.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from prometheus_client import Counter, Gauge
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.errors import BotError
from bot.inbox.privacy import mask

logger = logging.getLogger(__name__)

FAILURES = Counter(
    "bot_tracker_store_failures_total",
    "Conversation reads or writes that failed (the message got a 503 instead of an answer)",
    ["operation"],
)
UP = Gauge("bot_tracker_store_up", "1 when the last conversation read/write or probe succeeded, else 0")
UP.set(1)

# Conversations whose events stay deserialised between messages (the most recently used): a
# 16-message visit holds about 330 kB (the NLU's rankings are in every user event), so at most
# about 65 MB. A conversation pushed out is read whole again, as Rasa does.
MAX_CACHED_CONVERSATIONS = 200
# Threads writing conversations to a server database (PostgreSQL): saves of different
# conversations commit side by side (the pool holds more connections, for the reads).
WRITERS = 4


class ConversationStoreError(BotError):
    """The conversation could not be read or saved; ``language`` is the conversation's, if known."""

    def __init__(self, operation: str, sender_id: str, language: str | None, cause: Exception) -> None:
        super().__init__(f"conversation {operation} failed: {type(cause).__name__}: {str(cause).splitlines()[0] if str(cause) else ''}")
        self.operation = operation
        self.sender_id = sender_id
        self.language = language


class _Health:
    """What the health check and the 503s need: is the store up, and each conversation's language."""

    def __init__(self, max_languages: int = 50_000) -> None:
        self.up = True
        self.last_error = ""
        self.last_change = time.time()
        self.store: SafeSQLTrackerStore | None = None
        self._languages: OrderedDict[str, str] = OrderedDict()
        self._max = max_languages

    def mark(self, up: bool, error: str = "") -> None:
        if up != self.up:
            logger.log(logging.INFO if up else logging.ERROR, "Conversation store is %s%s",
                       "back" if up else "DOWN", f": {error}" if error else "")
            self.last_change = time.time()
        self.up = up
        self.last_error = "" if up else error
        UP.set(1 if up else 0)

    def remember_language(self, sender_id: str, language: object) -> None:
        if isinstance(language, str):
            self._languages.pop(sender_id, None)
            self._languages[sender_id] = language
            while len(self._languages) > self._max:
                self._languages.popitem(last=False)

    def language_of(self, sender_id: str) -> str | None:
        return self._languages.get(sender_id)

    def probe(self) -> bool:
        """Checks the database now (the health check does, so recovery shows without traffic)."""
        if self.store is None:
            return self.up
        try:
            with self.store.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
            self.mark(True)
        except Exception as exc:  # any driver error means "down"
            self.mark(False, f"{type(exc).__name__}")
        return self.up


HEALTH = _Health()


def mask_event(data: dict[str, Any]) -> dict[str, Any]:
    """The stored form of one serialised event: a user message's text masked, wherever it appears."""
    if data.get("event") != "user":
        return data
    data = dict(data)
    if isinstance(data.get("text"), str):
        data["text"] = mask(data["text"])
    parse = data.get("parse_data")
    if isinstance(parse, dict):
        parse = dict(parse)
        if isinstance(parse.get("text"), str):
            parse["text"] = mask(parse["text"])
        parse["entities"] = [
            {**e, "value": mask(e["value"])} if isinstance(e, dict) and isinstance(e.get("value"), str) else e
            for e in parse.get("entities") or []
        ]
        data["parse_data"] = parse
    return data


# Stands for the sender while Rasa's session query is compiled, once: each call gives the real one.
_SENDER_PLACEHOLDER = "\x00sender\x00"


@dataclass(frozen=True)
class _Prepared:
    """A statement compiled once for the engine's dialect and run by the driver as it is:
    SQLAlchemy would build it, compute its cache key and look its compiled form up again on
    every call (with the ORM session around it, most of a read's cost here)."""

    sql: str
    names: tuple[str, ...] | None  # a positional driver (sqlite3's "?") takes the values in this order
    fixed: dict[str, Any]  # the values compiled in
    given: dict[str, str]  # parameter -> the keyword of ``run`` that gives its value

    @classmethod
    def of(cls, statement: Any, dialect: Any, placeholders: dict[str, str] | None = None) -> _Prepared:
        """``statement``'s parameters without a value (``bindparam("x")``) are given to ``run``
        by their name; those whose value is a key of ``placeholders`` by the keyword it names."""
        compiled = statement.compile(dialect=dialect)
        placeholders = placeholders or {}
        given = {name: name for name, value in compiled.params.items() if value is None}
        given |= {name: placeholders[value] for name, value in compiled.params.items()
                  if isinstance(value, str) and value in placeholders}
        fixed = {name: value for name, value in compiled.params.items() if name not in given}
        return cls(str(compiled), tuple(compiled.positiontup) if compiled.positional else None, fixed, given)

    def run(self, connection: Any, **values: Any) -> Any:
        params = {**self.fixed, **{name: values[keyword] for name, keyword in self.given.items()}}
        return connection.exec_driver_sql(self.sql, tuple(params[name] for name in self.names) if self.names is not None else params)


@dataclass
class _Read:
    """A conversation's latest session as read so far: its events and the id of its last row."""

    events: list[Event]
    last_id: int
    rows: int  # rows of the session read (an event that failed to deserialise is still a row)
    # The tracker of those events, with the slots of ``domain``: never handed out (copies are).
    tracker: DialogueStateTracker | None = None
    domain: Any = None


class SafeSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read: OrderedDict[str, _Read] = OrderedDict()
        # A connection that died with the database is tested and replaced before use, so the
        # first message after an outage works instead of failing once more.
        # (Not for a SQLite file: its connection cannot die, and the ping was two more
        # statements per message.)
        rasa_engine = self.engine
        sqlite = rasa_engine.dialect.name == "sqlite"
        self.engine = sa.create_engine(rasa_engine.url, pool_pre_ping=not sqlite, **_engine_kwargs(rasa_engine))
        if sqlite:
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        # Saves run here, off the event loop (a commit waits for the disk); one writer for a
        # SQLite file, which takes one writer at a time anyway.
        self._writer = ThreadPoolExecutor(max_workers=1 if sqlite else WRITERS, thread_name_prefix="conversation-save")
        rasa_engine.dispose()
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        table = self.SQLEvent.__table__
        sender, last = sa.bindparam("sender"), sa.bindparam("last")
        self._rows_since = _Prepared.of(
            sa.select(table.c.id, table.c.type_name, table.c.data)
            .where(table.c.sender_id == sender, table.c.id >= last).order_by(table.c.id),
            self.engine.dialect,
        )
        self._last_row = _Prepared.of(sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sender), self.engine.dialect)
        # Rasa's own query of a conversation's latest session, its sender given at each call.
        query = self._event_query(sa.orm.Session(), _SENDER_PLACEHOLDER, fetch_events_from_all_sessions=False)
        self._session_rows = _Prepared.of(query.statement, self.engine.dialect, {_SENDER_PLACEHOLDER: "sender"})
        # and Rasa's count of those rows (``Query.count``: the query in a subquery)
        self._session_count = _Prepared.of(sa.select(sa.func.count()).select_from(query.statement.subquery()),
                                           self.engine.dialect, {_SENDER_PLACEHOLDER: "sender"})
        self._insert = table.insert()
        HEALTH.store = self

    @contextmanager
    def _guard(self, operation: str, sender_id: str, language: object = None):  # type: ignore[no-untyped-def]
        try:
            yield
        except Exception as exc:
            FAILURES.labels(operation).inc()
            HEALTH.mark(False, f"{type(exc).__name__} on {operation}")
            logger.error("Conversation %s of %s failed: %s", operation, sender_id, exc)
            lang = language if isinstance(language, str) else HEALTH.language_of(sender_id)
            raise ConversationStoreError(operation, sender_id, lang, exc) from exc
        HEALTH.mark(True)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        with self._guard("read", sender_id):
            tracker = self._latest_session(sender_id)
        if tracker is not None:
            HEALTH.remember_language(sender_id, tracker.get_slot("language"))
        return tracker

    def _latest_session(self, sender_id: str) -> DialogueStateTracker | None:
        """Rasa's ``retrieve`` (the latest session's tracker), from the rows not read before."""
        with self.engine.connect() as connection:
            read = self._read_since_last_time(connection, sender_id) or self._read_session(connection, sender_id)
        if not read.events or not self.domain:
            self._read.pop(sender_id, None)
            return None
        if read.tracker is None or read.domain is not self.domain:
            read = replace(read, tracker=DialogueStateTracker.from_events(sender_id, read.events, self.domain.slots),
                           domain=self.domain)
        self._read[sender_id] = read
        self._read.move_to_end(sender_id)
        while len(self._read) > MAX_CACHED_CONVERSATIONS:
            self._read.popitem(last=False)
        return read.tracker.copy()

    def _read_session(self, connection: Any, sender_id: str) -> _Read:
        rows = self._session_rows.run(connection, sender=sender_id).all()
        events = deserialise_events([json.loads(row.data) for row in rows])
        return _Read(events, rows[-1].id if rows else 0, len(rows))

    def _read_since_last_time(self, connection: Any, sender_id: str) -> _Read | None:
        """The remembered events and the rows written since, or None to read the session again."""
        known = self._read.get(sender_id)
        if known is None:
            return None
        rows = self._rows_since.run(connection, sender=sender_id, last=known.last_id).all()
        if not rows or rows[0].id != known.last_id:
            return None  # the remembered rows are gone (purged)
        new = rows[1:]
        if any(row.type_name == SessionStarted.type_name for row in new):
            return None  # a new session: Rasa's tracker holds only the latest one
        if not new:
            return known
        added = deserialise_events([json.loads(row.data) for row in new])
        if known.tracker is not None:  # brought up to date in place: ``known`` is replaced by what this returns
            for event in added:
                known.tracker.update(event)  # as Rasa's ``from_events`` replays each event after the others
        return _Read(known.events + added, new[-1].id, known.rows + len(new), known.tracker, known.domain)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's ``SQLTrackerStore.save``, with each event masked before it is written, the
        events already stored counted without reading them again, and the new rows (the same
        columns as Rasa's ``SQLEvent`` objects) written by one Core INSERT rather than through
        the ORM's unit of work. The write and its commit run in the store's writer thread: the
        message waits for the commit (and its sync to disk) before it is answered, as before,
        while the event loop serves other conversations meanwhile."""
        language = tracker.get_slot("language")
        with self._guard("write", tracker.sender_id, language):
            written = await self._written_off_the_loop(tracker)
        HEALTH.remember_language(tracker.sender_id, language)
        await self._stream_masked(tracker.sender_id, written)

    async def _written_off_the_loop(self, tracker: DialogueStateTracker) -> list[dict[str, Any]]:
        """``_write`` in the writer thread. A message cancelled meanwhile (Rasa's timeout) ends
        after the commit, not before: as when the save ran in the loop, the next turn of the
        conversation (once its lock is free) reads what this one wrote."""
        future = asyncio.get_running_loop().run_in_executor(self._writer, self._write, tracker)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            await asyncio.wait({future})
            raise

    def _write(self, tracker: DialogueStateTracker) -> list[dict[str, Any]]:
        """The new events of ``tracker`` written and committed; their stored (masked) dicts."""
        with self.engine.begin() as connection:  # committed on leaving, rolled back on an error
            written, rows = [], []
            for event in itertools.islice(tracker.events, self._rows_stored(connection, tracker.sender_id), None):
                data = mask_event(event.as_dict())
                written.append(data)
                rows.append({
                    "sender_id": tracker.sender_id,
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                    "action_name": data.get("name"),
                    "data": json.dumps(data),
                })
            if rows:  # one INSERT for all of them, in order (ids grow with the events)
                connection.execute(self._insert, rows)
        return written

    def _rows_stored(self, connection: Any, sender_id: str) -> int:
        """How many of the session's events the database holds: Rasa counts the session's rows
        (reading each), which is the number read last time when its last row is still the last."""
        known = self._read.get(sender_id)
        if known is not None and self._last_row.run(connection, sender=sender_id).scalar() == known.last_id:
            return known.rows
        # Rasa's count (the session's rows, prepared once), in this transaction.
        return self._session_count.run(connection, sender=sender_id).scalar()

    async def _stream_masked(self, sender_id: str, written: list[dict[str, Any]]) -> None:
        """What Rasa's save streams to the event broker (the metrics, bot/runtime/metrics.py),
        as masked as what was stored: a broker never sees more than the database. The body is
        Rasa's own (``_stream_new_events``): the sender id and the event's dict."""
        if self.event_broker is None:
            return
        for data in written:
            self.event_broker.publish({"sender_id": sender_id, **data})


def _engine_kwargs(engine: sa.engine.Engine) -> dict[str, Any]:
    """Rasa's own engine options (pool size, PostgreSQL schema), kept for our engine; a SQLite
    file gets a pool too (SQLAlchemy 1.4 opens a new connection for each session otherwise)."""
    from rasa.core.tracker_store import create_engine_kwargs

    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        return {"poolclass": sa.pool.QueuePool, "pool_size": 5, "max_overflow": 5,
                "connect_args": {"check_same_thread": False}}  # the pool hands a connection to one user at a time
    return create_engine_kwargs(engine.url)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL: a commit appends to the -wal file instead of rewriting pages through a rollback
    journal; ``synchronous=FULL`` syncs it on every commit, so an answered message survives a
    crash or a power cut (NORMAL could lose the last commits). The purge checkpoints the -wal
    file (``bot.inbox.store.purge_before``), so deleted conversations do not stay in it."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()
