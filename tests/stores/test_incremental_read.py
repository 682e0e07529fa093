"""The conversation store reads only new rows (bot/conversation_store.py), and still returns
exactly the tracker Rasa's own SQLTrackerStore.retrieve builds from the database, with two
store instances (two Rasa processes) writing one conversation in turn."""
from __future__ import annotations

import time
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from tests.stores.helpers import run_async, tracker_store
from tests.stores.test_tracker_store import conversation

PERSONAL = "je m'appelle Jean Dupont, jean.dupont@example.org"


def _rasas_copy(tracker: DialogueStateTracker) -> DialogueStateTracker:
    return tracker.travel_back_in_time(float("inf"))  # the body of Rasa's DialogueStateTracker.copy


@pytest.fixture(autouse=True, params=["rasa's copy", "state copy"])
def tracker_copy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each read hands out a copy of the tracker kept: with Rasa's copy (a replay), and with
    the one the Rasa process uses (bot.runtime.rasa_server: the state copied)."""
    from bot.runtime import rasa_server

    monkeypatch.setitem(rasa_server._STOCK, "tracker_copy", _rasas_copy)
    chosen = _rasas_copy if request.param == "rasa's copy" else rasa_server._tracker_copy
    monkeypatch.setattr(DialogueStateTracker, "copy", chosen)


def state(tracker: DialogueStateTracker | None) -> Any:
    return None if tracker is None else tracker.current_state(EventVerbosity.ALL)


def rasas_own(store: Any, sender: str) -> Any:
    """What Rasa's stock retrieve returns for this database (every row read and replayed)."""
    return state(run_async(SQLTrackerStore.retrieve(store, sender)))


def a_turn(tracker: DialogueStateTracker, text: str, language: str) -> None:
    now = time.time()
    for event in (
        UserUttered(text, intent={"name": "faq", "confidence": 0.9}, metadata={"lang": language}, timestamp=now),
        SlotSet("language", language, timestamp=now + 0.01),
        ActionExecuted("utter_faq", timestamp=now + 0.02),
        BotUttered(f"answer to {text}", timestamp=now + 0.03),
        ActionExecuted("action_listen", timestamp=now + 0.04),
    ):
        tracker.update(event)


def rows(url: str, sender: str, what: str = "max(id)") -> int:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(sa.text(f"SELECT {what} FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
    engine.dispose()
    return int(value)


def test_two_instances_taking_turns_read_what_rasa_reads(tracker_url: str) -> None:
    one, two = tracker_store(tracker_url), tracker_store(tracker_url)
    sender = "patient-1"
    run_async(one.save(conversation(sender)))
    for turn in range(6):
        writer = (one, two)[turn % 2]
        tracker = run_async(writer.retrieve(sender))
        assert state(tracker) == rasas_own(writer, sender)
        a_turn(tracker, PERSONAL if turn == 2 else f"question {turn}", ("fr", "en")[turn % 2])
        run_async(writer.save(tracker))
        assert rows(tracker_url, sender, "count(*)") == len(tracker.events)  # each event stored once
        for store in (one, two):  # the other one reads the rows its neighbour wrote
            assert state(run_async(store.retrieve(sender))) == rasas_own(store, sender)
            assert store._read[sender].last_id == rows(tracker_url, sender)
    texts = [e.text for e in run_async(two.retrieve(sender)).events if isinstance(e, UserUttered)]
    assert PERSONAL not in texts and len(texts) == 7  # what is kept is what was stored: masked


def test_a_turn_that_was_not_saved_is_not_in_the_next_read(tracker_url: str) -> None:
    store = tracker_store(tracker_url)
    run_async(store.save(conversation("patient-2")))
    tracker = run_async(store.retrieve("patient-2"))
    a_turn(tracker, "lost when the database failed", "en")  # never saved
    again = run_async(store.retrieve("patient-2"))
    assert state(again) == rasas_own(store, "patient-2")
    assert len(again.events) == len(tracker.events) - 5
    a_turn(again, "asked again", "en")
    run_async(store.save(again))
    assert rows(tracker_url, "patient-2", "count(*)") == len(again.events)


def test_a_new_session_reads_only_that_session_like_rasa(tracker_url: str) -> None:
    one, two = tracker_store(tracker_url), tracker_store(tracker_url)
    run_async(one.save(conversation("patient-3")))
    assert run_async(two.retrieve("patient-3")) is not None
    tracker = run_async(one.retrieve("patient-3"))
    later = time.time() + 10
    for event in (ActionExecuted("action_session_start", timestamp=later), SessionStarted(timestamp=later + 0.01),
                  SlotSet("language", "en", timestamp=later + 0.02), ActionExecuted("action_listen", timestamp=later + 0.03)):
        tracker.update(event)
    run_async(one.save(tracker))
    read = run_async(two.retrieve("patient-3"))
    assert state(read) == rasas_own(two, "patient-3")
    assert [e.type_name for e in read.events] == ["session_started", "slot", "action"]


def test_a_purged_conversation_is_gone_for_every_instance(tracker_url: str) -> None:
    store = tracker_store(tracker_url)
    run_async(store.save(conversation("patient-4")))
    assert run_async(store.retrieve("patient-4")) is not None
    engine = sa.create_engine(tracker_url)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM events WHERE sender_id = 'patient-4'"))
    engine.dispose()
    assert run_async(store.retrieve("patient-4")) is None
    assert "patient-4" not in store._read


def test_the_rows_written_are_the_rows_rasas_save_writes(tracker_url: str) -> None:
    """Our save writes its rows with one Core INSERT: the same rows, in the same order, as
    Rasa's ``SQLTrackerStore.save`` (ORM objects), for a first save and for a later turn."""
    ours = tracker_store(tracker_url)
    longer = conversation("x")
    first = len(longer.events)
    a_turn(longer, "and the side effects?", "en")
    events = list(longer.events)
    for sender, save in (("ours", ours.save), ("stock", lambda t: SQLTrackerStore.save(ours, t))):
        for count in (first, len(events)):
            run_async(save(DialogueStateTracker.from_events(sender, events[:count], ours.domain.slots)))

    engine = sa.create_engine(tracker_url)
    with engine.connect() as connection:
        def stored(sender: str) -> list:
            return connection.execute(sa.text(
                "SELECT type_name, timestamp, intent_name, action_name, data FROM events "
                "WHERE sender_id = :s ORDER BY id"), {"s": sender}).all()
        assert stored("ours") == stored("stock") and len(stored("ours")) == len(events) > first
    engine.dispose()
