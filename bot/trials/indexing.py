"""What the store derives from a record: search terms, immunotherapy/oncology flags, site digest.

Term prefixes: ``c:`` condition concept, ``i:`` intervention concept, ``p:`` phase, ``co:``
country, ``ci:`` city, ``f:`` facility word or word pair, ``x:immunotherapy``, ``w:`` any word of conditions, keywords,
interventions, title and acronym (free-text search).
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from functools import lru_cache

from bot.trials.lexicon import (
    CONCEPTS,
    concepts_in_record_text,
    is_cancer_text,
    mentions_immunotherapy,
)
from bot.trials.places import canonical_country, normalise_city
from bot.trials.records import TrialRecord
from bot.trials.text import fold, tokens

MAX_TERM = 80


@lru_cache(maxsize=100_000)  # the same hospitals appear in many trials
def facility_terms(name: str) -> frozenset[str]:
    """Words and consecutive word pairs of a facility name: "Institut Curie" must match as a
    pair, so that a "Skłodowska-Curie" institute elsewhere does not."""
    words = [w for w in tokens(name) if not w.isdigit()]
    pairs = {f"f:{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    return frozenset({f"f:{w}" for w in words} | pairs)


def facility_query_terms(name: str) -> list[str]:
    """Terms that must all be present for a facility query (pairs when several words)."""
    words = [w for w in tokens(name) if not w.isdigit()]
    if len(words) == 1:
        return [f"f:{words[0]}"]
    return [f"f:{a} {b}"[:MAX_TERM] for a, b in zip(words, words[1:], strict=False)]


def condition_concepts(record: TrialRecord) -> set[str]:
    found: set[str] = set()
    for item in record.conditions + record.keywords + record.mesh_terms:
        found |= concepts_in_record_text(fold(item), "condition")
    return found


def intervention_texts(record: TrialRecord) -> list[str]:
    texts = [record.brief_title, record.official_title or "", record.acronym or "", *record.keywords]
    for intervention in record.interventions:
        texts.append(intervention.name)
        texts.extend(intervention.other_names)
    return [t for t in texts if t]


def intervention_concepts(record: TrialRecord) -> set[str]:
    found: set[str] = set()
    for item in intervention_texts(record):
        found |= concepts_in_record_text(fold(item), "intervention")
    return found


def is_oncology(record: TrialRecord) -> bool:
    texts = record.conditions + record.keywords + record.mesh_terms + (record.brief_title, record.official_title or "")
    return any(is_cancer_text(fold(t)) for t in texts)


def is_immunotherapy(record: TrialRecord, interventions: set[str], oncology: bool) -> bool:
    """Derived from interventions, titles and keywords; never from a hand classification."""
    for key in interventions:
        concept = CONCEPTS[key]
        if concept.immunotherapy and (oncology or not concept.oncology_only):
            return True
    return oncology and any(mentions_immunotherapy(fold(t)) for t in intervention_texts(record))


IMMUNOTHERAPY_TERM = "x:immunotherapy"


def terms(record: TrialRecord, conditions: set[str], interventions: set[str], immunotherapy: bool = False) -> set[str]:
    out = {f"c:{k}" for k in conditions} | {f"i:{k}" for k in interventions}
    if immunotherapy:
        out.add(IMMUNOTHERAPY_TERM)
    out |= {f"p:{p.lower()}" for p in record.phases}
    for site in record.sites:
        if site.country:
            out.add(f"co:{fold(canonical_country(site.country))}")
        if site.city:
            city = normalise_city(site.city)
            if city:
                out.add(f"ci:{city}")
        if site.facility:
            out |= facility_terms(site.facility)
    words: list[str] = [record.brief_title, record.acronym or "", *record.conditions, *record.keywords]
    for intervention in record.interventions:
        words.append(intervention.name)
        words.extend(intervention.other_names)
    for text in words:
        out |= {f"w:{w}" for w in tokens(text) if not w.isdigit()}
    return {t[:MAX_TERM] for t in out}


def locations_digest(record: TrialRecord) -> list[dict[str, object]]:
    """Countries by number of sites, each with up to 10 distinct cities: enough for a card."""
    countries: OrderedDict[str, dict[str, object]] = OrderedDict()
    for site in record.sites:
        country = site.country or "?"
        entry = countries.setdefault(country, {"country": country, "count": 0, "cities": []})
        entry["count"] = int(entry["count"]) + 1  # type: ignore[call-overload]
        cities: list[str] = entry["cities"]  # type: ignore[assignment]
        if site.city and site.city not in cities and len(cities) < 10:
            cities.append(site.city)
    return sorted(countries.values(), key=lambda e: -int(e["count"]))  # type: ignore[call-overload]


def content_hash(record: TrialRecord) -> str:
    """Fingerprint of everything stored from the record (the dataclass repr lists every field)."""
    return hashlib.sha256(repr(record).encode("utf-8")).hexdigest()
