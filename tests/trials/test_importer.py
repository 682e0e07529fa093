"""Importing: every bundled record, broken input reported by file and field, idempotence, history."""
from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import func, select

from bot.trials import store
from bot.trials.db import session_scope
from bot.trials.importer import import_documents, import_paths
from bot.trials.models import Trial, TrialSite, TrialTerm
from bot.trials.seed import DATA_DIR, bundled_files


def detail(url: str, nct: str):
    with session_scope(url) as session:
        return store.get_detail(session, nct, include_hidden=True)


def count(url: str, model=Trial) -> int:
    with session_scope(url) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_every_bundled_record_imports_with_real_values(empty_store: str, manifest: dict[str, dict]) -> None:
    report = import_paths([DATA_DIR], empty_store)
    assert report.skipped == []
    assert sorted(report.imported) == sorted(manifest)
    assert report.ignored_files == ["bot/trials/data/manifest.json"]
    with session_scope(empty_store) as session:
        formats = dict(session.execute(select(Trial.nct_id, Trial.source_format)).all())
    assert formats == {nct: m["format"] for nct, m in manifest.items()}

    t = detail(empty_store, "NCT04956640")
    assert t.status == "RECRUITING" and t.phases == ("PHASE1", "PHASE2") and t.snapshot_date == "2025-11-14"
    assert "2021-000595-12" in t.identifiers_of("EUDRACT") and "2022-502756-31-00" in t.identifiers_of("CTIS")
    french = {(s.facility, s.city) for s in t.sites if s.country == "France"}
    assert ("Gustave Roussy", "Villejuif") in french and ("Centre Leon Berard", "Lyon") in french  # registry spelling
    assert t.site_count == 49 and len(t.sites) == 49
    assert [c.email for c in t.central_contacts] == ["LillyTrials@Lilly.com", "clinical_inquiry_hub@lilly.com"]
    assert t.immunotherapy and t.oncology
    assert t.locations[0].country == "United States"
    assert t.source_file == "bot/trials/data/NCT04956640.json"
    assert [(h.old_status, h.new_status) for h in t.history] == [(None, "RECRUITING")]

    t = detail(empty_store, "NCT01592045")  # ctrdata, collapsed arrays
    assert t.conditions == ("Neuroblastoma",) and t.max_age_years == 8.0 and t.min_age_years is None
    t = detail(empty_store, "NCT04779489")  # classic v1
    assert (t.status, t.phases, t.acronym, t.sponsor) == (
        "NOT_YET_RECRUITING", ("PHASE2",), "CIRTiN-BC", "University of Texas Southwestern Medical Center")
    t = detail(empty_store, "NCT04267848")
    assert t.site_count == 1148 and len(t.sites) == 1148
    assert sum(1 for s in t.sites if s.lat is None) == 4  # "4 of 1148 lack geoPoint"
    t = detail(empty_store, "NCT00973089")
    assert t.enrollment == 0 and t.why_stopped and t.status == "WITHDRAWN"


def test_a_page_a_v1_response_and_a_list_are_split(empty_store: str, record_of, write_json) -> None:
    page = {"studies": [record_of("NCT04956640"), record_of("NCT05786924")], "nextPageToken": "abc"}
    v1 = record_of("NCT04779489")
    v1_page = {"FullStudiesResponse": {"APIVrs": "1.01.02", "FullStudies": [v1]}}
    files = [write_json("page.json", page), write_json("v1.json", v1_page),
             write_json("list.json", [record_of("NCT06970236")])]
    report = import_paths(files, empty_store)
    assert sorted(report.imported) == ["NCT04779489", "NCT04956640", "NCT05786924", "NCT06970236"]
    assert detail(empty_store, "NCT05786924").source_file.endswith("page.json#studies[1]")


def broken_inputs(record_of) -> dict[str, object]:
    no_id = record_of("NCT04956640")
    del no_id["protocolSection"]["identificationModule"]["nctId"]
    wrong_type = record_of("NCT05786924")
    wrong_type["protocolSection"]["conditionsModule"]["conditions"] = 42
    bad_status = record_of("NCT06008288")
    bad_status["protocolSection"]["statusModule"]["overallStatus"] = "PAUSED_FOR_LUNCH"
    bad_age = record_of("NCT06385925")
    bad_age["protocolSection"]["eligibilityModule"]["minimumAge"] = 18
    return {"no_id.json": no_id, "wrong_type.json": wrong_type, "bad_status.json": bad_status,
            "bad_age.json": bad_age}


