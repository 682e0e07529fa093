"""Keeps every child of ``bot run`` alive once the stack has started.

A child that exits, or fails its health check ``UNHEALTHY_AFTER`` times in a row and for
longer than its ``hang_grace_s`` (Rasa: 90 s, it does not answer while loading a model), is
(killed and) restarted at once the first time, then after a backoff doubling from 1 s to
30 s while it keeps failing; the others keep
serving meanwhile (nginx sends the messages to the live Rasa instances). ``bot run`` gives
up only when one child fails ``GIVE_UP_AFTER`` times within ``GIVE_UP_WINDOW_S``: then
something is wrong that a restart does not fix (bad configuration, store gone), and it says
which child and where its log is.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bot.errors import GaveUp
from bot.runtime.process import LOG_DIR, Service, start

CHECK_EVERY_S = 1.0
UNHEALTHY_AFTER = 3  # consecutive failed checks (each times out after 2 s)
FIRST_BACKOFF_S, MAX_BACKOFF_S = 1.0, 30.0
GIVE_UP_AFTER, GIVE_UP_WINDOW_S = 6, 300.0  # backoffs 0+1+2+4+8 s: it keeps failing
STARTING_GRACE_S = 240.0  # a restarted Rasa loads its model before it answers


@dataclass
class Watched:
    service: Service
    failures: list[float] = field(default_factory=list)  # when it failed, for GIVE_UP_*
    bad_checks: int = 0
    bad_since: float = 0.0
    restart_at: float | None = None  # set while it waits for its backoff
    started_at: float = field(default_factory=time.monotonic)
    healthy_once: bool = True  # children start healthy (wait_ready); restarts must prove it

    @property
    def backoff_s(self) -> float:
        recent = len(self.failures)  # including the one being handled
        if recent <= 1:
            return 0.0  # a one-off crash: back at once
        return min(MAX_BACKOFF_S, FIRST_BACKOFF_S * 2 ** (recent - 2))


def _kill(service: Service) -> None:
    if service.process and service.process.poll() is None:
        service.process.kill()
        service.process.wait(timeout=10)


class Supervisor:
    def __init__(self, services: list[Service], say: Callable[[str], None] = print) -> None:
        self.watched = [Watched(s) for s in services]
        self.say = say
        self.pool = ThreadPoolExecutor(max_workers=max(1, len(services)), thread_name_prefix="health")

    def _failed(self, item: Watched, why: str) -> None:
        now = time.monotonic()
        item.failures = [t for t in item.failures if now - t < GIVE_UP_WINDOW_S] + [now]
        name = item.service.name
        if len(item.failures) >= GIVE_UP_AFTER:
            raise GaveUp(
                f"{name} failed {len(item.failures)} times in {GIVE_UP_WINDOW_S / 60:.0f} minutes "
                f"(last: {why}); stopping everything. See {LOG_DIR / (name + '.log')}"
            )
        _kill(item.service)
        item.restart_at = now + item.backoff_s
        item.bad_checks = 0
        self.say(f"{name} {why}; restarting it in {item.backoff_s:.0f} s (the others keep serving).")
        self._after_failure(item.service)

    def _after_failure(self, service: Service) -> None:
        if not service.on_failure:
            return
        try:
            done = service.on_failure()
        except Exception as exc:  # noqa: BLE001 - the restart matters more
            done = f"could not clean up after {service.name} ({exc})"
        if done:
            self.say(done[0].upper() + done[1:] + ".")

    def _restart_due(self, item: Watched) -> None:
        if item.restart_at is not None and time.monotonic() >= item.restart_at:
            item.restart_at = None
            item.started_at = time.monotonic()
            item.healthy_once = False
            if item.service.make_command:
                item.service.command = item.service.make_command()
            start(item.service)

    def check_once(self) -> None:
        running = [w for w in self.watched if w.restart_at is None]
        exited = [w for w in running if w.service.process and w.service.process.poll() is not None]
        for item in exited:
            self._failed(item, f"stopped (exit code {item.service.process.returncode})")  # type: ignore[union-attr]
        alive = [w for w in running if w not in exited]
        results = list(self.pool.map(lambda w: w.service.health(), alive))
        for item, ok in zip(alive, results, strict=True):
            if ok:
                if not item.healthy_once:
                    item.healthy_once = True
                    self.say(f"{item.service.name} is back.")
                item.bad_checks = 0
            elif item.healthy_once:
                item.bad_checks += 1
                if item.bad_checks == 1:
                    item.bad_since = time.monotonic()
                hung_s = time.monotonic() - item.bad_since
                if item.bad_checks >= UNHEALTHY_AFTER and hung_s >= item.service.hang_grace_s:
                    self._failed(item, f"did not answer its health check for {hung_s:.0f} s")
            elif time.monotonic() - item.started_at > STARTING_GRACE_S:
                self._failed(item, f"did not become ready within {STARTING_GRACE_S:.0f} s")
        for item in self.watched:
            self._restart_due(item)

    def run(self, every: Callable[[], None] | None = None) -> None:
        """Until Ctrl-C (KeyboardInterrupt) or :class:`GaveUp`; ``every`` runs each beat."""
        try:
            while True:
                self.check_once()
                if every:
                    every()
                time.sleep(CHECK_EVERY_S)
        finally:
            self.pool.shutdown(wait=False, cancel_futures=True)
