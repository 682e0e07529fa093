"""The inbox: patients' questions the assistant did not understand well, for staff to turn
into FAQ examples or entries (``bot inbox``), and the retention of conversations.

The launcher calls :func:`purge_expired_conversations` at start-up.
"""
from __future__ import annotations

from bot.inbox.service import purge_expired_conversations

__all__ = ["purge_expired_conversations"]
