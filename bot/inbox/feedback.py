"""Patients' votes on the assistant's answers, from the web chat ("helpful" / "not helpful").

A vote names one answer by its conversation (Rasa's sender id) and the id of the message it
answered: the ``message_id`` of Rasa's user event, which the REST channel sends back with
each reply as ``reply_to`` (bot/channels.py). The question and the answer given are read
from the stored conversation, never taken from the browser, so a vote cannot put words in
the assistant's mouth. Votes live in a small ``answer_feedback`` table in the conversation
database, next to Rasa's events: one row per answer (a new vote replaces the previous one),
deleted with the conversations by the retention purge. "Not helpful" answers reach the inbox
as "wrong answer" items (bot/inbox/service.py), the question masked like every message there;
the answer is the assistant's own text, shown as given (masking would turn its sources' dates,
"2017-2018", into "[number]").
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.inbox import store
from bot.text import LANGUAGES

FEEDBACK = "answer_feedback"
HELPFUL, NOT_HELPFUL = "helpful", "not_helpful"
VOTES = (HELPFUL, NOT_HELPFUL)

MAX_BODY_BYTES = 1_024
# Same rule as bot.channels.SENDER_ID (not imported: the page server does not load Rasa).
SENDER_ID = re.compile(r"^[A-Za-z0-9_.:@-]{1,128}$")
MESSAGE_ID = re.compile(r"^[0-9a-f]{32}$")  # uuid4().hex, as the REST channel makes them
MAX_STORED_CHARS = 4_000  # a question or an answer, as kept for staff

_metadata = sa.MetaData()
feedback_table = sa.Table(
    FEEDBACK,
    _metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("message_id", sa.String(64), primary_key=True),
    sa.Column("vote", sa.String(16), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("language", sa.String(8)),
    sa.Column("intent", sa.String(255)),
    sa.Column("entry", sa.String(255)),  # the FAQ entry that answered, when one did
    sa.Column("asked_at", sa.Float, nullable=False),
    sa.Column("voted_at", sa.Float, nullable=False, index=True),
)


class BadVote(ValueError):
    """The vote request is malformed; the message says what to fix (HTTP 400)."""


class UnknownAnswer(LookupError):
    """No such answer in the stored conversations (HTTP 404)."""


@dataclass(frozen=True)
class Answered:
    """One patient message and the assistant's answer to it, as stored by Rasa."""

    question: str
    answer: str
    language: str | None
    intent: str | None
    entry: str | None
    asked_at: float


@dataclass(frozen=True)
class Vote(Answered):
    """A patient's vote on one answer, with that answer as it was stored."""

    sender: str  # never shown to staff: counts conversations
    message_id: str
    vote: str
    voted_at: float


def parse_vote(body: bytes) -> tuple[str, str, str]:
    """(sender, message_id, vote) from a request body, or BadVote saying what is wrong."""
    if len(body) > MAX_BODY_BYTES:
        raise BadVote(f"The body must be under {MAX_BODY_BYTES} bytes.")
    try:
        payload = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        raise BadVote('The body must be JSON: {"sender": "...", "reply_to": "...", "vote": "helpful"}.') from None
    if not isinstance(payload, dict):
        raise BadVote("The body must be a JSON object with 'sender', 'reply_to' and 'vote'.")
    unknown = sorted(set(payload) - {"sender", "reply_to", "vote"})
    if unknown:
        raise BadVote(f"Unknown field(s): {', '.join(repr(k)[:40] for k in unknown[:5])}.")
    sender, message_id, vote = payload.get("sender"), payload.get("reply_to"), payload.get("vote")
    if not isinstance(sender, str) or not SENDER_ID.match(sender):
        raise BadVote("'sender' must be a conversation id of 1 to 128 letters, digits or . _ : @ -")
    if not isinstance(message_id, str) or not MESSAGE_ID.match(message_id):
        raise BadVote("'reply_to' must be the 32-character id sent with the answer.")
    if vote not in VOTES:
        raise BadVote("'vote' must be \"helpful\" or \"not_helpful\".")
    return sender, message_id, vote


def _clip(text: str) -> str:
    return text if len(text) <= MAX_STORED_CHARS else text[: MAX_STORED_CHARS - 1] + "…"


