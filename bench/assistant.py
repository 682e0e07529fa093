"""Benchmark of the whole assistant: training, start-up, memory and REST reply latency.

    python -m bench.assistant            # everything (trains a fresh copy of the model)
    python -m bench.assistant --no-train # reuse the current model, measure the rest

Prints one table, with the prototype's figures beside ours. Run it on a quiet machine: the
figures are wall-clock times on this machine's 2 cores.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from bench.stats import percentile  # noqa: E402
from bot.limits import NO_RATE_LIMIT  # noqa: E402
from bot.runtime import launcher  # noqa: E402
from bot.runtime.launcher import free_port  # noqa: E402
from bot.runtime.model import CONFIG, DATA_DIRS, DOMAIN_DIR, ensure_model, rasa_env, rasa_executable  # noqa: E402
from bot.settings import PROJECT_ROOT, Settings, load_settings  # noqa: E402

PROTOTYPE = {
    "training (s)": "70",
    "start to first answer (s)": "34 (model load)",
    "RSS rasa (MiB)": "1.17 GB",
    "REST p50 sequential (ms)": "18",
}

# What patients ask, in both languages: FAQ, small talk, trials, safety, fallback.
MESSAGES = [
    ("bonjour", "fr"), ("c'est quoi l'immunothérapie ?", "fr"), ("qui dirige le centre", "fr"),
    ("quels sont les effets secondaires", "fr"), ("essais pour le mélanome", "fr"),
    ("j'ai 40 de fièvre", "fr"), ("merci beaucoup", "fr"), ("blablabla zzz", "fr"),
    ("hello", "en"), ("what is immunotherapy?", "en"), ("who runs the center", "en"),
    ("what are the side effects", "en"), ("trials for lung cancer", "en"),
    ("I can't breathe", "en"), ("thanks a lot", "en"), ("tell me about NCT04956640", "en"),
]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure_training() -> float:
    """Cold training: a fresh output folder and an empty Rasa cache."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-train-"))
    env = {**rasa_env(), "RASA_CACHE_DIRECTORY": str(scratch / "cache")}
    command = [
        rasa_executable(), "train", "--config", str(CONFIG), "--domain", str(DOMAIN_DIR),
        "--data", *map(str, DATA_DIRS), "--out", str(scratch), "--fixed-model-name", "bench",
    ]
    started = time.monotonic()
    subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
    elapsed = time.monotonic() - started
    shutil.rmtree(scratch, ignore_errors=True)
    return elapsed


def post(url: str, sender: str, text: str, lang: str) -> float:
    body = json.dumps({"sender": sender, "message": text, "metadata": {"lang": lang}}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as reply:  # noqa: S310 (local URL)
        reply.read()
    return (time.perf_counter() - started) * 1000


def conversations(url: str, count: int) -> list[tuple[str, float]]:
    """`count` conversations, one after the other, each a new visitor asking MESSAGES in turn
    (16 messages: a long visit; Rasa reloads the whole conversation at every message)."""
    timings = []
    for _ in range(count):
        sender = f"bench-{uuid.uuid4().hex[:10]}"
        timings += [(text, post(url, sender, text, lang)) for text, lang in MESSAGES]
    return timings


def slowest(timings: list[tuple[str, float]]) -> str:
    by_text: dict[str, list[float]] = {}
    for text, ms in timings:
        by_text.setdefault(text, []).append(ms)
    text, values = max(by_text.items(), key=lambda item: statistics.median(item[1]))
    return f"{statistics.median(values):.0f} ({text})"


# Capacity benchmarks send many messages from one address: the per-client and per-conversation
# rate limits (bot/limits.py) would measure themselves. bench/flood.py measures them on purpose.
NO_RATE_LIMITS = {"RATE_LIMIT_PER_CLIENT": NO_RATE_LIMIT, "RATE_LIMIT_PER_CONVERSATION": NO_RATE_LIMIT}


def bench_settings(data_dir: Path, **environment: str) -> Settings:
    """Settings on free ports with stores in ``data_dir``, also exported for the children."""
    settings = replace(
        load_settings(), rasa_port=free_port(), action_port=free_port(), web_port=free_port(),
        database_url=f"sqlite:///{data_dir / 'trials.db'}",
        tracker_store_url=f"sqlite:///{data_dir / 'conversations.db'}",
    )
    os.environ.update({
        "WEB_PORT": str(settings.web_port), "DATABASE_URL": settings.database_url,
        "TRACKER_STORE_URL": settings.tracker_store_url, **environment,
    })
    return replace(settings, **_settings_of(environment))


def _settings_of(environment: dict[str, str]) -> dict[str, str]:
    """The settings fields these variables change (the ones the benchmarks print)."""
    names = {"RATE_LIMIT_PER_CLIENT": "rate_limit_per_client", "TRUSTED_PROXY_HEADER": "trusted_proxy_header"}
    return {names[k]: v for k, v in environment.items() if k in names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-train", action="store_true", help="skip the cold training run")
    parser.add_argument("--rounds", type=int, default=8, help="sequential conversations")
    args = parser.parse_args()

    rows: list[tuple[str, str]] = []
    if not args.no_train:
        rows.append(("training (s)", f"{measure_training():.0f}"))
    model = ensure_model()

    data_dir = Path(tempfile.mkdtemp(prefix="bench-run-"))
    settings = bench_settings(data_dir, **NO_RATE_LIMITS)
    launcher.prepare_store(settings)
    services = launcher.build_services(settings, model, data_dir / "endpoints.yml")
    url = f"{settings.rasa_url}/webhooks/rest/webhook"
    try:
        started = time.monotonic()
        for service in services:
            launcher.start(service)
        launcher.wait_ready(services)
        post(url, "bench-first", "bonjour", "fr")
        rows.append(("start to first answer (s)", f"{time.monotonic() - started:.1f}"))

        conversations(url, 1)  # warm-up
        sequential_timed = conversations(url, args.rounds)
        sequential = [ms for _, ms in sequential_timed]
        with ThreadPoolExecutor(max_workers=10) as pool:
            started = time.monotonic()
            results = list(pool.map(lambda _: conversations(url, max(1, args.rounds // 4)), range(10)))
            wall = time.monotonic() - started
        concurrent = [ms for result in results for _, ms in result]
        for service in services:
            assert service.process is not None
            rows.append((f"RSS {service.name} (MiB)", f"{rss_mb(service.process.pid):,.0f}"))
        rows += [
            ("REST p50 sequential (ms)", f"{statistics.median(sequential):.1f}"),
            ("REST p95 sequential (ms)", f"{percentile(sequential, 95):.1f}"),
            ("slowest message, p50 sequential (ms)", slowest(sequential_timed)),
            ("REST p50, 10 concurrent conversations (ms)", f"{statistics.median(concurrent):.1f}"),
            ("REST p95, 10 concurrent conversations (ms)", f"{percentile(concurrent, 95):.1f}"),
            ("throughput, 10 concurrent (messages/s)", f"{len(concurrent) / wall:.0f}"),
            ("messages measured (sequential / concurrent)", f"{len(sequential)} / {len(concurrent)}"),
        ]
    finally:
        launcher.stop(services)
        shutil.rmtree(data_dir, ignore_errors=True)

    width = max(len(name) for name, _ in rows)
    print(f"\n{'measure':<{width}} | {'ours':>12} | prototype")
    print(f"{'-' * width}-|-{'-' * 12}-|-{'-' * 16}")
    for name, value in rows:
        print(f"{name:<{width}} | {value:>12} | {PROTOTYPE.get(name, '')}")


if __name__ == "__main__":
    main()
