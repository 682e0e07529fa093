"""The ``bot`` command: one entry point for developers and staff.

Each area registers its own subcommands (``register(subparsers)``) and sets ``handler`` on
its parsers; a handler returns an exit code or raises :class:`CliError` with a message
meant for the person at the keyboard (no stack trace). The settings are loaded once, here, and
handed to every handler as ``args.settings``.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot.errors import BotError
from bot.settings import load_settings

# Modules that add subcommands, in the order they appear in ``bot --help``.
COMMAND_MODULES = (
    "bot.launcher",
    "bot.trials.cli",
    "bot.faq.cli",
    "bot.inbox.cli",
    "bot.evaluation.cli",
    "bot.console.cli",
)


# The one error family (bot/errors.py); CliError is its name in the command modules.
CliError = BotError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bot",
        description="Institut Curie immunotherapy assistant: run it, and keep its trials and FAQ up to date.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
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
