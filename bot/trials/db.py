"""Engines and sessions. Nothing connects at import time: an engine is made on first use of a URL."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.errors import SettingsError

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_sessionmakers: dict[str, sessionmaker] = {}
# The store of calls that name none (the custom actions): set once by the process's entry point
# (bot.action_server) from its settings, never read from the environment here.
_default_url: str | None = None


def use_database(database_url: str) -> None:
    """Makes ``database_url`` the store of every call that does not name one."""
    global _default_url
    _default_url = database_url


def resolve_url(database_url: str | None) -> str:
    """``database_url``, or the one the entry point set with :func:`use_database`."""
    if database_url:
        return database_url
    if _default_url is None:
        raise SettingsError("no trial store configured: the entry point calls bot.trials.db.use_database(settings.database_url)")
    return _default_url


def safe_url(database_url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as "?"; never leak it
        return "?"


def get_engine(database_url: str | None = None) -> Engine:
    url = resolve_url(database_url)
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = _create_engine(url)
        return engine


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # A file database shared by the action server's worker threads and staff commands:
        # pooled connections usable from any thread, WAL so readers never wait for an import.
        engine = create_engine(
            url,
            future=True,
            poolclass=QueuePool,
            pool_size=5,
            max_overflow=5,
            connect_args={"check_same_thread": False, "timeout": 15},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args = {"connect_timeout": 5} if parsed.get_backend_name() == "postgresql" else {}
    return create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-32000")  # 32 MB: keeps the search index hot
    cursor.close()


@contextmanager
def session_scope(database_url: str | None = None) -> Iterator[Session]:
    """A session for one request: committed on success, rolled back on error, always closed."""
    url = resolve_url(database_url)
    engine = get_engine(url)
    with _lock:
        maker = _sessionmakers.get(url)
        if maker is None:
            maker = _sessionmakers[url] = sessionmaker(bind=engine, future=True, expire_on_commit=False)
    session = maker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def dispose_engine(database_url: str | None = None) -> None:
    """Closes the pooled connections of one URL (tests, shutdown, after dropping a database)."""
    url = resolve_url(database_url)
    with _lock:
        engine = _engines.pop(url, None)
        _sessionmakers.pop(url, None)
    if engine is not None:
        engine.dispose()


def dispose_all() -> None:
    with _lock:
        engines = list(_engines.values())
        _engines.clear()
        _sessionmakers.clear()
    for engine in engines:
        engine.dispose()
