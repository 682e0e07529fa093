"""MASSIVE 1.1 (fr-FR + en-US) intent benchmark for a Rasa 3.6 NLU pipeline.

    python -m bench.massive --config config.yml
    python -m bench.massive --config bench/massive_pipeline.yml --epochs-override 20
    python -m bench.massive --config config.yml --train-limit 1500 --faq-intents 30  # small-bot cost

Run it from the project root, so that custom components (``bot.nlu.*``) import. It

1. converts the MASSIVE fr-FR + en-US train partitions into one bilingual Rasa NLU file
   (intents only, exact duplicate (text, intent) pairs written once, as the shared
   ``to_rasa.py`` does);
2. trains the NLU part of the config in a child process (``rasa train nlu``, Rasa's training
   cache disabled so that the time is a cold one) and records its wall time and peak RSS;
3. loads the model in this process and parses every row of the test partition of each locale
   one at a time, scoring it as the shared ``eval_massive.py`` does (accuracy, macro-F1,
   parse latency p50/p95 after a warm-up on dev messages);
4. prints a table of every run recorded in the output folder, with the reference rows.

By default the components that overwrite the classifier's answer after the fact
(``FallbackClassifier``, ``bot.nlu.overrides.RuleOverrides``,
``bot.nlu.answerability.AnswerabilityCheck``) are left out: MASSIVE measures the statistical
classifier, and those rules would relabel rows as ``nlu_fallback`` or as our own intents. ``--keep-all`` keeps the config exactly as written.

``--train-limit N`` trains on a stratified sample of N examples (fixed seed) and
``--faq-intents K`` turns K MASSIVE intents into ``faq/<intent>`` retrieval intents (one
response each), so that a ResponseSelector in the config trains too: together they give the
training time, memory and load time of a model the size of our assistant's (~1,500 examples,
~40 intents + ~30 FAQ answers). Such runs are flagged in the table; their accuracy is not
comparable with the full protocol.
"""
from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import logging
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter, OrderedDict, defaultdict
from pathlib import Path
from typing import Any

from bench.stats import percentile

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's CUDA/TensorRT start-up noise

LOCALES = ("fr-FR", "en-US")
FAQ_INTENT = "faq"
FALLBACK_INTENT = "nlu_fallback"
# Components dropped unless --keep-all: they relabel the classifier's output after the fact
# (the answerability check turns unsure guesses about anything but cancer care into
# "I don't know" or "out of scope", as the FallbackClassifier turns them into nlu_fallback).
POST_CLASSIFIER_OVERRIDES = ("FallbackClassifier", "bot.nlu.overrides.RuleOverrides",
                             "bot.nlu.answerability.AnswerabilityCheck")
# Components whose training length --epochs-override sets even when the config leaves it
# at Rasa's default (300).
EPOCH_COMPONENTS = ("DIETClassifier", "ResponseSelector")
SEED = 42

# Reference rows (test intent accuracy). Baseline: /work/shared/.../results_baseline.md
# (stock DIET, 30 epochs, same protocol). XLM-R / mT5: MASSIVE paper, "full" setting
# (fine-tuned on all 51 locales, jointly with slots), via a third-party transcription.
REFERENCES: list[dict[str, Any]] = [
    {"name": "ref: stock DIET baseline (30 ep)", "train_s": 1955, "train_cpu_s": 3380,  # user CPU only
     "train_rss_mb": 2700,
     "serve_rss_mb": 1267, "load_s": 9.9,
     "acc": {"fr-FR": 81.88, "en-US": 82.52}, "f1": {"fr-FR": 0.8035, "en-US": 0.8146},
     "p50": 7.06, "p95": 10.52},
    {"name": "ref: XLM-R base (paper)", "acc": {"fr-FR": 86.3, "en-US": 88.3}},
    {"name": "ref: mT5 base encoder (paper)", "acc": {"fr-FR": 87.2, "en-US": 89.0}},
]


# ----------------------------------------------------------------------------- data


