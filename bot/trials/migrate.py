"""Schema migrations, applied from code (start-up, ``bot trials upgrade``, tests)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.trials.db import get_engine, resolve_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Own version table: other parts of the project may run Alembic on the same PostgreSQL database.
VERSION_TABLE = "trials_alembic_version"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(database_url: str | None = None) -> str | None:
    """The revision the database is at, or None for an empty (never migrated) database."""
    with get_engine(resolve_url(database_url)).connect() as connection:
        return MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE}).get_current_revision()


def upgrade(database_url: str | None = None, revision: str = "head") -> str | None:
    """Migrates the database to ``revision`` (newest by default); returns the revision reached."""
    engine = get_engine(resolve_url(database_url))
    config = _config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # SQLite alters some tables by rebuilding them; with foreign keys on, dropping the
            # old table would cascade-delete every child row. The pragma only works outside a
            # transaction, hence the commit before the migration's own transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
    return current_revision(database_url)
