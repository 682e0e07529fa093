"""Publishing approved versions to patients, and going back.

Publishing writes the approved versions into faq/*.yml (validated first), regenerates the
Rasa files and makes the running assistant use the model that the preview trained for the
same inputs (same fingerprint, so nothing is trained twice). Every publication keeps the
files as they were before and the previous model, so one click restores both.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from bot.console import store
from bot.console.auth import Staff
from bot.console.entries import ConsoleError, Version, apply, versions_with
from bot.console.preview import Staging
from bot.console.settings import Project
from bot.faq import service as faq_service
from bot.faq.model import topic_files
from bot.faq.paths import FaqPaths
from bot.faq.validate import validate
from bot.runtime.deploy import running_model
from bot.runtime.model import fingerprint
from bot.runtime.publish import publish_model  # every Rasa instance, from one place
from bot.settings import Settings


def _snapshot(faq_dir: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in topic_files(faq_dir)}


def _restore_files(faq_dir: Path, files: dict[str, str]) -> None:
    for path in topic_files(faq_dir):
        if path.name not in files:
            path.unlink()
    for name, text in files.items():
        target = faq_dir / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            tmp = target.with_name(f".{name}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)


def _rebuild(project: Project) -> str:
    faq_service.build(FaqPaths(faq_dir=project.faq_dir, root=project.root))
    return fingerprint(project.root)


def _current_model(settings: Settings, project: Project) -> str | None:
    try:
        name = running_model(settings)
    except (PermissionError, ConnectionError):
        name = None
    if name:
        return str(project.models_dir / name)
    # Not running: the model it would start with (the one of the current files), if kept.
    model = project.models_dir / f"curie-{fingerprint(project.root)}.tar.gz"
    return str(model) if model.is_file() else None


def publish(engine: Engine, project: Project, settings: Settings, staging: Staging, staff: Staff) -> dict[str, Any]:
    approved = versions_with(engine, ("approved",))
    if not approved:
        raise ConsoleError("there is no approved change to publish.", 409)
    ids = [v.id for v in approved]
    state = staging.state
    if state.status != "ready" or state.version_ids != ids or state.model is None:
        raise ConsoleError("preview the approved changes first (Preview, then Publish): the "
                           "preview must show exactly the changes that go live.", 409)
    before = _snapshot(project.faq_dir)
    previous_model = _current_model(settings, project)
    apply(project.faq_dir, [v.data for v in approved])
    report = validate(FaqPaths(faq_dir=project.faq_dir, root=project.root, shown_dir="faq"),
                      similarity=False, languages=False)
    if not report.ok:
        _restore_files(project.faq_dir, before)
        raise ConsoleError("publishing would break the FAQ, nothing was changed:\n" + report.render(), 422)
    print_ = _rebuild(project)
    if print_ != state.fingerprint:
        _restore_files(project.faq_dir, before)
        _rebuild(project)
        raise ConsoleError("the assistant's data changed since the preview was trained; "
                           "start the preview again, then publish.", 409)
    model = project.models_dir / state.model.name
    project.models_dir.mkdir(parents=True, exist_ok=True)
    if not model.is_file():
        shutil.copy2(state.model, model)
    result = publish_model(settings, model)
    if not result.ok:
        _restore_files(project.faq_dir, before)
        _rebuild(project)
        raise ConsoleError(f"the assistant did not take the new model, nothing was changed: {result.message}", 502)
    archived = _mark_published(engine, approved)
    with engine.begin() as conn:
        pub_id = int(conn.execute(store.publications.insert().values(
            at=time.time(), by=staff.name, model=str(model), previous_model=previous_model,
            version_ids=json.dumps({"published": ids, "archived": archived}),
            files_before=json.dumps(before, ensure_ascii=False), status="live",
        )).inserted_primary_key[0])
        conn.execute(update(store.versions).where(store.versions.c.id.in_(ids)).values(publication_id=pub_id))
    store.record(engine, staff.name, "published", ", ".join(v.entry_id for v in approved),
                 {"publication": pub_id, "versions": ids, "model": model.name})
    return {"publication": pub_id, "model": model.name, "message": result.message, "versions": ids}


def _mark_published(engine: Engine, approved: list[Version]) -> list[int]:
    entry_ids = [v.entry_id for v in approved]
    with engine.begin() as conn:
        archived = conn.execute(select(store.versions.c.id).where(
            store.versions.c.entry_id.in_(entry_ids), store.versions.c.status.in_(("published", "imported"))
        )).scalars().all()
        conn.execute(update(store.versions).where(store.versions.c.id.in_(archived)).values(status="archived"))
        conn.execute(update(store.versions).where(store.versions.c.id.in_([v.id for v in approved])).values(status="published"))
    return list(archived)


def publications(engine: Engine) -> list[dict[str, Any]]:
    with engine.begin() as conn:
        rows = conn.execute(select(store.publications).order_by(store.publications.c.id.desc())).all()
    return [
        {"id": r.id, "at": r.at, "by": r.by, "model": Path(r.model).name,
         "previous_model": Path(r.previous_model).name if r.previous_model else None,
         "versions": json.loads(r.version_ids)["published"], "status": r.status,
         "rolled_back_by": r.rolled_back_by}
        for r in rows
    ]


def rollback(engine: Engine, project: Project, settings: Settings, staff: Staff) -> dict[str, Any]:
    """Back to the files and the model as they were before the last publication."""
    with engine.begin() as conn:
        row = conn.execute(select(store.publications).where(store.publications.c.status == "live")
                           .order_by(store.publications.c.id.desc())).first()
    if row is None:
        raise ConsoleError("there is no publication to roll back.", 409)
    if not row.previous_model or not Path(row.previous_model).is_file():
        raise ConsoleError("the previous model is not kept any more, so the rollback cannot be "
                           "instant: restore the versions you need instead and publish them.", 409)
    _restore_files(project.faq_dir, json.loads(row.files_before))
    _rebuild(project)
    result = publish_model(settings, Path(row.previous_model))
    if not result.ok:
        raise ConsoleError(f"the files were restored but the assistant did not take the previous model: {result.message}", 502)
    ids = json.loads(row.version_ids)
    with engine.begin() as conn:
        conn.execute(update(store.versions).where(store.versions.c.id.in_(ids["published"])).values(status="rolled_back"))
        conn.execute(update(store.versions).where(store.versions.c.id.in_(ids["archived"])).values(status="published"))
        conn.execute(update(store.publications).where(store.publications.c.id == row.id).values(
            status="rolled_back", rolled_back_by=staff.name, rolled_back_at=time.time()))
    store.record(engine, staff.name, "rolled_back", "", {"publication": row.id, "model": Path(row.previous_model).name})
    return {"publication": row.id, "model": Path(row.previous_model).name, "message": result.message}
