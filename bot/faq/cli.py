"""``bot faq``: the staff commands to keep the FAQ (see docs/staff.md).

Exit codes: 0 done; 1 problems found or the change was refused (the message says why);
2 the command was mistyped; 3 the model was trained but the running assistant could not
load it (it keeps the previous one until restarted).
"""
from __future__ import annotations

import argparse
import datetime as dt
import difflib
import sys
import textwrap
from pathlib import Path
from typing import Any

from bot.errors import CliError, EditRejected, FaqBuildError, TrainingFailed
from bot.faq import service
from bot.faq.edit import EntryDraft, render_entry
from bot.faq.model import FAQ_DIR, LANGUAGES, Entry, all_entries, read_topics, shown_path
from bot.faq.paths import FaqPaths
from bot.faq.problems import Report
from bot.faq.prompts import ask_entry
from bot.faq.validate import overdue, validate
from bot.runtime.model import model_path
from bot.runtime.publish import publish_model
from bot.settings import FAQ_DRAFTS_DIR, PROJECT_ROOT

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_NOT_LOADED = 3


def paths_from(args: argparse.Namespace) -> FaqPaths:
    return FaqPaths(faq_dir=Path(args.faq_dir), root=Path(args.root))


def _entries(paths: FaqPaths) -> tuple[list[Any], list[Entry], int]:
    topics, problems = read_topics(paths.faq_dir, paths.shown_dir)
    return topics, all_entries(topics), sum(p.is_error for p in problems)


def find_or_fail(paths: FaqPaths, entry_id: str) -> Entry:
    _, entries, _ = _entries(paths)
    for entry in entries:
        if entry.id == entry_id:
            return entry
    close = difflib.get_close_matches(entry_id, [e.id for e in entries], n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise CliError(f"there is no entry '{entry_id}'.{hint} `bot faq list` shows every entry.")


def _print_report(report: Report) -> None:
    if report.problems:
        print(report.render())


# -- list / show / review --------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    paths = paths_from(args)
    topics, entries, errors = _entries(paths)
    today = dt.date.today()
    shown = [t for t in topics if not args.topic or t.name == args.topic or t.file.stem == args.topic]
    if args.topic and not shown:
        raise CliError(f"there is no topic '{args.topic}'; topics: {', '.join(t.file.stem for t in topics)}.")
    for topic in shown:
        print(f"{topic.file.stem}: {topic.title} ({shown_path(topic.file, paths.faq_dir, paths.shown_dir)})")
        for entry in topic.entries:
            counts = f"{len(entry.examples['fr'])} FR / {len(entry.examples['en'])} EN examples"
            review = entry.review_by.isoformat() if entry.review_by else "no review date"
            late = "  <- review date passed" if entry.review_by and entry.review_by < today else ""
            print(f"  {entry.id:<36} {counts:<26} review by {review}{late}")
    print(f"{sum(len(t.entries) for t in shown)} entries in {len(shown)} topic(s).")
    if errors:
        print(f"Some entries could not be read ({errors} error(s)): run `bot faq validate`.")
    return EXIT_OK


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=92, initial_indent="  ", subsequent_indent="  ")


def cmd_show(args: argparse.Namespace) -> int:
    paths = paths_from(args)
    entry = find_or_fail(paths, args.entry_id)
    print(f"{entry.id}  ({shown_path(entry.file, paths.faq_dir, paths.shown_dir)}, topic '{entry.topic}')")
    print(f"Review by: {entry.review_by.isoformat() if entry.review_by else '(missing)'}")
    for lang in LANGUAGES:
        label = lang.upper()
        print(f"Source ({label}): {entry.source.document[lang]} ({entry.source.date[lang]})")
    for lang in LANGUAGES:
        print(f"Answer ({lang.upper()}):")
        print(_wrap(entry.answer[lang]) if entry.answer[lang] else "  (missing)")
    for lang in LANGUAGES:
        print(f"Examples ({lang.upper()}, {len(entry.examples[lang])}):")
        for example in entry.examples[lang]:
            print(f"  - {example}")
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    paths = paths_from(args)
    topics, _, _ = _entries(paths)
    today = dt.date.today()
    due = overdue(topics, today, args.within)
    if not due:
        extra = f" or within {args.within} days" if args.within else ""
        print(f"No entry is past its review date{extra}.")
        return EXIT_OK
    for entry in due:
        assert entry.review_by is not None
        days = (entry.review_by - today).days
        when = f"{-days} day(s) ago" if days < 0 else ("today" if days == 0 else f"in {days} day(s)")
        state = "PAST" if days < 0 else "soon"
        print(f"  {state:<5} {entry.id:<36} review by {entry.review_by.isoformat()} ({when})  "
              f"{shown_path(entry.file, paths.faq_dir, paths.shown_dir)}")
    past = sum(1 for e in due if e.review_by and e.review_by < today)
    soon = len(due) - past
    print(f"{past} past their review date, {soon} due within {args.within} days. For each: check "
          "the answer against its source, update it if needed, then set a new 'review_by:' date "
          "(and run `bot faq retrain`).")
    return EXIT_OK


