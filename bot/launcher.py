"""``bot run``: prepare everything, then run the action server, Rasa and the chat page together.

Start-up order: trial store migrated and seeded, model trained if its inputs changed, then the
three processes; the command waits until each answers, prints where to chat, and on Ctrl-C
(or SIGTERM) stops them all.
"""
from __future__ import annotations

import argparse
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.cli import CliError
from bot.model import ensure_model, rasa_env
from bot.rasa_endpoints import ACTION_TOKEN_VARIABLE, write_endpoints
from bot.rasa_server import TOKEN_VARIABLE
from bot.settings import PROJECT_ROOT, VAR_DIR, Settings, load_settings

LOG_DIR = VAR_DIR / "logs"
START_TIMEOUT_S = 240.0
PURGE_EVERY_S = 24 * 3600  # retention is also applied while the assistant keeps running


@dataclass
class Service:
    name: str
    command: list[str]
    ready: Callable[[], bool]
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def log_file(self) -> Path:
        return LOG_DIR / f"{self.name}.log"


def free_port() -> int:
    """A TCP port nobody listens on right now (for tests and benchmarks)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _http_ok(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> bool:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=2) as reply:  # noqa: S310 (local URL)
            return 200 <= reply.status < 300
    except (urllib.error.URLError, OSError):
        return False


def rasa_answers(settings: Settings) -> bool:
    """Rasa has loaded the model: it parses a message (the HTTP API, so no conversation is made)."""
    return _http_ok(
        settings.rasa_api_url("/model/parse"),
        data=json.dumps({"text": "bonjour"}).encode(),
        headers={"Content-Type": "application/json"},
    )


def build_services(
    settings: Settings, model: Path, endpoints_file: Path = VAR_DIR / "endpoints.yml"
) -> list[Service]:
    endpoints = write_endpoints(settings, endpoints_file)
    python = sys.executable
    env = rasa_env()
    return [
        Service(
            name="actions",
            # rasa_sdk's server behind a shared-secret check (bot/action_server.py)
            command=[python, "-m", "bot.action_server", "--port", str(settings.action_port)],
            ready=lambda: _http_ok(f"http://{settings.host}:{settings.action_port}/health"),
            env={**env, "SANIC_HOST": settings.host, "DATABASE_URL": settings.database_url,
                 ACTION_TOKEN_VARIABLE: settings.action_token()},
        ),
        Service(
            name="rasa",
            command=[
                python, "-m", "bot.rasa_server", "run",  # Rasa's CLI, one fix applied
                "--model", str(model),
                "--endpoints", str(endpoints),
                "--credentials", str(PROJECT_ROOT / "credentials.yml"),
                "--interface", settings.host,
                "--port", str(settings.rasa_port),
                "--enable-api",  # with the token bot.rasa_server adds from the environment
                "--cors", *settings.cors_origins,
            ],
            ready=lambda: rasa_answers(settings),
            env={**env, TOKEN_VARIABLE: settings.rasa_api_token(), ACTION_TOKEN_VARIABLE: settings.action_token()},
        ),
        Service(
            name="web",
            command=[python, "-m", "bot.web"],
            ready=lambda: _http_ok(f"{settings.web_url}/healthz"),
            env=env,
        ),
    ]


def start(service: Service) -> None:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = service.log_file.open("ab")
    # A session of its own: Ctrl-C in the terminal reaches `bot run` only, which then stops
    # the services in order (otherwise they die first and it looks like a crash).
    service.process = subprocess.Popen(
        service.command,
        cwd=PROJECT_ROOT,
        env=service.env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_ready(services: list[Service], timeout_s: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    pending = list(services)
    while pending:
        for service in list(pending):
            assert service.process is not None
            if service.process.poll() is not None:
                raise RuntimeError(
                    f"{service.name} stopped at start-up (exit code {service.process.returncode}); "
                    f"see {service.log_file.relative_to(PROJECT_ROOT)}"
                )
            if service.ready():
                pending.remove(service)
        if pending and time.monotonic() > deadline:
            names = ", ".join(s.name for s in pending)
            raise RuntimeError(f"{names} did not answer within {timeout_s:.0f} s; see {LOG_DIR}")
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


def prepare_store(settings: Settings) -> None:
    """Migrates the trial store and seeds it from the bundled records when empty."""
    from bot.trials import ensure_ready

    report = ensure_ready(settings.database_url)
    if report:
        print(report, flush=True)


def busy_ports(settings: Settings) -> list[str]:
    """The ports we need that something already listens on (another `bot run`, say)."""
    wanted = {"RASA_PORT": settings.rasa_port, "ACTION_PORT": settings.action_port, "WEB_PORT": settings.web_port}
    busy = []
    for variable, port in wanted.items():
        with socket.socket() as sock:
            if sock.connect_ex((settings.host, port)) == 0:
                busy.append(f"{port} ({variable})")
    return busy


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM behaves like Ctrl-C: one clean way out."""
    raise KeyboardInterrupt


