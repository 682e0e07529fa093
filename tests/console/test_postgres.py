"""The console's store on PostgreSQL (STAFF_DATABASE_URL), as in production."""
from __future__ import annotations

import pytest

from bot.console import entries
from bot.console.auth import add_user, login, session_for
from bot.console.settings import ConsoleSettings, Project
from bot.console.store import open_store
from tests.services import require_postgres
from tests.stores.helpers import postgres_database

pytestmark = pytest.mark.postgres


def test_accounts_sessions_and_versions_on_postgresql(project: Project) -> None:
    require_postgres()
    with postgres_database() as url:
        engine = open_store(url)
        settings = ConsoleSettings(database_url=url, project=project)
        eve = add_user(engine, "eve", "editor", "correct horse battery")
        rita = add_user(engine, "rita", "reviewer", "correct horse battery")
        session = login(engine, settings, "eve", "correct horse battery")
        assert session_for(engine, settings, session.token).staff.name == "eve"
        data = entries.live_data(project)["visits"]
        data["answer"]["en"] += " Ask the care team."
        version = entries.save(engine, project, eve, data, submit=False)["version"]
        assert entries.review(engine, rita, entries.submit_draft(engine, project, eve, version["id"])["version"]["id"],
                              approve=True).status == "approved"
        engine.dispose()
