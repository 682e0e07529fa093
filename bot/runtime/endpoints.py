"""Rasa's endpoints file, generated from our settings (URLs in the environment) at start-up."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url

from bot.settings import PROJECT_ROOT, Settings

# Rasa's SQL tracker store, failing visibly and masking what it writes (see the module).
TRACKER_STORE_TYPE = "bot.conversation_store.SafeSQLTrackerStore"
# The action server refuses calls without this header; Rasa reads the value from its
# environment (`${...}` in endpoints.yml), so the secret is never written to the file.
ACTION_TOKEN_HEADER = "X-Action-Token"
ACTION_TOKEN_VARIABLE = "BOT_ACTION_TOKEN"


def tracker_store_config(url: str) -> dict[str, Any]:
    """Rasa's SQL tracker store takes parts, not a URL: split ours."""
    parsed = make_url(url)
    dialect = parsed.get_backend_name()
    config: dict[str, Any] = {"type": TRACKER_STORE_TYPE, "dialect": dialect, "db": parsed.database}
    if dialect == "sqlite":
        db_path = Path(parsed.database or "var/conversations.db")
        if not db_path.is_absolute():
            db_path = PROJECT_ROOT / db_path
        db_path.parent.mkdir(parents=True, exist_ok=True)
        config["db"] = str(db_path)
        return config
    config.update(
        {
            "url": parsed.host,
            "port": parsed.port,
            "username": parsed.username,
            "password": parsed.password,
            "query": dict(parsed.query),
        }
    )
    return {key: value for key, value in config.items() if value not in (None, {})}


LOCK_STORE_CLASS = "bot.runtime.lock_store.KeptAliveRedisLockStore"


def lock_store_config(url: str | None, lifetime_s: float | None = None) -> dict[str, Any] | None:
    """Redis lock store (needed with several Rasa processes); in-memory when no URL.

    ``redis://host:port/db?prefix=name``; the prefix (letters and digits) keeps the keys of
    two deployments sharing one Redis apart. Ours keeps live tickets alive, so a short
    lifetime only expires a dead instance's tickets (bot/runtime/lock_store.py).
    """
    if not url:
        return None
    parsed = make_url(url)
    config = {
        "type": LOCK_STORE_CLASS,
        "url": parsed.host or "127.0.0.1",
        "port": parsed.port or 6379,
        "password": parsed.password,
        "db": int(parsed.database or 0),
        "key_prefix": parsed.query.get("prefix"),
        "lifetime": lifetime_s,
    }
    return {key: value for key, value in config.items() if value is not None}


METRICS_BROKER_CLASS = "bot.runtime.metrics.MetricsEventBroker"


def action_endpoint_config(settings: Settings) -> dict[str, Any]:
    """The action server, with the shared secret read from the environment (never in the file).

    ``enable_selective_domain``: Rasa sends its whole domain (every response, in both languages)
    with each call unless the action is declared with ``send_domain: true``. None of ours reads
    it (they name responses, which Rasa renders), and serialising it was most of a call's cost."""
    return {"url": settings.action_url, "headers": {ACTION_TOKEN_HEADER: f"${{{ACTION_TOKEN_VARIABLE}}}"},
            "enable_selective_domain": True}


def endpoints_config(settings: Settings) -> dict[str, Any]:
    config: dict[str, Any] = {
        "action_endpoint": action_endpoint_config(settings),
        "tracker_store": tracker_store_config(settings.tracker_store_url),
    }
    lock_store = lock_store_config(settings.lock_store_url, settings.lock_lifetime_s)
    if lock_store:
        config["lock_store"] = lock_store
    # Counts messages, latency, fallbacks... from the events Rasa stores (bot/runtime/metrics.py).
    config["event_broker"] = {"type": METRICS_BROKER_CLASS}
    return config


def write_endpoints(settings: Settings, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "# GENERATED at start-up by bot/runtime/endpoints.py from the settings; do not edit.\n"
    path.write_text(header + yaml.safe_dump(endpoints_config(settings), sort_keys=False))
    return path