def purge_old_conversations(settings: Settings) -> None:
    """Applies the retention period (RETENTION_DAYS) to the conversation store."""
    from bot.inbox import purge_expired_conversations

    result = purge_expired_conversations(settings)
    if result.events:
        print(
            f"Retention: deleted {result.events} events of {result.conversations} conversations "
            f"older than {settings.retention_days} days.",
            flush=True,
        )


def run(args: argparse.Namespace) -> int:
    from bot.faq.model import FaqFormatError

    settings = load_settings()
    busy = busy_ports(settings)
    if busy:
        # Otherwise the old servers would answer our readiness checks and we'd report success.
        print(
            f"error: port {', '.join(busy)} already in use on {settings.host}: is the assistant "
            "already running? Stop it, or choose other ports with these variables.",
            file=sys.stderr,
        )
        return 1
    try:
        prepare_store(settings)
        purge_old_conversations(settings)
        model = ensure_model()
    except FaqFormatError as exc:
        print(f"error: the FAQ has a problem, nothing was started:\n{exc}", file=sys.stderr)
        return 1
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    services = build_services(settings, model)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        for service in services:
            start(service)
        print("Starting the action server, Rasa and the chat page...", flush=True)
        started = time.monotonic()
        wait_ready(services)
        print(
            f"\nReady in {time.monotonic() - started:.0f} s. Chat at {settings.web_url}/ "
            f"(English: {settings.web_url}/en/). Logs in {LOG_DIR.relative_to(PROJECT_ROOT)}/. "
            "Press Ctrl-C to stop.",
            flush=True,
        )
        last_purge = time.monotonic()
        while all(s.process and s.process.poll() is None for s in services):
            time.sleep(1)
            if time.monotonic() - last_purge > PURGE_EVERY_S:
                last_purge = time.monotonic()
                purge_old_conversations(settings)
        failed = [s.name for s in services if s.process and s.process.poll() is not None]
        print(f"error: {', '.join(failed)} stopped unexpectedly; see {LOG_DIR}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        stop(services)


def train(args: argparse.Namespace) -> int:
    from bot.faq.model import FaqFormatError

    try:
        path = ensure_model(force=args.force)
    except FaqFormatError as exc:
        raise CliError(f"the FAQ has a problem, nothing was trained:\n{exc}") from None
    except RuntimeError as exc:
        raise CliError(str(exc)) from None
    print(f"Model: {path.relative_to(PROJECT_ROOT)}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    run_parser = subparsers.add_parser(
        "run", help="train if needed, then run the assistant and its chat page (Ctrl-C stops)"
    )
    run_parser.set_defaults(handler=run)
    train_parser = subparsers.add_parser("train", help="train the model if its inputs changed")
    train_parser.add_argument("--force", action="store_true", help="train even if nothing changed")
    train_parser.set_defaults(handler=train)
