"""Flood benchmark: does one flooding client slow another user down?

    python -m bench.flood              # with the default limits (bot/limits.py, settings)
    python -m bench.flood --no-limits  # the same floods with the rate limits lifted

Starts the whole assistant on free ports (loopback only) with ``TRUSTED_PROXY_HEADER=X-Real-IP``,
as behind nginx, so that each flooding client has an address of its own (127.0.0.x in the
header). Another user meanwhile has a normal conversation; we print that user's latency and
what the floods got back. Every loop is bounded in count and time.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from bench.assistant import MESSAGES, NO_RATE_LIMITS, bench_settings, percentile  # noqa: E402
from bot.faq.service import train as ensure_model  # noqa: E402 (FAQ files built, then trained if needed)
from bot.limits import MAX_MESSAGE_CHARS  # noqa: E402
from bot.runtime import launcher  # noqa: E402

FLOODERS = 10
MAX_FLOOD_REQUESTS = 200_000  # per flooding thread: floods last as long as the other user's turn
MAX_FLOOD_SECONDS = 120.0


def post(url: str, sender: str, text: str, client: str, timeout: float = 30) -> tuple[int, float]:
    body = json.dumps({"sender": sender, "message": text, "metadata": {"lang": "fr"}}).encode()
    headers = {"Content-Type": "application/json", "X-Real-IP": client}
    request = urllib.request.Request(url, data=body, headers=headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 (loopback)
            reply.read()
            status = reply.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except OSError:
        status = 0
    return status, (time.perf_counter() - started) * 1000


def other_user(url: str, rounds: int) -> list[float]:
    """A normal conversation, one message at a time, 3 s apart (the per-conversation limit allows 20 a minute)."""
    sender = f"other-{uuid.uuid4().hex[:8]}"
    timings = []
    for i in range(rounds):
        text, _ = MESSAGES[i % len(MESSAGES)]
        status, ms = post(url, sender, text, "127.0.0.200")
        assert status == 200, f"the other user got {status}"
        timings.append(ms)
        time.sleep(3.0)
    return timings


def flood(url: str, index: int, text: str, stop: threading.Event) -> Counter[int]:
    statuses: Counter[int] = Counter()
    client = f"127.0.0.{10 + index}"
    deadline = time.monotonic() + MAX_FLOOD_SECONDS
    for _ in range(MAX_FLOOD_REQUESTS):
        if stop.is_set() or time.monotonic() > deadline:
            break
        status, _ = post(url, f"flood-{index}-{uuid.uuid4().hex[:6]}", text, client, timeout=60)
        statuses[status] += 1
    return statuses


def scenario(url: str, text: str | None, clients: int, rounds: int) -> tuple[list[float], Counter[int]]:
    if text is None:
        return other_user(url, rounds), Counter()
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        floods = [pool.submit(flood, url, i, text, stop) for i in range(clients)]
        time.sleep(1.0)  # let the flood build up
        try:
            timings = other_user(url, rounds)
        finally:
            stop.set()
        statuses = sum((f.result() for f in floods), Counter())
    return timings, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-limits", action="store_true", help="lift the rate limits (for comparison)")
    parser.add_argument("--rounds", type=int, default=16, help="messages of the other user per scenario")
    args = parser.parse_args()
    model = ensure_model()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-flood-"))
    environment = {"TRUSTED_PROXY_HEADER": "X-Real-IP"}
    if args.no_limits:
        environment |= NO_RATE_LIMITS
    settings = bench_settings(data_dir, **environment)
    launcher.prepare_store(settings)
    services = launcher.build_services(settings, model, data_dir / "endpoints.yml")
    url = f"{settings.rasa_url}/webhooks/rest/webhook"
    longest = ("je voudrais savoir s'il existe un essai pour mon cancer du poumon. " * 20)[:MAX_MESSAGE_CHARS]
    scenarios = [
        ("no flood", None, 0),
        ("1 client flooding 20,000-character messages", "a" * 20_000, 1),
        (f"1 client flooding {MAX_MESSAGE_CHARS}-character messages", longest, 1),
        (f"{FLOODERS} clients flooding 20,000-character messages", "a" * 20_000, FLOODERS),
        (f"{FLOODERS} clients flooding {MAX_MESSAGE_CHARS}-character messages", longest, FLOODERS),
    ]
    rows = []
    try:
        for service in services:
            launcher.start(service)
        launcher.wait_ready(services)
        other_user(url, 2)  # warm-up
        for name, text, clients in scenarios:
            timings, statuses = scenario(url, text, clients, args.rounds)
            got = ", ".join(f"{count}×{status}" for status, count in sorted(statuses.items())) or "-"
            rows.append((name, f"{statistics.median(timings):.0f}", f"{percentile(timings, 95):.0f}", got))
    finally:
        launcher.stop(services)
        shutil.rmtree(data_dir, ignore_errors=True)
    limits = "lifted" if args.no_limits else f"{settings.rate_limit_per_client} per client"
    print(f"\nFlood benchmark (rate limits: {limits}; other user: {args.rounds} messages, 3 s apart)\n")
    print(f"| {'scenario':<52} | other user p50 (ms) | p95 (ms) | flood replies (count×status) |")
    print(f"|{'-' * 54}|{'-' * 21}|{'-' * 10}|{'-' * 30}|")
    for name, p50, p95, got in rows:
        print(f"| {name:<52} | {p50:>19} | {p95:>8} | {got} |")


if __name__ == "__main__":
    main()
