"""`bot eval --rejudge`: stored answers judged again, without the assistant."""
from __future__ import annotations

import json
from pathlib import Path

from bot.evaluation import corpus
from bot.evaluation.cli import rejudge


def test_stored_answers_are_judged_again_with_the_current_labels(tmp_path: Path) -> None:
    items = corpus.load_part("dev")
    asked = next(i for i in items if i.text == "What is immunotherapy?")
    stored = [{
        "id": asked.id, "latency_ms": 21.5, "error": None,
        "replies": [{"name": "utter_faq/what_is_immunotherapy", "cards": False,
                     "text": "Anti-tumour immunotherapy is a treatment strategy against cancer."}],
    }]
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(stored), encoding="utf-8")
    results = rejudge(str(path), items)
    assert [(r.item.id, r.verdict.verdict, r.answer.latency_ms) for r in results] == [(asked.id, "right", 21.5)]
