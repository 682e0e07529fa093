from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services import require_postgres
from tests.stores.helpers import postgres_database

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def tracker_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty conversation database: a SQLite file, or a PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'conversations.db'}"
        return
    require_postgres()
    with postgres_database() as url:
        yield url
