"""`bot eval --rejudge`: stored answers judged again, without the assistant."""
from __future__ import annotations

import json
from pathlib import Path

from bot.evaluation import corpus
from bot.evaluation.cli import rejudge
from bot.settings import load_settings


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


def test_resume_asks_nothing_when_every_answer_is_stored(tmp_path: Path, capsys) -> None:
    import argparse

    from bot.evaluation.cli import evaluate

    first = corpus.load_part("dev")[0]
    stored = [{"id": first.id, "latency_ms": 9.0, "error": None,
               "replies": [{"name": "utter_no_medical_advice", "cards": False, "card_ids": [],
                            "text": "I understand this question matters to you, but I cannot give personal medical advice."}]}]
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(stored), encoding="utf-8")
    out = tmp_path / "out.json"
    args = argparse.Namespace(part="dev", limit=1, rejudge=None, resume=str(path), start=False, add=None,
                              url="http://127.0.0.1:9", verbose=False, json=str(out),
                              settings=load_settings())
    assert evaluate(args) == 0
    assert "Asking" not in capsys.readouterr().err
    [row] = json.loads(out.read_text(encoding="utf-8"))
    assert (row["id"], row["latency_ms"]) == (first.id, 9.0)
