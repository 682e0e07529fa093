"""Legacy ClinicalTrials.gov XML records (public.xsd) converted to JSON by ctrdata (snake_case keys)."""
from __future__ import annotations

import re
from typing import Any

from bot.trials.formats import values as v
from bot.trials.records import Contact, Identifier, Intervention, Site, TrialRecord


def parse(doc: dict[str, Any]) -> TrialRecord:
    r = v.Reader(doc, "")
    ident = r.obj("id_info")
    elig = r.obj("eligibility")
    nct = v.nct_id(ident.text("nct_id"), ident.where("nct_id"))
    title = r.text("brief_title", clean=True) or r.text("official_title", clean=True)
    if not title:
        raise v.FieldError("brief_title", "missing (and no official_title)")
    min_text, max_text = elig.text("minimum_age"), elig.text("maximum_age")
    phase_text = r.text("phase")
    sponsors = r.obj("sponsors")

    return TrialRecord(
        nct_id=nct,
        brief_title=title,
        official_title=r.text("official_title", clean=True),
        acronym=r.text("acronym"),
        overall_status=v.status(r.text("overall_status"), "overall_status"),
        why_stopped=r.text("why_stopped", clean=True),
        # "Phase 1/Phase 2" in one string; "N/A" for device/behavioural studies.
        phases=v.phases((phase_text,) if phase_text else (), "phase"),
        study_type=_upper(r.text("study_type")),
        sponsor=sponsors.obj("lead_sponsor").text("agency", clean=True),
        collaborators=tuple(c.text("agency", clean=True) or "" for c in sponsors.objs("collaborator") if c.has("agency")),
        start_date=_date(r, "start_date"),
        primary_completion_date=_date(r, "primary_completion_date"),
        completion_date=_date(r, "completion_date"),
        first_posted_date=_date(r, "study_first_posted"),
        last_update_date=_date(r, "last_update_posted"),
        status_verified_date=_date(r, "verification_date"),
        snapshot_date=_snapshot(doc, r),
        brief_summary=r.text("brief_summary", clean=True),
        conditions=tuple(_clean_all(r.texts("condition"))),
        keywords=tuple(_clean_all(r.texts("keyword"))),
        mesh_terms=tuple(_clean_all(r.obj("condition_browse").texts("mesh_term"))),
        interventions=tuple(_intervention(i) for i in r.objs("intervention")),
        eligibility_criteria=elig.obj("criteria").text("textblock", clean=True),
        healthy_volunteers=elig.flag("healthy_volunteers"),
        sex=v.sex(elig.text("gender"), elig.where("gender")),
        min_age_text=min_text,
        max_age_text=max_text,
        min_age_years=v.age_years(min_text, elig.where("minimum_age")),
        max_age_years=v.age_years(max_text, elig.where("maximum_age")),
        enrollment=_enrollment(r),
        enrollment_type=None,
        sites=tuple(_site(loc) for loc in r.objs("location")),
        contacts=tuple(
            [_contact(c, "central") for c in (r.obj("overall_contact"), r.obj("overall_contact_backup")) if c.data]
            + [_contact(c, "official") for c in r.objs("overall_official")]
        ),
        identifiers=_identifiers(nct, ident),
        source_format="ctgov-classic-xml-as-json-ctrdata",
    )


def _upper(value: str | None) -> str | None:
    return value.upper().replace(" ", "_") if value else None


def _clean_all(values: tuple[str, ...]) -> list[str]:
    return [x for x in values if x]


def _date(r: v.Reader, key: str) -> str | None:
    value = r.raw(key)
    if isinstance(value, dict):  # <start_date type="Actual">...</start_date>
        value = value.get("text") or value.get("#text") or None
        return v.date(value, r.where(key)) if isinstance(value, str) else None
    return v.date(r.text(key), r.where(key))


def _snapshot(doc: dict[str, Any], r: v.Reader) -> str | None:
    header = r.obj("required_header").text("download_date") or ""
    match = re.search(r"on ([A-Za-z]+ \d{1,2}, \d{4})", header)
    if match:
        return v.date(match.group(1), "required_header.download_date")
    value = doc.get("record_last_import")
    return v.date(value, "record_last_import") if isinstance(value, str) else None


def _enrollment(r: v.Reader) -> int | None:
    value = r.raw("enrollment")
    if isinstance(value, dict):
        value = value.get("text") or value.get("#text")
    if value in (None, "", {}):
        return None
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        return int(value)
    raise v.FieldError("enrollment", f"expected a whole number, got {value!r}")


def _intervention(r: v.Reader) -> Intervention:
    return Intervention(
        type=_upper(r.text("intervention_type")),
        name=r.text("intervention_name", required=True, clean=True) or "",
        other_names=r.texts("other_name"),
        description=r.text("description", clean=True),
    )


def _site(r: v.Reader) -> Site:
    facility = r.obj("facility")
    address = facility.obj("address")
    return Site(
        facility=facility.text("name", clean=True),
        city=address.text("city", clean=True),
        state=address.text("state", clean=True),
        zip=address.text("zip"),
        country=address.text("country"),
        status=_upper(r.text("status")),
        lat=None,
        lon=None,
    )


def _contact(r: v.Reader, kind: str) -> Contact:
    return Contact(
        kind=kind,
        name=r.text("last_name", clean=True),
        role=_upper(r.text("role")),
        phone=r.text("phone"),
        phone_ext=r.text("phone_ext"),
        email=r.text("email"),
        affiliation=r.text("affiliation", clean=True),
    )


def _identifiers(nct: str, ident: v.Reader) -> tuple[Identifier, ...]:
    out = [Identifier("NCT", nct)]
    org = ident.text("org_study_id")
    if org:
        out.append(Identifier("ORG_STUDY_ID", org))
    for value in ident.texts("secondary_id"):
        out.append(Identifier(v.identifier_kind(value, None, None), value))
    return tuple(out)
