"""Rasa's REST channel with input checks: bad requests get a clear HTTP error, never a 500.

Stock ``RestInput`` answers a malformed body with an error page or a 500, and files messages
without a ``sender`` under one shared "default" conversation. This channel keeps the same
URL (``/webhooks/rest/webhook``) and reply format, and checks the request first. A message
holding several questions gets each one answered (:func:`answer_each_question`), and each
reply says which message it answers (``reply_to``), for the widget's "helpful?" votes.
"""
from __future__ import annotations

import logging
import re
import uuid
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.questions import split_questions

logger = logging.getLogger(__name__)

# Far above any real question (the assistant answers long messages politely), but bounded.
MAX_MESSAGE_CHARS = 20_000
MAX_METADATA_CHARS = 2_000
SENDER_ID = re.compile(r"^[A-Za-z0-9_.:@-]{1,128}$")


class BadRequest(ValueError):
    """The request cannot be handled; the message tells the client what to fix."""


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def parse_request(body: bytes) -> tuple[str, str, dict[str, Any]]:
    """(sender, message, metadata) from a webhook body, or BadRequest saying what is wrong."""
    import json

    try:
        payload = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The body must be JSON: {\"sender\": \"...\", \"message\": \"...\"}.") from None
    if not isinstance(payload, dict):
        raise BadRequest("The body must be a JSON object with 'sender' and 'message'.")
    sender = payload.get("sender")
    if not isinstance(sender, str) or not SENDER_ID.match(sender):
        raise BadRequest(
            "'sender' must be a conversation id of 1 to 128 letters, digits or . _ : @ -"
        )
    message = payload.get("message")
    if not isinstance(message, str):
        raise BadRequest("'message' must be a string.")
    if not message.strip():
        raise BadRequest("'message' is empty: type a question.")
    if len(message) > MAX_MESSAGE_CHARS:
        raise BadRequest(f"'message' is longer than {MAX_MESSAGE_CHARS} characters.")
    metadata = payload.get("metadata") or {}
    if not isinstance(metadata, dict) or len(json.dumps(metadata)) > MAX_METADATA_CHARS:
        raise BadRequest(f"'metadata' must be a JSON object under {MAX_METADATA_CHARS} characters.")
    return sender, message, metadata


async def answer_each_question(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    collector: CollectingOutputChannel,
    sender: str,
    text: str,
    input_channel: str,
    metadata: dict[str, Any],
) -> None:
    """Each question of the message to Rasa in turn, urgent ones first (bot/questions.py), in
    the same conversation. Every reply is tagged ``reply_to`` with the id of the message it
    answers (Rasa stores it on the user event), which the widget's feedback votes refer to."""
    for part in split_questions(text):
        message_id = uuid.uuid4().hex
        first = len(collector.messages)
        await on_new_message(
            UserMessage(
                part, collector, sender, input_channel=input_channel, message_id=message_id,
                metadata=metadata,
            )
        )
        for reply in collector.messages[first:]:
            reply["reply_to"] = message_id


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text, metadata = parse_request(request.body)
            except BadRequest as exc:
                return _error(400, str(exc))
            collector = CollectingOutputChannel()
            try:
                await answer_each_question(on_new_message, collector, sender, text, self.name(), metadata)
            except CancelledError:
                logger.error("Message from %s timed out.", sender)
                return _error(503, "The assistant took too long to answer; please try again.")
            except Exception:  # logged with its trace; the client gets no internals
                logger.exception("Message from %s could not be handled.", sender)
                return _error(500, "The assistant could not answer; please try again later.")
            return response.json(collector.messages)

        return webhook
