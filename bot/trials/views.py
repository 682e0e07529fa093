"""Plain, immutable results handed to actions and presenters: no ORM object leaves the store."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, make_dataclass

# Sites, contacts, interventions and identifiers read back are the records the importer stored.
from bot.trials.records import Contact, TrialRecord, detail_fields

REGISTRY_URL = "https://clinicaltrials.gov/study/{nct_id}"


@dataclass(frozen=True)
class LocationGroup:
    country: str
    count: int  # number of sites in that country
    cities: tuple[str, ...]  # up to 10 distinct cities


@dataclass(frozen=True)
class TrialSummary:
    nct_id: str
    title: str
    acronym: str | None
    status: str  # ClinicalTrials.gov v2 value, e.g. "RECRUITING"
    phases: tuple[str, ...]  # e.g. ("PHASE1", "PHASE2"); () when the record gives none
    study_type: str | None
    conditions: tuple[str, ...]
    sponsor: str | None
    min_age_years: float | None
    max_age_years: float | None
    sex: str | None  # "ALL", "FEMALE", "MALE" or None
    immunotherapy: bool
    featured: bool
    hidden: bool
    site_count: int
    locations: tuple[LocationGroup, ...]
    snapshot_date: str | None  # the registry copy's capture date ("status as registered on")

    @property
    def url(self) -> str:
        return REGISTRY_URL.format(nct_id=self.nct_id)

    @property
    def is_recruiting(self) -> bool:
        return self.status == "RECRUITING"


@dataclass(frozen=True)
class StatusChange:
    old_status: str | None
    new_status: str
    snapshot_date: str | None
    recorded_at: dt.datetime
    source_file: str | None


# The record's own fields a detail shows (official title, summary, eligibility, dates, sites,
# contacts...), with the types records.py declares them with: ``detail=True`` there.
RecordDetail = make_dataclass("RecordDetail", [(f.name, f.type) for f in detail_fields(TrialRecord)], frozen=True)


@dataclass(frozen=True)
class TrialDetail(TrialSummary, RecordDetail):  # type: ignore[valid-type,misc]
    """A summary, the record's detail fields, and what the store knows of the trial."""

    history: tuple[StatusChange, ...]
    oncology: bool
    source_file: str
    imported_at: dt.datetime
    registry_seen_at: dt.datetime | None = None  # last complete registry sync that found it
    left_query_at: dt.datetime | None = None  # when a sync no longer found it in the saved queries

    @property
    def central_contacts(self) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if c.kind == "central")

    @property
    def officials(self) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if c.kind == "official")

    def identifiers_of(self, kind: str) -> tuple[str, ...]:
        return tuple(i.value for i in self.identifiers if i.kind == kind)


@dataclass(frozen=True)
class SearchResult:
    items: tuple[TrialSummary, ...]
    total: int
    page: int  # 0-based
    page_size: int
    unrecognised: tuple[str, ...] = ()  # query words searched as plain text (no lexicon match)

    @property
    def pages(self) -> int:
        return (self.total + self.page_size - 1) // self.page_size if self.page_size else 0

    @property
    def has_more(self) -> bool:
        return (self.page + 1) * self.page_size < self.total

    @property
    def first_position(self) -> int:
        """1-based position of the first item on this page (for "results 6 to 10")."""
        return self.page * self.page_size + 1

    @property
    def ids(self) -> list[str]:
        return [item.nct_id for item in self.items]
