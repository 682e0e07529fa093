"""Rasa's own stores, built from our configuration (bot/runtime/endpoints.py), for tests.

PostgreSQL: Rasa's tracker store always uses a table named ``events``, so each test gets a
database of its own on the shared server (created from the ``test`` database, dropped
afterwards). Without a reachable server those tests fail, like the trial-store ones.
"""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar

import sqlalchemy as sa

from bot.runtime.endpoints import tracker_store_config
from bot.settings import PROJECT_ROOT
from tests.services import POSTGRES_URL

PG_ADMIN_URL = POSTGRES_URL
T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


@lru_cache(maxsize=1)
def project_domain() -> Any:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(PROJECT_ROOT / "domain"))


def tracker_store(url: str) -> Any:
    """Rasa's SQL tracker store for ``url``, created the way `rasa run` does from endpoints.yml."""
    from rasa.core.tracker_store import create_tracker_store
    from rasa.utils.endpoints import EndpointConfig

    config = tracker_store_config(url)
    return create_tracker_store(EndpointConfig.from_dict(config), project_domain())




@contextmanager
def postgres_database() -> Iterator[str]:
    """URL of a new, empty database, dropped on exit."""
    name = f"curie_tracker_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = str(sa.engine.make_url(PG_ADMIN_URL).set(database=name))
    try:
        yield url
    finally:
        # Close what Rasa and our engines left open, then drop.
        with admin.connect() as connection:
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            )
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin.dispose()
