"""Reading patients' messages from Rasa's tracker store, and keeping staff decisions.

Rasa's SQL tracker store writes one row per event in its ``events`` table (same database
URL as Rasa: ``Settings.tracker_store_url``). We read it with SQLAlchemy Core, never write
to it except to purge old conversations, and keep our own small ``inbox_decisions`` table
in the same database. That table holds a hash of each message handled, never its text, so
that a dismissed or added message does not come back.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from bot.errors import InboxError
from bot.faq.text import normalize
from bot.settings import PROJECT_ROOT
from bot.text import LANGUAGES

EVENTS = "events"
DECISIONS = "inbox_decisions"
FALLBACK_ACTION = "action_fallback"
DISMISSED, ADDED_AS_EXAMPLE, ADDED_AS_ENTRY = "dismissed", "example", "new_entry"

_metadata = sa.MetaData()
# The columns of Rasa's SQLTrackerStore.SQLEvent that we read (Rasa creates the table).
events_table = sa.Table(
    EVENTS,
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("type_name", sa.String(255)),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)
decisions_table = sa.Table(
    DECISIONS,
    _metadata,
    sa.Column("message_key", sa.String(64), primary_key=True),  # sha256 of the normalised text
    sa.Column("decision", sa.String(16), nullable=False),
    sa.Column("entry_id", sa.String(64)),
    sa.Column("decided_at", sa.Float, nullable=False),
)


def database_url(url: str) -> str:
    """The URL as Rasa resolves it: a relative SQLite path is relative to the project."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database)
        if not path.is_absolute():
            return str(parsed.set(database=str(PROJECT_ROOT / path)))
    return url


def engine_for(url: str) -> Engine:
    return sa.create_engine(database_url(url), future=True)


def sqlite_file_missing(url: str) -> bool:
    """True for a SQLite database that does not exist yet (the assistant never ran)."""
    parsed = make_url(database_url(url))
    return parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file()


def has_events(engine: Engine) -> bool:
    return sa.inspect(engine).has_table(EVENTS)


