"""Rasa's own command line, with our fixes applied first: `python -m bot.runtime.rasa_server run ...`
(and the API token read from the environment, see TOKEN_VARIABLE).

- Speed: the action server's replies are validated with a validator built once (below).
- Framing: malformed Content-Length / Transfer-Encoding get a 400 before Sanic reads a body
  (``bot.http_guard``: ``Content-Length: -1`` froze Sanic 21.12 for good).
- Conversations: our tracker store (``bot.conversation_store``) is used as it is, without
  Rasa's ``FailSafeTrackerStore`` that silently carries on in memory when the database fails.
- Language: the ``language`` slot's custom mapping (``action_detect_language``) is decided
  in this process by ``bot.language.slot_update``, the function the action would call, with
  the same inputs: no HTTP round trip to the action server on every message (about 10 % of a
  message). Any other custom mapping still goes to the action server, as in Rasa.
- Events: ``Event.resolve_by_type`` walks every subclass of ``Event`` (``all_subclasses``) for
  each event it reads back from the store (15 % of a message); the class of each type name
  is remembered once found. Unknown names take Rasa's own path (and its errors).
- BLAS: one OpenBLAS thread (``OPENBLAS_NUM_THREADS=1``, unless set): a second one spins in
  ``sched_yield`` beside every request.
- TensorFlow: Rasa imports it with its modules (440 MB of memory, several seconds of start-up)
  although our model runs none of it: when the model to serve has no TensorFlow component,
  ``tensorflow`` and its kin are empty stand-ins (``bot.runtime.no_tensorflow``).
- Rules: ``RulePolicy`` featurizes the whole conversation on each prediction (its cost grows
  with the conversation) although a rule compares only its own last states. It is given the
  last turns instead (Rasa's ``_trim_tracker_by_max_history``, one state more than its longest
  rule), and the whole tracker whenever more could matter: a slot that influences the
  conversation or a loop (the trimmed copy starts from the initial slots, with no loop), or a
  ``conversation_start`` rule (see ``rule_tracker``). Same action, confidence and events.
  The last turns are read from the end of the events when none of them undoes or restarts
  anything (``last_turns``; Rasa's trimming otherwise), each tracker's states are built once
  per prediction (Rasa builds them twice after a user message), and the rules matching the
  last states are remembered per lookup and states (``_get_possible_keys``, a pure function).
- Action calls: Rasa opens a new connection (a new aiohttp session and connector) for each
  call to the action server; here one connector per event loop keeps them open for 2 s,
  less than the server's keep-alive (``_endpoint_session``). And the endpoints enable Rasa's
  selective domain (``bot.runtime.endpoints``): none of our actions reads the domain.
- Tracker copies: Rasa copies a tracker by replaying every event onto a new one (before each
  action, and for each read of the conversation store): a cost that grows with the
  conversation. The state the events set is copied instead (``_tracker_copy``), Rasa's replay
  wherever the state might not be the events' alone. Same fields, events and slots. And a
  tracker's ``init_copy`` (where RulePolicy's last turns start) without ``copy.copy``.
- Actions: Rasa makes each action anew from its name several times per message (its 12
  default actions each time); the actions that keep nothing of a run are made once per domain,
  endpoint and name (``_action_for_name_or_text``).
- Domain: ``Domain.is_empty`` (asked for every message) builds a new empty ``Domain`` each
  time to compare with; that empty domain's dict is built once.
- Graph: ``DaskGraphRunner.run`` (the parse, then a prediction before each action) evaluates the
  same graph of Rasa's nodes in dependency order without dask's scheduler (see ``_run_graph``).
- Debug lines: Rasa deep-copies the states, events and slots it hands to ``structlogger.debug``
  (so that the log's anonymizer cannot touch the real ones) even when debug lines are dropped
  unwritten; in the modules that copy for nothing else (``debug_copying_modules``, checked by
  a test), ``copy.deepcopy`` copies only when structlog's configuration writes debug lines.

Rasa 3.6 checks every reply of the action server with ``jsonschema.validate``, which rebuilds
the validator and re-checks the (constant) schema against its meta-schema on each call: about
70 ms of every message here, more than half of the reply time. We build that validator once.
The schema, the validator class and the errors raised are Rasa's own, unchanged. And each event
of a reply is first checked against the one alternative of the schema's ``oneOf`` that names
it (``valid_at_once``: each of the others requires another event name, so none can match too)
instead of all 23 (a trial search reply: 1.1 -> 0.14 ms); a reply that check does not pass goes
through Rasa's whole check, which decides and raises Rasa's error.
"""
from __future__ import annotations

