"""One registry record, normalised: what every source format is turned into before storage."""
from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Intervention:
    type: str | None
    name: str
    other_names: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class Site:
    facility: str | None
    city: str | None
    state: str | None
    zip: str | None
    country: str | None
    status: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Contact:
    kind: str  # "central" (people to contact) or "official" (investigators, study directors)
    name: str | None
    role: str | None
    phone: str | None
    phone_ext: str | None
    email: str | None
    affiliation: str | None


@dataclass(frozen=True)
class Identifier:
    kind: str  # NCT, ORG_STUDY_ID, EUDRACT, CTIS, IDRCB, REGISTRY, NIH, OTHER_GRANT, OTHER, ...
    value: str
    domain: str | None = None


@dataclass(frozen=True)
class TrialRecord:
    nct_id: str
    brief_title: str
    overall_status: str
    source_format: str
    official_title: str | None = None
    acronym: str | None = None
    why_stopped: str | None = None
    phases: tuple[str, ...] = ()
    study_type: str | None = None
    sponsor: str | None = None
    collaborators: tuple[str, ...] = ()
    start_date: str | None = None
    primary_completion_date: str | None = None
    completion_date: str | None = None
    first_posted_date: str | None = None
    last_update_date: str | None = None
    status_verified_date: str | None = None
    snapshot_date: str | None = None  # when this copy of the record was captured (YYYY-MM-DD)
    brief_summary: str | None = None
    conditions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    mesh_terms: tuple[str, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    eligibility_criteria: str | None = None
    healthy_volunteers: bool | None = None
    sex: str | None = None
    min_age_text: str | None = None
    max_age_text: str | None = None
    min_age_years: float | None = None
    max_age_years: float | None = None
    enrollment: int | None = None
    enrollment_type: str | None = None
    sites: tuple[Site, ...] = ()
    contacts: tuple[Contact, ...] = ()
    identifiers: tuple[Identifier, ...] = field(default_factory=tuple)
