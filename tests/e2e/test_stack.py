"""The production stack: `bot run --rasa-instances 2`, nginx in front, PostgreSQL + Redis, and
the drills: `kill -9` of a Rasa instance, the action server or the page server under load.

One stack for the module (starting it takes a minute); each drill checks that nothing
acknowledged was lost or duplicated, that every conversation answers again within 5 s, and
that `bot run` restarted what was killed.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from bot.runtime.deploy import Outcome, running_model
from bot.settings import PROJECT_ROOT, load_settings
from tests.e2e.stack import (
    Client,
    Stack,
    post,
    running_stack,
    stack_env,
    stored_event_kinds,
    stored_user_texts,
    texts,
)
from tests.services import REDIS_HOST, REDIS_PORT, require_postgres, require_redis
from tests.stores.helpers import postgres_database

pytestmark = [pytest.mark.model, pytest.mark.postgres, pytest.mark.redis]

ANSWER_AGAIN_WITHIN_S = 5.0
CONVERSATIONS = 10


@pytest.fixture(scope="module")
def tracker_url() -> Iterator[str]:
    require_postgres()
    with postgres_database() as url:
        yield url


@pytest.fixture(scope="module")
def stack(trained_model: Path, tracker_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    import redis

    require_redis()
    prefix = f"stacktest{uuid.uuid4().hex[:10]}"
    tmp_path = tmp_path_factory.mktemp("stack")
    with running_stack(stack_env(tmp_path, tracker_url, prefix), tmp_path / "run.log") as running:
        yield running
    printed = running.printed()
    assert "Stopping" in printed and "Traceback" not in printed, printed
    keys = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
    for key in keys.scan_iter(f"{prefix}:*"):
        keys.delete(key)


NGINX_LOG = PROJECT_ROOT / "var" / "logs" / "nginx.log"  # nginx's access log, as JSON lines


def _upstreams(stack: Stack, since: int) -> list[str]:
    with NGINX_LOG.open(encoding="utf-8") as log:
        log.seek(since)
        lines = [json.loads(line)["message"] for line in log if line.strip()]
    upstreams = [m.split(" upstream=")[1].split()[0] for m in lines if "POST /webhooks/rest/webhook" in m]
    return [u for u in upstreams if u != "-"]  # "-": refused by nginx itself (earlier tests)


def _access_log_size() -> int:
    return NGINX_LOG.stat().st_size if NGINX_LOG.exists() else 0


def _raw(stack: Stack, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", int(stack.env["PUBLIC_PORT"])), timeout=10) as sock:
        sock.sendall(request)
        return sock.recv(4096)


def test_nginx_exposes_the_webhook_and_the_pages_only(stack: Stack) -> None:
    with urllib.request.urlopen(f"{stack.front}/fr/", timeout=10) as page:  # noqa: S310
        csp = page.headers["Content-Security-Policy"]
        assert f'data-rasa-url="{stack.front}"' in page.read().decode()
    assert f"connect-src 'self' {stack.front};" in csp  # the widget talks to its own origin
    for private in ("/status", "/model/parse", "/webhooks/rest/", "/conversations/x/tracker"):
        assert _raw(stack, f"GET {private} HTTP/1.1\r\nHost: x\r\n\r\n".encode()).startswith(b"HTTP/1.1 404")
    # Invalid framing never reaches Rasa: nginx answers 400 itself.
    bad = b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}"
    assert _raw(stack, bad).startswith(b"HTTP/1.1 400")
    # The reverse proxy (trusted) says who the visitor is: nginx logs that address.
    since = _access_log_size()
    forwarded = b"GET /en/ HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n"
    assert _raw(stack, forwarded).startswith(b"HTTP/1.1 200")
    deadline = time.monotonic() + 5
    while "GET /en/" not in NGINX_LOG.read_text()[since:] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert re.search(r'"message": "203\.0\.113\.9 \[[^"]*\] \\"GET /en/ ', NGINX_LOG.read_text()[since:])
    big = b"x" * 100_000
    too_big = b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(big), big)
    assert _raw(stack, too_big).startswith(b"HTTP/1.1 413")


def test_one_conversation_alternates_instances_and_stays_coherent(stack: Stack, tracker_url: str) -> None:
    sender = f"coherent-{uuid.uuid4().hex[:8]}"
    since = _access_log_size()
    status, replies = post(stack.front, sender, "y a-t-il un essai d'immunothérapie pour le mélanome ?")
    assert status == 200
    ids = [c["id"] for r in replies if r.get("custom") for c in r["custom"].get("cards", [])]
    assert len(ids) >= 2, replies
    # "the second one" only makes sense with the previous turn, answered by the other instance.
    status, replies = post(stack.front, sender, "le deuxième")
    assert status == 200 and texts(replies).startswith(ids[1]), replies
    for text in ("blablabla zzz", "blablabla zzz"):  # a second miss in a row hands over
        status, replies = post(stack.front, sender, text)
    assert "Je n'arrive toujours pas" in texts(replies)
    deadline = time.monotonic() + 5  # nginx logs a request just after answering it
    while len(_upstreams(stack, since)) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    upstreams = _upstreams(stack, since)
    assert len(upstreams) == 4 and len(set(upstreams)) == 2, upstreams  # both instances served
    assert all(a != b for a, b in zip(upstreams, upstreams[1:], strict=False)), upstreams  # alternately
    assert stored_user_texts(tracker_url)[sender] == [
        "y a-t-il un essai d'immunothérapie pour le mélanome ?", "le deuxième", "blablabla zzz", "blablabla zzz",
    ]


def test_twenty_concurrent_messages_of_one_conversation_are_all_stored_in_turn(
    stack: Stack, tracker_url: str
) -> None:
    sender = f"burst-{uuid.uuid4().hex[:8]}"
    sent = [f"bonjour {n}" for n in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = [status for status, _ in pool.map(lambda text: post(stack.front, sender, text, 120), sent)]
    assert statuses == [200] * 20
    stored = stored_user_texts(tracker_url)[sender]
    assert sorted(stored) == sorted(sent)  # every message, once
    # In turn: each message is answered (back to action_listen) before the next one starts.
    kinds = [k for k in stored_event_kinds(tracker_url, sender) if k == "user" or k == "action:action_listen"]
    assert kinds[-40:] == ["user", "action:action_listen"] * 20, kinds


def _metrics(stack: Stack) -> dict[tuple[str, str], float]:
    """{(series name, labels): value} over both instances' /metrics."""
    found: dict[tuple[str, str], float] = {}
    for index in range(2):
        port = int(stack.env["METRICS_PORT"]) + index
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as reply:  # noqa: S310
            for line in reply.read().decode().splitlines():
                match = re.match(r"^(bot_\w+)\{(.*)\} (\S+)$", line)
                if match:
                    found[(match[1], match[2])] = float(match[3])
    return found


