"""What Rasa custom actions call: async, one session per call, blocking work in a worker thread.

Database problems of any kind surface as :class:`TrialStoreUnavailable`, whose message says why
(for the logs); the action then shows ``present.unavailable(lang)`` to the patient.
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.errors import TrialStoreUnavailable
from bot.trials import search as search_module
from bot.trials import store
from bot.trials.db import resolve_url, safe_url, session_scope
from bot.trials.query import TrialQuery
from bot.trials.understand import NCT_IN_TEXT
from bot.trials.views import SearchResult, TrialDetail

log = logging.getLogger(__name__)
T = TypeVar("T")


def _run(database_url: str | None, work: Callable[[Session], T]) -> T:
    url = "?"
    try:
        url = resolve_url(database_url)
        with session_scope(url) as session:
            return work(session)
    except (SQLAlchemyError, OSError) as exc:
        text = str(getattr(exc, "orig", None) or exc).strip()
        reason = text.splitlines()[0] if text else "no details"
        hint = " (run `bot trials upgrade`?)" if "no such table" in reason or "does not exist" in reason else ""
        message = f"trial store {safe_url(url)} unavailable: {type(exc).__name__}: {reason}{hint}"
        log.warning(message)
        raise TrialStoreUnavailable(message) from exc


async def search_trials(query: TrialQuery, page: int = 0, page_size: int = 5,
                        database_url: str | None = None) -> SearchResult:
    """One page (0-based) of trials matching ``query``, best first, for patients: hidden trials
    never appear, whatever the query says (it may come from a conversation's slots)."""
    query = dataclasses.replace(query, include_hidden=False)
    return await asyncio.to_thread(
        _run, database_url, lambda session: search_module.search(session, query, page, page_size)
    )


async def get_trial(nct_id: str, database_url: str | None = None, *, include_hidden: bool = False) -> TrialDetail | None:
    """Everything about one trial, or None if unknown (or hidden, for patients)."""
    match = NCT_IN_TEXT.search(nct_id or "")
    if not match:
        return None
    nct = f"NCT{match.group(1)}"
    return await asyncio.to_thread(
        _run, database_url, lambda session: store.get_detail(session, nct, include_hidden=include_hidden)
    )
