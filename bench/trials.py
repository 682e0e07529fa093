"""Trial-store benchmark: import 10,000 records, then time typical searches (p50/p95).

    python -m bench.trials [--records 10000] [--max-sites 60] [--repeat 40] [--no-postgres]

Records are generated from the 30 bundled v2-shaped ClinicalTrials.gov records: new NCT ids
(NCT9xxxxxxx, a range the registry does not use yet), conditions, phases and statuses
recombined from the real records, result sections dropped (the importer ignores them). Site
lists are cut to ``--max-sites`` per record by default: the bundled sample over-represents huge
trials (1148 and 437 sites), while most registry trials have a handful; ``--max-sites 0`` keeps
them all. They are written as API pages of 1000 studies, and imported from those files.
SQLite is always measured; PostgreSQL when reachable (in a throw-away schema of ``test``).
Wall-clock times depend on the machine's load; the CPU columns (this process only; for
PostgreSQL the server's work is not included) show the cost of our own code.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from sqlalchemy import create_engine, text  # noqa: E402

from bench.stats import percentile  # noqa: E402
from bot.trials import migrate  # noqa: E402
from bot.trials.db import dispose_engine, session_scope  # noqa: E402
from bot.trials.importer import import_paths  # noqa: E402
from bot.trials.search import search  # noqa: E402
from bot.trials.seed import bundled_files  # noqa: E402
from bot.trials.store import set_flag  # noqa: E402
from bot.trials.understand import parse_trial_request  # noqa: E402

PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
STATUSES = (["RECRUITING"] * 8 + ["COMPLETED"] * 5 + ["ACTIVE_NOT_RECRUITING"] * 2 + ["NOT_YET_RECRUITING"] * 2
            + ["TERMINATED"] * 2 + ["WITHDRAWN", "UNKNOWN"])
PHASES = [["PHASE1"], ["PHASE2"], ["PHASE3"], ["PHASE1", "PHASE2"], ["PHASE2", "PHASE3"], ["EARLY_PHASE1"],
          ["NA"], ["PHASE4"], None]
QUERIES = [
    "mélanome",
    "cancer du poumon qui recrute",
    "pembrolizumab",
    "essais anti-PD-1 de phase 2",
    "immunothérapie en France",
    "cancer du sein, j'ai 45 ans",
    "leucémie à Paris",
    "essais de phase 1 qui recrutent",
    "neuroblastome, mon fils a 5 ans",
    "TCR-T pancréas",
    "I'm 62 with melanoma, recruiting phase I/II trials with nivolumab in France?",
    "",  # everything, first page (ranking over the whole store)
]


def load_bases() -> tuple[list[dict[str, Any]], list[list[str]]]:
    bases, condition_lists = [], []
    for path in bundled_files():
        doc = json.loads(path.read_text(encoding="utf-8"))
        if "protocolSection" not in doc:
            continue
        doc = {k: v for k, v in doc.items() if k not in ("resultsSection", "documentSection")}
        bases.append(doc)
        conditions = doc["protocolSection"].get("conditionsModule", {}).get("conditions")
        if isinstance(conditions, list) and conditions:
            condition_lists.append(conditions)
    return bases, condition_lists


def generate(n: int, max_sites: int, out_dir: Path, page_size: int = 1000) -> list[Path]:
    rng = random.Random(20251123)
    bases, condition_lists = load_bases()
    files: list[Path] = []
    page: list[dict[str, Any]] = []
    for i in range(n):
        base = bases[i % len(bases)]
        ps = dict(base["protocolSection"])
        ps["identificationModule"] = {**ps["identificationModule"], "nctId": f"NCT9{i:07d}"}
        ps["statusModule"] = {**ps["statusModule"], "overallStatus": rng.choice(STATUSES)}
        design = {**ps.get("designModule", {})}
        phases = rng.choice(PHASES)
        if phases is None:
            design.pop("phases", None)
        else:
            design["phases"] = phases
        ps["designModule"] = design
        ps["conditionsModule"] = {**ps.get("conditionsModule", {}), "conditions": rng.choice(condition_lists)}
        if max_sites and "contactsLocationsModule" in ps:
            locations = ps["contactsLocationsModule"].get("locations")
            if isinstance(locations, list) and len(locations) > max_sites:
                ps["contactsLocationsModule"] = {**ps["contactsLocationsModule"],
                                                 "locations": rng.sample(locations, max_sites)}
        page.append({**base, "protocolSection": ps})
        if len(page) == page_size or i == n - 1:
            path = out_dir / f"page-{len(files):03d}.json"
            path.write_text(json.dumps({"studies": page}), encoding="utf-8")
            files.append(path)
            page = []
    return files


def bench_backend(name: str, url: str, files: list[Path], n: int, repeat: int) -> list[str]:
    migrate.upgrade(url)
    started, cpu_started = time.perf_counter(), time.process_time()
    report = import_paths(files, url)
    import_seconds = time.perf_counter() - started
    import_cpu = time.process_time() - cpu_started
    assert len(report.imported) == n and not report.skipped, report.summary()[:2000]
    reimport = time.perf_counter()
    again = import_paths(files, url)
    reimport_seconds = time.perf_counter() - reimport
    assert len(again.unchanged) == n
    with session_scope(url) as session:  # a realistic store has a few staff flags
        for i in range(0, n, 500):
            set_flag(session, f"NCT9{i:07d}", "featured", True)
        for i in range(7, n, 200):
            set_flag(session, f"NCT9{i:07d}", "hidden", True)

    lines = [f"{name}: import {n} records {import_seconds:6.1f} s wall, {import_cpu:.1f} s CPU in this process "
             f"({n / import_seconds:,.0f} records/s); re-import (all unchanged) {reimport_seconds:5.1f} s"]
    lines.append(f"{'query (page of 5, new session each time)':<70} {'total':>6} {'p50 ms':>7} {'p95 ms':>7}"
                 f" {'cpu p50':>8} {'cpu p95':>8}")
    all_times: list[float] = []
    all_cpu: list[float] = []
    for text_query in QUERIES:
        query = parse_trial_request(text_query)
        times, cpu = [], []
        total = 0
        for k in range(repeat + 3):
            t0, c0 = time.perf_counter(), time.process_time()
            with session_scope(url) as session:
                result = search(session, query, page=0, page_size=5)
            if k >= 3:  # warm-up runs are not counted
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            total = result.total
        all_times += times
        all_cpu += cpu
        shown = (text_query or "(no criteria: whole store)")[:68]
        lines.append(f"{shown:<70} {total:>6} {statistics.median(times):7.2f} {percentile(times, 95):7.2f}"
                     f" {statistics.median(cpu):8.2f} {percentile(cpu, 95):8.2f}")
    lines.append(f"{'ALL QUERIES':<70} {'':>6} {statistics.median(all_times):7.2f} {percentile(all_times, 95):7.2f}"
                 f" {statistics.median(all_cpu):8.2f} {percentile(all_cpu, 95):8.2f}")
    parse_times = []
    for _ in range(repeat):
        for text_query in QUERIES:
            t0 = time.perf_counter()
            parse_trial_request(text_query)
            parse_times.append((time.perf_counter() - t0) * 1000)
    lines.append(f"(parse_trial_request alone: p50 {statistics.median(parse_times):.2f} ms, "
                 f"p95 {percentile(parse_times, 95):.2f} ms)")
    return lines


def postgres_url() -> tuple[str, str] | None:
    engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        schema = f"trials_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        return f"{PG_URL}?options=-csearch_path%3D{schema}", schema
    except Exception:  # noqa: BLE001 - no server: PostgreSQL is optional here
        return None
    finally:
        engine.dispose()


def drop_schema(schema: str) -> None:
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--max-sites", type=int, default=60, help="sites kept per record (0 = all)")
    parser.add_argument("--repeat", type=int, default=40, help="timed runs per query")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="trials-bench-") as tmp:
        tmp_dir = Path(tmp)
        started = time.perf_counter()
        files = generate(args.records, args.max_sites, tmp_dir)
        size = sum(f.stat().st_size for f in files) / 2**20
        print(f"generated {args.records} records in {len(files)} API pages ({size:.0f} MB of JSON, "
              f"max {args.max_sites or 'all'} sites per record) in {time.perf_counter() - started:.1f} s")
        sqlite_url = f"sqlite:///{tmp_dir / 'bench.db'}"
        for line in bench_backend("SQLite", sqlite_url, files, args.records, args.repeat):
            print(line)
        dispose_engine(sqlite_url)
        print(f"SQLite file: {(tmp_dir / 'bench.db').stat().st_size / 2**20:.0f} MB")
        pg = None if args.no_postgres else postgres_url()
        if pg is None:
            print("PostgreSQL: not measured (not reachable or --no-postgres)")
            return
        url, schema = pg
        try:
            print()
            for line in bench_backend("PostgreSQL", url, files, args.records, args.repeat):
                print(line)
        finally:
            dispose_engine(url)
            drop_schema(schema)


if __name__ == "__main__":
    main()
