"""A learned detector of requests for individual medical advice (bot/nlu/detector.py).

One person's own situation ("what stage is my cancer?", "should I get a second opinion?",
"quel traitement me recommandez-vous ?") against general questions, trial searches and the
rest: medical_advice against every other intent except urgent_symptoms (urgency is decided
first, and urgent messages are personal too). RuleOverrides refuses when the rules of
bot.safety.asks_medical_advice or this detector (``advice`` in the parse output) say so;
bench/safety_eval.py measures rules alone, detector alone and both.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.nlu.detector import BinaryDetector

ADVICE_KEY = "advice"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class AdviceDetector(BinaryDetector):
    """Binary advice / other model; writes ``{"score": p, "advice": p >= threshold}``."""

    output_key = ADVICE_KEY
    flag = "advice"
    positive, negative = "advice", "other"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**BinaryDetector.get_default_config(), "target_intent": "medical_advice",
                "ignored_intents": ["urgent_symptoms"]}
