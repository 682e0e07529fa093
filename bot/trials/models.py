"""The trial-store schema at the newest migration (``bot/trials/migrations`` creates it).

Tables are prefixed ``trial`` so the store can share a PostgreSQL database with other parts of
the project. ``trial_terms`` is the search index: one row per (search term, trial), filled by
the importer, so a search is a few indexed look-ups instead of text scans.
"""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    false,
)
from sqlalchemy.orm import declarative_base, relationship

# Explicit constraint names, so that migrations can refer to them on every backend.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
Base = declarative_base(metadata=metadata)

_CASCADE = "all, delete-orphan"


def _trial_fk() -> Column:
    return Column(String(11), ForeignKey("trials.nct_id", ondelete="CASCADE"), nullable=False, index=True)


class Trial(Base):
    __tablename__ = "trials"

    nct_id = Column(String(11), primary_key=True)
    brief_title = Column(Text, nullable=False)
    official_title = Column(Text)
    acronym = Column(Text)
    overall_status = Column(String(32), nullable=False)
    status_rank = Column(Integer, nullable=False)  # 0 = recruiting ... 5 = closed; ranking key
    why_stopped = Column(Text)
    phases = Column(String(80), nullable=False, default="")  # "PHASE1,PHASE2"
    study_type = Column(String(40))
    sponsor = Column(Text)
    collaborators = Column(Text)  # " | "-joined names
    start_date = Column(String(10))  # registry dates can be partial: "2021-07"
    primary_completion_date = Column(String(10))
    completion_date = Column(String(10))
    first_posted_date = Column(String(10))
    last_update_date = Column(String(10))
    status_verified_date = Column(String(10))
    snapshot_date = Column(String(10))  # capture date of this copy of the record
    brief_summary = Column(Text)
    eligibility_criteria = Column(Text)
    healthy_volunteers = Column(Boolean)
    sex = Column(String(10))
    min_age_text = Column(String(40))
    max_age_text = Column(String(40))
    min_age_years = Column(Float)
    max_age_years = Column(Float)
    enrollment = Column(Integer)
    enrollment_type = Column(String(20))
    keywords = Column(Text)  # " | "-joined
    condition_names = Column(Text)  # " | "-joined copy of trial_conditions: summaries in one query
    site_count = Column(Integer, nullable=False, default=0)
    locations_digest = Column(Text)  # JSON: [{"country", "count", "cities": [...]}], for cards
    immunotherapy = Column(Boolean, nullable=False, default=False)
    oncology = Column(Boolean, nullable=False, default=False)
    source_format = Column(String(60), nullable=False)
    source_file = Column(Text, nullable=False)
    content_hash = Column(String(64), nullable=False)
    first_imported_at = Column(DateTime(timezone=True), nullable=False)
    imported_at = Column(DateTime(timezone=True), nullable=False)  # last import that changed it
    # Revision 0002: staff flags and the status history.
    featured = Column(Boolean, nullable=False, default=False, server_default=false())
    hidden = Column(Boolean, nullable=False, default=False, server_default=false())
    # Revision 0003: registry sync. Set by a complete sync that found the trial in a saved query;
    # ``left_query_at`` when a later complete sync no longer did (kept, out of patients' results).
    registry_seen_at = Column(DateTime(timezone=True))
    left_query_at = Column(DateTime(timezone=True))

    conditions = relationship("TrialCondition", cascade=_CASCADE, order_by="TrialCondition.position")
    interventions = relationship("TrialIntervention", cascade=_CASCADE, order_by="TrialIntervention.position")
    sites = relationship("TrialSite", cascade=_CASCADE, order_by="TrialSite.position")
    contacts = relationship("TrialContact", cascade=_CASCADE, order_by="TrialContact.position")
    identifiers = relationship("TrialIdentifier", cascade=_CASCADE, order_by="TrialIdentifier.position")
    history = relationship("TrialStatusChange", cascade=_CASCADE, order_by="TrialStatusChange.id")

    __table_args__ = (Index("ix_trials_overall_status", "overall_status"),)


class TrialCondition(Base):
    __tablename__ = "trial_conditions"

    id = Column(Integer, primary_key=True)
    nct_id = _trial_fk()
    position = Column(Integer, nullable=False)
    name = Column(Text, nullable=False)


class TrialIntervention(Base):
    __tablename__ = "trial_interventions"

    id = Column(Integer, primary_key=True)
    nct_id = _trial_fk()
    position = Column(Integer, nullable=False)
    type = Column(String(40))
    name = Column(Text, nullable=False)
    other_names = Column(Text)  # " | "-joined
    description = Column(Text)


class TrialSite(Base):
    __tablename__ = "trial_sites"

    id = Column(Integer, primary_key=True)
    nct_id = _trial_fk()
    position = Column(Integer, nullable=False)
    facility = Column(Text)
    city = Column(Text)
    state = Column(Text)
    zip = Column(String(40))
    country = Column(Text)
    status = Column(String(40))
    lat = Column(Float)
    lon = Column(Float)


