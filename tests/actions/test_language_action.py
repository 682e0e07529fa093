"""action_detect_language, run on tracker fixtures."""
import pytest
from rasa_sdk.events import SlotSet

from actions.language import ActionDetectLanguage
from tests.actions.conftest import load_tracker, run_action


@pytest.mark.parametrize(
    ("fixture", "expected_events"),
    [
        ("first_message_english_page", [SlotSet("language", "en")]),
        ("long_french_message_on_english_page", [SlotSet("language", "fr")]),
        ("short_message_after_french", []),  # "merci" keeps French; the page did not change
        ("page_switched_to_english", [SlotSet("language", "en")]),
        ("asks_for_french", [SlotSet("language", "fr")]),
    ],
)
def test_language_slot(fixture: str, expected_events: list) -> None:
    messages, events = run_action(ActionDetectLanguage(), load_tracker(fixture))
    assert messages == []
    assert events == expected_events
