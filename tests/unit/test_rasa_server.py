"""The one fix bot.runtime.rasa_server applies to Rasa: same validation of action replies, built once."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.runtime.rasa_server import action_response_validator, apply_fixes


@pytest.fixture
def remote_action() -> RemoteAction:
    original = RemoteAction._validate_action_result
    apply_fixes()
    yield RemoteAction("action_detect_language", None)
    RemoteAction._validate_action_result = original


def test_a_valid_reply_passes(remote_action: RemoteAction) -> None:
    reply = {"events": [{"event": "slot", "name": "language", "value": "en"}], "responses": [{"text": "Hi"}]}
    assert remote_action._validate_action_result(reply) is True


@pytest.mark.parametrize(
    "reply",
    [
        {"events": "not a list"},
        {"events": [{"no": "event name"}]},
        {"responses": [42]},
    ],
)
def test_an_invalid_reply_raises_rasas_error(remote_action: RemoteAction, reply: dict) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action._validate_action_result(reply)


def test_rasa_rejects_the_same_replies_without_the_fix() -> None:
    """Guards the claim that nothing but speed changes: Rasa's own check agrees on each case."""
    from jsonschema import validate

    schema = RemoteAction.action_response_format_spec()
    for reply in ({"events": "not a list"}, {"events": [{"no": "event name"}]}, {"responses": [42]}):
        with pytest.raises(ValidationError):
            validate(reply, schema)
        assert not action_response_validator().is_valid(reply)
    assert action_response_validator() is action_response_validator()


def _sdk_replies() -> list[dict]:
    """Replies as the action server builds them (rasa_sdk's events and dispatcher), like ours."""
    from rasa_sdk.events import ActionExecuted, FollowupAction, SlotSet, UserUttered
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(text="Trials for melanoma", json_message={"trials": [{"id": "NCT04956640"}]})
    dispatcher.utter_message(response="utter_fallback")
    dispatcher.utter_message(text="Choose", buttons=[{"title": "more", "payload": "/more_trials"}])
    events = [
        SlotSet("trial_search", {"query": {"conditions": ["melanoma"]}, "page": 1}),
        SlotSet("trial_results", [f"NCT0{i:07d}" for i in range(30)]),
        SlotSet("phase", None),
        FollowupAction("action_listen"),
        ActionExecuted("utter_greet"),
        UserUttered("hello", {"intent": {"name": "greet", "confidence": 1.0}, "entities": []}),
    ]
    return [{"events": events, "responses": dispatcher.messages}, {"events": [], "responses": []}, {}]


def _event_cases() -> list[object]:
    """One event of each name Rasa's schema knows (minimal, then with a wrong field), and odd ones."""
    from rasa.core.actions.action import RemoteAction

    alternatives = RemoteAction.action_response_format_spec()["properties"]["events"]["items"]["oneOf"]
    names = [alternative["properties"]["event"]["const"] for alternative in alternatives]
    cases: list[object] = []
    for name in names:
        cases += [{"event": name}, {"event": name, "timestamp": "noon"}, {"event": name, "name": 5, "text": 5,
                  "parse_data": "x", "entities": "x", "value": 1, "metadata": 3}]
    return cases + [{"event": "nope"}, {"event": 5}, {"event": ["slot"]}, {"name": "x"}, "slot", None, 3]


def test_each_event_checked_alone_never_passes_what_rasa_rejects() -> None:
    """``valid_at_once`` (each event against its own alternative only) says valid only when
    Rasa's whole check does; on the action server's real replies they agree."""
    from jsonschema import validate

    from bot.runtime.rasa_server import event_validators, valid_at_once

    assert event_validators() is not None  # Rasa's schema has the shape the parts rely on
    schema = RemoteAction.action_response_format_spec()
    replies = [*_sdk_replies(), *({"events": [event]} for event in _event_cases()),
               {"events": "not a list"}, {"responses": [42]}, {"responses": "x"}, [], "reply", None]
    passed = 0
    for reply in replies:
        try:
            validate(reply, schema)
            rasa_says = True
        except ValidationError:
            rasa_says = False
        assert not valid_at_once(reply) or rasa_says, reply
        assert valid_at_once(reply) == rasa_says or not isinstance(reply, dict), reply
        passed += rasa_says
    assert passed >= 23  # a valid event of each name (and the real replies), not only rejections
    for reply in _sdk_replies():
        assert valid_at_once(reply)


