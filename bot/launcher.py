"""``bot run``: prepare everything, then run the action server, Rasa and the chat page together.

Start-up order: settings and stores checked (bot/runtime/preflight.py), trial store migrated
and seeded, model trained if its inputs changed, then the processes (with RASA_INSTANCES > 1:
N Rasa instances and nginx in front, bot/runtime/nginx.py); the command waits until each
answers, prints where to chat, then supervises them (bot/runtime/supervisor.py: a child that
dies is restarted) until Ctrl-C (or SIGTERM) stops them all.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli import CliError
from bot.limits import NO_RATE_LIMIT
from bot.model import ensure_model, rasa_env
from bot.rasa_endpoints import ACTION_TOKEN_VARIABLE, write_endpoints
from bot.rasa_server import TOKEN_VARIABLE
from bot.settings import PROJECT_ROOT, VAR_DIR, Settings

if TYPE_CHECKING:
    from bot.trials.schedule import DailySync

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


def rasa_command(settings: Settings, model: Path, endpoints: Path) -> list[str]:
    """One Rasa instance, on ``settings.rasa_port`` (see :meth:`Settings.instance`)."""
    return [
        sys.executable, "-m", "bot.rasa_server", "run",  # Rasa's CLI, one fix applied
        "--model", str(model),
        "--endpoints", str(endpoints),
        "--credentials", str(PROJECT_ROOT / "credentials.yml"),
        "--interface", settings.host,
        "--port", str(settings.rasa_port),
        "--enable-api",  # with the token bot.rasa_server adds from the environment
        "--cors", *settings.cors_origins,
    ]


def instance_name(settings: Settings, index: int) -> str:
    return "rasa" if settings.rasa_instances == 1 else f"rasa-{index + 1}"


def serving_env() -> dict[str, str]:
    # One BLAS thread per process: N instances on N cores, not N × cores threads fighting.
    return {**rasa_env(), "OPENBLAS_NUM_THREADS": "1"}


def release_turns(settings: Settings, instance: str) -> str | None:
    """A dead instance's conversations go on at once on the others (bot/runtime/lock_owners.py)."""
    if not settings.lock_store_url:
        return None
    from bot.runtime.lock_owners import release_dead_instance

    freed = release_dead_instance(settings.lock_store_url, instance)
    return f"handed {freed} conversation turn(s) of {instance} to the other instances" if freed else None


def _client_address_header(settings: Settings) -> dict[str, str]:
    """Behind nginx every request comes from 127.0.0.1: the per-client rate limit must read the
    address nginx puts in X-Forwarded-For (it overwrites what the client sent, see
    bot/runtime/nginx.py), or every patient would share one limit."""
    if settings.behind_nginx and not settings.trusted_proxy_header:
        return {"TRUSTED_PROXY_HEADER": "X-Forwarded-For"}
    return {}


def rasa_services(settings: Settings, model: Path, endpoints: Path) -> list[Service]:
    from bot.runtime.publish import current_model

    services = []
    for index in range(settings.rasa_instances):
        own = settings.instance(index)
        name = instance_name(settings, index)
        services.append(
            Service(
                name=name,
                command=rasa_command(own, model, endpoints),
                ready=lambda own=own: rasa_answers(own),  # type: ignore[misc]
                alive=lambda own=own: _http_ok(own.rasa_url + "/"),  # type: ignore[misc]
                # A restarted instance loads the model published last, not the one of start-up.
                make_command=lambda own=own: rasa_command(own, current_model(model), endpoints),  # type: ignore[misc]
                hang_grace_s=90.0,  # loading a published model blocks Rasa for a while
                on_failure=lambda name=name: release_turns(settings, name),  # type: ignore[misc]
                env={
                    **serving_env(),
                    TOKEN_VARIABLE: settings.rasa_api_token(),
                    ACTION_TOKEN_VARIABLE: settings.action_token(),
                    "BOT_INSTANCE": name,
                    "BOT_METRICS_PORT": str(settings.metrics_port + index),
                    **_client_address_header(settings),
                },
            )
        )
    return services


def build_services(
    settings: Settings, model: Path, endpoints_file: Path = VAR_DIR / "endpoints.yml"
) -> list[Service]:
    endpoints = write_endpoints(settings, endpoints_file)
    python = sys.executable
    env = serving_env()
    services = [
        Service(
            name="actions",
            # rasa_sdk's server behind a shared-secret check (bot/action_server.py)
            command=[python, "-m", "bot.action_server", "--port", str(settings.action_port)],
            ready=lambda: _http_ok(f"http://{settings.host}:{settings.action_port}/health"),
            env={**env, "SANIC_HOST": settings.host, "DATABASE_URL": settings.database_url,
                 ACTION_TOKEN_VARIABLE: settings.action_token()},
        ),
        *rasa_services(settings, model, endpoints),
        Service(
            name="web",
            command=[python, "-m", "bot.web"],
            ready=lambda: _http_ok(f"{settings.web_url}/healthz"),
            env=env,
        ),
    ]
    if settings.behind_nginx:
        from bot.runtime import nginx

        services.append(
            Service(
                name="nginx",
                command=nginx.command(settings),
                ready=lambda: _http_ok(f"{settings.front_url}{nginx.HEALTH_PATH}"),
                env=env,
            )
        )
    return services


def start(service: Service) -> None:
    from bot.runtime.logs import pump, service_logger

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


