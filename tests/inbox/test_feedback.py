"""Votes on answers ("helpful" / "not helpful"): what is kept, taken from the stored
conversation, and the "wrong answer" items that reach the inbox and `bot inbox`."""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import replace

import pytest

from bot import cli
from bot.faq.paths import FaqPaths
from bot.inbox import feedback, purge_expired_conversations, service, store
from bot.settings import load_settings
from tests.inbox.conftest import DAY, Said, save_conversation

LEAD_FR = "Le centre est dirigé par Sebastian Amigorena. Appelez le 01 44 32 40 00."


def mid() -> str:
    return uuid.uuid4().hex


def asked(text: str, answer: str, language: str = "fr", entry: str = "center_head", **kw: object) -> Said:
    return Said(text, entry=entry, language=language, message_id=mid(), answer=answer, **kw)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{request.param}_url")


def test_a_vote_keeps_the_stored_question_and_answer(url: str) -> None:
    first = asked("qui dirige le centre ?", LEAD_FR)
    second = asked("where is the cafeteria", "The cafeteria is on the ground floor.", "en", "cafeteria")
    save_conversation(url, "conv-1", [first, second], at=time.time() - 60)
    engine = store.engine_for(url)

    vote = feedback.record_vote(engine, "conv-1", first.message_id or "", feedback.NOT_HELPFUL)

    assert (vote.question, vote.answer, vote.language) == ("qui dirige le centre ?", LEAD_FR, "fr")
    assert (vote.intent, vote.entry, vote.vote) == ("faq", "center_head", feedback.NOT_HELPFUL)
    other = feedback.record_vote(engine, "conv-1", second.message_id or "", feedback.HELPFUL)
    assert (other.question, other.answer, other.language) == (
        "where is the cafeteria", "The cafeteria is on the ground floor.", "en",
    )
    assert [v.question for v in feedback.read_votes(engine)] == ["qui dirige le centre ?", "where is the cafeteria"]
    assert [v.question for v in feedback.read_votes(engine, feedback.NOT_HELPFUL)] == ["qui dirige le centre ?"]


def test_one_vote_per_answer_and_it_can_change(url: str) -> None:
    said = asked("qui dirige le centre ?", LEAD_FR)
    save_conversation(url, "conv-1", [said])
    engine = store.engine_for(url)
    feedback.record_vote(engine, "conv-1", said.message_id or "", feedback.NOT_HELPFUL)
    assert [i.reason for i in service.load_inbox(url).items] == [service.WRONG_ANSWER]

    feedback.record_vote(engine, "conv-1", said.message_id or "", feedback.HELPFUL)

    assert [v.vote for v in feedback.read_votes(engine)] == [feedback.HELPFUL]
    assert service.load_inbox(url).items == []  # the patient changed their mind


def test_a_vote_must_name_an_answer_of_that_conversation(url: str) -> None:
    said = asked("qui dirige le centre ?", LEAD_FR)
    save_conversation(url, "conv-1", [said])
    save_conversation(url, "conv-2", [asked("où est le centre ?", "Paris.")])
    engine = store.engine_for(url)
    for sender, message_id in [("conv-1", mid()), ("conv-2", said.message_id), ("nobody", said.message_id)]:
        with pytest.raises(feedback.UnknownAnswer):
            feedback.record_vote(engine, sender, message_id or "", feedback.NOT_HELPFUL)
    assert feedback.read_votes(engine) == []


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"", "must be JSON"),
        (b"{oops", "must be JSON"),
        (b"[]", "JSON object"),
        (json.dumps({"sender": "a b", "reply_to": "0" * 32, "vote": "helpful"}).encode(), "'sender'"),
        (json.dumps({"sender": "abc", "reply_to": "x", "vote": "helpful"}).encode(), "'reply_to'"),
        (json.dumps({"sender": "abc", "reply_to": "0" * 32, "vote": "meh"}).encode(), "'vote'"),
        (json.dumps({"sender": "abc", "reply_to": "0" * 32, "vote": "helpful", "question": "x"}).encode(),
         "Unknown field"),
        (json.dumps({"sender": "abc", "reply_to": "0" * 32, "vote": "helpful", "x": "y" * 2000}).encode(),
         "under 1024 bytes"),
    ],
)
def test_bad_votes_say_what_is_wrong(body: bytes, fragment: str) -> None:
    with pytest.raises(feedback.BadVote, match=fragment):
        feedback.parse_vote(body)


