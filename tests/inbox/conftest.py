"""Conversation databases filled with real Rasa events, through Rasa's own SQL tracker store.

Each turn is written the way Rasa 3.6 writes it when the assistant runs (checked against the
running assistant in test_round_trip.py): the user event with its full parse data (intent,
ranking, the response selector's choice), the language slot set by action_detect_language,
the action that answered, the bot's reply, then action_listen.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.faq.paths import FaqPaths
from tests.faq.sample import make_faq
from tests.services import require_postgres
from tests.stores.helpers import (
    postgres_database,
    project_domain,
    run_async,
    tracker_store,
)

DAY = 86400.0


@dataclass(frozen=True)
class Said:
    """One patient message and what the assistant made of it."""

    text: str
    intent: str = "faq"
    confidence: float = 0.97
    entry: str | None = "cafeteria"  # the response selector's pick
    entry_confidence: float = 0.9
    answered_by: str = "utter_faq"
    language: str = "fr"
    message_id: str | None = None  # Rasa's id of the user event (the widget's votes name it)
    answer: str = "..."  # what the assistant said

    @classmethod
    def missed(cls, text: str, language: str = "fr", closest: str = "parking") -> Said:
        """Not understood: NLU fallback, answered by action_fallback."""
        return cls(text, "nlu_fallback", 0.5, closest, 0.2, "action_fallback", language)


def turn_events(said: Said, at: float) -> list[Event]:
    ranking = [{"name": said.intent, "confidence": said.confidence}]
    if said.intent == "nlu_fallback":
        ranking.append({"name": "faq", "confidence": 0.41})
    parse: dict[str, Any] = {
        "intent": {"name": said.intent, "confidence": said.confidence},
        "intent_ranking": ranking,
        "entities": [],
        "text": said.text,
    }
    if said.entry:
        parse["response_selector"] = {
            "all_retrieval_intents": ["faq"],
            "faq": {
                "response": {
                    "responses": [{"text": "..."}],
                    "confidence": said.entry_confidence,
                    "intent_response_key": f"faq/{said.entry}",
                    "utter_action": f"utter_faq/{said.entry}",
                },
                "ranking": [],
            },
        }
    return [
        UserUttered(said.text, intent=parse["intent"], parse_data=parse, timestamp=at,
                    input_channel="rest", message_id=said.message_id),
        ActionExecuted("action_extract_slots", timestamp=at + 0.1),
        SlotSet("language", said.language, timestamp=at + 0.2),
        ActionExecuted(said.answered_by, timestamp=at + 0.3),
        BotUttered(said.answer, timestamp=at + 0.4),
        ActionExecuted("action_listen", timestamp=at + 0.5),
    ]


def save_conversation(url: str, sender: str, turns: list[Said], at: float | None = None) -> None:
    """Writes a conversation through Rasa's SQLTrackerStore built from our configuration."""
    run_async(tracker_store(url).save(conversation_tracker(sender, turns, at)))


def conversation_tracker(sender: str, turns: list[Said], at: float | None = None) -> DialogueStateTracker:
    """A new conversation (session start, then these turns from ``at`` on)."""
    at = time.time() if at is None else at
    events: list[Event] = [
        ActionExecuted("action_session_start", timestamp=at - 1),
        SessionStarted(timestamp=at - 1),
        ActionExecuted("action_listen", timestamp=at - 1),
    ]
    for index, said in enumerate(turns):
        events.extend(turn_events(said, at + index * 10))
    return DialogueStateTracker.from_events(sender, events, slots=project_domain().slots)


@pytest.fixture
def faq(tmp_path: Path) -> FaqPaths:
    return make_faq(tmp_path / "project")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'conversations.db'}"


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    require_postgres()
    with postgres_database() as url:
        yield url
