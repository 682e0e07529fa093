"""Checks made before ``bot run`` starts anything: each problem is one line naming the
setting and what to do (never a traceback from deep inside SQLAlchemy or Rasa)."""
from __future__ import annotations

import socket

from sqlalchemy.engine import make_url

from bot.errors import StartupError
from bot.runtime.nginx import NginxMissing, nginx_binary
from bot.settings import Settings

CONNECT_TIMEOUT_S = 3


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


def check_sql(variable: str, url: str) -> None:
    import sqlalchemy as sa

    if make_url(url).get_backend_name() == "sqlite":
        return  # a local file, created when needed
    engine = sa.create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
    try:
        with engine.connect():
            pass
    except Exception as exc:  # noqa: BLE001 - any failure: the store is not usable
        raise StartupError(
            f"{variable}={_shown(url)} is unreachable ({_first_line(exc)}): start that database "
            f"server or correct {variable}."
        ) from None
    finally:
        engine.dispose()


def check_redis(url: str) -> None:
    import redis

    parsed = make_url(url)
    try:
        redis.Redis(
            host=parsed.host or "127.0.0.1", port=parsed.port or 6379, password=parsed.password,
            db=int(parsed.database or 0), socket_connect_timeout=CONNECT_TIMEOUT_S,
        ).ping()
    except (redis.RedisError, ValueError) as exc:
        raise StartupError(
            f"LOCK_STORE_URL={_shown(url)} is unreachable ({_first_line(exc)}): start Redis or "
            "correct LOCK_STORE_URL."
        ) from None


def check_instances(settings: Settings) -> None:
    """Several Rasa processes must share conversations and take turns on each of them."""
    n = settings.rasa_instances
    if n < 1:
        raise StartupError(f"RASA_INSTANCES={n}: it must be 1 or more.")
    if n == 1:
        return
    backend = make_url(settings.tracker_store_url).get_backend_name()
    if backend != "postgresql":
        raise StartupError(
            f"RASA_INSTANCES={n} needs TRACKER_STORE_URL on PostgreSQL (it is {backend}): the "
            "instances must share the conversations. Set TRACKER_STORE_URL=postgresql://... or RASA_INSTANCES=1."
        )
    if not settings.lock_store_url or not settings.lock_store_url.startswith(("redis://", "rediss://")):
        raise StartupError(
            f"RASA_INSTANCES={n} needs LOCK_STORE_URL=redis://...: without a shared lock two "
            "instances answer the same conversation at once and messages are lost. Set it, or RASA_INSTANCES=1."
        )


def busy_ports(settings: Settings) -> list[str]:
    """The ports we need that something already listens on (another `bot run`, say)."""
    wanted: dict[str, int] = {"ACTION_PORT": settings.action_port, "WEB_PORT": settings.web_port}
    for index, port in enumerate(settings.rasa_ports):
        wanted["RASA_PORT" if index == 0 else f"RASA_PORT+{index}"] = port
    for index in range(settings.rasa_instances):
        wanted["METRICS_PORT" if index == 0 else f"METRICS_PORT+{index}"] = settings.metrics_port + index
    if settings.behind_nginx:
        wanted["PUBLIC_PORT"] = settings.public_port
    busy = []
    for variable, port in wanted.items():
        with socket.socket() as sock:
            if sock.connect_ex((settings.host, port)) == 0:
                busy.append(f"{port} ({variable})")
    return busy


def check_all(settings: Settings) -> None:
    """Raises :class:`StartupError` for the first problem found."""
    check_instances(settings)
    busy = busy_ports(settings)
    if busy:
        # Otherwise the old servers would answer our readiness checks and we'd report success.
        raise StartupError(
            f"port {', '.join(busy)} already in use on {settings.host}: is the assistant "
            "already running? Stop it, or choose other ports with these variables."
        )
    if settings.behind_nginx:
        try:
            nginx_binary()
        except NginxMissing as exc:
            raise StartupError(str(exc)) from None
    check_sql("DATABASE_URL", settings.database_url)
    check_sql("TRACKER_STORE_URL", settings.tracker_store_url)
    if settings.lock_store_url:
        check_redis(settings.lock_store_url)