def test_the_api_token_is_not_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The process list is readable by every user; the environment of a process is not."""
    from bot.runtime.launcher import build_services
    from bot.runtime.rasa_server import TOKEN_VARIABLE
    from bot.settings import load_settings

    monkeypatch.setenv("RASA_AUTH_TOKEN", "a-secret-token-123")
    services = build_services(load_settings(), tmp_path / "model.tar.gz", tmp_path / "endpoints.yml")
    rasa = next(s for s in services if s.name == "rasa")
    assert "a-secret-token-123" not in " ".join(rasa.command)
    assert "--enable-api" in rasa.command
    assert rasa.env[TOKEN_VARIABLE] == "a-secret-token-123"


# --- Event types: the class of each type name, remembered -------------------------------------


def test_resolve_by_type_returns_rasas_classes_and_errors() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    from bot.runtime.rasa_server import _STOCK

    apply_fixes()
    stock = _STOCK["resolve_by_type"]
    assert Event.resolve_by_type is not stock  # the fix is what Rasa calls
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "slot", "action", "bot", "session_started"} <= names
    for name in names:
        assert Event.resolve_by_type(name) is stock(name)
    assert Event.resolve_by_type("topic") is None is stock("topic")
    assert Event.resolve_by_type("no-such-event", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name 'no-such-event'"):
        Event.resolve_by_type("no-such-event")
    assert Event.from_parameters({"event": "slot", "name": "language", "value": "en"}).value == "en"


# --- The language slot, decided in Rasa's process -------------------------------------------

# (text, page language) turns of one conversation, with the answer language expected after each.
CONVERSATIONS = [
    [("bonjour", "fr"), ("what is immunotherapy and how does it work?", "fr"), ("merci", "fr")],
    [("hello", "en"), ("ok", "fr"), ("c'est quoi un essai clinique ?", "fr")],  # the page changed
    [("quels sont les effets secondaires", "en"), ("in English please", "en"), ("ok", "en")],
    [("I don't speak French", "fr"), ("bonjour", "fr"), ("en français svp", "fr")],
    [("hola, ¿tienen ensayos para cáncer de pulmón?", "fr"), ("", "fr"), ("yes", None)],
    [("tell me about NCT04956640", None), ("je ne parle pas anglais", None), ("thanks", "en")],
]
EXPECTED = [["fr", "en", "en"], ["en", "fr", "fr"], ["fr", "en", "en"], ["en", "en", "fr"],
            ["fr", "fr", "fr"], ["fr", "fr", "en"]]


def _project_domain():  # type: ignore[no-untyped-def]
    from rasa.shared.core.domain import Domain

    from bot.settings import PROJECT_ROOT

    return Domain.load(str(PROJECT_ROOT / "domain"))


def _action_servers_events(tracker, domain) -> list:  # type: ignore[no-untyped-def]
    """What action_detect_language returns, given the very payload Rasa would send it."""
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.language import ActionDetectLanguage

    payload = RemoteAction("action_detect_language", None)._action_call_format(tracker, domain)
    return asyncio.run(ActionDetectLanguage().run(CollectingDispatcher(), Tracker.from_dict(payload["tracker"]), {}))


@pytest.mark.parametrize(("turns", "expected"), list(zip(CONVERSATIONS, EXPECTED, strict=True)))
def test_the_language_decided_in_rasa_is_the_action_servers(turns: list, expected: list) -> None:
    import asyncio

    from rasa.core.actions.action import ActionExtractSlots
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    apply_fixes()
    domain = _project_domain()
    tracker = DialogueStateTracker.from_events("patient", [ActionExecuted("action_listen")], slots=domain.slots)
    languages = []
    for text, page in turns:
        metadata = {"lang": page} if page else {}
        tracker.update(UserUttered(text, intent={"name": "greet", "confidence": 1.0}, metadata=metadata))
        remote = _action_servers_events(tracker, domain)
        # No action endpoint at all: Rasa's own code would log a failure and set nothing.
        events = asyncio.run(ActionExtractSlots(None).run(None, None, tracker, domain))
        assert [(e.key, e.value) for e in events] == [(e["name"], e["value"]) for e in remote]
        tracker.update_with_events(events, domain)
        tracker.update(ActionExecuted("action_listen"))
        languages.append(tracker.get_slot("language"))
    assert languages == expected


def test_other_custom_mappings_still_call_the_action_server() -> None:
    from rasa.core.actions.action import ActionExtractSlots

    from bot.runtime.rasa_server import _STOCK, IN_PROCESS_MAPPINGS

    apply_fixes()
    assert ActionExtractSlots._run_custom_action is not _STOCK["run_custom_action"]
    assert set(IN_PROCESS_MAPPINGS) == {"action_detect_language"}


# --- TensorFlow left out when the model does not use it -------------------------------------


def _model_with(tmp_path: Path, *components: str) -> Path:
    import io
    import json
    import tarfile

    nodes = {f"node_{i}": {"uses": component} for i, component in enumerate(components)}
    data = json.dumps({"predict_schema": {"nodes": nodes}}).encode()
    path = tmp_path / "model.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("metadata.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return path


def test_only_a_model_without_tensorflow_components_goes_without_it(tmp_path: Path) -> None:
    from bot.runtime.no_tensorflow import model_needs_tensorflow

    ours = ["rasa.core.policies.rule_policy.RulePolicy", "bot.nlu.intent_classifier.LinearIntentClassifier"]
    assert not model_needs_tensorflow(_model_with(tmp_path, *ours))
    assert model_needs_tensorflow(_model_with(tmp_path, *ours, "rasa.nlu.classifiers.diet_classifier.DIETClassifier"))
    assert model_needs_tensorflow(_model_with(tmp_path, *ours, "rasa.core.policies.ted_policy.TEDPolicy"))
    (tmp_path / "broken.tar.gz").write_bytes(b"not a model")
    assert model_needs_tensorflow(tmp_path / "broken.tar.gz")


def test_tensorflows_stand_ins_refuse_to_compute() -> None:
    from bot.errors import TensorFlowNotLoaded
    from bot.runtime.no_tensorflow import _TensorFlowName

    class Layer(_TensorFlowName.keras.layers.Layer):  # Rasa's modules define such classes
        pass

    def step() -> int:
        return 1

    assert _TensorFlowName.function(step) is step  # a decorator leaves the function
    for use in (lambda: Layer(), lambda: _TensorFlowName.constant([1.0]), lambda: _TensorFlowName.function(step, jit=True)):
        with pytest.raises(TensorFlowNotLoaded, match="TensorFlow is not loaded"):
            use()


PARSE_SCRIPT = """
import asyncio, json, sys
from bot.runtime.rasa_server import apply_fixes, without_tensorflow
if sys.argv[2] == "without": without_tensorflow()
apply_fixes()
from rasa.core.agent import Agent
agent = Agent.load(sys.argv[1])
texts = ["c'est quoi l'immunothérapie ?", "I can't breathe", "essais pour le mélanome", "bonjour"]
parses = [asyncio.run(agent.parse_message(t)) for t in texts]
replies = [asyncio.run(agent.handle_text(t, sender_id="s")) for t in texts]
print(json.dumps({"real_tf": hasattr(sys.modules["tensorflow"], "__file__"), "parses": parses, "replies": replies}))
"""


def test_the_model_answers_the_same_without_tensorflow(trained_model: Path, tmp_path: Path) -> None:
    import json
    import subprocess

    from bot.runtime.model import rasa_env
    from bot.settings import PROJECT_ROOT

    def run(mode: str) -> dict:
        completed = subprocess.run(
            [sys.executable, "-c", PARSE_SCRIPT, str(trained_model), mode], cwd=PROJECT_ROOT,
            env=rasa_env(), capture_output=True, text=True, timeout=600, check=True,
        )
        return json.loads(completed.stdout.strip().splitlines()[-1])

    without, stock = run("without"), run("with")
    assert stock["real_tf"] and not without["real_tf"]
    assert without["parses"] == stock["parses"]
    assert without["replies"] == stock["replies"] and len(stock["replies"][0]) >= 1



# --- RulePolicy: predictions from the last turns ----------------------------------------------


@pytest.fixture(scope="module")
def rasa_agent(trained_model: Path):  # type: ignore[no-untyped-def]
    from rasa.core.agent import Agent

    apply_fixes()
    return Agent.load(str(trained_model))


def _rule_policy(agent):  # type: ignore[no-untyped-def]
    from rasa.core.policies.rule_policy import RulePolicy

    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    return next(node._component for node in nodes if isinstance(getattr(node, "_component", None), RulePolicy))


def _story_conversation(path: Path, domain) -> list:  # type: ignore[no-untyped-def]
    """Every story (or rule) of a file, one after the other, as the events of ONE conversation."""
    from rasa.shared.core.constants import (
        ACTION_LISTEN_NAME,
        ACTION_SESSION_START_NAME,
        RULE_SNIPPET_ACTION_NAME,
    )
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

    events = [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted(), ActionExecuted(ACTION_LISTEN_NAME)]
    for step in YAMLStoryReader(domain).read_from_file(str(path)):
        for event in step.explicit_events(domain):
            if isinstance(event, ActionExecuted) and event.action_name in (RULE_SNIPPET_ACTION_NAME, ACTION_LISTEN_NAME):
                continue
            if isinstance(event, UserUttered) and not (isinstance(events[-1], ActionExecuted)
                                                       and events[-1].action_name == ACTION_LISTEN_NAME):
                events.append(ActionExecuted(ACTION_LISTEN_NAME))
            events.append(event)
    return events + [ActionExecuted(ACTION_LISTEN_NAME)]


def _prediction(prediction) -> tuple:  # type: ignore[no-untyped-def]
    return (prediction.probabilities, prediction.policy_name, prediction.events, prediction.is_end_to_end_prediction,
            prediction.is_no_user_prediction, prediction.hide_rule_turn, prediction.action_metadata)


def _compare_before_each_action(policy, domain, sender: str, events: list) -> tuple[list, int]:  # type: ignore[no-untyped-def]
    """Rasa's prediction and ours before each action of a conversation; how many were trimmed."""
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.runtime.rasa_server import _STOCK, rule_tracker

    predicted, trimmed = [], 0
    first_user = next(index for index, event in enumerate(events) if isinstance(event, UserUttered))
    for index, event in enumerate(events):
        if not isinstance(event, ActionExecuted) or index < first_user:
            continue  # the session start and its action_listen are not predicted by a policy
        tracker = DialogueStateTracker.from_events(sender, events[:index], domain.slots)
        stock = _STOCK["rule_policy_predict"](policy, tracker, domain)
        ours = RulePolicy.predict_action_probabilities(policy, tracker, domain)
        assert _prediction(ours) == _prediction(stock), (sender, index, [e.as_story_string() for e in events[:index][-6:]])
        trimmed += len(rule_tracker(policy, tracker, domain).events) < len(tracker.events)
        _assert_rasas_trimming_and_rules(policy, domain, tracker)
        predicted.append((domain.action_names_or_texts[stock.max_confidence_index], event.action_name, index))
    return predicted, trimmed


