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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from bot.faq import service as faq_service  # noqa: E402
from bot.runtime import launcher  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model for the current FAQ, data and config (trained once if anything changed)."""
    return faq_service.train()


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
    with launcher.private_assistant(load_settings(), trained_model, data_dir) as settings:
        yield Assistant(settings)
