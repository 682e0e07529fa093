"""``bot trials ...``: staff commands to import, inspect, search, flag and export trials.

Exit codes: 0 done; 1 error (store unreachable or not set up, unknown trial, nothing imported);
2 usage (argparse, malformed NCT number); 3 import done but some records were skipped.
"""
from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.exc import SQLAlchemyError

from bot.errors import CliError
from bot.trials import migrate, present, store
from bot.trials.db import safe_url, session_scope
from bot.trials.importer import ImportReport, import_paths
from bot.trials.query import TrialQuery
from bot.trials.search import search
from bot.trials.seed import seed
from bot.trials.understand import parse_trial_request
from bot.trials.views import TrialDetail, TrialSummary

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
NCT = re.compile(r"^NCT\d{8}$", re.I)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    trials = subparsers.add_parser(
        "trials", help="manage the clinical-trial store",
        description="Import, inspect, search, flag and export the clinical trials the assistant shows.",
    )
    trials.add_argument("--db", default=None, metavar="URL",
                        help="database URL (default: DATABASE_URL, else var/trials.db)")
    sub = trials.add_subparsers(dest="trials_command", metavar="SUBCOMMAND", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="URL", help=argparse.SUPPRESS)

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        parser.set_defaults(handler=handler)
        return parser

    p = add("import", cmd_import, "import ClinicalTrials.gov JSON files or folders (API v2, classic v1, ctrdata)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p = add("list", cmd_list, "list stored trials (hidden ones included)")
    p.add_argument("--limit", type=int, default=None)
    p = add("show", cmd_show, "show one trial as staff see it (flags, source, status history)")
    p.add_argument("nct_id", metavar="NCT")
    p.add_argument("--lang", choices=present.LANGS, default="en")
    p = add("search", cmd_search, "search like a patient would (text in French or English)")
    p.add_argument("text", nargs="*", metavar="TEXT")
    p.add_argument("--phase", action="append", default=[], help="e.g. 2, II, PHASE2 (repeatable)")
    p.add_argument("--recruiting", action="store_true", help="only trials recruiting now")
    p.add_argument("--country", help="registry country name, e.g. France")
    p.add_argument("--city")
    p.add_argument("--page", type=int, default=1, help="1-based page number")
    p.add_argument("--page-size", type=int, default=10)
    p.add_argument("--include-hidden", action="store_true")
    p.add_argument("--lang", choices=present.LANGS, default="en")
    for name, flag, value, text in (
        ("feature", "featured", True, "promote trials: shown first in searches"),
        ("unfeature", "featured", False, "stop promoting trials"),
        ("hide", "hidden", True, "hide trials from patients (kept in the store)"),
        ("unhide", "hidden", False, "show hidden trials to patients again"),
    ):
        p = add(name, _flag_command(flag, value), text)
        p.add_argument("nct_ids", nargs="+", metavar="NCT")
    p = add("export", cmd_export, "export every trial (hidden ones included) as JSON or CSV")
    p.add_argument("--format", choices=("json", "csv"), default="json")
    p.add_argument("--out", type=Path, help="file to write (default: standard output)")
    p = add("sync", cmd_sync, "update the store from the ClinicalTrials.gov API (saved queries, changes only)")
    p.add_argument("--api-url", default=None, metavar="URL",
                   help="registry API base (default: TRIALS_SYNC_API_URL, else https://clinicaltrials.gov/api/v2)")
    p.add_argument("--queries", type=Path, default=None, metavar="FILE",
                   help="saved queries (default: TRIALS_SYNC_QUERIES, else trials_sync.yml)")
    p.add_argument("--page-size", type=int, default=200, help="records per request (1-1000)")
    p.add_argument("--full", action="store_true", help="fetch everything the queries match, not only changes")
    p.add_argument("--status", action="store_true", help="only show when the last sync ran and what it changed")
    p = add("upgrade", cmd_upgrade, "migrate the store to the newest schema")
    p.add_argument("--revision", default="head")
    add("seed", cmd_seed, "set up the store and import the bundled records if it is empty")


# ---------------------------------------------------------------- helpers
def _url(args: argparse.Namespace) -> str:
    return getattr(args, "db", None) or args.settings.database_url


@contextmanager
def _database_errors(url: str) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as exc:
        text = str(getattr(exc, "orig", None) or exc).strip()
        reason = text.splitlines()[0] if text else type(exc).__name__
        raise CliError(f"trial store {safe_url(url)}: {reason}", EXIT_ERROR) from exc


def _require_schema(url: str) -> None:
    with _database_errors(url):
        current = migrate.current_revision(url)
    if current != migrate.head_revision():
        state = "not set up" if current is None else f"at schema {current}, expected {migrate.head_revision()}"
        raise CliError(f"trial store {safe_url(url)} is {state}: run `bot trials upgrade`", EXIT_ERROR)


def _nct(value: str) -> str:
    if not NCT.match(value.strip()):
        raise CliError(f"{value!r} is not an NCT number (NCT followed by 8 digits)", EXIT_USAGE)
    return value.strip().upper()


def _flags(trial: TrialSummary) -> str:
    return ("F" if trial.featured else "-") + ("H" if trial.hidden else "-") + ("I" if trial.immunotherapy else "-")


def _table(trials: list[TrialSummary]) -> None:
    print("NCT          FHI  STATUS                  PHASES        TITLE")
    for t in trials:
        print(f"{t.nct_id:12} {_flags(t)}  {t.status:23} {','.join(t.phases) or '-':13} {t.title[:70]}")
    print("(F featured, H hidden from patients, I immunotherapy)")


# ---------------------------------------------------------------- commands
def _import_exit(report: ImportReport) -> int:
    if not report.skipped:
        return EXIT_OK
    return EXIT_PARTIAL if report.stored else EXIT_ERROR


def cmd_import(args: argparse.Namespace) -> int:
    url = _url(args)
    with _database_errors(url):
        migrate.upgrade(url)
        report = import_paths(args.paths, url)
    print(report.summary())
    if report.files == 0 and not report.skipped:
        raise CliError("no .json file found in the given paths", EXIT_ERROR)
    return _import_exit(report)


def cmd_list(args: argparse.Namespace) -> int:
    url = _url(args)
    _require_schema(url)
    with _database_errors(url), session_scope(url) as session:
        trials = store.list_summaries(session, include_hidden=True, limit=args.limit)
        total = store.count(session)
    _table(trials)
    print(f"{total} trial(s) in {safe_url(url)}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    nct = _nct(args.nct_id)
    url = _url(args)
    _require_schema(url)
    with _database_errors(url), session_scope(url) as session:
        trial = store.get_detail(session, nct, include_hidden=True)
    if trial is None:
        raise CliError(f"{nct} is not in the trial store", EXIT_ERROR)
    print(present.trial_details(trial, args.lang))
    print()
    print(f"Flags: featured={trial.featured} hidden={trial.hidden} immunotherapy={trial.immunotherapy} oncology={trial.oncology}")
    print(f"Source: {trial.source_file} ({trial.source_format}), imported {trial.imported_at:%Y-%m-%d %H:%M} UTC")
    if trial.left_query_at:
        print(f"Registry sync: no longer in the saved queries since {trial.left_query_at:%Y-%m-%d %H:%M} UTC "
              "(kept, not shown to patients)")
    elif trial.registry_seen_at:
        print(f"Registry sync: in the saved queries, last seen {trial.registry_seen_at:%Y-%m-%d %H:%M} UTC")
    ids = ", ".join(f"{i.kind} {i.value}" for i in trial.identifiers if i.kind != "NCT")
    if ids:
        print(f"Identifiers: {ids}")
    for c in trial.contacts:
        print(f"Contact ({c.kind}): " + " | ".join(x for x in (c.name, c.role, c.phone, c.email, c.affiliation) if x))
    for h in trial.history:
        print(f"Status history: {h.old_status or '(first import)'} -> {h.new_status} "
              f"(record of {h.snapshot_date or '?'}, recorded {h.recorded_at:%Y-%m-%d %H:%M})")
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    url = _url(args)
    _require_schema(url)
    text = " ".join(args.text)
    query = parse_trial_request(text)
    if text and query.is_empty:
        query.text = text  # nothing the lexicon knows: search the words themselves
    if args.phase:
        query.phases = args.phase
    if args.recruiting:
        query.statuses = ["RECRUITING"]
    if args.country:
        query.country = args.country
    if args.city:
        query.city = args.city
    query = TrialQuery.from_dict(query.to_dict())
    # Staff only, after from_dict (which ignores the flag: a conversation slot may carry it).
    query.include_hidden = args.include_hidden
    if args.page < 1:
        raise CliError("--page starts at 1", EXIT_USAGE)
    with _database_errors(url), session_scope(url) as session:
        result = search(session, query, page=args.page - 1, page_size=args.page_size)
    shown = {k: v for k, v in query.to_dict().items() if v not in (None, [], False)}
    print(f"query: {json.dumps(shown, ensure_ascii=False)}")
    if result.items:
        _table(list(result.items))
    print(f"{result.total} match(es); page {result.page + 1} of {max(result.pages, 1)}")
    return EXIT_OK


def _flag_command(flag: str, value: bool) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        ncts = [_nct(v) for v in args.nct_ids]
        url = _url(args)
        _require_schema(url)
        missing = []
        with _database_errors(url), session_scope(url) as session:
            for nct in ncts:
                if store.set_flag(session, nct, flag, value):
                    print(f"{nct}: {flag} = {value}")
                else:
                    missing.append(nct)
        if missing:
            raise CliError(f"not in the trial store: {', '.join(missing)}", EXIT_ERROR)
        return EXIT_OK

    return handler


CSV_COLUMNS = (
    "nct_id", "title", "status", "phases", "study_type", "sponsor", "conditions", "interventions", "countries",
    "site_count", "min_age_years", "max_age_years", "sex", "immunotherapy", "featured", "hidden",
    "snapshot_date", "source_format", "source_file", "imported_at", "url",
)


def _csv_row(t: TrialDetail) -> dict[str, Any]:
    return {
        "nct_id": t.nct_id, "title": t.title, "status": t.status, "phases": ",".join(t.phases),
        "study_type": t.study_type, "sponsor": t.sponsor, "conditions": "; ".join(t.conditions),
        "interventions": "; ".join(i.name for i in t.interventions),
        "countries": "; ".join(g.country for g in t.locations), "site_count": t.site_count,
        "min_age_years": t.min_age_years, "max_age_years": t.max_age_years, "sex": t.sex,
        "immunotherapy": t.immunotherapy, "featured": t.featured, "hidden": t.hidden,
        "snapshot_date": t.snapshot_date, "source_format": t.source_format, "source_file": t.source_file,
        "imported_at": t.imported_at.isoformat() if t.imported_at else None, "url": t.url,
    }


def cmd_export(args: argparse.Namespace) -> int:
    url = _url(args)
    _require_schema(url)
    try:
        out: TextIO = args.out.open("w", encoding="utf-8", newline="") if args.out else sys.stdout
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror}", EXIT_ERROR) from exc
    count = 0
    try:
        with _database_errors(url), session_scope(url) as session:
            if args.format == "csv":
                writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
                writer.writeheader()
                for trial in store.iter_details(session):
                    writer.writerow(_csv_row(trial))
                    count += 1
            else:
                out.write("[\n")
                for trial in store.iter_details(session):
                    out.write(("" if count == 0 else ",\n") + json.dumps(
                        {**dataclasses.asdict(trial), "url": trial.url}, ensure_ascii=False, default=str))
                    count += 1
                out.write("\n]\n")
    finally:
        if args.out:
            out.close()
    print(f"exported {count} trial(s)" + (f" to {args.out}" if args.out else ""), file=sys.stderr)
    return EXIT_OK


def cmd_upgrade(args: argparse.Namespace) -> int:
    url = _url(args)
    with _database_errors(url):
        revision = migrate.upgrade(url, args.revision)
    print(f"trial store {safe_url(url)} at schema revision {revision}")
    return EXIT_OK


def cmd_seed(args: argparse.Namespace) -> int:
    url = _url(args)
    with _database_errors(url):
        migrate.upgrade(url)
        report = seed(url)
        if report is None:
            with session_scope(url) as session:
                print(f"the store already holds {store.count(session)} trial(s): nothing imported")
            return EXIT_OK
    print(report.summary())
    return _import_exit(report)


def cmd_sync(args: argparse.Namespace) -> int:
    from bot.trials import sync

    url = _url(args)
    if args.status:
        _require_schema(url)
        with _database_errors(url):
            summary = sync.last_sync_summary(url)
        print(sync.describe(summary))
        return EXIT_OK
    settings = args.settings
    with _database_errors(url):
        migrate.upgrade(url)
    sync.log_to_file()
    try:
        options = sync.options_from_settings(settings, api_url=args.api_url, queries_file=args.queries,
                                             page_size=args.page_size, full=args.full)
        with _database_errors(url):
            report = sync.sync(options, url, progress=sync.Progress())
    except sync.SyncError as exc:
        raise CliError(f"trial sync: {exc}", EXIT_ERROR) from exc
    except KeyboardInterrupt:
        print("interrupted: the store holds whole records only; the next sync resumes where this one stopped",
              file=sys.stderr)
        return 130
    print(report.summary())
    return EXIT_PARTIAL if report.skipped else EXIT_OK