def _total(metrics: dict[tuple[str, str], float], name: str, label: str = "") -> float:
    return sum(v for (n, labels), v in metrics.items() if n == name and label in labels)


def test_metrics_count_messages_fallbacks_emergencies_per_language_and_instance(stack: Stack) -> None:
    before = _metrics(stack)
    english, french = (f"metrics-{lang}-{uuid.uuid4().hex[:8]}" for lang in ("en", "fr"))
    for sender, text in [(english, "hello, what is immunotherapy?"),
                         (english, "I have a fever of 40 and I can't breathe"),
                         (french, "bonjour"), (french, "blablabla zzz"), (french, "blablabla zzz")]:
        assert post(stack.front, sender, text)[0] == 200
    after = _metrics(stack)

    def grew(name: str, label: str = "") -> float:
        return _total(after, name, label) - _total(before, name, label)

    assert grew("bot_messages_total", 'language="en"') == 2
    assert grew("bot_messages_total", 'language="fr"') == 3
    assert grew("bot_emergencies_total", 'language="en"') == 1
    assert grew("bot_fallbacks_total", 'language="fr"') >= 1
    assert grew("bot_dont_know_total", 'language="fr"') >= 1  # the second miss hands over
    assert grew("bot_reply_seconds_count") == 5
    instances = {labels for (name, labels) in after if name == "bot_reply_seconds_count"}
    assert instances == {'rasa_instance="rasa-1"', 'rasa_instance="rasa-2"'}


