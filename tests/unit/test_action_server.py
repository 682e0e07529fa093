"""The action server answers only Rasa (shared secret), never echoes a request, refuses bad framing.

Runs the real server (``python -m bot.action_server``) on a free port.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.http_guard import framing_problem
from bot.runtime.endpoints import ACTION_TOKEN_HEADER, ACTION_TOKEN_VARIABLE
from bot.runtime.launcher import free_port
from bot.settings import PROJECT_ROOT
from tests.unit.http_raw import BAD_FRAMING, raw_request

TOKEN = "test-secret-4f1c"
MARKER = "ECHO-MARKER-93b2"


@pytest.fixture(scope="module")
def action_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = free_port()
    log = Path(tmp_path_factory.mktemp("actions")) / "actions.log"
    env = {**os.environ, ACTION_TOKEN_VARIABLE: TOKEN, "SANIC_HOST": "127.0.0.1",
           "DATABASE_URL": f"sqlite:///{log.parent / 'trials.db'}"}
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "bot.action_server", "--port", str(port)],
                                   cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not _answers(port):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as reply:  # noqa: S310
            return reply.status == 200
    except OSError:
        return False


def call(port: int, body: bytes, token: str | None) -> tuple[int, str]:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers[ACTION_TOKEN_HEADER] = token
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhook", data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def action_call(name: str) -> bytes:
    tracker = {"sender_id": "t", "slots": {"language": "fr", "include_hidden": True}, "events": [],
               "latest_message": {"text": f"hello {MARKER}", "intent": {}, "entities": []}}
    return json.dumps({"next_action": name, "tracker": tracker, "domain": {}, "version": "3.6.21"}).encode()


@pytest.mark.parametrize("token", [None, "", "wrong", TOKEN + "x"])
def test_calls_without_the_secret_are_refused(action_port: int, token: str | None) -> None:
    status, body = call(action_port, action_call("action_detect_language"), token)
    assert status == 401
    assert "only answers the assistant" in body and MARKER not in body


def test_rasa_with_the_secret_is_answered(action_port: int) -> None:
    status, body = call(action_port, action_call("action_detect_language"), TOKEN)
    assert status == 200 and "events" in json.loads(body)


@pytest.mark.parametrize(
    "body",
    [
        f'{{"next_action": "action_detect_language", "tracker": "{MARKER}"}}'.encode(),  # crashes the action
        f"not json {MARKER}".encode(),
        json.dumps({"next_action": "action_nope", "tracker": {"sender_id": MARKER}}).encode(),
    ],
)
def test_errors_do_not_echo_the_request(action_port: int, body: bytes) -> None:
    status, reply = call(action_port, body, TOKEN)
    assert status in (400, 404, 500)
    assert MARKER not in reply and "request_body" not in reply
    assert _answers(action_port)


@pytest.mark.parametrize("header", list(BAD_FRAMING.values()), ids=list(BAD_FRAMING))
def test_bad_framing_gets_a_400_and_the_server_keeps_answering(action_port: int, header: str) -> None:
    head = f"POST /webhook HTTP/1.1\nHost: x\n{ACTION_TOKEN_HEADER}: {TOKEN}\nContent-Type: application/json\n{header}"
    status, body = raw_request(action_port, head, b"{}")
    assert status == 400 and b"Bad Request" in body
    assert _answers(action_port)


@pytest.mark.parametrize(
    ("lengths", "encodings", "fragment"),
    [(["-1"], [], "whole number"), (["abc"], [], "whole number"), ([" 12 "], [], None), ([], [], None),
     (["1", "1"], [], "more than one"), (["3"], ["chunked"], "both"), ([], ["chunked"], None),
     ([], ["gzip", "chunked"], "only Transfer-Encoding"), (["9" * 13], [], "whole number")],
)
def test_framing_rules(lengths: list[str], encodings: list[str], fragment: str | None) -> None:
    problem = framing_problem(lengths, encodings)
    assert (problem is None) if fragment is None else (fragment in (problem or ""))
