"""Reading trials out of the store as plain views, and the staff flags (featured / hidden)."""
from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bot.trials.models import Trial, TrialSearch, TrialTerm, search_rank
from bot.trials.records import (
    COMMAS,
    JOINED,
    TrialRecord,
    child_fields,
    detail_fields,
    from_columns,
)
from bot.trials.views import LocationGroup, StatusChange, TrialDetail, TrialSummary

SUMMARY_COLUMNS = (
    Trial.nct_id, Trial.brief_title, Trial.acronym, Trial.overall_status, Trial.phases, Trial.study_type,
    Trial.sponsor, Trial.min_age_years, Trial.max_age_years, Trial.sex, Trial.immunotherapy, Trial.featured,
    Trial.hidden, Trial.site_count, Trial.locations_digest, Trial.snapshot_date, Trial.condition_names,
)
FLAGS = ("featured", "hidden")
# Not hidden by staff, and still matched by the registry sync's queries (or never synced).
SHOWN_TO_PATIENTS = (Trial.hidden.is_(False), Trial.left_query_at.is_(None))


def _locations(digest: str | None) -> tuple[LocationGroup, ...]:
    groups: list[dict[str, Any]] = json.loads(digest) if digest else []
    return tuple(LocationGroup(g["country"], int(g["count"]), tuple(g["cities"])) for g in groups)


def summary_from_row(row: Any, conditions: Sequence[str] | None = None) -> TrialSummary:
    return TrialSummary(
        nct_id=row.nct_id,
        title=row.brief_title,
        acronym=row.acronym,
        status=row.overall_status,
        phases=COMMAS.decode(row.phases),
        study_type=row.study_type,
        conditions=tuple(conditions) if conditions is not None else JOINED.decode(row.condition_names),
        sponsor=row.sponsor,
        min_age_years=row.min_age_years,
        max_age_years=row.max_age_years,
        sex=row.sex,
        immunotherapy=bool(row.immunotherapy),
        featured=bool(row.featured),
        hidden=bool(row.hidden),
        site_count=row.site_count or 0,
        locations=_locations(row.locations_digest),
        snapshot_date=row.snapshot_date,
    )


def summaries(rows: Sequence[Any]) -> list[TrialSummary]:
    return [summary_from_row(r) for r in rows]


# Built once: executing a ready statement skips constructing it on every search.
_BY_SEARCH_ID = (
    select(TrialSearch.id.label("search_id"), *SUMMARY_COLUMNS)
    .join_from(TrialSearch, Trial, Trial.nct_id == TrialSearch.nct_id)
    .where(TrialSearch.id.in_(bindparam("ids", expanding=True)))
)


def summaries_by_search_id(session: Session, search_ids: Sequence[int]) -> list[TrialSummary]:
    """Summaries for ``trial_search`` ids, in that order (the order a search ranked them)."""
    if not search_ids:
        return []
    rows = {r.search_id: r for r in session.connection().execute(_BY_SEARCH_ID, {"ids": list(search_ids)})}
    return summaries([rows[i] for i in search_ids if i in rows])


def get_detail(session: Session, nct_id: str, *, include_hidden: bool = False) -> TrialDetail | None:
    trial = session.get(Trial, nct_id.strip().upper())
    if trial is None or ((trial.hidden or trial.left_query_at is not None) and not include_hidden):
        return None
    summary = summary_from_row(trial, [c.name for c in trial.conditions])
    fields = {name: getattr(summary, name) for name in TrialSummary.__dataclass_fields__}
    return TrialDetail(
        **fields,
        **_record_detail(trial),
        history=tuple(
            StatusChange(h.old_status, h.new_status, h.snapshot_date, h.recorded_at, h.source_file)
            for h in trial.history
        ),
        oncology=bool(trial.oncology),
        source_file=trial.source_file,
        imported_at=trial.imported_at,
        registry_seen_at=trial.registry_seen_at,
        left_query_at=trial.left_query_at,
    )


_CHILDREN = child_fields(TrialRecord)
_DETAIL_COLUMNS = [f.name for f in detail_fields(TrialRecord) if f.name not in _CHILDREN]
_DETAIL_CHILDREN = {f.name: _CHILDREN[f.name] for f in detail_fields(TrialRecord) if f.name in _CHILDREN}


def _record_detail(trial: Trial) -> dict[str, Any]:
    """The record's detail fields, read back from the trial row and its child rows."""
    values = from_columns(TrialRecord, trial, _DETAIL_COLUMNS)
    for name, item in _DETAIL_CHILDREN.items():
        values[name] = tuple(item(**from_columns(item, row)) if item else row.name for row in getattr(trial, name))
    return values


def list_summaries(session: Session, *, include_hidden: bool = True, limit: int | None = None) -> list[TrialSummary]:
    stmt = select(*SUMMARY_COLUMNS).order_by(Trial.featured.desc(), Trial.status_rank, Trial.nct_id)
    if not include_hidden:
        stmt = stmt.where(*SHOWN_TO_PATIENTS)
    if limit:
        stmt = stmt.limit(limit)
    return summaries(session.execute(stmt).all())


def iter_details(session: Session) -> Iterator[TrialDetail]:
    """Every trial, hidden ones included (staff export), in NCT order."""
    for nct_id in session.execute(select(Trial.nct_id).order_by(Trial.nct_id)).scalars().all():
        detail = get_detail(session, nct_id, include_hidden=True)
        if detail is not None:
            yield detail
        session.expunge_all()  # keep memory flat on large stores


def count(session: Session, *, include_hidden: bool = True) -> int:
    stmt = select(func.count()).select_from(Trial)
    if not include_hidden:
        stmt = stmt.where(*SHOWN_TO_PATIENTS)
    return int(session.execute(stmt).scalar_one())


def set_flag(session: Session, nct_id: str, flag: str, value: bool) -> bool:
    """Sets ``featured`` or ``hidden``; False if there is no such trial. Imports keep the flags."""
    if flag not in FLAGS:
        raise ValueError(f"unknown flag {flag!r}")
    nct = nct_id.strip().upper()
    connection = session.connection()  # plain SQL updates: no ORM objects to keep in sync
    if connection.execute(update(Trial).where(Trial.nct_id == nct).values({flag: value})).rowcount == 0:
        return False
    rerank(connection, [nct])
    return True


def rerank(connection: Connection, nct_ids: Sequence[str]) -> None:
    """Recomputes the search rank of trials from their flags, status and sync mark."""
    rows = connection.execute(
        select(Trial.nct_id, Trial.featured, Trial.hidden, Trial.status_rank, Trial.left_query_at)
        .where(Trial.nct_id.in_(list(nct_ids)))).all()
    for row in rows:
        rank = search_rank(bool(row.featured), row.status_rank, bool(row.hidden), row.left_query_at is not None)
        connection.execute(update(TrialSearch).where(TrialSearch.nct_id == row.nct_id).values(rank=rank))
        # The rank is part of every term row's key (result order): move them all.
        search_id = select(TrialSearch.id).where(TrialSearch.nct_id == row.nct_id).scalar_subquery()
        connection.execute(update(TrialTerm).where(TrialTerm.trial_id == search_id).values(rank=rank))
