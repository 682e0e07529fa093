"""The inbox and the dashboard of the console, over a conversation store of real Rasa events."""
from __future__ import annotations

from pathlib import Path

from tests.inbox.conftest import Said, save_conversation

from .conftest import Client


def fill(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'conversations.db'}"  # the server fixture's tracker store
    save_conversation(url, "a", [Said.missed("on peut venir visiter le dimanche soir tard", closest="visits"),
                                 Said("j'ai mal à la poitrine", intent="urgent_symptoms", entry=None,
                                      answered_by="utter_urgent")])
    save_conversation(url, "b", [Said.missed("mon frère Jean Dupont peut il venir au 06 12 34 56 78"),
                                 Said("c'est quoi l'immunothérapie", entry="what_is_immunotherapy", language="fr"),
                                 Said("what is immunotherapy", entry="what_is_immunotherapy", language="en")])


def test_inbox_masks_and_turns_a_question_into_an_example_waiting_for_review(client: Client, tmp_path: Path) -> None:
    fill(tmp_path)
    client.login("eve")
    items = client.get("/inbox").json()["items"]
    texts = [i["text"] for i in items]
    assert any("dimanche soir" in t for t in texts)
    assert not any("06 12 34 56 78" in t or "Dupont" in t for t in texts)  # masked
    visit = next(i for i in items if "dimanche" in i["text"])
    personal = next(i for i in items if "dimanche" not in i["text"])
    # A message with personal data never becomes training data as it is.
    refused = client.post(f"/inbox/{personal['id']}/example", {"entry_id": "visits"})
    assert refused.status_code == 400 and "personal data" in refused.json()["error"]
    added = client.post(f"/inbox/{visit['id']}/example", {"entry_id": "visits"})
    assert added.status_code == 201, added.text
    version = added.json()["version"]
    assert version["status"] == "pending"
    assert "on peut venir visiter le dimanche soir tard" in version["data"]["examples"]["fr"]
    assert client.post(f"/inbox/{personal['id']}/dismiss").status_code == 200
    assert client.get("/inbox").json()["items"] == []


def test_dashboard_counts_and_draws_charts(client: Client, tmp_path: Path) -> None:
    fill(tmp_path)
    client.login("rita")
    data = client.get("/dashboard").json()
    totals = data["totals"]
    assert (totals["messages"], totals["conversations"], totals["emergencies"], totals["not_understood"]) == (5, 2, 1, 2)
    charts = data["charts"]
    assert charts["messages"].startswith("<svg") and "<title" in charts["messages"]
    assert "what_is_immunotherapy" in charts["asked"] and "40 %" in charts["shares"]
    assert "<script" not in "".join(charts.values())
    assert isinstance(data["trial_sync"]["text"], str) and data["trial_sync"]["text"]


def test_dashboard_says_when_the_registry_sync_last_ran(tmp_path: Path) -> None:
    from dataclasses import replace

    from bot.console.dashboard import _trial_sync
    from bot.settings import load_settings
    from bot.trials.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'trials.db'}"
    upgrade(url)
    shown = _trial_sync(replace(load_settings(), database_url=url))
    assert shown == {"text": "no registry sync has run on this store yet", "last": None}
    # A store that cannot be read is said plainly, never a 500 of the dashboard.
    broken = _trial_sync(replace(load_settings(), database_url=f"sqlite:///{tmp_path / 'none' / 'x.db'}"))
    assert broken["last"] is None and "could not be read" in broken["text"]


def test_answers_marked_not_helpful_show_with_the_answer_given(client: Client, tmp_path: Path) -> None:
    from bot.inbox import feedback
    from bot.inbox import store as inbox_store

    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    said = Said("combien coûte une immunothérapie", entry="which_cancers", message_id="m-cost-1",
                answer="L'immunothérapie traite plusieurs cancers : mélanome, poumon...")
    save_conversation(url, "voter", [said])
    feedback.record_vote(inbox_store.engine_for(url), "voter", "m-cost-1", feedback.NOT_HELPFUL)
    client.login("eve")
    inbox = client.get("/inbox").json()
    [wrong] = inbox["not_helpful"]
    assert (wrong["text"], wrong["reason"]) == ("combien coûte une immunothérapie", "wrong answer")
    assert wrong["answer"].startswith("L'immunothérapie traite plusieurs cancers")
    assert all(item["reason"] != "wrong answer" for item in inbox["items"])
