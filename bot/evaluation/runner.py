"""Asks the running assistant every question of a corpus part, each in a fresh conversation.

A question goes to the REST channel as the web page sends it (with the page language in the
metadata); the answer is then read from Rasa's tracker API (which response or action sent
each reply) so that the judge does not have to guess from texts.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.evaluation.corpus import Item
from bot.evaluation.judge import Answer, Reply, Verdict, judge
from bot.trials import seed
from bot.trials.formats import UnsupportedDocument, parser_for, split
from bot.trials.records import FieldError

TIMEOUT_S = 60.0
# Actions that run around every message and send nothing worth judging.
_BOOKKEEPING = {"action_listen", "action_session_start", "action_detect_language", "action_extract_slots"}


@dataclass(frozen=True)
class Result:
    item: Item
    answer: Answer
    verdict: Verdict


class Assistant:
    """The REST channel and the tracker API of one running Rasa server."""

    def __init__(self, rasa_url: str, token: str | None) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.token = token

    def _request(self, path: str, body: Any = None) -> Any:
        url = f"{self.rasa_url}{path}"
        if self.token and not path.startswith("/webhooks/"):
            url += f"?token={urllib.parse.quote(self.token)}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as reply:  # noqa: S310 (local URL)
            return json.loads(reply.read())

    def ask(self, text: str, page_lang: str | None) -> Answer:
        sender = f"eval-{uuid.uuid4().hex[:12]}"
        body: dict[str, Any] = {"sender": sender, "message": text}
        if page_lang:
            body["metadata"] = {"lang": page_lang}
        started = time.perf_counter()
        try:
            self._request("/webhooks/rest/webhook", body)
            latency_ms = (time.perf_counter() - started) * 1000
            tracker = self._request(f"/conversations/{urllib.parse.quote(sender)}/tracker")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return Answer(error=f"{type(exc).__name__}: {exc}")
        # A fresh conversation per question, and a message holding several questions is sent
        # to Rasa as several user messages (bot/questions.py, urgent parts first): the answer
        # is every reply since the first of them.
        return Answer(replies=replies_of_conversation(tracker.get("events") or []), latency_ms=latency_ms)


def replies_of_conversation(events: list[dict[str, Any]]) -> list[Reply]:
    """The bot's replies after the first user message, each named by its response or action."""
    first_user = min((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return _replies(events[first_user + 1:])


def replies_of_last_turn(events: list[dict[str, Any]]) -> list[Reply]:
    """The bot's replies after the last user message, each named by its response or action."""
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return _replies(events[last_user + 1:])


def _replies(events: list[dict[str, Any]]) -> list[Reply]:
    replies: list[Reply] = []
    action: str | None = None
    for event in events:
        if event.get("event") == "action" and event.get("name") not in _BOOKKEEPING:
            action = event.get("name")
        elif event.get("event") == "bot":
            metadata = event.get("metadata") or {}
            data = event.get("data") or {}
            custom = data.get("custom") or {}
            cards = custom.get("cards") if isinstance(custom, dict) else None
            replies.append(Reply(
                text=event.get("text") or "",
                name=metadata.get("utter_action") or action,
                cards=bool(custom),
                card_ids=tuple(str(c.get("id")) for c in cards or () if isinstance(c, dict) and c.get("id")),
            ))
    return replies


def trial_topics(folder: Path = seed.DATA_DIR) -> dict[str, str]:
    """NCT id -> lowercase title, conditions and keywords of the trial records we hold."""
    topics: dict[str, str] = {}
    for path in sorted(folder.glob("*.json")):
        if path.name == "manifest.json":
            continue
        try:
            for element in split(json.loads(path.read_text(encoding="utf-8"))):
                record = parser_for(element.data)(element.data)
                words = [record.brief_title, record.official_title or "", *record.conditions, *record.keywords]
                topics[record.nct_id] = " ".join(words).lower()
        except (OSError, ValueError, UnsupportedDocument, FieldError):
            continue
    return topics


def run(
    items: Iterable[Item], assistant: Assistant, progress: Callable[[int, Result], None] | None = None,
    topics: dict[str, str] | None = None,
) -> list[Result]:
    topics = trial_topics() if topics is None else topics
    results = []
    for index, item in enumerate(items, 1):
        answer = assistant.ask(item.text, item.page_lang)
        result = Result(item, answer, judge(item, answer, topics))
        results.append(result)
        if progress:
            progress(index, result)
    return results
