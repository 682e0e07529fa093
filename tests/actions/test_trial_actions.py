"""Trial actions on tracker fixtures, against a real SQLite store seeded with the bundled records."""
from __future__ import annotations

from pathlib import Path

import pytest

from actions.trials import (
    ActionMoreTrials,
    ActionSearchTrials,
    ActionTrialDetails,
    ActionTrialEligibility,
)
from bot.trials import db, ensure_ready
from tests.actions.conftest import load_tracker, run_action


@pytest.fixture(autouse=True)
def seeded_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path_factory.getbasetemp() / 'action-trials.db'}"
    if not Path(url.removeprefix("sqlite:///")).exists():
        ensure_ready(url)
    monkeypatch.setattr(db, "_default_url", url)  # what the action server's entry point sets
    return url


def slots(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def cards(messages: list[dict]) -> list[dict]:
    return [c for m in messages if m.get("custom") for c in m["custom"]["cards"]]


def text(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def test_search_for_melanoma_in_french_lists_the_melanoma_trials() -> None:
    messages, events = run_action(ActionSearchTrials(), load_tracker("search_melanoma_fr"))
    ids = [c["id"] for c in cards(messages)]
    assert set(ids) == {"NCT04114136", "NCT04318717", "NCT06970236", "NCT00184067", "NCT03590054"}
    assert ids[0] == "NCT04114136"  # recruiting trials come before closed ones
    assert "Phase 2" in cards(messages)[0]["phase"] and "Recrute" in cards(messages)[0]["status"]
    assert "registre sont en anglais" in text(messages)
    assert slots(events)["trial_results"] == ids
    assert slots(events)["cancer_type"] == "melanoma"


def test_search_in_english_keeps_only_recruiting_lung_trials() -> None:
    messages, events = run_action(ActionSearchTrials(), load_tracker("search_lung_recruiting_en"))
    found = cards(messages)
    assert {"NCT04267848", "NCT04956640", "NCT05431270"} <= {c["id"] for c in found}
    assert all(c["status"].startswith("Recruiting") for c in found)
    assert "anglais" not in text(messages)
    assert slots(events)["trial_status"] == "RECRUITING"


def test_no_match_says_what_to_try_next() -> None:
    messages, events = run_action(ActionSearchTrials(), load_tracker("search_nothing_matches_en"))
    reply = text(messages)
    assert "I found no trial matching" in reply and "leave the phase out" in reply
    assert cards(messages) == []


def test_more_results_continue_the_last_search() -> None:
    messages, events = run_action(ActionMoreTrials(), load_tracker("more_after_immunotherapy_search_fr"))
    shown_before = {"NCT03745326", "NCT04114136", "NCT04267848", "NCT04318717", "NCT04956640"}
    new_ids = [c["id"] for c in cards(messages)]
    assert new_ids and not shown_before & set(new_ids)
    assert "essais 6 à" in text(messages)
    assert slots(events)["trial_search"]["page"] == 1
    assert slots(events)["trial_results"][:5] == sorted(shown_before)


def test_more_without_a_previous_search_lists_immunotherapy_trials() -> None:
    messages, _ = run_action(ActionMoreTrials(), load_tracker("more_without_search_en"))
    assert len(cards(messages)) == 5


def test_the_second_one_points_at_the_second_card() -> None:
    messages, events = run_action(ActionTrialDetails(), load_tracker("details_second_fr"))
    assert text(messages).startswith("NCT04318717")
    assert "Statut : " in text(messages)
    assert slots(events) == {"trial_id": "NCT04318717"}


def test_details_by_id_in_english() -> None:
    messages, _ = run_action(ActionTrialDetails(), load_tracker("details_by_id_en"))
    reply = text(messages)
    assert reply.startswith("NCT04956640") and "EudraCT 2021-000595-12" in reply
    assert "Full record on ClinicalTrials.gov" in reply


def test_unknown_id_is_said_plainly() -> None:
    messages, events = run_action(ActionTrialDetails(), load_tracker("details_unknown_id_fr"))
    assert "NCT99999999" in text(messages) and events == []


def test_eligibility_of_the_current_trial_with_the_disclaimer() -> None:
    messages, _ = run_action(ActionTrialEligibility(), load_tracker("eligibility_current_trial_fr"))
    reply = text(messages)
    assert "Qui peut participer à l'essai NCT04956640" in reply
    assert "Seule l'équipe de l'essai peut décider" in reply
    assert "Parlez-en à votre oncologue" in reply


def test_how_to_take_part_in_general_without_a_trial() -> None:
    messages, _ = run_action(ActionTrialEligibility(), load_tracker("eligibility_no_trial_en"))
    assert "oncologist" in text(messages)


def test_store_down_gets_a_polite_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "_default_url", "postgresql+psycopg2://postgres@127.0.0.1:1/nowhere")
    messages, events = run_action(ActionSearchTrials(), load_tracker("search_melanoma_fr"))
    assert text(messages).startswith("La recherche d'essais cliniques est indisponible")
    assert events == []


def test_a_search_that_names_nothing_lists_immunotherapy_trials() -> None:
    tracker = load_tracker("search_melanoma_fr")
    tracker.latest_message = {**tracker.latest_message, "text": "quels essais cliniques existent ?"}
    messages, events = run_action(ActionSearchTrials(), tracker)
    assert slots(events)["trial_search"]["query"]["immunotherapy"] is True
    assert "NCT00973089" not in [c["id"] for c in cards(messages)]  # a dental trial


def test_a_cancer_type_without_any_trial_gets_no_trial_for_x_never_other_trials() -> None:
    messages, events = run_action(ActionSearchTrials(), load_tracker("search_testicular_fr"))
    reply = text(messages)
    assert reply.startswith("Il n'y a pas d'essai pour ce cancer (cancer du testicule) dans notre liste")
    assert "oncologue" in reply and cards(messages) == []
    assert slots(events)["cancer_type"] == "testicular"


def test_no_trial_at_all_for_the_cancer_type_even_with_a_phase() -> None:
    messages, _ = run_action(ActionSearchTrials(), load_tracker("search_myeloma_phase2_en"))
    reply = text(messages)
    assert reply.startswith("There is no trial for myeloma in our list of trials.")
    assert "leave the phase out" not in reply and cards(messages) == []


def test_a_cancer_type_we_hold_but_not_in_that_phase_suggests_leaving_the_phase_out() -> None:
    messages, _ = run_action(ActionSearchTrials(), load_tracker("search_kidney_phase2_en"))
    reply = text(messages)
    assert "I found no trial matching (kidney cancer, Phase 2)" in reply and "leave the phase out" in reply


def test_what_trials_can_i_join_lists_the_trials_we_hold() -> None:
    messages, events = run_action(ActionSearchTrials(), load_tracker("search_what_trials_en"))
    assert len(cards(messages)) == 5 and text(messages).startswith("Here are trials 1 to 5 of")
    assert slots(events)["trial_results"] == [c["id"] for c in cards(messages)]


def test_follow_up_asking_the_phase_answers_only_the_phase() -> None:
    messages, events = run_action(ActionTrialDetails(), load_tracker("followup_phase_en"))
    assert text(messages).startswith("Phase of trial NCT04318717: Phase 2")
    assert "Status" not in text(messages) and "Who can take part" not in text(messages)
    assert slots(events)["trial_id"] == "NCT04318717"


def test_follow_up_asking_where_answers_in_french() -> None:
    messages, _ = run_action(ActionTrialDetails(), load_tracker("followup_where_fr"))
    assert text(messages).startswith("Lieux de l'essai NCT04318717 : ")
    assert "registre sont en anglais" in text(messages)


def test_status_question_with_an_id_is_answered_even_when_taken_for_a_search() -> None:
    messages, _ = run_action(ActionSearchTrials(), load_tracker("followup_status_by_id_en"))
    assert text(messages).startswith("Status of trial NCT04318717: Recruiting (status as registered")
    assert cards(messages) == []


def test_is_it_still_recruiting_is_about_the_current_trial_not_a_search() -> None:
    messages, _ = run_action(ActionSearchTrials(), load_tracker("followup_status_as_search_en"))
    assert text(messages).startswith("Status of trial NCT04318717: Recruiting")
    assert cards(messages) == []


def test_follow_up_without_a_current_trial_asks_which_one() -> None:
    messages, events = run_action(ActionTrialDetails(), load_tracker("followup_without_trial_en"))
    assert text(messages).startswith("Which trial do you mean?") and events == []


def test_a_cancer_type_without_trials_asked_with_another_is_named_before_the_others_trials() -> None:
    tracker = load_tracker("search_myeloma_phase2_en")
    tracker.latest_message["text"] = "Any trials for myeloma or lymphoma?"
    messages, _ = run_action(ActionSearchTrials(), tracker)
    assert text(messages).startswith("There is no trial for myeloma in our list of trials; here are those")
    assert cards(messages)  # the lymphoma trials


def test_a_tumour_word_the_lexicon_lacks_never_gets_the_immunotherapy_list() -> None:
    tracker = load_tracker("search_testicular_fr")
    tracker.latest_message["text"] = "essais pour le chordome"
    messages, _ = run_action(ActionSearchTrials(), tracker)
    assert text(messages).startswith("Je n'ai trouvé aucun essai correspondant") and cards(messages) == []


def test_an_unknown_cancer_type_gets_no_match_never_the_immunotherapy_list() -> None:
    tracker = load_tracker("search_testicular_fr")
    tracker.latest_message["text"] = "essais pour le cancer de l'appendice"
    messages, _ = run_action(ActionSearchTrials(), tracker)
    assert text(messages).startswith("Je n'ai trouvé aucun essai correspondant (« cancer de l appendice »)")
    assert cards(messages) == []


def test_a_forged_include_hidden_slot_never_lists_a_hidden_trial(seeded_store: str) -> None:
    """Finding: a call with the slot trial_search.query.include_hidden=true listed a trial staff hid."""
    from bot.trials import store
    from bot.trials.db import session_scope

    hidden = "NCT04114136"  # the first melanoma trial
    forged = {"query": {"conditions": ["melanoma"], "include_hidden": True}, "page": -1}
    with session_scope(seeded_store) as session:
        store.set_flag(session, hidden, "hidden", True)
    try:
        messages, events = run_action(ActionMoreTrials(), load_tracker("more_without_search_en", trial_search=forged))
        shown = {c["id"] for c in cards(messages)}
        assert shown and hidden not in shown
        assert slots(events)["trial_search"]["query"]["include_hidden"] is False
    finally:
        with session_scope(seeded_store) as session:
            store.set_flag(session, hidden, "hidden", False)
