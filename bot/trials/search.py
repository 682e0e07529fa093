"""Trial search over the term index: parameterised SQL only, ranked featured > recruiting > others.

Every query value becomes index terms (``c:lung``, ``co:france``, ``w:sonidegib``...) bound as
parameters; user text never reaches SQL as SQL. Term rows are keyed (term, rank, trial), so each
term's trials are stored in result order: a search intersects the posting lists of its criteria
(a merge), counts the result with index-only reads, and takes its page from the front. Hidden
trials (rank 100+) are left out unless a staff tool asks for them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from bot.trials.formats.values import status as parse_status
from bot.trials.indexing import IMMUNOTHERAPY_TERM, MAX_TERM, facility_query_terms
from bot.trials.lexicon import CONCEPTS, expand
from bot.trials.models import VISIBLE_RANKS, age_in_days
from bot.trials.places import canonical_country, normalise_city, place_phrases
from bot.trials.query import TrialQuery
from bot.trials.records import CLOSED_RANK, PHASES, STATUS_RANK, STATUSES, FieldError
from bot.trials.store import summaries_by_search_id
from bot.trials.text import fold, tokens
from bot.trials.understand import find_concepts, parse_phases
from bot.trials.views import SearchResult

MAX_PAGE_SIZE = 50
MAX_TOKENS = 8
# Status ranks several statuses share: filtering on those needs the status itself.
_SHARED_RANKS = {r for r in set(STATUS_RANK.values()) | {CLOSED_RANK}
                 if sum(1 for s in STATUSES if STATUS_RANK.get(s, CLOSED_RANK) == r) > 1}


@dataclass
class _Filters:
    groups: list[set[str]] = field(default_factory=list)  # AND of groups; a group: any of its terms
    alternatives: list[list[list[set[str]]]] = field(default_factory=list)  # OR of (AND of groups)
    ranks: set[int] | None = None  # allowed ranks; None: every visible rank
    statuses: list[str] | None = None  # exact statuses, when their rank does not tell them apart
    age: float | None = None  # the patient's age (years), checked against each trial's limits
    unrecognised: list[str] = field(default_factory=list)


def _clip(terms: Iterable[str]) -> list[str]:
    return sorted({t[:MAX_TERM] for t in terms})


def _word_variants(word: str) -> set[str]:
    # Plain plural tolerance for free words: "tumors" finds "tumor" and the reverse.
    variants = {word, word + "s"}
    if len(word) > 3 and word.endswith("s"):
        variants.add(word[:-1])
    return variants


def _word_groups(words: list[str], prefix: str) -> list[set[str]]:
    return [{f"{prefix}{v}" for v in _word_variants(w)} for w in words[:MAX_TOKENS]]


def resolve_concepts(value: str, kind: str) -> set[str]:
    """Lexicon keys for one query value: a key itself, or the concepts its wording names."""
    key = value.strip().lower()
    if key in CONCEPTS and CONCEPTS[key].kind == kind:
        return expand({key})
    return expand(set(find_concepts(value, kind)))


def _concept_groups(values: list[str], kind: str, filters: _Filters) -> None:
    """Any of ``values`` (OR): lexicon concepts when recognised, else all of the value's words."""
    prefix = "c:" if kind == "condition" else "i:"
    alternatives: list[list[set[str]]] = []  # each alternative: groups that must all match
    for value in values:
        keys = resolve_concepts(value, kind)
        if keys:
            alternatives.append([{prefix + k for k in keys}])
            continue
        filters.unrecognised.append(value)
        alternatives.append(_word_groups(tokens(value), "w:") or [set()])
    if not alternatives:
        return
    if all(len(a) == 1 for a in alternatives):  # the usual case: a single term group
        filters.groups.append(set().union(*(a[0] for a in alternatives)))
    else:
        filters.alternatives.append(alternatives)


def _phase_terms(values: list[str]) -> set[str]:
    phases: set[str] = set()
    for value in values:
        upper = value.strip().upper().replace(" ", "_")
        phases |= {upper} if upper in PHASES else set(parse_phases(fold(value if "phase" in value.lower() else f"phase {value}")))
    if "PHASE1" in phases:  # a patient asking for phase 1 also means early phase 1
        phases.add("EARLY_PHASE1")
    return {f"p:{p.lower()}" for p in phases}


def _statuses(values: list[str]) -> list[str]:
    out = []
    for value in values:
        try:
            out.append(parse_status(value, "status"))
        except FieldError:
            continue
    return out


def _registry_place(value: str, kind: str) -> str:
    """Registry spelling of a country/city given in French or English ("Allemagne" -> "Germany")."""
    folded = fold(value)
    for phrase, place in place_phrases():
        place_kind, _, name = place.partition(":")
        if place_kind == kind and phrase == folded:
            return name
    return value