def _bot_text(data: dict[str, Any]) -> str:
    """What the patient saw of one bot message: its text, and the trials of any cards."""
    parts = [str(data.get("text") or "").strip()]
    custom = (data.get("data") or {}).get("custom") or {}
    if isinstance(custom, dict) and custom.get("type") == "trial_cards":
        cards = [c for c in custom.get("cards") or [] if isinstance(c, dict)]
        parts.extend(f"[{c.get('id', '')}] {c.get('title', '')}".strip() for c in cards)
    return "\n".join(p for p in parts if p)


def find_answer(engine: Engine, sender: str, message_id: str) -> Answered | None:
    """The stored question with this id in this conversation, and the answer given to it."""
    if not store.has_events(engine):
        return None
    events = store.events_table
    query = (
        sa.select(events.c.type_name, events.c.timestamp, events.c.intent_name, events.c.data)
        .where(events.c.sender_id == sender, events.c.type_name.in_(("user", "bot", "slot")))
        .order_by(events.c.id)
    )
    found: dict[str, Any] | None = None
    answer: list[str] = []
    with engine.connect() as connection:
        for row in connection.execute(query):
            data = store.parse_event_data(row.data)
            if row.type_name == "user":
                if found is not None:
                    break  # the next question: the answer is complete
                if data.get("message_id") == message_id:
                    turn = store.turn_from_event(sender, row, data)
                    found = {"turn": turn, "language": None}
            elif found is None:
                continue
            elif row.type_name == "bot":
                answer.append(_bot_text(data))
            elif data.get("name") == "language" and data.get("value") in LANGUAGES:
                found["language"] = data["value"]
    if found is None:
        return None
    turn = found["turn"]
    return Answered(
        question=_clip(turn["text"]),
        answer=_clip("\n".join(a for a in answer if a)),
        language=found["language"],
        intent=turn["intent"],
        entry=turn["suggestion"] if turn["intent"] == "faq" else None,
        asked_at=turn["timestamp"],
    )


def ensure_table(engine: Engine) -> None:
    feedback_table.create(engine, checkfirst=True)


def record_vote(engine: Engine, sender: str, message_id: str, vote: str, now: float | None = None) -> Vote:
    """Keeps the vote on this answer (replacing an earlier one); UnknownAnswer if there is none."""
    if vote not in VOTES:
        raise BadVote("'vote' must be \"helpful\" or \"not_helpful\".")
    answered = find_answer(engine, sender, message_id)
    if answered is None:
        raise UnknownAnswer("There is no such answer in this conversation (it may have expired).")
    ensure_table(engine)
    row = {
        "sender_id": sender,
        "message_id": message_id,
        "vote": vote,
        "question": answered.question,
        "answer": answered.answer,
        "language": answered.language,
        "intent": answered.intent,
        "entry": answered.entry,
        "asked_at": answered.asked_at,
        "voted_at": time.time() if now is None else now,
    }
    key = (feedback_table.c.sender_id == sender) & (feedback_table.c.message_id == message_id)
    for attempt in range(2):  # two clicks at once: the second insert fails, then replaces
        try:
            with engine.begin() as connection:
                connection.execute(feedback_table.delete().where(key))
                connection.execute(feedback_table.insert(), [row])
            break
        except IntegrityError:
            if attempt:
                raise
    return Vote(sender=sender, **{k: v for k, v in row.items() if k != "sender_id"})


def read_votes(engine: Engine, vote: str | None = None, since: float | None = None) -> list[Vote]:
    """The votes kept, oldest first (only ``vote`` ones, only since ``since``, when given)."""
    if not sa.inspect(engine).has_table(FEEDBACK):
        return []
    query = sa.select(feedback_table).order_by(feedback_table.c.voted_at)
    if vote is not None:
        query = query.where(feedback_table.c.vote == vote)
    if since is not None:
        query = query.where(feedback_table.c.voted_at >= since)
    with engine.connect() as connection:
        return [
            Vote(sender=row.sender_id, **{k: v for k, v in row._mapping.items() if k != "sender_id"})
            for row in connection.execute(query)
        ]


def purge_before(engine: Engine, cutoff: float) -> int:
    """Deletes votes on answers older than ``cutoff`` (they go with their conversations)."""
    if not sa.inspect(engine).has_table(FEEDBACK):
        return 0
    with engine.begin() as connection:
        deleted = connection.execute(feedback_table.delete().where(feedback_table.c.asked_at < cutoff))
    return int(deleted.rowcount or 0)
