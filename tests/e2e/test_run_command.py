"""`bot run`, the second half of the README's first command: it starts the three services,
answers, and a Ctrl-C in the terminal stops everything cleanly."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.runtime.launcher import free_port
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.model

READY_TIMEOUT_S = 180


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_run_answers_then_ctrl_c_stops_everything(trained_model: Path, tmp_path: Path) -> None:
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port(),
             "METRICS_PORT": free_port()}
    env = {
        **os.environ,
        **{key: str(port) for key, port in ports.items()},
        "BOT_HOST": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'trials.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'conversations.db'}",
        "PYTHONUNBUFFERED": "1",
    }
    output = tmp_path / "run.log"
    with output.open("wb") as log:
        # Its own process group, like a command typed in a terminal: Ctrl-C goes to the group.
        run = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + READY_TIMEOUT_S
            while "Chat at" not in output.read_text() and run.poll() is None:
                assert time.monotonic() < deadline, output.read_text()
                time.sleep(0.5)
            assert run.poll() is None, output.read_text()

            body = json.dumps({"sender": "run-test", "message": "qui dirige le centre ?"}).encode()
            request = urllib.request.Request(
                f"http://127.0.0.1:{ports['RASA_PORT']}/webhooks/rest/webhook",
                data=body,
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310
                texts = " ".join(m.get("text", "") for m in json.loads(reply.read()))
            assert "Sebastian Amigorena" in texts

            os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
            assert run.wait(timeout=30) == 0, output.read_text()
        finally:
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGKILL)

    printed = output.read_text()
    assert "Stopping" in printed
    assert "unexpectedly" not in printed and "Traceback" not in printed
    assert all(_port_is_free(port) for port in ports.values())


def test_run_refuses_ports_already_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "BOT_HOST": "127.0.0.1", "RASA_PORT": str(port),
               "ACTION_PORT": str(free_port()), "WEB_PORT": str(free_port()),
               "METRICS_PORT": str(free_port()),
               "DATABASE_URL": f"sqlite:///{tmp_path / 'trials.db'}"}
        run = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=env,
                             capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert f"port {port} (RASA_PORT) already in use" in run.stderr
    assert "Chat at" not in run.stdout
