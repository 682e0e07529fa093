"""Patient wording (FR/EN) -> TrialQuery, and references to trials already shown."""
from __future__ import annotations

import time

import pytest

from bot.trials.query import TrialQuery
from bot.trials.understand import (
    asked_aspect,
    parse_age,
    parse_trial_request,
    resolve_trial_reference,
)


@pytest.mark.parametrize(
    ("text", "conditions"),
    [
        ("cancer du sein", ["breast"]),
        ("I have breast carcinoma", ["breast"]),
        ("mélanome", ["melanoma"]),
        ("melanome", ["melanoma"]),  # accent missing
        ("melanom", ["melanoma"]),  # typo
        ("mélanome oculaire", ["uveal_melanoma"]),
        ("cancer du poumon", ["lung"]),
        ("poumons", ["lung"]),
        ("NSCLC", ["lung"]),
        ("cancer du poumon non à petites cellules", ["nsclc"]),
        ("col de l'utérus", ["cervical"]),
        ("cancer du col de l'utérus", ["cervical"]),
        ("cancre du pancras", ["pancreas"]),  # two typos
        ("pancréas", ["pancreas"]),
        ("vessie", ["bladder"]),
        ("leucémie", ["leukemia"]),
        ("leucemie", ["leukemia"]),
        ("lymphome", ["lymphoma"]),
        ("neuroblastome", ["neuroblastoma"]),
        ("tumeur au cerveau", ["brain"]),
        ("glioblastome", ["brain"]),
    ],
)
def test_conditions_in_french_and_english(text: str, conditions: list[str]) -> None:
    assert parse_trial_request(text).conditions == conditions


@pytest.mark.parametrize(
    ("text", "interventions"),
    [
        ("nivolumab", ["nivolumab"]),
        ("Keytruda", ["pembrolizumab"]),
        ("pembrolizumab", ["pembrolizumab"]),
        ("un anti-PD-1", ["pd1"]),
        ("anti PD1", ["pd1"]),
        ("inhibiteurs de points de contrôle", ["checkpoint"]),
        ("CAR-T", ["car_t"]),
        ("cellules CAR T", ["car_t"]),
        ("TCR-T", ["tcr_t"]),
        ("un vaccin", ["vaccine"]),
        ("cancer vaccine", ["vaccine"]),
    ],
)
def test_interventions(text: str, interventions: list[str]) -> None:
    assert parse_trial_request(text).interventions == interventions


@pytest.mark.parametrize(
    ("text", "phases"),
    [
        ("phase 1", ["PHASE1"]), ("phase I", ["PHASE1"]), ("Phase II", ["PHASE2"]), ("phase III", ["PHASE3"]),
        ("phase 1/2", ["PHASE1", "PHASE2"]), ("phase I/II", ["PHASE1", "PHASE2"]), ("phase 1b", ["PHASE1"]),
        ("early phase", ["EARLY_PHASE1"]), ("essai de phase précoce", ["EARLY_PHASE1"]),
        ("phases 2 et 3", ["PHASE2", "PHASE3"]), ("phase deux", ["PHASE2"]),
    ],
)
def test_phases(text: str, phases: list[str]) -> None:
    assert parse_trial_request(text).phases == phases


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("j'ai 45 ans", 45.0), ("J’ai 45 ans et un mélanome", 45.0), ("I'm 45", 45.0), ("I am 62 years old", 62.0),
        ("patiente de 70 ans", 70.0), ("mon fils a 8 ans", 8.0), ("my daughter is 18 months old", 1.5),
        ("âgée de 52 ans", 52.0), ("I'm 45 and have melanoma", 45.0),
        ("j'ai 2 enfants", None), ("cancer depuis 3 ans", None), ("diagnosed 3 years ago", None),
        ("il y a 2 ans", None), ("I am 3 weeks after surgery", None), ("phase 2", None),
    ],
)
def test_age(text: str, age: float | None) -> None:
    assert parse_age(text) == age


