"""Conversations survive a restart: saved through Rasa's SQL tracker store built from our
configuration, read back by a new store instance (SQLite by default, PostgreSQL by URL)."""
from __future__ import annotations

import time
from pathlib import Path

import sqlalchemy as sa
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime.endpoints import TRACKER_STORE_TYPE, tracker_store_config
from bot.settings import PROJECT_ROOT
from tests.stores.helpers import project_domain, run_async, tracker_store


def conversation(sender: str) -> DialogueStateTracker:
    now = time.time()
    events = [
        ActionExecuted("action_session_start", timestamp=now),
        SessionStarted(timestamp=now),
        ActionExecuted("action_listen", timestamp=now),
        UserUttered("what is immunotherapy", intent={"name": "faq", "confidence": 0.98}, timestamp=now + 1),
        SlotSet("language", "en", timestamp=now + 1.1),
        ActionExecuted("utter_faq", timestamp=now + 1.2),
        BotUttered("Anti-tumour immunotherapy is a treatment strategy...", timestamp=now + 1.3),
        ActionExecuted("action_listen", timestamp=now + 1.4),
    ]
    return DialogueStateTracker.from_events(sender, events, slots=project_domain().slots)


def test_a_conversation_survives_a_new_store_instance(tracker_url: str) -> None:
    sender = "patient-42"
    run_async(tracker_store(tracker_url).save(conversation(sender)))

    # A new instance, as after a restart of the assistant.
    restored = run_async(tracker_store(tracker_url).retrieve(sender))
    assert restored is not None
    assert restored.get_slot("language") == "en"
    assert restored.latest_message is not None and restored.latest_message.text == "what is immunotherapy"
    assert [e.type_name for e in restored.events][-5:] == ["user", "slot", "action", "bot", "action"]
    assert run_async(tracker_store(tracker_url).retrieve("someone-else")) is None

    # Rasa's rows are where the inbox reads them: the `events` table of the same URL.
    engine = sa.create_engine(tracker_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT type_name FROM events WHERE sender_id = :s"), {"s": sender})
        assert [r.type_name for r in rows].count("user") == 1
    engine.dispose()


def test_saving_again_adds_only_new_events(tracker_url: str) -> None:
    store = tracker_store(tracker_url)
    tracker = conversation("patient-7")
    run_async(store.save(tracker))
    tracker.update(UserUttered("thanks", intent={"name": "thank", "confidence": 0.99}, timestamp=time.time()))
    run_async(tracker_store(tracker_url).save(tracker))
    restored = run_async(tracker_store(tracker_url).retrieve("patient-7"))
    assert [e.text for e in restored.events if isinstance(e, UserUttered)] == ["what is immunotherapy", "thanks"]


def test_default_sqlite_path_is_under_the_project() -> None:
    config = tracker_store_config("sqlite:///var/conversations.db")
    assert config == {"type": TRACKER_STORE_TYPE, "dialect": "sqlite", "db": str(PROJECT_ROOT / "var" / "conversations.db")}
    assert Path(config["db"]).parent.is_dir()


def test_postgres_url_is_split_into_rasa_parts() -> None:
    config = tracker_store_config("postgresql://curie:secret@db.example:5433/conversations?sslmode=require")
    assert config == {
        "type": TRACKER_STORE_TYPE, "dialect": "postgresql", "db": "conversations", "url": "db.example", "port": 5433,
        "username": "curie", "password": "secret", "query": {"sslmode": "require"},
    }
