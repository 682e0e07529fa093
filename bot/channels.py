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

from bot.channel_guards import ChannelGuard, conversation_language, health, not_saved, refusal
from bot.conversation_store import ConversationStoreError
from bot.errors import SettingsError
from bot.limits import MAX_BODY_BYTES, MAX_MESSAGE_CHARS, MAX_METADATA_CHARS, MAX_METADATA_DEPTH
from bot.questions import split_questions
from bot.settings import Settings

logger = logging.getLogger(__name__)

SENDER_ID = re.compile(r"^[A-Za-z0-9_.:@-]{1,128}$")
# Rasa reads "/intent{...}" as a command that skips the NLU ("/restart" resets the conversation
# and its language): typed text is only ever text, so leading slashes are dropped.
_COMMAND_PREFIX = re.compile(r"^\s*/+")


class BadRequest(ValueError):
    """The request cannot be handled; the message tells the client what to fix."""


class MessageTooLong(BadRequest):
    """The message is over MAX_MESSAGE_CHARS: a polite 413 in the conversation's language."""

    def __init__(self, sender: str, metadata: dict[str, Any]) -> None:
        super().__init__(f"'message' is longer than {MAX_MESSAGE_CHARS} characters.")
        self.sender, self.metadata = sender, metadata


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of a JSON value, counting no further than ``limit + 1``."""
    if limit < 0 or not isinstance(value, (dict, list)):
        return 0
    children = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(child, limit - 1) for child in children), default=0)


def _is_text(value: str) -> bool:
    """False for strings JSON allows but UTF-8 cannot hold (a lone surrogate such as \\ud800)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def as_text(message: str) -> str:
    """The message as the NLU should read it: never a Rasa command."""
    return _COMMAND_PREFIX.sub("", message)


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def parse_request(body: bytes) -> tuple[str, str, dict[str, Any]]:
    """(sender, message, metadata) from a webhook body, or BadRequest saying what is wrong."""
    import json

    if len(body or b"") > MAX_BODY_BYTES:
        raise BadRequest(f"The body is over {MAX_BODY_BYTES} bytes.")
    try:
        payload = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadRequest("The body must be JSON: {\"sender\": \"...\", \"message\": \"...\"}.") from None
    if not isinstance(payload, dict):
        raise BadRequest("The body must be a JSON object with 'sender' and 'message'.")
    sender = payload.get("sender")
    if not isinstance(sender, str) or not SENDER_ID.match(sender):
        raise BadRequest(
            "'sender' must be a conversation id of 1 to 128 letters, digits or . _ : @ -"
        )
    metadata = payload.get("metadata") or {}
    if (
        not isinstance(metadata, dict)
        or _depth(metadata, MAX_METADATA_DEPTH) > MAX_METADATA_DEPTH
        or len(json.dumps(metadata)) > MAX_METADATA_CHARS
        or not _is_text(json.dumps(metadata, ensure_ascii=False))
    ):
        raise BadRequest(
            f"'metadata' must be a JSON object under {MAX_METADATA_CHARS} characters, "
            f"nested {MAX_METADATA_DEPTH} deep at most."
        )
    message = payload.get("message")
    if not isinstance(message, str):
        raise BadRequest("'message' must be a string.")
    if not _is_text(message):
        raise BadRequest("'message' is not valid text (it holds a lone UTF-16 surrogate).")
    message = as_text(message)
    if not message.strip():
        raise BadRequest("'message' is empty: type a question.")
    if len(message) > MAX_MESSAGE_CHARS:
        raise MessageTooLong(sender, metadata)
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


_settings: Settings | None = None  # set once by the Rasa process's entry point (bot.runtime.rasa_server)


def use_settings(settings: Settings) -> None:
    """The settings the channel's guard is built from (Rasa builds the channel from
    credentials.yml, without arguments, after bot.runtime.rasa_server has loaded them)."""
    global _settings
    _settings = settings


class GuardedRestInput(RestInput):
    def __init__(self, guard: ChannelGuard | None = None) -> None:
        if guard is None and _settings is None:
            raise SettingsError("the REST channel needs the settings: start Rasa with `python -m bot.runtime.rasa_server`")
        self.guard = guard or ChannelGuard.from_settings(_settings)  # type: ignore[arg-type]

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health_check(request: Request) -> HTTPResponse:
            return health()

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refused = self.guard.client_refusal(request)
            if refused:
                return refused
            try:
                sender, text, metadata = parse_request(request.body)
            except MessageTooLong as exc:
                return refusal(413, "too_long", conversation_language(exc.sender, exc.metadata))
            except BadRequest as exc:
                return _error(400, str(exc))
            refused = self.guard.conversation_refusal(sender, metadata)
            if refused:
                return refused
            collector = CollectingOutputChannel()
            try:
                await answer_each_question(on_new_message, collector, sender, text, self.name(), metadata)
            except ConversationStoreError as exc:  # nothing answered that would be forgotten
                return not_saved(exc, metadata)
            except CancelledError:
                logger.error("Message from %s timed out.", sender)
                return _error(503, "The assistant took too long to answer; please try again.")
            except Exception:  # logged with its trace; the client gets no internals
                logger.exception("Message from %s could not be handled.", sender)
                return _error(500, "The assistant could not answer; please try again later.")
            return response.json(collector.messages)

        return webhook
