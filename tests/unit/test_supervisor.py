"""The supervisor of `bot run` on real child processes: a dead or hung child is restarted, the
others are left alone, and a child that keeps failing ends `bot run` with the reason."""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from bot.runtime import supervisor
from bot.runtime.process import Service, stop
from bot.runtime.supervisor import GaveUp, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def _service(name: str, command: list[str], healthy: list[bool] | None = None) -> Service:
    state = healthy if healthy is not None else [True]
    return Service(name=f"test-supervisor-{name}", command=command, ready=lambda: state[0], hang_grace_s=0.3)


def _beats(watch: Supervisor, count: int) -> None:
    for _ in range(count):
        watch.check_once()
        time.sleep(0.05)


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(supervisor, "FIRST_BACKOFF_S", 0.01)


def test_a_dead_child_is_restarted_and_the_others_left_alone() -> None:
    from bot.runtime.process import start

    dying, steady = _service("dying", SLEEPER), _service("steady", SLEEPER)
    said: list[str] = []
    try:
        for service in (dying, steady):
            start(service)
        watch = Supervisor([dying, steady], say=said.append)
        first, steady_pid = dying.process.pid, steady.process.pid  # type: ignore[union-attr]
        dying.process.kill()  # type: ignore[union-attr]
        dying.process.wait()  # type: ignore[union-attr]
        _beats(watch, 3)
        assert dying.process.pid != first and dying.process.poll() is None  # type: ignore[union-attr]
        assert steady.process.pid == steady_pid  # type: ignore[union-attr]
        assert said[0].startswith("test-supervisor-dying stopped (exit code -9); restarting it in 0 s")
        _beats(watch, 1)
        assert said[-1] == "test-supervisor-dying is back."
    finally:
        stop([dying, steady])


def test_a_child_that_stops_answering_is_killed_and_restarted() -> None:
    from bot.runtime.process import start

    healthy = [True]
    hung = _service("hung", SLEEPER, healthy)
    said: list[str] = []
    try:
        start(hung)
        watch = Supervisor([hung], say=said.append)
        first = hung.process.pid  # type: ignore[union-attr]
        healthy[0] = False  # still running, no longer answering
        _beats(watch, supervisor.UNHEALTHY_AFTER - 1)
        assert hung.process.pid == first and not said  # type: ignore[union-attr]
        time.sleep(0.3)  # and for longer than its grace period
        _beats(watch, 2)
        assert re.match(r"test-supervisor-hung did not answer its health check for 0 s; restarting", said[0]), said
        assert hung.process.pid != first  # type: ignore[union-attr]
    finally:
        stop([hung])


def test_a_child_that_keeps_failing_ends_it_with_the_reason(tmp_path: Path) -> None:
    from bot.runtime.process import start

    failing = _service("failing", [sys.executable, "-c", "raise SystemExit(3)"])
    start(failing)
    watch = Supervisor([failing], say=lambda line: None)
    with pytest.raises(GaveUp) as raised:
        for _ in range(400):  # bounded: backoffs 0, 0.01, 0.02 ... s
            watch.check_once()
            time.sleep(0.05)
    message = str(raised.value)
    assert message.startswith(f"test-supervisor-failing failed {supervisor.GIVE_UP_AFTER} times in 5 minutes")
    assert "(last: stopped (exit code 3))" in message and "test-supervisor-failing.log" in message
