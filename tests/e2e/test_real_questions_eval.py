"""End to end: `bot eval`'s runner and judge against the real assistant, on a few dev questions.

This checks that the runner works (each question answered in a fresh conversation, every
reply named from the tracker, a verdict for each); the thresholds are the corpus's business.
"""
from __future__ import annotations

import pytest

from bot.evaluation.corpus import load_part
from bot.evaluation.judge import VERDICTS
from bot.evaluation.report import tables
from bot.evaluation.runner import Assistant as EvalAssistant
from bot.evaluation.runner import run
from tests.conftest import Assistant

pytestmark = pytest.mark.model

QUESTIONS = {
    "What is immunotherapy?",
    "Qu'est-ce que l'immunothérapie ?",
    "My chest hurts when I go to take a breath",
    "Am I at risk for infections?",
}


def test_runner_judges_dev_questions_against_the_real_assistant(assistant: Assistant) -> None:
    items = [item for item in load_part("dev") if item.text in QUESTIONS]
    assert len(items) == len(QUESTIONS)
    client = EvalAssistant(assistant.settings.rasa_url, assistant.settings.rasa_api_token())
    results = run(items, client)

    for result in results:
        assert result.answer.error is None, result.answer.error
        assert result.answer.replies, result.item.text
        assert all(reply.name for reply in result.answer.replies), result.answer.replies
        assert result.answer.latency_ms > 0
        assert result.verdict.verdict in VERDICTS
    verdicts = {result.item.text: result.verdict.verdict for result in results}
    assert verdicts["What is immunotherapy?"] == "right"
    assert "**all**" in tables(results)
