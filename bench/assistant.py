"""Benchmark of the whole assistant against stock Rasa on the same data: one table.

    python -m bench.assistant              # ours and stock Rasa, full durations (~10 min)
    python -m bench.assistant --quick      # short runs: a smoke test, figures not comparable
    python -m bench.assistant --no-stock   # ours only
    python -m bench.assistant --no-train   # skip our cold training run

Stock Rasa is the pipeline `rasa init` writes (bench/stock_config.yml: DIET, ResponseSelector)
with our domain, data, rules and action server, served by Rasa's own CLI; its model is trained
once and cached (bench/stock.py), so its training time is the cached training's. Each
assistant is started on free ports with SQLite stores of its own and measured in turn: start
to first answer, NLU parse-only throughput, closed-loop conversations (1, 10, 50), an open
loop (50 conversations, one message every 3 s), parse-only and full messages again in
alternating 5 s slices (their ratio does not depend on the machine's speed drifting between
measures minutes apart), then the RSS of its Rasa process. Rate limits
are off. The figures are wall-clock on this machine's cores: run it on a quiet machine.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from bench import load, report  # noqa: E402
from bench.load import Outcome, Target  # noqa: E402
from bench.stats import percentile  # noqa: E402, F401 (bench.flood and bench.stack import it from here)
from bot.errors import BotError  # noqa: E402
from bot.faq.service import train as ensure_model  # noqa: E402 (FAQ files built, then trained if needed)
from bot.limits import NO_RATE_LIMIT  # noqa: E402
from bot.runtime import launcher  # noqa: E402
from bot.runtime.launcher import Service, free_port  # noqa: E402
from bot.runtime.model import rasa_env, rasa_executable
from bot.settings import CONFIG_FILE, DATA_DIRS, DOMAIN_DIR, PROJECT_ROOT, Settings, load_settings  # noqa: E402  # noqa: E402

# What patients ask, in both languages: FAQ, small talk, trials, safety, fallback.
MESSAGES = [
    ("bonjour", "fr"), ("c'est quoi l'immunothérapie ?", "fr"), ("qui dirige le centre", "fr"),
    ("quels sont les effets secondaires", "fr"), ("essais pour le mélanome", "fr"),
    ("j'ai 40 de fièvre", "fr"), ("merci beaucoup", "fr"), ("blablabla zzz", "fr"),
    ("hello", "en"), ("what is immunotherapy?", "en"), ("who runs the center", "en"),
    ("what are the side effects", "en"), ("trials for lung cancer", "en"),
    ("I can't breathe", "en"), ("thanks a lot", "en"), ("tell me about NCT04956640", "en"),
]

CLOSED_CONVERSATIONS = (1, 10, 50)
OPEN_CONVERSATIONS, OPEN_INTERVAL_S = 50, 3.0
PARSE_CLIENTS = 10


@dataclass(frozen=True)
class Durations:
    warmup_s: float
    parse_s: float
    closed_s: float  # each number of conversations
    open_s: float
    # parse-only and full messages, PARSE_CLIENTS each, in alternating slices of slice_s
    paired_slices: int = 6
    slice_s: float = 5.0


FULL = Durations(warmup_s=5, parse_s=20, closed_s=30, open_s=60)
QUICK = Durations(warmup_s=2, parse_s=3, closed_s=4, open_s=9, paired_slices=2, slice_s=1)


@dataclass
class Figures:
    """One assistant's measures."""

    training: str  # a cell: how it was measured differs (cold now, or the cached training's)
    first_answer_s: float = float("nan")
    rss_mb: float = float("nan")
    parse: Outcome = field(default_factory=Outcome)
    closed: dict[int, Outcome] = field(default_factory=dict)
    open: Outcome = field(default_factory=Outcome)
    paired_parse: Outcome = field(default_factory=Outcome)
    paired_full: Outcome = field(default_factory=Outcome)


def rss_mb(pid: int) -> float:
    """Resident memory in MB (10^6 bytes, as the goal is written)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
    return float("nan")


def measure_training() -> float:
    """Cold training: a fresh output folder and an empty Rasa cache."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-train-"))
    env = {**rasa_env(), "RASA_CACHE_DIRECTORY": str(scratch / "cache")}
    command = [
        rasa_executable(), "train", "--config", str(CONFIG_FILE), "--domain", str(DOMAIN_DIR),
        "--data", *map(str, DATA_DIRS), "--out", str(scratch), "--fixed-model-name", "bench",
    ]
    started = time.monotonic()
    subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
    elapsed = time.monotonic() - started
    shutil.rmtree(scratch, ignore_errors=True)
    return elapsed


