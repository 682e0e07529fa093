"""The REST channel's request checks: clear errors for bad requests."""
import json

import pytest

from bot.channels import MAX_MESSAGE_CHARS, BadRequest, MessageTooLong, parse_request


def body(**fields: object) -> bytes:
    return json.dumps(fields).encode()


def test_a_valid_request() -> None:
    sender, message, metadata = parse_request(body(sender="abc-1", message="bonjour", metadata={"lang": "fr"}))
    assert (sender, message, metadata) == ("abc-1", "bonjour", {"lang": "fr"})


def test_metadata_is_optional() -> None:
    assert parse_request(body(sender="abc", message="hi"))[2] == {}


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"{not json", "must be JSON"),
        (b"", "must be JSON"),
        (b"\xff\xfe", "must be JSON"),
        (b"[1, 2]", "JSON object"),
        (body(message="hi"), "'sender'"),
        (body(sender="", message="hi"), "'sender'"),
        (body(sender="a b<script>", message="hi"), "'sender'"),
        (body(sender="x" * 129, message="hi"), "'sender'"),
        (body(sender="abc"), "'message' must be a string"),
        (body(sender="abc", message=42), "'message' must be a string"),
        (body(sender="abc", message="   "), "empty"),
        (body(sender="abc", message="a" * (MAX_MESSAGE_CHARS + 1)), "longer than"),
        (b'{"sender": "abc", "message": "\\ud800"}', "lone UTF-16 surrogate"),  # was a 500
        (b'{"sender": "abc", "message": "hi", "metadata": {"x": "\\udfff"}}', "'metadata'"),
        (b'{"sender": "abc", "message": "hi", "metadata": ' + b"[" * 1000 + b"]" * 1000 + b"}", "must be JSON"),
        (body(sender="abc", message="hi", metadata={"a": {"b": {"c": {"d": {"e": 1}}}}}), "nested"),
        (body(sender="abc", message="//  "), "empty"),
        (b'{"sender": "abc", "message": "' + b"a" * 70_000 + b'"}', "over"),
        (body(sender="abc", message="hi", metadata="fr"), "'metadata'"),
        (body(sender="abc", message="hi", metadata={"x": "y" * 5000}), "'metadata'"),
    ],
)
def test_bad_requests_say_what_is_wrong(raw: bytes, fragment: str) -> None:
    with pytest.raises(BadRequest, match=fragment):
        parse_request(raw)


def test_too_long_carries_what_the_polite_refusal_needs() -> None:
    with pytest.raises(MessageTooLong) as caught:
        parse_request(body(sender="abc", message="a" * (MAX_MESSAGE_CHARS + 1), metadata={"lang": "en"}))
    assert caught.value.sender == "abc" and caught.value.metadata == {"lang": "en"}


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [("/restart", "restart"), ("  /session_start", "session_start"), ("/back", "back"),
     ('/faq{"x": 1}', 'faq{"x": 1}'), ("//greet", "greet"), ("a/b", "a/b")],
)
def test_typed_commands_are_read_as_text(typed: str, read_as: str) -> None:
    """Finding: Rasa ran "/restart" as a command (silent reset, language lost)."""
    assert parse_request(body(sender="abc", message=typed))[1] == read_as


def test_the_widget_stops_typing_at_the_same_limit() -> None:
    from bot.settings import PROJECT_ROOT

    widget = (PROJECT_ROOT / "bot" / "web" / "static" / "curie-chat.js").read_text(encoding="utf-8")
    assert f'maxlength: "{MAX_MESSAGE_CHARS}"' in widget
