"""``LinearResponseSelector``: the FAQ's retrieval intents with the linear model, and the
output of Rasa's ResponseSelector. Config: ``bot.nlu.response_selector.LinearResponseSelector``.
"""
from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_DEFAULT_INTENT,
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.constants import UTTER_PREFIX
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_classifier import LinearIntentClassifier

logger = logging.getLogger(__name__)
# Ours, in the prediction: cosine to the nearest example of the chosen answer (RuleOverrides).
SIMILARITY_KEY = "similarity"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class LinearResponseSelector(LinearIntentClassifier):
    """Drop-in for Rasa's ResponseSelector (retrieval intents), with the linear model above.

    Picks the ``faq/<key>`` of a message among the retrieval intent's examples and writes the
    same ``response_selector`` output as Rasa's ResponseSelector, so ``utter_faq`` rules and
    ActionRetrieveResponse work unchanged. Rasa's ResponseSelector is a TensorFlow model:
    about 2 min of training and ~50-100 MB of checkpoint for ~30 FAQ answers on this machine,
    and the TensorFlow graph in the server's memory; this one trains in well under a second.
    Config: ``retrieval_intent`` (as Rasa's; None = every retrieval intent together) plus the
    options of LinearIntentClassifier.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LinearIntentClassifier.get_default_config(), "retrieval_intent": None}

    def train(self, training_data: TrainingData) -> Resource:
        retrieval = self._config["retrieval_intent"]
        all_retrieval = sorted(training_data.retrieval_intents)
        examples = [
            e for e in training_data.intent_examples
            if e.get(TEXT) and e.get(INTENT_RESPONSE_KEY)
            and (e.get(INTENT) == retrieval if retrieval else e.get(INTENT) in all_retrieval)
        ]
        extra = {"all_retrieval_intents": all_retrieval,
                 "responses": {k: v for k, v in training_data.responses.items()}}
        self._extra = extra
        if not examples:
            logger.debug("LinearResponseSelector: no examples of %r, nothing to train.", retrieval)
            return self._resource
        labels = [e.get(INTENT_RESPONSE_KEY) for e in examples]
        self._w = self._fit(examples, labels)
        self._w.update(self._example_vectors(examples, labels))
        self._persist(extra)
        return self._resource

    def _dense_origin(self) -> str | None:
        assert self._w is not None
        dense = [str(o) for o, s in zip(self._w["origins"], self._w["sparse"], strict=True) if not s]
        return dense[0] if dense else None

    def _example_vectors(self, examples: list[Message], labels: list[str]) -> dict[str, np.ndarray]:
        """Unit sentence embeddings of the examples, to tell how close a message is to the
        answer chosen for it (RuleOverrides turns a far one into a fallback)."""
        origin = self._dense_origin()
        if origin is None:
            return {}
        vectors = self._blocks(examples, [origin])[0] / float(self._config["dense_weight"])
        return {"example_vectors": np.asarray(vectors, np.float32),
                "example_labels": np.asarray(labels, dtype=str)}

    def _similarities(self, messages: list[Message], best: list[str]) -> list[float | None]:
        """Cosine between each message and the nearest example of the answer chosen for it."""
        if self._w is None or "example_vectors" not in self._w:
            return [None] * len(messages)
        origin = self._dense_origin()
        assert origin is not None
        rows = self._blocks(messages, [origin])[0] / float(self._config["dense_weight"])
        sims = np.asarray(rows, np.float32).reshape(len(messages), -1) @ self._w["example_vectors"].T
        labels = self._w["example_labels"]
        return [float(row[labels == label].max()) for row, label in zip(sims, best, strict=True)]

    def process(self, messages: list[Message]) -> list[Message]:
        if self._w is None or not messages:
            return messages
        classes, probs = self._probabilities(messages)
        responses = self._extra.get("responses", {})
        key = self._config["retrieval_intent"] or RESPONSE_SELECTOR_DEFAULT_INTENT
        length = int(self._config["ranking_length"])
        chosen = [classes[int(np.argsort(-p)[0])] for p in probs]
        similarities = self._similarities(messages, chosen)
        for message, p, similarity in zip(messages, probs, similarities, strict=True):
            order = np.argsort(-p)
            best = classes[order[0]]
            utter = f"{UTTER_PREFIX}{best}"
            # Same keys as Rasa 3.6's ResponseSelector ranking.
            ranking = [{"confidence": float(p[i]), INTENT_RESPONSE_KEY: classes[i]}
                       for i in order]
            prediction = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    RESPONSE_SELECTOR_RESPONSES_KEY: responses.get(utter) or [{TEXT: best}],
                    PREDICTED_CONFIDENCE_KEY: float(p[order[0]]),
                    INTENT_RESPONSE_KEY: best,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter,
                    # Ours: cosine to the nearest example of this answer (None: no embedding).
                    SIMILARITY_KEY: similarity,
                },
                RESPONSE_SELECTOR_RANKING_KEY: ranking[:length] if length > 0 else ranking,
            }
            properties = message.get(RESPONSE_SELECTOR_PROPERTY_NAME, {})
            properties[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = self._extra.get(
                "all_retrieval_intents", [])
            properties[key] = prediction
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, properties, add_to_output=True)
        return messages
