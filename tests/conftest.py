"""Fixtures shared by the whole suite: the trained model and the running assistant.

``assistant`` starts the real stack (action server, Rasa with the REST channel, chat page) on
free ports, with its own SQLite trial store and conversation store in a temporary folder, the
same way ``bot run`` does (it reuses the launcher's code).
"""
from __future__ import annotations

import json
import os
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from bot import launcher  # noqa: E402
from bot.launcher import free_port  # noqa: E402
from bot.model import ensure_model  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model for the current data and config (trained once if anything changed)."""
    return ensure_model()


@dataclass
class Assistant:
    settings: Settings

    def send(
        self, text: str, sender: str | None = None, lang: str | None = None, timeout: float = 30
    ) -> list[dict[str, Any]]:
        """Posts one message to the REST channel, as the web page does; returns the replies."""
        body: dict[str, Any] = {"sender": sender or f"test-{uuid.uuid4().hex[:12]}", "message": text}
        if lang:
            body["metadata"] = {"lang": lang}
        return self.post(body, timeout=timeout)

    def post(self, body: Any, raw: bytes | None = None, timeout: float = 30) -> Any:
        data = raw if raw is not None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.settings.rasa_url}/webhooks/rest/webhook",
            data=data,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310
            return json.loads(reply.read())

    def text(self, text: str, sender: str | None = None, lang: str | None = None) -> str:
        return "\n".join(m.get("text", "") for m in self.send(text, sender, lang))

    def parse(self, text: str) -> dict[str, Any]:
        request = urllib.request.Request(
            self.settings.rasa_api_url("/model/parse"),
            data=json.dumps({"text": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310
            return json.loads(reply.read())


@pytest.fixture(scope="session")
def assistant(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """The whole assistant running on free ports, with its own databases."""
    data_dir = tmp_path_factory.mktemp("assistant")
    web_port = free_port()
    settings = replace(
        load_settings(),
        host="127.0.0.1",
        rasa_port=free_port(),
        action_port=free_port(),
        web_port=web_port,
        database_url=f"sqlite:///{data_dir / 'trials.db'}",
        tracker_store_url=f"sqlite:///{data_dir / 'conversations.db'}",
        lock_store_url=None,
        cors_origins=[f"http://127.0.0.1:{web_port}", f"http://localhost:{web_port}"],
    )
    # The child processes read their settings from the environment, like `bot run` does.
    overrides = {
        "BOT_HOST": settings.host,
        "RASA_PORT": str(settings.rasa_port),
        "ACTION_PORT": str(settings.action_port),
        "WEB_PORT": str(settings.web_port),
        "DATABASE_URL": settings.database_url,
        "TRACKER_STORE_URL": settings.tracker_store_url,
        "CORS_ORIGINS": ",".join(settings.cors_origins),
        # Every test talks from 127.0.0.1: no per-client limit here (tests/unit/test_limits.py
        # covers it); the per-conversation limit is real, tests use a conversation each.
        "RATE_LIMIT_PER_CLIENT": "1000000/min,burst=1000000",
        "RATE_LIMIT_PER_CONVERSATION": "60/min,burst=12",
    }
    previous = {key: os.environ.get(key) for key in overrides}
    os.environ.update(overrides)
    launcher.prepare_store(settings)
    services = launcher.build_services(settings, trained_model, data_dir / "endpoints.yml")
    try:
        for service in services:
            launcher.start(service)
        launcher.wait_ready(services)
        yield Assistant(settings)
    finally:
        launcher.stop(services)
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
