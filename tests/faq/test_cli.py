"""`bot faq ...` on a temporary FAQ: what staff see, and the exit codes scripts rely on."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import cli
from bot.faq import cli as faq_cli
from bot.faq.paths import FaqPaths
from bot.runtime.launcher import free_port
from tests.faq.rasa_stub import rasa_stub
from tests.faq.sample import change_entry, snapshot

TOKEN = "test-token-for-the-stub"


@pytest.fixture(autouse=True)
def in_project(faq: FaqPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are named relative to the current folder, as staff see them ("faq/center.yml")."""
    monkeypatch.chdir(faq.root)


def run(faq: FaqPaths, *argv: str) -> int:
    """`bot faq <argv>` on the sample FAQ."""
    return cli.main(["faq", *argv, "--faq-dir", str(faq.faq_dir), "--root", str(faq.root)])


def test_validate_exit_codes(faq: FaqPaths, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(faq, "validate") == 0
    assert "The FAQ is valid." in capsys.readouterr().out
    change_entry(faq, "practical.yml", "cafeteria", lambda e: e["answer"].pop("fr"))
    assert run(faq, "validate") == 1
    out = capsys.readouterr().out
    assert "ERROR   faq/practical.yml, entry 'cafeteria': the French answer is missing" in out
    assert "Fix: under 'answer:', add 'fr: >-'" in out


def test_validate_strict_fails_on_warnings(faq: FaqPaths, capsys: pytest.CaptureFixture[str]) -> None:
    change_entry(faq, "services.yml", "wifi", lambda e: e.update(review_by=dt.date(2020, 1, 1)))
    assert run(faq, "validate") == 0
    assert run(faq, "validate", "--strict") == 1
    assert "WARNING faq/services.yml, entry 'wifi': the review date (2020-01-01) has passed" in capsys.readouterr().out


def test_list_and_show(faq: FaqPaths, capsys: pytest.CaptureFixture[str]) -> None:
    change_entry(faq, "services.yml", "wifi", lambda e: e.update(review_by=dt.date(2020, 1, 1)))
    assert run(faq, "list") == 0
    out = capsys.readouterr().out
    assert "practical: Practical / Pratique (faq/practical.yml)" in out
    assert "wifi" in out and "5 FR / 5 EN examples" in out and "review date passed" in out
    assert "3 entries in 2 topic(s)." in out
    assert run(faq, "show", "parking") == 0
    out = capsys.readouterr().out
    assert "parking  (faq/practical.yml, topic 'practical')" in out and "  - où se garer" in out


def test_show_unknown_entry(faq: FaqPaths, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(faq, "show", "parkin") == 1
    assert "there is no entry 'parkin'. Did you mean 'parking'?" in capsys.readouterr().err


def test_review_lists_entries_past_their_date(faq: FaqPaths, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(faq, "review") == 0
    assert "No entry is past its review date." in capsys.readouterr().out
    change_entry(faq, "services.yml", "wifi", lambda e: e.update(review_by=dt.date(2020, 1, 1)))
    assert run(faq, "review") == 0
    out = capsys.readouterr().out
    assert "PAST  wifi" in out and "faq/services.yml" in out and "cafeteria" not in out
    assert run(faq, "review", "--within", "400") == 0
    assert "soon  cafeteria" in capsys.readouterr().out


def test_build_and_check(faq: FaqPaths, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(faq, "build", "--check") == 1  # nothing generated yet
    assert not faq.domain_file.exists()
    assert run(faq, "build") == 0
    assert faq.domain_file.is_file() and (faq.nlu_dir / "services.yml").is_file()
    assert run(faq, "build", "--check") == 0
    assert "already up to date" in capsys.readouterr().out


def test_build_refuses_errors(faq: FaqPaths, capsys: pytest.CaptureFixture[str]) -> None:
    change_entry(faq, "practical.yml", "parking", lambda e: e["answer"].update(en="Call 01 44 32 40 00."))
    assert run(faq, "build") == 1
    captured = capsys.readouterr()
    assert "phone number ('01 44 32 40 00')" in captured.out
    assert "nothing was generated" in captured.err
    assert not faq.domain_file.exists()


ENTRY_FILE = """\
topic: services
id: pharmacy
source:
  document: "réponse rédigée pour cet assistant"
  date: "novembre 2026"
review_by: 2030-01-31
answer:
  fr: "Votre équipe soignante vous indiquera où obtenir vos médicaments."
  en: "Your care team will tell you where to get your medicines."
examples:
  fr: [y a-t-il une pharmacie, où acheter mes médicaments, pharmacie dans l'hôpital, je cherche la pharmacie, ordonnance à préparer]
  en: [is there a pharmacy, where can i buy my medicines, pharmacy in the hospital, i am looking for the pharmacy, prescription to fill]
"""


def test_add_from_a_file(faq: FaqPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry = tmp_path / "entry.yml"
    entry.write_text(ENTRY_FILE, encoding="utf-8")
    assert run(faq, "add", "--file", str(entry)) == 0
    assert "Added the entry 'pharmacy' to faq/services.yml." in capsys.readouterr().out
    assert run(faq, "show", "pharmacy") == 0
    assert run(faq, "validate") == 0


def test_add_refuses_an_unsafe_entry(faq: FaqPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry = tmp_path / "entry.yml"
    entry.write_text(ENTRY_FILE.replace("où obtenir vos médicaments.", "de prendre 500 mg."), encoding="utf-8")
    before = snapshot(faq)
    assert run(faq, "add", "--file", str(entry)) == 1
    err = capsys.readouterr().err
    assert "Nothing was changed" in err and "'500 mg'" in err and "entry 'pharmacy'" in err
    assert snapshot(faq) == before


def test_add_needs_a_topic(faq: FaqPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry = tmp_path / "entry.yml"
    entry.write_text(ENTRY_FILE.replace("topic: services\n", ""), encoding="utf-8")
    assert run(faq, "add", "--file", str(entry)) == 1
    assert "--topic NAME" in capsys.readouterr().err


def scripted(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> Iterator[str]:
    lines = iter(answers)

    def fake_input(prompt: str = "") -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    return lines


def test_add_interactively(faq: FaqPaths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    scripted(monkeypatch, [
        "2",  # topic: services
        "Pharmacy",  # not a valid id: asked again
        "pharmacy",
        "Prenez 2 comprimés par jour.", "",  # unsafe: asked again
        "Votre équipe soignante vous indiquera où obtenir vos médicaments.", "",
        "Your care team will tell you where to get your medicines.", "",
        "y a-t-il une pharmacie", "où se garer", "où acheter mes médicaments", "",  # 'où se garer' is parking's
        "pharmacie dans l'hôpital", "je cherche la pharmacie", "ordonnance à préparer", "",
        "is there a pharmacy", "where can i buy my medicines", "pharmacy in the hospital",
        "i am looking for the pharmacy", "prescription to fill", "",
        "réponse rédigée pour cet assistant", "novembre 2026", "",
    ])
    assert run(faq, "add") == 0
    out = capsys.readouterr().out
    assert "Not allowed: the answer gives a dose" in out
    assert "'où se garer' is already an example of 'parking': not added." in out
    assert "Added the entry 'pharmacy' to faq/services.yml." in out
    assert run(faq, "validate") == 0


def test_add_interactively_stopped_early(faq: FaqPaths, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    scripted(monkeypatch, ["1", "pharmacy"])
    before = snapshot(faq)
    assert run(faq, "add") == 1
    assert "nothing was changed" in capsys.readouterr().err
    assert snapshot(faq) == before


def test_mistyped_command_exits_2(faq: FaqPaths) -> None:
    with pytest.raises(SystemExit) as exited:
        run(faq, "valdate")
    assert exited.value.code == 2


# -- retrain ---------------------------------------------------------------------------------


@pytest.fixture
def fake_training(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[FaqPaths]:
    """Training replaced by a model file that appears at once; records the calls."""
    calls: list[FaqPaths] = []
    model = tmp_path / "models" / "curie-new.tar.gz"

    def train(paths: FaqPaths) -> tuple[Path, bool]:
        calls.append(paths)
        model.parent.mkdir(exist_ok=True)
        model.write_bytes(b"model")
        return model, True

    monkeypatch.setattr(faq_cli, "train_model", train)
    monkeypatch.setenv("BOT_HOST", "127.0.0.1")
    monkeypatch.setenv("RASA_AUTH_TOKEN", TOKEN)
    return calls


def test_retrain_when_the_assistant_is_not_running(
    faq: FaqPaths, fake_training: list[FaqPaths], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("RASA_PORT", str(free_port()))
    assert run(faq, "retrain") == 0
    out = capsys.readouterr().out
    assert len(fake_training) == 1 and faq.domain_file.is_file()
    assert "Trained a new model" in out and "The assistant is not running" in out


def test_retrain_loads_the_model_into_the_running_assistant(
    faq: FaqPaths, fake_training: list[FaqPaths], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with rasa_stub(TOKEN) as stub:
        monkeypatch.setenv("RASA_PORT", str(stub.port))
        assert run(faq, "retrain") == 0
    put = [r for r in stub.requests if r[0] == "PUT"]
    assert len(put) == 1
    method, path, body, full_path = put[0]
    assert path == "/model" and full_path.endswith(f"?token={TOKEN}")
    assert body is not None and body["model_file"].endswith("curie-new.tar.gz") and Path(body["model_file"]).is_absolute()
    assert "now answers with the new model" in capsys.readouterr().out


def test_retrain_when_the_model_is_already_loaded(
    faq: FaqPaths, fake_training: list[FaqPaths], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with rasa_stub(TOKEN, model_file="/somewhere/curie-new.tar.gz") as stub:
        monkeypatch.setenv("RASA_PORT", str(stub.port))
        assert run(faq, "retrain") == 0
    assert not [r for r in stub.requests if r[0] == "PUT"]
    assert "already uses this model" in capsys.readouterr().out


@pytest.mark.parametrize(
    "token, put_status, message",
    [
        ("another-token", 204, "refused the request"),
        (TOKEN, 500, "could not load the new model (HTTP 500"),
    ],
)
def test_retrain_says_when_the_running_assistant_cannot_load_it(
    faq: FaqPaths, fake_training: list[FaqPaths], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], token: str, put_status: int, message: str,
) -> None:
    with rasa_stub(token, put_status=put_status) as stub:
        monkeypatch.setenv("RASA_PORT", str(stub.port))
        assert run(faq, "retrain") == faq_cli.EXIT_NOT_LOADED
    out = capsys.readouterr().out
    assert message in out and "restart it" in out.lower()


def test_retrain_stops_on_errors_before_training(
    faq: FaqPaths, fake_training: list[FaqPaths], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("RASA_PORT", str(free_port()))
    change_entry(faq, "services.yml", "wifi", lambda e: e["examples"].update(en=["wifi"]))
    assert run(faq, "retrain") == 1
    assert fake_training == [] and not faq.domain_file.exists()
    assert "nothing was changed" in capsys.readouterr().err


def test_retrain_refuses_another_faq_folder(faq: FaqPaths, capsys: pytest.CaptureFixture[str]) -> None:
    """The model is trained from the project's own data: a copy can't be retrained for real."""
    assert run(faq, "retrain") == 1
    assert "project's own faq/ folder only" in capsys.readouterr().err
