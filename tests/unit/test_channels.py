"""The REST channel's request checks: clear errors for bad requests."""
import json

import pytest

from bot.channels import MAX_MESSAGE_CHARS, BadRequest, parse_request


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
        (body(sender="abc", message="hi", metadata="fr"), "'metadata'"),
        (body(sender="abc", message="hi", metadata={"x": "y" * 5000}), "'metadata'"),
    ],
)
def test_bad_requests_say_what_is_wrong(raw: bytes, fragment: str) -> None:
    with pytest.raises(BadRequest, match=fragment):
        parse_request(raw)