def test_a_full_french_request() -> None:
    q = parse_trial_request("Bonjour, j'ai 45 ans, un cancer du poumon, y a-t-il des essais d'immunothérapie "
                            "de phase 2 qui recrutent à Paris ?")
    assert q.conditions == ["lung"]
    assert q.phases == ["PHASE2"]
    assert q.statuses == ["RECRUITING"]
    assert q.city == "Paris" and q.country == "France"
    assert q.age == 45.0
    assert q.immunotherapy is True


def test_a_full_english_request() -> None:
    q = parse_trial_request("I'm 62 with melanoma, any recruiting phase I trials with pembrolizumab in France?")
    assert (q.conditions, q.interventions, q.phases, q.statuses, q.country, q.age) == (
        ["melanoma"], ["pembrolizumab"], ["PHASE1"], ["RECRUITING"], "France", 62.0)


@pytest.mark.parametrize(
    "text",
    ["bonjour, je cherche un essai", "au sein de votre équipe", "I have shortness of breath",
     "car t'as vu ça ?", "ne recrute plus"],
)
def test_words_that_only_look_like_criteria_are_ignored(text: str) -> None:
    q = parse_trial_request(text)
    assert (q.conditions, q.interventions, q.statuses) == ([], [], [])


def test_not_yet_recruiting_is_not_recruiting() -> None:
    assert parse_trial_request("essais pas encore ouverts").statuses == ["NOT_YET_RECRUITING"]
    assert parse_trial_request("trials that are not recruiting").statuses == []


def test_institut_curie_is_a_facility() -> None:
    q = parse_trial_request("des essais à l'Institut Curie ?")
    assert q.facility == "Institut Curie"


def test_entities_complete_the_text() -> None:
    entities = [
        {"entity": "condition", "value": "cancer du sein"},
        {"entity": "drug", "value": "sonidegib"},
        {"entity": "phase", "value": "2"},
        {"entity": "location", "value": "Lyon"},
        {"entity": "age", "value": "61"},
        {"entity": "drug", "value": "immunothérapie"},
    ]
    q = parse_trial_request("quels essais ?", entities)
    assert q.conditions == ["breast"]
    assert q.interventions == ["sonidegib"]  # unknown to the lexicon: kept as the patient's word
    assert q.phases == ["PHASE2"]
    assert (q.city, q.country) == ("Lyon", "France")
    assert q.age == 61.0
    assert q.immunotherapy is True


def test_hostile_and_huge_inputs_are_handled_quickly() -> None:
    for text in ["'; DROP TABLE trials; --", "x" * 10_000, "cancer du poumon " * 700, "\x00\ud800" * 100, ""]:
        started = time.perf_counter()
        q = parse_trial_request(text)
        assert time.perf_counter() - started < 1.0
        assert isinstance(q, TrialQuery)
    assert parse_trial_request("cancer du poumon " * 700).conditions == ["lung"]


def test_query_round_trips_through_a_slot() -> None:
    q = parse_trial_request("mélanome phase 2 à Paris, j'ai 45 ans")
    assert TrialQuery.from_dict(q.to_dict()) == q
    assert TrialQuery.from_dict({"conditions": "melanoma", "unknown": 1}).conditions == ["melanoma"]
    assert TrialQuery(age=500).age is None
    assert len(TrialQuery(conditions=["x" * 1000] * 50).conditions[0]) == 200


IDS = ["NCT04956640", "NCT04267848", "NCT05786924"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the second one", "NCT04267848"), ("le deuxième", "NCT04267848"), ("la deuxieme", "NCT04267848"),
        ("2", "NCT04267848"), ("le 2", "NCT04267848"), ("numéro 3", "NCT05786924"), ("#1", "NCT04956640"),
        ("le premier", "NCT04956640"), ("the first one please", "NCT04956640"), ("le dernier", "NCT05786924"),
        ("the last one", "NCT05786924"), ("l'avant-dernier", "NCT04267848"), ("le 3e", "NCT05786924"),
        ("NCT03298893", "NCT03298893"), ("tell me about nct03298893", "NCT03298893"),
        ("le quatrième", None), ("5", None), ("wait a second", None), ("bonjour", None),
        ("j'ai 2 questions", None),
    ],
)
def test_trial_references(text: str, expected: str | None) -> None:
    assert resolve_trial_reference(text, None, IDS) == expected


