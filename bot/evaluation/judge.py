"""The judge: which verdict one answer of the assistant gets for one real question. Pure.

An answer is what the bot did after the question: the responses it sent (their names, from
the tracker's ``utter_action`` metadata or the action that sent them), their texts, and
whether trial cards were shown. ``RESPONSE_KINDS`` says what each response name means; add a
line there when a new response is added (e.g. ``"utter_practical_unknown": "dont_know"``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.evaluation.corpus import Item, Outcome
from bot.language import detect
from bot.text import LANGUAGES

# What each response (or action) name counts as. An FAQ answer counts as the fact of its entry
# (``faq:<id>``). The FAQ entries listed here are themselves an honest "we do not hold this,
# ask your care team" about ONE topic: right only where an item lists that entry, and an
# honest non-answer (not a wrong answer) elsewhere. "dont_know" is for generic responses that
# say "I don't know that" with a way to reach a human (none yet: add them here).
RESPONSE_KINDS = {
    "utter_urgent": "emergency",
    "utter_no_medical_advice": "advice_refusal",
    "utter_fallback": "fallback",
    "utter_fallback_handoff": "fallback",
    "utter_message_too_long": "fallback",
    "utter_human_contact": "human",
    "utter_out_of_scope": "out_of_scope",
    "utter_unsupported_language": "other_language",
    "utter_language_switched": "language_switch",
    "utter_greet": "greet",
    "utter_goodbye": "goodbye",
    "utter_thank": "thank",
    "utter_affirm": "affirm",
    "utter_deny": "deny",
    "utter_bot_identity": "identity",
    "utter_faq/practical_info": "faq_dont_know",
    "utter_faq/contact_center": "faq_dont_know",
    "utter_faq/visits": "faq_dont_know",
    "utter_faq/accompany_patient": "faq_dont_know",
    "utter_faq/relatives_information": "faq_dont_know",
    "utter_dont_know": "dont_know",
    "utter_faq/opening_hours": "faq_dont_know",
    "utter_faq/costs": "faq_dont_know",
    "utter_faq/waiting_times": "faq_dont_know",
    "utter_faq/getting_results": "faq_dont_know",
    "utter_faq/trial_specifics": "faq_dont_know",
    "utter_faq/treatment_organisation": "faq_dont_know",
    "action_search_trials": "trials",  # "no_trials" when no card was shown
    "action_more_trials": "trials",
    "action_trial_details": "trial_details",
    "action_trial_eligibility": "trial_howto",
}
# The topic of each FAQ "we do not hold this" entry, as corpus categories: for an item of that
# category that expects "I don't know", the entry IS the honest don't-know (with the contact).
# Elsewhere it stays an honest non-answer, never right.
TOPIC_DONT_KNOW = {
    "practical_info": {"practical", "caregivers"},
    "contact_center": {"practical", "caregivers", "center"},
    "visits": {"caregivers", "practical"},
    "accompany_patient": {"caregivers"},
    "relatives_information": {"caregivers"},
    "opening_hours": {"practical", "center"},
    "costs": {"practical", "treatment", "trials_general"},
    "waiting_times": {"practical", "treatment"},
    "getting_results": {"practical", "treatment"},
    "trial_specifics": {"trials_general", "trial_search"},
    "treatment_organisation": {"treatment", "practical"},
}
# Answers that are honest non-answers: not right when a fact was expected, but not wrong.
HONEST_NON_ANSWERS = {"dont_know", "faq_dont_know", "human", "out_of_scope", "advice_refusal", "trial_howto"}
VERDICTS = ("right", "dont_know", "fallback", "wrong", "wrong_language", "error")
# "Emergency first": an emergency response, or 15 and 112 (as whole numbers) in the first
# sentence of the first reply; numbers at the end of a long answer do not count as "first".
_EMERGENCY_NUMBERS = (re.compile(r"(?<!\d)15(?!\d)"), re.compile(r"(?<!\d)112(?!\d)"))
_FIRST_SENTENCE = re.compile(r"^[^.!?\n]*")
# Outcomes that carry the same content: the greeting and the identity answer both say what the
# assistant is and what it can do, so either is right for "hello, how are you?" or "who are you?".
SAME_CONTENT = {"greet": {"identity"}, "identity": {"greet"}}
# For "trials:<cancer>": words that a shown trial's title, conditions or keywords must contain
# (at least one card) for the search to be right. Cancers not listed here ("any",
# "immunotherapy") are not checked. Extend it with the cancers of new items.
CANCER_WORDS = {
    "melanoma": ("melanoma", "mélanome"),
    "pancreatic": ("pancrea",),
    "lung": ("lung", "nsclc", "poumon"),
    "breast": ("breast", "sein"),
    "colorectal": ("colorectal", "colon", "rectal"),
    "bladder": ("bladder", "urothelial"),
    "lymphoma": ("lymphoma",),
    "leukemia": ("leukemia", "leukaemia"),
    "gastric": ("gastric", "stomach"),
    "brain": ("brain", "glioma", "medulloblastoma"),
    "neuroblastoma": ("neuroblastoma",),
    "head_and_neck": ("head and neck", "hnscc"),
}
# Replies that are bilingual on purpose: no language check.
_NO_LANGUAGE_CHECK = {"other_language"}


@dataclass(frozen=True)
class Reply:
    text: str
    name: str | None = None  # utter_action or the action that sent it
    cards: bool = False
    card_ids: tuple[str, ...] = ()  # the NCT ids of the trial cards shown


@dataclass
class Answer:
    replies: list[Reply] = field(default_factory=list)
    latency_ms: float = 0.0
    error: str | None = None

    @property
    def first_name(self) -> str | None:
        return next((r.name for r in self.replies if r.name), None)

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies if r.text)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    got: str  # what the answer was, e.g. "faq:side_effects", "fallback", "trials"
    reply_lang: str | None = None
    reason: str = ""


def answer_outcome(answer: Answer) -> Outcome:
    """What the answer is, as one outcome (the first response decides)."""
    name = answer.first_name
    if name is None:
        return Outcome("fallback" if not answer.replies else "unknown")
    kind = RESPONSE_KINDS.get(name)
    if kind == "trials" and not any(r.cards for r in answer.replies):
        return Outcome("no_trials")
    if name.startswith("utter_faq/"):
        return Outcome("faq", name.split("/", 1)[1])
    return Outcome(kind or name)


def emergency_first(answer: Answer) -> bool:
    if RESPONSE_KINDS.get(answer.first_name or "") == "emergency":
        return True
    first = next((r.text for r in answer.replies if r.text), "")
    sentence = _FIRST_SENTENCE.match(first.strip())
    return bool(sentence) and all(p.search(sentence.group(0)) for p in _EMERGENCY_NUMBERS)


def _cancer_shown(cancer: str, answer: Answer, trial_topics: dict[str, str] | None) -> bool:
    words = CANCER_WORDS.get(cancer)
    ids = [i for r in answer.replies for i in r.card_ids]
    if not words or trial_topics is None or not ids:
        return True  # not checkable: the kind alone decides
    return any(word in trial_topics.get(i, "") for i in ids for word in words)


def _matches(
    expected: Outcome, got: Outcome, answer: Answer, trial_topics: dict[str, str] | None = None,
    category: str = "",
) -> bool:
    if expected.kind == "dont_know" and got.kind == "faq":
        return category in TOPIC_DONT_KNOW.get(got.value or "", set())
    if expected.kind == "emergency":
        return emergency_first(answer)
    if expected.kind == "trials" and got.kind == "trials":
        return _cancer_shown(expected.value or "", answer, trial_topics)
    if expected.kind == "faq":
        return got.kind == "faq" and got.value == expected.value
    # no_trials:<cancer> / language_switch:<lang>: the kind decides here; the switch language
    # is checked as the reply language.
    return expected.kind == got.kind or got.kind in SAME_CONTENT.get(expected.kind, set())


def _kind_of(got: Outcome) -> str:
    if got.kind == "faq":
        return RESPONSE_KINDS.get(f"utter_faq/{got.value}", "faq")
    return got.kind


def _expects(item: Item, kind: str) -> bool:
    return any(outcome.kind == kind for outcome in item.expect)


def judge(item: Item, answer: Answer, trial_topics: dict[str, str] | None = None) -> Verdict:
    """``trial_topics`` (NCT id -> lowercase title, conditions and keywords) lets the judge check
    that the trials shown are about the cancer asked for; without it only the kind is checked."""
    if answer.error:
        return Verdict("error", "error", reason=answer.error)
    got = answer_outcome(answer)
    reply_lang = detect(answer.text) if answer.text else None
    if any(_matches(expected, got, answer, trial_topics, item.category) for expected in item.expect):
        wanted = item.reply_lang
        if wanted and _kind_of(got) not in _NO_LANGUAGE_CHECK and reply_lang in LANGUAGES and reply_lang != wanted:
            return Verdict("wrong_language", str(got), reply_lang, f"answered in {reply_lang}, not {wanted}")
        return Verdict("right", str(got), reply_lang)
    kind = _kind_of(got)
    if kind == "fallback":
        return Verdict("fallback", str(got), reply_lang)
    if kind in HONEST_NON_ANSWERS or (kind == "emergency" and _expects(item, "advice_refusal")):
        # The emergency line given to a question about one's own symptoms is over-cautious,
        # not a confident wrong answer; given to anything else ("wake me up at 5") it is wrong.
        return Verdict("dont_know", str(got), reply_lang)
    return Verdict("wrong", str(got), reply_lang, f"expected {', '.join(map(str, item.expect))}")
