"""A learned urgency detector beside the rules of bot/safety.py (bot/nlu/detector.py).

urgent_symptoms against every other intent. Its threshold is set for recall: a false alarm
costs a line with 15 / 112, a miss can cost much more. RuleOverrides reads its decision
(``urgency`` in the parse output) next to bot.safety.is_urgent; bench/safety_eval.py measures
rules alone, detector alone and both.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.nlu.detector import BinaryDetector

URGENCY_KEY = "urgency"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class UrgencyDetector(BinaryDetector):
    """Binary urgent / other model; writes ``{"score": p, "urgent": p >= threshold}``."""

    output_key = URGENCY_KEY
    flag = "urgent"
    positive, negative = "urgent", "other"  # as the weights were always stored

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**BinaryDetector.get_default_config(), "target_intent": "urgent_symptoms"}
