"""Which Rasa instance holds which conversation turn, so that ``bot run`` can hand back at once
the turns of an instance it saw die, instead of waiting for their lifetime to run out.

Each instance adds ``<ticket>:<conversation>`` to a Redis set of its own while a message
holds or waits for a turn (bot/runtime/lock_store.py); when the supervisor sees the instance
die, :func:`release_dead_instance` removes those tickets from the conversations' locks, in
the same transactional way, and the next message of each conversation goes on. The lifetime
stays the safety net for what no supervisor saw (a whole host lost).

No Rasa import here: it runs in `bot run`'s own process.
"""
from __future__ import annotations

import json
import socket
from typing import Any

from sqlalchemy.engine import make_url

RASA_LOCK_PREFIX = "lock:"  # Rasa's RedisLockStore: "<key_prefix>:lock:<conversation>"


def owner_id(instance: str) -> str:
    """Unique across hosts sharing one Redis: the host name and the instance's name."""
    return f"{socket.gethostname()}/{instance}"


def owner_key(lock_prefix: str, owner: str) -> str:
    return f"{lock_prefix.removesuffix(RASA_LOCK_PREFIX)}lock-owner:{owner}"


def remember(red: Any, lock_prefix: str, owner: str, conversation_id: str, ticket: int) -> None:
    red.sadd(owner_key(lock_prefix, owner), f"{ticket}:{conversation_id}")


def forget(red: Any, lock_prefix: str, owner: str, conversation_id: str, ticket: int) -> None:
    red.srem(owner_key(lock_prefix, owner), f"{ticket}:{conversation_id}")


def _drop_ticket(red: Any, key: str, ticket: int) -> None:
    import redis

    for _ in range(100):
        with red.pipeline() as pipe:
            try:
                pipe.watch(key)
                raw = pipe.get(key)
                if not raw:
                    return
                lock = json.loads(raw)
                lock["tickets"] = [t for t in lock.get("tickets", []) if json.loads(t)["number"] != ticket]
                pipe.multi()
                if lock["tickets"]:
                    pipe.set(key, json.dumps(lock))
                else:
                    pipe.delete(key)
                pipe.execute()
                return
            except redis.WatchError:
                continue


def release_all(red: Any, lock_prefix: str, owner: str) -> int:
    """Removes every ticket ``owner`` held; returns how many conversations it freed."""
    key = owner_key(lock_prefix, owner)
    members = [m.decode() if isinstance(m, bytes) else str(m) for m in red.smembers(key)]
    for member in members:
        ticket, conversation_id = member.split(":", 1)
        _drop_ticket(red, lock_prefix + conversation_id, int(ticket))
    red.delete(key)
    return len(members)


def lock_prefix_of(url: str) -> str:
    """The prefix Rasa's RedisLockStore puts before each conversation for this LOCK_STORE_URL."""
    prefix = make_url(url).query.get("prefix")
    return f"{prefix}:{RASA_LOCK_PREFIX}" if isinstance(prefix, str) and prefix.isalnum() else RASA_LOCK_PREFIX


def release_dead_instance(url: str, instance: str) -> int:
    """Called by the supervisor when Rasa instance ``instance`` of this host died."""
    import redis

    parsed = make_url(url)
    red = redis.Redis(
        host=parsed.host or "127.0.0.1", port=parsed.port or 6379, password=parsed.password,
        db=int(parsed.database or 0), socket_timeout=5,
    )
    try:
        return release_all(red, lock_prefix_of(url), owner_id(instance))
    finally:
        red.close()
