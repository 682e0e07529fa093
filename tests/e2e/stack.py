"""`bot run --rasa-instances 2` on free ports, with its own PostgreSQL database and Redis key
prefix, for the tests of the production stack; and the clients of the drills."""
from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.runtime.launcher import free_port
from bot.settings import PROJECT_ROOT
from tests.services import REDIS_HOST, REDIS_PORT

READY_TIMEOUT_S = 240


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_port_pair() -> int:
    """A free port whose next one is free too (instance i listens on RASA_PORT + i).

    Below Linux's ephemeral range (32768+): there, the next port may be taken meanwhile as
    the local end of some outgoing connection (Rasa's own, to PostgreSQL).
    """
    for _ in range(200):
        port = random.randrange(20000, 32000)
        if _bindable(port) and _bindable(port + 1):
            return port
    raise RuntimeError("no two consecutive free ports")


def stack_env(tmp_path: Path, tracker_url: str, redis_prefix: str, instances: int = 2) -> dict[str, str]:
    rasa_port, metrics_port = free_port_pair(), free_port_pair()
    return {
        **os.environ,
        "BOT_HOST": "127.0.0.1",
        "RASA_INSTANCES": str(instances),
        "RASA_PORT": str(rasa_port),
        "METRICS_PORT": str(metrics_port),
        "ACTION_PORT": str(free_port()),
        "WEB_PORT": str(free_port()),
        "PUBLIC_PORT": str(free_port()),
        "TRUSTED_PROXIES": "127.0.0.1",  # the tests play the hospital's reverse proxy
        "DATABASE_URL": f"sqlite:///{tmp_path / 'trials.db'}",
        "TRACKER_STORE_URL": tracker_url,
        "LOCK_STORE_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/0?prefix={redis_prefix}",
        "PYTHONUNBUFFERED": "1",
    }


@dataclass
class Stack:
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    output: Path

    @property
    def front(self) -> str:
        return f"http://127.0.0.1:{self.env['PUBLIC_PORT']}"

    def printed(self) -> str:
        return self.output.read_text(errors="replace")

    def wait_for(self, text: str, timeout_s: float, after: int = 0) -> None:
        """Until ``text`` is printed (after the first ``after`` characters)."""
        deadline = time.monotonic() + timeout_s
        while text not in self.printed()[after:]:
            assert self.process.poll() is None, self.printed()
            assert time.monotonic() < deadline, f"no {text!r} within {timeout_s} s:\n{self.printed()}"
            time.sleep(0.5)

    def child(self, *words: str) -> int:
        """Pid of the child of `bot run` whose command line has all ``words``."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except (OSError, IndexError, ValueError):
                continue
            parts = [c.decode(errors="replace") for c in command]
            if ppid == self.process.pid and all(w in parts for w in words):
                return int(entry.name)
        raise LookupError(f"no child {words}")

    def rasa_pid(self, index: int) -> int:
        return self.child("bot.runtime.rasa_server", str(int(self.env["RASA_PORT"]) + index))


@contextmanager
def running_stack(env: dict[str, str], output: Path) -> Iterator[Stack]:
    with output.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    stack = Stack(process, env, output)
    try:
        stack.wait_for("Chat at", READY_TIMEOUT_S)
        yield stack
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def post(front: str, sender: str, text: str, timeout: float = 30) -> tuple[int, list[dict[str, Any]]]:
    """(HTTP status, replies); status 0 when the connection itself failed."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"{front}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 (local)
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        return exc.code, []
    except (urllib.error.URLError, OSError):
        return 0, []


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


@dataclass
class Sent:
    text: str
    at: float
    status: int
    answered: bool  # 200 with at least one non-empty text


@dataclass
class Client:
    """One visitor who keeps asking until told to stop; never resends a failed message."""

    front: str
    sender: str = field(default_factory=lambda: f"drill-{uuid.uuid4().hex[:10]}")
    sent: list[Sent] = field(default_factory=list)

    def run(self, stop: threading.Event, max_messages: int = 400) -> None:
        questions = ["bonjour", "qui dirige le centre ?", "what is immunotherapy?", "merci"]
        for number in range(max_messages):
            if stop.is_set():
                return
            text = f"{questions[number % len(questions)]} #{number}"
            status, replies = post(self.front, self.sender, text, timeout=20)
            self.sent.append(Sent(text, time.monotonic(), status, status == 200 and bool(texts(replies))))
            if status != 200:
                time.sleep(0.2)

    def acknowledged(self) -> list[str]:
        return [s.text for s in self.sent if s.status == 200]

    def answered_again_after(self, moment: float) -> float | None:
        """Seconds from ``moment`` to the first answered message sent after it."""
        later = [s.at for s in self.sent if s.at > moment and s.answered]
        return later[0] - moment if later else None


def stored_user_texts(tracker_url: str) -> dict[str, list[str]]:
    """The user messages of each conversation, in the order the tracker store has them."""
    engine = sa.create_engine(tracker_url)
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT sender_id, data FROM events WHERE type_name = 'user' ORDER BY id"
            ).fetchall()
    finally:
        engine.dispose()
    stored: dict[str, list[str]] = {}
    for sender, data in rows:
        stored.setdefault(sender, []).append(json.loads(data)["text"])
    return stored


def stored_event_kinds(tracker_url: str, sender: str) -> list[str]:
    engine = sa.create_engine(tracker_url)
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT type_name, action_name FROM events WHERE sender_id = %(s)s ORDER BY id", {"s": sender}
            ).fetchall()
    finally:
        engine.dispose()
    return [f"{kind}:{action}" if action else kind for kind, action in rows]
