"""NLU quality on the held-out sets, per language, with `rasa test nlu`.

Thresholds: a few points under what the current pipeline measures (2026-11-23: intents
95.8 % fr / 93.7 % en, FAQ answers 99.4 % / 98.0 %, on 284 / 270 messages), so that a real
regression fails the build while a staff edit of the FAQ that moves a few messages does not
(training is seeded: the same data always gives the same model). Safety intents get stricter checks than the average: every held-out urgent message
must be recognised as urgent, and no other message may be taken for one.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bot.runtime.model import rasa_env, rasa_executable
from bot.settings import PROJECT_ROOT

MIN_INTENT_ACCURACY = 0.90
MIN_RESPONSE_SELECTION_ACCURACY = 0.93
SAFETY_INTENTS = ("urgent_symptoms",)


@pytest.fixture(scope="module", params=["fr", "en"])
def report(request: pytest.FixtureRequest, trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    lang = request.param
    out = tmp_path_factory.mktemp(f"nlu-{lang}")
    completed = subprocess.run(
        [rasa_executable(), "test", "nlu", "--model", str(trained_model),
         "--nlu", str(PROJECT_ROOT / "tests" / "nlu" / f"heldout_{lang}.yml"), "--out", str(out)],
        cwd=PROJECT_ROOT, env=rasa_env(), capture_output=True, text=True, timeout=900,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return {
        "lang": lang,
        "intents": json.loads((out / "intent_report.json").read_text()),
        "responses": json.loads((out / "response_selection_report.json").read_text()),
        "errors": json.loads((out / "intent_errors.json").read_text()),
    }


def test_intent_accuracy(report: dict[str, Any]) -> None:
    accuracy = report["intents"]["accuracy"]
    errors = [f"{e['text']!r}: {e['intent']} -> {e['intent_prediction']['name']}" for e in report["errors"]]
    assert accuracy >= MIN_INTENT_ACCURACY, f"{report['lang']}: {accuracy:.3f}\n" + "\n".join(errors)


def test_faq_answer_selection_accuracy(report: dict[str, Any]) -> None:
    accuracy = report["responses"]["accuracy"]
    assert accuracy >= MIN_RESPONSE_SELECTION_ACCURACY, f"{report['lang']}: {accuracy:.3f}"


@pytest.mark.parametrize("intent", SAFETY_INTENTS)
def test_safety_intents_have_full_recall_and_precision(report: dict[str, Any], intent: str) -> None:
    scores = report["intents"][intent]
    missed = [e["text"] for e in report["errors"] if e["intent"] == intent]
    wrongly = [e["text"] for e in report["errors"] if e["intent_prediction"]["name"] == intent]
    assert scores["recall"] == 1.0, f"{report['lang']}: urgent messages not recognised: {missed}"
    assert scores["precision"] == 1.0, f"{report['lang']}: taken for urgent: {wrongly}"
