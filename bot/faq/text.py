"""Comparing questions the way the assistant does: case, accents and punctuation don't count."""
from __future__ import annotations

import re

from bot.safety import fold

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalize(text: str) -> str:
    """'Où est le centre ?' and 'ou est le centre' are the same question."""
    return " ".join(_NOT_WORD.sub(" ", fold(text).replace("_", " ")).split())
