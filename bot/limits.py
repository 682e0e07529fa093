"""The assistant's input limits, in one place (the channel, the safety rules and the widget use them).

MAX_MESSAGE_CHARS = 1000. Why this value:
- what patients ask is a sentence or two: the longest of our 900+ held-out questions is 150
  characters, and the chat box has always stopped typing at 1000;
- past a few sentences the classifier answers the average of several questions, so the
  assistant cannot answer a longer message well anyway: it asks for one or two sentences
  (and gives 15 / 112 first, in case the message describes symptoms);
- the cost of a message grows with its length on Rasa's single event loop (about 1 s for
  20,000 characters, measured): 1000 keeps the worst message to a few tens of milliseconds.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

MAX_MESSAGE_CHARS = 1_000
MAX_METADATA_CHARS = 2_000  # the widget sends {"lang": "fr"}
MAX_METADATA_DEPTH = 4  # JSON nesting of the metadata object; deeper is refused, not parsed further
# A request body: the longest message even with every character \\u-escaped (12 bytes), and the
# metadata; a longer message under this size gets the polite 413, anything bigger a plain 400.
MAX_BODY_BYTES = 65_536
# A rate no client reaches: for tools that send everything from one address (the tests'
# private assistant, `bot eval`, the capacity benchmarks), where the limits would measure
# themselves. Never a production setting.
NO_RATE_LIMIT = "1000000/min,burst=1000000"


@dataclass(frozen=True)
class RateLimit:
    """At most ``per_minute`` messages a minute on average, ``burst`` in a row."""

    per_minute: float
    burst: int

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """'20/min' or '20/min,burst=8' (burst defaults to a third of a minute's allowance)."""
        rate, _, extra = text.replace(" ", "").partition(",")
        count, _, unit = rate.partition("/")
        try:
            if unit not in ("min", "minute", "m"):
                raise ValueError(unit)
            per_minute = float(count)
            burst = int(extra.split("=", 1)[1]) if extra.startswith("burst=") else max(1, round(per_minute / 3))
        except ValueError:
            raise ValueError(f"rate limit {text!r}: write it like '20/min' or '20/min,burst=8'") from None
        if per_minute <= 0 or burst < 1:
            raise ValueError(f"rate limit {text!r}: the rate and the burst must be positive")
        return cls(per_minute, burst)


class RateLimiter:
    """Token buckets by key (client address, conversation id), in memory and bounded in size.

    One Rasa process answers from one event loop, so no lock is needed; with several
    processes behind nginx each has its own buckets (nginx limits per client in front).
    """

    def __init__(self, limit: RateLimit, max_keys: int = 50_000, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self.limit = limit
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key: (tokens, time)

    def allow(self, key: str) -> bool:
        """Takes one message from ``key``'s bucket; False when it is empty."""
        now = self._clock()
        tokens, then = self._buckets.pop(key, (float(self.limit.burst), now))
        tokens = min(float(self.limit.burst), tokens + (now - then) * self.limit.per_minute / 60.0)
        allowed = tokens >= 1.0
        self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        while len(self._buckets) > self.max_keys:  # the least recently seen go first
            self._buckets.popitem(last=False)
        return allowed

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may send again (for the Retry-After header)."""
        tokens, _ = self._buckets.get(key, (1.0, 0.0))
        missing = max(0.0, 1.0 - tokens)
        return max(1, int(missing * 60.0 / self.limit.per_minute + 0.999))
