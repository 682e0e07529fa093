"""Comparing questions the way the assistant does: case, accents and punctuation don't count."""
from __future__ import annotations

from bot.text import words


def normalize(text: str) -> str:
    """'Où est le centre ?' and 'ou est le centre' are the same question."""
    return " ".join(words(text))
