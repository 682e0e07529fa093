"""ClinicalTrials.gov API v2 study objects, including ctrdata's copies (added keys, collapsed arrays)."""
from __future__ import annotations

from typing import Any

from bot.trials.formats import fields as f
from bot.trials.formats import values as v
from bot.trials.records import Contact, Identifier, Intervention, Site, TrialRecord
from bot.trials.text import clean_registry_text

_ID = "protocolSection.identificationModule."
_STATUS = "protocolSection.statusModule."
_DESIGN = "protocolSection.designModule."
_ELIG = "protocolSection.eligibilityModule."
_CONDS = "protocolSection.conditionsModule."
_SPONSOR = "protocolSection.sponsorCollaboratorsModule."
_CONTACTS = "protocolSection.contactsLocationsModule."


def _snapshot(root: v.Reader) -> str | None:
    snapshot = f.At("derivedSection.miscInfoModule.versionHolder", f.date)(root)
    value = root.raw("record_last_import")  # ctrdata
    if snapshot is None and isinstance(value, str):
        return v.date(value, "record_last_import")
    return snapshot


def _site(r: v.Reader) -> Site:
    data = r.data
    geo = data.get("geoPoint")
    # Fast path for the usual shape (plain strings, numeric geoPoint); anything else goes
    # through the checked table below, which names the faulty field.
    if all(type(data.get(k)) is str or data.get(k) is None for k in _SITE_TEXT) and (
        geo is None or (type(geo) is dict and all(type(geo.get(k)) in (int, float) for k in ("lat", "lon")))
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
            lat=float(geo["lat"]) if geo else None,
            lon=float(geo["lon"]) if geo else None,
        )
    return _checked_site(r)


_SITE_TEXT = ("facility", "city", "state", "zip", "country", "status")
_checked_site = f.record(Site, {
    "facility": f.At("facility", f.clean), "city": f.At("city", f.text), "state": f.At("state", f.text),
    "zip": f.At("zip", f.text), "country": f.At("country", f.text), "status": f.At("status", f.upper),
    "lat": f.At("geoPoint.lat", f.number), "lon": f.At("geoPoint.lon", f.number),
})


def _contact(kind: str) -> f.Spec:
    return f.record(Contact, {
        "kind": f.const(kind), "name": f.At("name", f.text), "role": f.At("role", f.upper),
        "phone": f.At("phone", f.text), "phone_ext": f.At("phoneExt", f.text), "email": f.At("email", f.text),
        "affiliation": f.At("affiliation", f.text),
    })


FIELDS: f.Table = {
    "nct_id": f.At(_ID + "nctId", f.nct),
    "brief_title": lambda root: f.title(root, _ID + "briefTitle", _ID + "officialTitle"),
    "official_title": f.At(_ID + "officialTitle", f.clean),
    "acronym": f.At(_ID + "acronym", f.text),
    "overall_status": f.At(_STATUS + "overallStatus", f.status),
    "why_stopped": f.At(_STATUS + "whyStopped", f.clean),
    "phases": f.At(_DESIGN + "phases", f.phases),
    "study_type": f.At(_DESIGN + "studyType", f.upper),
    "sponsor": f.At(_SPONSOR + "leadSponsor.name", f.text),
    "collaborators": f.Names(_SPONSOR + "collaborators", "name"),
    "start_date": f.At(_STATUS + "startDateStruct.date", f.date),
    "primary_completion_date": f.At(_STATUS + "primaryCompletionDateStruct.date", f.date),
    "completion_date": f.At(_STATUS + "completionDateStruct.date", f.date),
    "first_posted_date": f.At(_STATUS + "studyFirstPostDateStruct.date", f.date),
    "last_update_date": f.At(_STATUS + "lastUpdatePostDateStruct.date", f.date),
    "status_verified_date": f.At(_STATUS + "statusVerifiedDate", f.date),
    "snapshot_date": _snapshot,
    "brief_summary": f.At("protocolSection.descriptionModule.briefSummary", f.clean),
    "conditions": f.At(_CONDS + "conditions", f.texts),
    "keywords": f.At(_CONDS + "keywords", f.texts),
    "mesh_terms": f.Names("derivedSection.conditionBrowseModule.meshes", "term"),
    "interventions": f.Each("protocolSection.armsInterventionsModule.interventions", f.record(Intervention, {
        "type": f.At("type", f.upper), "name": f.At("name", f.required),
        "other_names": f.At("otherNames", f.texts), "description": f.At("description", f.clean),
    })),
    "eligibility_criteria": f.At(_ELIG + "eligibilityCriteria", f.clean),
    "healthy_volunteers": f.At(_ELIG + "healthyVolunteers", f.flag),
    "sex": f.At(_ELIG + "sex", f.sex),
    "min_age_text": f.At(_ELIG + "minimumAge", f.text),
    "max_age_text": f.At(_ELIG + "maximumAge", f.text),
    "min_age_years": f.At(_ELIG + "minimumAge", f.age),
    "max_age_years": f.At(_ELIG + "maximumAge", f.age),
    "enrollment": f.At(_DESIGN + "enrollmentInfo.count", f.integer),
    "enrollment_type": f.At(_DESIGN + "enrollmentInfo.type", f.upper),
    "sites": f.Each(_CONTACTS + "locations", _site),
    "contacts": f.chain(f.Each(_CONTACTS + "centralContacts", _contact("central")),
                        f.Each(_CONTACTS + "overallOfficials", _contact("official"))),
}


def parse(doc: dict[str, Any]) -> TrialRecord:
    root = v.Reader(doc, "")
    values = f.read(root, FIELDS)
    identifiers = _identifiers(values["nct_id"], root.obj("protocolSection").obj("identificationModule"))
    return TrialRecord(**values, identifiers=identifiers, source_format=_format_label(doc, root))


def _format_label(doc: dict[str, Any], root: v.Reader) -> str:
    if "ctrname" in doc:
        return "ctgov-v2-ctrdata-collapsed" if root.state["collapsed"] else "ctgov-v2-ctrdata"
    if "derivedSection" not in doc and "hasResults" not in doc:
        return "ctgov-v2-field-limited"  # requested with fields=...: no sites, no eligibility text
    return "ctgov-v2"


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
