"""Retired ClinicalTrials.gov "classic" API v1 ``full_studies`` elements (PascalCase, list wrappers)."""
from __future__ import annotations

from typing import Any

from bot.trials.formats import values as v
from bot.trials.records import Contact, Identifier, Intervention, Site, TrialRecord


def parse(doc: dict[str, Any]) -> TrialRecord:
    root = v.Reader(doc, "")
    study = root.obj("Study") if "Study" in doc else root
    ps = study.obj("ProtocolSection")
    ident = ps.obj("IdentificationModule")
    status = ps.obj("StatusModule")
    design = ps.obj("DesignModule")
    elig = ps.obj("EligibilityModule")
    conds = ps.obj("ConditionsModule")
    sponsor = ps.obj("SponsorCollaboratorsModule")
    cl = ps.obj("ContactsLocationsModule")
    derived = study.obj("DerivedSection")

    nct = v.nct_id(ident.text("NCTId"), ident.where("NCTId"))
    title = ident.text("BriefTitle", clean=True) or ident.text("OfficialTitle", clean=True)
    if not title:
        raise v.FieldError(ident.where("BriefTitle"), "missing (and no OfficialTitle)")
    min_text, max_text = elig.text("MinimumAge"), elig.text("MaximumAge")
    misc = derived.obj("MiscInfoModule")
    phase_list = design.obj("PhaseList")

    return TrialRecord(
        nct_id=nct,
        brief_title=title,
        official_title=ident.text("OfficialTitle", clean=True),
        acronym=ident.text("Acronym"),
        overall_status=v.status(status.text("OverallStatus"), status.where("OverallStatus")),
        why_stopped=status.text("WhyStopped", clean=True),
        phases=v.phases(phase_list.texts("Phase"), phase_list.where("Phase")),
        study_type=_upper(design.text("StudyType")),
        sponsor=sponsor.obj("LeadSponsor").text("LeadSponsorName"),
        collaborators=tuple(
            c.text("CollaboratorName") or ""
            for c in sponsor.obj("CollaboratorList").objs("Collaborator") if c.has("CollaboratorName")
        ),
        start_date=_date(status.obj("StartDateStruct"), "StartDate"),
        primary_completion_date=_date(status.obj("PrimaryCompletionDateStruct"), "PrimaryCompletionDate"),
        completion_date=_date(status.obj("CompletionDateStruct"), "CompletionDate"),
        first_posted_date=_date(status.obj("StudyFirstPostDateStruct"), "StudyFirstPostDate"),
        last_update_date=_date(status.obj("LastUpdatePostDateStruct"), "LastUpdatePostDate"),
        status_verified_date=_date(status, "StatusVerifiedDate"),
        snapshot_date=_date(misc, "VersionHolder"),
        brief_summary=ps.obj("DescriptionModule").text("BriefSummary", clean=True),
        conditions=conds.obj("ConditionList").texts("Condition"),
        keywords=conds.obj("KeywordList").texts("Keyword"),
        mesh_terms=tuple(
            m.text("ConditionMeshTerm") or ""
            for m in derived.obj("ConditionBrowseModule").obj("ConditionMeshList").objs("ConditionMesh")
            if m.has("ConditionMeshTerm")
        ),
        interventions=tuple(
            _intervention(i) for i in ps.obj("ArmsInterventionsModule").obj("InterventionList").objs("Intervention")
        ),
        eligibility_criteria=elig.text("EligibilityCriteria", clean=True),
        healthy_volunteers=elig.flag("HealthyVolunteers"),
        sex=v.sex(elig.text("Gender"), elig.where("Gender")),
        min_age_text=min_text,
        max_age_text=max_text,
        min_age_years=v.age_years(min_text, elig.where("MinimumAge")),
        max_age_years=v.age_years(max_text, elig.where("MaximumAge")),
        enrollment=design.obj("EnrollmentInfo").integer("EnrollmentCount"),
        enrollment_type=_upper(design.obj("EnrollmentInfo").text("EnrollmentType")),
        sites=tuple(_site(loc) for loc in cl.obj("LocationList").objs("Location")),
        contacts=tuple(
            [_central(c) for c in cl.obj("CentralContactList").objs("CentralContact")]
            + [_official(c) for c in cl.obj("OverallOfficialList").objs("OverallOfficial")]
        ),
        identifiers=_identifiers(nct, ident),
        source_format="ctgov-classic-v1-json",
    )


def _upper(value: str | None) -> str | None:
    return value.upper().replace(" ", "_") if value else None


def _date(reader: v.Reader, key: str) -> str | None:
    return v.date(reader.text(key), reader.where(key))


def _intervention(r: v.Reader) -> Intervention:
    return Intervention(
        type=_upper(r.text("InterventionType")),
        name=r.text("InterventionName", required=True, clean=True) or "",
        other_names=r.obj("InterventionOtherNameList").texts("InterventionOtherName"),
        description=r.text("InterventionDescription", clean=True),
    )


def _site(r: v.Reader) -> Site:
    return Site(
        facility=r.text("LocationFacility", clean=True),
        city=r.text("LocationCity"),
        state=r.text("LocationState"),
        zip=r.text("LocationZip"),
        country=r.text("LocationCountry"),
        status=_upper(r.text("LocationStatus")),
        lat=None,
        lon=None,
    )


def _central(r: v.Reader) -> Contact:
    return Contact(
        kind="central",
        name=r.text("CentralContactName"),
        role=_upper(r.text("CentralContactRole")),
        phone=r.text("CentralContactPhone"),
        phone_ext=r.text("CentralContactPhoneExt"),
        email=r.text("CentralContactEMail"),
        affiliation=None,
    )


def _official(r: v.Reader) -> Contact:
    return Contact(
        kind="official",
        name=r.text("OverallOfficialName"),
        role=_upper(r.text("OverallOfficialRole")),
        phone=None,
        phone_ext=None,
        email=None,
        affiliation=r.text("OverallOfficialAffiliation"),
    )


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
