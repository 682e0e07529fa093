"""The judge of the real-questions evaluation: pure, no model."""
from __future__ import annotations

import pytest

from bot.evaluation.corpus import Item, Outcome
from bot.evaluation.judge import RESPONSE_KINDS, Answer, Reply, judge
from bot.evaluation.report import as_json, tables
from bot.evaluation.runner import (
    Result,
    replies_of_conversation,
    replies_of_last_turn,
    trial_topics,
)

URGENT_EN = ("If this may be an emergency, call 15 (SAMU) or 112 right now, or go to the nearest "
             "emergency department.")
REFUSAL_EN = ("I understand this question matters to you, but I cannot give personal medical advice. "
              "If you feel unwell, call 15 or 112.")
SIDE_EFFECTS_EN = ("By stimulating the immune system, immunotherapy can cause immune-related side effects. "
                   "They can appear during treatment, but also several months later. Always report any "
                   "new symptom to your care team. If you have a serious sign, call 15 or 112.")
SIDE_EFFECTS_FR = ("En stimulant le système immunitaire, l'immunothérapie peut provoquer des effets "
                   "secondaires. Signalez toujours tout symptôme nouveau à votre équipe soignante.")
FALLBACK_EN = "I'm not sure I understood. Could you rephrase? I can tell you about immunotherapy."


def item(expect: list[str], lang: str = "en", text: str = "a question") -> Item:
    return Item(id="x", text=text, lang=lang, category="immuno",
                expect=tuple(Outcome.parse(e) for e in expect), source="https://example.org/faq",
                page_lang=lang if lang in ("fr", "en") else "fr")


def answer(*replies: tuple[str | None, str], cards: bool = False) -> Answer:
    return Answer([Reply(text=text, name=name, cards=cards) for name, text in replies], latency_ms=12.0)


def test_the_expected_faq_entry_is_right_and_another_entry_is_wrong() -> None:
    asked = item(["faq:side_effects"])
    assert judge(asked, answer(("utter_faq/side_effects", SIDE_EFFECTS_EN))).verdict == "right"
    wrong = judge(asked, answer(("utter_faq/center_size", "The center's budget is €5.5 million, according to texts.")))
    assert (wrong.verdict, wrong.got) == ("wrong", "faq:center_size")


def test_a_right_fact_in_the_wrong_language_is_counted_as_wrong_language() -> None:
    verdict = judge(item(["faq:side_effects"], lang="en"), answer(("utter_faq/side_effects", SIDE_EFFECTS_FR)))
    assert (verdict.verdict, verdict.reply_lang) == ("wrong_language", "fr")


def test_emergency_needs_the_numbers_first_not_at_the_end_of_a_long_answer() -> None:
    urgent = item(["emergency"])
    assert judge(urgent, answer(("utter_urgent", URGENT_EN))).verdict == "right"
    # A future response with the numbers up front also counts, whatever its name.
    assert judge(urgent, answer(("utter_something_new", URGENT_EN))).verdict == "right"
    # The side-effects answer ends with 15 / 112: not "first".
    assert judge(urgent, answer(("utter_faq/side_effects", SIDE_EFFECTS_EN))).verdict == "wrong"
    # The refusal mentions them at its end too: an honest non-answer, not the emergency line.
    assert judge(urgent, answer(("utter_no_medical_advice", REFUSAL_EN))).verdict == "dont_know"


def test_fallback_refusal_and_topic_specific_dont_know_are_not_wrong_answers() -> None:
    asked = item(["faq:what_is_immunotherapy"])
    assert judge(asked, answer(("utter_fallback", FALLBACK_EN))).verdict == "fallback"
    assert judge(asked, answer(("utter_no_medical_advice", REFUSAL_EN))).verdict == "dont_know"
    practical = "I do not have verified practical information yet (address, parking). Ask your care team."
    assert judge(asked, answer(("utter_faq/practical_info", practical))).verdict == "dont_know"


