"""Deterministic overrides applied after the statistical classifiers (see bot/safety.py).

1. Input that cannot be read as a question (nothing to read, far too long, a language we do
   not speak) becomes ``nlu_fallback`` with full confidence: action_fallback then says why.
2. A request for individual medical advice becomes ``medical_advice`` (a kind refusal).
3. An urgent symptom becomes ``urgent_symptoms`` whatever the classifier said: the emergency
   pointer takes precedence over every other intent, including the cases above.

It must come after the intent classifiers and before the FallbackClassifier in config.yml.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.safety import asks_medical_advice, is_urgent, unusable_input

URGENT_INTENT = "urgent_symptoms"
ADVICE_INTENT = "medical_advice"
FALLBACK_INTENT = "nlu_fallback"


def _force_intent(message: Message, name: str) -> None:
    # The ranking holds the decision alone: FallbackClassifier would otherwise read a
    # confident runner-up as ambiguity and undo the override.
    forced = {"name": name, "confidence": 1.0}
    message.set(INTENT, forced, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [forced], add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RuleOverrides(GraphComponent):
    """Overrides the predicted intent: urgency, advice requests, unusable input, unsure FAQ."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RuleOverrides:
        return cls(float(config["min_faq_confidence"]), str(config["retrieval_intent"]))

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"min_faq_confidence": 0.0, "retrieval_intent": "faq"}

    def __init__(self, min_faq_confidence: float = 0.0, retrieval_intent: str = "faq") -> None:
        self.min_faq_confidence = min_faq_confidence
        self.retrieval_intent = retrieval_intent

    def _unsure_faq_answer(self, message: Message) -> bool:
        if (message.get(INTENT) or {}).get("name") != self.retrieval_intent:
            return False
        selected = (message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}).get(self.retrieval_intent) or {}
        confidence = (selected.get("response") or {}).get("confidence")
        return confidence is not None and confidence < self.min_faq_confidence

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if is_urgent(text):
                _force_intent(message, URGENT_INTENT)
            elif asks_medical_advice(text):
                _force_intent(message, ADVICE_INTENT)
            elif unusable_input(text) or self._unsure_faq_answer(message):
                _force_intent(message, FALLBACK_INTENT)
        return messages