# -- validate / build / retrain --------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    report = validate(paths_from(args), similarity=not args.quick)
    _print_report(report)
    if not report.ok or (args.strict and report.warnings):
        print("The FAQ has problems: fix them as described above, then run `bot faq validate` again.")
        return EXIT_PROBLEMS
    print("The FAQ is valid." + (" (Warnings are worth a look but change nothing.)" if report.warnings else ""))
    return EXIT_OK


def _build(paths: FaqPaths, check_only: bool = False) -> bool:
    """Generates the Rasa files; True when something changed."""
    try:
        result = service.build(paths, check_only=check_only)
    except FaqBuildError as exc:
        print(exc.report.render())
        raise CliError(
            "the FAQ has errors, so nothing was generated: fix them as described above.",
            EXIT_PROBLEMS,
        ) from None
    verb = "Would write" if check_only else "Wrote"
    for path in result.written:
        print(f"{verb} {shown_path(path)}")
    for path in result.removed:
        print(f"{'Would remove' if check_only else 'Removed'} {shown_path(path)} (its topic file is gone)")
    if not result.written and not result.removed:
        print("The assistant's FAQ files are already up to date.")
    return bool(result.written or result.removed)


def cmd_build(args: argparse.Namespace) -> int:
    changed = _build(paths_from(args), check_only=args.check)
    return EXIT_PROBLEMS if args.check and changed else EXIT_OK


def train_model(paths: FaqPaths) -> tuple[Path, bool]:
    """The model for the project's current data, and whether it had to be trained."""
    if not paths.is_project:
        raise CliError("`bot faq retrain` works on the project's own faq/ folder only.")
    existed = model_path().is_file()  # of the files generated at step 2
    try:
        return service.train(), not existed
    except TrainingFailed as exc:
        raise CliError(
            f"training failed ({exc}). The assistant keeps its previous model. "
            "Show the output above to a developer.",
            EXIT_PROBLEMS,
        ) from None


def cmd_retrain(args: argparse.Namespace) -> int:
    paths = paths_from(args)
    print("1/4 Checking the FAQ...")
    report = validate(paths)
    _print_report(report)
    if not report.ok:
        raise CliError(
            "the FAQ has errors, so nothing was changed: fix them as described above, then run "
            "`bot faq retrain` again.",
            EXIT_PROBLEMS,
        )
    print("2/4 Generating the assistant's FAQ files...")
    _build(paths)
    print("3/4 Training the model if anything changed (a few minutes when it does)...", flush=True)
    model, trained = train_model(paths)
    print(f"    {'Trained a new model' if trained else 'Nothing changed since the last training; model'}: "
          f"{shown_path(model)}")
    print("4/4 Updating the running assistant...", flush=True)
    result = publish_model(args.settings, model)  # every instance, from one place
    print(f"    {result.message}")
    return EXIT_OK if result.ok else EXIT_NOT_LOADED


# -- add -------------------------------------------------------------------------------------


