"""Trial actions: search, more results, one trial's details, eligibility and how to take part.

Thin on purpose: understanding the request, querying the store (in a worker thread, one
session per call) and writing the answer in FR/EN all live in ``bot.trials``. The last search
and the ids shown are kept in slots for "show more" and "the second one".
"""
from __future__ import annotations

import abc
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_entities, latest_text, reply_language
from bot.trials import (
    NCT_IN_TEXT,
    TrialQuery,
    TrialStoreUnavailable,
    asked_aspect,
    get_trial,
    parse_trial_request,
    present,
    resolve_trial_reference,
    search_trials,
)
from bot.trials.views import SearchResult, TrialDetail

logger = logging.getLogger(__name__)
PAGE_SIZE = 5


def send(dispatcher: CollectingDispatcher, rendered: present.Rendered) -> None:
    """Sends an answer; cards go as a custom payload that the web widget draws."""
    if rendered.payload:
        dispatcher.utter_message(text=rendered.lead, json_message=rendered.payload)
        dispatcher.utter_message(text=rendered.follow_up)
    else:
        dispatcher.utter_message(text=rendered.text)


def _query_slots(query: TrialQuery) -> list[dict[str, Any]]:
    return [
        SlotSet("cancer_type", ", ".join(query.conditions) or None),
        SlotSet("phase", ", ".join(query.phases) or None),
        SlotSet("trial_status", ", ".join(query.statuses) or None),
    ]


async def show_page(
    dispatcher: CollectingDispatcher, lang: str, query: TrialQuery, page: int, shown: list[str]
) -> list[dict[str, Any]]:
    """Searches one page, sends it, and returns the slot events that remember it."""
    result: SearchResult = await search_trials(query, page=page, page_size=PAGE_SIZE)
    if page > 0 and not result.items:
        dispatcher.utter_message(text=present.no_more(lang))
        return []
    if not result.items and query.conditions:
        disease_only = TrialQuery(conditions=query.conditions)
        if disease_only != query and not (await search_trials(disease_only, page=0, page_size=1)).items:
            # No trial at all for this cancer type: say that, not "leave the phase out".
            dispatcher.utter_message(text=present.no_match(disease_only, lang))
            return _query_slots(query)
    if page == 0 and len(query.conditions) > 1:
        missing = [c for c in query.conditions
                   if not (await search_trials(TrialQuery(conditions=[c]), page=0, page_size=1)).items]
        if missing:
            dispatcher.utter_message(text=present.no_trial_for_some(missing, lang))
    send(dispatcher, present.cards(result, lang, query))
    return [
        SlotSet("trial_search", {"query": query.to_dict(), "page": page}),
        SlotSet("trial_results", shown + [i for i in result.ids if i not in shown]),
        *_query_slots(query),
    ]


class TrialAction(Action, abc.ABC):
    """Common frame: the answer language, and a polite message when the store is down."""

    @abc.abstractmethod
    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str
    ) -> list[dict[str, Any]]:
        """The action's own work, in the reply language ``lang``."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lang = reply_language(tracker)
        try:
            return await self.answer(dispatcher, tracker, lang)
        except TrialStoreUnavailable as exc:
            logger.error("Trial search unavailable for %s: %s", self.name(), exc)
            dispatcher.utter_message(text=present.unavailable(lang))
            return []


class ActionSearchTrials(TrialAction):
    def name(self) -> str:
        return "action_search_trials"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        text = latest_text(tracker)
        if NCT_IN_TEXT.search(text) or _follow_up(text, tracker):
            # "NCT04318717 still open?", "is it still recruiting?": about one trial, not a search.
            return await answer_about_trial(dispatcher, tracker, lang)
        query = parse_trial_request(text, latest_entities(tracker))
        if query.is_empty:
            # "Which trials exist?" at an immunotherapy center means immunotherapy trials.
            query = TrialQuery(immunotherapy=True)
        return await show_page(dispatcher, lang, query, page=0, shown=[])


class ActionMoreTrials(TrialAction):
    def name(self) -> str:
        return "action_more_trials"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        last = tracker.get_slot("trial_search") or {}
        if not isinstance(last, dict) or "query" not in last:
            # Nothing searched yet: "other trials?" means the immunotherapy trials.
            return await show_page(dispatcher, lang, TrialQuery(immunotherapy=True), 0, [])
        query = TrialQuery.from_dict(last.get("query"))
        shown = list(tracker.get_slot("trial_results") or [])
        return await show_page(dispatcher, lang, query, int(last.get("page", 0)) + 1, shown)


async def referenced_trial(tracker: Tracker) -> tuple[str | None, TrialDetail | None]:
    """The trial the message points at ("NCT...", "the second one"), else the current one."""
    nct_id = resolve_trial_reference(
        latest_text(tracker), latest_entities(tracker), tracker.get_slot("trial_results") or []
    ) or tracker.get_slot("trial_id")
    return nct_id, (await get_trial(nct_id) if nct_id else None)


def _follow_up(text: str, tracker: Tracker) -> bool:
    """A question about the trial in context ("is it still open?") that NLU took for a search."""
    aspect = asked_aspect(text)
    if aspect is None or aspect == "join":
        return False
    query = parse_trial_request(text)
    has_subject = query.conditions or query.interventions or query.city or query.country or query.facility
    in_context = tracker.get_slot("trial_id") or len(tracker.get_slot("trial_results") or []) == 1
    return bool(in_context) and not has_subject


async def answer_about_trial(
    dispatcher: CollectingDispatcher, tracker: Tracker, lang: str
) -> list[dict[str, Any]]:
    """The one thing asked about a trial (status, phase, places, taking part), else its details."""
    nct_id, trial = await referenced_trial(tracker)
    aspect = asked_aspect(latest_text(tracker))
    if trial is None:
        text = present.how_to_take_part_in_general(nct_id, lang) if aspect == "join" else present.which_trial(nct_id, lang)
        dispatcher.utter_message(text=text)
        return []
    if aspect == "join":
        dispatcher.utter_message(text=present.eligibility(trial, lang))
        dispatcher.utter_message(text=present.how_to_take_part(trial, lang))
    elif aspect:
        dispatcher.utter_message(text=present.trial_aspect(trial, aspect, lang))
    else:
        dispatcher.utter_message(text=present.trial_details(trial, lang))
    return [SlotSet("trial_id", trial.nct_id)]


class ActionTrialDetails(TrialAction):
    def name(self) -> str:
        return "action_trial_details"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        return await answer_about_trial(dispatcher, tracker, lang)


class ActionTrialEligibility(TrialAction):
    def name(self) -> str:
        return "action_trial_eligibility"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
        nct_id, trial = await referenced_trial(tracker)
        if trial is None:
            dispatcher.utter_message(text=present.how_to_take_part_in_general(nct_id, lang))
            return []
        dispatcher.utter_message(text=present.eligibility(trial, lang))
        dispatcher.utter_message(text=present.how_to_take_part(trial, lang))
        return [SlotSet("trial_id", trial.nct_id)]