@contextmanager
def private_assistant(
    settings: Settings, model: Path, data_dir: Path, tracker_store_url: str | None = None
) -> Iterator[Settings]:
    """The whole stack on free ports with its own SQLite stores in ``data_dir`` (tests, ``bot eval``);
    ``tracker_store_url`` puts the conversations elsewhere (a PostgreSQL database of a drill).

    The child processes read their settings from the environment, like ``bot run``'s do: the
    overrides are set for the run and restored afterwards.
    """
    web_port = free_port()
    settings = replace(
        settings, host="127.0.0.1", rasa_port=free_port(), action_port=free_port(), web_port=web_port,
        metrics_port=free_port(), rasa_instances=1,
        database_url=f"sqlite:///{data_dir / 'trials.db'}",
        tracker_store_url=tracker_store_url or f"sqlite:///{data_dir / 'conversations.db'}", lock_store_url=None,
        cors_origins=[f"http://127.0.0.1:{web_port}", f"http://localhost:{web_port}"],
    )
    overrides = {
        "BOT_HOST": settings.host, "RASA_PORT": str(settings.rasa_port),
        "ACTION_PORT": str(settings.action_port), "WEB_PORT": str(web_port),
        "DATABASE_URL": settings.database_url, "TRACKER_STORE_URL": settings.tracker_store_url,
        "METRICS_PORT": str(settings.metrics_port),
        # Tests and `bot eval` talk from 127.0.0.1 only: no per-client limit there (the unit
        # tests of bot/limits.py cover it); the per-conversation limit stays real.
        "RATE_LIMIT_PER_CLIENT": NO_RATE_LIMIT,
        "RATE_LIMIT_PER_CONVERSATION": "60/min,burst=12",
        "CORS_ORIGINS": ",".join(settings.cors_origins),
    }
    previous = {key: os.environ.get(key) for key in overrides}
    os.environ.update(overrides)
    try:
        prepare_store(settings)
        services = build_services(settings, model, data_dir / "endpoints.yml")
        try:
            for service in services:
                start(service)
            wait_ready(services)
            yield settings
        finally:
            stop(services)
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


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


def start_trial_sync(settings: Settings) -> DailySync | None:
    """The daily registry sync thread when TRIALS_SYNC_DAILY=true (bot/trials/schedule.py), else None."""
    from bot.trials.schedule import start_daily_sync

    return start_daily_sync(settings)
def _prepare(settings: Settings) -> Path:
    """Checks, store migration, retention, model: everything before a process starts."""
    from bot.runtime.preflight import check_all
    from bot.runtime.publish import set_current_model

    check_all(settings)  # one clear line per problem (StartupError is a RuntimeError)
    prepare_store(settings)
    purge_old_conversations(settings)
    model = ensure_model()
    set_current_model(model)  # what a restarted instance loads, until the next publish
    return model


def _what_runs(settings: Settings) -> str:
    if not settings.behind_nginx:
        return "the action server, Rasa and the chat page"
    return f"the action server, {settings.rasa_instances} Rasa instances, the chat page and nginx"


def run(args: argparse.Namespace) -> int:
    from bot.faq.model import FaqFormatError
    from bot.runtime.publish import record_running_instances
    from bot.runtime.supervisor import GaveUp, Supervisor

    settings = args.settings
    if getattr(args, "rasa_instances", None):
        os.environ["RASA_INSTANCES"] = str(args.rasa_instances)  # the children read it too
        settings = replace(settings, rasa_instances=args.rasa_instances)
    try:
        model = _prepare(settings)
    except FaqFormatError as exc:
        print(f"error: the FAQ has a problem, nothing was started:\n{exc}", file=sys.stderr)
        return 1
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    services = build_services(settings, model)
    signal.signal(signal.SIGTERM, _interrupt)
    daily_sync = start_trial_sync(settings)
    try:
        record_running_instances(settings.rasa_instances)  # where publish_model finds them
        for service in services:
            start(service)
        print(f"Starting {_what_runs(settings)}...", flush=True)
        started = time.monotonic()
        wait_ready(services)
        url = settings.public_url
        print(
            f"\nReady in {time.monotonic() - started:.0f} s. Chat at {url}/ "
            f"(English: {url}/en/). Logs in {LOG_DIR.relative_to(PROJECT_ROOT)}/. "
            "Press Ctrl-C to stop.",
            flush=True,
        )
        last_purge = time.monotonic()

        def daily() -> None:
            nonlocal last_purge
            if time.monotonic() - last_purge > PURGE_EVERY_S:
                last_purge = time.monotonic()
                purge_old_conversations(settings)

        Supervisor(services, say=lambda line: print(line, flush=True)).run(every=daily)
        return 0  # not reached: the supervisor returns by an exception
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    except (GaveUp, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if daily_sync:
            daily_sync.stop()
        stop(services)
        record_running_instances(None)


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
    run_parser.add_argument(
        "--rasa-instances", type=int, metavar="N",
        help="N Rasa processes behind nginx (default: RASA_INSTANCES, else 1); N > 1 needs "
        "PostgreSQL and Redis (README, Deploying)",
    )
    run_parser.set_defaults(handler=run)
    train_parser = subparsers.add_parser("train", help="train the model if its inputs changed")
    train_parser.add_argument("--force", action="store_true", help="train even if nothing changed")
    train_parser.set_defaults(handler=train)
