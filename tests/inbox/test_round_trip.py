"""The staff loop, for real: a patient's message falls to the fallback in the running
assistant, shows in the inbox, becomes an example of an existing entry in a copy of the
project, a model is trained from that copy, and the same message is then understood -- by
the model directly, and by the running assistant once `retrain`'s loading step (PUT /model)
has given it the new model.
"""
from __future__ import annotations

import asyncio
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

from bot.faq.edit import find_entry
from bot.faq.generate import build
from bot.faq.paths import FaqPaths
from bot.inbox import service, store
from bot.runtime.deploy import Outcome, load_model, running_model
from bot.runtime.model import rasa_env, rasa_executable
from bot.settings import CONFIG_FILE, PROJECT_ROOT
from tests.conftest import Assistant

pytestmark = pytest.mark.model

# Out of the FAQ today (checked below): a practical question the assistant does not know.
MESSAGE = "is there a bicycle rack"
ENTRY = "practical_info"
TRAIN_TIMEOUT_S = 1800


def copy_project(target: Path) -> FaqPaths:
    """What a model is trained from: config, domain, dialogue, NLU data and the FAQ source."""
    target.mkdir(parents=True)
    shutil.copy2(CONFIG_FILE, target / CONFIG_FILE.name)
    for folder in ("domain", "dialogue", "nlu_data", "faq"):
        shutil.copytree(PROJECT_ROOT / folder, target / folder)
    return FaqPaths(faq_dir=target / "faq", root=target)


def train(root: Path) -> Path:
    """`rasa train` on the copy, as ensure_model() does on the project (niced: shared CPUs)."""
    name = "round-trip"
    command = [
        "nice", "-n", "10", rasa_executable(), "train",
        "--config", str(root / CONFIG_FILE.name),
        "--domain", str(root / "domain"),
        "--data", str(root / "nlu_data"), str(root / "dialogue"),
        "--out", str(root / "models"),
        "--fixed-model-name", name,
    ]
    completed = subprocess.run(command, cwd=root, env=rasa_env(), capture_output=True, text=True,
                               timeout=TRAIN_TIMEOUT_S)
    model = root / "models" / f"{name}.tar.gz"
    assert completed.returncode == 0 and model.is_file(), completed.stdout[-3000:] + completed.stderr[-3000:]
    return model


def parse(model: Path, text: str) -> dict[str, Any]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return asyncio.run(agent.parse_message(text))


def test_a_missed_question_is_learnt_through_the_inbox(
    assistant: Assistant, trained_model: Path, tmp_path: Path
) -> None:
    # 1. A patient asks; the running assistant does not understand.
    sender = f"round-trip-{uuid.uuid4().hex[:8]}"
    reply = assistant.text(MESSAGE, sender=sender, lang="en")
    # Not understood, or an honest "I don't know" (a readable question no entry is close to).
    missed = "not sure I understood" in reply or "don't have verified information" in reply
    assert missed, f"pick another MESSAGE: it is understood now ({reply!r})"

    # 2. It shows in the inbox, read from the assistant's own conversation database.
    url = assistant.settings.tracker_store_url
    turns = [t for t in store.read_turns(store.engine_for(url)) if t.conversation == sender]
    assert [(t.text, t.language) for t in turns] == [(MESSAGE, "en")]
    item = next(i for i in service.load_inbox(url).items if MESSAGE in [m.text for m in i.messages])
    assert (item.leader.text, item.language) == (MESSAGE, "en")
    assert item.reason in (service.NOT_UNDERSTOOD, service.DONT_KNOW)

    # 3. Staff make it an example of an existing entry, in a copy of the project.
    paths = copy_project(tmp_path / "project")
    report = service.add_as_example(store.engine_for(url), paths, item, ENTRY)
    assert report.ok, report.render()
    assert MESSAGE not in [m.text for i in service.load_inbox(url).items for m in i.messages]
    build(paths.faq_dir, root=paths.root)
    assert f"- {MESSAGE}\n" in (paths.nlu_dir / "caregivers.yml").read_text()

    # 4. A model trained from the copy understands the same message.
    model = train(paths.root)
    result = parse(model, MESSAGE)
    assert result["intent"]["name"] == "faq", result["intent"]  # not nlu_fallback
    choice = result["response_selector"]["faq"]["response"]
    assert choice["intent_response_key"] == f"faq/{ENTRY}", choice

    # 5. `bot faq retrain`'s last step: the running assistant loads it, no restart.
    original = running_model(assistant.settings)
    assert original == trained_model.name
    try:
        loaded = load_model(assistant.settings, model)
        assert loaded.outcome is Outcome.LOADED, loaded.message
        entry = find_entry(paths.faq_dir, ENTRY)
        assert entry is not None
        reply = assistant.text(MESSAGE, sender=f"{sender}-after", lang="en")
        assert entry.answer["en"][:60] in reply, reply
        # The conversation from before the reload is still there.
        assert [t.text for t in store.read_turns(store.engine_for(url)) if t.conversation == sender] == [MESSAGE]
    finally:
        restored = load_model(assistant.settings, trained_model)
        assert restored.ok and running_model(assistant.settings) == trained_model.name, restored.message
