"""The async service used by Rasa actions: worker threads, plain dataclasses, clear failures."""
from __future__ import annotations

import asyncio
import dataclasses
import threading
from pathlib import Path

import pytest

from bot.trials import search as search_module
from bot.trials import service
from bot.trials.query import TrialQuery
from bot.trials.service import TrialStoreUnavailable, get_trial, search_trials
from bot.trials.understand import parse_trial_request, resolve_trial_reference
from bot.trials.views import SearchResult, TrialDetail, TrialSummary


def test_search_then_pick_then_details(seeded_store: str) -> None:
    async def conversation() -> TrialDetail | None:
        query = parse_trial_request("Je cherche un essai pour un mélanome, j'ai 45 ans")
        result = await search_trials(query, page=0, page_size=3, database_url=seeded_store)
        assert isinstance(result, SearchResult) and result.total == 5 and len(result.items) == 3
        assert all(type(item) is TrialSummary for item in result.items)
        nct = resolve_trial_reference("le deuxième", None, result.ids)
        assert nct == result.ids[1]
        return await get_trial(nct, database_url=seeded_store)

    trial = asyncio.run(conversation())
    assert isinstance(trial, TrialDetail)
    # Plain frozen dataclasses all the way down: nothing lazy-loads from a closed session.
    assert dataclasses.is_dataclass(trial) and trial.conditions and trial.history
    assert all(dataclasses.is_dataclass(s) for s in trial.sites + trial.contacts)


def test_get_trial_accepts_sloppy_ids_and_hides_hidden_or_unknown(seeded_store: str) -> None:
    async def lookups() -> list[TrialDetail | None]:
        return list(await asyncio.gather(
            get_trial(" nct04956640 ", database_url=seeded_store),
            get_trial("NCT99999999", database_url=seeded_store),
            get_trial("'; DROP TABLE trials; --", database_url=seeded_store),
        ))

    found, unknown, garbage = asyncio.run(lookups())
    assert found is not None and found.nct_id == "NCT04956640"
    assert unknown is None and garbage is None


def test_blocking_work_runs_off_the_event_loop(seeded_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[int] = []
    real_search = search_module.search

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return real_search(*args, **kwargs)

    monkeypatch.setattr(search_module, "search", spy)

    async def main() -> int:
        await search_trials(TrialQuery(), database_url=seeded_store)
        return threading.get_ident()

    loop_thread = asyncio.run(main())
    assert threads and threads[0] != loop_thread


def test_concurrent_calls_each_get_their_own_session(seeded_store: str) -> None:
    async def many() -> list[SearchResult]:
        queries = [parse_trial_request(t) for t in ("mélanome", "poumon", "pancréas", "vessie")] * 5
        return list(await asyncio.gather(*(search_trials(q, database_url=seeded_store) for q in queries)))

    results = asyncio.run(many())
    assert [r.total for r in results[:4]] * 5 == [r.total for r in results]


@pytest.mark.parametrize(
    "url_kind", ["unreachable_pg", "not_migrated", "not_a_directory", "bad_url"],
)
def test_database_errors_become_trial_store_unavailable(url_kind: str, tmp_path: Path) -> None:
    urls = {
        "unreachable_pg": "postgresql+psycopg2://postgres:secret@127.0.0.1:1/test",
        "not_migrated": f"sqlite:///{tmp_path / 'empty.db'}",
        "not_a_directory": f"sqlite:///{tmp_path / 'file.txt' / 'x.db'}",
        "bad_url": "nosuchdb://nowhere",
    }
    (tmp_path / "file.txt").write_text("not a directory")
    with pytest.raises(TrialStoreUnavailable) as err:
        asyncio.run(search_trials(TrialQuery(conditions=["melanoma"]), database_url=urls[url_kind]))
    message = str(err.value)
    assert message.startswith("trial store ")
    assert "secret" not in message  # passwords never reach the logs
    if url_kind == "not_migrated":
        assert "no such table" in message and "bot trials upgrade" in message
    with pytest.raises(TrialStoreUnavailable):
        asyncio.run(get_trial("NCT04956640", database_url=urls[url_kind]))


def test_a_store_that_disappears_raises_unavailable(factory) -> None:
    from bot.trials import migrate
    from bot.trials.db import dispose_engine, get_engine

    url = factory.new_url()
    migrate.upgrade(url)
    assert asyncio.run(search_trials(TrialQuery(), database_url=url)).total == 0
    with get_engine(url).begin() as conn:
        conn.exec_driver_sql("DROP TABLE trial_terms")
    with pytest.raises(TrialStoreUnavailable):
        asyncio.run(search_trials(TrialQuery(conditions=["lung"]), database_url=url))
    dispose_engine(url)


def test_service_module_exposes_the_documented_api() -> None:
    import inspect

    assert inspect.iscoroutinefunction(service.search_trials)
    assert inspect.iscoroutinefunction(service.get_trial)
    params = inspect.signature(service.search_trials).parameters
    assert list(params) == ["query", "page", "page_size", "database_url"]
    assert params["page"].default == 0 and params["page_size"].default == 5
