"""``bot trials ...`` through the real ``bot.cli.main``: output and exit codes."""
from __future__ import annotations

import csv
import json

import pytest

from bot import cli as bot_cli
from bot.trials import cli as trials_cli
from bot.trials import migrate
from bot.trials.seed import DATA_DIR, ensure_ready


@pytest.fixture
def bot(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    # Only this area's commands.
    monkeypatch.setattr(bot_cli, "COMMANDS", (trials_cli,))

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = bot_cli.main(list(argv))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_seed_list_show_search(bot, factory) -> None:
    url = factory.new_url()
    code, out, err = bot("trials", "--db", url, "list")
    assert code == 1 and "run `bot trials upgrade`" in err

    code, out, _ = bot("trials", "--db", url, "seed")
    assert code == 0 and "34 imported" in out
    code, out, _ = bot("trials", "--db", url, "seed")
    assert code == 0 and "already holds 34 trial(s)" in out

    code, out, _ = bot("trials", "--db", url, "list")
    assert code == 0 and "34 trial(s)" in out and "NCT04956640" in out

    code, out, _ = bot("trials", "show", "--db", url, "nct04956640", "--lang", "fr")
    assert code == 0 and "Recrute (statut tel qu'enregistré au registre le 14 novembre 2025)" in out
    assert "EUDRACT 2021-000595-12" in out and "Status history: (first import) -> RECRUITING" in out

    code, out, _ = bot("trials", "--db", url, "search", "cancer", "du", "poumon", "--recruiting", "--country", "France")
    assert code == 0 and "NCT04956640" in out and "1 match(es)" in out
    code, out, _ = bot("trials", "--db", url, "search", "sonidegib")
    assert code == 0 and "NCT01125800" in out and "1 match(es)" in out
    code, out, _ = bot("trials", "--db", url, "search", "mélanome", "--page", "2", "--page-size", "2")
    assert code == 0 and "5 match(es); page 2 of 3" in out


def test_flags_and_export(bot, factory, tmp_path) -> None:
    url = factory.new_url()
    ensure_ready(url)
    assert bot("trials", "--db", url, "feature", "NCT00184067")[0] == 0
    assert bot("trials", "--db", url, "hide", "NCT06970236", "NCT04318717")[0] == 0
    code, out, _ = bot("trials", "--db", url, "search", "melanoma")
    assert code == 0 and "3 match(es)" in out
    assert out.splitlines()[2].startswith("NCT00184067  F-I")  # featured first
    code, out, _ = bot("trials", "--db", url, "search", "melanoma", "--include-hidden")
    assert "5 match(es)" in out
    code, _, err = bot("trials", "--db", url, "unhide", "NCT06970236", "NCT99999999")
    assert code == 1 and "NCT99999999" in err

    target = tmp_path / "out.csv"
    code, _, err = bot("trials", "--db", url, "export", "--format", "csv", "--out", str(target))
    assert code == 0 and "exported 34 trial(s)" in err
    rows = {r["nct_id"]: r for r in csv.DictReader(target.open(encoding="utf-8"))}
    assert len(rows) == 34 and rows["NCT00184067"]["featured"] == "True" and rows["NCT04318717"]["hidden"] == "True"
    assert rows["NCT04956640"]["countries"] == "United States; Japan; Australia; France; South Korea; Canada"

    code, out, _ = bot("trials", "--db", url, "export")
    data = json.loads(out)
    assert code == 0 and len(data) == 34
    lilly = next(t for t in data if t["nct_id"] == "NCT04956640")
    assert lilly["url"] == "https://clinicaltrials.gov/study/NCT04956640" and len(lilly["sites"]) == 49


def test_import_exit_codes(bot, factory, write_json, record_of) -> None:
    url = factory.new_url()
    good = DATA_DIR / "NCT04956640.json"
    code, out, _ = bot("trials", "--db", url, "import", str(good))
    assert code == 0 and "1 imported" in out
    bad = write_json("bad.json", "{not json")
    code, out, _ = bot("trials", "--db", url, "import", str(bad), str(DATA_DIR / "NCT05786924.json"))
    assert code == 3 and "1 imported" in out and "bad.json" in out and "not valid JSON" in out
    code, out, _ = bot("trials", "--db", url, "import", str(bad))
    assert code == 1
    code, _, err = bot("trials", "--db", url, "import", str(bad.parent / "empty-dir"))
    assert code == 1
    (bad.parent / "no-json").mkdir()
    code, _, err = bot("trials", "--db", url, "import", str(bad.parent / "no-json"))
    assert code == 1 and "no .json file" in err


def test_usage_errors(bot, factory) -> None:
    url = factory.new_url()
    assert migrate.upgrade(url) == migrate.head_revision()
    code, _, err = bot("trials", "--db", url, "show", "12345")
    assert code == 2 and "not an NCT number" in err
    code, _, err = bot("trials", "--db", url, "show", "NCT00000000")
    assert code == 1 and "not in the trial store" in err
    assert bot("trials", "--db", url, "frobnicate")[0] == 2
    assert bot("trials", "--db", url, "export", "--format", "xml")[0] == 2
    assert bot("trials", "--db", url, "search", "x", "--page", "0")[0] == 2


def test_upgrade_and_unreachable_store(bot, factory) -> None:
    url = factory.new_url()
    code, out, _ = bot("trials", "--db", url, "upgrade")
    assert code == 0 and f"schema revision {migrate.head_revision()}" in out
    code, _, err = bot("trials", "--db", "postgresql+psycopg2://postgres:pw@127.0.0.1:1/x", "seed")
    assert code == 1 and err.startswith("error: trial store") and "pw" not in err.replace("postgres", "")


def test_ensure_ready_migrates_and_seeds_once(factory) -> None:
    url = factory.new_url()
    report = ensure_ready(url)
    assert report is not None and len(report.imported) == 34 and report.ok
    assert str(report).startswith("34 file(s): 34 imported, 0 updated, 0 unchanged, 0 skipped")
    assert ensure_ready(url) is None
