"""The one fix bot.rasa_server applies to Rasa: same validation of action replies, built once."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.rasa_server import action_response_validator, apply_fixes


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
