"""Deterministic overrides applied after the statistical classifiers (see bot/safety.py).

1. Input that cannot be read as a question (nothing to read, far too long, a language we do
   not speak) becomes ``nlu_fallback`` with full confidence: action_fallback then says why.
2. A request for individual medical advice becomes ``medical_advice`` (a kind refusal), or
   ``medical_advice_general`` (the refusal, then the FAQ answer that applies) when the FAQ
   selector confidently picks one of the general medical entries (``advice_general_info``).
   A request is what the rules (bot.safety.asks_medical_advice), the classifier or the learned
   detector (bot/nlu/advice.py, on a message about health) say; and a question about one's own
   health that would otherwise get "I don't know", "please rephrase" or "out of scope" gets the
   refusal too (it points to the care team). How a trial is designed, asked as one's own future
   ("will I get a placebo?", "will I know which treatment I get?"), is general trial information
   (bot.nlu.answerability.asks_about_trial_design): never refused.
3. An urgent symptom becomes ``urgent_symptoms`` whatever the classifier said: the emergency
   pointer takes precedence over every other intent, including the cases above. Urgent means
   the rules (bot.safety.is_urgent) or the learned detector (bot/nlu/urgency.py) say so.
4. An FAQ answer is kept only when it answers the message: a low selector confidence becomes
   ``nlu_fallback`` (not understood); a question of ours that is far from every example of
   the chosen entry (``min_faq_similarity``) becomes ``dont_know``: an honest "I don't know"
   with how to reach the center, rather than an unrelated fact.
5. A general question naming a serious symptom ("can it give bad diarrhoea?") becomes
   ``faq_serious_symptom``: the FAQ answer, then what to do if it is happening now.

It must come after the intent classifiers and before the FallbackClassifier in config.yml.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language import explicit_request, names_someone_speaking, warm_up
from bot.nlu.advice import ADVICE_KEY
from bot.nlu.answerability import asks_about_trial_design, is_answerable_question
from bot.nlu.response_selector import SIMILARITY_KEY
from bot.nlu.urgency import URGENCY_KEY
from bot.safety import (
    asks_medical_advice,
    calls_it_mild,
    describes_own_symptom,
    is_about_ones_case,
    is_personal_health_question,
    is_urgent,
    may_ask_advice,
    may_be_a_symptom,
    mentions_serious_symptom,
    unusable_input,
)

URGENT_INTENT = "urgent_symptoms"
ADVICE_INTENT = "medical_advice"
ADVICE_WITH_INFO_INTENT = "medical_advice_general"
SERIOUS_SYMPTOM_FAQ_INTENT = "faq_serious_symptom"
FALLBACK_INTENT = "nlu_fallback"
DONT_KNOW_INTENT = "dont_know"
SWITCH_LANGUAGE_INTENT = "switch_language"
OUT_OF_SCOPE_INTENT = "out_of_scope"


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
        # unusable_input() identifies the language: load the identifiers with the model, not
        # during the first patient's message (the action server warms its own at start).
        warm_up()
        return cls({**cls.get_default_config(), **config})

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "min_faq_confidence": 0.0,
            "min_faq_similarity": 0.0,
            "retrieval_intent": "faq",
            "use_urgency_detector": True,
            "min_urgency_over_advice": 0.95,
            # FAQ entries general enough to follow a refusal of individual advice.
            "advice_general_info": [],
            "min_advice_info_confidence": 0.5,
            # a readable question whose intent is below this confidence (the FallbackClassifier's
            # threshold), or whose FAQ entry is unsure (min_faq_confidence), gets "I don't know"
            # with the contact, not "please rephrase"; 0 = off
            "dont_know_below": 0.0,
            # ...and so does one whose two best intents are this close (the FallbackClassifier's
            # ambiguity_threshold, which would otherwise say "please rephrase"); 0 = off
            "dont_know_within": 0.0,
            # the learned advice detector (bot/nlu/advice.py) refuses too, for a message about health
            "use_advice_detector": True,
            # a question about one's own health that nothing answers gets the refusal (with the
            # care team), not "I don't know" or "please rephrase"
            "refuse_personal_non_answers": True,
        }

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        config = {**self.get_default_config(), **(config or {})}
        self.min_faq_confidence = float(config["min_faq_confidence"])
        self.min_faq_similarity = float(config["min_faq_similarity"])
        self.retrieval_intent = str(config["retrieval_intent"])
        self.use_urgency_detector = bool(config["use_urgency_detector"])
        self.min_urgency_over_advice = float(config["min_urgency_over_advice"])
        self.advice_general_info = set(config["advice_general_info"])
        self.min_advice_info_confidence = float(config["min_advice_info_confidence"])
        self.dont_know_below = float(config["dont_know_below"])
        self.dont_know_within = float(config["dont_know_within"])
        self.use_advice_detector = bool(config["use_advice_detector"])
        self.refuse_personal_non_answers = bool(config["refuse_personal_non_answers"])

    @staticmethod
    def _predicted(message: Message) -> str | None:
        return (message.get(INTENT) or {}).get("name")

    def _selected(self, message: Message) -> dict[str, Any]:
        selector = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
        return (selector.get(self.retrieval_intent) or {}).get("response") or {}

    def _unsure_faq_answer(self, message: Message) -> bool:
        if self._predicted(message) != self.retrieval_intent:
            return False
        confidence = self._selected(message).get("confidence")
        return confidence is not None and confidence < self.min_faq_confidence

    def _unrelated_faq_answer(self, message: Message) -> bool:
        if self._predicted(message) != self.retrieval_intent:
            return False
        similarity = self._selected(message).get(SIMILARITY_KEY)
        return similarity is not None and similarity < self.min_faq_similarity

    def _unplaced_question(self, message: Message, text: str) -> bool:
        confidence = (message.get(INTENT) or {}).get("confidence")
        ranking = [float(r.get("confidence") or 0.0) for r in message.get(INTENT_RANKING_KEY) or []]
        ambiguous = len(ranking) >= 2 and ranking[0] - ranking[1] < self.dont_know_within
        return ((confidence is not None and confidence < self.dont_know_below) or ambiguous) and is_answerable_question(text)

    def _general_info_applies(self, message: Message) -> bool:
        selected = self._selected(message)
        key = str(selected.get(INTENT_RESPONSE_KEY) or "").split("/")[-1]
        return (key in self.advice_general_info
                and (selected.get("confidence") or 0.0) >= self.min_advice_info_confidence
                and (selected.get(SIMILARITY_KEY) or 0.0) >= self.min_faq_similarity)

    def urgent(self, message: Message) -> bool:
        """The rules, or the detector on a message that could tell of a symptom; one's own milder symptom ("my skin is itching") needs a
        surer detector (the refusal still says when to call 15). Other advice requests do not:
        urgency is recall first."""
        text = message.get(TEXT) or ""
        if is_urgent(text):
            return True
        urgency = message.get(URGENCY_KEY) or {}
        if not self.use_urgency_detector or not urgency.get("urgent") or not may_be_a_symptom(text):
            return False
        mild = describes_own_symptom(text) or calls_it_mild(text)
        return not mild or self._sure_of_urgency(message)

    def _sure_of_urgency(self, message: Message) -> bool:
        """The detector sure enough to call a milder symptom an emergency."""
        return float((message.get(URGENCY_KEY) or {}).get("score", 0.0)) >= self.min_urgency_over_advice

    def _unsure_of_mild(self, message: Message, text: str) -> bool:
        """A symptom called mild that the detector is not sure is an emergency: the classifier's
        guess of urgency does not stand either ("how to manage mild diarrhea?")."""
        return calls_it_mild(text) and not self._sure_of_urgency(message)

    def _advice_detected(self, message: Message, text: str) -> bool:
        """The classifier on a message about health, or the detector on a question about one's
        own health ("send a giggle my way", "who can I talk to?" are not advice)."""
        if self._predicted(message) == ADVICE_INTENT and may_ask_advice(text):
            return True
        detected = (message.get(ADVICE_KEY) or {}).get("advice")
        return bool(self.use_advice_detector and detected and is_personal_health_question(text)
                    and may_ask_advice(text))

    @staticmethod
    def _drop_guess(message: Message, intent: str) -> None:
        # The classifier took a message without a word of health for advice, or one that tells
        # of no symptom for an emergency: its runner-up decides ("send a giggle my way" is out of
        # scope, "play my jogging playlist" no emergency).
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
        if ranking:
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    def _personal_non_answer(self, message: Message, text: str) -> bool:
        """A question about one's own health or case ("has the melanoma spread?") that would get
        "I don't know", "please rephrase" or "outside what I can do": the refusal points to the
        care team instead."""
        if not self.refuse_personal_non_answers or not is_about_ones_case(text):
            return False
        intent = message.get(INTENT) or {}
        unsure = float(intent.get("confidence") or 0.0) < self.dont_know_below
        return unsure or intent.get("name") in (DONT_KNOW_INTENT, FALLBACK_INTENT, OUT_OF_SCOPE_INTENT)

    def _about_someone_speaking(self, message: Message, text: str) -> bool:
        """Taken for a switch of language, but the language named is what someone else speaks
        ("do you have English-speaking staff?", "un médecin qui parle anglais")."""
        return (self._predicted(message) == SWITCH_LANGUAGE_INTENT and names_someone_speaking(text)
                and explicit_request(text) is None)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            # how a trial is designed ("will I get a placebo?") is general trial information,
            # however personally asked: neither the rules nor the models refuse it
            design = asks_about_trial_design(text)
            refuse = not design and (asks_medical_advice(text) or self._advice_detected(message, text))
            if self._predicted(message) == ADVICE_INTENT and not refuse:
                self._drop_guess(message, ADVICE_INTENT)
            if self._predicted(message) == URGENT_INTENT and (not may_be_a_symptom(text) or self._unsure_of_mild(message, text)):
                self._drop_guess(message, URGENT_INTENT)
            unusable = unusable_input(text)
            if self.urgent(message):
                _force_intent(message, URGENT_INTENT)
            elif unusable == "unsupported_language":
                # Our advice rules read French/English words that other languages share: a
                # question we cannot read gets "we answer in French or English", not a refusal.
                _force_intent(message, FALLBACK_INTENT)
            elif refuse:
                general = self._general_info_applies(message)
                _force_intent(message, ADVICE_WITH_INFO_INTENT if general else ADVICE_INTENT)
            elif unusable:
                _force_intent(message, FALLBACK_INTENT)
            elif self._about_someone_speaking(message, text):
                _force_intent(message, DONT_KNOW_INTENT)  # which languages staff speak: not a fact we hold
            elif self._unsure_faq_answer(message):
                # unsure which entry answers a real question: we do not hold that answer
                readable = self.dont_know_below > 0 and is_answerable_question(text)
                _force_intent(message, DONT_KNOW_INTENT if readable else FALLBACK_INTENT)
            elif self._unrelated_faq_answer(message) or self._unplaced_question(message, text):
                _force_intent(message, DONT_KNOW_INTENT)
            elif self._predicted(message) == self.retrieval_intent and mentions_serious_symptom(text):
                _force_intent(message, SERIOUS_SYMPTOM_FAQ_INTENT)
            if unusable is None and not design and self._personal_non_answer(message, text):
                _force_intent(message, ADVICE_INTENT)
        return messages
