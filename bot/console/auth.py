"""Staff accounts, passwords (argon2), sessions, CSRF tokens, lock-out and roles.

A session is a random cookie whose SHA-256 is stored; it ends after ``idle_minutes`` without
a request. Each session has its own CSRF token, which every change must send back in the
``X-CSRF-Token`` header. ``lockout_attempts`` failed logins in a row lock the account for
``lockout_minutes`` (the answer does not say whether the name exists).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine

from bot.console import store
from bot.console.settings import ConsoleSettings
from bot.errors import AuthError

ROLES = ("editor", "reviewer", "admin")
# What each role may do; the server checks it on every page and API call.
PERMISSIONS: dict[str, frozenset[str]] = {
    "editor": frozenset({"view", "edit", "preview", "inbox"}),
    "reviewer": frozenset({"view", "review", "preview", "publish", "audit"}),
    "admin": frozenset({"view", "edit", "review", "preview", "publish", "inbox", "audit", "users"}),
}
MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
# Verified against when the name is unknown, so that both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


@dataclass(frozen=True)
class Staff:
    id: int
    name: str
    role: str

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())


@dataclass(frozen=True)
class Session:
    token: str  # the cookie value
    csrf: str
    staff: Staff


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(engine: Engine, name: str, role: str, password: str) -> Staff:
    name = name.strip()
    if role not in ROLES:
        raise AuthError(f"the role must be one of {', '.join(ROLES)}.")
    if not name or len(name) > 80 or any(c.isspace() for c in name):
        raise AuthError("the name must be one word (no spaces), at most 80 characters.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters.")
    with engine.begin() as conn:
        if conn.execute(select(store.users.c.id).where(store.users.c.name == name)).first():
            raise AuthError(f"there is already a user '{name}'.")
        result = conn.execute(
            store.users.insert().values(
                name=name, role=role, password_hash=_hasher.hash(password), failed_logins=0,
                locked_until=0.0, active=True, created_at=time.time(),
            )
        )
        user_id = int(result.inserted_primary_key[0])
    store.record(engine, "(command line)", "user_added", name, {"role": role})
    return Staff(user_id, name, role)


def login(engine: Engine, settings: ConsoleSettings, name: str, password: str) -> Session:
    """A new session for ``name``, or AuthError (wrong password, locked, unknown)."""
    now = time.time()
    with engine.begin() as conn:
        row = conn.execute(select(store.users).where(store.users.c.name == name.strip())).first()
    refused = AuthError("wrong name or password.")
    if row is None or not row.active:
        try:
            _hasher.verify(_DUMMY_HASH, password or "-")
        except VerificationError:
            pass
        store.record(engine, name[:80] or "(empty)", "login_failed", "", "unknown user")
        raise refused
    if row.locked_until > now:
        minutes = max(1, round((row.locked_until - now) / 60))
        store.record(engine, row.name, "login_refused", "", "account locked")
        raise AuthError(
            f"too many failed logins: this account is locked for {minutes} more minute(s). "
            "Ask an administrator if you have forgotten your password."
        )
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        failures = row.failed_logins + 1
        locked = now + settings.lockout_minutes * 60 if failures >= settings.lockout_attempts else 0.0
        with engine.begin() as conn:
            conn.execute(
                update(store.users).where(store.users.c.id == row.id).values(
                    failed_logins=0 if locked else failures, locked_until=locked
                )
            )
        store.record(engine, row.name, "login_failed", "", "locked" if locked else f"attempt {failures}")
        raise refused from None
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(update(store.users).where(store.users.c.id == row.id).values(failed_logins=0, locked_until=0.0))
        conn.execute(store.sessions.insert().values(
            token_hash=_digest(token), user_id=row.id, csrf=csrf, created_at=now, last_seen=now
        ))
    store.record(engine, row.name, "login")
    return Session(token, csrf, Staff(row.id, row.name, row.role))


def session_for(engine: Engine, settings: ConsoleSettings, token: str | None) -> Session | None:
    """The live session of this cookie (its idle clock restarted), or None."""
    if not token:
        return None
    now = time.time()
    idle_limit = now - settings.idle_minutes * 60
    with engine.begin() as conn:
        conn.execute(delete(store.sessions).where(store.sessions.c.last_seen < idle_limit))
        row = conn.execute(
            select(store.sessions, store.users.c.name, store.users.c.role, store.users.c.active)
            .join(store.users, store.users.c.id == store.sessions.c.user_id)
            .where(store.sessions.c.token_hash == _digest(token))
        ).first()
        if row is None or not row.active:
            return None
        conn.execute(update(store.sessions).where(store.sessions.c.token_hash == row.token_hash).values(last_seen=now))
    return Session(token, row.csrf, Staff(row.user_id, row.name, row.role))


def logout(engine: Engine, session: Session) -> None:
    with engine.begin() as conn:
        conn.execute(delete(store.sessions).where(store.sessions.c.token_hash == _digest(session.token)))
    store.record(engine, session.staff.name, "logout")


def csrf_ok(session: Session, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(session.csrf, sent or "")


def list_users(engine: Engine) -> list[dict[str, object]]:
    with engine.begin() as conn:
        rows = conn.execute(select(store.users).order_by(store.users.c.name)).all()
    return [
        {"name": r.name, "role": r.role, "active": r.active, "locked": r.locked_until > time.time()}
        for r in rows
    ]