import dataclasses
import itertools
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from bot.runtime.no_tensorflow import model_needs_tensorflow, without_tensorflow
from bot.settings import load_settings

# The HTTP API's token comes through the environment: a command-line argument would be
# readable by every user of the machine in the process list.
TOKEN_VARIABLE = "BOT_RASA_API_TOKEN"


@lru_cache(maxsize=1)
def action_response_validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@lru_cache(maxsize=1)
def event_validators() -> tuple[dict[str, Any], Any] | None:
    """Rasa's reply schema in parts: for each event name, the event schema with, of its ``oneOf``,
    only the alternative naming that event (every other one requires another name, so none of
    them can match as well); and the responses' schema. None when Rasa's schema is not of that
    shape: then only the whole check runs."""
    import json

    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    properties = schema.get("properties") or {}
    events = properties.get("events") or {}
    event = events.get("items") or {}
    alternatives = event.get("oneOf") or []
    names = [(alternative.get("properties") or {}).get("event", {}).get("const") for alternative in alternatives]
    if (
        schema.keys() != {"type", "properties"} or schema["type"] != "object"
        or properties.keys() != {"events", "responses"}
        or events.keys() != {"type", "items"} or events["type"] != "array"
        or event.get("required") != ["event"] or "$ref" in json.dumps(schema)
        or not names or not all(isinstance(name, str) for name in names) or len(set(names)) != len(names)
    ):
        return None
    validator_class = validators.validator_for(schema)
    common = {key: value for key, value in event.items() if key != "oneOf"}
    by_name = {name: validator_class({**common, "allOf": [alternative]}) for name, alternative in zip(names, alternatives, strict=True)}
    return by_name, validator_class(properties["responses"])


def valid_at_once(result: Any) -> bool:
    """True only when Rasa's whole check would pass ``result``: each event checked against its
    own alternative alone (the 23 of them, each event, were most of the check)."""
    parts = event_validators()
    if parts is None or not isinstance(result, dict):
        return False
    by_name, responses = parts
    events = result.get("events", [])
    if not isinstance(events, list):
        return False
    for event in events:
        name = event.get("event") if isinstance(event, dict) else None
        validator = by_name.get(name) if isinstance(name, str) else None
        if validator is None or not validator.is_valid(event):
            return False
    return "responses" not in result or responses.is_valid(result["responses"])


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    from jsonschema import ValidationError
    from rasa.shared.constants import DOCS_BASE_URL

    if valid_at_once(result):
        return True
    try:  # Rasa's whole check: it decides, and its error is Rasa's
        action_response_validator().validate(result)
        return True
    except ValidationError as error:  # the same message as Rasa's
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise


@lru_cache(maxsize=64)  # type names are few; an unknown one raises, so it is never kept
def _event_class(type_name: str) -> Any:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    for cls in all_subclasses(Event):  # Rasa's order: its first match wins, as in Rasa
        if cls.type_name == type_name:
            return cls
    raise LookupError(type_name)  # not remembered: a class imported later is still found


def _resolve_by_type(type_name: str, default: Any = None) -> Any:
    """Rasa's ``Event.resolve_by_type``, the class remembered per type name."""
    try:
        return _event_class(type_name)
    except LookupError:
        return _STOCK["resolve_by_type"](type_name, default)


def _language_events(tracker: Any) -> list[Any]:
    """What ``action_detect_language`` returns for this tracker, computed here."""
    from rasa.shared.core.events import SlotSet

    from bot.language import slot_update

    # the last two user messages, read from the end (not the whole conversation each time)
    users = list(itertools.islice((event for event in reversed(tracker.events) if event.type_name == "user"), 2))
    latest = users[0].metadata if users else None
    previous = users[1].metadata if len(users) > 1 else None
    text = str((tracker.latest_message.parse_data if tracker.latest_message else {}).get("text") or "")
    language = slot_update(text, tracker.get_slot("language"), latest, previous)
    return [] if language is None else [SlotSet("language", language)]


# Custom slot mappings decided in this process: the action's name -> its events for a tracker.
IN_PROCESS_MAPPINGS = {"action_detect_language": _language_events}


