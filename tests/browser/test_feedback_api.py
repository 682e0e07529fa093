"""``POST /api/feedback`` over plain HTTP: strict input checks with clear errors, the answer
taken from the stored conversation, same-origin only."""
from __future__ import annotations

import http.client
import json
import urllib.request
import uuid

import pytest

from bot.inbox import feedback, store
from bot.settings import Settings

from .fake_rasa import TEXTS, FakeRasa


def post(base_url: str, body: bytes, content_type: str = "application/json",
         path: str = "/api/feedback", method: str = "POST") -> tuple[int, dict[str, str], dict]:
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": content_type})
        response = conn.getresponse()
        raw = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, headers, json.loads(raw) if raw.startswith(b"{") else {}
    finally:
        conn.close()


def a_turn(fake_rasa: FakeRasa, text: str, lang: str = "fr") -> tuple[str, str]:
    """Sends ``text`` to the (fake) assistant like the widget does: (sender, reply_to)."""
    sender = uuid.uuid4().hex
    request = urllib.request.Request(
        f"{fake_rasa.url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text, "metadata": {"lang": lang}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
        replies = json.loads(reply.read())
    return sender, replies[0]["reply_to"]


def vote_body(sender: str, reply_to: str, vote: str = "not_helpful", **extra: object) -> bytes:
    return json.dumps({"sender": sender, "reply_to": reply_to, "vote": vote, **extra}).encode()


def test_a_vote_is_recorded_from_the_stored_conversation(
    base_url: str, web_settings: Settings, fake_rasa: FakeRasa
) -> None:
    sender, reply_to = a_turn(fake_rasa, "c'est où la cafétéria")
    status, headers, body = post(base_url, vote_body(sender, reply_to))
    assert (status, body) == (200, {"status": "recorded", "vote": "not_helpful"})
    assert "connect-src 'self'" in headers["content-security-policy"]
    assert "access-control-allow-origin" not in headers  # same-origin only
    [vote] = [v for v in feedback.read_votes(store.engine_for(web_settings.tracker_store_url)) if v.sender == sender]
    assert (vote.question, vote.answer, vote.language) == (
        "c'est où la cafétéria", TEXTS["fr"]["greet"], "fr",
    )


@pytest.mark.parametrize(
    ("body", "content_type", "status", "fragment"),
    [
        (b"sender=x", "application/x-www-form-urlencoded", 415, "application/json"),
        (b"{oops", "application/json", 400, "must be JSON"),
        (vote_body("a b", "0" * 32), "application/json", 400, "'sender'"),
        (vote_body("abc", "not-an-id"), "application/json", 400, "'reply_to'"),
        (vote_body("abc", "0" * 32, "maybe"), "application/json", 400, "'vote'"),
        (vote_body("abc", "0" * 32, question="I asked for X", answer="it said Y"), "application/json",
         400, "Unknown field"),
        (vote_body("abc", "0" * 32, padding="x" * 5000), "application/json", 413, "under 1024 bytes"),
        (vote_body("nobody-here", "0" * 32), "application/json", 404, "no such answer"),
    ],
)
def test_bad_votes_get_clear_errors(
    base_url: str, body: bytes, content_type: str, status: int, fragment: str
) -> None:
    got, _, answer = post(base_url, body, content_type)
    assert got == status
    assert fragment in answer["error"]


def test_a_vote_cannot_name_another_conversations_answer(base_url: str, fake_rasa: FakeRasa) -> None:
    _, reply_to = a_turn(fake_rasa, "bonjour")
    other_sender, _ = a_turn(fake_rasa, "bonjour")
    status, _, answer = post(base_url, vote_body(other_sender, reply_to))
    assert status == 404 and "no such answer" in answer["error"]


def test_only_post(base_url: str) -> None:
    status, headers, _ = post(base_url, b"", method="GET")
    assert status == 405 and headers["allow"] == "POST"