def post(url: str, sender: str, text: str, lang: str) -> float:
    """One message on the REST channel, its latency in ms (bench.stack's threads use it)."""
    import json
    import urllib.request

    body = json.dumps({"sender": sender, "message": text, "metadata": {"lang": lang}}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as reply:  # noqa: S310 (local URL)
        reply.read()
    return (time.perf_counter() - started) * 1000


# Capacity benchmarks send many messages from one address: the per-client and per-conversation
# rate limits (bot/limits.py) would measure themselves. bench/flood.py measures them on purpose.
NO_RATE_LIMITS = {"RATE_LIMIT_PER_CLIENT": NO_RATE_LIMIT, "RATE_LIMIT_PER_CONVERSATION": NO_RATE_LIMIT}


def bench_settings(data_dir: Path, **environment: str) -> Settings:
    """Settings on free ports with stores in ``data_dir``, also exported for the children."""
    settings = replace(
        load_settings(), rasa_port=free_port(), action_port=free_port(), web_port=free_port(),
        metrics_port=free_port(),
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


def ours(settings: Settings, model: Path, data_dir: Path) -> list[Service]:
    """The assistant as `bot run` starts it: action server, Rasa with our fixes, chat page."""
    return launcher.build_services(settings, model, data_dir / "endpoints.yml")


def stock(settings: Settings, model: Path, data_dir: Path) -> list[Service]:
    """Rasa's own CLI with the stock model, and the same action server."""
    from bench.stock import rasa_service

    actions = [s for s in launcher.build_services(settings, model, data_dir / "endpoints.yml") if s.name == "actions"]
    return [*actions, rasa_service(settings, model, data_dir)]


@contextmanager
def started(services: list[Service], settings: Settings) -> Iterator[float]:
    """Starts ``services``; yields the seconds from the start to the first answer of a message."""
    try:
        begin = time.monotonic()
        for service in services:
            launcher.start(service)
        launcher.wait_ready(services)
        post(f"{settings.rasa_url}/webhooks/rest/webhook", "bench-first", "bonjour", "fr")
        yield time.monotonic() - begin
    finally:
        launcher.stop(services)


def progress(text: str) -> None:
    """What the bench is doing (a full run takes minutes), on stderr: stdout keeps the table."""
    print(f"bench.assistant: {text}", file=sys.stderr, flush=True)


def measure(services: list[Service], settings: Settings, durations: Durations, figures: Figures) -> None:
    target = Target(f"{settings.rasa_url}/webhooks/rest/webhook", settings.rasa_api_url("/model/parse"))

    def conversations(count: int) -> list[load.Send]:
        return [load.conversation(target, MESSAGES) for _ in range(count)]

    with started(services, settings) as first_answer_s:
        figures.first_answer_s = first_answer_s
        progress(f"first answer after {first_answer_s:.1f} s; warm-up, then parse-only")
        load.closed_loop(conversations(2), durations.warmup_s)
        figures.parse = load.closed_loop([load.parsing(target, MESSAGES)] * PARSE_CLIENTS, durations.parse_s)
        for count in CLOSED_CONVERSATIONS:
            progress(f"closed loop, {count} conversation(s), {durations.closed_s:.0f} s")
            figures.closed[count] = load.closed_loop(conversations(count), durations.closed_s)
        progress(f"open loop, {durations.open_s:.0f} s")
        figures.open = load.open_loop(conversations(OPEN_CONVERSATIONS), OPEN_INTERVAL_S, durations.open_s)
        progress(f"parse-only and full messages in {2 * durations.paired_slices} alternating slices of {durations.slice_s:.0f} s")
        users = conversations(PARSE_CLIENTS)
        for _ in range(durations.paired_slices):
            add_to(figures.paired_parse, load.closed_loop([load.parsing(target, MESSAGES)] * PARSE_CLIENTS,
                                                          durations.slice_s))
            add_to(figures.paired_full, load.closed_loop(users, durations.slice_s))
        rasa = next(s for s in services if s.name.startswith("rasa"))
        assert rasa.process is not None
        figures.rss_mb = rss_mb(rasa.process.pid)


def add_to(total: Outcome, part: Outcome) -> None:
    """``part``'s messages and time counted in ``total`` (the slices of one paired measure)."""
    total.latencies_ms += part.latencies_ms
    total.errors += part.errors
    total.wall_s += part.wall_s


Assistant = Callable[[Settings, Path, Path], list[Service]]  # settings, model, data folder


def run_assistant(make: Assistant, model: Path, durations: Durations, figures: Figures) -> Figures:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-run-"))
    progress(f"starting {make.__name__} ({model.relative_to(PROJECT_ROOT)})")
    try:
        settings = bench_settings(data_dir, **NO_RATE_LIMITS)
        launcher.prepare_store(settings)
        measure(make(settings, model, data_dir), settings, durations, figures)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return figures


def rows(columns: list[Figures], durations: Durations) -> list[list[str]]:
    """The table's rows: a label, one cell per assistant, the goal of ours."""
    open_label = (f"open loop, {OPEN_CONVERSATIONS} conv. x 1 msg / {OPEN_INTERVAL_S:.0f} s "
                  f"for {durations.open_s:.0f} s")

    def row(label: str, cell: Callable[[Figures], str], goal: str = "") -> list[str]:
        return [label, *(cell(f) for f in columns), goal]

    table = [
        row("training (s)", lambda f: f.training),
        row("start to first answer (s)", lambda f: f"{f.first_answer_s:.1f}", "<= 10"),
        row("RSS of the Rasa process after the load (MB)", lambda f: f"{f.rss_mb:,.0f}", "<= 600"),
        row(f"NLU parse-only, {PARSE_CLIENTS} clients (msg/s)", lambda f: report.rate_cell(f.parse)),
    ]
    for count in CLOSED_CONVERSATIONS:
        name = f"closed loop, {count} conversation{'s' if count > 1 else ''}"
        table.append(row(f"{name} (msg/s)", lambda f, c=count: report.rate_cell(f.closed[c])))
        table.append(row(f"{name}: p50 / p95 (ms)", lambda f, c=count: report.percentiles_cell(f.closed[c])))
    table += [
        row(f"{open_label}: p50 / p95 (ms)", lambda f: report.percentiles_cell(f.open), "p95 <= 150"),
        row(f"{open_label}: late (> {OPEN_INTERVAL_S:.0f} s) / failed",
            lambda f: report.late_cell(f.open)),
        # capacity against capacity: the best closed loop's rate against parse-only's
        row("full messages (best closed loop) / parse-only rate",
            lambda f: report.share_cell(max(o.rate for o in f.closed.values()), f.parse.rate), ">= 60 %"),
        # the same ratio with both rates measured in turn, slice after slice: a machine whose
        # speed drifts between the measures above (minutes apart) blurs both sides alike here
        row(f"full / parse-only, {PARSE_CLIENTS} clients each, {2 * durations.paired_slices} alternating "
            f"{durations.slice_s:.0f} s slices (msg/s)",
            lambda f: f"{f.paired_full.rate:.1f} / {f.paired_parse.rate:.1f} = "
                      f"{report.share_cell(f.paired_full.rate, f.paired_parse.rate)}", ">= 60 %"),
    ]
    return table


def our_training(skip: bool) -> str:
    if skip:
        return "not measured (--no-train)"
    progress("cold training of ours (empty Rasa cache)")
    return f"{measure_training():.0f} (cold)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs: a smoke test of the bench")
    parser.add_argument("--no-stock", action="store_true", help="measure ours only")
    parser.add_argument("--no-train", action="store_true", help="skip our cold training run")
    parser.add_argument("--stock-model", type=Path, metavar="FOLDER",
                        help="a stock model already in FOLDER (e.g. var/bench/stock-<fingerprint>, "
                             "trained on earlier data) instead of the current inputs' (14 min to train)")
    args = parser.parse_args()
    durations = QUICK if args.quick else FULL
    load_at_start = os.getloadavg()[0]

    columns = [("ours", run_assistant(ours, ensure_model(), durations, Figures(our_training(args.no_train))))]
    if not args.no_stock:
        from bench.stock import ensure_stock_model, stock_model_in

        cached = stock_model_in(args.stock_model) if args.stock_model else ensure_stock_model()
        progress(f"stock model: {cached.path.relative_to(PROJECT_ROOT)}"
                 f"{' (given: its data may be older than ours)' if args.stock_model else ''}")
        how = "trained now" if cached.trained_now else "the cached model's training"
        figures = Figures(f"{cached.training_s:.0f} ({how})")
        columns.append(("stock Rasa", run_assistant(stock, cached.path, durations, figures)))

    print(f"\nAssistant bench{' (--quick: a smoke test, figures not comparable)' if args.quick else ''}: "
          f"{os.cpu_count()} cores, load average {load_at_start:.1f} at the start, rate limits off")
    header = ["measure", *(name for name, _ in columns), "goal (ours)"]
    print(report.table(header, rows([f for _, f in columns], durations)))


if __name__ == "__main__":
    try:
        main()
    except BotError as error:  # a missing --stock-model folder, a failed stock training
        sys.exit(f"bench: {error}")
