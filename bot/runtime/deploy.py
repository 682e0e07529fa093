"""Telling the running assistant to use a new model, through Rasa's HTTP API (no restart).

Rasa runs with ``--enable-api --auth-token <token>`` (bot/runtime/launcher.py): ``GET /status`` says
which model it uses, ``PUT /model {"model_file": path}`` loads another one (the same
endpoints: tracker store, lock store, action server). Conversations are kept: they live in
the tracker store, not in the model.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from bot.settings import Settings

STATUS_TIMEOUT_S = 5.0
# Loading a model (TensorFlow graphs) takes 10-60 s on a busy machine.
LOAD_TIMEOUT_S = 300.0


class Outcome(str, Enum):
    NOT_RUNNING = "not_running"
    ALREADY_CURRENT = "already_current"
    LOADED = "loaded"
    FAILED = "failed"


@dataclass(frozen=True)
class LoadResult:
    outcome: Outcome
    message: str  # for staff, one or two sentences

    @property
    def ok(self) -> bool:
        return self.outcome is not Outcome.FAILED


def _request(
    settings: Settings, method: str, path: str, body: Any = None, timeout: float = STATUS_TIMEOUT_S
) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    # Rasa checks `--auth-token` against the `token` query parameter (the Authorization
    # header is for JWT only): Settings.rasa_api_url adds it.
    request = urllib.request.Request(
        settings.rasa_api_url(path),
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 (our URL)
            return reply.status, reply.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _rasa_message(body: bytes) -> str:
    try:
        return str(json.loads(body).get("message") or "")
    except (ValueError, AttributeError):
        return body.decode("utf-8", "replace")[:200]


def running_model(settings: Settings) -> str | None:
    """File name of the model the running assistant uses; None when it is not running.

    Raises :class:`PermissionError` when it runs but refuses our token.
    """
    try:
        status, body = _request(settings, "GET", "/status")
    except (urllib.error.URLError, OSError):
        return None
    if status in (401, 403):
        raise PermissionError(_rasa_message(body))
    if status == 409:  # running, but no model loaded
        return ""
    if status != 200:
        raise ConnectionError(f"HTTP {status}: {_rasa_message(body)}")
    return Path(str(json.loads(body).get("model_file") or "")).name


def load_model(settings: Settings, model: Path) -> LoadResult:
    """Makes the running assistant (at ``settings.rasa_url``) answer with ``model``."""
    where = settings.rasa_url
    try:
        current = running_model(settings)
    except PermissionError:
        return LoadResult(
            Outcome.FAILED,
            f"The assistant at {where} is running but refused the request: it was started with "
            "another access token. Restart it (stop it, then `bot run`) to use the new model.",
        )
    except ConnectionError as exc:
        return LoadResult(
            Outcome.FAILED,
            f"The assistant at {where} did not answer as expected ({exc}). Restart it "
            "(stop it, then `bot run`) to use the new model.",
        )
    if current is None:
        return LoadResult(
            Outcome.NOT_RUNNING,
            f"The assistant is not running (nothing answers at {where}); it will use the new "
            "model the next time it starts (`bot run`).",
        )
    if current == model.name:
        return LoadResult(
            Outcome.ALREADY_CURRENT, "The running assistant already uses this model: nothing to do."
        )
    try:
        status, body = _request(
            settings, "PUT", "/model", {"model_file": str(model.resolve())}, timeout=LOAD_TIMEOUT_S
        )
    except (urllib.error.URLError, OSError) as exc:
        return LoadResult(
            Outcome.FAILED,
            f"The assistant at {where} stopped answering while loading the new model ({exc}). "
            "Check that it still runs; restart it with `bot run` if needed.",
        )
    if status != 204:
        return LoadResult(
            Outcome.FAILED,
            f"The running assistant could not load the new model (HTTP {status}: "
            f"{_rasa_message(body)}). It keeps answering with the previous model; restart it "
            "(stop it, then `bot run`) to use the new one.",
        )
    try:
        now = running_model(settings)
    except (PermissionError, ConnectionError):
        now = None
    if now != model.name:
        return LoadResult(
            Outcome.FAILED,
            f"The assistant accepted the new model but still reports '{now}'. Restart it "
            "(stop it, then `bot run`).",
        )
    return LoadResult(
        Outcome.LOADED,
        "The running assistant now answers with the new model (no restart was needed; "
        "ongoing conversations continue).",
    )
