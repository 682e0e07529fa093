"""FR/EN answers: translated labels, registry-language note, snapshot caveat, real contacts only."""
from __future__ import annotations

import re

import pytest

from bot.trials import present, store
from bot.trials.db import session_scope
from bot.trials.query import TrialQuery
from bot.trials.search import search
from bot.trials.understand import parse_trial_request
from bot.trials.views import TrialDetail

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"(?:tél\.|phone) ([^—\n]+)")


@pytest.fixture(scope="module")
def details(seeded_store: str) -> dict[str, TrialDetail]:
    with session_scope(seeded_store) as session:
        return {t.nct_id: t for t in store.iter_details(session)}


def test_labels_are_translated() -> None:
    assert present.status_label("RECRUITING", "fr") == "Recrute"
    assert present.status_label("RECRUITING", "en") == "Recruiting"
    assert present.status_label("ACTIVE_NOT_RECRUITING", "fr") == "En cours, ne recrute plus"
    assert present.status_label("TERMINATED", "fr") == "Arrêté avant son terme"
    assert present.phase_label(("PHASE1", "PHASE2"), "fr") == "Phase 1/2"
    assert present.phase_label(("EARLY_PHASE1",), "fr") == "Phase 1 précoce"
    assert present.phase_label(("EARLY_PHASE1",), "en") == "Early phase 1"
    assert present.phase_label(("NA",), "fr") == "Sans phase (non applicable)"
    assert present.phase_label((), "en") == "Phase not given"
    assert present.sex_label("FEMALE", "fr") == "femmes uniquement" and present.sex_label("ALL", "en") == "all"
    assert present.age_range(18.0, None, "fr") == "18 ans et plus"
    assert present.age_range(18.0, None, "en") == "18 years and over"
    assert present.age_range(1.0, 18.0, "fr") == "de 1 an à 18 ans"
    assert present.age_range(None, 1.5, "en") == "up to 18 months"
    assert present.age_range(None, None, "fr") == "pas de limite d'âge indiquée"
    assert present.format_date("2025-11-14", "fr") == "14 novembre 2025"
    assert present.format_date("2021-07", "en") == "July 2021"
    assert present.format_date("2021-06-01", "fr") == "1er juin 2021"


def test_cards_in_both_languages(seeded_store: str) -> None:
    query = parse_trial_request("cancer du poumon en France")
    with session_scope(seeded_store) as session:
        result = search(session, query)
    fr, en = present.cards(result, "fr", query), present.cards(result, "en", query)
    assert fr.payload == {"type": "trial_cards", "cards": [{
        "id": "NCT04956640",
        "title": "Study of LY3537982 in Cancer Patients With a Specific Genetic Mutation (KRAS G12C)",
        "phase": "Phase 1/2",
        "status": "Recrute (statut tel qu'enregistré au registre le 14 novembre 2025)",
        "where": "France : Bordeaux, Lyon, Montpellier… et 44 sites dans 5 autres pays",
        "url": "https://clinicaltrials.gov/study/NCT04956640",
    }]}
    assert en.payload["cards"][0]["status"] == "Recruiting (status as registered on 14 November 2025)"
    assert en.payload["cards"][0]["where"] == "France: Bordeaux, Lyon, Montpellier… and 44 sites in 5 other countries"
    assert "Les informations du registre sont en anglais." in fr.text
    assert "anglais" not in en.text and "NCT04956640" in en.text


def test_cards_paging_text_and_unknown_capture_date(seeded_store: str) -> None:
    with session_scope(seeded_store) as session:
        result = search(session, parse_trial_request("melanoma"), page=0, page_size=2)
    text = present.cards(result, "en").text
    assert text.startswith("Here are trials 1 to 2 of 5:")
    assert "3 more trials match" in text
    assert all(c["status"].startswith("Recruiting") for c in present.cards(result, "en").payload["cards"])
    with session_scope(seeded_store) as session:
        ocular = search(session, parse_trial_request("mélanome oculaire"))
    card = present.cards(ocular, "fr").payload["cards"][0]
    assert card["id"] == "NCT06970236"  # field-limited record: no capture date, no sites
    assert card["status"] == "Recrute (statut tel qu'enregistré au registre ; date de relevé inconnue)"
    assert card["where"] == "Lieux non indiqués dans la fiche du registre"
    assert set(card) == {"id", "title", "phase", "status", "where", "url"}


