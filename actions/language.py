"""Sets the ``language`` slot after every user message (a custom slot mapping names it)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_text, user_events
from bot.language import slot_update, warm_up

# Rasa decides the language in its own process (bot/runtime/rasa_server.py): this action serves a Rasa
# started without our fixes. Loaded when the action server starts, identifiers ready.
warm_up()


def _metadata(event: dict[str, Any] | None) -> object:
    return (event or {}).get("metadata")


class ActionDetectLanguage(Action):
    def name(self) -> str:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        users = user_events(tracker)
        latest = users[-1] if users else None
        previous = users[-2] if len(users) > 1 else None
        current = tracker.get_slot("language")
        language = slot_update(latest_text(tracker), current, _metadata(latest), _metadata(previous))
        return [] if language is None else [SlotSet("language", language)]
