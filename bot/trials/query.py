"""What a trial search asks for. Plain data: JSON-friendly, so an action can keep it in a slot."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

# Ranges a query can hold; longer inputs are cut, never rejected (patients paste long texts).
MAX_VALUES = 8
MAX_VALUE_LENGTH = 200


@dataclass
class TrialQuery:
    """A trial search. Within one field values are alternatives (OR); fields combine with AND.

    ``conditions`` / ``interventions`` hold lexicon keys (``"melanoma"``, ``"pd1"``) or any
    wording ("cancer du poumon", "sonidegib"); the search resolves them. ``phases`` and
    ``statuses`` hold ClinicalTrials.gov v2 values (``"PHASE2"``, ``"RECRUITING"``); ``"PHASE1"``
    also finds early phase 1. ``country`` / ``city`` use the registry's English names ("France").
    ``age`` is the patient's age in years. ``text`` is free words that must all occur.
    """

    conditions: list[str] = field(default_factory=list)
    interventions: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    country: str | None = None
    city: str | None = None
    facility: str | None = None
    age: float | None = None
    immunotherapy: bool = False
    text: str | None = None
    include_hidden: bool = False  # staff tools only: patients never see hidden trials

    def __post_init__(self) -> None:
        for name in ("conditions", "interventions", "phases", "statuses"):
            values = getattr(self, name) or []
            if isinstance(values, str):
                values = [values]
            cleaned: list[str] = []
            for value in values:
                value = str(value).strip()[:MAX_VALUE_LENGTH]
                if value and value not in cleaned:
                    cleaned.append(value)
            setattr(self, name, cleaned[:MAX_VALUES])
        for name in ("country", "city", "facility", "text"):
            value = getattr(self, name)
            value = str(value).strip()[:MAX_VALUE_LENGTH] if value is not None else None
            setattr(self, name, value or None)
        if self.age is not None:
            age = float(self.age)
            self.age = age if 0 <= age <= 130 else None

    @property
    def is_empty(self) -> bool:
        return self == TrialQuery(include_hidden=self.include_hidden)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> TrialQuery:
        """Rebuilds a query from :meth:`to_dict` output (a conversation slot), ignoring unknown
        keys and the staff-only ``include_hidden``: a slot is whatever the client sent."""
        names = {f.name for f in fields(cls)} - {"include_hidden"}
        return cls(**{k: v for k, v in (data or {}).items() if k in names})
