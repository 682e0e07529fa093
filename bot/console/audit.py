"""Reading the audit log: filtered, and as CSV."""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.console import store

LIMIT = 1000


def _day(value: str | None, end: bool = False) -> float | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a date (YYYY-MM-DD).") from None
    moment = dt.datetime.combine(day + dt.timedelta(days=1 if end else 0), dt.time(), dt.timezone.utc)
    return moment.timestamp()


def lines(engine: Engine, user: str = "", action: str = "", since: str = "", until: str = "",
          limit: int = LIMIT) -> list[dict[str, Any]]:
    """Newest first; ``since``/``until`` are days (YYYY-MM-DD, both included)."""
    query = select(store.audit).order_by(store.audit.c.id.desc()).limit(limit)
    if user:
        query = query.where(store.audit.c.user == user)
    if action:
        query = query.where(store.audit.c.action == action)
    start, end = _day(since), _day(until, end=True)
    if start is not None:
        query = query.where(store.audit.c.at >= start)
    if end is not None:
        query = query.where(store.audit.c.at < end)
    with engine.begin() as conn:
        rows = conn.execute(query).all()
    return [
        {"at": dt.datetime.fromtimestamp(r.at, dt.timezone.utc).isoformat(timespec="seconds"),
         "user": r.user, "action": r.action, "target": r.target, "detail": r.detail}
        for r in rows
    ]


def as_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["at", "user", "action", "target", "detail"])
    writer.writeheader()
    for row in rows:
        # A cell starting with = + - @ is a formula to spreadsheets: neutralise it.
        writer.writerow({k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v) for k, v in row.items()})
    return out.getvalue()
