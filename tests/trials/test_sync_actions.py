"""After a registry sync, the custom actions (a running action server) answer with the new
status: every request reads the store afresh, nothing to restart."""
from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest

from actions.trials import ActionSearchTrials, ActionTrialDetails
from bot.trials import db, migrate
from bot.trials.sync import sync
from tests.actions.conftest import load_tracker, run_action
from tests.trials.fake_registry import FakeRegistry, nct_of
from tests.trials.test_sync import V2, change, options

NCT = "NCT04956640"  # recruiting in the bundled copy; the lung-cancer search fixture finds it


@pytest.fixture
def synced_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, FakeRegistry]]:
    url = f"sqlite:///{tmp_path / 'actions-sync.db'}"
    migrate.upgrade(url)
    monkeypatch.setattr(db, "_default_url", url)  # what the action server's entry point sets
    fake = FakeRegistry([copy.deepcopy(s) for s in V2]).start()
    try:
        sync(options(fake), url)
        yield url, fake
    finally:
        fake.stop()


def _text(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def _card_ids(messages: list[dict]) -> set[str]:
    return {c["id"] for m in messages if m.get("custom") for c in m["custom"]["cards"]}


def test_actions_show_the_status_of_the_latest_sync(synced_store: tuple[str, FakeRegistry]) -> None:
    url, fake = synced_store
    details, search = ActionTrialDetails(), ActionSearchTrials()  # one action server, kept running
    messages, _ = run_action(details, load_tracker("details_by_id_en"))
    assert "Recruiting" in _text(messages)
    messages, _ = run_action(search, load_tracker("search_lung_recruiting_en"))
    assert NCT in _card_ids(messages)

    change(next(s for s in fake.studies if nct_of(s) == NCT), "COMPLETED")
    report = sync(options(fake), url)
    assert report.status_changes == [(NCT, "RECRUITING", "COMPLETED")]

    messages, _ = run_action(details, load_tracker("details_by_id_en"))
    assert "Completed" in _text(messages) and "Recruiting" not in _text(messages)
    messages, _ = run_action(search, load_tracker("search_lung_recruiting_en"))
    assert NCT not in _card_ids(messages)  # patients are not told a closed trial recruits