def _same_tracker(ours, rasas) -> bool:  # type: ignore[no-untyped-def]
    return ([event.as_dict() for event in ours.events] == [event.as_dict() for event in rasas.events]
            and ours.current_slot_values() == rasas.current_slot_values() and ours.sender_id == rasas.sender_id)


def _assert_rasas_trimming_and_rules(policy, domain, tracker) -> None:  # type: ignore[no-untyped-def]
    """``last_turns`` gives Rasa's trimmed tracker (or declines), and the rules found for the
    tracker's states are the ones Rasa's ``_get_possible_keys`` finds, asked once or twice."""
    from rasa.core.policies.memoization import _trim_tracker_by_max_history

    from bot.runtime.rasa_server import (
        _STOCK,
        _get_possible_keys,
        _states_rules_compare,
        last_turns,
    )

    turns = _states_rules_compare(policy)
    ours = last_turns(tracker, turns)
    assert ours is None or _same_tracker(ours, _trim_tracker_by_max_history(tracker, turns))
    states = policy._prediction_states(tracker, domain)
    for lookup in (policy.lookup["rules"], policy.lookup["rules_for_loop_unhappy_path"]):
        rasas = _STOCK["rule_possible_keys"](policy, lookup, states)
        assert _get_possible_keys(policy, lookup, states) == rasas == _get_possible_keys(policy, lookup, states)


