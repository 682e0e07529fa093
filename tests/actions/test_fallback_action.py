"""action_fallback: a polite answer that says why, and a human contact after two misses."""
import pytest

from actions.fallback import ActionFallback
from tests.actions.conftest import load_tracker, run_action


@pytest.mark.parametrize(
    ("fixture", "response"),
    [
        ("first_miss", "utter_fallback"),
        ("second_miss_in_a_row", "utter_fallback_handoff"),
        ("miss_after_an_answer", "utter_fallback"),  # the miss before was not the last turn
        ("message_in_german", "utter_unsupported_language"),
        ("very_long_message", "utter_message_too_long"),
        ("out_of_scope_first", "utter_out_of_scope"),
        ("out_of_scope_after_a_miss", "utter_fallback_handoff"),
    ],
)
def test_fallback_response(fixture: str, response: str) -> None:
    messages, events = run_action(ActionFallback(), load_tracker(fixture))
    assert [m["response"] for m in messages] == [response]
    assert events == []