def _save_draft(draft: EntryDraft, topic_file: Path) -> Path:
    FAQ_DRAFTS_DIR.mkdir(parents=True, exist_ok=True)
    path = FAQ_DRAFTS_DIR / f"{draft.id or 'entry'}.yml"
    data = {"topic": topic_file.stem, **draft.to_data()}
    path.write_text(
        "# Draft FAQ entry: fix it, then run `bot faq add --file " + shown_path(path) + "`\n"
        + render_entry(data, 0),
        encoding="utf-8",
    )
    return path


def cmd_add(args: argparse.Namespace) -> int:
    paths = paths_from(args)
    if args.file:
        found = service.drafts_from_file(Path(args.file), args.topic)
        drafts = [(d, service.topic_file_for(paths, t, f"{args.file}, entry '{d.id}'"), args.title or title)
                  for d, t, title in found]
    else:
        topics, _, _ = _entries(paths)
        try:
            draft, choice = ask_entry(topics, paths.faq_dir)
        except EOFError:
            raise CliError("the input ended before the entry was complete; nothing was changed.") from None
        drafts = [(draft, choice.file, choice.title)]
    try:
        report = service.add_entries(paths, drafts)
    except EditRejected as exc:
        print(str(exc), file=sys.stderr)
        if not args.file:
            saved = _save_draft(drafts[0][0], drafts[0][1])
            print(f"Your entry was saved in {shown_path(saved)}: fix it there, then run "
                  f"`bot faq add --file {shown_path(saved)}`.", file=sys.stderr)
        return EXIT_PROBLEMS
    for draft, topic_file, _ in drafts:
        print(f"Added the entry '{draft.id}' to {shown_path(topic_file, paths.faq_dir, paths.shown_dir)}.")
    if report.warnings:
        print("Warnings (worth a look; the entry was added):")
        for problem in report.warnings:
            print(problem.render())
    print("Next: run `bot faq retrain` so that the assistant learns it.")
    return EXIT_OK


# -- registration ----------------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction) -> None:
    # Hidden options: point the commands at a copy of the FAQ (tests, dry runs).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--faq-dir", default=str(FAQ_DIR), help=argparse.SUPPRESS)
    common.add_argument("--root", default=str(PROJECT_ROOT), help=argparse.SUPPRESS)

    faq = subparsers.add_parser(
        "faq",
        help="keep the FAQ: add, list, show, validate, build, retrain, review",
        description="Keep the assistant's FAQ (the files under faq/). See docs/staff.md.",
    )
    commands = faq.add_subparsers(dest="faq_command", metavar="ACTION", required=True)

    p = commands.add_parser("list", parents=[common], help="list the entries, by topic")
    p.add_argument("--topic", help="only this topic")
    p.set_defaults(handler=cmd_list)

    p = commands.add_parser("show", parents=[common], help="show one entry in full")
    p.add_argument("entry_id", metavar="ENTRY", help="the entry's id, e.g. visits")
    p.set_defaults(handler=cmd_show)

    p = commands.add_parser(
        "add", parents=[common], help="add an entry: asks question by question, or reads --file"
    )
    p.add_argument("--file", help="a YAML file with the entry (same fields as in faq/*.yml)")
    p.add_argument("--topic", help="topic (file under faq/) the entry goes to, e.g. center")
    p.add_argument("--title", help="title of the topic, when it is a new one")
    p.set_defaults(handler=cmd_add)

    p = commands.add_parser("validate", parents=[common], help="check the FAQ for errors")
    p.add_argument("--strict", action="store_true", help="warnings count as problems too")
    p.add_argument("--quick", action="store_true", help="skip the similarity check (faster)")
    p.set_defaults(handler=cmd_validate)

    p = commands.add_parser(
        "build", parents=[common], help="check, then generate the assistant's files from the FAQ"
    )
    p.add_argument("--check", action="store_true",
                   help="change nothing; exit code 1 if the generated files are out of date")
    p.set_defaults(handler=cmd_build)

    p = commands.add_parser(
        "retrain", parents=[common],
        help="check, generate, train if anything changed, and update the running assistant",
    )
    p.set_defaults(handler=cmd_retrain)

    p = commands.add_parser("review", parents=[common], help="entries past their review date")
    p.add_argument("--within", type=int, default=0, metavar="DAYS",
                   help="also list entries due within this many days")
    p.set_defaults(handler=cmd_review)