def test_details(details: dict[str, TrialDetail]) -> None:
    fr = present.trial_details(details["NCT04956640"], "fr")
    assert "Statut : Recrute (statut tel qu'enregistré au registre le 14 novembre 2025)" in fr
    assert "EudraCT 2021-000595-12" in fr and "CTIS 2022-502756-31-00" in fr
    assert "Âge : 18 ans et plus · Sexe : tous" in fr
    assert fr.endswith("Les informations du registre sont en anglais.")
    en = present.trial_details(details["NCT00184067"], "en")
    assert "Terminated (stopped early)" in en and "Reason for stopping given in the registry: Primary PI left institution" in en
    assert "anglais" not in en


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_eligibility_always_ends_with_the_trial_team_decides(details: dict[str, TrialDetail], lang: str) -> None:
    for trial in details.values():
        text = present.eligibility(trial, lang)
        assert present.disclaimer(lang) in text
        assert all(len(line) <= 200 for line in text.splitlines() if line.startswith("•"))
    text = present.eligibility(details["NCT04956640"], lang)
    assert ("Principaux critères pour participer" if lang == "fr" else "Main criteria to take part") in text
    assert "KRAS G12C mutation" in text
    assert ("9 autres critères" if lang == "fr" else "9 more criteria") in text
    limited = present.eligibility(details["NCT04318717"], lang)  # field-limited: no criteria text
    assert ("ne donne pas le détail" if lang == "fr" else "does not give the detailed criteria") in limited
    assert ("16 ans et plus" if lang == "fr" else "16 years and over") in limited


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_contacts_come_only_from_the_record(details: dict[str, TrialDetail], lang: str) -> None:
    for trial in details.values():
        text = present.how_to_take_part(trial, lang)
        assert ("oncologue" if lang == "fr" else "oncologist") in text
        known_emails = {c.email for c in trial.central_contacts if c.email}
        assert set(EMAIL.findall(text)) == known_emails
        known_phones = {c.phone for c in trial.central_contacts if c.phone}
        assert {p.split(" (")[0].strip() for p in PHONE.findall(text)} == known_phones
    servier = present.how_to_take_part(details["NCT05786924"], lang)
    assert "+33 1 55 72 60 00" in servier and "scientificinformation@servier.com" in servier
    none = present.how_to_take_part(details["NCT06970236"], lang)
    assert ("n'indique pas de contact" if lang == "fr" else "gives no central contact") in none
    closed = present.how_to_take_part(details["NCT02513394"], lang)
    assert ("ne recrute pas" if lang == "fr" else "is not recruiting") in closed


def test_nothing_ever_claims_to_be_an_institut_curie_trial(details: dict[str, TrialDetail]) -> None:
    for trial in details.values():
        for lang in ("fr", "en"):
            for text in (present.trial_details(trial, lang), present.eligibility(trial, lang),
                         present.how_to_take_part(trial, lang), str(present.card(trial, lang))):
                assert "curie" not in text.lower(), trial.nct_id


def test_no_match_suggests_what_to_try(seeded_store: str) -> None:
    query = parse_trial_request("CAR-T pour un cancer du col de l'utérus, phase 1, qui recrute, à Paris, j'ai 45 ans")
    fr = present.no_match(query, "fr")
    assert fr.startswith("Je n'ai trouvé aucun essai correspondant (cancer du col de l'utérus, cellules CAR-T")
    for tip in ("ne pas préciser de phase", "ne recrutent pas en ce moment", "toute la France", "sans nom de traitement",
                "sans indiquer votre âge"):
        assert tip in fr
    en = present.no_match(TrialQuery(conditions=["xyzzy"]), "en")
    assert "“xyzzy”" in en and "describe the disease differently" in en
    with session_scope(seeded_store) as session:
        empty = search(session, query)
    assert present.cards(empty, "fr", query).text == fr and present.cards(empty, "fr", query).payload is None


def test_unavailable_message() -> None:
    assert "indisponible" in present.unavailable("fr")
    assert "unavailable right now" in present.unavailable("en")
    assert present.unavailable("de") == present.unavailable("fr")  # unknown language: the center's own


def test_cards_split_for_channels_that_draw_them(seeded_store: str) -> None:
    with session_scope(seeded_store) as session:
        result = search(session, parse_trial_request("mélanome"), page=1, page_size=2)
    rendered = present.cards(result, "fr")
    assert rendered.lead == "Voici les essais 3 à 4 sur 5 :"
    assert rendered.follow_up.startswith("1 autre essai correspond : demandez la suite")
    assert rendered.follow_up.endswith("Les informations du registre sont en anglais.")
    assert rendered.text.startswith(rendered.lead) and rendered.text.endswith(rendered.follow_up)
    assert "3. " in rendered.text and "4. " in rendered.text  # positions continue across pages


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_messages_when_no_trial_can_be_named(lang: str) -> None:
    assert ("pas d'autre essai" if lang == "fr" else "no more trials") in present.no_more(lang)
    ask = present.which_trial(None, lang)
    assert ("De quel essai" if lang == "fr" else "Which trial") in ask and "NCT" in ask
    unknown = present.which_trial("NCT03298893", lang)
    assert "NCT03298893" in unknown and "https://clinicaltrials.gov/study/NCT03298893" in unknown
    general = present.how_to_take_part_in_general("NCT03298893", lang)
    assert present.disclaimer(lang) in general and ("oncologue" if lang == "fr" else "oncologist") in general
    assert not EMAIL.search(general) and "curie" not in general.lower()
    assert present.how_to_take_part_in_general(None, lang).startswith("Pour participer" if lang == "fr" else "To take part")


def test_french_sites_come_first_for_the_center_s_patients(details: dict[str, TrialDetail]) -> None:
    trial = details["NCT04956640"]  # US sites first in the registry, 5 French sites too
    assert trial.locations[0].country != "France"
    assert present.where_label(trial, "fr").startswith("France : ")
    assert present.where_label(trial, "en").startswith("France: ")
    # A patient's own country filter still wins.
    assert present.where_label(trial, "en", country="United States").startswith("United States")
