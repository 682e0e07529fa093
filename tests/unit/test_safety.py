"""Rules that must not depend on the statistical model: urgency, advice requests, bad input."""
import pytest

from bot.safety import MAX_MESSAGE_CHARS, asks_medical_advice, is_urgent, unusable_input

URGENT = [
    "j'ai 39 de fièvre depuis ce matin",
    "J'ai une forte fievre apres ma perfusion",
    "mon mari ne peut plus respirer",
    "je n'arrive plus a respirer",
    "j'ai mal à la poitrine",
    "ma mère a fait un malaise",
    "j'ai la diarrhée depuis 3 jours",
    "I have chest pain",
    "i cant breathe",
    "my wife fainted",
    "i've had diarrhea 8 times today",
    "I'm really short of breath",
    "my dad is confused and doesn't recognise me",
    # urgency wins even inside another question
    "Bonjour, je suis sous pembrolizumab et j'ai 40 de fièvre, y a-t-il un essai pour le mélanome ?",
]
NOT_URGENT = [
    "quels sont les effets secondaires",
    "can immunotherapy cause a high fever?",  # a general question
    "la fièvre est-elle un effet secondaire",
    "je n'ai pas de forte fièvre",  # negated
    "I don't have chest pain",
    "I have no fever and no chest pain",
    "is there a trial for melanoma",
    "I fit the criteria?",
    "my father has lung cancer, is there a trial",
]


@pytest.mark.parametrize("text", URGENT)
def test_urgent_symptoms_are_recognised(text: str) -> None:
    assert is_urgent(text)


@pytest.mark.parametrize("text", NOT_URGENT)
def test_general_questions_are_not_urgent(text: str) -> None:
    assert not is_urgent(text)


@pytest.mark.parametrize(
    "text",
    [
        "est-ce que je dois arrêter mon traitement",
        "ma dose est-elle la bonne",
        "est-ce que je vais guérir",
        "should I stop my treatment",
        "will i survive",
        "can I take ibuprofen with my immunotherapy",
        "puis-je prendre du doliprane entre deux cures ?",
        "mon mari doit-il continuer le keytruda",
    ],
)
def test_advice_requests_are_recognised(text: str) -> None:
    assert asks_medical_advice(text)


@pytest.mark.parametrize(
    "text",
    [
        "quels sont les effets secondaires",
        "can i take part in this trial",
        "peut-on arrêter un essai en cours de route",  # leaving a trial: the FAQ answers
        "does immunotherapy replace chemotherapy",
        "what are the inclusion criteria",
    ],
)
def test_general_questions_are_not_advice_requests(text: str) -> None:
    assert not asks_medical_advice(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("😀😀😀", "empty"),
        ("?!...", "empty"),
        ("a" * (MAX_MESSAGE_CHARS + 1), "too_long"),
        ("Ich möchte wissen, ob es eine Studie gibt", "unsupported_language"),
        ("hello", None),
        ("<script>alert(1)</script>", None),  # answered (by the fallback), shown as text
        ("'; DROP TABLE trials; --", None),
    ],
)
def test_unusable_input(text: str, reason: str | None) -> None:
    assert unusable_input(text) == reason
