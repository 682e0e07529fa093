"""Splitting a message into its questions: only full questions, urgent ones first, bounded."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.questions import MAX_PARTS, split_questions
from bot.settings import PROJECT_ROOT


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "qui dirige le centre ? et quels sont les effets secondaires ?",
            ["qui dirige le centre ?", "quels sont les effets secondaires ?"],
        ),
        (
            "Who runs the center? Are there trials for melanoma?",
            ["Who runs the center?", "Are there trials for melanoma?"],
        ),
        (  # "et" between two questions, one sentence
            "qui dirige le centre et quels sont les effets secondaires ?",
            ["qui dirige le centre", "quels sont les effets secondaires ?"],
        ),
        (  # a statement goes with the question it introduces; "merci" with the last one
            "J'ai un mélanome. Y a-t-il des essais ? Qui dirige le centre ? Merci.",
            ["J'ai un mélanome. Y a-t-il des essais ?", "Qui dirige le centre ? Merci."],
        ),
        (  # full stops split sentences that start like questions
            "Where is the center. How do I take part in a trial.",
            ["Where is the center.", "How do I take part in a trial."],
        ),
    ],
)
def test_two_questions_are_split(text: str, parts: list[str]) -> None:
    assert split_questions(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "c'est quoi l'immunothérapie",
        "Bonjour. Qui dirige le centre ?",  # a greeting is not a question of its own
        "Où est le centre ? et le parking ?",  # "le parking ?" is too short to stand alone
        "What is immunotherapy? How does it work?",  # "it" points back at the first question
        "what is immunotherapy and how does it work?",
        "Quels sont les effets secondaires ? Sont-ils graves ?",
        "Is there a trial for my cancer? If not, why not?",  # depends on the first answer
        "Y a-t-il un essai pour moi ? Sinon, que faire ?",
        "What can I and should I do before a visit?",  # one question with two verbs
        "Can I stop the trial at any time, and what happens to my treatment?",  # leans on the first
        "Quels examens sont faits pendant l'essai ? À quel rythme ?",  # an elliptical follow-up
        "Qu'est-ce qu'un essai de phase 1 et pourquoi le proposer ?",  # "le" is the trial
        "j'ai un cancer du poumon et quels essais sont ouverts ?",  # one side is a statement
        "Est-ce que M. Dupont est là ?",  # an abbreviation, not a sentence end
        "la dose est de 3.5 mg. Quels effets ?",
        "Qui dirige le centre ? Qui dirige le centre ?",  # the same question twice: one answer
        "",
        "???",
    ],
)
def test_anything_else_stays_whole(text: str) -> None:
    assert split_questions(text) == [text]


def test_an_urgent_question_is_answered_first() -> None:
    parts = split_questions("Qui dirige le centre ? mon mari a 40 de fièvre, que faire ?")
    assert parts == ["mon mari a 40 de fièvre, que faire ?", "Qui dirige le centre ?"]
    parts = split_questions("Who runs the center? My wife can't breathe, what should I do?")
    assert parts == ["My wife can't breathe, what should I do?", "Who runs the center?"]


def test_an_emergency_is_never_cut_away_from_its_context() -> None:
    # "Il" points back: the symptom stays with the rest, and the whole message is urgent.
    text = "Qui dirige le centre ? Il a 40 de fièvre, que faire ?"
    assert split_questions(text) == [text]


def test_the_number_of_parts_is_bounded_and_nothing_is_dropped() -> None:
    questions = [
        "qui dirige le centre ?",
        "quels sont les effets secondaires ?",
        "où se trouve le centre ?",
        "comment participer à un essai ?",
        "combien de temps dure un traitement ?",
    ]
    parts = split_questions(" ".join(questions))
    assert len(parts) == MAX_PARTS
    assert parts[:2] == questions[:2]
    assert parts[2] == " ".join(questions[2:])  # the rest rides along in the last part
    assert split_questions(" ".join(questions), max_parts=2)[1] == " ".join(questions[1:])


def test_a_message_too_long_to_read_is_not_split() -> None:
    text = "qui dirige le centre ? " * 200
    assert split_questions(text) == [text]


def _training_examples() -> list[str]:
    examples: list[str] = []
    for path in sorted((PROJECT_ROOT / "nlu_data").rglob("*.yml")):
        for block in yaml.safe_load(Path(path).read_text(encoding="utf-8")).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.append(line[2:])
    return examples


def test_the_training_questions_are_not_split() -> None:
    """Every NLU example is one question: splitting any of them would be a false alarm."""
    examples = _training_examples()
    assert len(examples) > 500
    split = [text for text in examples if len(split_questions(text)) > 1]
    assert split == []