def build_filters(query: TrialQuery) -> _Filters:
    filters = _Filters()
    base_ranks = set(range(20)) | (set(range(VISIBLE_RANKS, VISIBLE_RANKS + 20)) if query.include_hidden else set())
    _concept_groups(query.conditions, "condition", filters)
    _concept_groups(query.interventions, "intervention", filters)
    if query.phases:
        filters.groups.append(_phase_terms(query.phases))
    if query.statuses:
        statuses = _statuses(query.statuses)
        status_ranks = {STATUS_RANK.get(s, CLOSED_RANK) for s in statuses}
        filters.ranks = {r for r in base_ranks if r % 10 in status_ranks}
        if status_ranks & _SHARED_RANKS:
            filters.statuses = statuses
    elif query.include_hidden:
        filters.ranks = base_ranks
    if query.country:
        country = canonical_country(_registry_place(query.country, "country"))
        filters.groups.append({f"co:{fold(country)}"})
    if query.city:
        filters.groups.append({f"ci:{normalise_city(_registry_place(query.city, 'city'))}"})
    if query.facility:
        filters.groups += [{t} for t in facility_query_terms(query.facility)[:MAX_TOKENS]] or [set()]
    if query.age is not None:
        filters.age = query.age
    if query.immunotherapy:
        filters.groups.append({IMMUNOTHERAPY_TERM})
    if query.text:
        words = [w for w in tokens(query.text) if not w.isdigit()] or tokens(query.text)
        filters.groups += _word_groups(words, "w:") or [set()]
    return filters


# Which term group to walk: the most specific kinds of terms first (fewest trials each).
_SPECIFICITY = ("f:", "ci:", "w:", "i:", "c:", "co:", "x:", "p:")


def _specificity(group: set[str]) -> tuple[int, int]:
    kinds = [_SPECIFICITY.index(t[: t.index(":") + 1]) for t in group if t[: t.index(":") + 1] in _SPECIFICITY]
    return max(kinds, default=0), len(group)


class _Sql:
    """A statement assembled from fixed fragments; every value is a bound parameter.

    Plain SQL text here (rather than expression objects rebuilt per call) keeps a search's own
    overhead well under a millisecond; the fragments never contain user input.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: dict[str, Any] = {}
        self.lists: set[str] = set()

    def bind(self, value: Any, *, many: bool = False) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        if many:
            self.lists.add(name)
        return f":{name}"

    def add(self, fragment: str) -> None:
        self.parts.append(fragment)

    def statement(self) -> TextClause:
        return text(" ".join(self.parts)).bindparams(
            *[bindparam(name, expanding=True) for name in sorted(self.lists)]
        )


def _row_criteria(sql: _Sql, filters: _Filters, row: str, *, with_age: bool = False) -> list[str]:
    """Criteria on the trial's narrow row (``row`` is its alias): exact status, and age when
    the search is not driven by posting lists (which carry the age limits themselves)."""
    out: list[str] = []
    if filters.statuses is not None:
        out.append(f"{row}.overall_status IN {sql.bind(filters.statuses, many=True)}")
    if with_age and filters.age is not None:
        age = sql.bind(filters.age)
        out.append(f"({row}.min_age_years IS NULL OR {row}.min_age_years <= {age})")
        out.append(f"({row}.max_age_years IS NULL OR {row}.max_age_years >= {age})")
    return out


def _age_condition(sql: _Sql, filters: _Filters) -> str:
    """Age limits as stored in each posting (whole days): checked while scanning the list."""
    if filters.age is None:
        return ""
    days = sql.bind(age_in_days(filters.age))
    return (f" AND (min_age_days IS NULL OR min_age_days <= {days})"
            f" AND (max_age_days IS NULL OR max_age_days >= {days})")


def _rank_condition(sql: _Sql, filters: _Filters, rank: str) -> str:
    if filters.ranks is None:
        return f"{rank} < {VISIBLE_RANKS}"  # visible trials: a range of the index
    if filters.ranks:
        return f"{rank} IN {sql.bind(sorted(filters.ranks), many=True)}"
    return "1 = 0"


def _probe(sql: _Sql, group: set[str], rank: str, trial_id: str) -> str:
    """The trial also has one of ``group``'s terms: primary-key look-ups (term, rank, trial)."""
    if not group:
        return "1 = 0"
    return (f"EXISTS (SELECT 1 FROM trial_terms q WHERE q.term IN {sql.bind(_clip(group), many=True)} "
            f"AND q.rank = {rank} AND q.trial_id = {trial_id})")


# Keeps a subquery's ORDER BY binding (SQLite drops an ORDER BY it deems redundant, and with it
# the merge); portable, unlike SQLite's "LIMIT -1".
_NO_LIMIT = 1_000_000_000


def _only_terms(filters: _Filters) -> bool:
    """True when posting lists alone decide (no row look-up, no alternatives)."""
    return not filters.alternatives and filters.statuses is None


