"""The bundled records (``bot/trials/data``) and getting a store ready at start-up."""
from __future__ import annotations

import logging
from pathlib import Path

from bot.trials import store
from bot.trials.db import resolve_url, session_scope
from bot.trials.importer import ImportReport, import_paths
from bot.trials.migrate import upgrade

DATA_DIR = Path(__file__).resolve().parent / "data"
log = logging.getLogger(__name__)


def bundled_files() -> list[Path]:
    return sorted(DATA_DIR.glob("NCT*.json"))


def is_empty(database_url: str | None = None) -> bool:
    with session_scope(database_url) as session:
        return store.count(session) == 0


def seed(database_url: str | None = None) -> ImportReport | None:
    """Imports the bundled records if the store holds no trial; None if it already had some."""
    url = resolve_url(database_url)
    if not is_empty(url):
        return None
    return import_paths(bundled_files(), url)


def ensure_ready(database_url: str | None = None) -> ImportReport | None:
    """Migrates the store to the newest schema, then seeds it if empty (called at start-up).

    Returns the seed's import report, or None when the store already held trials. Database
    errors propagate: the launcher decides whether to start without trial search.
    """
    url = resolve_url(database_url)
    upgrade(url)
    report = seed(url)
    if report is not None:
        log.info("trial store seeded with the bundled records: %s", report.summary().splitlines()[0])
    return report
