"""Edits keep what staff wrote (comments, layout) and never leave the FAQ broken."""
from __future__ import annotations

import datetime as dt
import difflib

import pytest

from bot.faq.edit import (
    EditError,
    EditRejected,
    EntryDraft,
    append_entry,
    checked_change,
    insert_example,
    scalar,
)
from bot.faq.model import parse_yaml, read_topic
from bot.faq.paths import FaqPaths
from bot.faq.validate import validate
from tests.faq.sample import snapshot


def draft(entry_id: str = "pharmacy", **changes: object) -> EntryDraft:
    values: dict[str, object] = {
        "id": entry_id,
        "answer": {
            "fr": "L'hôpital n'a pas de pharmacie ouverte au public : votre équipe soignante vous "
                  "indiquera où obtenir vos médicaments.",
            "en": "The hospital has no pharmacy open to the public: your care team will tell you "
                  "where to get your medicines.",
        },
        "examples": {
            "fr": ["y a-t-il une pharmacie", "où acheter mes médicaments", "pharmacie dans l'hôpital ?",
                   "je dois aller à la pharmacie", "ordonnance : où la faire préparer"],
            "en": ["is there a pharmacy", "where can i buy my medicines", "pharmacy in the hospital?",
                   "i need to go to the pharmacy", "prescription: where do i fill it"],
        },
        "source_document": {"fr": "réponse rédigée pour cet assistant", "en": "answer written for this assistant"},
        "source_date": {"fr": "novembre 2026", "en": "November 2026"},
        "review_by": dt.date.today() + dt.timedelta(days=300),
    }
    values.update(changes)
    return EntryDraft(**values)  # type: ignore[arg-type]


def added_lines(before: str, after: str) -> list[str]:
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    changed = [line for line in diff if line[:2] in ("+ ", "- ")]
    assert all(line.startswith("+ ") for line in changed), "an edit removed or changed a line"
    return [line[2:] for line in changed]


@pytest.mark.parametrize(
    "text", ["question: with a colon", "- starts with a dash", "# not a comment", "yes", "2027-01-31",
             "l'\"apostrophe\" et les guillemets", "[brackets]", "  spaces  around  "],
)
def test_scalar_round_trips(text: str) -> None:
    assert parse_yaml(f"key: {scalar(text)}\n") == {"key": text}


def test_insert_example_adds_one_line_and_keeps_the_rest(faq: FaqPaths) -> None:
    path = faq.faq_dir / "practical.yml"
    before = path.read_text()
    insert_example(path, "parking", "en", "is there a drop-off zone: for taxis")
    after = path.read_text()
    assert added_lines(before, after) == ["        - 'is there a drop-off zone: for taxis'"]
    assert after.startswith("# FAQ topic: practical questions. A comment that every edit must keep.")
    topic, problems = read_topic(path)
    assert not problems and topic is not None
    parking = next(e for e in topic.entries if e.id == "parking")
    assert parking.examples["en"][-1] == "is there a drop-off zone: for taxis"


def test_insert_example_into_an_unknown_entry(faq: FaqPaths) -> None:
    with pytest.raises(EditError, match="no entry 'parkings'"):
        insert_example(faq.faq_dir / "practical.yml", "parkings", "fr", "où se garer")


def test_append_entry_keeps_the_file_and_adds_the_entry(faq: FaqPaths) -> None:
    path = faq.faq_dir / "services.yml"
    before = path.read_text()
    append_entry(path, draft().to_data())
    after = path.read_text()
    assert after.startswith(before)
    topic, problems = read_topic(path)
    assert not problems and topic is not None
    assert [e.id for e in topic.entries] == ["wifi", "pharmacy"]
    assert topic.entries[1].examples["fr"][-1] == "ordonnance : où la faire préparer"
    assert topic.entries[1].answer["en"] == draft().answer["en"]
    assert validate(faq).ok


def test_append_entry_to_a_new_topic_file(faq: FaqPaths) -> None:
    path = faq.faq_dir / "pharmacy.yml"
    append_entry(path, draft().to_data(), title="Pharmacy / Pharmacie")
    topic, problems = read_topic(path)
    assert not problems and topic is not None
    assert (topic.name, topic.title, [e.id for e in topic.entries]) == ("pharmacy", "Pharmacy / Pharmacie", ["pharmacy"])


def test_checked_change_applies_a_valid_change(faq: FaqPaths) -> None:
    report = checked_change(faq, lambda d: append_entry(d / "services.yml", draft().to_data()))
    assert report.ok
    assert "id: pharmacy" in (faq.faq_dir / "services.yml").read_text()


def test_checked_change_refuses_new_errors_and_changes_nothing(faq: FaqPaths) -> None:
    before = snapshot(faq)
    unsafe = draft(answer={"fr": "Prenez 2 comprimés par jour.", "en": "Take 2 tablets a day."})
    with pytest.raises(EditRejected) as rejected:
        checked_change(faq, lambda d: append_entry(d / "services.yml", unsafe.to_data()))
    assert snapshot(faq) == before
    assert any(p.entry == "pharmacy" and "2 comprimes" in p.message for p in rejected.value.new_errors)
    assert "faq/services.yml, entry 'pharmacy'" in str(rejected.value)


def test_checked_change_refuses_an_example_already_under_another_entry(faq: FaqPaths) -> None:
    before = snapshot(faq)
    with pytest.raises(EditRejected, match="also an example of 'parking'"):
        checked_change(faq, lambda d: insert_example(d / "services.yml", "wifi", "fr", "Où se garer ?"))
    assert snapshot(faq) == before


def test_checked_change_ignores_errors_that_were_already_there(faq: FaqPaths) -> None:
    # An unrelated, existing error must not block staff from adding an example elsewhere.
    path = faq.faq_dir / "practical.yml"
    path.write_text(path.read_text().replace("      date: \"2025\"\n", ""), encoding="utf-8")
    assert not validate(faq).ok
    report = checked_change(faq, lambda d: insert_example(d / "services.yml", "wifi", "en", "wifi code please"))
    assert not report.ok  # still reported...
    assert "wifi code please" in (faq.faq_dir / "services.yml").read_text()  # ...but not blocking
