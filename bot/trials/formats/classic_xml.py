"""Legacy ClinicalTrials.gov XML records (public.xsd) converted to JSON by ctrdata (snake_case keys)."""
from __future__ import annotations

import re
from typing import Any

from bot.trials.formats import fields as f
from bot.trials.formats import values as v
from bot.trials.records import Contact, Identifier, Intervention, Site, TrialRecord


def _date(r: v.Reader, key: str) -> str | None:
    value = r.raw(key)
    if isinstance(value, dict):  # <start_date type="Actual">...</start_date>
        value = value.get("text") or value.get("#text") or None
        return v.date(value, r.where(key)) if isinstance(value, str) else None
    return v.date(r.text(key), r.where(key))


def _phases(r: v.Reader, key: str) -> tuple[str, ...]:
    """"Phase 1/Phase 2" in one string; "N/A" for device/behavioural studies."""
    text = r.text(key)
    return v.phases((text,) if text else (), r.where(key))


def _clean_texts(r: v.Reader, key: str) -> tuple[str, ...]:
    return tuple(x for x in r.texts(key) if x)


def _snapshot(root: v.Reader) -> str | None:
    header = root.obj("required_header").text("download_date") or ""
    match = re.search(r"on ([A-Za-z]+ \d{1,2}, \d{4})", header)
    if match:
        return v.date(match.group(1), "required_header.download_date")
    value = root.raw("record_last_import")
    return v.date(value, "record_last_import") if isinstance(value, str) else None


def _enrollment(r: v.Reader, key: str) -> int | None:
    value = r.raw(key)
    if isinstance(value, dict):
        value = value.get("text") or value.get("#text")
    if value in (None, "", {}):
        return None
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        return int(value)
    raise v.FieldError(r.where(key), f"expected a whole number, got {value!r}")


def _contact(kind: str) -> f.Spec:
    return f.record(Contact, {
        "kind": f.const(kind), "name": f.At("last_name", f.clean), "role": f.At("role", f.enum),
        "phone": f.At("phone", f.text), "phone_ext": f.At("phone_ext", f.text), "email": f.At("email", f.text),
        "affiliation": f.At("affiliation", f.clean),
    })


def _central_contacts(root: v.Reader) -> tuple[Contact, ...]:
    """``overall_contact`` and ``overall_contact_backup``: two single elements, not a list."""
    make = _contact("central")
    return tuple(make(c) for c in (root.obj("overall_contact"), root.obj("overall_contact_backup")) if c.data)


_NONE = f.const(None)

FIELDS: f.Table = {
    "nct_id": f.At("id_info.nct_id", f.nct),
    "brief_title": lambda root: f.title(root, "brief_title", "official_title"),
    "official_title": f.At("official_title", f.clean),
    "acronym": f.At("acronym", f.text),
    "overall_status": f.At("overall_status", f.status),
    "why_stopped": f.At("why_stopped", f.clean),
    "phases": f.At("phase", _phases),
    "study_type": f.At("study_type", f.enum),
    "sponsor": f.At("sponsors.lead_sponsor.agency", f.clean),
    "collaborators": f.Names("sponsors.collaborator", "agency", clean=True),
    "start_date": f.At("start_date", _date),
    "primary_completion_date": f.At("primary_completion_date", _date),
    "completion_date": f.At("completion_date", _date),
    "first_posted_date": f.At("study_first_posted", _date),
    "last_update_date": f.At("last_update_posted", _date),
    "status_verified_date": f.At("verification_date", _date),
    "snapshot_date": _snapshot,
    "brief_summary": f.At("brief_summary", f.clean),
    "conditions": f.At("condition", _clean_texts),
    "keywords": f.At("keyword", _clean_texts),
    "mesh_terms": f.At("condition_browse.mesh_term", _clean_texts),
    "interventions": f.Each("intervention", f.record(Intervention, {
        "type": f.At("intervention_type", f.enum), "name": f.At("intervention_name", f.required),
        "other_names": f.At("other_name", f.texts), "description": f.At("description", f.clean),
    })),
    "eligibility_criteria": f.At("eligibility.criteria.textblock", f.clean),
    "healthy_volunteers": f.At("eligibility.healthy_volunteers", f.flag),
    "sex": f.At("eligibility.gender", f.sex),
    "min_age_text": f.At("eligibility.minimum_age", f.text),
    "max_age_text": f.At("eligibility.maximum_age", f.text),
    "min_age_years": f.At("eligibility.minimum_age", f.age),
    "max_age_years": f.At("eligibility.maximum_age", f.age),
    "enrollment": f.At("enrollment", _enrollment),
    "enrollment_type": _NONE,
    "sites": f.Each("location", f.record(Site, {
        "facility": f.At("facility.name", f.clean), "city": f.At("facility.address.city", f.clean),
        "state": f.At("facility.address.state", f.clean), "zip": f.At("facility.address.zip", f.text),
        "country": f.At("facility.address.country", f.text), "status": f.At("status", f.enum),
        "lat": _NONE, "lon": _NONE,
    })),
    "contacts": f.chain(_central_contacts, f.Each("overall_official", _contact("official"))),
}


def parse(doc: dict[str, Any]) -> TrialRecord:
    root = v.Reader(doc, "")
    values = f.read(root, FIELDS)
    identifiers = _identifiers(values["nct_id"], root.obj("id_info"))
    return TrialRecord(**values, identifiers=identifiers, source_format="ctgov-classic-xml-as-json-ctrdata")


def _identifiers(nct: str, ident: v.Reader) -> tuple[Identifier, ...]:
    out = [Identifier("NCT", nct)]
    org = ident.text("org_study_id")
    if org:
        out.append(Identifier("ORG_STUDY_ID", org))
    for value in ident.texts("secondary_id"):
        out.append(Identifier(v.identifier_kind(value, None, None), value))
    return tuple(out)
