"""Benchmark of the production stack: throughput of N = 1 against N = 2 Rasa instances.

    python -m bench.stack                 # N = 1 and N = 2, 10 conversations, 40 s each
    python -m bench.stack --seconds 60 --conversations 20

Both go through nginx, with the PostgreSQL tracker store and the Redis lock store (each run in
a database and a key prefix of its own), so only N changes. Closed loop: every conversation
sends its next message as soon as the previous one is answered. Prints one table. The
figures are wall-clock on this machine: a shared machine makes them noisy; each Rasa process
uses one core at most (OPENBLAS_NUM_THREADS=1), so N = 2 can only help with 2 free cores.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import uuid
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from bench import load  # noqa: E402
from bench.assistant import MESSAGES, NO_RATE_LIMITS, percentile  # noqa: E402
from bot.faq.service import train as ensure_model  # noqa: E402 (FAQ files built, then trained if needed)
from bot.runtime import launcher, nginx  # noqa: E402
from bot.runtime.launcher import Service, free_port  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402
from tests.e2e.stack import free_port_pair  # noqa: E402
from tests.stores.helpers import postgres_database  # noqa: E402


def _settings(instances: int, tracker_url: str, data_dir: Path) -> Settings:
    return replace(
        load_settings(), host="127.0.0.1", rasa_instances=instances, rasa_port=free_port_pair(),
        action_port=free_port(), web_port=free_port(), public_port=free_port(),
        metrics_port=free_port_pair(), database_url=f"sqlite:///{data_dir / 'trials.db'}",
        tracker_store_url=tracker_url,
        lock_store_url=f"redis://127.0.0.1:6379/0?prefix=bench{uuid.uuid4().hex[:8]}",
    )


def _services(settings: Settings, model: Path, data_dir: Path) -> list[Service]:
    services = launcher.build_services(settings, model, data_dir / "endpoints.yml")
    if not settings.behind_nginx:  # N = 1 behind nginx too, so that only N changes
        services.append(Service("nginx", nginx.command(settings, data_dir / "nginx"),
                                ready=lambda: launcher._http_ok(settings.front_url + nginx.HEALTH_PATH)))
    return services


def closed_loop(url: str, conversations: int, seconds: float) -> tuple[list[float], int, float]:
    """(latencies in ms, errors, wall seconds) of ``conversations`` visitors for ``seconds``,
    with the assistant bench's load generator (asyncio: it takes little of the cores it shares
    with the stack; each visit is the bench mix once, then a new visitor)."""
    target = load.Target(webhook_url=url, parse_url="")
    outcome = load.closed_loop([load.conversation(target, MESSAGES) for _ in range(conversations)], seconds)
    return outcome.latencies_ms, outcome.errors, outcome.wall_s


def measure(instances: int, model: Path, conversations: int, seconds: float) -> dict[str, str]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"bench-stack-{instances}-"))
    with postgres_database() as tracker_url:
        settings = _settings(instances, tracker_url, data_dir)
        os.environ.update({"WEB_PORT": str(settings.web_port), "DATABASE_URL": settings.database_url,
                           "RASA_INSTANCES": str(instances), "PUBLIC_PORT": str(settings.public_port),
                           **NO_RATE_LIMITS})
        launcher.prepare_store(settings)
        services = _services(settings, model, data_dir)
        url = f"{settings.front_url}/webhooks/rest/webhook"
        try:
            for service in services:
                launcher.start(service)
            launcher.wait_ready(services)
            closed_loop(url, conversations, 5)  # warm-up
            latencies, errors, wall = closed_loop(url, conversations, seconds)
        finally:
            launcher.stop(services)
    return {
        "messages": f"{len(latencies)}",
        "errors": f"{errors}",
        "throughput (messages/s)": f"{len(latencies) / wall:.1f}",
        "p50 (ms)": f"{statistics.median(latencies):.0f}" if latencies else "-",
        "p95 (ms)": f"{percentile(latencies, 95):.0f}" if latencies else "-",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--conversations", type=int, default=10)
    args = parser.parse_args()
    model = ensure_model()
    results = {n: measure(n, model, args.conversations, args.seconds) for n in (1, 2)}
    one, two = (float(results[n]["throughput (messages/s)"]) for n in (1, 2))
    rows = list(results[1])
    ratio = "N = 2 / N = 1 throughput"
    width = max(len(r) for r in [*rows, ratio])
    print(f"\n{args.conversations} closed-loop conversations through nginx, {args.seconds:.0f} s, "
          f"{os.cpu_count()} cores (shared)")
    print(f"{'measure':<{width}} | {'N = 1':>8} | {'N = 2':>8}")
    print(f"{'-' * width}-|-{'-' * 8}-|-{'-' * 8}")
    for row in rows:
        print(f"{row:<{width}} | {results[1][row]:>8} | {results[2][row]:>8}")
    print(f"{ratio:<{width}} | {'':>8} | {two / one if one else float('nan'):>7.2f}x")


if __name__ == "__main__":
    main()