class TrialContact(Base):
    __tablename__ = "trial_contacts"

    id = Column(Integer, primary_key=True)
    nct_id = _trial_fk()
    position = Column(Integer, nullable=False)
    kind = Column(String(10), nullable=False)  # "central" | "official"
    name = Column(Text)
    role = Column(String(40))
    phone = Column(Text)
    phone_ext = Column(Text)
    email = Column(Text)
    affiliation = Column(Text)


class TrialIdentifier(Base):
    __tablename__ = "trial_identifiers"

    id = Column(Integer, primary_key=True)
    nct_id = _trial_fk()
    position = Column(Integer, nullable=False)
    kind = Column(String(20), nullable=False)  # NCT, ORG_STUDY_ID, EUDRACT, CTIS, IDRCB, ...
    value = Column(Text, nullable=False)
    domain = Column(Text)


class TrialSearch(Base):
    """One narrow row per trial: what a search filters on besides terms, and its rank.

    ``trials`` rows carry long texts (eligibility, summaries) that SQLite keeps in overflow
    pages; filtering on them would read those pages for every candidate. The integer ``id``
    keeps the term index small.
    """

    __tablename__ = "trial_search"

    id = Column(Integer, primary_key=True)
    nct_id = Column(String(11), ForeignKey("trials.nct_id", ondelete="CASCADE"), nullable=False, unique=True)
    rank = Column(Integer, nullable=False)  # see search_rank()
    overall_status = Column(String(32), nullable=False)
    immunotherapy = Column(Boolean, nullable=False)
    min_age_years = Column(Float)
    max_age_years = Column(Float)

    __table_args__ = (Index("ix_trial_search_ranking", "rank", "id"),)


VISIBLE_RANKS = 100  # ranks below this are shown to patients


def age_in_days(years: float | None) -> int | None:
    """Whole days, the same rounding for trial limits and patients' ages ("18 Years" = 18 ans)."""
    return None if years is None else round(years * 365.25)


def search_rank(featured: bool, status_rank: int, hidden: bool = False, left_query: bool = False) -> int:
    """Result order as one integer: featured trials 0-9, others 10-19 (by status inside each,
    recruiting first); hidden trials 100 and up, so "visible" is a range of the index. A trial
    that left the sync's saved queries is no longer kept current: out of patients' sight too."""
    return (100 if hidden or left_query else 0) + (0 if featured else 10) + status_rank


class TrialTerm(Base):
    """Search index row: ``c:melanoma``, ``i:pd1``, ``p:phase2``, ``co:france``, ``w:<word>``...

    The trial's rank is part of the key, so a term's trials are stored in result order: a page
    is the first rows of one index range, and a count is a range scan of the index alone.
    """

    __tablename__ = "trial_terms"

    term = Column(String(80), primary_key=True)
    rank = Column(Integer, primary_key=True)
    trial_id = Column(Integer, ForeignKey("trial_search.id", ondelete="CASCADE"), primary_key=True, index=True)
    # The trial's age limits, copied into each posting so that an age criterion is checked
    # while a list is scanned (no look-up of the trial per candidate).
    min_age_days = Column(Integer)
    max_age_days = Column(Integer)
    # SQLite: the primary key is the table (one B-tree less per row; the index is ~1M rows).
    __table_args__ = {"sqlite_with_rowid": False}


class TrialStatusChange(Base):
    __tablename__ = "trial_status_history"

    id = Column(Integer, primary_key=True)
    nct_id = _trial_fk()
    old_status = Column(String(32))  # None for the first import
    new_status = Column(String(32), nullable=False)
    snapshot_date = Column(String(10))
    recorded_at = Column(DateTime(timezone=True), nullable=False)
    source_file = Column(Text)


class TrialSyncRun(Base):
    """One ``bot trials sync`` run: its state while it runs (resume point), then what it changed.

    The newest completed run's ``started_at`` is the watermark of the next run
    (``LastUpdatePostDate`` since then); an unfinished run is resumed from ``resume``.
    """

    __tablename__ = "trial_sync_runs"

    id = Column(Integer, primary_key=True)
    started_at = Column(DateTime(timezone=True), nullable=False)
    heartbeat_at = Column(DateTime(timezone=True), nullable=False)  # last page applied
    finished_at = Column(DateTime(timezone=True))
    state = Column(String(12), nullable=False)  # running | completed | failed | interrupted
    since = Column(String(10))  # LastUpdatePostDate lower bound; None = everything
    api_url = Column(Text, nullable=False)
    config_key = Column(String(64), nullable=False)  # hash of API URL + saved queries
    resume = Column(Text)  # JSON: {"query": index, "token": pageToken}; None once fetched
    owner = Column(String(120))  # host:pid of the process running it
    pages = Column(Integer, nullable=False, default=0)
    fetched = Column(Integer, nullable=False, default=0)
    changes = Column(Text)  # JSON: imported / updated / status changes / skipped / left / returned
    message = Column(Text)  # why it failed, or a warning
