"""Action tests run the real actions on trackers loaded from JSON fixtures (as in rasa-demo)."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

FIXTURES = Path(__file__).parent / "fixtures"


def load_tracker(name: str, **slots: Any) -> Tracker:
    """A tracker from ``fixtures/<name>.json``; keyword arguments override slot values."""
    state = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    state["slots"] = {**state.get("slots", {}), **slots}
    return Tracker.from_dict(state)


def run_action(action: Action, tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Runs an action as the action server would; returns (messages sent, events returned)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events
