"""``bot inbox``: what patients asked that the assistant did not understand well, and the
answers they marked "not helpful" in the web chat ("wrong answer" items).

    bot inbox                      list the items (grouped, counted, personal data masked)
    bot inbox add ITEM ENTRY       make the item an example of an existing FAQ entry
    bot inbox new ITEM             make the item the first example of a new entry
    bot inbox dismiss ITEM...      hide items that need no change (small talk, off-topic)
    bot inbox purge                delete conversations older than the retention period

Exit codes: 0 done; 1 the action was refused (the message says why); 2 mistyped command.
Sender ids are never shown.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from bot.errors import CliError, EditRejected
from bot.faq import service as faq_service
from bot.faq.model import FAQ_DIR, LANGUAGE_NAMES, LANGUAGES, read_topics, shown_path
from bot.faq.paths import FaqPaths
from bot.faq.problems import Report
from bot.faq.prompts import ask_entry
from bot.inbox import service, store
from bot.settings import PROJECT_ROOT

EXIT_OK, EXIT_REFUSED = 0, 1
SHOWN_VARIANTS = 3
ANSWER_SHOWN_CHARS = 300


def _url(args: argparse.Namespace) -> str:
    return args.db or args.settings.tracker_store_url


def _paths(args: argparse.Namespace) -> FaqPaths:
    return FaqPaths(faq_dir=Path(args.faq_dir), root=Path(args.root))


def _day(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d")


def _item(args: argparse.Namespace, item_id: str) -> tuple[service.Inbox, service.InboxItem]:
    inbox = service.load_inbox(_url(args), below=args.below)
    return inbox, service.find_item(inbox, item_id)


def _print_warnings(report: Report) -> None:
    if report.warnings:
        print("Worth a look (nothing blocks):")
        for problem in report.warnings:
            print(problem.render())


def _print_answer(item: service.InboxItem) -> None:
    """The answer a patient marked not helpful, shortened (staff open the entry for the rest)."""
    answer = " ".join((item.answer or "").split())
    if len(answer) > ANSWER_SHOWN_CHARS:
        answer = answer[: ANSWER_SHOWN_CHARS - 1].rstrip() + "…"
    source = f" (entry {item.suggestion})" if item.suggestion else ""
    print(f"    answer given{source}: \"{answer}\"")


def cmd_list(args: argparse.Namespace) -> int:
    inbox = service.load_inbox(_url(args), below=args.below, days=args.days)
    period = f"the last {args.days} days" if args.days else "the kept conversations"
    if not inbox.items:
        print(f"The inbox is empty: nothing to review in {period}.")
    else:
        wrong = sum(item.reason == service.WRONG_ANSWER for item in inbox.items)
        print(f"{len(inbox.items) - wrong} question(s) the assistant did not understand well and "
              f"{wrong} answer(s) patients marked \"not helpful\", in {period} (personal data masked):\n")
    for item in inbox.items[: args.limit] if args.limit else inbox.items:
        languages = "+".join(lang.upper() for lang in item.languages) or "language unknown"
        times = "once" if item.count == 1 else f"{item.count} times"
        print(f"[{item.id}]  asked {times} in {item.conversations} conversation(s) · {languages} · "
              f"{item.reason} · last {_day(item.last_seen)}")
        print(f"    \"{item.leader.masked}\"")
        others = item.messages[1 : 1 + SHOWN_VARIANTS]
        if others:
            variants = ", ".join(f"\"{m.masked}\"" + (f" ({m.count})" if m.count > 1 else "") for m in others)
            more = len(item.messages) - 1 - len(others)
            print(f"    also: {variants}" + (f" and {more} more" if more > 0 else ""))
        if item.reason == service.WRONG_ANSWER:
            _print_answer(item)
        elif item.suggestion:
            label = "answered with entry" if item.reason == service.UNSURE else "closest entry"
            print(f"    {label}: {item.suggestion}")
        print()
    if inbox.left_out:
        print(f"Left out: {inbox.left_out} message(s) in another language or too long to read.")
    if inbox.items:
        print(
            "For each item:\n"
            "  bot inbox add ITEM ENTRY     it is a way of asking an existing entry (`bot faq list`)\n"
            "  bot inbox new ITEM           it needs a new entry (you will write the answer)\n"
            "  bot inbox dismiss ITEM       nothing to change (small talk, off-topic...)\n"
            "Then run `bot faq retrain` so that the assistant learns the changes."
        )
    return EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    _, item = _item(args, args.item)
    engine = store.engine_for(_url(args))
    try:
        report = service.add_as_example(engine, _paths(args), item, args.entry, args.lang, args.text)
    except EditRejected as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    lang = service.example_language(item, args.lang)
    print(f"Added \"{service.example_text(item, args.text)}\" as a {LANGUAGE_NAMES[lang]} example of "
          f"'{args.entry}'. The item is done and leaves the inbox.")
    _print_warnings(report)
    print("Next: run `bot faq retrain` so that the assistant learns it.")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    _, item = _item(args, args.item)
    paths = _paths(args)
    text = service.example_text(item, args.text)
    lang = service.example_language(item, args.lang)
    if args.file:
        found = faq_service.drafts_from_file(Path(args.file), args.topic)
        if len(found) != 1:
            raise CliError(f"{args.file} must hold exactly one entry.")
        draft, topic, title = found[0]
        topic_file = faq_service.topic_file_for(paths, topic, f"{args.file}")
        if text not in draft.examples[lang]:
            draft.examples[lang] = [text, *draft.examples[lang]]
    else:
        topics, _ = read_topics(paths.faq_dir)
        try:
            draft, choice = ask_entry(topics, paths.faq_dir, given_examples={lang: [text]})
        except EOFError:
            raise CliError("the input ended before the entry was complete; nothing was changed.") from None
        topic_file, title = choice.file, choice.title
    engine = store.engine_for(_url(args))
    try:
        report = service.add_as_entry(engine, paths, item, draft, topic_file.name, args.title or title)
    except EditRejected as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    print(f"Added the entry '{draft.id}' to {shown_path(paths.faq_dir / topic_file.name)}. "
          "The item is done and leaves the inbox.")
    _print_warnings(report)
    print("Next: run `bot faq retrain` so that the assistant learns it.")
    return EXIT_OK


def cmd_dismiss(args: argparse.Namespace) -> int:
    inbox = service.load_inbox(_url(args), below=args.below)
    items = [service.find_item(inbox, item_id) for item_id in args.items]
    engine = store.engine_for(_url(args))
    for item in items:
        service.dismiss(engine, item)
        print(f"Dismissed [{item.id}] \"{item.leader.masked}\": it will not come back.")
    return EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    settings = args.settings
    if args.db:
        from dataclasses import replace

        settings = replace(settings, tracker_store_url=args.db)
    days = args.days if args.days is not None else settings.retention_days
    if days < 1:
        raise CliError("--days must be at least 1.")
    if days < settings.retention_days and not args.yes:
        raise CliError(
            f"{days} days is shorter than the retention period ({settings.retention_days} days, "
            "setting RETENTION_DAYS): this deletes recent conversations too. Add --yes if that is "
            "what you want."
        )
    result = service.purge_expired_conversations(settings, days)
    cutoff = dt.date.today() - dt.timedelta(days=days)
    votes = f", with {result.votes} answer vote(s)" if result.votes else ""
    print(f"Deleted {result.events} event(s) from {result.conversations} conversation(s){votes} older "
          f"than {days} days (before {cutoff.isoformat()}).")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    common = argparse.ArgumentParser(add_help=False)
    # Hidden: another conversation database or FAQ folder (tests, dry runs).
    common.add_argument("--db", help=argparse.SUPPRESS)
    common.add_argument("--faq-dir", default=str(FAQ_DIR), help=argparse.SUPPRESS)
    common.add_argument("--root", default=str(PROJECT_ROOT), help=argparse.SUPPRESS)
    common.add_argument(
        "--below", type=float, default=service.LOW_CONFIDENCE, metavar="CONFIDENCE",
        help=f"also list answers given with less confidence than this (default {service.LOW_CONFIDENCE})",
    )

    inbox = subparsers.add_parser(
        "inbox", parents=[common],
        help="questions the assistant did not understand well: turn them into FAQ examples",
        description="Questions patients asked that the assistant did not understand well, "
        "grouped and with personal data masked. See docs/staff.md.",
    )
    inbox.add_argument("--days", type=int, help="only the last DAYS days")
    inbox.add_argument("--limit", type=int, help="show at most this many items")
    inbox.set_defaults(handler=cmd_list)
    actions = inbox.add_subparsers(dest="inbox_command", metavar="ACTION")

    p = actions.add_parser("list", parents=[common], help="list the items (the default)")
    p.add_argument("--days", type=int, help="only the last DAYS days")
    p.add_argument("--limit", type=int, help="show at most this many items")
    p.set_defaults(handler=cmd_list)

    p = actions.add_parser("add", parents=[common], help="make an item an example of an existing entry")
    p.add_argument("item", metavar="ITEM", help="the item's id, shown in brackets by `bot inbox`")
    p.add_argument("entry", metavar="ENTRY", help="the FAQ entry's id (see `bot faq list`)")
    p.add_argument("--lang", choices=LANGUAGES, help="the example's language, when it can't be told")
    p.add_argument("--text", help="the question in your own words (needed if it holds personal data)")
    p.set_defaults(handler=cmd_add)

    p = actions.add_parser("new", parents=[common], help="start a new entry from an item")
    p.add_argument("item", metavar="ITEM", help="the item's id, shown in brackets by `bot inbox`")
    p.add_argument("--file", help="a YAML file with the rest of the entry (else you are asked)")
    p.add_argument("--topic", help="the topic (file under faq/) of the new entry")
    p.add_argument("--title", help="title of the topic, when it is a new one")
    p.add_argument("--lang", choices=LANGUAGES, help="the message's language, when it can't be told")
    p.add_argument("--text", help="the question in your own words (needed if it holds personal data)")
    p.set_defaults(handler=cmd_new)

    p = actions.add_parser("dismiss", parents=[common], help="hide items that need no change")
    p.add_argument("items", metavar="ITEM", nargs="+")
    p.set_defaults(handler=cmd_dismiss)

    p = actions.add_parser(
        "purge", parents=[common], help="delete conversations older than the retention period"
    )
    p.add_argument("--days", type=int, help="retention in days (default: setting RETENTION_DAYS, 90)")
    p.add_argument("--yes", action="store_true", help="confirm a period shorter than the setting")
    p.set_defaults(handler=cmd_purge)
