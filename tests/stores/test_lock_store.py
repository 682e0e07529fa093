"""Rasa's Redis lock store, built from our lock_store_config(), on the real Redis server."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from bot.rasa_endpoints import lock_store_config
from tests.services import require_redis

REDIS_URL = "redis://127.0.0.1:6379/0"
pytestmark = pytest.mark.redis


@pytest.fixture
def lock_store() -> Iterator[Any]:
    from rasa.core.lock_store import LockStore, RedisLockStore
    from rasa.utils.endpoints import EndpointConfig

    config = lock_store_config(REDIS_URL)
    assert config == {"type": "redis", "url": "127.0.0.1", "port": 6379, "db": 0}
    prefix = f"curietest{uuid.uuid4().hex[:10]}"  # ours alone; Rasa wants it alphanumeric
    store = LockStore.create(EndpointConfig.from_dict({**config, "key_prefix": prefix}))
    assert isinstance(store, RedisLockStore)
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
        async with lock_store.lock(conversation, lock_lifetime=10, wait_time_in_seconds=0.05):
            order.append("first in")
            assert lock_store.red.exists(key)  # the lock lives in Redis
            await asyncio.sleep(0.3)
            assert lock_store.is_someone_waiting(conversation)  # the second message waits
            order.append("first out")

    async def second() -> None:
        await asyncio.sleep(0.05)  # arrives while the first holds the lock
        async with lock_store.lock(conversation, lock_lifetime=10, wait_time_in_seconds=0.05):
            order.append("second in")

    async def both() -> None:
        await asyncio.gather(first(), second())

    asyncio.run(both())
    assert order == ["first in", "first out", "second in"]
    # Released: nothing left for this conversation.
    assert lock_store.get_lock(conversation) is None
    assert not lock_store.red.exists(key)