def read_rows(data_dir: Path, locale: str) -> list[dict[str, Any]]:
    """All records of one MASSIVE locale file."""
    with gzip.open(data_dir / f"{locale}.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def clean_text(text: str) -> str:
    # One example per YAML line: collapse whitespace runs (as to_rasa.py does).
    return " ".join(text.split())


def training_pairs(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(text, intent) pairs of the train rows, exact duplicates once, in file order."""
    seen: OrderedDict[tuple[str, str], None] = OrderedDict()
    for r in rows:
        text = clean_text(r["utt"])
        if text:
            seen[(text, r["intent"])] = None
    return list(seen)


def stratified_sample(pairs: list[tuple[str, str]], limit: int, seed: int = SEED) -> list[tuple[str, str]]:
    """About `limit` pairs, every intent kept, each in proportion to its share (>= 2 rows)."""
    by_intent: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for p in pairs:
        by_intent[p[1]].append(p)
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for intent in sorted(by_intent):
        items = by_intent[intent]
        k = min(len(items), max(2, round(limit * len(items) / len(pairs))))
        out += rng.sample(items, k)
    return out


def yaml_quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def write_training_yaml(path: Path, pairs: list[tuple[str, str]], faq: set[str]) -> int:
    """Rasa NLU YAML, intents only; intents in `faq` become faq/<intent> retrieval intents."""
    by_intent: OrderedDict[str, list[str]] = OrderedDict()
    for text, intent in pairs:
        name = f"{FAQ_INTENT}/{intent}" if intent in faq else intent
        by_intent.setdefault(name, []).append(text)
    lines = ['version: "3.1"', "nlu:"]
    for name in sorted(by_intent):
        lines += [f"- intent: {name}", "  examples: |"]
        lines += [f"    - {t}" for t in by_intent[name]]
    if faq:
        # Retrieval intents need their responses next to the examples.
        lines.append("responses:")
        for intent in sorted(faq):
            lines += [f"  utter_{FAQ_INTENT}/{intent}:", f"  - text: {yaml_quote('answer ' + intent)}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(pairs)


# --------------------------------------------------------------------------- config


def prepare_config(src: Path, dst: Path, epochs: int | None, keep_all: bool) -> list[str]:
    """Copy the config with epochs overridden and post-classifier overrides dropped.

    Returns the names of the dropped components.
    """
    from rasa.shared.utils.io import read_yaml_file, write_yaml

    cfg = read_yaml_file(str(src))
    dropped: list[str] = []
    pipeline = []
    for comp in cfg.get("pipeline") or []:
        name = comp.get("name", "")
        if not keep_all and name in POST_CLASSIFIER_OVERRIDES:
            dropped.append(name)
            continue
        if epochs is not None and ("epochs" in comp or name in EPOCH_COMPONENTS):
            comp = {**comp, "epochs": epochs}
        pipeline.append(comp)
    cfg["pipeline"] = pipeline
    cfg["policies"] = []  # NLU only
    write_yaml(cfg, str(dst))
    return dropped


# ---------------------------------------------------------------------------- train


def train(project_root: Path, config: Path, nlu: Path, out_dir: Path, name: str) -> dict[str, Any]:
    """`rasa train nlu` in a child process; its wall time and peak RSS (cold: no cache)."""
    env = dict(os.environ)
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env["RASA_MAX_CACHE_SIZE"] = "0"  # no reuse of a previous run's featurizers: cold timing
    env["RASA_CACHE_DIRECTORY"] = str(out_dir / "rasa-cache")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project_root), env.get("PYTHONPATH")]))
    cmd = [sys.executable, "-m", "rasa", "train", "nlu", "--config", str(config), "--nlu", str(nlu),
           "--out", str(out_dir), "--fixed-model-name", name]
    log_path = out_dir / "train.log"
    t0 = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, cwd=project_root, env=env, stdout=log, stderr=subprocess.STDOUT)
        # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would mix in other children).
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        raise SystemExit(f"rasa train nlu failed ({proc.returncode}); see {log_path}:\n" + "\n".join(tail))
    model = out_dir / f"{name}.tar.gz"
    return {"train_s": round(wall, 1), "train_rss_mb": round(usage.ru_maxrss / 1024.0, 1),
            "train_cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "model": str(model), "model_mb": round(model.stat().st_size / 2**20, 1)}


# ----------------------------------------------------------------------------- eval


def predicted_intent(parsed: dict[str, Any], skip_fallback: bool = False) -> str | None:
    """Top intent; a faq prediction is resolved through the response selector.

    With `skip_fallback`, the best intent other than nlu_fallback (what the classifier said
    before the FallbackClassifier stepped in).
    """
    name = (parsed.get("intent") or {}).get("name")
    if skip_fallback and name == FALLBACK_INTENT:
        ranking = [r.get("name") for r in parsed.get("intent_ranking") or []]
        name = next((n for n in ranking if n != FALLBACK_INTENT), None)
    if name == FAQ_INTENT:
        selector = (parsed.get("response_selector") or {})
        for key in (FAQ_INTENT, "default"):
            irk = ((selector.get(key) or {}).get("response") or {}).get("intent_response_key")
            if irk:
                return irk.split("/", 1)[1]
    return name


async def evaluate(model: str, data_dir: Path, rows_by_locale: dict[str, list[dict[str, Any]]],
                   partition: str, warmup: int, test_limit: int | None) -> dict[str, Any]:
    """Score every row of `partition` per locale, one parse at a time (eval_massive.py's way)."""
    from rasa.core.agent import Agent
    from sklearn.metrics import accuracy_score, f1_score

    t0, cpu0 = time.perf_counter(), time.process_time()
    agent = Agent.load(model)
    load_s, load_cpu_s = time.perf_counter() - t0, time.process_time() - cpu0
    # Warm-up on dev messages (the first calls trace the TensorFlow graph); not scored.
    for loc in rows_by_locale:
        for r in [r for r in rows_by_locale[loc] if r["partition"] == "dev"][:warmup]:
            await agent.parse_message(r["utt"])

    report: dict[str, Any] = {"partition": partition, "model_load_s": round(load_s, 2),
                              "model_load_cpu_s": round(load_cpu_s, 2), "locales": {}}
    all_lat: list[float] = []
    all_cpu: list[float] = []
    for loc, rows in rows_by_locale.items():
        rows = [r for r in rows if r["partition"] == partition]
        if test_limit:
            rows = rows[:test_limit]
        gold: list[str] = []
        pred: list[str] = []
        raw: list[str] = []  # ignoring nlu_fallback
        lat: list[float] = []
        cpu: list[float] = []
        for r in rows:
            t, c = time.perf_counter(), time.process_time()
            parsed = await agent.parse_message(r["utt"])
            lat.append((time.perf_counter() - t) * 1000.0)
            cpu.append((time.process_time() - c) * 1000.0)
            gold.append(r["intent"])
            pred.append(str(predicted_intent(parsed)))
            raw.append(str(predicted_intent(parsed, skip_fallback=True)))
        gold_labels = sorted(set(gold))
        errors = Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p)
        report["locales"][loc] = {
            "n": len(rows),
            "accuracy": round(accuracy_score(gold, pred), 4),
            # Only differs when a FallbackClassifier is kept (--keep-all).
            "accuracy_before_fallback": round(accuracy_score(gold, raw), 4),
            "fallback_rate": round(sum(p == FALLBACK_INTENT for p in pred) / max(len(pred), 1), 4),
            "macro_f1": round(f1_score(gold, pred, average="macro", zero_division=0), 4),
            "macro_f1_gold_labels": round(
                f1_score(gold, pred, labels=gold_labels, average="macro", zero_division=0), 4),
            "weighted_f1": round(f1_score(gold, pred, average="weighted", zero_division=0), 4),
            "n_gold_intents": len(gold_labels),
            "latency_ms": {"p50": round(percentile(lat, 50), 2), "p95": round(percentile(lat, 95), 2),
                           "mean": round(statistics.mean(lat), 2), "max": round(max(lat), 2)},
            # CPU time per parse: on a shared machine, wall-clock latency includes waiting
            # for a core; CPU time does not (it can exceed wall time when TF uses 2 threads).
            "cpu_ms": {"p50": round(percentile(cpu, 50), 2), "p95": round(percentile(cpu, 95), 2)},
            "top_confusions": [{"gold": g, "pred": p, "count": c}
                               for (g, p), c in errors.most_common(10)],
        }
        all_lat += lat
        all_cpu += cpu
    report["cpu_ms_all"] = {"p50": round(percentile(all_cpu, 50), 2), "p95": round(percentile(all_cpu, 95), 2)}
    report["latency_ms_all"] = {"n": len(all_lat), "p50": round(percentile(all_lat, 50), 2),
                                "p95": round(percentile(all_lat, 95), 2),
                                "mean": round(statistics.mean(all_lat), 2)}
    # This process imported nothing heavy before loading the model: its peak RSS is what a
    # server holding this NLU model needs (plus the HTTP layer).
    report["serve_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)
    return report


# ---------------------------------------------------------------------------- table


def summary_row(run: dict[str, Any]) -> dict[str, Any]:
    ev = run["eval"]
    return {
        "name": run["name"], "note": run["note"], "train_s": run["train"]["train_s"],
        "train_cpu_s": run["train"].get("train_cpu_s"),
        "train_rss_mb": run["train"]["train_rss_mb"], "serve_rss_mb": ev["serve_rss_mb"],
        "load_s": ev["model_load_s"],
        "acc": {loc: round(100 * v["accuracy"], 2) for loc, v in ev["locales"].items()},
        "f1": {loc: v["macro_f1_gold_labels"] for loc, v in ev["locales"].items()},
        "p50": ev["latency_ms_all"]["p50"], "p95": ev["latency_ms_all"]["p95"],
        "cpu_p50": ev["cpu_ms_all"]["p50"], "load_cpu_s": ev.get("model_load_cpu_s"),
    }


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}m{s:02d}s" if m else f"{s}s"


def render_table(rows: list[dict[str, Any]]) -> str:
    def num(v: Any, spec: str) -> str:
        return "" if v is None else format(v, spec)

    head = ("| run | data | train wall | train CPU | train RSS MB | serve RSS MB | load s "
            "| acc fr | acc en | macro-F1 fr | macro-F1 en | p50/p95 ms | CPU p50 ms |")
    lines = [head, "|---|---|" + "---:|" * 11]
    for r in rows:
        acc, f1 = r.get("acc", {}), r.get("f1", {})
        lat = f"{r['p50']:.1f} / {r['p95']:.1f}" if r.get("p50") is not None else ""
        lines.append(
            f"| {r['name']} | {r.get('note', 'reference')} | {fmt_time(r.get('train_s'))} "
            f"| {fmt_time(r.get('train_cpu_s'))} "
            f"| {num(r.get('train_rss_mb'), '.0f')} | {num(r.get('serve_rss_mb'), '.0f')} "
            f"| {num(r.get('load_s'), '.1f')} | {num(acc.get('fr-FR'), '.2f')} "
            f"| {num(acc.get('en-US'), '.2f')} | {num(f1.get('fr-FR'), '.4f')} "
            f"| {num(f1.get('en-US'), '.4f')} | {lat} | {num(r.get('cpu_p50'), '.1f')} |")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", required=True, help="Rasa config (its NLU pipeline is benchmarked)")
    ap.add_argument("--epochs-override", type=int, default=None,
                    help="set epochs of DIETClassifier / ResponseSelector / any component with epochs")
    ap.add_argument("--data-dir", default="../shared/benchmarks/massive",
                    help="folder with fr-FR.jsonl.gz and en-US.jsonl.gz")
    ap.add_argument("--out", default="var/bench/massive", help="output folder (git-ignored)")
    ap.add_argument("--name", default=None, help="run name (default: config stem + options)")
    ap.add_argument("--keep-all", action="store_true",
                    help="keep FallbackClassifier and rule overrides in the pipeline")
    ap.add_argument("--partition", default="test", choices=["test", "dev"])
    ap.add_argument("--warmup", type=int, default=25, help="dev messages per locale before timing")
    ap.add_argument("--train-limit", type=int, default=None,
                    help="stratified sample of N training examples (cost estimate, not the protocol)")
    ap.add_argument("--faq-intents", type=int, default=0,
                    help="turn K intents into faq/<intent> retrieval intents (for a ResponseSelector)")
    ap.add_argument("--test-limit", type=int, default=None,
                    help="score only the first N rows per locale (smoke test, not the protocol)")
    ap.add_argument("--model", default=None, help="score this trained model instead of training")
    args = ap.parse_args(argv)

    project_root = Path.cwd()
    data_dir = Path(args.data_dir)
    if not (data_dir / "fr-FR.jsonl.gz").exists():
        raise SystemExit(f"MASSIVE files not found in {data_dir} (use --data-dir)")
    config = Path(args.config)
    name = args.name or "-".join(filter(None, [
        config.stem,
        f"ep{args.epochs_override}" if args.epochs_override is not None else "",
        f"n{args.train_limit}" if args.train_limit else "",
        f"faq{args.faq_intents}" if args.faq_intents else "",
        args.partition if args.partition != "test" else "",
    ]))
    out_dir = Path(args.out) / name
    out_dir.mkdir(parents=True, exist_ok=True)

    rows_by_locale = {loc: read_rows(data_dir, loc) for loc in LOCALES}
    pairs = training_pairs([r for loc in LOCALES for r in rows_by_locale[loc] if r["partition"] == "train"])
    if args.train_limit:
        pairs = stratified_sample(pairs, args.train_limit)
    # FAQ intents: the K intents with the fewest examples (FAQ answers are small classes),
    # ties broken by name, so the choice is deterministic.
    counts = Counter(i for _, i in pairs)
    faq = set(sorted(counts, key=lambda i: (counts[i], i))[: args.faq_intents]) if args.faq_intents else set()
    note = "full" if not args.train_limit else f"subsample {len(pairs)}"
    if faq:
        note += f", {len(counts) - len(faq)} intents + {len(faq)} faq"
    if args.partition != "test" or args.test_limit:
        note += f", scored on {args.partition}" + (f"[:{args.test_limit}]" if args.test_limit else "")

    # Quiet logs: Rasa logs every parse through structlog at debug level.
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.WARNING)

    if args.model:
        train_info: dict[str, Any] = {"train_s": None, "train_rss_mb": None, "model": args.model}
        dropped: list[str] = []
    else:
        train_yml = out_dir / "train_bilingual.yml"
        n = write_training_yaml(train_yml, pairs, faq)
        cfg_path = out_dir / "config.yml"
        dropped = prepare_config(config, cfg_path, args.epochs_override, args.keep_all)
        print(f"[massive] {name}: {n} training examples, {len(counts)} intents; "
              f"dropped {dropped or 'nothing'}; training (log: {out_dir / 'train.log'}) ...",
              flush=True)
        train_info = train(project_root, cfg_path, train_yml, out_dir, name)
        print(f"[massive] trained in {fmt_time(train_info['train_s'])}, "
              f"peak RSS {train_info['train_rss_mb']:.0f} MB; scoring ...", flush=True)

    ev = asyncio.run(evaluate(train_info["model"], data_dir, rows_by_locale, args.partition,
                              args.warmup, args.test_limit))
    run = {"name": name, "note": note, "config": str(config), "epochs_override": args.epochs_override,
           "dropped": dropped, "n_train": len(pairs), "faq_intents": sorted(faq),
           "train": train_info, "eval": ev, "finished": time.strftime("%Y-%m-%d %H:%M:%S")}
    (out_dir / "report.json").write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    with open(Path(args.out) / "results.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(summary_row(run), ensure_ascii=False) + "\n")

    # Every run recorded in this output folder (latest per name), then the references.
    latest: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for line in (Path(args.out) / "results.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            latest.pop(row["name"], None)
            latest[row["name"]] = row
    print()
    print(render_table([*latest.values(), *REFERENCES]))
    print(f"\nreport: {out_dir / 'report.json'}  (macro-F1 over gold intents, Rasa's convention; "
          "latency = in-process parse, p50/p95 over both locales)")


if __name__ == "__main__":
    main()
