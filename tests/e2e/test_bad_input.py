"""Bad input to the running assistant: a clear polite answer or a clear HTTP error."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from bot.limits import MAX_MESSAGE_CHARS
from tests.conftest import Assistant
from tests.unit.http_raw import BAD_FRAMING, raw_request

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
        json.dumps({"sender": "x", "message": "a" * 70_000}).encode(),  # over the 64 KiB body limit
    ],
)
def test_malformed_requests_get_a_400_with_a_reason(assistant: Assistant, raw: bytes) -> None:
    status, body = http_error(assistant, raw)
    assert status == 400
    assert body["error"] and "Traceback" not in body["error"]


@pytest.mark.parametrize(("lang", "fragment"), [("fr", "trop long"), ("en", "too long")])
def test_a_message_over_the_limit_gets_a_polite_413_in_the_page_language(
    assistant: Assistant, lang: str, fragment: str
) -> None:
    """One limit (bot/limits.py): refused before the NLU, which cost ~1 s per 20,000 characters."""
    text = "je voudrais des informations sur les essais " * 30  # ~1,300 characters
    assert len(text) > MAX_MESSAGE_CHARS
    status, body = http_error(assistant, json.dumps({"sender": sender(), "message": text,
                                                     "metadata": {"lang": lang}}).encode())
    assert status == 413 and fragment in body["error"] and "112" in body["error"]


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


# -- the conversation survives bad input ---------------------------------------------------


def card_ids(replies: list[dict]) -> list[str]:
    return [c["id"] for r in replies if r.get("custom") for c in r["custom"].get("cards", [])]


def english_trial_conversation(assistant: Assistant) -> tuple[str, list[str]]:
    who = sender()
    ids = card_ids(assistant.send("is there an immunotherapy trial for lung cancer?", who, lang="en"))
    assert len(ids) >= 2
    return who, ids


def assert_intact(assistant: Assistant, who: str, ids: list[str]) -> None:
    """The trial list and the language survived: "the second one" is that trial, in English."""
    details = assistant.text("the second one", who)
    assert details.startswith(ids[1]) and "Status" in details


def bad_bodies(who: str) -> dict[str, bytes]:
    return {
        "lone surrogate (was a 500)": b'{"sender": "%s", "message": "\\ud800"}' % who.encode(),
        "metadata nested 1000 deep (was a 500)": b'{"sender": "%s", "message": "hi", "metadata": ' % who.encode()
        + b"[" * 1000 + b"]" * 1000 + b"}",
        "metadata nested 6 deep": json.dumps({"sender": who, "message": "hi", "metadata": {"a": [[[[[1]]]]]}}).encode(),
        "message a number": json.dumps({"sender": who, "message": 12}).encode(),
        "message only slashes": json.dumps({"sender": who, "message": "///"}).encode(),
        "NUL bytes in JSON": b'{"sender": "%s", "message": "\x00"}' % who.encode(),
        "sender with a path": json.dumps({"sender": "../../etc/passwd", "message": "hi"}).encode(),
        "a 72,000-byte body": json.dumps({"sender": who, "message": "é" * 12_000}).encode(),
    }


@pytest.mark.parametrize("case", list(bad_bodies("x")))
def test_bad_bodies_get_a_400_and_the_conversation_is_intact(assistant: Assistant, case: str) -> None:
    who, ids = english_trial_conversation(assistant)
    status, body = http_error(assistant, bad_bodies(who)[case])
    assert status == 400 and body["error"] and "Traceback" not in body["error"]
    assert_intact(assistant, who, ids)


@pytest.mark.parametrize("header", list(BAD_FRAMING.values()), ids=list(BAD_FRAMING))
def test_bad_framing_gets_a_400_and_rasa_keeps_answering(assistant: Assistant, header: str) -> None:
    """Finding: `Content-Length: -1` froze Sanic for good; `abc` was a 500."""
    who, ids = english_trial_conversation(assistant)
    head = f"POST /webhooks/rest/webhook HTTP/1.1\nHost: x\nContent-Type: application/json\n{header}"
    status, body = raw_request(assistant.settings.rasa_port, head, b'{"sender": "%s", "message": "hi"}' % who.encode())
    assert status == 400 and b"Bad Request" in body
    assert_intact(assistant, who, ids)


@pytest.mark.parametrize("typed", ["/restart", "/session_start", "/back", '/faq{"x": "y"}', "/greet"])
def test_typed_commands_are_answered_as_text_without_a_reset(assistant: Assistant, typed: str) -> None:
    """Finding: these gave an empty reply or silently reset the conversation and its language."""
    who, ids = english_trial_conversation(assistant)
    replies = assistant.send(typed, who)
    assert replies and any(r.get("text") for r in replies)
    assert_intact(assistant, who, ids)


def test_a_flooding_conversation_gets_a_polite_429_and_others_are_answered(assistant: Assistant) -> None:
    who = sender()
    statuses = []
    for _ in range(30):  # the test assistant allows 12 in a row, then 1 a second
        try:
            assistant.send("bonjour", who, lang="fr", timeout=10)
            statuses.append(200)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
            body = json.loads(error.read())
            break
    assert statuses[-1] == 429 and statuses.count(200) >= 12
    assert "patientez quelques secondes" in body["error"]
    assert assistant.text("bonjour", sender(), lang="fr")  # another conversation is served


def test_the_health_check_reports_the_conversation_store(assistant: Assistant) -> None:
    with urllib.request.urlopen(f"{assistant.settings.rasa_url}/webhooks/rest/", timeout=10) as reply:  # noqa: S310
        assert json.loads(reply.read()) == {"status": "ok", "conversation_store": "up"}


def test_personal_data_is_stored_masked(assistant: Assistant) -> None:
    who = sender()
    assistant.text("my email is paul.martin@example.org and my phone 06 12 34 56 78, NCT04956640", who, lang="en")
    database = Path(assistant.settings.tracker_store_url.removeprefix("sqlite:///"))
    wal = database.with_name(database.name + "-wal")  # WAL mode: the latest writes are in the log
    raw = database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"paul.martin@example.org" not in raw and b"06 12 34 56 78" not in raw
    assert who.encode() in raw and b"NCT04956640" in raw


def test_the_action_server_refuses_a_forged_call(assistant: Assistant) -> None:
    forged = json.dumps({"next_action": "action_more_trials", "tracker": {"sender_id": "x", "slots": {
        "trial_search": {"query": {"include_hidden": True}}}}}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{assistant.settings.action_port}/webhook", data=forged,
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310
    assert caught.value.code == 401 and b"include_hidden" not in caught.value.read()
