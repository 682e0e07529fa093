"""Rate limits and the channel's guard: per client, per conversation, the polite refusal."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from bot.channel_guards import ChannelGuard
from bot.limits import MAX_MESSAGE_CHARS, RateLimit, RateLimiter
from bot.safety import MAX_MESSAGE_CHARS as SAFETY_LIMIT


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_one_limit_everywhere() -> None:
    from bot import channels

    assert SAFETY_LIMIT == channels.MAX_MESSAGE_CHARS == MAX_MESSAGE_CHARS == 1000


@pytest.mark.parametrize(("text", "expected"), [("20/min", RateLimit(20, 7)), ("60/min,burst=20", RateLimit(60, 20)),
                                                 ("6 / min , burst=2", RateLimit(6, 2))])
def test_rate_limits_are_written_per_minute(text: str, expected: RateLimit) -> None:
    assert RateLimit.parse(text) == expected


@pytest.mark.parametrize("text", ["20", "20/s", "0/min", "x/min", "5/min,burst=0"])
def test_bad_rate_limits_say_how_to_write_them(text: str) -> None:
    with pytest.raises(ValueError, match="rate limit"):
        RateLimit.parse(text)


def test_a_burst_then_the_steady_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimit(60, 3), clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # another key has its own bucket
    assert limiter.retry_after("a") == 1
    clock.now = 1.0
    assert limiter.allow("a") and not limiter.allow("a")


def test_the_buckets_stay_bounded() -> None:
    limiter = RateLimiter(RateLimit(60, 1), max_keys=100)
    for i in range(1000):
        limiter.allow(f"client-{i}")
    assert len(limiter._buckets) == 100


def request(ip: str, headers: dict[str, str] | None = None) -> SimpleNamespace:
    return SimpleNamespace(ip=ip, headers=headers or {})


def guard(header: str | None = None) -> ChannelGuard:
    return ChannelGuard(RateLimiter(RateLimit(60, 2)), RateLimiter(RateLimit(60, 1)), header)


def test_a_flooding_client_gets_a_polite_429_and_others_are_served() -> None:
    g = guard()
    assert g.client_refusal(request("10.0.0.1")) is None and g.client_refusal(request("10.0.0.1")) is None
    refused = g.client_refusal(request("10.0.0.1"))
    assert refused.status == 429 and refused.headers["Retry-After"] == "1"
    assert "patientez quelques secondes" in json.loads(refused.body)["error"]
    assert "15 ou le 112" in json.loads(refused.body)["error"]
    assert g.client_refusal(request("10.0.0.2")) is None


def test_a_conversation_is_limited_in_its_own_language() -> None:
    g = guard()
    assert g.conversation_refusal("conv-limited-en", {"lang": "en"}) is None
    refused = g.conversation_refusal("conv-limited-en", {"lang": "en"})
    assert refused.status == 429 and "please wait a few seconds" in json.loads(refused.body)["error"]


def test_a_proxy_header_counts_only_when_configured() -> None:
    spoofed = {"X-Real-IP": "1.2.3.4"}
    untrusting = guard()
    assert untrusting.client_address(request("127.0.0.1", spoofed)) == "127.0.0.1"
    trusting = guard("X-Real-IP")
    assert trusting.client_address(request("127.0.0.1", spoofed)) == "1.2.3.4"
    assert trusting.client_address(request("127.0.0.1")) == "127.0.0.1"
