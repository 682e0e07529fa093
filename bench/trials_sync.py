"""Registry-sync benchmark: ``bot trials sync`` of 10,000 records from a local fake of the API v2.

    python -m bench.trials_sync [--records 10000] [--page-size 1000] [--changed 500] [--no-postgres]

The records are bench/trials.py's (recombined from the bundled real records, NCT9xxxxxxx ids),
served by tests/trials/fake_registry.py on loopback in pages of ``--page-size`` chained by
``nextPageToken``, with the ``fields`` selection applied by the fake server, as the real API
does. Three runs on an empty store: the first sync (everything), a nightly sync where nothing
changed (membership listing only), and one where ``--changed`` records changed status. The
client's pause between requests is 0 here (loopback); the last column gives what the same run
costs against the real registry at our default of 2 s between requests (30/min).
Wall times include the fake server, which runs in this process on the same cores.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from bench.trials import drop_schema, generate, postgres_url  # noqa: E402
from bot.trials import migrate  # noqa: E402
from bot.trials.db import dispose_engine, get_engine  # noqa: E402
from bot.trials.models import Trial  # noqa: E402
from bot.trials.registry import ClientOptions  # noqa: E402
from bot.trials.sync import SavedQuery, SyncOptions, SyncReport, sync  # noqa: E402
from tests.trials.fake_registry import FakeRegistry  # noqa: E402

DEFAULT_INTERVAL_S = ClientOptions().min_interval_s


def load_studies(records: int, tmp_dir: Path) -> list[dict]:
    studies: list[dict] = []
    for path in generate(records, 60, tmp_dir):
        studies += json.loads(path.read_text(encoding="utf-8"))["studies"]
        path.unlink()
    return studies


def run(name: str, url: str, fake: FakeRegistry, page_size: int, changed: int) -> list[str]:
    migrate.upgrade(url)
    options = SyncOptions(queries=(SavedQuery("bench", (("query.cond", "cancer"),)),), api_url=fake.url,
                          page_size=page_size, client=ClientOptions(min_interval_s=0.0))
    rows = []

    def timed(label: str) -> SyncReport:
        before = len(fake.requests)
        started = time.perf_counter()
        report = sync(options, url)
        seconds = time.perf_counter() - started
        requests = len(fake.requests) - before
        assert report.state == "completed" and not report.skipped, report.summary()[:1000]
        real = seconds + requests * DEFAULT_INTERVAL_S
        rows.append(f"{name:<10} {label:<34} {report.fetched:>8} {report.pages:>6} {requests:>8} {seconds:>8.1f}"
                    f" {report.fetched / seconds if report.fetched else 0:>9,.0f} {real:>11.0f}")
        return report

    first = timed("first sync (empty store)")
    assert len(first.imported) == len(fake.studies)
    timed("nightly, nothing changed")
    today = dt.date.today().isoformat()
    for study in fake.studies[:changed]:
        module = study["protocolSection"]["statusModule"]
        module["overallStatus"] = "COMPLETED" if module["overallStatus"] != "COMPLETED" else "RECRUITING"
        module["lastUpdatePostDateStruct"] = {"date": today, "type": "ACTUAL"}
    report = timed(f"nightly, {changed} statuses changed")
    assert len(report.status_changes) == changed, report.summary()[:500]
    with get_engine(url).connect() as connection:
        stored = dict(connection.execute(Trial.__table__.select().with_only_columns(
            Trial.nct_id, Trial.overall_status)).all())
    served = {s["protocolSection"]["identificationModule"]["nctId"]: s["protocolSection"]["statusModule"]["overallStatus"]
              for s in fake.studies}
    assert stored == served, "the store does not match the registry"
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=1000, help="records per page (the API allows 1000)")
    parser.add_argument("--changed", type=int, default=500)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    header = (f"{'store':<10} {'run':<34} {'records':>8} {'pages':>6} {'requests':>8} {'wall s':>8}"
              f" {'records/s':>9} {'at 30/min s':>11}")
    with tempfile.TemporaryDirectory(prefix="trials-sync-bench-") as tmp:
        tmp_dir = Path(tmp)
        started = time.perf_counter()
        studies = load_studies(args.records, tmp_dir)
        print(f"generated {len(studies)} records in {time.perf_counter() - started:.1f} s; "
              f"served in pages of {args.page_size}")
        print(header)
        fake = FakeRegistry(studies).start()
        try:
            sqlite_url = f"sqlite:///{tmp_dir / 'sync.db'}"
            for line in run("SQLite", sqlite_url, fake, args.page_size, args.changed):
                print(line, flush=True)
            dispose_engine(sqlite_url)
            pg = None if args.no_postgres else postgres_url()
            if pg is None:
                print("PostgreSQL: not measured (not reachable or --no-postgres)")
                return
            url, schema = pg
            fake.studies = load_studies(args.records, tmp_dir)  # the unchanged state again
            try:
                for line in run("PostgreSQL", url, fake, args.page_size, args.changed):
                    print(line, flush=True)
            finally:
                dispose_engine(url)
                drop_schema(schema)
        finally:
            fake.stop()


if __name__ == "__main__":
    main()