def test_a_good_vote_parses() -> None:
    body = json.dumps({"sender": "abc-1", "reply_to": "a" * 32, "vote": "not_helpful"}).encode()
    assert feedback.parse_vote(body) == ("abc-1", "a" * 32, "not_helpful")


def _vote_not_helpful(url: str, sender: str, said: Said, at: float | None = None) -> None:
    save_conversation(url, sender, [said], at=at)
    feedback.record_vote(store.engine_for(url), sender, said.message_id or "", feedback.NOT_HELPFUL)


def test_not_helpful_answers_are_wrong_answer_items(url: str) -> None:
    _vote_not_helpful(url, "conv-1", asked("je m'appelle Paul Martin, qui dirige le centre ?", LEAD_FR))
    _vote_not_helpful(url, "conv-2", asked("Qui dirige le centre", LEAD_FR))
    # The same question, missed rather than answered: an item of the other kind.
    save_conversation(url, "conv-3", [Said.missed("qui dirige le centre")])

    inbox = service.load_inbox(url)
    wrong = service.load_wrong_answers(url)

    assert [i.reason for i in inbox.items] == [service.WRONG_ANSWER, service.NOT_UNDERSTOOD]
    [item] = wrong
    assert item is not None and item.id == inbox.items[0].id
    assert (item.count, item.conversations, item.language) == (2, 2, "fr")
    assert item.answer == LEAD_FR and item.suggestion == "center_head"
    assert sorted(m.masked for m in item.messages) == ["Qui dirige le centre", "je m'appelle [name], qui dirige le centre ?"]
    assert abs(item.last_seen - time.time()) < 60


def test_staff_actions_on_a_wrong_answer(url: str, faq: FaqPaths) -> None:
    _vote_not_helpful(url, "conv-1", asked("le chef du service c'est qui", LEAD_FR, entry="cafeteria"))
    save_conversation(url, "conv-2", [Said.missed("le chef du service c'est qui")])
    _vote_not_helpful(url, "conv-3", asked("what is a car park", "Trials are...", "en", entry="trials"))
    engine = store.engine_for(url)
    wrong = {i.leader.text: i for i in service.load_wrong_answers(url)}

    service.add_as_example(engine, faq, wrong["le chef du service c'est qui"], "parking")
    service.dismiss(engine, wrong["what is a car park"])

    # Adding the question to the right entry settles the missed one too; nothing comes back.
    assert service.load_inbox(url).items == []
    assert "- le chef du service c'est qui" in (faq.faq_dir / "practical.yml").read_text()
    _vote_not_helpful(url, "conv-4", asked("what is a car park", "Trials are...", "en", entry="trials"))
    assert service.load_inbox(url).items == []


def test_bot_inbox_lists_wrong_answers(url: str, faq: FaqPaths, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(faq.root)
    _vote_not_helpful(url, "sender-secret-1", asked("my name is Anna Smith, who runs the center?",
                                                    "The center is run by Sebastian Amigorena.", "en"))
    save_conversation(url, "sender-secret-2", [Said.missed("can I bring my bike", language="en")])
    argv = ["--db", url, "--faq-dir", str(faq.faq_dir), "--root", str(faq.root)]

    assert cli.main(["inbox", *argv]) == 0

    out = capsys.readouterr().out
    assert '1 question(s) the assistant did not understand well and 1 answer(s) patients marked "not helpful"' in out
    [item] = service.load_wrong_answers(url)
    assert f"[{item.id}]  asked once in 1 conversation(s) · EN · wrong answer · last " in out
    assert '"my name is [name], who runs the center?"' in out
    assert 'answer given (entry center_head): "The center is run by Sebastian Amigorena."' in out
    assert "Anna" not in out and "sender-secret" not in out

    assert cli.main(["inbox", "dismiss", item.id, *argv]) == 0
    assert "Dismissed" in capsys.readouterr().out
    assert service.load_wrong_answers(url) == []


def test_votes_expire_with_their_conversations(url: str) -> None:
    now = time.time()
    _vote_not_helpful(url, "old", asked("qui dirige le centre ?", LEAD_FR), at=now - 100 * DAY)
    _vote_not_helpful(url, "new", asked("où est la cafétéria ?", "Au rez-de-chaussée."), at=now - DAY)
    settings = replace(load_settings(), tracker_store_url=url, retention_days=90)

    result = purge_expired_conversations(settings, now=now)

    assert (result.conversations, result.votes) == (1, 1)
    assert [v.question for v in feedback.read_votes(store.engine_for(url))] == ["où est la cafétéria ?"]
