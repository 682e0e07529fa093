"""Reading every bundled record, in each of its source formats, into real values."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.trials import indexing
from bot.trials.formats import UnsupportedDocument, parser_for, split
from bot.trials.formats import values as v
from bot.trials.records import FieldError, TrialRecord
from bot.trials.seed import DATA_DIR, bundled_files

FIXTURES = Path(__file__).resolve().parent / "fixtures"

FILES = bundled_files()


def parse_file(name: str) -> TrialRecord:
    doc = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    (element,) = list(split(doc))
    return parser_for(element.data)(element.data)


def test_bundled_data_matches_its_manifest(manifest: dict[str, dict]) -> None:
    assert len(FILES) == 34
    assert {f.stem for f in FILES} == set(manifest)
    assert (DATA_DIR / "README.md").is_file()


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_every_record_parses_with_its_manifest_format(path, manifest: dict[str, dict]) -> None:
    record = parse_file(path.name)
    assert record.nct_id == path.stem
    assert record.source_format == manifest[path.stem]["format"]
    assert record.brief_title
    assert record.overall_status in {"RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED", "TERMINATED",
                                     "WITHDRAWN", "NOT_YET_RECRUITING"}


def test_v2_record_with_french_sites_and_eu_numbers() -> None:
    r = parse_file("NCT04956640.json")
    assert r.overall_status == "RECRUITING"
    assert r.phases == ("PHASE1", "PHASE2")
    assert r.snapshot_date == "2025-11-14"
    assert r.sponsor == "Eli Lilly and Company"
    assert len(r.sites) == 49
    french = {(s.facility, s.city) for s in r.sites if s.country == "France"}
    assert ("Gustave Roussy", "Villejuif") in french
    assert len(french) == 5
    ids = {(i.kind, i.value) for i in r.identifiers}
    assert ("EUDRACT", "2021-000595-12") in ids and ("CTIS", "2022-502756-31-00") in ids
    assert r.min_age_years == 18.0 and r.max_age_years is None and r.sex == "ALL"
    central = [c for c in r.contacts if c.kind == "central"]
    assert central[0].email == "LillyTrials@Lilly.com" and central[0].phone == "1-317-615-4559"
    # The v2 API escapes Markdown ("\\>="); patients must read plain text.
    assert "\\" not in (r.eligibility_criteria or "")


def test_ctrdata_collapsed_arrays_are_read() -> None:
    r = parse_file("NCT01592045.json")
    assert r.conditions == ("Neuroblastoma",)  # stored as a bare string
    assert r.keywords == ()  # stored as {}
    assert [i.name for i in r.interventions][:2] == ["ch14.18 -NCI", "ch14.18-UTC"]
    assert r.source_format == "ctgov-v2-ctrdata-collapsed"
    r = parse_file("NCT01125800.json")
    assert r.interventions[0].other_names == ("sonidegib",)  # "otherNames": "sonidegib"
    assert ("EUDRACT", "2010-019348-37") in {(i.kind, i.value) for i in r.identifiers}
    assert r.min_age_years == 1.0 and r.max_age_years == 18.0  # "12 Months" .. "18 Years"
    assert {(s.city, s.country) for s in r.sites if s.country == "France"} == {("Paris", "France"), ("Villejuif Cedex", "France")}


def test_classic_v1_records() -> None:
    r = parse_file("NCT04779489.json")
    assert r.overall_status == "NOT_YET_RECRUITING"  # "Not yet recruiting"
    assert r.phases == ("PHASE2",)
    assert r.acronym == "CIRTiN-BC"
    assert r.start_date == "2021-06-01"  # "June 1, 2021"
    assert r.snapshot_date == "2021-03-03"  # VersionHolder "March 03, 2021"
    assert r.conditions == ("Bladder Cancer",)
    assert r.enrollment == 27
    r = parse_file("NCT04779840.json")
    assert r.phases == () and r.study_type == "OBSERVATIONAL"
    assert [(s.facility, s.city, s.country) for s in r.sites] == [
        ("Centre Jean Bernard - Clinique Victor Hugo", "Le Mans", "France")]
    r = parse_file("NCT00023673.json")
    assert r.phases == ("PHASE1", "PHASE2") and r.start_date == "2001-07"


def test_classic_xml_record_is_cleaned() -> None:
    r = parse_file("NCT03325556.json")
    assert r.source_format == "ctgov-classic-xml-as-json-ctrdata"
    assert r.overall_status == "COMPLETED" and r.phases == ("PHASE3",)
    assert r.min_age_years == 50.0 and r.max_age_years == 90.0
    assert ("EUDRACT", "2017-002227-13") in {(i.kind, i.value) for i in r.identifiers}
    assert r.snapshot_date == "2023-10-19"
    assert "â‰" not in (r.eligibility_criteria or "") and "≥6 and ≤24" in (r.eligibility_criteria or "")
    assert "&apos;" not in (r.eligibility_criteria or "") and "Parkinson's" in (r.eligibility_criteria or "")
    assert "France" in {s.country for s in r.sites}


def test_field_limited_record_has_no_sites_but_ages() -> None:
    r = parse_file("NCT04318717.json")
    assert r.sites == () and r.eligibility_criteria is None and r.snapshot_date is None
    assert r.min_age_years == 16.0
    assert [i.name for i in r.interventions] == ["Pembrolizumab", "Hypofractionated radiation therapy"]


def test_french_idrcb_number_is_recognised() -> None:
    r = parse_file("NCT06171568.json")
    assert ("IDRCB", "2023-A00386-39") in {(i.kind, i.value) for i in r.identifiers}


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_immunotherapy_flag_agrees_with_the_hand_classification(path, manifest: dict[str, dict]) -> None:
    """The flag is derived from interventions/keywords; the manifest is only the yardstick."""
    record = parse_file(path.name)
    derived = indexing.is_immunotherapy(record, indexing.intervention_concepts(record), indexing.is_oncology(record))
    expected = manifest[path.stem]["immunotherapy"].split(":")[0]
    if expected != "borderline":
        assert derived == (expected == "yes")
    assert indexing.is_oncology(record) == manifest[path.stem]["oncology"]


@pytest.mark.parametrize(
    ("raw", "years"),
    [("18 Years", 18.0), ("12 Months", 1.0), ("6 Weeks", 0.115), ("N/A", None), (None, None), ("30 Days", 0.082)],
)
def test_ages_are_normalised_to_years(raw, years) -> None:
    assert v.age_years(raw, "x") == years


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("RECRUITING", "RECRUITING"), ("Not yet recruiting", "NOT_YET_RECRUITING"),
     ("Active, not recruiting", "ACTIVE_NOT_RECRUITING"), ("Unknown status", "UNKNOWN")],
)
def test_statuses_are_normalised(raw, expected) -> None:
    assert v.status(raw, "x") == expected


def test_bad_values_name_their_field() -> None:
    with pytest.raises(FieldError) as err:
        v.status("PAUSED_FOR_LUNCH", "protocolSection.statusModule.overallStatus")
    assert err.value.path == "protocolSection.statusModule.overallStatus"
    with pytest.raises(FieldError):
        v.age_years("eighteen", "minimumAge")
    with pytest.raises(FieldError):
        v.phases(("PHASE9",), "phases")
    assert v.phases(("Phase 1/Phase 2",), "phase") == ("PHASE1", "PHASE2")
    assert v.phases(("Early Phase 1",), "phase") == ("EARLY_PHASE1",)


def test_french_registry_fhir_sample_is_reported_as_unsupported() -> None:
    doc = json.loads((FIXTURES / "ECLAIRE-2022-500014-26-00-example-main.json").read_text(encoding="utf-8"))
    (element,) = list(split(doc))
    with pytest.raises(UnsupportedDocument, match="FHIR ResearchStudy"):
        parser_for(element.data)


def test_other_documents_are_unsupported() -> None:
    with pytest.raises(UnsupportedDocument, match="FHIR ResearchStudy"):
        parser_for({"resourceType": "ResearchStudy", "id": "x"})
    with pytest.raises(UnsupportedDocument, match="top-level keys"):
        parser_for({"hello": "world"})
    with pytest.raises(UnsupportedDocument):
        list(split("just a string"))


def test_text_that_is_only_markup_counts_as_missing() -> None:
    reader = v.Reader({"name": "&#xD;", "block": {"textblock": " &#xD; "}, "ok": " x "}, "root")
    assert reader.text("name", clean=True) is None and reader.text("block", clean=True) is None
    assert reader.text("ok") == "x"
    with pytest.raises(FieldError, match="root.name: missing"):
        reader.text("name", required=True, clean=True)
