"""Every way the search can build its SQL agrees with a plain Python evaluation of the index.

The search has several plans (one posting list, merged lists, lists with several terms, row
criteria, OR-alternatives, no term at all); this checks each one, page by page, against the
rows of ``trial_terms`` / ``trial_search`` filtered and sorted in Python.
"""
from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import select

from bot.trials import store
from bot.trials.db import session_scope
from bot.trials.models import VISIBLE_RANKS, TrialSearch, TrialTerm
from bot.trials.query import TrialQuery
from bot.trials.records import CLOSED_RANK, STATUS_RANK
from bot.trials.search import build_filters, search
from bot.trials.understand import parse_trial_request


def oracle(url: str, query: TrialQuery) -> list[str]:
    """Expected NCT ids in order, computed from the tables without any SQL filtering."""
    filters = build_filters(query)
    with session_scope(url) as session:
        rows = session.execute(select(TrialSearch)).scalars().all()
        terms: dict[int, set[str]] = defaultdict(set)
        for term, trial_id in session.execute(select(TrialTerm.term, TrialTerm.trial_id)):
            terms[trial_id].add(term)
    out = []
    for row in rows:
        have = terms[row.id]
        if not query.include_hidden and row.rank >= VISIBLE_RANKS:
            continue
        if query.statuses and row.overall_status not in query.statuses:
            continue
        if any(not (group & have) for group in filters.groups):
            continue
        if any(not any(all(g & have for g in option) for option in alts) for alts in filters.alternatives):
            continue
        if query.age is not None and not (
            (row.min_age_years is None or row.min_age_years <= query.age)
            and (row.max_age_years is None or row.max_age_years >= query.age)
        ):
            continue
        out.append((row.rank, row.id, row.nct_id))
    return [nct for _, _, nct in sorted(out)]


QUERIES = {
    "one list": parse_trial_request("mélanome"),
    "two lists": parse_trial_request("pembrolizumab pour un cancer du poumon"),
    "three lists": parse_trial_request("immunothérapie pour un cancer du poumon en France"),
    "list with two terms": parse_trial_request("essais de phase 1"),
    "two multi-term lists": TrialQuery(phases=["PHASE1"], interventions=["cell_therapy"]),
    "list + age": parse_trial_request("neuroblastome, mon fils a 5 ans"),
    "list + recruiting": parse_trial_request("cancer du pancréas qui recrute"),
    "list + shared-rank status": TrialQuery(conditions=["neuroblastoma"], statuses=["COMPLETED"]),
    "status only": TrialQuery(statuses=["TERMINATED", "WITHDRAWN"]),
    "age only": TrialQuery(age=4),
    "nothing": TrialQuery(),
    "alternatives": TrialQuery(conditions=["lymphoma", "KRAS G12C"]),
    "alternatives + age": TrialQuery(conditions=["lymphoma", "KRAS G12C"], age=70),
    "free text": TrialQuery(text="KRAS inhibitor"),
    "staff: hidden included": TrialQuery(conditions=["lung"], include_hidden=True),
    "staff: hidden + status": TrialQuery(statuses=["RECRUITING"], include_hidden=True),
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_every_plan_pages_exactly_like_the_oracle(seeded_store: str, name: str) -> None:
    query = QUERIES[name]
    with session_scope(seeded_store) as session:  # a featured and a hidden trial in the mix
        store.set_flag(session, "NCT04267848", "featured", True)
        store.set_flag(session, "NCT05288205", "hidden", True)
    try:
        expected = oracle(seeded_store, query)
        with session_scope(seeded_store) as session:
            pages = [search(session, query, page, 3) for page in range(len(expected) // 3 + 2)]
        assert [i for p in pages for i in p.ids] == expected
        assert {p.total for p in pages} == {len(expected)}
        if name not in ("nothing",):
            assert 0 < len(expected) < 34, "each case must actually filter"
    finally:
        with session_scope(seeded_store) as session:
            store.set_flag(session, "NCT04267848", "featured", False)
            store.set_flag(session, "NCT05288205", "hidden", False)


def test_ranks_follow_flags_and_status(seeded_store: str) -> None:
    with session_scope(seeded_store) as session:
        rank = {r.nct_id: r.rank for r in session.execute(select(TrialSearch)).scalars()}
    assert rank["NCT04956640"] == 10 + STATUS_RANK["RECRUITING"]
    assert rank["NCT02513394"] == 10 + STATUS_RANK["ACTIVE_NOT_RECRUITING"]
    assert rank["NCT00184067"] == 10 + CLOSED_RANK
