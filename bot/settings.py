"""Run-time settings, read from the environment (optionally from a ``.env`` file at the root).

Every setting has a safe local default, so ``make run`` works on a fresh clone: SQLite files
under ``var/``, servers bound to localhost only.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from bot.errors import SettingsError

# Where the project's files are, declared once. (Resources that are part of the code, such as
# the chat page's templates, the trial store's migrations or the bundled records, stay beside
# the module that reads them.)
PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"  # what the running assistant writes: SQLite files, tokens, logs
LOG_DIR = VAR_DIR / "logs"
ENDPOINTS_FILE = VAR_DIR / "endpoints.yml"  # written at start from the settings (bot/runtime/endpoints.py)
NGINX_DIR = VAR_DIR / "nginx"  # the generated nginx.conf and its temporary files
CURRENT_MODEL_FILE = VAR_DIR / "current-model"  # the model a (re)started Rasa instance loads
RUNNING_INSTANCES_FILE = VAR_DIR / "rasa-instances"  # the instances `bot faq publish` reaches
FAQ_DRAFTS_DIR = VAR_DIR / "faq-drafts"
MODELS_DIR = PROJECT_ROOT / "models"
CONFIG_FILE = PROJECT_ROOT / "config.yml"  # Rasa's pipeline and policies
CREDENTIALS_FILE = PROJECT_ROOT / "credentials.yml"  # Rasa's channels
DOMAIN_DIR = PROJECT_ROOT / "domain"
DATA_DIRS = (PROJECT_ROOT / "nlu_data", PROJECT_ROOT / "dialogue")  # Rasa's training data
FAQ_DIR = PROJECT_ROOT / "faq"  # the FAQ's single source, edited by staff
CORPUS_DIR = PROJECT_ROOT / "eval" / "real_questions"
TRIALS_SYNC_QUERIES = PROJECT_ROOT / "trials_sync.yml"


def _load_dotenv(path: Path) -> None:
    """Exports the variables of ``path`` that the environment does not already set. Parsed by
    python-dotenv: comments after a value, ``export KEY=v`` and quotes work as in a shell."""
    if not path.is_file():
        return
    for key, value in dotenv_values(path).items():
        if value is not None:
            os.environ.setdefault(key, value)


def _number(name: str, default: str, kind: type = int) -> Any:
    """A numeric setting, or one clear line naming it (never a traceback)."""
    raw = os.environ.get(name, default).strip()
    try:
        return kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise SettingsError(f"{name}={raw!r} is not {what}: fix it in .env or the environment "
                            f"(default {default})") from None


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
    # Registry sync (bot/trials/sync.py): off by default in `bot run`, it needs the internet.
    trials_sync_daily: bool = False
    trials_sync_time: str = "03:30"  # local time of the daily run
    trials_sync_api_url: str = "https://clinicaltrials.gov/api/v2"
    trials_sync_queries: Path = TRIALS_SYNC_QUERIES
    trials_sync_interval_s: float = 2.0  # between two registry requests (30/min)
    trials_sync_retries: int = 5  # per request: timeouts, 429, 5xx, cut pages
    trials_sync_backoff_s: float = 2.0  # first wait between retries, doubled each time
    # Production stack (bot/runtime/): N Rasa processes behind nginx when N > 1.
    rasa_instances: int = 1
    public_port: int = 8080  # nginx's port when it fronts the assistant
    public_base_url: str | None = None  # e.g. https://assistant.example.org (reverse proxy)
    # Two layers, two settings (README, Configuration): nginx (N > 1) believes the X-Forwarded-*
    # of these proxy addresses; Rasa's channel reads the client address from trusted_proxy_header.
    trusted_proxies: list[str] = field(default_factory=list)  # addresses allowed to set X-Forwarded-*
    lock_lifetime_s: int = 3  # a dead instance's conversations wait at most this long
    metrics_port: int = 9405  # instance i serves /metrics on metrics_port + i (localhost)

    @property
    def behind_nginx(self) -> bool:
        return self.rasa_instances > 1

    @property
    def rasa_ports(self) -> list[int]:
        """Instance i listens on rasa_port + i (localhost; nginx is the public side)."""
        return [self.rasa_port + index for index in range(self.rasa_instances)]

    def instance(self, index: int) -> Settings:
        """The settings as seen by Rasa instance ``index``: its own port, alone at that URL."""
        return replace(self, rasa_port=self.rasa_ports[index], rasa_instances=1)

    @property
    def front_url(self) -> str:
        """nginx, on this machine (when it runs: RASA_INSTANCES > 1)."""
        return f"http://{self.host}:{self.public_port}"

    @property
    def public_url(self) -> str:
        """Where people open the chat page: PUBLIC_BASE_URL, else the local front door."""
        if self.public_base_url:
            return self.public_base_url.rstrip("/")
        return self.front_url if self.behind_nginx else self.web_url

    @property
    def chat_api_url(self) -> str:
        """Where the widget sends messages: behind nginx the page's own origin, else Rasa."""
        return self.public_url if self.behind_nginx or self.public_base_url else self.rasa_url
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
    web_port = _number("WEB_PORT", "8000")
    default_origins = f"http://localhost:{web_port},http://127.0.0.1:{web_port}"
    return Settings(
        host=host,
        rasa_port=_number("RASA_PORT", "5005"),
        action_port=_number("ACTION_PORT", "5055"),
        web_port=web_port,
        database_url=os.environ.get("DATABASE_URL") or _sqlite_url("trials.db"),
        tracker_store_url=os.environ.get("TRACKER_STORE_URL") or _sqlite_url("conversations.db"),
        lock_store_url=os.environ.get("LOCK_STORE_URL") or None,
        cors_origins=_csv(os.environ.get("CORS_ORIGINS", default_origins)),
        retention_days=_number("RETENTION_DAYS", "90"),
        trials_sync_daily=_flag(os.environ.get("TRIALS_SYNC_DAILY", "")),
        trials_sync_time=os.environ.get("TRIALS_SYNC_TIME", "03:30"),
        trials_sync_api_url=os.environ.get("TRIALS_SYNC_API_URL") or "https://clinicaltrials.gov/api/v2",
        trials_sync_queries=Path(os.environ.get("TRIALS_SYNC_QUERIES") or TRIALS_SYNC_QUERIES),
        trials_sync_interval_s=_number("TRIALS_SYNC_INTERVAL_S", "2.0", float),
        trials_sync_retries=_number("TRIALS_SYNC_RETRIES", "5"),
        trials_sync_backoff_s=_number("TRIALS_SYNC_BACKOFF_S", "2.0", float),
        rasa_instances=_number("RASA_INSTANCES", "1"),
        public_port=_number("PUBLIC_PORT", "8080"),
        public_base_url=os.environ.get("PUBLIC_BASE_URL") or None,
        trusted_proxies=_csv(os.environ.get("TRUSTED_PROXIES", "")),
        lock_lifetime_s=_number("LOCK_LIFETIME_S", "3"),
        metrics_port=_number("METRICS_PORT", "9405"),
        rate_limit_per_client=os.environ.get("RATE_LIMIT_PER_CLIENT") or "60/min,burst=20",
        rate_limit_per_conversation=os.environ.get("RATE_LIMIT_PER_CONVERSATION") or "20/min,burst=6",
        trusted_proxy_header=os.environ.get("TRUSTED_PROXY_HEADER") or None,
    )


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}
