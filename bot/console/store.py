"""The console's own records: users, sessions, entry versions, publications and the audit log.

SQLite under var/ by default, PostgreSQL with STAFF_DATABASE_URL (SQLAlchemy 1.4 Core).
Nothing here is ever deleted except expired sessions: every version of every entry and every
audit line is kept.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
)
from sqlalchemy.engine import Engine, make_url

metadata = MetaData()

users = Table(
    "staff_users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), unique=True, nullable=False),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", Float, nullable=False, default=0.0),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", Float, nullable=False),
)

sessions = Table(
    "staff_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),  # the cookie itself is never stored
    Column("user_id", Integer, ForeignKey("staff_users.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
)

# One row per version of an entry. status: draft -> pending -> approved | rejected;
# approved -> published (then archived when a later version goes live) or rolled_back.
versions = Table(
    "staff_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_id", String(80), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("data", Text, nullable=False),  # JSON: the entry's fields (see entries.py)
    Column("status", String(20), nullable=False),
    Column("author", String(80), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("reviewer", String(80)),
    Column("reviewed_at", Float),
    Column("comment", Text),
    Column("publication_id", Integer),
)

publications = Table(
    "staff_publications", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Float, nullable=False),
    Column("by", String(80), nullable=False),
    Column("model", Text, nullable=False),
    Column("previous_model", Text),
    Column("version_ids", Text, nullable=False),  # JSON list
    Column("files_before", Text, nullable=False),  # JSON {file name: text or null}
    Column("status", String(20), nullable=False),  # live | rolled_back
    Column("rolled_back_by", String(80)),
    Column("rolled_back_at", Float),
)

audit = Table(
    "staff_audit", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Float, nullable=False, index=True),
    Column("user", String(80), nullable=False),
    Column("action", String(40), nullable=False),
    Column("target", String(120), nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),
)


def open_store(url: str) -> Engine:
    """The engine of the console database, its tables created when missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    metadata.create_all(engine)
    return engine


def record(engine: Engine, user: str, action: str, target: str = "", detail: Any = "") -> None:
    """One line of the audit log."""
    text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    with engine.begin() as conn:
        conn.execute(audit.insert().values(at=time.time(), user=user, action=action, target=target, detail=text))
