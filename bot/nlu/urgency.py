"""A learned urgency detector beside the rules of bot/safety.py.

Rules miss wordings nobody wrote a pattern for; this small linear model (the features of
LinearIntentClassifier: sentence embedding + word and char n-gram counts) is trained on the
training examples, urgent_symptoms against every other intent, with balanced class weights.
Its threshold is set for recall: a false alarm costs a line with 15 / 112, a miss can cost
much more. RuleOverrides reads its decision (``urgency`` in the parse output) next to
bot.safety.is_urgent; bench/safety_eval.py measures rules alone, detector alone and both.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_classifier import LinearIntentClassifier

logger = logging.getLogger(__name__)

URGENCY_KEY = "urgency"
URGENT, OTHER = "urgent", "other"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class UrgencyDetector(LinearIntentClassifier):
    """Binary urgent / other model; writes ``{"score": p, "urgent": p >= threshold}``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **LinearIntentClassifier.get_default_config(),
            "urgent_intent": "urgent_symptoms",
            "class_weight": "balanced",
            "threshold": 0.5,
        }

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        urgent = self._config["urgent_intent"]
        labels = [URGENT if e.get(INTENT) == urgent else OTHER for e in examples]
        if len(set(labels)) < 2:
            logger.debug("UrgencyDetector: needs urgent and other examples, nothing trained.")
            return self._resource
        self._w = self._fit(examples, labels)
        self._persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._w is None or not messages:
            return messages
        classes, probs = self._probabilities(messages)
        column = classes.index(URGENT)
        threshold = float(self._config["threshold"])
        for message, p in zip(messages, probs, strict=True):
            score = float(p[column])
            message.set(URGENCY_KEY, {"score": score, "urgent": score >= threshold},
                        add_to_output=True)
        return messages
