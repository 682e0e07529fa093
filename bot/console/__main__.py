"""``python -m bot.console``: the staff console alone, on its own interface and port.

For production, where the chat page faces the internet and the console must not: run the
page server with STAFF_CONSOLE=false, and this on an internal interface
(STAFF_HOST, default 127.0.0.1; STAFF_PORT, default 8010), behind HTTPS
(STAFF_SECURE_COOKIES=true).
"""
from __future__ import annotations

import logging
import os
import sys

from aiohttp import web

from bot.console.settings import load_console_settings
from bot.console.web import mount
from bot.settings import load_settings
from bot.web.server import _security_headers  # the same headers as the chat page


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    host = os.environ.get("STAFF_HOST", "127.0.0.1")
    port = int(os.environ.get("STAFF_PORT", "8010"))
    app = web.Application(middlewares=[_security_headers(settings)])
    mount(app, settings, load_console_settings())
    web.run_app(app, host=host, port=port, shutdown_timeout=2.0,
                print=lambda *_: logging.info("staff console on http://%s:%s/staff/", host, port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
