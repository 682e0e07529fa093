"""The one fix bot.runtime.rasa_server applies to Rasa: same validation of action replies, built once."""
from __future__ import annotations

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
