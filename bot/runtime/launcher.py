"""How the assistant's processes are started: the one place to change how Rasa is run.

``rasa_command`` is Rasa's command line (through bot/runtime/rasa_server.py, our patches) and
``rasa_services`` / ``build_services`` the children of ``bot run`` with their environment;
``prepare`` checks the settings and stores (bot/runtime/preflight.py), migrates and seeds the
trial store and applies the retention; ``serve`` starts the processes (with RASA_INSTANCES > 1:
N Rasa instances and nginx in front, bot/runtime/nginx.py), waits until each answers, says
where to chat, then supervises them (bot/runtime/supervisor.py: a child that dies is
restarted) until Ctrl-C (or SIGTERM) stops them all. ``private_assistant`` is the same stack
on free ports for tests and ``bot eval``. The command itself is bot/runtime/cli.py.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from bot.inbox import purge_expired_conversations
from bot.limits import NO_RATE_LIMIT
from bot.runtime import nginx
from bot.runtime.endpoints import ACTION_TOKEN_VARIABLE, write_endpoints
from bot.runtime.lock_owners import release_dead_instance
from bot.runtime.model import rasa_env
from bot.runtime.preflight import check_all
from bot.runtime.process import LOG_DIR, Service, start, stop, wait_ready
from bot.runtime.publish import current_model, record_running_instances, set_current_model
from bot.runtime.rasa_server import TOKEN_VARIABLE
from bot.runtime.supervisor import Supervisor
from bot.settings import CREDENTIALS_FILE, ENDPOINTS_FILE, PROJECT_ROOT, Settings
from bot.trials import ensure_ready
from bot.trials.schedule import DailySync, start_daily_sync

PURGE_EVERY_S = 24 * 3600  # retention is also applied while the assistant keeps running


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
        sys.executable, "-m", "bot.runtime.rasa_server", "run",  # Rasa's CLI, one fix applied
        "--model", str(model),
        "--endpoints", str(endpoints),
        "--credentials", str(CREDENTIALS_FILE),
        "--interface", settings.host,
        "--port", str(settings.rasa_port),
        "--enable-api",  # with the token bot.runtime.rasa_server adds from the environment
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
    settings: Settings, model: Path, endpoints_file: Path = ENDPOINTS_FILE
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
        services.append(
            Service(
                name="nginx",
                command=nginx.command(settings),
                ready=lambda: _http_ok(f"{settings.front_url}{nginx.HEALTH_PATH}"),
                env=env,
            )
        )
    return services


def prepare_store(settings: Settings) -> str | None:
    """Migrates the trial store and seeds it from the bundled records when empty; says what it did."""
    report = ensure_ready(settings.database_url)
    return str(report) if report else None


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


def purge_old_conversations(settings: Settings) -> str | None:
    """Applies the retention period (RETENTION_DAYS) to the conversation store; says what it did."""
    result = purge_expired_conversations(settings)
    if not result.events:
        return None
    return (
        f"Retention: deleted {result.events} events of {result.conversations} conversations "
        f"older than {settings.retention_days} days."
    )


def start_trial_sync(settings: Settings) -> DailySync | None:
    """The daily registry sync thread when TRIALS_SYNC_DAILY=true (bot/trials/schedule.py), else None."""
    return start_daily_sync(settings)


Say = Callable[[str], None]


def _say_each(say: Say, *lines: str | None) -> None:
    for line in lines:
        if line:
            say(line)


def prepare(settings: Settings, say: Say) -> None:
    """Checks, store migration, retention: everything before the model and the processes.

    Raises :class:`~bot.errors.StartupError` (one clear line per problem).
    """
    check_all(settings)
    _say_each(say, prepare_store(settings), purge_old_conversations(settings))


def _what_runs(settings: Settings) -> str:
    if not settings.behind_nginx:
        return "the action server, Rasa and the chat page"
    return f"the action server, {settings.rasa_instances} Rasa instances, the chat page and nginx"


def serve(settings: Settings, model: Path, say: Say) -> None:
    """Starts every process with ``model``, says where to chat, then supervises them.

    Returns on Ctrl-C or SIGTERM, after stopping them all; raises
    :class:`~bot.errors.ServiceFailed` (one did not start) or :class:`~bot.errors.GaveUp`
    (one keeps failing after restarts).
    """
    set_current_model(model)  # what a restarted instance loads, until the next publish
    services = build_services(settings, model)
    signal.signal(signal.SIGTERM, _interrupt)
    daily_sync = start_trial_sync(settings)
    try:
        record_running_instances(settings.rasa_instances)  # where publish_model finds them
        for service in services:
            start(service)
        say(f"Starting {_what_runs(settings)}...")
        started = time.monotonic()
        wait_ready(services)
        url = settings.public_url
        say(
            f"\nReady in {time.monotonic() - started:.0f} s. Chat at {url}/ "
            f"(English: {url}/en/). Logs in {LOG_DIR.relative_to(PROJECT_ROOT)}/. "
            "Press Ctrl-C to stop."
        )
        last_purge = time.monotonic()

        def daily() -> None:
            nonlocal last_purge
            if time.monotonic() - last_purge > PURGE_EVERY_S:
                last_purge = time.monotonic()
                _say_each(say, purge_old_conversations(settings))

        Supervisor(services, say=say).run(every=daily)  # returns by an exception only
    except KeyboardInterrupt:
        say("\nStopping...")
    finally:
        if daily_sync:
            daily_sync.stop()
        stop(services)
        record_running_instances(None)
