"""Bad input to the running assistant: a clear polite answer or a clear HTTP error."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

import pytest

from tests.conftest import Assistant

pytestmark = pytest.mark.model


def sender() -> str:
    return f"bad-{uuid.uuid4().hex[:12]}"


def http_error(assistant: Assistant, raw: bytes) -> tuple[int, dict]:
    with pytest.raises(urllib.error.HTTPError) as caught:
        assistant.post(None, raw=raw)
    return caught.value.code, json.loads(caught.value.read())


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"[]",
        json.dumps({"message": "bonjour"}).encode(),
        json.dumps({"sender": "x", "message": ""}).encode(),
        json.dumps({"sender": "x", "message": None}).encode(),
        json.dumps({"sender": "x", "message": "a" * 30_000}).encode(),
    ],
)
def test_malformed_requests_get_a_400_with_a_reason(assistant: Assistant, raw: bytes) -> None:
    status, body = http_error(assistant, raw)
    assert status == 400
    assert body["error"] and "Traceback" not in body["error"]


def test_ten_thousand_characters_get_a_polite_answer(assistant: Assistant) -> None:
    text = "je voudrais des informations sur les essais " * 230  # ~10,000 characters
    assert len(text) >= 10_000
    reply = assistant.text(text[:10_000], sender(), lang="fr")
    assert "très long" in reply


# A polite "not understood" or "outside what I can do", in the page's language.
NOT_UNDERSTOOD = {
    "fr": ("reformuler", "sort de ce que je sais faire"),
    "en": ("rephrase", "outside what I can help with"),
}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("😀😀😀", "fr"),
        ("🙏", "en"),
        ("<script>alert(1)</script>", "fr"),
        ("<img src=x onerror=alert(1)>", "en"),
    ],
)
def test_odd_messages_get_a_polite_answer(assistant: Assistant, text: str, lang: str) -> None:
    reply = assistant.text(text, sender(), lang=lang)
    assert any(fragment in reply for fragment in NOT_UNDERSTOOD[lang]), reply


@pytest.mark.parametrize(
    ("text", "lang"),
    [("'; DROP TABLE trials; --", "en"), ("SELECT * FROM trials WHERE 1=1; --", "fr"),
     ("melanoma' OR '1'='1", "en")],
)
def test_sql_fragments_are_only_text(assistant: Assistant, text: str, lang: str) -> None:
    replies = assistant.send(text, sender(), lang=lang)
    assert replies and all(r.get("text") or r.get("custom") for r in replies)
    # The store is intact: a real search still finds the melanoma trials.
    after = assistant.send("trials for melanoma", sender(), lang="en")
    ids = {c["id"] for r in after if r.get("custom") for c in r["custom"]["cards"]}
    assert {"NCT04114136", "NCT04318717"} <= ids


@pytest.mark.parametrize(
    "text", ["Ich möchte wissen, ob es eine Studie für Melanom gibt", "我想知道免疫疗法的副作用是什么"]
)
def test_other_languages_are_told_which_languages_we_speak(assistant: Assistant, text: str) -> None:
    reply = assistant.text(text, sender(), lang="fr")
    assert "français et l'anglais" in reply and "French and English" in reply


def test_the_http_api_needs_the_token(assistant: Assistant) -> None:
    request = urllib.request.Request(
        f"{assistant.settings.rasa_url}/model/parse",
        data=json.dumps({"text": "bonjour"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310
    assert caught.value.code == 401
    assert assistant.parse("bonjour")["intent"]["name"] == "greet"  # with the token


def test_conversations_are_stored_and_nothing_is_lost(assistant: Assistant) -> None:
    who = sender()
    assistant.text("<b>bonjour</b> 😀", who, lang="fr")
    request = urllib.request.Request(assistant.settings.rasa_api_url(f"/conversations/{who}/tracker"))
    with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
        events = json.loads(reply.read())["events"]
    texts = [e.get("text") for e in events if e.get("event") == "user"]
    assert texts == ["<b>bonjour</b> 😀"]


def _listening_addresses(port: int) -> set[str]:
    """Local addresses listening on ``port``, read from /proc/net/tcp (IPv4)."""
    found = set()
    for line in open("/proc/net/tcp", encoding="ascii").read().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:  # 0A = LISTEN
            found.add(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


def test_servers_listen_on_localhost_only(assistant: Assistant) -> None:
    settings = assistant.settings
    for port in (settings.action_port, settings.rasa_port, settings.web_port):
        assert _listening_addresses(port) == {"127.0.0.1"}, port
