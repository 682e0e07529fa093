"""Framework cost per message, side by side: a full message against its NLU parse alone.

    git archive <commit> | tar -x -C /tmp/before          # the code to compare against
    python -m bench.profile_message --before /tmp/before  # both Rasas, interleaved
    python -m bench.profile_message                       # this checkout only

One action server (this checkout's) serves both Rasa processes; each has its own SQLite
conversation store. Rounds alternate which Rasa goes first (the machine may be busy: compare
within one run). Each round is one new conversation of bench.assistant.MESSAGES per Rasa,
then the same messages through ``/model/parse``. Replies are compared message by message.
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
from dataclasses import dataclass, field, replace
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from bench.assistant import MESSAGES, NO_RATE_LIMITS, bench_settings, rss_mb  # noqa: E402
from bench.stats import percentile  # noqa: E402
from bot.faq.service import train as ensure_model  # noqa: E402 (FAQ files built, then trained if needed)
from bot.runtime import launcher  # noqa: E402
from bot.runtime.endpoints import write_endpoints  # noqa: E402
from bot.runtime.launcher import free_port  # noqa: E402
from bot.settings import PROJECT_ROOT, Settings  # noqa: E402


@dataclass
class Side:
    name: str
    settings: Settings
    service: launcher.Service
    full_ms: list[float] = field(default_factory=list)
    parse_ms: list[float] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    first_answer_s: float = 0.0
    full_cpu_ms: float = 0.0  # CPU time of the Rasa process: what a busy machine does not blur
    parse_cpu_ms: float = 0.0

    def cpu_ms(self) -> float:
        assert self.service.process is not None
        fields = Path(f"/proc/{self.service.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")  # utime + stime


def _post(url: str, body: dict) -> tuple[float, bytes]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as reply:  # noqa: S310 (local URL)
        data = reply.read()
    return (time.perf_counter() - started) * 1000, data


def _texts(reply: bytes) -> str:
    return json.dumps([m.get("text") or m.get("custom") for m in json.loads(reply)], ensure_ascii=False)


def conversation(side: Side) -> None:
    started = side.cpu_ms()
    url = f"{side.settings.rasa_url}/webhooks/rest/webhook"
    sender = f"prof-{uuid.uuid4().hex[:10]}"
    for text, lang in MESSAGES:
        ms, reply = _post(url, {"sender": sender, "message": text, "metadata": {"lang": lang}})
        side.full_ms.append(ms)
        side.replies.append(_texts(reply))
    side.full_cpu_ms += side.cpu_ms() - started


def parses(side: Side) -> None:
    started = side.cpu_ms()
    url = side.settings.rasa_api_url("/model/parse")
    for text, _ in MESSAGES:
        side.parse_ms.append(_post(url, {"text": text})[0])
    side.parse_cpu_ms += side.cpu_ms() - started


def rasa_side(name: str, settings: Settings, model: Path, code: Path, data_dir: Path) -> Side:
    own = replace(settings, rasa_port=free_port(), tracker_store_url=f"sqlite:///{data_dir / f'{name}.db'}")
    service = launcher.rasa_services(own, model, write_endpoints(own, data_dir / f"{name}-endpoints.yml"))[0]
    service.env.update({"PYTHONPATH": str(code), "BOT_METRICS_PORT": str(free_port())})
    service.name = f"rasa-{name}"
    return Side(name, own, service)


def start_in(side: Side, code: Path) -> None:
    log = (PROJECT_ROOT / "var" / "logs" / f"{side.service.name}.log").open("ab")
    started = time.monotonic()
    side.service.process = subprocess.Popen(side.service.command, cwd=code, env=side.service.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
    launcher.wait_ready([side.service])
    _post(f"{side.settings.rasa_url}/webhooks/rest/webhook", {"sender": "prof-first", "message": "bonjour"})
    side.first_answer_s = time.monotonic() - started


def report(sides: list[Side]) -> None:
    rows = [
        ("full message p50 (ms)", lambda s: f"{statistics.median(s.full_ms):.1f}"),
        ("full message p95 (ms)", lambda s: f"{percentile(s.full_ms, 95):.1f}"),
        ("full message mean (ms)", lambda s: f"{statistics.fmean(s.full_ms):.1f}"),
        ("parse only mean (ms)", lambda s: f"{statistics.fmean(s.parse_ms):.1f}"),
        ("full rate / parse rate (%)", lambda s: f"{100 * statistics.fmean(s.parse_ms) / statistics.fmean(s.full_ms):.0f}"),
        ("Rasa CPU per message (ms)", lambda s: f"{s.full_cpu_ms / len(s.full_ms):.1f}"),
        ("Rasa CPU per parse (ms)", lambda s: f"{s.parse_cpu_ms / len(s.parse_ms):.1f}"),
        ("CPU: full rate / parse (%)", lambda s: f"{100 * s.parse_cpu_ms / len(s.parse_ms) / (s.full_cpu_ms / len(s.full_ms)):.0f}"),
        ("start to first answer (s)", lambda s: f"{s.first_answer_s:.1f}"),
        ("RSS after the run (MiB)", lambda s: f"{rss_mb(s.service.process.pid):,.0f}"),  # type: ignore[union-attr]
        ("messages measured", lambda s: str(len(s.full_ms))),
    ]
    print(f"\n{'measure':<28} | " + " | ".join(f"{s.name:>10}" for s in sides))
    print("-" * 29 + "|-" + "-|-".join("-" * 10 for _ in sides))
    for label, value in rows:
        print(f"{label:<28} | " + " | ".join(f"{value(s):>10}" for s in sides))
    if len(sides) == 2:
        a, b = sides
        ratio = statistics.fmean(a.full_ms) / statistics.fmean(b.full_ms)
        print(f"\nRasa CPU per message {a.name} / {b.name}: {a.full_cpu_ms / b.full_cpu_ms:.2f}x", end="")
        same = sum(x == y for x, y in zip(a.replies, b.replies, strict=True))
        print(f"\nmean full message {a.name} / {b.name}: {ratio:.2f}x; identical replies: {same}/{len(a.replies)}")
        for (text, _), x, y in zip(MESSAGES * (len(a.replies) // len(MESSAGES)), a.replies, b.replies, strict=True):
            if x != y:
                print(f"  differs: {text!r}: {x[:100]} | {y[:100]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare against")
    parser.add_argument("--rounds", type=int, default=12, help="conversations per Rasa (16 messages each)")
    args = parser.parse_args()

    model = ensure_model()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    settings = bench_settings(data_dir, **NO_RATE_LIMITS)
    settings = replace(settings, action_port=free_port())
    launcher.prepare_store(settings)
    actions = launcher.build_services(settings, model, data_dir / "endpoints.yml")[0]
    codes = ([("before", args.before.resolve())] if args.before else []) + [("after", PROJECT_ROOT)]
    sides = [rasa_side(name, settings, model, code, data_dir) for name, code in codes]
    try:
        launcher.start(actions)
        launcher.wait_ready([actions])
        for side, (_, code) in zip(sides, codes, strict=True):
            start_in(side, code)
        for side in sides:
            conversation(side)  # warm-up, not counted
            side.full_ms.clear()
            side.replies.clear()
            side.full_cpu_ms = 0.0
        for round_ in range(args.rounds):
            order = sides if round_ % 2 == 0 else sides[::-1]
            for side in order:
                conversation(side)
            for side in order:
                parses(side)
        report(sides)
    finally:
        launcher.stop([actions, *(side.service for side in sides)])
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
