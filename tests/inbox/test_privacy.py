"""What staff see of a message: the question, without the person."""
from __future__ import annotations

import pytest

from bot.inbox.privacy import has_personal_data, mask


@pytest.mark.parametrize(
    "text, shown",
    [
        ("Bonjour, je m'appelle Marie Dupont et j'ai une question", "Bonjour, je m'appelle [name] et j'ai une question"),
        ("je m'appelle paul, la cafétéria ouvre quand", "je m'appelle [name], la cafétéria ouvre quand"),
        ("My name is John Smith, where can I park?", "My name is [name], where can I park?"),
        ("Mme dupont est hospitalisée, peut-on la voir ?", "Mme [name] est hospitalisée, peut-on la voir ?"),
        ("le Dr House m'a parlé d'un essai", "le Dr [name] m'a parlé d'un essai"),
        ("Mon mari Jean-Pierre a un rendez-vous", "Mon mari [name] a un rendez-vous"),
        ("écrivez-moi à marie.dupont@example.fr", "écrivez-moi à [email]"),
        ("rappelez-moi au 06 12 34 56 78", "rappelez-moi au [phone]"),
        ("call me on +44 20 7946 0958", "call me on [phone]"),
        ("mon dossier est le 20231234567", "mon dossier est le [number]"),
        ("NIR 1 85 05 78 006 084 36", "NIR [number]"),
        ("je suis née le 12/03/1965", "je suis née le [date]"),
        ("voir https://example.org/patient?id=42", "voir [link]"),
    ],
)
def test_personal_data_is_masked(text: str, shown: str) -> None:
    assert mask(text) == shown
    assert has_personal_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "bonjour madame, je voudrais savoir où se garer",
        "mon mari a de la fièvre",
        "l'essai NCT01234567 recrute-t-il ?",
        "en cas d'urgence j'appelle le 15 ou le 112 ?",
        "le centre a ouvert en 2018 ?",
        "what is immunotherapy",
    ],
)
def test_ordinary_text_is_kept(text: str) -> None:
    assert mask(text) == text
    assert not has_personal_data(text)
