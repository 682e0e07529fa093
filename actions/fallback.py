"""What the assistant says when it did not understand, or was asked what it can't answer.

Input that can't be read (nothing to read, far too long, another language) gets its own
polite answer; otherwise the first miss asks to rephrase (or, for an out-of-scope question,
says what the assistant can help with), and a second miss in a row offers a human contact.
NLU fallback, core fallback and out-of-scope questions all come here.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_intent, latest_text
from bot.safety import unusable_input

ACTION_NAME = "action_fallback"
# Unreadable input with an answer of its own; an empty message is an ordinary miss.
RESPONSE_FOR_INPUT = {
    "too_long": "utter_message_too_long",
    "unsupported_language": "utter_unsupported_language",
}


def previous_turn_missed(events: list[dict[str, Any]]) -> bool:
    """True when the user message before the latest one was also answered by this action."""
    seen_latest_user = False
    for event in reversed(events):
        if event.get("event") == "user":
            if seen_latest_user:
                return False  # reached the previous user turn without seeing a fallback
            seen_latest_user = True
        elif seen_latest_user and event.get("event") == "action" and event.get("name") == ACTION_NAME:
            return True
    return False


class ActionFallback(Action):
    def name(self) -> str:
        return ACTION_NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reason = unusable_input(latest_text(tracker))
        if reason in RESPONSE_FOR_INPUT:
            dispatcher.utter_message(response=RESPONSE_FOR_INPUT[reason])
        elif previous_turn_missed(tracker.events):
            dispatcher.utter_message(response="utter_fallback_handoff")
        elif latest_intent(tracker) == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            dispatcher.utter_message(response="utter_fallback")
        return []
