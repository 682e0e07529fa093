"""The ``bot`` command: one entry point for developers and staff.

Each area registers its own subcommands (``register(subparsers)``) and sets ``handler`` on
its parsers; a handler returns an exit code or raises an error of the family in
bot/errors.py (:class:`BotError`), with a message meant for the person at the keyboard: it
is printed here, in one line, with its exit code (no stack trace). Only the command modules
print; the workflows they call (services) return results or raise.

The command modules are imported plainly: ``bot --help`` builds every parser, so they are
loaded either way; none of them imports Rasa or TensorFlow (measured: 1.9-2.7 s, as with
the lazy imports before).
The settings are loaded once, here, and handed to every handler as ``args.settings``.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.console import cli as console_cli
from bot.errors import BotError
from bot.evaluation import cli as evaluation_cli
from bot.faq import cli as faq_cli
from bot.inbox import cli as inbox_cli
from bot.runtime import cli as runtime_cli
from bot.settings import load_settings
from bot.trials import cli as trials_cli

# Modules that add subcommands, in the order they appear in ``bot --help``.
COMMANDS = (runtime_cli, trials_cli, faq_cli, inbox_cli, evaluation_cli, console_cli)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bot",
        description="Institut Curie immunotherapy assistant: run it, and keep its trials and FAQ up to date.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.settings = load_settings()  # the one read of the environment and .env for `bot`
        return int(args.handler(args) or 0)
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
