"""``POST /api/feedback``: the widget's "helpful / not helpful" vote on one answer.

Body: ``{"sender": "<conversation id>", "reply_to": "<id sent with the answer>", "vote":
"helpful" | "not_helpful"}`` as ``application/json``, under 1 KB. The question and the answer
are read from the conversation store (bot/inbox/feedback.py), never from the request.
Answers: 200 ``{"status": "recorded", "vote": ...}``; 400 malformed (the message says what to
fix); 404 no such answer; 413 too big; 415 not JSON; 503 the conversation store is down.

The route is same-origin (the page's CSP allows ``connect-src 'self'``) and the server sends no
CORS headers: a JSON POST from another site needs a preflight that never succeeds.
"""
from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.inbox import feedback, store
from bot.settings import Settings

log = logging.getLogger(__name__)

PATH = "/api/feedback"


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class FeedbackEndpoint:
    def __init__(self, settings: Settings) -> None:
        self.url = settings.tracker_store_url
        self.engine: Engine = store.engine_for(self.url)  # connects only when a vote comes

    def _record(self, sender: str, message_id: str, vote: str) -> feedback.Vote:
        if store.sqlite_file_missing(self.url):
            raise feedback.UnknownAnswer("There is no conversation yet.")
        return feedback.record_vote(self.engine, sender, message_id, vote)

    async def handle(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _error(415, "Send the vote as application/json.")
        if (request.content_length or 0) > feedback.MAX_BODY_BYTES:
            return _error(413, f"The body must be under {feedback.MAX_BODY_BYTES} bytes.")
        body = await request.content.read(feedback.MAX_BODY_BYTES + 1)
        try:
            sender, message_id, vote = feedback.parse_vote(body)
        except feedback.BadVote as exc:
            status = 413 if len(body) > feedback.MAX_BODY_BYTES else 400
            return _error(status, str(exc))
        loop = asyncio.get_running_loop()
        try:
            # The database calls block: keep them off the loop that serves the pages.
            recorded = await loop.run_in_executor(None, self._record, sender, message_id, vote)
        except feedback.UnknownAnswer as exc:
            return _error(404, str(exc))
        except SQLAlchemyError:
            log.exception("A feedback vote could not be stored.")
            return _error(503, "The vote could not be saved right now; please try again later.")
        return web.json_response({"status": "recorded", "vote": recorded.vote})

    def close(self) -> None:
        self.engine.dispose()


def add_routes(app: web.Application, settings: Settings) -> None:
    endpoint = FeedbackEndpoint(settings)
    app.router.add_post(PATH, endpoint.handle)

    async def dispose(_: web.Application) -> None:
        endpoint.close()

    app.on_cleanup.append(dispose)
