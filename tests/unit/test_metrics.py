"""The metrics broker counts what Rasa streams to it (bot/runtime/metrics.py), in-process."""
from __future__ import annotations

from bot.conversation_store import HEALTH
from bot.runtime import metrics


def _value(counter, language: str) -> float:  # type: ignore[no-untyped-def]
    return counter.labels(metrics.INSTANCE, language)._value.get()


def test_an_i_dont_know_answer_is_counted_in_the_conversation_language() -> None:
    broker = metrics.MetricsEventBroker()
    HEALTH.remember_language("metrics-dont-know", "en")  # what the tracker store saved
    before = (_value(metrics.DONT_KNOW, "en"), _value(metrics.MESSAGES, "en"))
    for event in [
        {"event": "user", "timestamp": 1.0},
        {"event": "bot", "metadata": {"utter_action": "utter_dont_know"}},
        {"event": "action", "name": "action_listen"},
    ]:
        broker.publish({"sender_id": "metrics-dont-know", **event})
    assert (_value(metrics.DONT_KNOW, "en"), _value(metrics.MESSAGES, "en")) == (before[0] + 1, before[1] + 1)
