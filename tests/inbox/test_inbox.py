"""The inbox on conversation databases written by Rasa's tracker store: what it lists, how it
groups and masks, what staff decisions do, and the retention purge."""
from __future__ import annotations

import time
from dataclasses import replace

import pytest
import sqlalchemy as sa

from bot.faq.edit import EditRejected
from bot.faq.model import read_topics
from bot.faq.paths import FaqPaths
from bot.inbox import purge_expired_conversations, service, store
from bot.settings import load_settings
from tests.faq.sample import snapshot
from tests.inbox.conftest import DAY, Said, conversation_tracker, save_conversation, turn_events
from tests.stores.helpers import run_async, tracker_store

CAFETERIA_MISSES = [
    "la cafétéria est ouverte le dimanche ?",
    "la cafeteria est ouverte le dimanche",
    "La cafétéria est-elle ouverte le dimanche ?",
]


def fill(url: str) -> None:
    """A few conversations: misses about the cafeteria on Sunday (three ways, three people),
    a miss in English, an unsure answer, answers given with confidence, unreadable input, and
    an out-of-scope question. Fixed times (a minute apart), so that the order is known."""
    start = time.time() - 3600
    for number, text in enumerate(CAFETERIA_MISSES):
        save_conversation(url, f"sender-secret-{number}", [Said("bonjour", "greet", 0.99, None, 0, "utter_greet"),
                                                          Said.missed(text, closest="cafeteria")],
                          at=start + number * 60)
    save_conversation(url, "sender-secret-3", [Said.missed(CAFETERIA_MISSES[0], closest="cafeteria")],
                      at=start + 180)
    save_conversation(url, "sender-secret-4", [
        Said.missed("can I bring my bike", language="en"),
        Said("where can i park", entry="parking", entry_confidence=0.95, language="en"),  # understood
        Said("is there a wifi code for visitors", entry="wifi", entry_confidence=0.35, language="en"),  # unsure
        Said("j'ai de la fièvre", "urgent_symptoms", 1.0, None, 0, "utter_urgent"),  # forced by rules
        Said.missed("Gibt es eine Cafeteria im Krankenhaus für Besucher", language="fr"),  # another language
    ], at=start + 240)
    save_conversation(url, "sender-secret-5", [
        Said("quel temps fera-t-il demain à Paris", "out_of_scope", 0.93, None, 0, "action_fallback"),
    ], at=start + 300)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest) -> str:
    value = request.getfixturevalue(f"{request.param}_url")
    fill(value)
    return value


def test_inbox_lists_misses_and_unsure_answers_grouped(url: str) -> None:
    inbox = service.load_inbox(url)
    texts = [[m.masked for m in item.messages] for item in inbox.items]
    assert texts == [
        ["la cafétéria est ouverte le dimanche ?", "La cafétéria est-elle ouverte le dimanche ?"],
        ["quel temps fera-t-il demain à Paris"],  # asked once, like the next two, but last
        ["is there a wifi code for visitors"],
        ["can I bring my bike"],
    ], texts
    sunday, weather, wifi, bike = inbox.items
    assert (weather.reason, weather.suggestion) == (service.OUT_OF_SCOPE, None)
    # "la cafeteria est ouverte le dimanche" is the same message as the first (accents, "?").
    assert (sunday.count, sunday.conversations, sunday.languages) == (4, 4, ["fr"])
    assert (sunday.reason, sunday.suggestion) == (service.NOT_UNDERSTOOD, "cafeteria")
    assert (bike.count, bike.language, bike.reason) == (1, "en", service.NOT_UNDERSTOOD)
    assert (wifi.reason, wifi.suggestion) == (service.UNSURE, "wifi")
    assert inbox.left_out == 1  # the German message: no FAQ change would help
    # Items keep their ids from one run to the next (staff type them).
    assert [i.id for i in service.load_inbox(url).items] == [i.id for i in inbox.items]


def test_a_stricter_threshold_lists_fewer_unsure_answers(url: str) -> None:
    texts = [i.leader.text for i in service.load_inbox(url, below=0.3).items]
    assert "is there a wifi code for visitors" not in texts and "can I bring my bike" in texts