async def _run_custom_action(
    self: Any, custom_action: str, output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> list[Any]:
    """``ActionExtractSlots._run_custom_action``, in-process for the mappings named above."""
    in_process = IN_PROCESS_MAPPINGS.get(custom_action)
    if in_process is None:
        return await _STOCK["run_custom_action"](self, custom_action, output_channel, nlg, tracker, domain)
    return in_process(tracker)


# Rasa opens a new TCP connection for each call to the action server (a new aiohttp session,
# with its own connector, per request). Connections are kept, per event loop, for this long:
# less than the action server's keep-alive (Sanic's 5 s), so that the client drops an idle
# connection before the server does and never sends on one the server is closing.
KEEPALIVE_S = 2.0
_CONNECTORS: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()


def _endpoint_session(self: Any) -> Any:
    """Rasa's ``EndpointConfig.session`` (same headers, auth and timeout), its connections kept
    open between calls by one connector per event loop (``connector_owner=False``: closing the
    session leaves them to the next call). Outside a running loop, Rasa's own."""
    import asyncio

    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return _STOCK["endpoint_session"](self)
    connector = _CONNECTORS.get(loop)
    if connector is None or connector.closed:
        connector = _CONNECTORS[loop] = aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S)
    auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
    return aiohttp.ClientSession(headers=self.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                 connector=connector, connector_owner=False, json_serialize=request_json)


def request_json(body: Any) -> str:
    """A request's JSON body (the whole tracker, for an action call) by ``ujson`` (one of Rasa's
    own dependencies, several times faster than ``json``): the same JSON values; what it cannot
    write (a type it does not know) goes to ``json.dumps``, whose error is Rasa's."""
    import json

    import ujson

    try:
        return ujson.dumps(body, ensure_ascii=True, escape_forward_slashes=False)
    except (TypeError, OverflowError, ValueError):
        return json.dumps(body)


def _create_tracker_store(store: Any, domain: Any) -> Any:
    """Rasa's ``Agent._create_tracker_store``, minus the in-memory fallback for our store."""
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore

    from bot.conversation_store import SafeSQLTrackerStore

    if isinstance(store, SafeSQLTrackerStore):
        store.domain = domain
        return store
    if store is not None:
        store.domain = domain
        return FailSafeTrackerStore(store)
    return FailSafeTrackerStore(InMemoryTrackerStore(domain))


# RulePolicy featurizes the whole tracker on each prediction (every state since the session
# began, twice: text, then intent), yet a rule compares only its own last states.
_RULE_STATES: WeakKeyDictionary[Any, int | None] = WeakKeyDictionary()


def _states_rules_compare(policy: Any) -> int | None:
    """How many of the last states the longest of ``policy``'s rules compares; None when a rule
    starts the conversation (``conversation_start``: it looks at where the history begins)."""
    from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH
    from rasa.shared.core.constants import PREVIOUS_ACTION

    if policy not in _RULE_STATES:
        keys = [*policy.lookup.get(RULES, {}), *policy.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {})]
        rules = [policy._rule_key_to_state(key) for key in keys]
        starts = any(not states[0].get(PREVIOUS_ACTION) for states in rules if states)
        _RULE_STATES[policy] = None if starts else max(map(len, rules), default=0)
    return _RULE_STATES[policy]


def _whole_history_matters(tracker: Any, domain: Any) -> bool:
    """A state holds the featurized slots and the active loop: a trimmed tracker starts with the
    initial slots and no loop, so it holds the same states only when there are neither."""
    from rasa.shared.core.events import ActiveLoop

    return (
        any(slot.influence_conversation for slot in domain.slots)
        or bool(domain.form_names)
        or tracker.active_loop_name is not None
        or any(isinstance(event, ActiveLoop) for event in tracker.events)
    )


def rule_tracker(policy: Any, tracker: Any, domain: Any) -> Any:
    """The tracker RulePolicy predicts from: its last turns (Rasa's own trimming, the
    MemoizationPolicy's ``_trim_tracker_by_max_history``), or the whole of it when more could
    matter. The trimmed copy keeps at least one state more than the longest rule compares
    (``_is_rule_applicable`` accepts a rule once the turn index passes its length), and starts
    after an ``action_listen`` (a state with a previous action, as in the whole tracker)."""
    from rasa.core.policies.memoization import _trim_tracker_by_max_history

    states = _states_rules_compare(policy)
    if states is None or _whole_history_matters(tracker, domain):
        return tracker
    return last_turns(tracker, states) or _trim_tracker_by_max_history(tracker, states)