def _combine(lists: list[str], dialect: str, inner_tail: str) -> str:
    """The posting lists combined, in result order.

    SQLite runs an ordered INTERSECT as a streaming merge (it has no merge join); PostgreSQL
    hashes an INTERSECT but merge-joins the same sorted lists, so it gets joins.
    """
    if dialect != "postgresql" or len(lists) == 1:
        return "(" + " INTERSECT ".join(lists) + f" ORDER BY 1, 2 {inner_tail}) m"
    joined = f"({lists[0]}) g0"
    for i, posting_list in enumerate(lists[1:], start=1):
        joined += f" JOIN ({posting_list}) g{i} ON g{i}.rank = g0.rank AND g{i}.trial_id = g0.trial_id"
    return f"(SELECT g0.rank, g0.trial_id FROM {joined} ORDER BY 1, 2 {inner_tail}) m"


def _matches(sql: _Sql, filters: _Filters, groups: list[set[str]], select_part: str, inner_tail: str = "",
             dialect: str = "sqlite") -> None:
    """``SELECT <select_part> FROM <matching trials> m ...`` with m.rank, m.trial_id in result order.

    Each term group is one posting list, already sorted by (rank, trial) and carrying the
    trial's age limits; combining them is a streaming merge (see :func:`_combine`), so a page
    stops after its last row and a count reads each list once. An exact-status criterion then looks up the narrow
    row of the survivors only. ``inner_tail`` (LIMIT ...) applies to the ordered merge itself.
    Without any term group, the narrow table is read in the order of its ranking index.
    """
    row: list[str] = []
    if groups:
        row = _row_criteria(sql, filters, "s")
        lists = []
        for group in groups:
            terms = sql.bind(_clip(group), many=True)
            distinct = "DISTINCT " if len(group) > 1 else ""  # a trial once, even with two terms
            lists.append(f"SELECT {distinct}rank, trial_id FROM trial_terms WHERE term IN {terms} "
                         f"AND {_rank_condition(sql, filters, 'rank')}{_age_condition(sql, filters)}")
        source = _combine(lists, dialect, inner_tail)
    else:
        criteria = [_rank_condition(sql, filters, "t.rank"), *_row_criteria(sql, filters, "t", with_age=True)]
        source = f"(SELECT t.rank, t.id AS trial_id FROM trial_search t WHERE {' AND '.join(criteria)}) m"
    where = ["1 = 1"]
    if row:
        source += " CROSS JOIN trial_search s"  # CROSS JOIN: SQLite keeps the merged list outside
        where += ["s.id = m.trial_id", *row]
    for alternatives in filters.alternatives:
        options = ["(" + " AND ".join(_probe(sql, g, "m.rank", "m.trial_id") for g in option) + ")"
                   for option in alternatives]
        where.append("(" + " OR ".join(options) + ")")
    sql.add(f"SELECT {select_part} FROM {source} WHERE " + " AND ".join(where))


def _run(connection: Connection, sql: _Sql) -> Any:
    return connection.execute(sql.statement(), sql.params)


def _page_ids(connection: Connection, filters: _Filters, offset: int, limit: int) -> tuple[int, list[int]]:
    """Total number of matches, and the search ids of one page, best first."""
    if any(not g for g in filters.groups):
        return 0, []  # a criterion that can match nothing (e.g. only stop words)
    groups = sorted(filters.groups, key=_specificity)
    dialect = connection.dialect.name
    count = _Sql()
    _matches(count, filters, groups, "count(*)", dialect=dialect)
    total = int(_run(connection, count).scalar_one())
    if total <= offset:
        return total, []
    page = _Sql()
    if groups and _only_terms(filters):
        # The page is the front of the merged lists: cut there, then order those few rows.
        _matches(page, filters, groups, "m.trial_id", f"LIMIT {page.bind(limit)} OFFSET {page.bind(offset)}",
                 dialect=dialect)
        page.add("ORDER BY m.rank, m.trial_id")
    else:
        _matches(page, filters, groups, "m.trial_id", f"LIMIT {_NO_LIMIT}" if groups else "", dialect=dialect)
        page.add(f"ORDER BY m.rank, m.trial_id LIMIT {page.bind(limit)} OFFSET {page.bind(offset)}")
    return total, list(_run(connection, page).scalars())


def search(session: Session, query: TrialQuery, page: int = 0, page_size: int = 5) -> SearchResult:
    """One page of matching trials, best first, and the total number of matches."""
    page = max(0, int(page))
    page_size = max(1, min(MAX_PAGE_SIZE, int(page_size)))
    filters = build_filters(query)
    connection = session.connection()  # Core execution: no ORM result processing
    total, search_ids = _page_ids(connection, filters, page * page_size, page_size)
    return SearchResult(
        items=tuple(summaries_by_search_id(session, search_ids)),
        total=total,
        page=page,
        page_size=page_size,
        unrecognised=tuple(filters.unrecognised),
    )


__all__ = ["build_filters", "resolve_concepts", "search"]
