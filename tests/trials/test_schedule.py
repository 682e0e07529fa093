"""The optional daily sync of ``bot run``: when it runs, that it is off by default, and stopping."""
from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from pathlib import Path

import pytest

from bot.runtime.launcher import start_trial_sync
from bot.settings import load_settings
from bot.trials.schedule import DailySync, next_run

PARIS = dt.timezone(dt.timedelta(hours=1))


def test_next_run_is_the_next_time_of_day() -> None:
    now = dt.datetime(2026, 3, 10, 2, 0, tzinfo=PARIS)
    assert next_run(now, "03:30") == dt.datetime(2026, 3, 10, 3, 30, tzinfo=PARIS)
    assert next_run(now, "01:00") == dt.datetime(2026, 3, 11, 1, 0, tzinfo=PARIS)
    assert next_run(now.replace(hour=3, minute=30), "03:30") == dt.datetime(2026, 3, 11, 3, 30, tzinfo=PARIS)
    with pytest.raises(ValueError, match="HH:MM"):
        next_run(now, "half past three")


def test_daily_sync_is_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRIALS_SYNC_DAILY", raising=False)
    assert load_settings().trials_sync_daily is False
    assert start_trial_sync(load_settings()) is None


def test_a_misconfigured_daily_sync_is_reported_not_started(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TRIALS_SYNC_DAILY", "true")
    monkeypatch.setenv("TRIALS_SYNC_QUERIES", str(tmp_path / "missing.yml"))
    assert start_trial_sync(load_settings()) is None
    assert "daily trial sync not started: cannot read the saved queries" in capsys.readouterr().out


def test_the_thread_runs_at_the_time_and_stops_when_asked() -> None:
    ran = threading.Event()
    asked_to_stop: list[bool] = []
    almost = dt.datetime(2026, 3, 10, 3, 29, 59, 900000, tzinfo=PARIS)  # 0.1 s before 03:30

    def runner(should_stop) -> None:
        asked_to_stop.append(should_stop())
        ran.set()

    settings = dataclasses.replace(load_settings(), trials_sync_time="03:30")
    scheduler = DailySync(settings, runner=runner, now=lambda: almost).start()
    try:
        assert ran.wait(5)
    finally:
        scheduler.stop(timeout_s=5)
    assert asked_to_stop[0] is False
    assert not scheduler._thread.is_alive()