def test_the_last_turns_are_read_from_the_end_only_when_nothing_was_undone(rasa_agent) -> None:  # type: ignore[no-untyped-def]
    """An event of the last turns that undoes or restarts something: Rasa's trimming decides;
    one before them changes nothing in the last turns."""
    from rasa.core.policies.memoization import _trim_tracker_by_max_history
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        Restarted,
        UserUtteranceReverted,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.runtime.rasa_server import last_turns

    domain = rasa_agent.domain

    def turn(intent: str, action: str) -> list:
        return [ActionExecuted("action_listen"), UserUttered(intent, {"name": intent, "confidence": 1.0}),
                ActionExecuted(action)]

    def tracker(events: list) -> DialogueStateTracker:
        return DialogueStateTracker.from_events("s", [*events, ActionExecuted("action_listen")], domain.slots)

    plain = turn("greet", "utter_greet") * 6
    for undo in (Restarted(), UserUtteranceReverted(), ActionReverted()):
        before = tracker([*turn("deny", "utter_deny"), undo, *plain])
        ours = last_turns(before, 4)
        assert ours is not None and _same_tracker(ours, _trim_tracker_by_max_history(before, 4))
        within = tracker([*plain, *turn("deny", "utter_deny"), undo, *turn("affirm", "utter_affirm")])
        assert last_turns(within, 4) is None  # Rasa's own trimming then: applied_events() undoes it
    assert last_turns(tracker(turn("greet", "utter_greet")), 4) is None  # too short: Rasa keeps it whole
    assert last_turns(tracker(plain), 0) is None


def test_rules_found_for_a_lookup_that_changed_are_found_again(rasa_agent) -> None:  # type: ignore[no-untyped-def]
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.runtime.rasa_server import _STOCK, _get_possible_keys

    policy, domain = _rule_policy(rasa_agent), rasa_agent.domain
    tracker = DialogueStateTracker.from_events("s", [ActionExecuted("action_listen"), UserUttered(
        "hi", {"name": "greet", "confidence": 1.0})], domain.slots)
    states = policy._prediction_states(tracker, domain)
    lookup = dict(policy.lookup["rules"])
    found = _get_possible_keys(policy, lookup, states)
    assert found and found == _STOCK["rule_possible_keys"](policy, lookup, states)
    for key in found:
        del lookup[key]
    assert _get_possible_keys(policy, lookup, states) == set() == _STOCK["rule_possible_keys"](policy, lookup, states)


def _conversation_events(assistant, sender: str) -> list:  # type: ignore[no-untyped-def]
    """The events of a conversation as the running assistant stored them (Rasa's HTTP API)."""
    import json
    import urllib.request

    from rasa.shared.core.events import deserialise_events

    with urllib.request.urlopen(assistant.settings.rasa_api_url(f"/conversations/{sender}/tracker")) as reply:  # noqa: S310
        return deserialise_events(json.loads(reply.read())["events"])


