"""End to end: several questions in one message, through the trained model and the REST
channel. Each gets its answer, urgent ones first, all in one conversation; every reply says
which message it answers (``reply_to``)."""
from __future__ import annotations

import uuid
from typing import Any

import pytest

from bot.inbox import store
from tests.conftest import Assistant

pytestmark = pytest.mark.model


def new_sender() -> str:
    return f"multi-{uuid.uuid4().hex[:12]}"


def answers(replies: list[dict[str, Any]]) -> list[str]:
    """The replies grouped by the message they answer, in order, each as one text."""
    grouped: dict[str, list[str]] = {}
    for reply in replies:
        grouped.setdefault(reply["reply_to"], []).append(reply.get("text", ""))
    return ["\n".join(texts) for texts in grouped.values()]


def stored_questions(assistant: Assistant, sender: str) -> list[str]:
    engine = store.engine_for(assistant.settings.tracker_store_url)
    return [turn.text for turn in store.read_turns(engine) if turn.conversation == sender]


@pytest.mark.parametrize(
    ("text", "lang", "first", "second"),
    [
        ("qui dirige le centre ? et quels sont les effets secondaires ?", "fr",
         "Sebastian Amigorena", "équipe soignante"),
        ("Who runs the center? What are the side effects of immunotherapy?", "en",
         "Sebastian Amigorena", "care team"),
    ],
)
def test_two_questions_get_two_answers(
    assistant: Assistant, text: str, lang: str, first: str, second: str
) -> None:
    sender = new_sender()
    replies = assistant.send(text, sender, lang=lang)
    got = answers(replies)
    assert len(got) == 2, got
    assert first in got[0] and first not in got[1]
    assert second in got[1]
    # One conversation, both questions recorded in it, in the order they were answered.
    questions = stored_questions(assistant, sender)
    assert len(questions) == 2 and questions[0].lower().startswith(("qui dirige", "who runs"))


@pytest.mark.parametrize(
    ("text", "lang", "emergency", "other"),
    [
        ("Qui dirige le centre ? mon mari a 40 de fièvre, que faire ?", "fr",
         "appelez tout de suite le 15", "Sebastian Amigorena"),
        ("Who runs the center? My wife can't breathe, what should I do?", "en",
         "call 15 (SAMU) or 112 right now", "Sebastian Amigorena"),
    ],
)
def test_an_urgent_question_is_answered_first(
    assistant: Assistant, text: str, lang: str, emergency: str, other: str
) -> None:
    sender = new_sender()
    got = answers(assistant.send(text, sender, lang=lang))
    assert len(got) == 2, got
    assert emergency in got[0].split("\n")[0]  # the emergency numbers come first of all
    assert other in got[1]
    assert stored_questions(assistant, sender)[0] in ("mon mari a 40 de fièvre, que faire ?",
                                                       "My wife can't breathe, what should I do?")


def test_one_question_is_one_message(assistant: Assistant) -> None:
    sender = new_sender()
    replies = assistant.send("Où se trouve le centre ? Il est loin de la gare ?", sender, lang="fr")
    assert len({r["reply_to"] for r in replies}) == 1  # "Il" points back: not split
    assert stored_questions(assistant, sender) == ["Où se trouve le centre ? Il est loin de la gare ?"]
