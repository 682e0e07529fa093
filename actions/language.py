"""Sets the ``language`` slot after every user message (a custom slot mapping runs it)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_text, user_events
from bot.language import choose_language, warm_up

warm_up()  # the action server loads this module at start: identifiers ready for the first message


def _page_language(event: dict[str, Any] | None) -> object:
    return ((event or {}).get("metadata") or {}).get("lang")


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
        language = choose_language(
            latest_text(tracker), current, _page_language(latest), _page_language(previous)
        )
        return [] if language == current else [SlotSet("language", language)]
