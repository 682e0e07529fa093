"""The record is declared once (records.py); the ORM rows and the detail view must agree with it."""
from __future__ import annotations

from dataclasses import fields

from bot.trials.models import Trial
from bot.trials.records import (
    Contact,
    Identifier,
    Intervention,
    Site,
    TrialRecord,
    child_fields,
    detail_fields,
    from_columns,
    stored_columns,
    to_columns,
)
from bot.trials.views import TrialDetail, TrialSummary

# Columns of the trials row that are not record fields: computed by the importer or the store.
STORE_ONLY = {"status_rank", "condition_names", "site_count", "locations_digest", "immunotherapy", "oncology",
              "source_file", "content_hash", "first_imported_at", "imported_at", "featured", "hidden",
              "registry_seen_at", "left_query_at"}
ROW_KEYS = {"id", "nct_id", "position"}


def test_every_trial_column_is_a_record_field_or_store_only() -> None:
    record_columns = set(stored_columns(TrialRecord))
    orm_columns = set(Trial.__table__.columns.keys())
    assert record_columns <= orm_columns, record_columns - orm_columns
    assert orm_columns - record_columns == STORE_ONLY


def test_child_fields_are_the_relationships_and_their_columns() -> None:
    children = child_fields(TrialRecord)
    assert list(children) == ["conditions", "interventions", "sites", "contacts", "identifiers"]
    for name, item in children.items():
        model = Trial.__mapper__.relationships[name].mapper.class_
        columns = set(model.__table__.columns.keys()) - ROW_KEYS
        assert columns == ({"name"} if item is None else set(stored_columns(item))), name


def test_every_record_field_is_stored_except_mesh_terms() -> None:
    stored = set(stored_columns(TrialRecord)) | set(child_fields(TrialRecord))
    assert {f.name for f in fields(TrialRecord)} - stored == {"mesh_terms"}  # indexing only


def test_detail_view_has_the_record_fields_with_their_types() -> None:
    detail = {f.name: f.type for f in fields(TrialDetail)}
    for f in detail_fields(TrialRecord):
        assert detail[f.name] == f.type, f.name
    summary = {f.name for f in fields(TrialSummary)}
    assert not summary & {f.name for f in detail_fields(TrialRecord)}  # each shown once
    assert {"official_title", "eligibility_criteria", "sites", "contacts", "source_format"} <= set(detail)


class _Row:
    def __init__(self, values: dict) -> None:
        self.__dict__.update(values)


def test_columns_round_trip() -> None:
    record = TrialRecord(nct_id="NCT00000001", brief_title="T", overall_status="RECRUITING",
                         source_format="ctgov-v2", phases=("PHASE1", "PHASE2"), keywords=(),
                         collaborators=("A, Inc.", "B"))
    values = to_columns(record)
    assert values["phases"] == "PHASE1,PHASE2"
    assert values["keywords"] is None  # no empty strings stored
    assert values["collaborators"] == "A, Inc. | B"
    back = from_columns(TrialRecord, _Row(values))
    assert back["phases"] == ("PHASE1", "PHASE2") and back["collaborators"] == ("A, Inc.", "B")
    assert back["keywords"] == ()
    for item in (Intervention("DRUG", "x", ("y", "z"), None), Site("f", "Paris", None, None, "France", None, 1.0, 2.0),
                 Contact("central", "n", None, "01", None, None, None), Identifier("NCT", "NCT00000001")):
        assert type(item)(**from_columns(type(item), _Row(to_columns(item)))) == item


def test_every_format_table_reads_every_record_field() -> None:
    from bot.trials.formats import classic_v1, classic_xml, v2

    # identifiers (built from several places) and source_format are set by each parse().
    expected = [f.name for f in fields(TrialRecord) if f.name not in ("identifiers", "source_format")]
    for module in (v2, classic_v1, classic_xml):
        assert sorted(module.FIELDS) == sorted(expected), module.__name__
        # nct_id and brief_title first: the first fault of a record is the one reported.
        assert list(module.FIELDS)[:2] == ["nct_id", "brief_title"], module.__name__
