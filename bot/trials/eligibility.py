"""Splitting a registry's eligibility text into inclusion / exclusion items a patient can read.

Registry texts come as Markdown bullets (v2), numbered paragraphs wrapped at 80 columns
(classic XML), or one criterion per line (classic v1); this keeps each criterion whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADER = re.compile(r"^\W*(?:key\s+|main\s+)?(inclusion|exclusion)(?:\s+criteria|\s+criterion)?\b\s*:?\s*(.*)$", re.I)
_BULLET = re.compile(r"^(?P<indent>\s*)(?:[*\-•·+]|\d{1,2}[.)]|[a-z][.)])\s+(?P<text>.+)$")
_LABEL = re.compile(r"^[^a-z]{3,60}:$|^.{1,40}:$")  # "DISEASE CHARACTERISTICS:", "Age:"


@dataclass
class Criteria:
    inclusion: list[str] = field(default_factory=list)
    exclusion: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # criteria outside any inclusion/exclusion header

    @property
    def empty(self) -> bool:
        return not (self.inclusion or self.exclusion or self.other)


def split_criteria(text: str | None) -> Criteria:
    criteria = Criteria()
    if not text:
        return criteria
    section = criteria.other
    current: list[str] | None = None  # parts of the criterion being read
    label = ""
    previous_blank = True
    previous_line = ""

    def close() -> None:
        nonlocal current
        if current:
            item = " ".join(" ".join(current).split())
            if item:
                section.append(item)
        current = None

    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            close()
            previous_blank = True
            continue
        header = _HEADER.match(stripped)
        if header and (len(stripped) < 40 or stripped.rstrip().endswith(":") or header.group(2)):
            close()
            section = criteria.inclusion if header.group(1).lower() == "inclusion" else criteria.exclusion
            rest = header.group(2).strip(" :")
            if rest:
                current = [rest]
            previous_blank = False
            continue
        if _LABEL.match(stripped):
            close()
            label = stripped.rstrip(":").strip()
            previous_blank = False
            continue
        bullet = _BULLET.match(line)
        if bullet and len(bullet.group("indent")) >= 2 and current:
            current.append(bullet.group("text").strip())  # sub-point: part of its parent
        elif bullet:
            close()
            current = [f"{label}: {bullet.group('text').strip()}" if label else bullet.group("text").strip()]
            label = ""
        elif current and not previous_blank and _continues(previous_line, stripped):
            current.append(stripped)  # a wrapped line of the same criterion
        else:
            close()
            current = [f"{label}: {stripped}" if label else stripped]
            label = ""
        previous_blank = False
        previous_line = stripped
    close()
    return criteria


def _continues(previous: str, line: str) -> bool:
    """A line continues the previous one when that one was cut by wrapping (long, no full stop)
    or when it starts in lower case; short unpunctuated lines are list items of their own."""
    if previous.endswith((".", ";", ":", "!", "?")):
        return False
    return len(previous) >= 55 or line[:1].islower()
