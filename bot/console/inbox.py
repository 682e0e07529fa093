"""The inbox in the console: what `bot inbox` shows, masked, and what staff do with it.

Turning a message into an example or a new entry makes a version waiting for review (it
never reaches patients before a medical sign-off), then marks the message handled.
"""
from __future__ import annotations

import copy
from typing import Any

from sqlalchemy.engine import Engine

from bot.console import entries, store
from bot.console.auth import Staff
from bot.console.entries import ConsoleError
from bot.console.settings import Project
from bot.inbox import service
from bot.inbox import store as inbox_store
from bot.settings import Settings


def _item_json(item: service.InboxItem) -> dict[str, Any]:
    return {
        "id": item.id, "text": item.leader.masked, "count": item.count,
        "conversations": item.conversations, "language": item.language, "reason": item.reason,
        "suggestion": item.suggestion, "similar": [m.masked for m in item.messages[1:6]],
        "answer": item.answer,  # what the assistant said, for a "wrong answer" item
    }


def not_helpful(settings: Settings) -> list[dict[str, Any]]:
    """Answers patients marked "not helpful" in the web chat (bot/inbox/feedback.py)."""
    return [_item_json(item) for item in service.load_wrong_answers(settings.tracker_store_url)]


def items(settings: Settings) -> dict[str, Any]:
    inbox = service.load_inbox(settings.tracker_store_url)
    return {
        "items": [_item_json(item) for item in inbox.items if item.reason != service.WRONG_ANSWER],
        "not_helpful": not_helpful(settings),
    }


def _item(settings: Settings, item_id: str) -> tuple[Engine, service.InboxItem]:
    inbox = service.load_inbox(settings.tracker_store_url)
    try:
        return inbox_store.engine_for(settings.tracker_store_url), service.find_item(inbox, item_id)
    except service.InboxError as exc:
        raise ConsoleError(str(exc), 404) from None


def questions_near(settings: Settings) -> dict[str, list[tuple[str, str]]]:
    """Inbox questions by the entry the model thought of (for the preview's comparison)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for item in service.load_inbox(settings.tracker_store_url).items:
        if item.suggestion and item.language and not service.has_personal_data(item.leader.text):
            found.setdefault(item.suggestion, []).append((item.language, item.leader.text))
    return found


def to_example(engine: Engine, project: Project, settings: Settings, staff: Staff, item_id: str,
               entry_id: str, lang: str | None, text: str | None) -> dict[str, Any]:
    inbox_engine, item = _item(settings, item_id)
    try:
        example = service.example_text(item, text)
        lang = service.example_language(item, lang)
    except service.InboxError as exc:
        raise ConsoleError(str(exc)) from None
    detail = entries.entry_detail(engine, project, entry_id)
    base = (detail["open"] or {}).get("data") or detail["live"]
    if base is None:
        raise ConsoleError(f"there is no entry '{entry_id}'.", 404)
    data = copy.deepcopy(base)
    data["examples"][lang].append(example)
    result = entries.save(engine, project, staff, data, submit=True, note="example from the inbox")
    inbox_store.record_decision(inbox_engine, item.keys, inbox_store.ADDED_AS_EXAMPLE, entry_id)
    store.record(engine, staff.name, "inbox_example", entry_id, {"item": item_id})
    return result


def to_entry(engine: Engine, project: Project, settings: Settings, staff: Staff, item_id: str,
             raw: Any) -> dict[str, Any]:
    inbox_engine, item = _item(settings, item_id)
    result = entries.save(engine, project, staff, raw, submit=True, note="new entry from the inbox")
    inbox_store.record_decision(inbox_engine, item.keys, inbox_store.ADDED_AS_ENTRY, result["version"]["entry_id"])
    store.record(engine, staff.name, "inbox_entry", result["version"]["entry_id"], {"item": item_id})
    return result


def dismiss(engine: Engine, settings: Settings, staff: Staff, item_id: str) -> None:
    inbox_engine, item = _item(settings, item_id)
    service.dismiss(inbox_engine, item)
    store.record(engine, staff.name, "inbox_dismissed", "", {"item": item_id})