def test_rules_predict_the_same_from_the_last_turns(rasa_agent, assistant) -> None:  # type: ignore[no-untyped-def]
    """On real conversations (the running assistant: the model's parses, the action server's
    events), each tracker given to both Rasa's prediction and ours, so both see the same parse;
    and on the conversation tests and the rules, each file as one long conversation."""
    from bench.assistant import MESSAGES
    from bot.settings import PROJECT_ROOT

    policy, domain = _rule_policy(rasa_agent), rasa_agent.domain
    turns = [turn for conversation in CONVERSATIONS for turn in conversation if turn[0]]  # no empty message
    # at most 12 messages each: the assistant's per-conversation rate limit (burst=12)
    conversations = [MESSAGES[:12], MESSAGES[4:], turns[:12], turns[6:]]
    total = trimmed = 0
    for number, messages in enumerate(conversations):
        sender = f"trim-{number}-{os.getpid()}"
        for text, lang in messages:
            assistant.send(text, sender=sender, lang=lang)
        predicted, count = _compare_before_each_action(policy, domain, sender, _conversation_events(assistant, sender))
        assert all(rasa == taken for rasa, taken, _ in predicted), [p for p in predicted if p[0] != p[1]]
        total, trimmed = total + len(predicted), trimmed + count
    for data in (PROJECT_ROOT / "tests" / "stories" / "test_conversations.yml", PROJECT_ROOT / "dialogue" / "rules.yml"):
        predicted, count = _compare_before_each_action(policy, domain, data.stem, _story_conversation(data, domain))
        assert all(rasa == story for rasa, story, _ in predicted), [p for p in predicted if p[0] != p[1]]
        total, trimmed = total + len(predicted), trimmed + count
    assert total > 150 and trimmed > total * 3 // 4  # most predictions did come from a shorter tracker


def test_the_whole_history_when_it_could_matter(rasa_agent) -> None:  # type: ignore[no-untyped-def]
    """A featurized slot or a loop set before the last turns would be missing from the trimmed
    copy (it starts from the initial slots, with no loop); a conversation_start rule looks at
    where the conversation begins."""
    import copy

    from rasa.core.policies.memoization import _trim_tracker_by_max_history
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.runtime.rasa_server import _states_rules_compare, rule_tracker

    policy, domain = _rule_policy(rasa_agent), rasa_agent.domain
    events = [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet", "confidence": 1.0}),
              SlotSet("language", "en"), ActionExecuted("utter_greet")]
    for _ in range(8):
        events += [ActionExecuted("action_listen"), UserUttered("ok", {"name": "affirm", "confidence": 1.0}),
                   ActionExecuted("utter_affirm")]
    tracker = DialogueStateTracker.from_events("s", events + [ActionExecuted("action_listen")], domain.slots)
    assert _states_rules_compare(policy) == 4  # the refusal followed by the general answer: 4 states
    assert len(rule_tracker(policy, tracker, domain).events) < len(tracker.events)
    assert _trim_tracker_by_max_history(tracker, 4).get_slot("language") == "fr" != tracker.get_slot("language")

    featurized = copy.deepcopy(domain)
    next(slot for slot in featurized.slots if slot.name == "language").influence_conversation = True
    assert rule_tracker(policy, tracker, featurized) is tracker
    looping = DialogueStateTracker.from_events("s", [*events[:3], ActiveLoop("some_form"), *events[3:]], domain.slots)
    assert rule_tracker(policy, looping, domain) is looping
    starting = copy.copy(policy)
    starting.lookup = {**policy.lookup, "rules": {**policy.lookup["rules"], '[{"user": {"intent": "greet"}}]': "utter_greet"}}
    assert _states_rules_compare(starting) is None
    assert rule_tracker(starting, tracker, domain) is tracker


def test_a_rule_over_several_turns_is_compared_whole(rasa_agent) -> None:  # type: ignore[no-untyped-def]
    """A rule longer than ours (three user turns, five states) still sees all its states."""
    import copy

    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.runtime.rasa_server import _STOCK, _states_rules_compare

    policy, domain = _rule_policy(rasa_agent), rasa_agent.domain

    def turn(intent: str, action: str) -> list:
        return [ActionExecuted("action_listen"), UserUttered(intent, {"name": intent, "confidence": 1.0}),
                ActionExecuted(action)]

    def tracker(events: list) -> DialogueStateTracker:
        return DialogueStateTracker.from_events("s", events, domain.slots)

    rule = [*turn("greet", "utter_greet"), *turn("affirm", "utter_affirm"), *turn("thank", "utter_thank")][:-1]
    states = policy._prediction_states(tracker(rule), domain)[-5:]
    longer = copy.copy(policy)
    longer.lookup = {**policy.lookup, "rules": {**policy.lookup["rules"], policy._create_feature_key(states): "utter_bot_identity"}}
    assert _states_rules_compare(longer) == 5
    for before in ([], turn("deny", "utter_deny") * 6):
        for events, expected in ((before + rule, "utter_bot_identity"), (before + rule[3:], "utter_thank")):
            stock = _STOCK["rule_policy_predict"](longer, tracker(events), domain)
            ours = RulePolicy.predict_action_probabilities(longer, tracker(events), domain)
            assert domain.action_names_or_texts[stock.max_confidence_index] == expected
            assert _prediction(ours) == _prediction(stock)


def test_an_empty_domain_is_told_as_rasa_tells_it() -> None:
    from rasa.shared.core.domain import Domain

    from bot.runtime.rasa_server import _STOCK

    apply_fixes()
    assert Domain.is_empty is not _STOCK["domain_is_empty"]
    tiny = Domain.from_dict({"intents": ["greet"], "responses": {"utter_greet": [{"text": "hi"}]}})
    for domain, empty in ((Domain.empty(), True), (Domain.from_dict({}), True), (tiny, False), (_project_domain(), False)):
        assert domain.is_empty() is _STOCK["domain_is_empty"](domain) is empty