def test_the_emergency_line_for_ones_own_mild_symptom_is_cautious_elsewhere_wrong() -> None:
    mild = item(["advice_refusal", "faq:side_effects"], text="My skin is itching.")
    assert judge(mild, answer(("utter_urgent", URGENT_EN))).verdict == "dont_know"
    alarm = item(["out_of_scope"], text="wake me up at five am")
    assert judge(alarm, answer(("utter_urgent", URGENT_EN))).verdict == "wrong"


def test_the_greeting_and_the_identity_answer_are_interchangeable() -> None:
    identity = "I am the automated assistant of Institut Curie's Center for Cancer Immunotherapy."
    assert judge(item(["greet"], text="hello how are you"), answer(("utter_bot_identity", identity))).verdict == "right"
    assert judge(item(["identity"], text="who are you"), answer(("utter_greet", "Hello! " + identity))).verdict == "right"
    assert judge(item(["out_of_scope"], text="what time is it"), answer(("utter_bot_identity", identity))).verdict == "wrong"


def test_a_topic_specific_dont_know_is_right_only_where_the_item_lists_it() -> None:
    practical = "I do not have verified practical information yet (address, parking). Ask your care team."
    assert judge(item(["faq:practical_info"]), answer(("utter_faq/practical_info", practical))).verdict == "right"
    # "How much does it cost?" expects a generic don't-know; the parking text is not that.
    assert judge(item(["dont_know"]), answer(("utter_faq/practical_info", practical))).verdict == "dont_know"


