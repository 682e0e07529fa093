"""Run-time settings, read from the environment (optionally from a ``.env`` file at the root).

Every setting has a safe local default, so ``make run`` works on a fresh clone: SQLite files
under ``var/``, servers bound to localhost only.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"
MODELS_DIR = PROJECT_ROOT / "models"


def _load_dotenv(path: Path) -> None:
    """Exports KEY=VALUE lines of ``path`` that the environment does not already set."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


def _sqlite_url(name: str) -> str:
    return f"sqlite:///{VAR_DIR / name}"


def _csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _persistent_token(name: str = "rasa-api-token") -> str:
    """A random token (Rasa HTTP API, action server), kept in var/ so that restarts reuse it."""
    token_file = VAR_DIR / name
    if token_file.is_file():
        return token_file.read_text(encoding="utf-8").strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    token_file.write_text(token, encoding="utf-8")
    token_file.chmod(0o600)
    return token


@dataclass(frozen=True)
class Settings:
    host: str
    rasa_port: int
    action_port: int
    web_port: int
    database_url: str
    tracker_store_url: str
    lock_store_url: str | None
    cors_origins: list[str] = field(default_factory=list)
    retention_days: int = 90
    # Messages a minute (and in a row) per client address and per conversation: see bot/limits.py.
    rate_limit_per_client: str = "60/min,burst=20"
    rate_limit_per_conversation: str = "20/min,burst=6"
    trusted_proxy_header: str | None = None  # e.g. X-Real-IP, only when a proxy sets it

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{self.host}:{self.action_port}/webhook"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    def rasa_api_url(self, path: str) -> str:
        """A URL of Rasa's HTTP API, with the token (Rasa reads it from the ``token`` query)."""
        from urllib.parse import quote

        return f"{self.rasa_url}{path}?token={quote(self.rasa_api_token())}"

    def rasa_api_token(self) -> str:
        return os.environ.get("RASA_AUTH_TOKEN") or _persistent_token()

    def action_token(self) -> str:
        """The secret Rasa sends the action server (header ``X-Action-Token``)."""
        return os.environ.get("ACTION_SERVER_TOKEN") or _persistent_token("action-server-token")


def load_settings() -> Settings:
    _load_dotenv(PROJECT_ROOT / ".env")
    host = os.environ.get("BOT_HOST", "127.0.0.1")
    web_port = int(os.environ.get("WEB_PORT", "8000"))
    default_origins = f"http://localhost:{web_port},http://127.0.0.1:{web_port}"
    return Settings(
        host=host,
        rasa_port=int(os.environ.get("RASA_PORT", "5005")),
        action_port=int(os.environ.get("ACTION_PORT", "5055")),
        web_port=web_port,
        database_url=os.environ.get("DATABASE_URL") or _sqlite_url("trials.db"),
        tracker_store_url=os.environ.get("TRACKER_STORE_URL") or _sqlite_url("conversations.db"),
        lock_store_url=os.environ.get("LOCK_STORE_URL") or None,
        cors_origins=_csv(os.environ.get("CORS_ORIGINS", default_origins)),
        retention_days=int(os.environ.get("RETENTION_DAYS", "90")),
        rate_limit_per_client=os.environ.get("RATE_LIMIT_PER_CLIENT") or "60/min,burst=20",
        rate_limit_per_conversation=os.environ.get("RATE_LIMIT_PER_CONVERSATION") or "20/min,burst=6",
        trusted_proxy_header=os.environ.get("TRUSTED_PROXY_HEADER") or None,
    )
