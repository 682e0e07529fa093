"""The load generator of the assistant bench: closed-loop and open-loop conversations.

asyncio and aiohttp (a dependency of Rasa) in one thread: 50 conversations cost the client a
fraction of a millisecond of CPU per message, so the 2 cores stay with the assistant.

- Closed loop: every conversation sends its next message as soon as the previous one is
  answered; the throughput is what the assistant can do.
- Open loop: every conversation sends a message every ``interval_s`` (starts staggered, so
  the load is even). A latency counts from the planned time: a reply that waited in a queue,
  or a generator that fell behind, shows in the figures (no "coordinated omission"). A reply
  is late when it came after the conversation's next message was due.
"""
from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import aiohttp

TIMEOUT_S = 60.0

Message = tuple[str, str]  # (text, language)
Send = Callable[[aiohttp.ClientSession, int], Awaitable[None]]  # sends a user's n-th message


@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    wall_s: float = 0.0
    late: int = 0  # open loop only: replies after the conversation's next message was due

    @property
    def rate(self) -> float:
        """Answered messages a second."""
        return len(self.latencies_ms) / self.wall_s if self.wall_s else 0.0


@dataclass(frozen=True)
class Target:
    webhook_url: str  # the REST channel: a whole turn (NLU, policies, actions, tracker store)
    parse_url: str  # Rasa's /model/parse, with its token: NLU only


def open_loop_schedule(conversations: int, interval_s: float, duration_s: float) -> list[list[float]]:
    """Planned send times (seconds from the start) of each conversation's messages.

    Conversation ``i`` starts at ``i * interval_s / conversations``: the starts spread over one
    interval, so the assistant gets ``conversations / interval_s`` messages a second, evenly.
    """
    if interval_s <= 0:
        raise ValueError(f"interval must be positive, got {interval_s}")
    steps = math.ceil(duration_s / interval_s)
    offsets = (i * interval_s / conversations for i in range(conversations))
    return [[t for k in range(steps) if (t := offset + k * interval_s) < duration_s] for offset in offsets]


def is_late(latency_ms: float, interval_s: float) -> bool:
    """The reply came after the conversation's next message was due."""
    return latency_ms > interval_s * 1000


def _visitor() -> str:
    return f"bench-{uuid.uuid4().hex[:10]}"


async def _post(session: aiohttp.ClientSession, url: str, body: dict[str, object]) -> None:
    async with session.post(url, json=body) as reply:
        reply.raise_for_status()
        await reply.read()


def conversation(target: Target, messages: Sequence[Message]) -> Send:
    """One user's messages: ``messages`` in turn, then a new visitor asks them again (Rasa
    reloads the whole conversation at every message: a visit keeps a realistic length
    instead of growing for the whole run)."""
    sender = [_visitor()]

    def send(session: aiohttp.ClientSession, number: int) -> Awaitable[None]:
        if number and number % len(messages) == 0:
            sender[0] = _visitor()
        text, lang = messages[number % len(messages)]
        return _post(session, target.webhook_url, {"sender": sender[0], "message": text, "metadata": {"lang": lang}})

    return send


def parsing(target: Target, messages: Sequence[Message]) -> Send:
    def send(session: aiohttp.ClientSession, number: int) -> Awaitable[None]:
        return _post(session, target.parse_url, {"text": messages[number % len(messages)][0]})

    return send


async def _timed(call: Awaitable[None], outcome: Outcome, since: float) -> float | None:
    """Awaits ``call``; its latency in ms from ``since`` (a perf_counter time), None if it failed."""
    try:
        await call
    except (aiohttp.ClientError, asyncio.TimeoutError):
        outcome.errors += 1
        return None
    ms = (time.perf_counter() - since) * 1000
    outcome.latencies_ms.append(ms)
    return ms


def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_S),
                                 connector=aiohttp.TCPConnector(limit=0))


def closed_loop(users: Sequence[Send], seconds: float) -> Outcome:
    """Each user sends its next message as soon as the previous one is answered, for ``seconds``."""

    async def run() -> Outcome:
        outcome = Outcome()
        started = time.perf_counter()
        stop_at = started + seconds

        async def user(send: Send, session: aiohttp.ClientSession) -> None:
            number = 0
            while time.perf_counter() < stop_at:
                await _timed(send(session, number), outcome, time.perf_counter())
                number += 1

        async with _session() as session:
            await asyncio.gather(*(user(send, session) for send in users))
        outcome.wall_s = time.perf_counter() - started
        return outcome

    return asyncio.run(run())


def open_loop(users: Sequence[Send], interval_s: float, duration_s: float) -> Outcome:
    """Each user sends a message every ``interval_s`` for ``duration_s``. A user waits for the
    reply before its next message, as a person does: a reply later than ``interval_s`` makes
    the next message start late, and that delay counts in the next one's latency."""
    schedule = open_loop_schedule(len(users), interval_s, duration_s)

    async def run() -> Outcome:
        outcome = Outcome()

        async def user(send: Send, planned: list[float], session: aiohttp.ClientSession) -> None:
            for number, at in enumerate(planned):
                await asyncio.sleep(max(0.0, origin + at - time.perf_counter()))
                ms = await _timed(send(session, number), outcome, origin + at)
                if ms is not None and is_late(ms, interval_s):
                    outcome.late += 1

        async with _session() as session:
            origin = time.perf_counter()
            await asyncio.gather(*(user(send, planned, session) for send, planned in zip(users, schedule, strict=True)))
        outcome.wall_s = time.perf_counter() - origin
        return outcome

    return asyncio.run(run())
