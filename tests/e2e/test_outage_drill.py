"""Drill: the PostgreSQL conversation store goes away while the assistant runs, then comes back.

Before: Rasa answered 4 of 4 messages and stored none (memory fallback); "the second one" then
lost its trial list and the language flipped. Now each message gets a 503 with a short message
in the conversation's language, the health check says so, and service resumes by itself.
A second assistant (Rasa + actions) runs on free ports with a PostgreSQL database of its own.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime import launcher
from bot.settings import load_settings
from tests.conftest import Assistant
from tests.services import require_postgres
from tests.stores.helpers import postgres_database
from tests.stores.test_conversation_store import _refuse_connections

pytestmark = [pytest.mark.model, pytest.mark.postgres, pytest.mark.drill]


@pytest.fixture(scope="module")
def pg_assistant(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Assistant, str]]:
    require_postgres()
    data_dir = tmp_path_factory.mktemp("pg-assistant")
    with postgres_database() as url:
        try:
            with launcher.private_assistant(load_settings(), trained_model, data_dir, tracker_store_url=url) as settings:
                yield Assistant(settings), url
        finally:
            _refuse_connections(url.rsplit("/", 1)[1], refuse=False)


def health(assistant: Assistant) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{assistant.settings.rasa_url}/webhooks/rest/", timeout=10) as reply:  # noqa: S310
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_an_outage_is_visible_on_every_message_and_service_resumes(pg_assistant: tuple[Assistant, str]) -> None:
    assistant, url = pg_assistant
    database = url.rsplit("/", 1)[1]
    who = f"drill-{uuid.uuid4().hex[:8]}"
    replies = assistant.send("is there an immunotherapy trial for lung cancer?", who, lang="en")
    ids = [c["id"] for r in replies if r.get("custom") for c in r["custom"]["cards"]]
    assert len(ids) >= 2

    _refuse_connections(database, refuse=True)
    for text in ("the second one", "what is immunotherapy?", "thanks", "bonjour"):
        with pytest.raises(urllib.error.HTTPError) as caught:
            assistant.send(text, who)
        body = json.loads(caught.value.read())
        assert caught.value.code == 503 and body["reason"] == "not_saved"
        assert "cannot save our conversation" in body["error"]  # English: the conversation's language
    assert health(assistant)[0] == 503 and health(assistant)[1]["conversation_store"] == "down"

    _refuse_connections(database, refuse=False)
    assert health(assistant) == (200, {"status": "ok", "conversation_store": "up"})
    details = assistant.text("the second one", who)
    assert details.startswith(ids[1]) and "Status" in details  # nothing was lost, still English
