"""Retired ClinicalTrials.gov "classic" API v1 ``full_studies`` elements (PascalCase, list wrappers)."""
from __future__ import annotations

from typing import Any

from bot.trials.formats import fields as f
from bot.trials.formats import values as v
from bot.trials.records import Contact, Identifier, Intervention, Site, TrialRecord

_PS = "ProtocolSection."
_ID = _PS + "IdentificationModule."
_STATUS = _PS + "StatusModule."
_DESIGN = _PS + "DesignModule."
_ELIG = _PS + "EligibilityModule."
_CONDS = _PS + "ConditionsModule."
_SPONSOR = _PS + "SponsorCollaboratorsModule."
_CL = _PS + "ContactsLocationsModule."


def _date(struct: str) -> f.At:
    """``StartDateStruct.StartDate``: v1 repeats the struct's name in its one key."""
    return f.At(f"{_STATUS}{struct}DateStruct.{struct}Date", f.date)


_NONE = f.const(None)

FIELDS: f.Table = {
    "nct_id": f.At(_ID + "NCTId", f.nct),
    "brief_title": lambda root: f.title(root, _ID + "BriefTitle", _ID + "OfficialTitle"),
    "official_title": f.At(_ID + "OfficialTitle", f.clean),
    "acronym": f.At(_ID + "Acronym", f.text),
    "overall_status": f.At(_STATUS + "OverallStatus", f.status),
    "why_stopped": f.At(_STATUS + "WhyStopped", f.clean),
    "phases": f.At(_DESIGN + "PhaseList.Phase", f.phases),
    "study_type": f.At(_DESIGN + "StudyType", f.enum),
    "sponsor": f.At(_SPONSOR + "LeadSponsor.LeadSponsorName", f.text),
    "collaborators": f.Names(_SPONSOR + "CollaboratorList.Collaborator", "CollaboratorName"),
    "start_date": _date("Start"),
    "primary_completion_date": _date("PrimaryCompletion"),
    "completion_date": _date("Completion"),
    "first_posted_date": _date("StudyFirstPost"),
    "last_update_date": _date("LastUpdatePost"),
    "status_verified_date": f.At(_STATUS + "StatusVerifiedDate", f.date),
    "snapshot_date": f.At("DerivedSection.MiscInfoModule.VersionHolder", f.date),
    "brief_summary": f.At(_PS + "DescriptionModule.BriefSummary", f.clean),
    "conditions": f.At(_CONDS + "ConditionList.Condition", f.texts),
    "keywords": f.At(_CONDS + "KeywordList.Keyword", f.texts),
    "mesh_terms": f.Names("DerivedSection.ConditionBrowseModule.ConditionMeshList.ConditionMesh",
                          "ConditionMeshTerm"),
    "interventions": f.Each(_PS + "ArmsInterventionsModule.InterventionList.Intervention", f.record(Intervention, {
        "type": f.At("InterventionType", f.enum),
        "name": f.At("InterventionName", f.required),
        "other_names": f.At("InterventionOtherNameList.InterventionOtherName", f.texts),
        "description": f.At("InterventionDescription", f.clean),
    })),
    "eligibility_criteria": f.At(_ELIG + "EligibilityCriteria", f.clean),
    "healthy_volunteers": f.At(_ELIG + "HealthyVolunteers", f.flag),
    "sex": f.At(_ELIG + "Gender", f.sex),
    "min_age_text": f.At(_ELIG + "MinimumAge", f.text),
    "max_age_text": f.At(_ELIG + "MaximumAge", f.text),
    "min_age_years": f.At(_ELIG + "MinimumAge", f.age),
    "max_age_years": f.At(_ELIG + "MaximumAge", f.age),
    "enrollment": f.At(_DESIGN + "EnrollmentInfo.EnrollmentCount", f.integer),
    "enrollment_type": f.At(_DESIGN + "EnrollmentInfo.EnrollmentType", f.enum),
    "sites": f.Each(_CL + "LocationList.Location", f.record(Site, {
        "facility": f.At("LocationFacility", f.clean), "city": f.At("LocationCity", f.text),
        "state": f.At("LocationState", f.text), "zip": f.At("LocationZip", f.text),
        "country": f.At("LocationCountry", f.text), "status": f.At("LocationStatus", f.enum),
        "lat": _NONE, "lon": _NONE,
    })),
    "contacts": f.chain(
        f.Each(_CL + "CentralContactList.CentralContact", f.record(Contact, {
            "kind": f.const("central"), "name": f.At("CentralContactName", f.text),
            "role": f.At("CentralContactRole", f.enum), "phone": f.At("CentralContactPhone", f.text),
            "phone_ext": f.At("CentralContactPhoneExt", f.text), "email": f.At("CentralContactEMail", f.text),
            "affiliation": _NONE,
        })),
        f.Each(_CL + "OverallOfficialList.OverallOfficial", f.record(Contact, {
            "kind": f.const("official"), "name": f.At("OverallOfficialName", f.text),
            "role": f.At("OverallOfficialRole", f.enum), "phone": _NONE, "phone_ext": _NONE, "email": _NONE,
            "affiliation": f.At("OverallOfficialAffiliation", f.text),
        })),
    ),
}


def parse(doc: dict[str, Any]) -> TrialRecord:
    root = v.Reader(doc, "")
    study = root.obj("Study") if "Study" in doc else root
    values = f.read(study, FIELDS)
    identifiers = _identifiers(values["nct_id"], study.obj("ProtocolSection").obj("IdentificationModule"))
    return TrialRecord(**values, identifiers=identifiers, source_format="ctgov-classic-v1-json")


def _identifiers(nct: str, ident: v.Reader) -> tuple[Identifier, ...]:
    out = [Identifier("NCT", nct)]
    org = ident.obj("OrgStudyIdInfo").text("OrgStudyId")
    if org:
        out.append(Identifier("ORG_STUDY_ID", org, ident.obj("Organization").text("OrgFullName")))
    for sec in ident.obj("SecondaryIdInfoList").objs("SecondaryIdInfo"):
        value = sec.text("SecondaryId")
        if value:
            domain = sec.text("SecondaryIdDomain")
            out.append(Identifier(v.identifier_kind(value, sec.text("SecondaryIdType"), domain), value, domain))
    return tuple(out)
