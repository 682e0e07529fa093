"""Helpers shared by every action: the answer language and the user's last message."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from bot.language import DEFAULT, normalize_code


def reply_language(tracker: Tracker) -> str:
    """The language of the answer (slot set by action_detect_language each turn)."""
    return normalize_code(tracker.get_slot("language")) or DEFAULT


def user_events(tracker: Tracker) -> list[dict[str, Any]]:
    return [event for event in tracker.events if event.get("event") == "user"]


def latest_text(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


def latest_entities(tracker: Tracker) -> list[dict[str, Any]]:
    return list((tracker.latest_message or {}).get("entities") or [])


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")
