"""``python -m bot.web``: serve the chat page until Ctrl-C (or SIGTERM from the launcher).

Host and port come from the settings (BOT_HOST, WEB_PORT, RASA_PORT) and nowhere else, on
purpose: Rasa's CORS origins are derived from the same settings, so a port given here alone
would produce a page that Rasa refuses to answer.
"""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.settings import load_settings
from bot.web.server import run


def main(argv: Sequence[str] | None = None) -> int:
    argparse.ArgumentParser(
        prog="python -m bot.web",
        description="Serve the Institut Curie chat page (FR/EN), its privacy notice and the "
        "widget. Configure with BOT_HOST, WEB_PORT, RASA_PORT, RETENTION_DAYS (or .env).",
    ).parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run(load_settings())
    return 0


if __name__ == "__main__":
    sys.exit(main())
