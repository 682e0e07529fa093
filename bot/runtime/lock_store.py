"""Rasa's Redis lock store, made safe for several instances and quick to recover from a dead one.

Rasa 3.6's ``RedisLockStore`` gives each message a ticket that expires after a fixed lifetime
(60 s by default) and polls every second. When an instance dies holding a ticket, every later
message of that conversation waits for the whole lifetime; a short lifetime instead expires
the tickets of live instances that are still busy (or still waiting in line). Here:

- a live instance keeps its tickets alive (refreshed every ``lifetime / 6``), so the
  lifetime can be a few seconds: only a dead instance's tickets expire;
- waiters poll every 0.1 s instead of 1 s;
- every change of a lock is a Redis transaction (WATCH/MULTI), so two instances issuing
  tickets for the same conversation at the same moment cannot overwrite each other;
- each instance records the turns it holds (bot/runtime/lock_owners.py): when `bot run`
  sees it die, it hands them back at once, without waiting for the lifetime.

Used through endpoints.yml (``type: bot.runtime.lock_store.KeptAliveRedisLockStore``).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.runtime.lock_owners import forget, owner_id, remember

logger = logging.getLogger(__name__)

DEFAULT_LIFETIME_S = 3.0
POLL_S = 0.1
MAX_WAIT_S = 120.0  # a message never waits longer than this for its turn


class KeptAliveRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        options = dict(endpoint_config.kwargs) if endpoint_config else dict(kwargs)
        self.lifetime_s = float(options.pop("lifetime", DEFAULT_LIFETIME_S))
        host = (endpoint_config.url if endpoint_config else None) or options.pop("host", "localhost")
        super().__init__(host=host, **options)
        instance = os.environ.get("BOT_INSTANCE")  # set by `bot run` for each instance
        self.owner = owner_id(instance) if instance else None

    # -- atomic changes -------------------------------------------------------------------
    def _modify(self, conversation_id: str, change: Callable[[TicketLock], Any]) -> Any:
        """Applies ``change`` to the stored lock in a transaction; returns what it returned."""
        import redis

        key = self.key_prefix + conversation_id
        for _ in range(100):
            with self.red.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(_json(raw)) if raw else self.create_lock(conversation_id)
                    result = change(lock)
                    pipe.multi()
                    if lock.tickets:
                        pipe.set(key, lock.dumps())
                    else:
                        pipe.delete(key)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another instance changed it meanwhile: read again
        raise LockError(f"Could not update the lock of conversation '{conversation_id}'.")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = DEFAULT_LIFETIME_S) -> int:
        try:
            return int(self._modify(conversation_id, lambda lock: lock.issue_ticket(self.lifetime_s)))
        except LockError:
            raise
        except Exception as exc:  # noqa: BLE001 - Rasa's contract: LockError
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc

    def update_lock(self, conversation_id: str) -> None:
        self._modify(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._modify(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # _modify deletes the lock once its last ticket is gone, in the same transaction.
        self.finish_serving(conversation_id, ticket_number)

    def refresh(self, conversation_id: str, ticket_number: int) -> bool:
        """Pushes back the expiry of our ticket; False when it already expired."""

        def extend(lock: TicketLock) -> bool:
            for ticket in lock.tickets:
                if ticket.number == ticket_number:
                    ticket.expires = time.time() + self.lifetime_s
                    return True
            return False

        return bool(self._modify(conversation_id, extend))

    # -- the lock itself ------------------------------------------------------------------
    async def _keep_alive(self, conversation_id: str, ticket: int) -> None:
        while True:
            await asyncio.sleep(self.lifetime_s / 6)
            try:
                if not self.refresh(conversation_id, ticket):
                    logger.warning("ticket %s of '%s' expired before its turn", ticket, conversation_id)
                    return
            except Exception:  # noqa: BLE001 - Redis hiccup: try again at the next beat
                logger.exception("could not refresh the lock of '%s'", conversation_id)

    @contextlib.asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = DEFAULT_LIFETIME_S,
        wait_time_in_seconds: float = POLL_S,
    ) -> AsyncIterator[TicketLock]:
        ticket = self.issue_ticket(conversation_id)
        if self.owner:
            remember(self.red, self.key_prefix, self.owner, conversation_id, ticket)
        keeper = asyncio.ensure_future(self._keep_alive(conversation_id, ticket))
        try:
            yield await self._wait_for_turn(conversation_id, ticket)
        finally:
            keeper.cancel()
            self.cleanup(conversation_id, ticket)
            if self.owner:
                forget(self.red, self.key_prefix, self.owner, conversation_id, ticket)

    async def _wait_for_turn(self, conversation_id: str, ticket: int) -> TicketLock:
        deadline = time.monotonic() + MAX_WAIT_S
        while time.monotonic() < deadline:
            self.update_lock(conversation_id)  # drops the tickets of dead instances
            lock = self.get_lock(conversation_id)
            if lock is None or all(t.number != ticket for t in lock.tickets):
                break  # our own ticket expired: give up rather than run out of turn
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(POLL_S)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")


def _json(raw: bytes) -> dict[str, Any]:
    import json

    return dict(json.loads(raw))
