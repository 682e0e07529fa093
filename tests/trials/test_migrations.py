"""Schema migrations: the head matches the models, and upgrading a database with data loses nothing."""
from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.trials import migrate, store
from bot.trials.db import get_engine, session_scope
from bot.trials.models import metadata
from bot.trials.query import TrialQuery
from bot.trials.search import search


def test_fresh_database_has_no_revision_then_reaches_head(factory) -> None:
    url = factory.new_url()
    assert migrate.current_revision(url) is None
    assert migrate.upgrade(url) == migrate.head_revision() == "0003"
    assert migrate.upgrade(url) == "0003"  # idempotent
    tables = set(inspect(get_engine(url)).get_table_names())
    assert {"trials", "trial_terms", "trial_status_history", migrate.VERSION_TABLE} <= tables
    assert "alembic_version" not in tables  # own version table: PostgreSQL may be shared


def test_migrations_produce_the_models_schema(empty_store: str) -> None:
    with get_engine(empty_store).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), metadata)
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name == migrate.VERSION_TABLE)]
    assert diff == []


def test_upgrade_keeps_data_written_at_the_first_revision(factory) -> None:
    url = factory.new_url()
    assert migrate.upgrade(url, "0001") == "0001"
    now = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    with get_engine(url).begin() as conn:
        conn.execute(text(
            "INSERT INTO trials (nct_id, brief_title, overall_status, status_rank, phases, site_count, immunotherapy,"
            " oncology, source_format, source_file, content_hash, first_imported_at, imported_at, snapshot_date)"
            " VALUES (:id, :title, 'RECRUITING', 0, 'PHASE2', 1, :t, :t, 'ctgov-v2', 'old.json', 'h', :now, :now,"
            " '2024-05-06')"), {"id": "NCT01234567", "title": "Mélanome — an old trial", "t": True, "now": now})
        conn.execute(text("INSERT INTO trial_conditions (nct_id, position, name) VALUES ('NCT01234567', 0, 'Melanoma')"))
        conn.execute(text("INSERT INTO trial_search (id, nct_id, rank, overall_status, immunotherapy, min_age_years)"
                          " VALUES (7, 'NCT01234567', 0, 'RECRUITING', :t, 18)"), {"t": True})
        conn.execute(text("INSERT INTO trial_terms (term, rank, trial_id, min_age_days)"
                          " VALUES ('c:melanoma', 0, 7, 6575), ('co:france', 0, 7, 6575)"))
        conn.execute(text("INSERT INTO trial_sites (nct_id, position, facility, city, country, lat, lon)"
                          " VALUES ('NCT01234567', 0, 'Gustave Roussy', 'Villejuif', 'France', 48.79, 2.36)"))
    assert migrate.upgrade(url) == "0003"

    with get_engine(url).connect() as conn:
        row = conn.execute(text("SELECT brief_title, featured, hidden, imported_at FROM trials")).one()
        assert row.brief_title == "Mélanome — an old trial"
        assert not row.featured and not row.hidden
        site = conn.execute(text("SELECT facility, lat FROM trial_sites")).one()
        assert site == ("Gustave Roussy", 48.79)
        history = conn.execute(text("SELECT nct_id, old_status, new_status, snapshot_date FROM trial_status_history")).all()
        assert history == [("NCT01234567", None, "RECRUITING", "2024-05-06")]
        # Ranks move to the non-featured band (10-19) in the narrow table and the term index.
        assert conn.execute(text("SELECT rank FROM trial_search")).scalar_one() == 10
        assert set(conn.execute(text("SELECT rank FROM trial_terms")).scalars()) == {10}
    with session_scope(url) as session:  # and the upgraded store is searchable and flaggable
        result = search(session, TrialQuery(conditions=["mélanome"], country="France", age=45))
        assert result.ids == ["NCT01234567"] and result.items[0].title == "Mélanome — an old trial"
        assert store.set_flag(session, "NCT01234567", "hidden", True)
    with session_scope(url) as session:
        assert search(session, TrialQuery(conditions=["mélanome"])).total == 0
