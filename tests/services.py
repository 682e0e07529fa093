"""The PostgreSQL and Redis servers that every developer and CI machine runs (no mocks).

One place for their URLs and for the check that they answer: when one is missing the tests
that need it fail with a message saying so, never skip into green.
"""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def postgres_reachable(url: str = POSTGRES_URL) -> bool:
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return True
    except Exception:  # noqa: BLE001 - any failure means "no server"
        return False
    finally:
        engine.dispose()


def require_postgres() -> None:
    if not postgres_reachable():
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL}: these tests need it (README, Tests)")


def require_redis() -> None:
    import redis

    try:
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_connect_timeout=3).ping()
    except redis.RedisError:
        pytest.fail(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}: these tests need it (README, Tests)")
