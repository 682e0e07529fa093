"""Draft -> sign-off by another person -> preview -> publish -> rollback, on a project copy."""
from __future__ import annotations

import copy

import pytest
from sqlalchemy.engine import Engine

from bot.console import entries, publish
from bot.console.auth import Staff
from bot.console.entries import ConsoleError
from bot.console.preview import Staging
from bot.console.settings import ConsoleSettings, Project
from bot.faq.model import all_entries, read_topics
from bot.runtime.model import fingerprint

from .conftest import page_settings

NEW_FR = "Les visites sont possibles tous les jours de 13 h à 20 h, sauf avis contraire de l'équipe."
NEW_EN = "Visits are possible every day from 1 pm to 8 pm, unless the care team says otherwise."


def first_entry(project: Project) -> dict:
    return entries.live_data(project)[sorted(entries.live_data(project))[0]]


def changed(data: dict) -> dict:
    new = copy.deepcopy(data)
    new["answer"] = {"fr": NEW_FR, "en": NEW_EN}
    return new


def file_answers(project: Project, entry_id: str) -> dict[str, str]:
    topics, _ = read_topics(project.faq_dir)
    return next(e.answer for e in all_entries(topics) if e.id == entry_id)


def test_an_edit_is_a_draft_until_another_person_approves_it(engine: Engine, project: Project, staff: dict[str, Staff]) -> None:
    data = first_entry(project)
    before = file_answers(project, data["id"])
    saved = entries.save(engine, project, staff["admin"], changed(data), submit=True)
    version_id = saved["version"]["id"]
    assert saved["version"]["status"] == "pending"
    # The author cannot sign off their own change, even with the admin role.
    with pytest.raises(ConsoleError, match="another reviewer") as refused:
        entries.review(engine, staff["admin"], version_id, approve=True)
    assert refused.value.status == 403
    approved = entries.review(engine, staff["reviewer"], version_id, approve=True, comment="checked with the source")
    assert (approved.status, approved.reviewer) == ("approved", "rita")
    assert approved.reviewed_at is not None
    # Approved is not live: the files (what patients get) are unchanged until publishing.
    assert file_answers(project, data["id"]) == before
    diff = entries.diff(project, approved)
    added = " ".join(p["text"] for p in diff["fr"]["answer"] if p["op"] == "added")
    assert "possibles tous" in added and "13 h" in added
    removed = " ".join(p["text"] for p in diff["en"]["answer"] if p["op"] == "removed")
    assert removed.startswith("I do not know") or removed.split()[0] in before["en"]
    history = entries.versions_of(engine, data["id"])
    assert [v.status for v in history] == ["approved", "imported"]


def test_a_rejection_needs_a_comment_and_records_who(engine: Engine, project: Project, staff: dict[str, Staff]) -> None:
    data = first_entry(project)
    version_id = entries.save(engine, project, staff["editor"], changed(data), submit=True)["version"]["id"]
    with pytest.raises(ConsoleError, match="say why"):
        entries.review(engine, staff["reviewer"], version_id, approve=False)
    rejected = entries.review(engine, staff["reviewer"], version_id, approve=False, comment="the hours are wrong")
    assert (rejected.status, rejected.reviewer, rejected.comment) == ("rejected", "rita", "the hours are wrong")
    with pytest.raises(ConsoleError, match="rejected"):
        entries.review(engine, staff["reviewer2"], version_id, approve=True)


def test_submitting_shows_the_validation_messages_and_fixes_of_bot_faq_validate(
    engine: Engine, project: Project, staff: dict[str, Staff]
) -> None:
    data = changed(first_entry(project))
    data["answer"]["en"] = "Call us on 01 44 32 40 00 to ask."
    data["examples"]["fr"] = data["examples"]["fr"][:2]
    with pytest.raises(ConsoleError) as refused:
        entries.save(engine, project, staff["editor"], data, submit=True)
    assert refused.value.status == 422
    messages = {p["message"]: p["fix"] for p in refused.value.problems}
    phone = next(m for m in messages if "phone number" in m)
    assert "01 44 32 40 00" in phone and "15 and 112" in phone
    assert messages[phone].startswith("remove the number")
    assert any("only 2 French example question(s)" in m for m in messages)
    assert all(p["text"].count("Fix: ") == 1 for p in refused.value.problems)
    # Nothing was recorded, and a draft (not submitted) can still be saved to finish later.
    assert [v.status for v in entries.versions_of(engine, data["id"])] == ["imported"]
    draft = entries.save(engine, project, staff["editor"], data, submit=False)
    assert draft["version"]["status"] == "draft" and draft["problems"]


def test_a_bad_review_date_gets_the_files_message(project: Project) -> None:
    data = changed(first_entry(project))
    data["review_by"] = "2027-02-30"
    problems = entries.check(project, entries.clean_data(data))
    assert any("review_by '2027-02-30' is not a valid date" in p["message"] for p in problems)


def test_restore_makes_an_old_version_the_next_one_to_review(engine: Engine, project: Project, staff: dict[str, Staff]) -> None:
    data = first_entry(project)
    entries.sync_from_files(engine, project)
    original = entries.versions_of(engine, data["id"])[0]
    entries.save(engine, project, staff["editor"], changed(data), submit=True)
    restored = entries.restore(engine, project, staff["editor"], original.id)["version"]
    assert restored["status"] == "pending" and restored["data"]["answer"] == data["answer"]
    # The newer pending version was replaced, never deleted.
    statuses = [v.status for v in entries.versions_of(engine, data["id"])]
    assert statuses == ["pending", "superseded", "imported"]


