"""ClinicalTrials.gov API v2 study objects, including ctrdata's copies (added keys, collapsed arrays)."""
from __future__ import annotations

from typing import Any

from bot.trials.formats import values as v
from bot.trials.records import Contact, Identifier, Intervention, Site, TrialRecord
from bot.trials.text import clean_registry_text


def parse(doc: dict[str, Any]) -> TrialRecord:
    root = v.Reader(doc, "")
    ps = root.obj("protocolSection")
    ident = ps.obj("identificationModule")
    status = ps.obj("statusModule")
    design = ps.obj("designModule")
    elig = ps.obj("eligibilityModule")
    conds = ps.obj("conditionsModule")
    sponsor = ps.obj("sponsorCollaboratorsModule")
    contacts_mod = ps.obj("contactsLocationsModule")
    derived = root.obj("derivedSection")

    nct = v.nct_id(ident.text("nctId"), ident.where("nctId"))
    title = ident.text("briefTitle", clean=True) or ident.text("officialTitle", clean=True)
    if not title:
        raise v.FieldError(ident.where("briefTitle"), "missing (and no officialTitle)")

    min_text = elig.text("minimumAge")
    max_text = elig.text("maximumAge")
    enrollment = design.obj("enrollmentInfo")
    snapshot = derived.obj("miscInfoModule").text("versionHolder")
    snapshot_path = derived.obj("miscInfoModule").where("versionHolder")
    if snapshot is None and isinstance(doc.get("record_last_import"), str):  # ctrdata
        snapshot, snapshot_path = doc["record_last_import"], "record_last_import"

    record = TrialRecord(
        nct_id=nct,
        brief_title=title,
        official_title=ident.text("officialTitle", clean=True),
        acronym=ident.text("acronym"),
        overall_status=v.status(status.text("overallStatus"), status.where("overallStatus")),
        why_stopped=status.text("whyStopped", clean=True),
        phases=v.phases(design.texts("phases"), design.where("phases")),
        study_type=_upper(design.text("studyType")),
        sponsor=sponsor.obj("leadSponsor").text("name"),
        collaborators=tuple(c.text("name") or "" for c in sponsor.objs("collaborators") if c.has("name")),
        start_date=_date(status.obj("startDateStruct"), "date"),
        primary_completion_date=_date(status.obj("primaryCompletionDateStruct"), "date"),
        completion_date=_date(status.obj("completionDateStruct"), "date"),
        first_posted_date=_date(status.obj("studyFirstPostDateStruct"), "date"),
        last_update_date=_date(status.obj("lastUpdatePostDateStruct"), "date"),
        status_verified_date=_date(status, "statusVerifiedDate"),
        snapshot_date=v.date(snapshot, snapshot_path),
        brief_summary=ps.obj("descriptionModule").text("briefSummary", clean=True),
        conditions=conds.texts("conditions"),
        keywords=conds.texts("keywords"),
        mesh_terms=tuple(
            m.text("term") or "" for m in derived.obj("conditionBrowseModule").objs("meshes") if m.has("term")
        ),
        interventions=tuple(_intervention(i) for i in ps.obj("armsInterventionsModule").objs("interventions")),
        eligibility_criteria=elig.text("eligibilityCriteria", clean=True),
        healthy_volunteers=elig.flag("healthyVolunteers"),
        sex=v.sex(elig.text("sex"), elig.where("sex")),
        min_age_text=min_text,
        max_age_text=max_text,
        min_age_years=v.age_years(min_text, elig.where("minimumAge")),
        max_age_years=v.age_years(max_text, elig.where("maximumAge")),
        enrollment=enrollment.integer("count"),
        enrollment_type=_upper(enrollment.text("type")),
        sites=tuple(_site(loc) for loc in contacts_mod.objs("locations")),
        contacts=tuple(
            [_contact(c, "central") for c in contacts_mod.objs("centralContacts")]
            + [_contact(c, "official") for c in contacts_mod.objs("overallOfficials")]
        ),
        identifiers=_identifiers(nct, ident),
        source_format=_format_label(doc, root),
    )
    return record


def _format_label(doc: dict[str, Any], root: v.Reader) -> str:
    if "ctrname" in doc:
        return "ctgov-v2-ctrdata-collapsed" if root.state["collapsed"] else "ctgov-v2-ctrdata"
    if "derivedSection" not in doc and "hasResults" not in doc:
        return "ctgov-v2-field-limited"  # requested with fields=...: no sites, no eligibility text
    return "ctgov-v2"


def _upper(value: str | None) -> str | None:
    return value.upper() if value else None


def _date(reader: v.Reader, key: str) -> str | None:
    return v.date(reader.text(key), reader.where(key))


def _intervention(r: v.Reader) -> Intervention:
    name = r.text("name", required=True, clean=True) or ""
    return Intervention(
        type=_upper(r.text("type")),
        name=name,
        other_names=r.texts("otherNames"),
        description=r.text("description", clean=True),
    )


_SITE_TEXT = ("facility", "city", "state", "zip", "country", "status")


def _site(r: v.Reader) -> Site:
    data = r.data
    geo_data = data.get("geoPoint")
    # Fast path for the usual shape (plain strings, numeric geoPoint); anything else goes
    # through the checked reader below, which names the faulty field.
    if all(type(data.get(k)) is str or data.get(k) is None for k in _SITE_TEXT) and (
        geo_data is None or (type(geo_data) is dict
                             and all(type(geo_data.get(k)) in (int, float) for k in ("lat", "lon")))
    ):
        facility = data.get("facility")
        status = data.get("status")
        return Site(
            facility=clean_registry_text(facility) if facility and facility.strip() else None,
            city=(data.get("city") or "").strip() or None,
            state=(data.get("state") or "").strip() or None,
            zip=(data.get("zip") or "").strip() or None,
            country=(data.get("country") or "").strip() or None,
            status=status.strip().upper() if status and status.strip() else None,
            lat=float(geo_data["lat"]) if geo_data else None,
            lon=float(geo_data["lon"]) if geo_data else None,
        )
    geo = r.obj("geoPoint")
    return Site(
        facility=r.text("facility", clean=True),
        city=r.text("city"),
        state=r.text("state"),
        zip=r.text("zip"),
        country=r.text("country"),
        status=_upper(r.text("status")),
        lat=geo.number("lat"),
        lon=geo.number("lon"),
    )


def _contact(r: v.Reader, kind: str) -> Contact:
    return Contact(
        kind=kind,
        name=r.text("name"),
        role=_upper(r.text("role")),
        phone=r.text("phone"),
        phone_ext=r.text("phoneExt"),
        email=r.text("email"),
        affiliation=r.text("affiliation"),
    )


def _identifiers(nct: str, ident: v.Reader) -> tuple[Identifier, ...]:
    out = [Identifier("NCT", nct)]
    org = ident.obj("orgStudyIdInfo").text("id")
    if org:
        out.append(Identifier("ORG_STUDY_ID", org, ident.obj("organization").text("fullName")))
    for sec in ident.objs("secondaryIdInfos"):
        value = sec.text("id")
        if not value:
            continue
        domain = sec.text("domain")
        out.append(Identifier(v.identifier_kind(value, sec.text("type"), domain), value, domain))
    return tuple(out)
