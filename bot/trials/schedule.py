"""The optional daily registry sync of ``bot run`` (``TRIALS_SYNC_DAILY=true``, off by default:
it needs the internet). Production servers may rather use cron or a systemd timer (README).

A daemon thread sleeps until ``TRIALS_SYNC_TIME`` (local time), runs one sync, and repeats.
Stopping asks the running sync to stop between pages; the next run resumes it.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


def next_run(now: dt.datetime, at: str) -> dt.datetime:
    """The next time of day ``at`` ("HH:MM") strictly after ``now`` (same tz as ``now``)."""
    try:
        hour, minute = (int(part) for part in at.split(":"))
        target = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    except ValueError as exc:
        raise ValueError(f"TRIALS_SYNC_TIME must be HH:MM (24 h), not {at!r}") from exc
    return target if target > now else target + dt.timedelta(days=1)


class DailySync:
    def __init__(self, settings: Any, runner: Callable[[Callable[[], bool]], None] | None = None,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone()) -> None:
        self.settings = settings
        self.runner = runner or self._sync_once
        self.now = now
        next_run(now(), settings.trials_sync_time)  # a bad time is reported at start-up
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="trials-daily-sync", daemon=True)

    def start(self) -> DailySync:
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout_s)

    def _loop(self) -> None:
        while not self._stop.is_set():
            now = self.now()
            wait = (next_run(now, self.settings.trials_sync_time) - now).total_seconds()
            if self._stop.wait(max(wait, 0.0)):
                return
            try:
                self.runner(self._stop.is_set)
            except KeyboardInterrupt:  # asked to stop between pages
                return
            except Exception as exc:  # noqa: BLE001 - a failed night must not stop the next one
                log.warning("daily trial sync failed: %s", exc)
                print(f"Daily trial sync failed: {exc}", flush=True)

    def _sync_once(self, should_stop: Callable[[], bool]) -> None:
        from bot.trials import sync

        sync.log_to_file()
        options = sync.options_from_settings(self.settings)
        report = sync.sync(options, self.settings.database_url, should_stop=should_stop)
        print("Daily trial sync: " + report.summary().splitlines()[0], flush=True)


def start_daily_sync(settings: Any) -> DailySync | None:
    """Starts the daily sync if the settings enable it; None otherwise (or if misconfigured)."""
    if not settings.trials_sync_daily:
        return None
    from bot.trials.sync import SyncError, load_queries

    try:
        load_queries(settings.trials_sync_queries)
        scheduler = DailySync(settings)
    except (SyncError, ValueError) as exc:
        print(f"warning: daily trial sync not started: {exc}", flush=True)
        return None
    print(f"Daily trial sync at {settings.trials_sync_time} from {settings.trials_sync_api_url}.", flush=True)
    return scheduler.start()
