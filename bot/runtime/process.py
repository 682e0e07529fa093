"""One child process of ``bot run`` (action server, a Rasa instance, the page server, nginx):
what it runs, how it is started with its output logged, waited for and stopped.

The supervisor (bot/runtime/supervisor.py) restarts them; bot/runtime/launcher.py says which
children there are and with which command.
"""
from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import ServiceFailed
from bot.runtime.logs import pump, service_logger
from bot.settings import LOG_DIR, PROJECT_ROOT

START_TIMEOUT_S = 240.0


@dataclass
class Service:
    name: str
    command: list[str]
    ready: Callable[[], bool]
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    # Liveness once started (default: `ready`); the supervisor restarts what fails it.
    alive: Callable[[], bool] | None = None
    # Rebuilds the command when the supervisor restarts it, e.g. for the published model.
    make_command: Callable[[], list[str]] | None = None
    # How long it may fail its health check before it is restarted.
    hang_grace_s: float = 10.0
    # Run by the supervisor when it died, before the restart; may say what it did.
    on_failure: Callable[[], str | None] | None = None

    @property
    def log_file(self) -> Path:
        return LOG_DIR / f"{self.name}.log"

    def health(self) -> bool:
        return (self.alive or self.ready)()


def start(service: Service) -> None:
    # A session of its own: Ctrl-C in the terminal reaches `bot run` only, which then stops
    # the services in order (otherwise they die first and it looks like a crash).
    service.process = subprocess.Popen(
        service.command,
        cwd=PROJECT_ROOT,
        env=service.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    assert service.process.stdout is not None
    pump(service.process.stdout, service_logger(service.name, service.log_file), service.process.pid)


def wait_ready(services: list[Service], timeout_s: float = START_TIMEOUT_S) -> None:
    """Returns when every service answers; :class:`ServiceFailed` names the one that did not."""
    deadline = time.monotonic() + timeout_s
    pending = list(services)
    while pending:
        for service in list(pending):
            assert service.process is not None
            if service.process.poll() is not None:
                raise ServiceFailed(
                    f"{service.name} stopped at start-up (exit code {service.process.returncode}); "
                    f"see {service.log_file.relative_to(PROJECT_ROOT)}"
                )
            if service.ready():
                pending.remove(service)
        if pending and time.monotonic() > deadline:
            names = ", ".join(s.name for s in pending)
            raise ServiceFailed(f"{names} did not answer within {timeout_s:.0f} s; see {LOG_DIR}")
        time.sleep(0.5)


def stop(services: list[Service]) -> None:
    running = [s for s in services if s.process and s.process.poll() is None]
    for service in running:
        assert service.process is not None
        service.process.terminate()
    for service in running:
        assert service.process is not None
        try:
            service.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            service.process.kill()
            service.process.wait()