def test_personal_data_is_masked_and_sender_ids_never_shown(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from bot import cli

    save_conversation(sqlite_url, "sender-secret-99", [
        Said.missed("je m'appelle Marie Dupont, mon mail est marie@example.fr, la cafétéria ouvre quand ?"),
    ])
    assert cli.main(["inbox", "--db", sqlite_url]) == 0
    out = capsys.readouterr().out
    assert "je m'appelle [name], mon mail est [email], la cafétéria ouvre quand ?" in out
    assert "Dupont" not in out and "marie@" not in out and "sender-secret" not in out


def test_dismissed_items_do_not_come_back(url: str) -> None:
    engine = store.engine_for(url)
    inbox = service.load_inbox(url)
    service.dismiss(engine, inbox.items[0])
    assert [i.leader.text for i in service.load_inbox(url).items] == [
        "quel temps fera-t-il demain à Paris", "is there a wifi code for visitors", "can I bring my bike"]
    # The same question asked again later, by someone else: still handled.
    save_conversation(url, "sender-secret-10", [Said.missed("La cafétéria est-elle ouverte le dimanche")])
    assert len(service.load_inbox(url).items) == 3
    # Our table holds hashes, never the messages themselves.
    with engine.connect() as connection:
        rows = connection.execute(sa.select(store.decisions_table)).all()
    assert {r.decision for r in rows} == {"dismissed"} and len(rows) == 2
    assert all(len(r.message_key) == 64 and "cafet" not in r.message_key for r in rows)


def test_add_an_item_as_an_example_of_an_entry(url: str, faq: FaqPaths) -> None:
    engine = store.engine_for(url)
    bike_id = service.load_inbox(url).items[3].id
    bike = service.find_item(service.load_inbox(url), bike_id)
    assert bike.leader.text == "can I bring my bike"
    report = service.add_as_example(engine, faq, bike, "parking")
    assert report.ok
    topics, _ = read_topics(faq.faq_dir)
    parking = next(e for t in topics for e in t.entries if e.id == "parking")
    assert parking.examples["en"][-1] == "can I bring my bike"
    assert "can I bring my bike" not in [i.leader.text for i in service.load_inbox(url).items]
    with engine.connect() as connection:
        row = connection.execute(sa.select(store.decisions_table.c.decision, store.decisions_table.c.entry_id)).one()
    assert tuple(row) == ("example", "parking")


def test_adding_an_example_that_belongs_to_another_entry_is_refused(url: str, faq: FaqPaths) -> None:
    save_conversation(url, "sender-secret-11", [Said.missed("Où se garer ?")])
    item = next(i for i in service.load_inbox(url).items if i.leader.text == "Où se garer ?")
    before = snapshot(faq)
    with pytest.raises(EditRejected, match="also an example of 'parking'"):
        service.add_as_example(store.engine_for(url), faq, item, "wifi")
    assert snapshot(faq) == before
    assert "Où se garer ?" in [i.leader.text for i in service.load_inbox(url).items]  # not marked done


def test_personal_data_never_becomes_an_example(sqlite_url: str, faq: FaqPaths) -> None:
    save_conversation(sqlite_url, "s", [Said.missed("je m'appelle Marie Dupont, où se trouve la cafétéria ?")])
    [item] = service.load_inbox(sqlite_url).items
    engine = store.engine_for(sqlite_url)
    with pytest.raises(service.InboxError, match="personal data"):
        service.add_as_example(engine, faq, item, "cafeteria")
    service.add_as_example(engine, faq, item, "cafeteria", text="où se trouve la cafétéria dans l'hôpital ?")
    assert "Dupont" not in (faq.faq_dir / "practical.yml").read_text()
    assert service.load_inbox(sqlite_url).items == []


def test_an_item_becomes_a_new_entry(sqlite_url: str, faq: FaqPaths) -> None:
    from tests.faq.test_edit import draft

    save_conversation(sqlite_url, "s", [Said.missed("y a-t-il une pharmacie dans l'hôpital")])
    [item] = service.load_inbox(sqlite_url).items
    new = draft()
    new.examples["fr"] = [item.leader.text, *new.examples["fr"]]
    service.add_as_entry(store.engine_for(sqlite_url), faq, item, new, "services.yml")
    assert "id: pharmacy" in (faq.faq_dir / "services.yml").read_text()
    assert service.load_inbox(sqlite_url).items == []


def test_purge_deletes_only_old_conversations(url: str) -> None:
    now = time.time()
    save_conversation(url, "old-1", [Said.missed("la boutique vend des journaux ?")], at=now - 120 * DAY)
    save_conversation(url, "old-2", [Said.missed("is the chapel open at night", language="en")], at=now - 95 * DAY)
    old = {"la boutique vend des journaux ?", "is the chapel open at night"}
    before = [i.leader.text for i in service.load_inbox(url).items]
    assert old <= set(before)
    settings = replace(load_settings(), tracker_store_url=url, retention_days=90)
    result = purge_expired_conversations(settings, now=now)
    assert result.conversations == 2 and result.events == 2 * 9
    assert [i.leader.text for i in service.load_inbox(url).items] == [t for t in before if t not in old]
    engine = store.engine_for(url)
    with engine.connect() as connection:
        oldest = connection.execute(sa.select(sa.func.min(store.events_table.c.timestamp))).scalar_one()
    assert oldest >= now - 90 * DAY
    assert purge_expired_conversations(settings, now=now).events == 0


def test_purged_conversations_leave_nothing_in_the_sqlite_files(sqlite_url: str) -> None:
    """The conversation store is in WAL mode: recent writes live in the -wal file beside the
    database, which the purge empties once the rows are deleted."""
    from pathlib import Path

    now = time.time()
    store_ = tracker_store(sqlite_url)  # Rasa's store, as the assistant runs it (pooled, WAL)
    tracker = conversation_tracker("old-secret", [Said.missed("la boutique vend des journaux ?")], now - 120 * DAY)
    run_async(store_.save(tracker))
    database = Path(sqlite_url.removeprefix("sqlite:///"))
    wal = database.with_name(database.name + "-wal")

    def stored() -> bytes:
        return database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    assert b"la boutique vend des journaux" in stored() and wal.stat().st_size > 0  # the store keeps its log
    settings = replace(load_settings(), tracker_store_url=sqlite_url, retention_days=90)
    assert purge_expired_conversations(settings, now=now).conversations == 1
    assert b"la boutique vend des journaux" not in stored() and b"old-secret" not in stored()
    assert run_async(store_.retrieve("old-secret")) is None


def test_purge_without_a_database_creates_nothing(tmp_path: object) -> None:
    from pathlib import Path

    db = Path(str(tmp_path)) / "never-created.db"
    settings = replace(load_settings(), tracker_store_url=f"sqlite:///{db}")
    assert purge_expired_conversations(settings) == store.PurgeResult(0, 0)
    assert not db.exists()
    assert service.load_inbox(f"sqlite:///{db}").items == []


def test_an_i_dont_know_answer_is_in_the_inbox(sqlite_url: str) -> None:
    # The FAQ had no entry close enough: RuleOverrides forced "dont_know", with full confidence.
    save_conversation(sqlite_url, "sender-dont-know", [
        Said("combien de temps dure une séance de radiothérapie", "dont_know", 1.0, "costs", 0.3,
             "utter_dont_know"),
    ], at=time.time() - 60)
    [item] = service.load_inbox(sqlite_url).items
    assert (item.leader.text, item.reason) == (
        "combien de temps dure une séance de radiothérapie", service.DONT_KNOW)


def test_purge_removes_whole_conversations_never_half_of_one(url: str) -> None:
    """Finding: the purge deleted old events and left the rest of their conversations behind."""
    now = time.time()
    # One conversation started 100 days ago and still active yesterday; one silent for 91 days.
    spanning = conversation_tracker("spanning", [Said.missed("is the chapel open at night", language="en")], now - 100 * DAY)
    for event in turn_events(Said.missed("la boutique vend des journaux ?"), now - DAY):
        spanning.update(event)
    run_async(tracker_store(url).save(spanning))
    save_conversation(url, "silent", [Said.missed("y a-t-il un parking")], at=now - 91 * DAY)
    settings = replace(load_settings(), tracker_store_url=url, retention_days=90)
    result = purge_expired_conversations(settings, now=now)
    assert result.conversations == 1
    engine = store.engine_for(url)
    with engine.connect() as connection:
        senders = dict(connection.execute(
            sa.select(store.events_table.c.sender_id, sa.func.count()).group_by(store.events_table.c.sender_id)
        ).all())
    assert "silent" not in senders
    assert senders["spanning"] == 3 + 2 * len(turn_events(Said.missed("x"), now))  # kept whole
