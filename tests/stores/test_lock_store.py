"""Rasa's Redis lock store, built from our lock_store_config(), on the real Redis server."""
from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from bot.runtime.endpoints import lock_store_config
from tests.services import require_redis

REDIS_URL = "redis://127.0.0.1:6379/0"
LIFETIME_S = 1.0
pytestmark = pytest.mark.redis


@pytest.fixture
def lock_store() -> Iterator[Any]:
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import EndpointConfig

    from bot.runtime.lock_store import KeptAliveRedisLockStore

    prefix = f"curietest{uuid.uuid4().hex[:10]}"  # ours alone; Rasa wants it alphanumeric
    config = lock_store_config(f"{REDIS_URL}?prefix={prefix}", lifetime_s=LIFETIME_S)
    assert config == {"type": "bot.runtime.lock_store.KeptAliveRedisLockStore", "url": "127.0.0.1",
                      "port": 6379, "db": 0, "key_prefix": prefix, "lifetime": LIFETIME_S}
    store = LockStore.create(EndpointConfig.from_dict(config))  # the way `rasa run` builds it
    assert isinstance(store, KeptAliveRedisLockStore)
    assert store.lifetime_s == LIFETIME_S
    require_redis()
    yield store
    for key in store.red.scan_iter(f"{prefix}:*"):
        store.red.delete(key)
    assert not list(store.red.scan_iter(f"{prefix}:*"))


def test_acquire_and_release_a_conversation_lock(lock_store: Any) -> None:
    conversation = "patient-lock-test"
    key = lock_store.key_prefix + conversation
    order: list[str] = []

    async def first() -> None:
        async with lock_store.lock(conversation):
            order.append("first in")
            assert lock_store.red.exists(key)  # the lock lives in Redis
            await asyncio.sleep(0.3)
            assert lock_store.is_someone_waiting(conversation)  # the second message waits
            order.append("first out")

    async def second() -> None:
        await asyncio.sleep(0.05)  # arrives while the first holds the lock
        async with lock_store.lock(conversation):
            order.append("second in")

    async def both() -> None:
        await asyncio.gather(first(), second())

    asyncio.run(both())
    assert order == ["first in", "first out", "second in"]
    # Released: nothing left for this conversation.
    assert lock_store.get_lock(conversation) is None
    assert not lock_store.red.exists(key)


def test_a_live_holder_keeps_its_turn_beyond_the_lifetime(lock_store: Any) -> None:
    """A message that takes longer than the lifetime is not overtaken (its ticket is refreshed)."""
    conversation = "patient-slow-message"
    spans: list[tuple[str, float, float]] = []

    async def message(name: str, delay: float, busy_s: float) -> None:
        await asyncio.sleep(delay)
        async with lock_store.lock(conversation):
            start = time.monotonic()
            await asyncio.sleep(busy_s)
            spans.append((name, start, time.monotonic()))

    async def both() -> None:
        await asyncio.gather(message("slow", 0, 3 * LIFETIME_S), message("next", 0.1, 0.1))

    asyncio.run(both())
    (first, _, first_end), (second, second_start, _) = spans
    assert (first, second) == ("slow", "next")
    assert second_start >= first_end  # never both at once
    assert lock_store.get_lock(conversation) is None


def test_a_dead_instance_ticket_blocks_for_one_lifetime_at_most(lock_store: Any) -> None:
    """A ticket nobody refreshes (its instance was killed) expires; the next message goes on."""
    conversation = "patient-dead-instance"
    lock_store.issue_ticket(conversation)  # taken, then the process "dies": no keep-alive
    waited: list[float] = []

    async def next_message() -> None:
        start = time.monotonic()
        async with lock_store.lock(conversation):
            waited.append(time.monotonic() - start)

    asyncio.run(next_message())
    assert LIFETIME_S * 0.5 <= waited[0] <= LIFETIME_S + 1.0, waited
    assert lock_store.get_lock(conversation) is None


def test_the_turns_of_a_dead_instance_are_handed_back_at_once(
    lock_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bot run` saw the instance die: its conversations go on without waiting for the lifetime."""
    from bot.runtime.lock_owners import lock_prefix_of, owner_id, release_all, remember

    conversation = "patient-instance-killed"
    lock_store.lifetime_s = 60.0  # as if the lifetime were long: only the release can free it
    dead = owner_id("rasa-9")
    ticket = lock_store.issue_ticket(conversation)
    remember(lock_store.red, lock_store.key_prefix, dead, conversation, ticket)
    prefix = lock_store.key_prefix.split(":")[0]
    assert lock_prefix_of(f"{REDIS_URL}?prefix={prefix}") == lock_store.key_prefix
    waited: list[float] = []

    async def next_message() -> None:
        start = time.monotonic()
        async with lock_store.lock(conversation):
            waited.append(time.monotonic() - start)

    async def release_soon() -> None:
        await asyncio.sleep(0.5)
        assert release_all(lock_store.red, lock_store.key_prefix, dead) == 1

    async def both() -> None:
        await asyncio.gather(next_message(), release_soon())

    asyncio.run(both())
    assert 0.4 <= waited[0] <= 1.5, waited
    assert lock_store.get_lock(conversation) is None