def test_broken_records_are_reported_by_file_and_field_and_the_rest_imports(
        empty_store: str, record_of, write_json) -> None:
    paths = [write_json(name, doc) for name, doc in broken_inputs(record_of).items()]
    good = record_of("NCT04318717")
    paths.append(write_json("dupes.json", {"studies": [good, copy.deepcopy(good), record_of("NCT03590054")]}))
    paths.append(write_json("truncated.json", json.dumps(record_of("NCT06411691"))[:500]))
    paths.append(write_json("empty.json", ""))
    paths.append(write_json("not_json.json", "<html>Service unavailable</html>"))
    paths.append(write_json("fhir.json", {"resourceType": "ResearchStudy", "id": "x"}))
    binary = paths[0].parent / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    paths.append(binary)

    report = import_paths(paths, empty_store)
    assert sorted(report.imported) == ["NCT03590054", "NCT04318717"]
    issues = {issue.file.rsplit("/", 1)[-1]: issue for issue in report.skipped}
    assert issues["no_id.json"].field == "protocolSection.identificationModule.nctId"
    assert issues["no_id.json"].reason == "missing"
    assert issues["wrong_type.json"].field == "protocolSection.conditionsModule.conditions"
    assert issues["wrong_type.json"].nct_id == "NCT05786924"
    assert issues["bad_status.json"].field == "protocolSection.statusModule.overallStatus"
    assert "PAUSED_FOR_LUNCH" in issues["bad_status.json"].reason
    assert issues["bad_age.json"].field == "protocolSection.eligibilityModule.minimumAge"
    assert issues["dupes.json"].element == "studies[1]" and "duplicate" in issues["dupes.json"].reason
    assert "not valid JSON" in issues["truncated.json"].reason and "truncated" in issues["truncated.json"].reason
    assert issues["empty.json"].reason == "empty file"
    assert "not valid JSON" in issues["not_json.json"].reason
    assert "FHIR ResearchStudy" in issues["fhir.json"].reason
    assert "UTF-8" in issues["binary.json"].reason
    assert len(report.skipped) == 10
    assert "wrong_type.json (NCT05786924): protocolSection.conditionsModule.conditions:" in report.summary()


def test_failing_records_never_remove_or_damage_stored_ones(empty_store: str, record_of, write_json) -> None:
    assert len(import_paths(bundled_files(), empty_store).imported) == 34
    before = detail(empty_store, "NCT06008288")
    sites_before, terms_before = count(empty_store, TrialSite), count(empty_store, TrialTerm)

    report = import_paths([write_json(n, d) for n, d in broken_inputs(record_of).items()], empty_store)
    assert report.imported == report.updated == [] and len(report.skipped) == 4
    assert count(empty_store) == 34
    assert (count(empty_store, TrialSite), count(empty_store, TrialTerm)) == (sites_before, terms_before)
    assert detail(empty_store, "NCT06008288") == before  # the bad-status copy did not overwrite it


@pytest.mark.parametrize("factory", ["postgresql"], indirect=True)
def test_a_record_the_database_refuses_does_not_cost_its_batch(empty_store: str, record_of) -> None:
    """PostgreSQL enforces column sizes that the parser does not know about: the batch is retried
    record by record, so only the refused record is skipped."""
    refused = record_of("NCT05438667")
    refused["protocolSection"]["contactsLocationsModule"]["locations"][0]["zip"] = "9" * 60  # zip is 40 max
    docs = [("a.json", record_of("NCT06898385")), ("b.json", refused), ("c.json", record_of("NCT06411691"))]
    report = import_documents(docs, empty_store)
    assert sorted(report.imported) == ["NCT06411691", "NCT06898385"]
    assert [(i.nct_id, "database refused" in i.reason) for i in report.skipped] == [("NCT05438667", True)]
    assert count(empty_store) == 2


def test_reimport_is_idempotent_and_records_status_changes(empty_store: str, record_of, write_json) -> None:
    files = bundled_files()
    import_paths(files, empty_store)
    with session_scope(empty_store) as session:
        assert store.set_flag(session, "NCT04956640", "featured", True)
        assert store.set_flag(session, "NCT06970236", "hidden", True)
    sites = count(empty_store, TrialSite)

    again = import_paths(files, empty_store)
    assert sorted(again.unchanged) == sorted(f.stem for f in files)
    assert again.imported == again.updated == again.skipped == []
    assert count(empty_store, TrialSite) == sites

    newer = record_of("NCT04956640")
    newer["protocolSection"]["statusModule"]["overallStatus"] = "ACTIVE_NOT_RECRUITING"
    newer["derivedSection"]["miscInfoModule"]["versionHolder"] = "2026-01-15"
    newer["protocolSection"]["contactsLocationsModule"]["locations"] = newer["protocolSection"][
        "contactsLocationsModule"]["locations"][:3]
    report = import_paths([write_json("NCT04956640.json", newer)], empty_store)
    assert report.updated == ["NCT04956640"]
    assert report.status_changes == [("NCT04956640", "RECRUITING", "ACTIVE_NOT_RECRUITING")]
    t = detail(empty_store, "NCT04956640")
    assert t.status == "ACTIVE_NOT_RECRUITING" and t.snapshot_date == "2026-01-15"
    assert len(t.sites) == 3 and t.site_count == 3  # children replaced, not appended
    assert t.featured is True  # staff flags survive updates
    assert [(h.old_status, h.new_status, h.snapshot_date) for h in t.history] == [
        (None, "RECRUITING", "2025-11-14"), ("RECRUITING", "ACTIVE_NOT_RECRUITING", "2026-01-15")]
    assert count(empty_store, TrialSite) == sites - 46

    same_again = import_paths([write_json("NCT04956640.json", newer)], empty_store)
    assert same_again.unchanged == ["NCT04956640"] and len(detail(empty_store, "NCT04956640").history) == 2

    # An older copy of the record never replaces a newer one.
    stale = import_paths([DATA_DIR / "NCT04956640.json"], empty_store)
    assert stale.updated == [] and "older copy" in stale.skipped[0].reason
    assert detail(empty_store, "NCT04956640").status == "ACTIVE_NOT_RECRUITING"
    assert detail(empty_store, "NCT06970236").hidden is True


def test_missing_paths_and_ignored_files(empty_store: str, tmp_path) -> None:
    report = import_paths([tmp_path / "nope.json"], empty_store)
    assert report.skipped[0].reason == "no such file or directory" and report.stored == 0