def _drill(stack: Stack, tracker_url: str, kill: int, back: str, back_within_s: float) -> list[float]:
    """10 conversations under load, ``kill -9`` of pid ``kill``; returns the answer-again delays."""
    clients = [Client(stack.front) for _ in range(CONVERSATIONS)]
    stop = threading.Event()
    threads = [threading.Thread(target=c.run, args=(stop,)) for c in clients]
    for thread in threads:
        thread.start()
    try:
        time.sleep(4)  # under load
        printed_before = len(stack.printed())
        os.kill(kill, signal.SIGKILL)
        killed_at = time.monotonic()
        stack.wait_for(f"{back} is back", back_within_s, after=printed_before)
        back_at = time.monotonic()
        deadline = time.monotonic() + 30
        while any(c.answered_again_after(killed_at) is None for c in clients) and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(2)  # a few messages after the restart, too
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert stack.process.poll() is None, stack.printed()  # `bot run` kept going
    stored = stored_user_texts(tracker_url)
    for client in clients:
        mine = stored.get(client.sender, [])
        assert len(mine) == len(set(mine)), f"duplicates in {client.sender}: {mine}"
        sent = [s.text for s in client.sent]
        assert set(client.acknowledged()) <= set(mine), "an acknowledged message was lost"
        assert mine == [t for t in sent if t in mine], "stored out of order"
    delays = [c.answered_again_after(killed_at) for c in clients]
    worst = max((d for d in delays if d is not None), default=float("nan"))
    print(f"\n{back} killed: back after {back_at - killed_at:.1f} s; conversations answered again "
          f"after {worst:.1f} s at worst; {sum(len(c.sent) for c in clients)} messages, "
          f"{sum(s.status != 200 for c in clients for s in c.sent)} not acknowledged, 0 lost, 0 duplicated")
    print("bot run said: " + " | ".join(stack.printed()[printed_before:].strip().splitlines()))
    assert all(d is not None and d <= ANSWER_AGAIN_WITHIN_S for d in delays), delays
    return delays  # type: ignore[return-value]


@pytest.mark.drill
def test_drill_kill_a_rasa_instance(stack: Stack, tracker_url: str) -> None:
    _drill(stack, tracker_url, stack.rasa_pid(1), "rasa-2", back_within_s=180)


@pytest.mark.drill
def test_drill_kill_the_action_server(stack: Stack, tracker_url: str) -> None:
    _drill(stack, tracker_url, stack.child("bot.action_server"), "actions", back_within_s=60)


@pytest.mark.drill
def test_drill_kill_the_page_server(stack: Stack, tracker_url: str) -> None:
    _drill(stack, tracker_url, stack.child("bot.web"), "web", back_within_s=60)
    with urllib.request.urlopen(f"{stack.front}/en/", timeout=10) as page:  # noqa: S310
        assert page.status == 200


def test_publishing_reaches_every_instance(stack: Stack, trained_model: Path, tmp_path: Path) -> None:
    from bot.runtime.publish import publish_model

    settings = replace(load_settings(), rasa_port=int(stack.env["RASA_PORT"]), rasa_instances=1)
    both = replace(settings, rasa_instances=2)
    copy = tmp_path / "curie-published-copy.tar.gz"  # the same model under a new name
    shutil.copy(trained_model, copy)
    try:
        result = publish_model(settings, copy)  # finds both instances (var/rasa-instances)
        assert result.outcome is Outcome.LOADED, result.message
        assert len(result.instances) == 2
        assert [running_model(both.instance(i)) for i in range(2)] == [copy.name] * 2
        status, replies = post(stack.front, f"pub-{uuid.uuid4().hex[:6]}", "qui dirige le centre ?")
        assert status == 200 and "Sebastian Amigorena" in texts(replies)
        # An instance restarted later loads the published model, not the one of start-up.
        printed_before = len(stack.printed())
        os.kill(stack.rasa_pid(0), signal.SIGKILL)
        stack.wait_for("rasa-1 is back", 180, after=printed_before)
        assert running_model(both.instance(0)) == copy.name
    finally:
        publish_model(settings, trained_model)