def test_the_graph_runs_as_dask_runs_it(rasa_agent, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The same parses and the same predictions (the model's two graphs), and the same errors."""
    import asyncio

    from rasa.engine.exceptions import GraphComponentException
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bench.assistant import MESSAGES
    from bot.runtime.rasa_server import _STOCK, _run_graph

    assert DaskGraphRunner.run is _run_graph
    processor, domain = rasa_agent.processor, rasa_agent.domain

    def both(call):  # type: ignore[no-untyped-def]
        ours = call()
        with monkeypatch.context() as stock:
            stock.setattr(DaskGraphRunner, "run", _STOCK["run_graph"])
            return ours, call()

    events = [ActionExecuted("action_listen")]
    for text, _ in MESSAGES:
        ours, dask = both(lambda text=text: asyncio.run(rasa_agent.parse_message(text)))
        assert ours == dask
        events += [UserUttered(text, ours["intent"], ours["entities"], ours), ActionExecuted("utter_greet"),
                   ActionExecuted("action_listen")]
        for tracker in (DialogueStateTracker.from_events("g", events[:-2], domain.slots),
                        DialogueStateTracker.from_events("g", events[:-1], domain.slots)):
            ours, dask = both(lambda tracker=tracker: processor._predict_next_with_tracker(tracker))
            assert _prediction(ours) == _prediction(dask)
    broken = DialogueStateTracker.from_events("g", events, domain.slots)
    broken.events.append("not an event")  # a node fails: the same error either way
    for run in both(lambda: pytest.raises(GraphComponentException, processor._predict_next_with_tracker, broken)):
        assert "RulePolicy" in str(run.value)


def test_the_modules_deep_copy_only_for_debug_lines() -> None:
    """Guards DebugLogCopies: in each module it is given to, every use of ``copy`` is a
    ``copy.deepcopy(...)`` passed to a ``structlogger.debug(...)`` line (a Rasa upgrade that
    copies for another reason fails here)."""
    import ast

    from bot.runtime.rasa_server import debug_copying_modules

    for module in debug_copying_modules():
        name = module.__name__
        tree = ast.parse(Path(module.__file__).read_text())
        logged = {
            id(keyword.value.func)
            for call in ast.walk(tree)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "debug"
            and isinstance(call.func.value, ast.Name) and call.func.value.id == "structlogger"
            for keyword in call.keywords if isinstance(keyword.value, ast.Call)
        }
        uses = [node for node in ast.walk(tree)
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "copy"]
        assert uses, name
        for use in uses:
            assert use.attr == "deepcopy" and id(use) in logged, f"{name}:{use.lineno}"


def test_debug_lines_get_their_copies_only_when_written() -> None:
    import logging

    import rasa.core.processor
    import structlog
    from rasa.utils.log_utils import configure_structlog

    from bot.runtime.rasa_server import structlog_debug_on

    saved, root = structlog.get_config(), logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    apply_fixes()
    states = [{"user": {"intent": "greet"}}]
    try:
        configure_structlog(logging.INFO)
        assert not structlog_debug_on()
        assert rasa.core.processor.copy.deepcopy(states) is states
        configure_structlog(logging.DEBUG)
        assert structlog_debug_on()
        copied = rasa.core.processor.copy.deepcopy(states)
        assert copied == states and copied is not states and copied[0] is not states[0]
    finally:
        structlog.configure(**saved)
        root.setLevel(level)
        root.handlers[:] = handlers


def test_no_action_call_carries_the_domain_and_each_gets_rasas_request(rasa_agent) -> None:  # type: ignore[no-untyped-def]
    """Our endpoints enable Rasa's selective domain: none of our actions reads the domain, so
    none is declared ``send_domain``; everything else of the request is Rasa's."""
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from bot.runtime.endpoints import action_endpoint_config
    from bot.settings import load_settings

    domain = rasa_agent.domain
    config = action_endpoint_config(load_settings())
    tracker = DialogueStateTracker.from_events("s", [ActionExecuted("action_listen"), UserUttered(
        "essais mélanome", {"name": "search_trials", "confidence": 1.0})], domain.slots)
    assert domain.user_actions  # our custom actions
    for name in domain.user_actions:
        selective = RemoteAction(name, EndpointConfig.from_dict(config))._action_call_format(tracker, domain)
        whole = RemoteAction(name, EndpointConfig.from_dict({**config, "enable_selective_domain": False}))
        assert selective == {key: value for key, value in whole._action_call_format(tracker, domain).items() if key != "domain"}
        assert "domain" not in selective and not domain.does_custom_action_explicitly_need_domain(name)


def test_calls_to_an_endpoint_reuse_one_connection_and_survive_a_server_restart() -> None:
    """Rasa's ``EndpointConfig.request`` with our session: one TCP connection for successive
    calls, and a server that went away and came back (its connections gone) answers the next
    call at once."""
    import asyncio

    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    from bot.runtime import rasa_server
    from bot.runtime.launcher import free_port

    apply_fixes()
    port, peers = free_port(), []

    async def answer(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({"ok": len(peers)})

    async def serve() -> web.AppRunner:
        app = web.Application()
        app.router.add_post("/webhook", answer)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner

    async def scenario() -> None:
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        runner = await serve()
        assert [await endpoint.request(json={"n": n}) for n in range(3)] == [{"ok": 1}, {"ok": 2}, {"ok": 3}]
        assert len(set(peers)) == 1  # one connection kept open for all three
        await runner.cleanup()  # the server goes away, closing its connections
        runner = await serve()
        assert await endpoint.request(json={}) == {"ok": 4}
        assert len(set(peers)) == 2
        await runner.cleanup()
        await rasa_server._CONNECTORS[asyncio.get_running_loop()].close()  # nothing left open at exit

    asyncio.run(scenario())


def test_a_prediction_builds_each_trackers_states_once(rasa_agent, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """After a user message Rasa builds the states twice (text, then intent): once here, with
    the same prediction as Rasa's (checked on whole conversations above)."""
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.runtime import rasa_server

    policy, domain = _rule_policy(rasa_agent), rasa_agent.domain
    tracker = DialogueStateTracker.from_events("s", [ActionExecuted("action_listen"), UserUttered(
        "bonjour", {"name": "greet", "confidence": 1.0})], domain.slots)
    stock, built = rasa_server._STOCK["create_states"], []
    monkeypatch.setitem(rasa_server._STOCK, "create_states", lambda *args: built.append(args[0]) or stock(*args))
    rasas = rasa_server._STOCK["rule_policy_predict"](policy, tracker, domain)
    assert len(built) == 2  # Rasa's own prediction: text, then intent
    built.clear()
    ours = RulePolicy.predict_action_probabilities(policy, tracker, domain)
    assert len(built) == 1 and _prediction(ours) == _prediction(rasas)
    assert domain.action_names_or_texts[ours.max_confidence_index] == "utter_greet"
    assert rasa_server._STATES_MEMO is None  # nothing kept after the prediction


def test_an_action_calls_body_is_the_json_rasa_would_send(rasa_agent) -> None:  # type: ignore[no-untyped-def]
    import json

    import numpy as np
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from bot.runtime.rasa_server import request_json

    domain = rasa_agent.domain
    parse = {"name": "search_trials", "confidence": 0.8765432101234567}
    tracker = DialogueStateTracker.from_events("s/é", [
        ActionExecuted("action_listen"), UserUttered("essais « mélanome » </script> \u2028 1e-7", parse, metadata={"lang": "fr"}),
        SlotSet("language", "fr"), BotUttered("Voici 3 essais", {"elements": [1.5, None, True]}), ActionExecuted("action_listen"),
    ], domain.slots)
    body = RemoteAction("action_search_trials", EndpointConfig("http://x"))._action_call_format(tracker, domain)
    assert json.loads(request_json(body)) == json.loads(json.dumps(body)) and "\\u00e9" in request_json(body)
    with pytest.raises(TypeError):  # what json cannot write fails as in Rasa
        request_json({"score": np.float32(0.5)})


# --- Trackers copied, actions made once -------------------------------------------------------


def _tracker_state(tracker) -> tuple:  # type: ignore[no-untyped-def]
    """Everything a tracker holds: its fields, its events (the same objects), its slots."""
    from rasa.shared.core.trackers import EventVerbosity

    fields = {name: value for name, value in vars(tracker).items() if name not in ("events", "slots")}
    for name in ("latest_message", "latest_bot_utterance"):  # an empty one is new: its own time
        fields[name] = None if fields[name] is None else {**fields[name].as_dict(), "timestamp": None}
    slots = {name: (type(slot), slot.value, slot.has_been_set) for name, slot in tracker.slots.items()}
    return type(tracker), fields, [id(event) for event in tracker.events], slots, tracker.current_state(EventVerbosity.ALL)


def _undoing_events(domain) -> list:  # type: ignore[no-untyped-def]
    """A conversation with every kind of event that sets a tracker's state."""
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionExecutionRejected,
        ActionReverted,
        ActiveLoop,
        AllSlotsReset,
        BotUttered,
        ConversationPaused,
        ConversationResumed,
        FollowupAction,
        LoopInterrupted,
        Restarted,
        SessionStarted,
        SlotSet,
        UserUtteranceReverted,
        UserUttered,
    )

    def said(text: str, intent: str) -> list:
        return [ActionExecuted("action_listen"), UserUttered(text, {"name": intent, "confidence": 0.9})]

    return [
        ActionExecuted("action_session_start"), SessionStarted(), *said("bonjour", "greet"), SlotSet("language", "fr"),
        BotUttered("Bonjour", {"elements": None}), ActionExecuted("utter_greet"), ActiveLoop("some_form"),
        LoopInterrupted(True), ActionExecutionRejected("some_form"), *said("non", "deny"), FollowupAction("utter_deny"),
        ConversationPaused(), ConversationResumed(), UserUtteranceReverted(), *said("hello", "greet"),
        SlotSet("language", "en"), ActionReverted(), AllSlotsReset(), SlotSet("language", "en"), ActiveLoop(None),
        ActionExecuted("utter_greet"), Restarted(), *said("merci", "thank"), BotUttered("De rien"),
        ActionExecuted("utter_thank"),
    ]


def test_a_trackers_copy_is_rasas_replay(rasa_agent, assistant) -> None:  # type: ignore[no-untyped-def]
    """Rasa's copy replays the events onto a new tracker; ours copies the state: the same
    fields, events and slots after each event of real conversations, of the conversation
    tests and of one with every kind of event (undone, reverted, restarted, paused, loops);
    and a copy changed afterwards leaves its original as it was."""
    from rasa.shared.core.events import LoopInterrupted, SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    from bench.assistant import MESSAGES
    from bot.runtime.rasa_server import _STOCK
    from bot.settings import PROJECT_ROOT

    domain = rasa_agent.domain
    sender = f"copy-{os.getpid()}"
    for text, lang in MESSAGES[:12]:
        assistant.send(text, sender=sender, lang=lang)
    conversations = [_conversation_events(assistant, sender), _undoing_events(domain),
                     _story_conversation(PROJECT_ROOT / "tests" / "stories" / "test_conversations.yml", domain)]
    compared = 0
    for events in conversations:
        for end in range(len(events) + 1):
            tracker = DialogueStateTracker.from_events("s", events[:end], domain.slots)
            tracker.model_id, tracker.assistant_id = "model", "assistant"  # as the processor sets them
            ours, rasas = tracker.copy(), _STOCK["tracker_copy"](tracker)
            assert _tracker_state(ours) == _tracker_state(rasas), (end, events[end - 1] if end else None)
            assert _tracker_state(tracker.init_copy()) == _tracker_state(_STOCK["tracker_init_copy"](tracker))
            compared += 1
    assert compared > 150
    original = DialogueStateTracker.from_events("s", _undoing_events(domain)[:12], domain.slots)
    before = _tracker_state(original)
    changed = original.copy()
    assert changed.active_loop is not None  # the loop of the events: interrupted, rejected
    changed.update_with_events([SlotSet("language", "de"), LoopInterrupted(False)], domain)
    changed.latest_action["action_name"] = "changed"
    fresh = original.init_copy()
    fresh.update_with_events([SlotSet("language", "de")], domain)
    assert _tracker_state(original) == before and not fresh.is_rule_tracker


def test_trackers_the_events_alone_may_not_explain_are_replayed_as_rasa_does(rasa_agent) -> None:  # type: ignore[no-untyped-def]
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.runtime.rasa_server import _STOCK

    domain = rasa_agent.domain
    events = [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet", "confidence": 1.0}),
              SlotSet("language", "en"), ActionExecuted("utter_greet")]
    bounded = DialogueStateTracker.from_events("s", events, domain.slots, max_event_history=2)
    on_demand = DialogueStateTracker.from_events("s", events)  # no slots given: made on demand
    extra = DialogueStateTracker.from_events("s", events, domain.slots)
    extra.note = "set outside the events"
    for tracker in (bounded, on_demand, extra):
        assert _tracker_state(tracker.copy()) == _tracker_state(_STOCK["tracker_copy"](tracker))
        assert _tracker_state(tracker.init_copy()) == _tracker_state(_STOCK["tracker_init_copy"](tracker))
    assert bounded.latest_message.text == "hi" and bounded.copy().latest_message.text is None  # fell off the history


def test_actions_made_once_are_rasas_and_keep_nothing_of_a_run(rasa_agent) -> None:  # type: ignore[no-untyped-def]
    """Each name of the domain gets an action of Rasa's type and name; the reusable ones (no
    attribute set by a run) are the same instance each time, the others are made anew; and
    after whole conversations the kept actions hold what they held when made."""
    import asyncio

    from rasa.core.actions import action as action_module
    from rasa.core.actions.action import ActionRetrieveResponse
    from rasa.utils.endpoints import EndpointConfig

    from bot.runtime import rasa_server

    domain, endpoint = rasa_agent.domain, EndpointConfig("http://localhost:1")
    reusable = 0
    for name in domain.action_names_or_texts:
        ours = action_module.action_for_name_or_text(name, domain, endpoint)
        rasas = rasa_server._STOCK["action_for_name_or_text"](name, domain, endpoint)
        assert (type(ours), ours.name()) == (type(rasas), rasas.name())
        again = action_module.action_for_name_or_text(name, domain, endpoint)
        assert (again is ours) == (type(ours) in rasa_server.reusable_action_types())
        reusable += again is ours
    assert reusable > 20 and ActionRetrieveResponse not in rasa_server.reusable_action_types()
    other = EndpointConfig("http://localhost:2")
    assert action_module.action_for_name_or_text("action_search_trials", domain, other).action_endpoint is other

    kept = {key: dict(vars(entry[2])) for key, entry in rasa_server._ACTIONS.items()}
    for number, text in enumerate(["bonjour", "c'est quoi l'immunothérapie ?", "hello", "merci", "au revoir"]):
        asyncio.run(rasa_agent.handle_text(text, sender_id=f"kept-{number}"))
    for key, held in kept.items():
        assert vars(rasa_server._ACTIONS[key][2]) == held
    assert len(rasa_server._ACTIONS) > len(kept)  # the conversations' own actions were kept too