def last_turns(tracker: Any, max_history: int) -> Any:
    """Rasa's ``_trim_tracker_by_max_history`` read from the end of the events: the same trimmed
    tracker without ``applied_events()`` over the whole history (twice). The last turns of the
    applied events are the last events when none of those undoes or restarts anything (and no
    loop ever ran: ``rule_tracker`` checked). None when that cannot be shown: then Rasa's."""
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        Restarted,
        SessionStarted,
        UserUtteranceReverted,
    )

    if not max_history:
        return None
    kept = actions = 0
    for event in reversed(tracker.events):
        if isinstance(event, (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted)):
            return None
        kept += 1
        if isinstance(event, ActionExecuted):
            actions += 1
            if actions > max_history and event.action_name == ACTION_LISTEN_NAME:
                trimmed = tracker.init_copy()
                for kept_event in list(tracker.events)[-kept:]:
                    trimmed.update(kept_event)
                return trimmed
    return None


# RulePolicy's ``_get_possible_keys`` (the rules that match the last states) tries every rule
# against every state, twice per prediction; its answer depends only on the lookup and states.
_POSSIBLE_KEYS: dict[tuple[int, int, Any], tuple[Any, set[str]]] = {}
_MAX_POSSIBLE_KEYS = 10_000


def _frozen_states(states: list[dict[str, dict[str, Any]]]) -> Any:
    return tuple(tuple((name, tuple(sorted(sub.items()))) for name, sub in sorted(state.items())) for state in states)


def _get_possible_keys(self: Any, lookup: dict[str, str], states: list[dict[str, dict[str, Any]]]) -> set[str]:
    """Rasa's ``RulePolicy._get_possible_keys``, remembered per lookup and states. The entry
    holds the lookup itself (its id cannot be reused by another dict meanwhile) and its size
    (Rasa fills a lookup before it predicts with it; a lookup that grew is asked again)."""
    try:
        key = (id(lookup), len(lookup), _frozen_states(states))
        hash(key)
    except (AttributeError, TypeError):  # a state of another shape: Rasa's answer, not remembered
        return _STOCK["rule_possible_keys"](self, lookup, states)
    known = _POSSIBLE_KEYS.get(key)
    if known is not None and known[0] is lookup:
        return set(known[1])
    if len(_POSSIBLE_KEYS) >= _MAX_POSSIBLE_KEYS:
        _POSSIBLE_KEYS.clear()
    keys = _STOCK["rule_possible_keys"](self, lookup, states)
    _POSSIBLE_KEYS[key] = (lookup, set(keys))
    return keys


def _rule_policy_predict(self: Any, tracker: Any, domain: Any, rule_only_data: Any = None, **kwargs: Any) -> Any:
    """``RulePolicy.predict_action_probabilities`` from the last turns (see ``rule_tracker``),
    each tracker's states built once in this prediction (see ``_create_states``)."""
    global _STATES_MEMO
    _STATES_MEMO = {}
    try:
        return _STOCK["rule_policy_predict"](self, rule_tracker(self, tracker, domain), domain, rule_only_data, **kwargs)
    finally:
        _STATES_MEMO = None


# During one RulePolicy prediction: the states built for each tracker (after a user message,
# Rasa builds the same states twice, to match the text and then the intent); None otherwise.
_STATES_MEMO: dict[tuple[Any, ...], tuple[Any, list[dict[str, dict[str, Any]]]]] | None = None


def _copied_states(states: list[dict[str, dict[str, Any]]]) -> list[dict[str, dict[str, Any]]]:
    """A copy whose states and sub-states can change (Rasa removes the last user's text or
    intent from its sub-state); their values are strings, numbers and tuples."""
    return [{name: dict(sub) for name, sub in state.items()} for state in states]


