"""A learned yes/no detector on the sentence features, beside the rules of bot/safety.py.

Rules miss wordings nobody wrote a pattern for. A detector is a small linear model (the
features of LinearIntentClassifier: sentence embedding + word and char n-gram counts) trained
on the training examples: the ``target_intent`` against every other intent (except the
``ignored_intents``), with balanced class weights. It writes ``{"score": p, <flag>: p >=
threshold}`` under its output key; RuleOverrides reads it next to the rules. Subclasses name
the key, the flag and the defaults (bot/nlu/urgency.py, bot/nlu/advice.py).
"""
from __future__ import annotations

import logging
from typing import Any, ClassVar

from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_classifier import LinearIntentClassifier

logger = logging.getLogger(__name__)


class BinaryDetector(LinearIntentClassifier):
    """The target intent against the others; subclasses set ``output_key`` and ``flag``."""

    output_key: ClassVar[str] = "detector"
    flag: ClassVar[str] = "detected"
    # the two class labels the weights are stored with
    positive: ClassVar[str] = "yes"
    negative: ClassVar[str] = "no"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **LinearIntentClassifier.get_default_config(),
            "target_intent": "",
            "ignored_intents": [],
            "class_weight": "balanced",
            "threshold": 0.5,
        }

    def train(self, training_data: TrainingData) -> Resource:
        ignored = set(self._config["ignored_intents"])
        examples = [e for e in training_data.intent_examples
                    if e.get(INTENT) and e.get(TEXT) and e.get(INTENT) not in ignored]
        target = self._config["target_intent"]
        labels = [self.positive if e.get(INTENT) == target else self.negative for e in examples]
        if len(set(labels)) < 2:
            logger.debug("%s: needs %s and other examples, nothing trained.", type(self).__name__, target)
            return self._resource
        self._w = self._fit(examples, labels)
        self._persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._w is None or not messages:
            return messages
        classes, probs = self._probabilities(messages)
        column = classes.index(self.positive)
        threshold = float(self._config["threshold"])
        for message, p in zip(messages, probs, strict=True):
            score = float(p[column])
            message.set(self.output_key, {"score": score, self.flag: score >= threshold},
                        add_to_output=True)
        return messages
