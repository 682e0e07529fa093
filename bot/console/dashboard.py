"""The dashboard's figures, from the conversation store (the same turns the inbox reads)."""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from typing import Any

from bot.console import charts
from bot.console.inbox import not_helpful
from bot.console.settings import Project
from bot.faq.model import read_topics
from bot.faq.validate import overdue
from bot.inbox import service as inbox_service
from bot.inbox import store as inbox_store
from bot.settings import Settings
from bot.text import LANGUAGES

DAYS = 30


def figures(settings: Settings, project: Project, days: int = DAYS) -> dict[str, Any]:
    since = time.time() - days * 86400
    today = dt.date.today()
    labels = [(today - dt.timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]
    messages: dict[str, Counter[str]] = defaultdict(Counter)
    conversations: dict[str, set[str]] = defaultdict(set)
    totals: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    if not inbox_store.sqlite_file_missing(settings.tracker_store_url):
        engine = inbox_store.engine_for(settings.tracker_store_url)
        for turn in inbox_store.read_turns(engine, since):
            day = dt.date.fromtimestamp(turn.timestamp).isoformat()
            messages[turn.language or "?"][day] += 1
            conversations[day].add(turn.conversation)
            totals["messages"] += 1
            totals["not_understood"] += turn.fell_back
            totals["dont_know"] += turn.intent in (inbox_service.DONT_KNOW_INTENT, "out_of_scope")
            totals["emergencies"] += turn.intent == "urgent_symptoms"
            if turn.intent == "faq" and turn.suggestion and not turn.fell_back:
                asked[turn.suggestion] += 1
    unhelpful = sum(item["count"] for item in not_helpful(settings))
    n = totals["messages"] or 1
    topics, _ = read_topics(project.faq_dir, "faq")
    late = overdue(topics, today)
    languages = {"fr": "French", "en": "English", "?": "unknown"}
    series = {languages[lang]: [messages[lang][d] for d in labels] for lang in (*LANGUAGES, "?") if messages.get(lang)}
    return {
        "trial_sync": _trial_sync(settings),
        "totals": {**totals, "conversations": len(set().union(*conversations.values())) if conversations else 0,
                   "not_helpful": unhelpful},
        "overdue": [{"id": e.id, "review_by": e.review_by.isoformat() if e.review_by else ""} for e in late],
        "charts": {
            "messages": charts.stacked_bars(f"Messages per day and language, last {days} days", labels,
                                            series or {"French": [0] * days}),
            "conversations": charts.stacked_bars(f"Conversations per day, last {days} days", labels,
                                                 {"Conversations": [len(conversations[d]) for d in labels]}),
            "shares": charts.horizontal_bars("Share of messages", [
                ("Not understood", 100 * totals["not_understood"] / n),
                ("\"I don't know\" / out of scope", 100 * totals["dont_know"] / n),
                ("Marked not helpful", 100 * unhelpful / n),
                ("Emergencies shown", 100 * totals["emergencies"] / n),
            ], percent=True),
            "asked": charts.horizontal_bars("Most asked entries", [(k, float(v)) for k, v in asked.most_common(10)]),
        },
    }


def _trial_sync(settings: Settings) -> dict[str, Any]:
    """When the registry sync last ran and what it changed (bot trials sync), as staff read it."""
    from bot.trials.sync import describe, last_sync_summary

    try:
        summary = last_sync_summary(settings.database_url)
    except Exception as exc:  # noqa: BLE001 - a store without the sync tables yet: say so, never a 500
        return {"text": f"the trial store could not be read ({type(exc).__name__})", "last": None}
    return {"text": describe(summary), "last": summary.to_dict() if summary else None}
