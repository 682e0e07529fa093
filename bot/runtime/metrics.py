"""``/metrics`` of each Rasa instance, in Prometheus' text format (``prometheus_client``).

Rasa hands every stored event to its event broker; ours (``MetricsEventBroker``, set in
endpoints.yml by bot/runtime/endpoints.py) counts them instead of forwarding them anywhere, so
nothing in Rasa is patched. Instance ``i`` serves the default registry (also what other
modules register there) on ``127.0.0.1:METRICS_PORT + i``; every series carries the
``rasa_instance`` label (Prometheus adds its own ``instance`` label per scraped target).

- ``bot_messages_total{rasa_instance, language}``: user messages answered;
- ``bot_reply_seconds{rasa_instance}``: from the user event to the answer being stored;
- ``bot_fallbacks_total``: the assistant did not understand (action_fallback);
- ``bot_dont_know_total``: it had no answer and pointed to a human ("I don't know", out of
  scope, handoff);
- ``bot_emergencies_total``: the emergency numbers were given.
"""
from __future__ import annotations

import logging
import os
import time
from asyncio import AbstractEventLoop
from typing import Any

from prometheus_client import Counter, Histogram, start_http_server
from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from bot.conversation_store import HEALTH

logger = logging.getLogger(__name__)

INSTANCE = os.environ.get("BOT_INSTANCE", "rasa")
LABELS = ("rasa_instance", "language")

MESSAGES = Counter("bot_messages", "User messages answered", LABELS)
FALLBACKS = Counter("bot_fallbacks", "Messages the assistant did not understand", LABELS)
DONT_KNOW = Counter("bot_dont_know", "Questions without an answer, pointed to a human", LABELS)
EMERGENCIES = Counter("bot_emergencies", "Answers that gave the emergency numbers", LABELS)
REPLY_SECONDS = Histogram(
    "bot_reply_seconds", "Time from a user message to its stored answer", ("rasa_instance",),
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
)

FALLBACK_ACTIONS = {"action_fallback"}
# The honest "I don't know" (bot/nlu/overrides.py), out of scope, and the handoff.
DONT_KNOW_RESPONSES = {"utter_dont_know", "utter_out_of_scope", "utter_fallback_handoff"}
EMERGENCY_RESPONSES = {"utter_urgent"}
DEFAULT_LANGUAGE = "fr"  # the slot's initial value (domain/core.yml)


class Turn:
    """The message being answered in one conversation (its events come one by one)."""

    def __init__(self) -> None:
        self.language: str | None = None  # set by this turn's SlotSet, else looked up
        self.asked_at: float | None = None


_serving: list[int] = []  # the port this process serves /metrics on, once started


def serve_metrics() -> None:
    """Once per process: Rasa makes a new broker each time it loads a model."""
    port = int(os.environ.get("BOT_METRICS_PORT", "0"))
    if not port or _serving:
        return
    try:
        start_http_server(port, addr="127.0.0.1")
        _serving.append(port)
    except OSError as exc:  # metrics are not worth refusing to answer patients
        logger.warning("no /metrics: port %s is taken (%s); set METRICS_PORT", port, exc)


class MetricsEventBroker(EventBroker):
    def __init__(self) -> None:
        self.turns: dict[str, Turn] = {}
        serve_metrics()

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: AbstractEventLoop | None = None
    ) -> MetricsEventBroker:
        return cls()

    def _stored_language(self, sender: str) -> str:
        """The conversation's language when this turn did not change it (Rasa stores a SlotSet
        only on a change, maybe on another instance). The tracker store remembers the saved
        tracker's language just before it streams the turn's events here
        (bot/conversation_store.py), so no query is needed."""
        return HEALTH.language_of(sender) or DEFAULT_LANGUAGE

    def _language(self, sender: str, turn: Turn) -> str:
        if turn.language is None:
            turn.language = self._stored_language(sender)
        return turn.language

    def publish(self, event: dict[str, Any]) -> None:
        try:
            self._count(event)
        except Exception:  # noqa: BLE001 - counting must never break a conversation
            logger.exception("could not count event %s", event.get("event"))

    def _count(self, event: dict[str, Any]) -> None:
        sender = str(event.get("sender_id"))
        kind, name = event.get("event"), event.get("name")
        if kind == "user":
            self.turns.pop(sender, None)
            self.turns[sender] = turn = Turn()
            turn.asked_at = float(event.get("timestamp") or time.time())
            if len(self.turns) > 10_000:  # bounded memory: forget the oldest
                self.turns.pop(next(iter(self.turns)))
            return
        turn = self.turns.get(sender)
        if turn is None:
            return  # not a turn of a user message (e.g. the session start)
        if kind == "slot" and name == "language" and event.get("value"):
            turn.language = str(event["value"])
        elif kind == "action" and name in FALLBACK_ACTIONS:
            FALLBACKS.labels(INSTANCE, self._language(sender, turn)).inc()
        elif kind == "bot":
            response = (event.get("metadata") or {}).get("utter_action")
            if response in DONT_KNOW_RESPONSES:
                DONT_KNOW.labels(INSTANCE, self._language(sender, turn)).inc()
            if response in EMERGENCY_RESPONSES:
                EMERGENCIES.labels(INSTANCE, self._language(sender, turn)).inc()
        elif kind == "action" and name == "action_listen" and turn.asked_at:
            MESSAGES.labels(INSTANCE, self._language(sender, turn)).inc()
            REPLY_SECONDS.labels(INSTANCE).observe(max(0.0, time.time() - turn.asked_at))
            del self.turns[sender]