def _create_states(tracker: Any, domain: Any, omit_unset_slots: bool = False, ignore_rule_only_turns: bool = False,
                   rule_only_data: Any = None) -> Any:
    """Rasa's ``TrackerFeaturizer._create_states``; in a RulePolicy prediction, built once per
    tracker and arguments (the tracker does not change meanwhile), each caller given a copy."""
    stock = _STOCK["create_states"]
    if _STATES_MEMO is None:
        return stock(tracker, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    key = (id(tracker), id(domain), omit_unset_slots, ignore_rule_only_turns, repr(rule_only_data))
    known = _STATES_MEMO.get(key)
    if known is not None and known[0] is tracker:
        return _copied_states(known[1])
    states = stock(tracker, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    _STATES_MEMO[key] = (tracker, _copied_states(states))
    return states


# Rasa makes each action anew from its name (building its 12 default actions and scanning the
# domain's action names each time), several times per message. The actions of these types keep
# nothing of a run (their attributes are set once, at construction): one instance per domain,
# endpoint and name serves every conversation. Other types (a retrieval response, which notes
# its response during a run; a form) are made anew, as in Rasa.
_ACTIONS: dict[tuple[int, int, str], tuple[Any, Any, Any]] = {}
_MAX_ACTIONS = 10_000


@lru_cache(maxsize=1)
def reusable_action_types() -> frozenset[type]:
    from rasa.core.actions.action import ActionBotResponse, RemoteAction, default_actions

    return frozenset({type(action) for action in default_actions(None)} | {ActionBotResponse, RemoteAction})


def _action_for_name_or_text(name: str, domain: Any, action_endpoint: Any) -> Any:
    """Rasa's ``action_for_name_or_text``, its reusable actions made once (see above). The entry
    holds the domain and endpoint themselves: their ids cannot be reused meanwhile."""
    key = (id(domain), id(action_endpoint), name)
    known = _ACTIONS.get(key)
    if known is not None and known[0] is domain and known[1] is action_endpoint:
        return known[2]
    action = _STOCK["action_for_name_or_text"](name, domain, action_endpoint)
    if type(action) in reusable_action_types():
        if len(_ACTIONS) >= _MAX_ACTIONS:
            _ACTIONS.clear()
        _ACTIONS[key] = (domain, action_endpoint, action)
    return action


# The attributes of a tracker that its events set (``apply_to``) or its constructor does.
_TRACKER_FIELDS = frozenset({
    "_max_event_history", "events", "sender_id", "slots", "sender_source", "is_rule_tracker", "_paused",
    "followup_action", "latest_action", "latest_message", "latest_bot_utterance", "active_loop", "model_id",
    "assistant_id",
})


def _tracker_copy(self: Any) -> Any:
    """Rasa's ``DialogueStateTracker.copy`` makes a new tracker and replays every event onto it
    (three times per message: a cost that grows with the conversation). Each field of its
    result is what the events set, which is the tracker's own state: copied here instead, with
    Rasa's differences (no sender source, model or assistant id; its own slot objects, loop
    and latest action). Rasa's replay where the state might not be the events' alone: a
    tracker subclass, a bounded event history (the replay starts later), slots made on
    demand, or an attribute set outside the events."""
    from rasa.shared.core.events import BotUttered, UserUttered

    if not _plain(self) or self._max_event_history is not None or vars(self).keys() != _TRACKER_FIELDS:
        return _STOCK["tracker_copy"](self)
    copy = _new_tracker_like(self, self.events)  # its slots hold what the replayed events set
    copy._paused, copy.followup_action = self._paused, self.followup_action
    copy.latest_action = None if self.latest_action is None else dict(self.latest_action)
    copy.active_loop = None if self.active_loop is None else dataclasses.replace(self.active_loop)
    # The events' own objects, as the replay sets them; a new empty one where no event set it.
    copy.latest_message = UserUttered.empty() if self.latest_message == UserUttered.empty() else self.latest_message
    copy.latest_bot_utterance = (BotUttered.empty() if _empty_bot_utterance(self.latest_bot_utterance)
                                 else self.latest_bot_utterance)
    return copy


def _tracker_init_copy(self: Any) -> Any:
    """Rasa's ``DialogueStateTracker.init_copy`` (a new tracker with the same initial values:
    the slots copied and reset, no event), without its constructor's ``copy.copy`` of each
    slot (about 40 µs; RulePolicy's last turns start from it at each prediction). A tracker
    subclass or slots made on demand get Rasa's."""
    if not _plain(self):
        return _STOCK["tracker_init_copy"](self)
    new = _new_tracker_like(self, ())
    new._reset()  # the slots' initial values, no loop, the empty latest message: as Rasa's constructor
    return new


def _plain(tracker: Any) -> bool:
    """A ``DialogueStateTracker`` itself, with its domain's slots (not made on demand)."""
    from rasa.shared.core.trackers import DialogueStateTracker

    return type(tracker) is DialogueStateTracker and type(tracker.slots) is dict


def _new_tracker_like(tracker: Any, events: Any) -> Any:
    """What Rasa's ``init_copy`` builds before any state: ``events``, the same history bound and
    rule flag, its own copy of each slot, no sender source, model or assistant id. Its state
    fields (latest message, loop...) are for the caller to set."""
    from collections import deque

    from rasa.shared.constants import DEFAULT_SENDER_ID
    from rasa.shared.core.trackers import DialogueStateTracker

    new = object.__new__(DialogueStateTracker)
    new._max_event_history = tracker._max_event_history
    new.events = deque(events, tracker._max_event_history)
    new.sender_id = tracker.sender_id or DEFAULT_SENDER_ID
    new.slots = {slot.name: _copied(slot) for slot in tracker.slots.values()}  # as copy.copy does
    new.sender_source, new.is_rule_tracker = None, tracker.is_rule_tracker
    new.model_id = new.assistant_id = None
    return new


def _copied(slot: Any) -> Any:
    """``copy.copy(slot)`` (a slot has no ``__copy__``, ``__slots__`` or ``__getstate__``)."""
    new = object.__new__(type(slot))
    vars(new).update(vars(slot))
    return new


def _empty_bot_utterance(utterance: Any) -> bool:
    """``utterance == BotUttered.empty()`` as Rasa compares (None values ignored), without its
    JSON encoding of both (70 µs)."""
    return utterance.text is None and all(value is None for value in (*utterance.data.values(),
                                                                      *utterance.metadata.values()))


# Per graph runner and targets: Rasa's graph of the nodes those targets need (the schema and
# the instantiated nodes of a runner do not change once it is built).
_GRAPHS: WeakKeyDictionary[Any, dict[tuple[str, ...], dict[str, Any]]] = WeakKeyDictionary()


def _graph_for(runner: Any, targets: tuple[str, ...]) -> dict[str, Any]:
    graphs = _GRAPHS.setdefault(runner, {})
    if targets not in graphs:
        graphs[targets] = runner._build_dask_graph(runner._graph_schema.minimal_graph_schema(list(targets)))
    return graphs[targets]


def _run_graph(self: Any, inputs: dict[str, Any] | None = None, targets: list[str] | None = None) -> dict[str, Any]:
    """``DaskGraphRunner.run`` (three times per message: the parse, then a prediction before
    each action) with the same graph evaluated in dependency order, each node once, without
    dask's scheduler (ordering, task states, callbacks: a tenth of a message here). The graph,
    the nodes and what they return are Rasa's; a node's own error is raised as dask raises it."""
    from rasa.engine.exceptions import GraphRunError

    run_targets = targets if targets else self._graph_schema.target_names
    graph = dict(_graph_for(self, tuple(run_targets)))  # a copy: the inputs are added to it
    if inputs:
        self._add_inputs_to_graph(inputs, graph)
    results: dict[str, Any] = {}

    def value(key: str) -> Any:
        if key not in results:
            node, *needs = graph[key]
            results[key] = node(*(value(need) for need in needs)) if callable(node) else graph[key]
        return results[key]

    try:
        return dict(value(target) for target in run_targets)
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error


def debug_copying_modules() -> tuple[Any, ...]:
    """Rasa's modules that deep-copy only the values they pass to a debug log line (structlog)."""
    import rasa.core.policies.memoization
    import rasa.core.policies.rule_policy
    import rasa.core.processor

    return rasa.core.processor, rasa.core.policies.rule_policy, rasa.core.policies.memoization


@lru_cache(maxsize=1)
def _dropped_debug() -> Any:
    import logging

    import structlog

    return structlog.make_filtering_bound_logger(logging.CRITICAL).debug


def structlog_debug_on() -> bool:
    """Whether a ``structlogger.debug`` line would be written: Rasa's filtering logger below
    debug level has a no-op ``debug`` (the one every filtering logger above debug has)."""
    import structlog

    return structlog.get_config()["wrapper_class"].debug is not _dropped_debug()


class DebugLogCopies:
    """The ``copy`` module as ``debug_copying_modules`` see it: their ``copy.deepcopy`` (the
    states, events and slots of a debug line, three to six times per message) copies only when
    the line is written; the line is dropped unread otherwise."""

    @staticmethod
    def deepcopy(value: Any, memo: Any = None) -> Any:
        import copy

        return copy.deepcopy(value, memo) if structlog_debug_on() else value

    def __getattr__(self, name: str) -> Any:
        import copy

        return getattr(copy, name)


@lru_cache(maxsize=1)
def _empty_domain() -> dict[str, Any]:
    from rasa.shared.core.domain import Domain

    return Domain.empty().as_dict()


def _domain_is_empty(self: Any) -> bool:
    """Rasa's ``Domain.is_empty`` (asked for every message), with the empty domain's dict built
    once instead of a new empty ``Domain`` each time."""
    return self.as_dict() == _empty_domain()


def _model_argument(argv: list[str]) -> Path | None:
    for index, argument in enumerate(argv):
        if argument.startswith("--model="):
            return Path(argument.split("=", 1)[1])
        if argument in ("--model", "-m") and index + 1 < len(argv):
            return Path(argv[index + 1])
    return None


# Rasa's own functions that the fixes fall back on, kept at the first apply_fixes().
_STOCK: dict[str, Any] = {}


def apply_fixes() -> None:
    from rasa.core.actions import action as action_module
    from rasa.core.actions.action import ActionExtractSlots, RemoteAction
    from rasa.core.agent import Agent
    from rasa.core.featurizers.tracker_featurizers import TrackerFeaturizer
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from bot import http_guard

    _STOCK.setdefault("resolve_by_type", Event.resolve_by_type)
    _STOCK.setdefault("run_custom_action", ActionExtractSlots._run_custom_action)
    _STOCK.setdefault("rule_policy_predict", RulePolicy.predict_action_probabilities)
    _STOCK.setdefault("rule_possible_keys", RulePolicy._get_possible_keys)
    _STOCK.setdefault("create_states", TrackerFeaturizer._create_states)
    _STOCK.setdefault("domain_is_empty", Domain.is_empty)
    _STOCK.setdefault("run_graph", DaskGraphRunner.run)
    _STOCK.setdefault("endpoint_session", EndpointConfig.session)
    _STOCK.setdefault("action_for_name_or_text", action_module.action_for_name_or_text)
    _STOCK.setdefault("tracker_copy", DialogueStateTracker.copy)
    _STOCK.setdefault("tracker_init_copy", DialogueStateTracker.init_copy)
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Agent._create_tracker_store = staticmethod(_create_tracker_store)  # type: ignore[assignment]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign]
    ActionExtractSlots._run_custom_action = _run_custom_action  # type: ignore[method-assign]
    RulePolicy.predict_action_probabilities = _rule_policy_predict  # type: ignore[method-assign]
    RulePolicy._get_possible_keys = _get_possible_keys  # type: ignore[method-assign]
    TrackerFeaturizer._create_states = staticmethod(_create_states)  # type: ignore[method-assign]
    Domain.is_empty = _domain_is_empty  # type: ignore[method-assign]
    DaskGraphRunner.run = _run_graph  # type: ignore[method-assign]
    EndpointConfig.session = _endpoint_session  # type: ignore[method-assign]
    action_module.action_for_name_or_text = _action_for_name_or_text
    DialogueStateTracker.copy = _tracker_copy  # type: ignore[method-assign]
    DialogueStateTracker.init_copy = _tracker_init_copy  # type: ignore[method-assign]
    for module in debug_copying_modules():
        module.copy = DebugLogCopies()
    http_guard.install()


def main() -> None:
    # Before numpy loads: the launcher sets it too, this covers a Rasa started by hand.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    model = _model_argument(sys.argv)
    if sys.argv[1:2] == ["run"] and model is not None and model.is_file() and not model_needs_tensorflow(model):
        without_tensorflow()
    from bot import channels  # imports Rasa's channels: not for the launcher (TOKEN_VARIABLE)

    channels.use_settings(load_settings())  # once per Rasa process: the REST channel's limits
    apply_fixes()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    token = os.environ.pop(TOKEN_VARIABLE, None)
    if token:
        sys.argv.append(f"--auth-token={token}")  # "=": a token may start with "-"
    rasa_main()


if __name__ == "__main__":
    main()
