"""Trial-store fixtures: every store test runs on SQLite (a temporary file) and on PostgreSQL.

PostgreSQL stores live in their own schema of the shared ``test`` database (other agents use
it too), selected through ``search_path`` in the URL and dropped afterwards. Without a
reachable server the PostgreSQL cases fail: every developer and CI machine has one.
"""
from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.trials import db, migrate
from bot.trials.importer import import_paths
from bot.trials.seed import DATA_DIR, bundled_files
from tests.services import POSTGRES_URL, postgres_reachable

PG_URL = POSTGRES_URL
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def manifest() -> dict[str, dict]:
    return {m["nctId"]: m for m in json.loads((DATA_DIR / "manifest.json").read_text()) if "nctId" in m}


@pytest.fixture(scope="session")
def pg_available() -> bool:
    return postgres_reachable()


class StoreFactory:
    """Creates empty databases (not migrated) and removes them at the end."""

    def __init__(self, backend: str, tmp_dir: Path, pg_available: bool) -> None:
        self.backend = backend
        self.tmp_dir = tmp_dir
        self.pg_available = pg_available
        self._schemas: list[str] = []
        self._urls: list[str] = []

    def new_url(self) -> str:
        if self.backend == "sqlite":
            url = f"sqlite:///{self.tmp_dir / f'trials-{uuid.uuid4().hex[:8]}.db'}"
        else:
            if not self.pg_available:
                pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432: the tests need it (see README, Tests)")
            schema = f"trials_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG_URL)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            admin.dispose()
            self._schemas.append(schema)
            url = f"{PG_URL}?options=-csearch_path%3D{schema}"
        self._urls.append(url)
        return url

    def cleanup(self) -> None:
        for url in self._urls:
            db.dispose_engine(url)
        if self._schemas:
            admin = create_engine(PG_URL)
            with admin.begin() as conn:
                for schema in self._schemas:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()


@pytest.fixture(params=BACKENDS)
def factory(request: pytest.FixtureRequest, tmp_path: Path, pg_available: bool) -> Iterator[StoreFactory]:
    made = StoreFactory(request.param, tmp_path, pg_available)
    try:
        yield made
    finally:
        made.cleanup()


@pytest.fixture
def empty_store(factory: StoreFactory) -> str:
    """URL of a migrated store without any trial."""
    url = factory.new_url()
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="module", params=BACKENDS)
def seeded_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                 pg_available: bool) -> Iterator[str]:
    """URL of a store holding the 34 bundled records; tests must leave it as they found it."""
    made = StoreFactory(request.param, tmp_path_factory.mktemp("seeded"), pg_available)
    try:  # cleanup must also run when the set-up itself fails
        url = made.new_url()
        migrate.upgrade(url)
        report = import_paths(bundled_files(), url)
        assert len(report.imported) == 34, report.summary()
        yield url
    finally:
        made.cleanup()


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[[str, object], Path]:
    def write(name: str, content: object) -> Path:
        path = tmp_path / "input" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        return path

    return write


@pytest.fixture
def record_of() -> Callable[[str], dict]:
    """A fresh copy of a bundled record, to alter in a test."""

    def load(nct_id: str) -> dict:
        return json.loads((DATA_DIR / f"{nct_id}.json").read_text(encoding="utf-8"))

    return load
