"""Validation catches each class of error, and says where it is and how to fix it."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.faq.generate import FaqBuildError, build
from bot.faq.model import FAQ_DIR
from bot.faq.paths import FaqPaths
from bot.faq.problems import Problem, Report
from bot.faq.validate import MIN_EXAMPLES_PER_LANGUAGE, validate
from bot.settings import PROJECT_ROOT
from tests.faq.sample import change_entry


def errors(report: Report) -> list[Problem]:
    return report.errors


def only_error(report: Report, *words: str) -> Problem:
    """The one error whose message contains all ``words``; fails with the whole report."""
    found = [p for p in report.errors if all(w.lower() in p.message.lower() for w in words)]
    assert found, f"no error mentioning {words}:\n{report.render()}"
    return found[0]


def test_the_sample_faq_is_valid(faq: FaqPaths) -> None:
    report = validate(faq)
    assert report.problems == [], report.render()


def test_a_copy_of_the_project_faq_has_no_error(tmp_path: Path) -> None:
    copy = tmp_path / "faq"
    shutil.copytree(FAQ_DIR, copy)
    report = validate(FaqPaths(faq_dir=copy, root=PROJECT_ROOT, shown_dir="faq"))
    assert report.ok, report.render()


# -- missing languages, too few examples -------------------------------------------------------


def test_missing_answer_language(faq: FaqPaths) -> None:
    change_entry(faq, "practical.yml", "cafeteria", lambda e: e["answer"].pop("en"))
    problem = only_error(validate(faq), "English answer is missing")
    assert (problem.file, problem.entry) == ("faq/practical.yml", "cafeteria")
    assert "en:" in problem.fix


def test_missing_examples_language(faq: FaqPaths) -> None:
    change_entry(faq, "services.yml", "wifi", lambda e: e["examples"].pop("fr"))
    problem = only_error(validate(faq), "no French example")
    assert (problem.file, problem.entry) == ("faq/services.yml", "wifi")
    assert "fr:" in problem.fix


def test_too_few_examples(faq: FaqPaths) -> None:
    def keep_three(entry: dict[str, Any]) -> None:
        entry["examples"]["en"] = entry["examples"]["en"][:3]

    change_entry(faq, "practical.yml", "parking", keep_three)
    problem = only_error(validate(faq), "only 3 English")
    assert problem.entry == "parking"
    assert f"add {MIN_EXAMPLES_PER_LANGUAGE - 3} more" in problem.fix


# -- examples shared between entries -----------------------------------------------------------


def test_same_example_under_two_entries(faq: FaqPaths) -> None:
    # Written differently (case, accents, punctuation): still the same question.
    change_entry(faq, "services.yml", "wifi", lambda e: e["examples"]["fr"].append("Où se garer ?"))
    report = validate(faq)
    wifi = only_error(report, "Où se garer ?", "also an example of 'parking'")
    assert wifi.entry == "wifi"
    parking = only_error(report, "où se garer", "also an example of 'wifi'")
    assert parking.entry == "parking" and parking.file == "faq/practical.yml"
    assert "delete it from the other" in wifi.fix


def test_same_example_as_another_intent(faq: FaqPaths) -> None:
    change_entry(faq, "services.yml", "wifi", lambda e: e["examples"]["fr"].append("Bonjour madame"))
    problem = only_error(validate(faq), "'greet' intent")
    assert problem.entry == "wifi" and "nlu_data/conversation.yml" in problem.message


def test_example_closer_to_another_entry_is_a_warning(faq: FaqPaths) -> None:
    change_entry(
        faq, "services.yml", "wifi",
        lambda e: e["examples"]["en"].append("is there a car park for patients near the institute"),
    )
    report = validate(faq)
    assert report.ok, report.render()
    [warning] = [w for w in report.warnings if "closer to the entry" in w.message]
    assert warning.entry == "wifi" and "'parking'" in warning.message
    # Without the similarity check (what `build` runs) there is no such warning.
    assert not [w for w in validate(faq, similarity=False).warnings if "closer" in w.message]


# -- unsafe answers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, words",
    [
        ("La dose habituelle est de 200 mg toutes les trois semaines.", "200 mg"),
        ("Il est dosé à 3 mg/kg.", "3 mg/kg"),
        ("En cas de fièvre, arrêtez votre traitement.", "arretez votre traitement"),
        ("Vous devez arrêter le traitement en cas de fièvre.", "arreter le traitement"),
        ("If you have a fever, you should stop your treatment.", "stop your treatment"),
        ("Appelez le 01 44 32 40 00 pour un rendez-vous.", "phone number"),
        ("Call +33 1 44 32 40 00 to book.", "phone number"),
        ("Appelez le 3114 la nuit.", "'3114'"),
    ],
)
def test_unsafe_answers(faq: FaqPaths, answer: str, words: str) -> None:
    change_entry(faq, "practical.yml", "cafeteria", lambda e: e["answer"].update(fr=answer))
    problem = only_error(validate(faq), words)
    assert problem.entry == "cafeteria" and problem.fix


@pytest.mark.parametrize(
    "answer",
    [
        "En cas d'urgence, appelez le 15 ou le 112.",
        "In an emergency, call 15 (SAMU) or 112.",
        "N'arrêtez jamais votre traitement sans l'avis de votre équipe soignante.",
        "Never stop your treatment without talking to your care team.",
        "Le centre compte 140 médecins sur 1 400 m², depuis 2018.",
    ],
)
def test_safe_answers_pass(faq: FaqPaths, answer: str) -> None:
    change_entry(faq, "practical.yml", "cafeteria", lambda e: e["answer"].update(fr=answer))
    assert validate(faq, similarity=False).ok, validate(faq, similarity=False).render()


# -- what breaks the build ---------------------------------------------------------------------


def test_bad_yaml(faq: FaqPaths) -> None:
    path = faq.faq_dir / "services.yml"
    path.write_text(path.read_text().replace("    review_by:", "  review_by:", 1), encoding="utf-8")
    problem = only_error(validate(faq), "not valid YAML near line")
    assert problem.file == "faq/services.yml" and "indentation" in problem.fix


def test_key_written_twice(faq: FaqPaths) -> None:
    path = faq.faq_dir / "services.yml"
    path.write_text(path.read_text().replace("      en:\n        - is there wifi",
                                             "      fr:\n        - is there wifi", 1))
    problem = only_error(validate(faq), "'fr' appears twice")
    assert "keep only one" in problem.fix


def test_example_that_yaml_reads_as_structure(faq: FaqPaths) -> None:
    path = faq.faq_dir / "services.yml"
    path.write_text(path.read_text().replace("- code wifi", "- code wifi: où le trouver"), encoding="utf-8")
    problem = only_error(validate(faq), "not plain text")
    assert problem.entry == "wifi" and "double quotes" in problem.fix


def test_duplicate_ids_across_files(faq: FaqPaths) -> None:
    path = faq.faq_dir / "services.yml"
    path.write_text(path.read_text().replace("id: wifi", "id: parking"), encoding="utf-8")
    report = validate(faq)
    problems = [p for p in report.errors if "is used by 2 entries" in p.message]
    assert {p.file for p in problems} == {"faq/practical.yml", "faq/services.yml"}
    assert all("faq/practical.yml" in p.message and "faq/services.yml" in p.message for p in problems)


@pytest.mark.parametrize("bad", ["2027-02-30", "next year", "31/01/2027"])
def test_bad_review_date(faq: FaqPaths, bad: str) -> None:
    path = faq.faq_dir / "services.yml"
    text = path.read_text()
    path.write_text(text.replace(f"review_by: {text.split('review_by: ')[1].split()[0]}",
                                 f"review_by: {bad}"), encoding="utf-8")
    problem = only_error(validate(faq), f"'{bad}' is not a valid date")
    assert problem.entry == "wifi" and "YYYY-MM-DD" in problem.fix


def test_missing_review_date(faq: FaqPaths) -> None:
    change_entry(faq, "services.yml", "wifi", lambda e: e.pop("review_by"))
    assert "review_by: YYYY-MM-DD" in only_error(validate(faq), "review date is missing").fix


def test_past_review_date_is_a_warning(faq: FaqPaths) -> None:
    change_entry(faq, "services.yml", "wifi", lambda e: e.update(review_by=dt.date(2020, 1, 31)))
    report = validate(faq)
    assert report.ok
    assert any("2020-01-31" in w.message and w.entry == "wifi" for w in report.warnings)


def test_missing_source(faq: FaqPaths) -> None:
    change_entry(faq, "services.yml", "wifi", lambda e: e.pop("source"))
    report = validate(faq)
    assert "document:" in only_error(report, "source document is missing").fix
    assert "date:" in only_error(report, "date of the source is missing").fix


def test_source_missing_in_one_language(faq: FaqPaths) -> None:
    change_entry(faq, "practical.yml", "parking", lambda e: e["source"]["document"].pop("en"))
    assert only_error(validate(faq), "source document is missing (English)").entry == "parking"


def test_unknown_field(faq: FaqPaths) -> None:
    path = faq.faq_dir / "services.yml"
    path.write_text(path.read_text().replace("    examples:", "    exemples:"), encoding="utf-8")
    problem = only_error(validate(faq), "unknown field 'exemples'")
    assert "Did you mean 'examples'?" in problem.fix


def test_brackets_in_examples(faq: FaqPaths) -> None:
    change_entry(faq, "services.yml", "wifi", lambda e: e["examples"]["en"].append("wifi [code](x)"))
    assert only_error(validate(faq), "contains [ ]").entry == "wifi"


def test_every_error_names_file_entry_and_fix(faq: FaqPaths) -> None:
    change_entry(faq, "practical.yml", "cafeteria", lambda e: (e["answer"].pop("en"), e.pop("source")))
    change_entry(faq, "services.yml", "wifi", lambda e: e["examples"].update(en=["wifi"]))
    report = validate(faq)
    assert len(report.errors) >= 4
    for problem in report.errors:
        assert problem.file.startswith("faq/") and problem.entry and problem.fix
        assert problem.render().startswith(f"ERROR   {problem.file}, entry '{problem.entry}':")


def test_build_refuses_an_invalid_faq_and_writes_nothing(faq: FaqPaths) -> None:
    change_entry(faq, "practical.yml", "cafeteria", lambda e: e["answer"].update(en="Take 2 tablets a day."))
    with pytest.raises(FaqBuildError) as raised:
        build(faq.faq_dir, root=faq.root)
    assert "2 tablets" in str(raised.value) and "cafeteria" in str(raised.value)
    assert not faq.nlu_dir.exists() and not faq.domain_file.exists()


def test_file_and_entry_problems_in_the_same_file(faq: FaqPaths) -> None:
    path = faq.faq_dir / "services.yml"
    path.write_text("author: me\n" + path.read_text().replace("      date: \"2026\"\n", ""), encoding="utf-8")
    report = validate(faq)
    assert [(p.file, p.entry) for p in report.errors] == [
        ("faq/services.yml", None), ("faq/services.yml", "wifi"), ("faq/services.yml", "wifi"),
    ], report.render()
    assert "unknown field 'author' at the top of the file" in report.errors[0].message


def test_swapped_languages_are_a_warning(faq: FaqPaths) -> None:
    def swap(entry: dict[str, Any]) -> None:
        entry["answer"]["fr"], entry["answer"]["en"] = entry["answer"]["en"], entry["answer"]["fr"]
        entry["examples"]["fr"], entry["examples"]["en"] = entry["examples"]["en"], entry["examples"]["fr"]

    change_entry(faq, "practical.yml", "cafeteria", swap)
    report = validate(faq)
    assert report.ok
    messages = [w.message for w in report.warnings if w.entry == "cafeteria"]
    assert "the French answer looks written in English" in messages
    assert any(m.startswith("most English examples look written in French") for m in messages)