def message_key(text: str) -> str:
    """Identifies a message by its normalised text (case, accents, punctuation ignored)."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Turn:
    """One patient message and what the assistant made of it."""

    conversation: str  # Rasa's sender id: used to count conversations, never shown
    text: str
    timestamp: float
    intent: str | None
    confidence: float | None
    suggestion: str | None  # best FAQ entry the model saw, even when it fell back
    suggestion_confidence: float | None
    language: str | None  # the language slot set in this turn, when there is one
    fell_back: bool  # the assistant answered with action_fallback


def _parse_data(data: str | None) -> dict[str, Any]:
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _faq_choice(parse: dict[str, Any]) -> tuple[str | None, float | None]:
    """The FAQ entry the response selector picked for this message, with its confidence."""
    selector = (parse.get("response_selector") or {}).get("faq") or {}
    response = selector.get("response") or {}
    key = response.get("intent_response_key") or ""
    if not key.startswith("faq/"):
        return None, None
    return key.split("/", 1)[1], response.get("confidence")


def _turn(conversation: str, row: Any, data: dict[str, Any]) -> dict[str, Any]:
    parse = data.get("parse_data") or {}
    intent = parse.get("intent") or {}
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
    entry, entry_confidence = _faq_choice(parse)
    # The model's best guess when it fell back: shown to staff as a suggestion.
    suggestion = entry if (ranking and ranking[0].get("name") == "faq") or intent.get("name") == "faq" else None
    return {
        "conversation": conversation,
        "text": str(data.get("text") or ""),
        "timestamp": float(row.timestamp or data.get("timestamp") or 0.0),
        "intent": intent.get("name") or row.intent_name,
        "confidence": intent.get("confidence"),
        "suggestion": suggestion,
        "suggestion_confidence": entry_confidence if suggestion else None,
        "language": None,
        "fell_back": False,
    }


def read_turns(engine: Engine, since: float | None = None) -> Iterator[Turn]:
    """Every patient message (newest conversations included) since ``since`` (epoch seconds)."""
    if not has_events(engine):
        return
    query = (
        sa.select(
            events_table.c.sender_id,
            events_table.c.type_name,
            events_table.c.timestamp,
            events_table.c.intent_name,
            events_table.c.action_name,
            events_table.c.data,
        )
        .where(events_table.c.type_name.in_(("user", "action", "slot")))
        .order_by(events_table.c.sender_id, events_table.c.id)
    )
    if since is not None:
        query = query.where(events_table.c.timestamp >= since)
    current: dict[str, Any] | None = None
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True).execute(query)
        for row in result:
            if current is not None and row.sender_id != current["conversation"]:
                yield Turn(**current)
                current = None
            if row.type_name == "user":
                if current is not None:
                    yield Turn(**current)
                current = _turn(row.sender_id, row, _parse_data(row.data))
            elif current is None:
                continue
            elif row.type_name == "action" and row.action_name == FALLBACK_ACTION:
                current["fell_back"] = True
            elif row.type_name == "slot":
                data = _parse_data(row.data)
                if data.get("name") == "language" and data.get("value") in LANGUAGES:
                    current["language"] = data["value"]
        if current is not None:
            yield Turn(**current)


# -- decisions -------------------------------------------------------------------------------


def ensure_decisions_table(engine: Engine) -> None:
    decisions_table.create(engine, checkfirst=True)


def decided_keys(engine: Engine) -> set[str]:
    if not sa.inspect(engine).has_table(DECISIONS):
        return set()
    with engine.connect() as connection:
        return set(connection.execute(sa.select(decisions_table.c.message_key)).scalars())


def record_decision(engine: Engine, keys: list[str], decision: str, entry_id: str | None = None) -> None:
    """Remembers what staff did with these messages (replacing an earlier decision)."""
    ensure_decisions_table(engine)
    now = time.time()
    with engine.begin() as connection:
        connection.execute(decisions_table.delete().where(decisions_table.c.message_key.in_(keys)))
        connection.execute(
            decisions_table.insert(),
            [{"message_key": k, "decision": decision, "entry_id": entry_id, "decided_at": now} for k in keys],
        )


# -- retention -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeResult:
    events: int
    conversations: int
    votes: int = 0  # answer votes deleted with them (bot/inbox/feedback.py)


def purge_before(engine: Engine, cutoff: float) -> PurgeResult:
    """Deletes every conversation whose last event is older than ``cutoff`` (epoch seconds),
    whole: all its events, so that no part of an old conversation stays behind."""
    if not has_events(engine):
        return PurgeResult(0, 0)
    expired = (
        sa.select(events_table.c.sender_id)
        .group_by(events_table.c.sender_id)
        .having(sa.func.max(events_table.c.timestamp) < cutoff)
    )
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            # Overwrite deleted rows on disk too, rather than leave them in free pages.
            connection.exec_driver_sql("PRAGMA secure_delete = ON")
        senders = list(connection.execute(expired).scalars())
        deleted = 0
        for start in range(0, len(senders), 500):  # bounded IN lists
            batch = senders[start : start + 500]
            deleted += connection.execute(events_table.delete().where(events_table.c.sender_id.in_(batch))).rowcount or 0
    if deleted and engine.dialect.name == "sqlite":
        checkpoint_wal(engine)
    return PurgeResult(int(deleted), len(senders))


def checkpoint_wal(engine: Engine) -> None:
    """Copies a SQLite database's write-ahead log into the database and empties it: the
    conversation store runs in WAL mode (bot/conversation_store.py), and the pages of deleted
    conversations, which secure_delete zeroes, would otherwise stay readable in the -wal file
    until overwritten. A reader in the middle of a read (a Rasa instance) makes it wait (busy
    timeout), then retry; a log that cannot be emptied raises."""
    for attempt in range(5):
        with engine.connect() as connection:
            busy, _log, _moved = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        if not busy:
            return
        time.sleep(0.1 * (attempt + 1))
    raise InboxError(f"the conversations were deleted, but the -wal file of {engine.url.database} could not "
                     "be emptied (a reader kept it busy): run `bot inbox purge` again")


# bot/inbox/feedback.py reads the same user events to find the answer a vote is about.
parse_event_data = _parse_data
turn_from_event = _turn
