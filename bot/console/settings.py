"""The console's settings, read once from the environment (or .env) at each entry point."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bot.settings import MODELS_DIR, PROJECT_ROOT, VAR_DIR


@dataclass(frozen=True)
class Project:
    """The files the console publishes to: the project itself, or a copy in tests."""

    root: Path = PROJECT_ROOT
    models_dir: Path = MODELS_DIR

    @property
    def faq_dir(self) -> Path:
        return self.root / "faq"


@dataclass(frozen=True)
class ConsoleSettings:
    enabled: bool = True
    database_url: str = f"sqlite:///{VAR_DIR / 'staff.db'}"
    idle_minutes: int = 30  # a session unused this long is over
    lockout_attempts: int = 5  # failed logins in a row before the account is locked...
    lockout_minutes: int = 15  # ...for this long
    secure_cookies: bool = False  # set when the console is reached over HTTPS only
    staging_dir: Path = VAR_DIR / "staging"
    project: Project = Project()


def _flag(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def load_console_settings() -> ConsoleSettings:
    """STAFF_CONSOLE (on by default), STAFF_DATABASE_URL, STAFF_IDLE_MINUTES,
    STAFF_LOCKOUT_ATTEMPTS, STAFF_LOCKOUT_MINUTES, STAFF_SECURE_COOKIES."""
    defaults = ConsoleSettings()
    return ConsoleSettings(
        enabled=_flag(os.environ.get("STAFF_CONSOLE"), True),
        database_url=os.environ.get("STAFF_DATABASE_URL") or defaults.database_url,
        idle_minutes=int(os.environ.get("STAFF_IDLE_MINUTES") or defaults.idle_minutes),
        lockout_attempts=int(os.environ.get("STAFF_LOCKOUT_ATTEMPTS") or defaults.lockout_attempts),
        lockout_minutes=int(os.environ.get("STAFF_LOCKOUT_MINUTES") or defaults.lockout_minutes),
        secure_cookies=_flag(os.environ.get("STAFF_SECURE_COOKIES"), False),
    )
