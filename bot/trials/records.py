"""One registry record, normalised: what every source format is turned into before storage."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, Field, dataclass, field, fields
from functools import cache
from typing import Any

# ClinicalTrials.gov v2 overall statuses (classic free-text statuses are mapped onto these).
STATUSES = (
    "RECRUITING",
    "NOT_YET_RECRUITING",
    "ENROLLING_BY_INVITATION",
    "ACTIVE_NOT_RECRUITING",
    "SUSPENDED",
    "TERMINATED",
    "COMPLETED",
    "WITHDRAWN",
    "UNKNOWN",
    "AVAILABLE",
    "NO_LONGER_AVAILABLE",
    "TEMPORARILY_NOT_AVAILABLE",
    "APPROVED_FOR_MARKETING",
    "WITHHELD",
)
# Order used for ranking after "featured": open trials first, closed ones last.
STATUS_RANK = {
    "RECRUITING": 0,
    "NOT_YET_RECRUITING": 1,
    "ENROLLING_BY_INVITATION": 2,
    "AVAILABLE": 2,
    "ACTIVE_NOT_RECRUITING": 3,
    "SUSPENDED": 4,
    "TEMPORARILY_NOT_AVAILABLE": 4,
}
CLOSED_RANK = 5
PHASES = ("EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4", "NA")
SEXES = ("ALL", "FEMALE", "MALE")


class FieldError(ValueError):
    """A record field that cannot be read; ``path`` names it in the source document."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


# ---------------------------------------------------------------- the one declaration
# Every record field is declared once, below; its metadata says how it is stored and shown,
# and the importer's rows, the store's read-back and ``views.TrialDetail`` are derived from it
# (tests/trials/test_records.py checks the ORM columns against it).


@dataclass(frozen=True)
class Codec:
    """How a field's value becomes a column value, and back."""

    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


def _split(sep: str) -> Callable[[str | None], tuple[str, ...]]:
    return lambda value: tuple(v for v in (value or "").split(sep) if v)


PLAIN = Codec(lambda value: value, lambda value: value)
JOINED = Codec(lambda values: " | ".join(values) or None, _split(" | "))  # names: may hold commas
COMMAS = Codec(lambda values: ",".join(values), _split(","))  # enums: "PHASE1,PHASE2"


REQUIRED: Any = MISSING  # a field every record gives (no default)


def column(default: Any = None, *, codec: Codec = PLAIN, detail: bool = True) -> Any:
    """A field stored in the column of the same name of its row;
    ``detail``: shown in :class:`bot.trials.views.TrialDetail`."""
    return field(default=default, metadata={"codec": codec, "detail": detail})


def rows(*, item: type | None = None, detail: bool = True) -> Any:
    """A field stored as one row per item in the child table the ORM relationship of that name
    leads to; ``item`` the record type of a row (None: text items, in the ``name`` column)."""
    return field(default=(), metadata={"rows": item, "detail": detail})


@cache  # asked for every record and every site of an import
def stored_columns(cls: type) -> dict[str, Codec]:
    """Field (= column) name -> codec, for the fields of ``cls`` stored on its own row."""
    return {f.name: f.metadata["codec"] for f in fields(cls) if "codec" in f.metadata}


def child_fields(cls: type) -> dict[str, type | None]:
    """Field name -> item type, for the fields of ``cls`` stored in child tables."""
    return {f.name: f.metadata["rows"] for f in fields(cls) if "rows" in f.metadata}


def detail_fields(cls: type) -> list[Field[Any]]:
    return [f for f in fields(cls) if f.metadata.get("detail")]


def to_columns(obj: Any) -> dict[str, Any]:
    """The column values of a record (or sub-record) for its own row."""
    return {name: codec.encode(getattr(obj, name)) for name, codec in stored_columns(type(obj)).items()}


def from_columns(cls: type, row: Any, names: Any = None) -> dict[str, Any]:
    """Field values read back from a row (any object with the columns as attributes)."""
    columns = stored_columns(cls)
    return {name: columns[name].decode(getattr(row, name)) for name in (names or columns)}


@dataclass(frozen=True)
class Intervention:
    type: str | None = column(REQUIRED)
    name: str = column(REQUIRED)
    other_names: tuple[str, ...] = column((), codec=JOINED)
    description: str | None = column()


@dataclass(frozen=True)
class Site:
    facility: str | None = column(REQUIRED)
    city: str | None = column(REQUIRED)
    state: str | None = column(REQUIRED)
    zip: str | None = column(REQUIRED)
    country: str | None = column(REQUIRED)
    status: str | None = column(REQUIRED)
    lat: float | None = column(REQUIRED)
    lon: float | None = column(REQUIRED)


@dataclass(frozen=True)
class Contact:
    kind: str = column(REQUIRED)  # "central" (people to contact) or "official" (investigators, study directors)
    name: str | None = column(REQUIRED)
    role: str | None = column(REQUIRED)
    phone: str | None = column(REQUIRED)
    phone_ext: str | None = column(REQUIRED)
    email: str | None = column(REQUIRED)
    affiliation: str | None = column(REQUIRED)


@dataclass(frozen=True)
class Identifier:
    kind: str = column(REQUIRED)  # NCT, ORG_STUDY_ID, EUDRACT, CTIS, IDRCB, REGISTRY, NIH, OTHER_GRANT, OTHER, ...
    value: str = column(REQUIRED)
    domain: str | None = column()


@dataclass(frozen=True)
class TrialRecord:
    """A trial as every format is read into. Summary fields (title, status, phases...) are
    shown through ``TrialSummary``, hence ``detail=False`` on them."""

    nct_id: str = column(REQUIRED, detail=False)
    brief_title: str = column(REQUIRED, detail=False)
    overall_status: str = column(REQUIRED, detail=False)
    source_format: str = column(REQUIRED)
    official_title: str | None = column()
    acronym: str | None = column(detail=False)
    why_stopped: str | None = column()
    phases: tuple[str, ...] = column((), codec=COMMAS, detail=False)
    study_type: str | None = column(detail=False)
    sponsor: str | None = column(detail=False)
    collaborators: tuple[str, ...] = column((), codec=JOINED)
    start_date: str | None = column()
    primary_completion_date: str | None = column()
    completion_date: str | None = column()
    first_posted_date: str | None = column(detail=False)
    last_update_date: str | None = column()
    status_verified_date: str | None = column(detail=False)
    snapshot_date: str | None = column(detail=False)  # when this copy of the record was captured (YYYY-MM-DD)
    brief_summary: str | None = column()
    # Also copied on the trial row (``condition_names``), so summaries need one query.
    conditions: tuple[str, ...] = rows(detail=False)
    keywords: tuple[str, ...] = column((), codec=JOINED)
    mesh_terms: tuple[str, ...] = ()  # used for indexing only, not stored
    interventions: tuple[Intervention, ...] = rows(item=Intervention)
    eligibility_criteria: str | None = column()
    healthy_volunteers: bool | None = column()
    sex: str | None = column(detail=False)
    min_age_text: str | None = column()
    max_age_text: str | None = column()
    min_age_years: float | None = column(detail=False)
    max_age_years: float | None = column(detail=False)
    enrollment: int | None = column()
    enrollment_type: str | None = column()
    sites: tuple[Site, ...] = rows(item=Site)
    contacts: tuple[Contact, ...] = rows(item=Contact)
    identifiers: tuple[Identifier, ...] = rows(item=Identifier)
