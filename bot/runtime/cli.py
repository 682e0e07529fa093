"""``bot run`` and ``bot train``: the commands; what they do is in bot/runtime/launcher.py
(processes) and bot/faq/service.py (the FAQ's files, then the model)."""
from __future__ import annotations

import argparse
import os
from dataclasses import replace

from bot.errors import CliError, FaqFormatError
from bot.faq import service as faq_service
from bot.runtime import launcher
from bot.settings import PROJECT_ROOT


def say(line: str) -> None:
    print(line, flush=True)


def run(args: argparse.Namespace) -> int:
    settings = args.settings
    if getattr(args, "rasa_instances", None):
        os.environ["RASA_INSTANCES"] = str(args.rasa_instances)  # the children read it too
        settings = replace(settings, rasa_instances=args.rasa_instances)
    launcher.prepare(settings, say)
    try:
        model = faq_service.train()
    except FaqFormatError as exc:
        raise CliError(f"the FAQ has a problem, nothing was started:\n{exc}") from None
    launcher.serve(settings, model, say)
    return 0


def train(args: argparse.Namespace) -> int:
    try:
        path = faq_service.train(force=args.force)
    except FaqFormatError as exc:
        raise CliError(f"the FAQ has a problem, nothing was trained:\n{exc}") from None
    print(f"Model: {path.relative_to(PROJECT_ROOT)}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    run_parser = subparsers.add_parser(
        "run", help="train if needed, then run the assistant and its chat page (Ctrl-C stops)"
    )
    run_parser.add_argument(
        "--rasa-instances", type=int, metavar="N",
        help="N Rasa processes behind nginx (default: RASA_INSTANCES, else 1); N > 1 needs "
        "PostgreSQL and Redis (README, Deploying)",
    )
    run_parser.set_defaults(handler=run)
    train_parser = subparsers.add_parser("train", help="train the model if its inputs changed")
    train_parser.add_argument("--force", action="store_true", help="train even if nothing changed")
    train_parser.set_defaults(handler=train)