def test_references_from_entities_and_without_a_list() -> None:
    assert resolve_trial_reference("celui-là", [{"entity": "ordinal", "value": 2}], IDS) == "NCT04267848"
    assert resolve_trial_reference("that one", [{"entity": "mention", "value": "LAST"}], IDS) == "NCT05786924"
    assert resolve_trial_reference("x", [{"entity": "nct_id", "value": "nct05786924"}], []) == "NCT05786924"
    assert resolve_trial_reference("the second one", None, []) is None
    assert resolve_trial_reference("celui-ci", None, ["NCT04956640"]) == "NCT04956640"
    assert resolve_trial_reference("NCT123", None, IDS) is None


@pytest.mark.parametrize(
    ("text", "conditions"),
    [
        ("essais pour le cancer du testicule", ["testicular"]),
        ("testicular cancer trials", ["testicular"]),
        ("un essai pour un séminome ?", ["testicular"]),
        ("mésothéliome pleural", ["mesothelioma"]),
        ("mesothelioma studies", ["mesothelioma"]),
        ("cancer de l'anus", ["anal"]),
        ("tumeur neuroendocrine du pancréas", ["neuroendocrine", "pancreas"]),
        ("cancer des os chez l'enfant", ["bone"]),
        ("blood cancer trials", ["blood_cancer"]),
        ("cancer de l'oesophage", ["esophageal"]),
        ("oesophagus cancer", ["esophageal"]),
        ("cancer du cavum", ["head_neck"]),
        ("cancer des glandes salivaires", ["head_neck"]),
        ("essais pour un cancer de l'œil", ["eye"]),
        ("eye cancer trials", ["eye"]),
        ("syndrome myélodysplasique", ["myelodysplastic"]),
        ("cancer of unknown primary", ["unknown_primary"]),
        ("pseudomyxome péritonéal", ["peritoneal"]),
        ("Waldenström", ["lymphoma"]),
        ("cancer de la trompe de Fallope", ["ovarian"]),
        ("blood tests before the trial", []),  # "tests" is not "testis"
        ("I have breast carcinoma", ["breast"]),  # "carcinoma" is not "carcinoid"
    ],
)
def test_cancer_types_beyond_those_in_the_records(text: str, conditions: list[str]) -> None:
    assert parse_trial_request(text).conditions == conditions


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("is it still open?", "status"),
        ("NCT04318717 still open?", "status"),
        ("il recrute encore ?", "status"),
        ("est-ce qu'il est toujours ouvert ?", "status"),
        ("what phase is it?", "phase"),
        ("c'est quelle phase ?", "phase"),
        ("where is it?", "where"),
        ("où a lieu cet essai ?", "where"),
        ("dans quelles villes ?", "where"),
        ("can I join?", "join"),
        ("est-ce que je peux participer ?", "join"),
        ("phase 2 trials", None),
        ("tell me about NCT04956640", None),
        ("le deuxième", None),
    ],
)
def test_the_one_thing_a_follow_up_asks(text: str, aspect: str | None) -> None:
    assert asked_aspect(text) == aspect


@pytest.mark.parametrize(
    ("text", "conditions"),
    [
        ("essais pour le cancer de l'appendice", ["cancer de l appendice"]),
        ("appendix cancer trials", ["appendix cancer"]),
        ("cancer of the appendix", ["cancer of the appendix"]),
        # no cancer type named: nothing kept
        ("cancer de stade 4", []),
        ("my mother has advanced cancer, any trials?", []),
        ("immunotherapy cancer trials", []),
        ("essais pour le cancer de mon père", []),
        ("trials for cancer patients", []),
        # one word with a tumour suffix: a cancer type, of its family when the lexicon knows it
        ("essais pour le chordome", ["chordome"]),
        ("liposarcome essai", ["sarcoma"]),
        ("oligodendrogliome essais", ["brain"]),
        ("plasmocytome essai", ["myeloma"]),  # in the lexicon: a myeloma
        ("syndrome de lynch essais", []),  # "syndrome" is no tumour
    ],
)
def test_a_cancer_type_missing_from_the_lexicon_is_kept_as_wording(text: str, conditions: list[str]) -> None:
    assert parse_trial_request(text).conditions == conditions