def test_new_entry_and_retirement(engine: Engine, project: Project, staff: dict[str, Staff]) -> None:
    base = first_entry(project)
    new = changed(base)
    new["id"] = "console_test_entry"
    new["examples"] = {
        "fr": [f"question console numero {n} sur les visites du soir" for n in range(5)],
        "en": [f"console question number {n} about evening visits" for n in range(5)],
    }
    version = entries.save(engine, project, staff["editor"], new, submit=True)["version"]
    rows = {r["id"]: r for r in entries.list_entries(engine, project)}
    assert rows["console_test_entry"]["live"] is False
    assert rows["console_test_entry"]["change"]["status"] == "pending"
    assert entries.diff(project, entries.get_version(engine, version["id"]))["new_entry"]
    retire = entries.save(engine, project, staff["editor"], {**base, "retired": True}, submit=True)["version"]
    assert entries.diff(project, entries.get_version(engine, retire["id"]))["retired"]


def test_publish_writes_the_approved_versions_and_rollback_restores_files_and_model(
    engine: Engine, project: Project, console_settings: ConsoleSettings, staff: dict[str, Staff], tmp_path
) -> None:
    settings = page_settings(tmp_path)  # no Rasa answers there: the model is used at next start
    data = first_entry(project)
    before_text = {p.name: p.read_text() for p in project.faq_dir.glob("*.yml")}
    old_model = project.models_dir / f"curie-{fingerprint(project.root)}.tar.gz"
    old_model.write_bytes(b"previous model")
    version_id = entries.save(engine, project, staff["editor"], changed(data), submit=True)["version"]["id"]
    staging = Staging(console_settings, settings)
    with pytest.raises(ConsoleError, match="no approved change"):
        publish.publish(engine, project, settings, staging, staff["reviewer"])  # pending is not enough
    entries.review(engine, staff["reviewer"], version_id, approve=True)
    with pytest.raises(ConsoleError, match="preview the approved changes first"):
        publish.publish(engine, project, settings, staging, staff["reviewer"])
    # The preview's copy, as Staging.start makes it (training replaced by a stand-in file).
    staging._prepare([entries.get_version(engine, version_id).data])
    staging.state.model.parent.mkdir(parents=True)
    staging.state.model.write_bytes(b"new model")
    staging.state.status, staging.state.version_ids = "ready", [version_id]
    result = publish.publish(engine, project, settings, staging, staff["reviewer"])
    assert file_answers(project, data["id"]) == {"fr": NEW_FR, "en": NEW_EN}
    assert fingerprint(project.root) == staging.state.fingerprint
    assert (project.models_dir / result["model"]).read_bytes() == b"new model"
    assert [v.status for v in entries.versions_of(engine, data["id"])] == ["published", "archived"]
    # The generated Rasa files follow the FAQ files.
    assert NEW_EN in (project.root / "domain" / "faq.yml").read_text()

    back = publish.rollback(engine, project, settings, staff["reviewer"])
    assert back["model"] == old_model.name
    assert {p.name: p.read_text() for p in project.faq_dir.glob("*.yml")} == before_text
    assert NEW_EN not in (project.root / "domain" / "faq.yml").read_text()
    assert [v.status for v in entries.versions_of(engine, data["id"])] == ["rolled_back", "published"]
    assert publish.publications(engine)[0]["status"] == "rolled_back"
    with pytest.raises(ConsoleError, match="no publication"):
        publish.rollback(engine, project, settings, staff["reviewer"])


def test_an_edit_made_in_the_files_shows_in_the_history(engine: Engine, project: Project) -> None:
    data = first_entry(project)
    entries.sync_from_files(engine, project)
    # A developer edits the YAML file (as `bot faq` commands or an editor would).
    entries.apply(project.faq_dir, [changed(data)])
    history = entries.entry_detail(engine, project, data["id"])["versions"]
    assert [v["status"] for v in history] == ["imported", "imported"]
    assert history[0]["author"] == "(faq files)"


def test_applying_versions_keeps_the_other_entries_and_comments(project: Project) -> None:
    from bot.faq.paths import FaqPaths
    from bot.faq.validate import validate

    live = entries.live_data(project)
    path = project.faq_dir / f"{live['visits']['topic']}.yml"
    comments = [line for line in path.read_text().splitlines() if line.lstrip().startswith("#")]
    moved = {**changed(live["visits"]), "topic": "practical_new"}
    entries.apply(project.faq_dir, [changed(live["accompany_patient"]), {**live["contact_center"], "retired": True}, moved])
    after = entries.live_data(project)
    assert after["accompany_patient"]["answer"] == {"fr": NEW_FR, "en": NEW_EN}
    assert "contact_center" not in after
    assert after["visits"]["topic"] == "practical_new" and after["visits"]["answer"]["en"] == NEW_EN
    assert {k: v for k, v in after.items() if k not in ("accompany_patient", "visits")} == {
        k: v for k, v in live.items() if k not in ("accompany_patient", "visits", "contact_center")}
    kept = path.read_text()
    assert all(line in kept for line in comments)
    assert validate(FaqPaths(faq_dir=project.faq_dir, root=project.root), similarity=False, languages=False).ok


def test_training_progress_follows_rasa_s_log(tmp_path) -> None:
    log = tmp_path / "train.log"
    log.write_bytes(b"warnings\n")
    start = Staging._progress(log)
    log.write_bytes(b"INFO rasa.cli.train  - Started validating domain and training data...\n")
    validated = Staging._progress(log)
    log.write_bytes(log.read_bytes() + b"Starting to train component 'RulePolicy'.\nFinished training component 'RulePolicy'.\n" * 3)
    trained = Staging._progress(log)
    log.write_bytes(log.read_bytes() * 20)
    assert start < validated < trained < Staging._progress(log) == 85  # 100 only once it answers