def test_a_generic_dont_know_response_is_right_for_dont_know_items(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(RESPONSE_KINDS, "utter_practical_unknown", "dont_know")
    text = "I don't know that, sorry: please ask your care team, whose contact details are on your letters."
    assert judge(item(["dont_know"]), answer(("utter_practical_unknown", text))).verdict == "right"


def test_trial_searches_count_cards_as_found_and_no_card_as_nothing_found() -> None:
    lead = "Here are trials 1 to 5 of 11 that mention melanoma, with their status and the sites:"
    nothing = "I found no trial matching this search (prostate cancer) in our records."
    found = answer(("action_search_trials", lead), cards=True)
    empty = answer(("action_search_trials", nothing))
    assert judge(item(["trials:melanoma"]), found).verdict == "right"
    assert judge(item(["trials:melanoma"]), empty).verdict == "wrong"
    assert judge(item(["no_trials:prostate"]), empty).verdict == "right"
    # Trial cards for a question that asked for a dose: a confident wrong answer.
    assert judge(item(["advice_refusal"]), found).verdict == "wrong"


def test_trials_shown_must_be_about_the_cancer_asked_for_when_the_records_are_known() -> None:
    topics = {"NCT1": "a study in metastatic melanoma melanoma", "NCT2": "resectable pancreatic cancer"}
    lead = "Here are trials 1 to 1 of 1:"
    melanoma = Answer([Reply(lead, "action_search_trials", cards=True, card_ids=("NCT1",))], latency_ms=5.0)
    assert judge(item(["trials:melanoma"]), melanoma, topics).verdict == "right"
    assert judge(item(["trials:pancreatic"]), melanoma, topics).verdict == "wrong"
    # "any" / "immunotherapy", or no record index: the kind alone decides.
    assert judge(item(["trials:any"]), melanoma, topics).verdict == "right"
    assert judge(item(["trials:pancreatic"]), melanoma).verdict == "right"


def test_the_trial_records_we_hold_are_indexed_by_nct_id() -> None:
    topics = trial_topics()
    assert len(topics) >= 30
    assert "pancrea" in topics["NCT05052671"] and "melanoma" in topics["NCT04318717"]


def test_other_language_replies_are_not_language_checked_and_switches_must_be_in_the_new_language() -> None:
    bilingual = "Je ne comprends que le français et l'anglais. / I can only understand French and English."
    assert judge(item(["other_language"], lang="other"), answer(("utter_unsupported_language", bilingual))).verdict == "right"
    switch = item(["language_switch:en"], lang="fr")
    assert judge(switch, answer(("utter_language_switched", "Sure, I'll continue in English. What would you like to know?"))).verdict == "right"
    assert judge(switch, answer(("utter_language_switched", "Très bien, je continue en français. Que souhaitez-vous savoir ?"))).verdict == "wrong_language"


def test_no_answer_at_all_is_an_error_and_an_empty_answer_a_fallback() -> None:
    assert judge(item(["greet"]), Answer(error="URLError: refused")).verdict == "error"
    assert judge(item(["greet"]), Answer(replies=[])).verdict == "fallback"


def test_replies_are_read_from_the_last_turn_of_the_tracker_and_named() -> None:
    events = [
        {"event": "user", "text": "old question"},
        {"event": "bot", "text": "old answer", "metadata": {"utter_action": "utter_greet"}},
        {"event": "user", "text": "trials for melanoma"},
        {"event": "action", "name": "action_detect_language"},
        {"event": "action", "name": "action_search_trials"},
        {"event": "bot", "text": "Here are trials", "metadata": {},
         "data": {"custom": {"type": "trial_cards", "cards": [{"id": "NCT04318717", "title": "t"}]}}},
        {"event": "bot", "text": "Want more?", "metadata": {}},
        {"event": "action", "name": "action_listen"},
    ]
    replies = replies_of_last_turn(events)
    assert [(r.name, r.text, r.cards, r.card_ids) for r in replies] == [
        ("action_search_trials", "Here are trials", True, ("NCT04318717",)),
        ("action_search_trials", "Want more?", False, ())]
    faq = [{"event": "user", "text": "q"}, {"event": "action", "name": "utter_faq"},
           {"event": "bot", "text": "a", "metadata": {"utter_action": "utter_faq/side_effects"}}]
    assert replies_of_last_turn(faq)[0].name == "utter_faq/side_effects"


def test_a_message_split_into_several_questions_is_answered_by_all_their_replies() -> None:
    # "what stage is my cancer and what does it mean?" reaches Rasa as two user messages: the
    # answer starts with the first one's reply (the refusal), not only the last one's.
    events = [
        {"event": "user", "text": "what stage is my cancer"},
        {"event": "action", "name": "utter_no_medical_advice"},
        {"event": "bot", "text": "I cannot give personal advice", "metadata": {"utter_action": "utter_no_medical_advice"}},
        {"event": "user", "text": "which trials are there?"},
        {"event": "action", "name": "action_search_trials"},
        {"event": "bot", "text": "Here are trials", "metadata": {}},
    ]
    assert [r.name for r in replies_of_conversation(events)] == ["utter_no_medical_advice", "action_search_trials"]
    assert [r.name for r in replies_of_last_turn(events)] == ["action_search_trials"]


def test_the_table_has_one_row_per_category_and_language_and_totals_per_language() -> None:
    results = []
    for lang, text in (("en", "Hello! I am the automated assistant of the center."),
                       ("fr", "Bonjour ! Je suis l'assistant automatisé du centre.")):
        asked = item(["greet"], lang=lang)
        got = answer(("utter_greet", text))
        results.append(Result(asked, got, judge(asked, got)))
    table = tables(results)
    assert "| immuno / en" in table and "| immuno / fr" in table
    assert "**all / en**" in table and "**all / fr**" in table and "**all**" in table
    assert "1 (100 %)" in table
    rows = as_json(results)
    assert rows[0]["verdict"] == "right" and rows[0]["replies"][0]["name"] == "utter_greet"


def test_a_topic_dont_know_entry_is_right_only_for_its_own_topic() -> None:
    costs = ("utter_faq/costs", "Our sources do not give the cost of care. Your care team or the "
             "center's reception can tell you.")
    practical = Item(id="p", text="how much does it cost?", lang="en", category="practical",
                     expect=(Outcome.parse("dont_know"),), source="https://example.org/faq", page_lang="en")
    assert judge(practical, answer(costs)).verdict == "right"
    # The same entry for a question of another topic is an honest non-answer, not right.
    other = Item(id="i", text="how does immunotherapy work?", lang="en", category="immuno",
                 expect=(Outcome.parse("dont_know"),), source="https://example.org/faq", page_lang="en")
    assert judge(other, answer(costs)).verdict == "dont_know"
    assert judge(practical, answer(("utter_dont_know", "I don't know that. Your care team can tell you."))).verdict == "right"
