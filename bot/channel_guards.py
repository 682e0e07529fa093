"""What the REST channel checks around each message, apart from the body itself:
rate limits (per client, per conversation), the polite refusals in the conversation's
language, and the conversation store's health. Kept apart from ``bot.channels`` so that the
channel stays a thin route.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.conversation_store import HEALTH, ConversationStoreError
from bot.limits import RateLimit, RateLimiter
from bot.service_messages import service_message
from bot.settings import Settings


def refusal(status: int, reason: str, language: object, headers: dict[str, str] | None = None) -> HTTPResponse:
    """A JSON refusal the widget shows as it is: ``{"error": text, "reason": key}``."""
    return response.json({"error": service_message(reason, language), "reason": reason}, status=status,
                         headers=headers)


def conversation_language(sender: str | None, metadata: dict[str, Any] | None) -> object:
    """The conversation's language as last saved, else the chat page's language."""
    return (HEALTH.language_of(sender) if sender else None) or (metadata or {}).get("lang")


@dataclass
class ChannelGuard:
    per_client: RateLimiter
    per_conversation: RateLimiter
    trusted_proxy_header: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> ChannelGuard:
        return cls(
            RateLimiter(RateLimit.parse(settings.rate_limit_per_client)),
            RateLimiter(RateLimit.parse(settings.rate_limit_per_conversation)),
            settings.trusted_proxy_header,
        )

    def client_address(self, request: Request) -> str:
        """The peer's address; a proxy's header only when one is configured as trusted."""
        if self.trusted_proxy_header:
            forwarded = request.headers.get(self.trusted_proxy_header, "")
            if forwarded.strip():
                return forwarded.split(",")[-1].strip()  # the address our proxy saw
        return str(request.ip or "unknown")

    def client_refusal(self, request: Request) -> HTTPResponse | None:
        """429 when this client sent too many requests (checked before the body is read)."""
        client = self.client_address(request)
        if self.per_client.allow(client):
            return None
        retry = str(self.per_client.retry_after(client))
        return refusal(429, "rate_limited", None, {"Retry-After": retry})

    def conversation_refusal(self, sender: str, metadata: dict[str, Any]) -> HTTPResponse | None:
        if self.per_conversation.allow(sender):
            return None
        retry = str(self.per_conversation.retry_after(sender))
        return refusal(429, "rate_limited", conversation_language(sender, metadata), {"Retry-After": retry})


def not_saved(error: ConversationStoreError, metadata: dict[str, Any]) -> HTTPResponse:
    """503: the conversation could not be read or saved, so no answer was given."""
    language = error.language or conversation_language(error.sender_id, metadata)
    return refusal(503, "not_saved", language, {"Retry-After": "30"})


def health() -> HTTPResponse:
    """The channel's health: 503 while the conversation store cannot be reached."""
    up = HEALTH.probe()
    body = {"status": "ok" if up else "degraded", "conversation_store": "up" if up else "down"}
    if not up:
        body["error"] = HEALTH.last_error
    return response.json(body, status=200 if up else 503)
