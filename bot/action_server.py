"""The action server: rasa_sdk's app, accepting calls only from our Rasa.

``python -m bot.action_server --port 5055``. Differences from ``python -m rasa_sdk``:
- every request but ``/health`` needs the header ``X-Action-Token`` with the shared secret
  (``Settings.action_token()``, passed by ``bot run`` to both Rasa and this server), checked
  in constant time by a request middleware; anything else gets a 401;
- errors never echo the request (rasa_sdk's 500 handler returns the whole body it received);
- no CORS: browsers have no business calling it;
- the same HTTP framing guard as Rasa (``bot.http_guard``).
"""
from __future__ import annotations

import argparse
import hmac
import logging
import os

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import http_guard
from bot.runtime.endpoints import ACTION_TOKEN_HEADER, ACTION_TOKEN_VARIABLE
from bot.settings import load_settings
from bot.trials import db

logger = logging.getLogger(__name__)
OPEN_PATHS = frozenset({"/health"})
UNREADABLE = "NONE"


def token_ok(sent: str | None, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest((sent or "").encode(), expected.encode())


def create_app(token: str, actions_package: str = "actions") -> Sanic:
    from rasa_sdk.endpoint import create_app as rasa_sdk_app

    if not token:
        raise ValueError(f"the action server needs a token (${ACTION_TOKEN_VARIABLE})")
    app = rasa_sdk_app(actions_package, cors_origins=[])

    @app.middleware("request")
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or token_ok(request.headers.get(ACTION_TOKEN_HEADER), token):
            return None
        if request.method == UNREADABLE:  # Sanic's stand-in for a request it refused to read
            return None  # (no route has this method: only the error response is sent)
        logger.warning("Refused a call to %s without the right %s header.", request.path, ACTION_TOKEN_HEADER)
        return response.json({"error": "This server only answers the assistant."}, status=401)

    async def errors_without_echo(request: Request, exception: Exception) -> HTTPResponse:
        if isinstance(exception, SanicException):
            return response.json({"error": str(exception) or "Bad request"}, status=exception.status_code)
        logger.error("Action call failed on %s", request.path, exc_info=exception)
        return response.json({"error": "The action failed; see the action server's log."}, status=500)

    app.error_handler.add(Exception, errors_without_echo)  # replaces rasa_sdk's echoing handler
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="the assistant's action server (rasa_sdk, token required)")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--actions", default="actions")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    # Before the actions import numpy: the launcher sets it too, this covers a start by hand.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    http_guard.install()
    settings = load_settings()  # once per process; the actions get what they need from here
    db.use_database(settings.database_url)
    app = create_app(os.environ.pop(ACTION_TOKEN_VARIABLE, ""), args.actions)
    app.run(os.environ.get("SANIC_HOST", "127.0.0.1"), args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
