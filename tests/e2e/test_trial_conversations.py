"""End to end: trial questions through the running assistant get the right real records."""
from __future__ import annotations

import uuid

import pytest

from tests.conftest import Assistant

pytestmark = pytest.mark.model


def card_ids(replies: list[dict]) -> list[str]:
    return [c["id"] for r in replies if r.get("custom") for c in r["custom"].get("cards", [])]


def joined(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def test_french_melanoma_search_then_details_then_eligibility(assistant: Assistant) -> None:
    sender = f"trials-{uuid.uuid4().hex[:10]}"
    replies = assistant.send("y a-t-il un essai d'immunothérapie pour le mélanome ?", sender, lang="fr")
    ids = card_ids(replies)
    assert {"NCT04114136", "NCT04318717"} <= set(ids)
    assert "registre sont en anglais" in joined(replies)

    details = joined(assistant.send("le deuxième", sender, lang="fr"))
    assert details.startswith(ids[1]) and "Statut" in details

    eligibility = joined(assistant.send("est-ce que je peux participer ?", sender, lang="fr"))
    assert f"Qui peut participer à l'essai {ids[1]}" in eligibility
    assert "Seule l'équipe de l'essai peut décider" in eligibility


def test_english_lung_cancer_search_and_more(assistant: Assistant) -> None:
    sender = f"trials-{uuid.uuid4().hex[:10]}"
    replies = assistant.send("is there an immunotherapy trial for lung cancer?", sender, lang="en")
    ids = card_ids(replies)
    assert {"NCT04267848", "NCT04956640", "NCT05431270"} <= set(ids)
    first_card = next(r["custom"]["cards"][0] for r in replies if r.get("custom"))
    assert first_card["status"].startswith("Recruiting")


def test_trial_by_id_in_english(assistant: Assistant) -> None:
    reply = joined(assistant.send("tell me about NCT04956640", lang="en"))
    assert reply.startswith("NCT04956640")
    assert "Where: France: Bordeaux" in reply  # French sites first for the center's patients


def test_breast_cancer_in_patient_wording(assistant: Assistant) -> None:
    replies = assistant.send("est ce qu'il existe un essai pour mon cancer du sein", lang="fr")
    assert card_ids(replies) == ["NCT02513394"]
