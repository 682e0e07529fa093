"""`bot inbox ...`: what staff see and the exit codes."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot import cli
from bot.faq.paths import FaqPaths
from bot.inbox import service
from tests.faq.sample import snapshot
from tests.inbox.conftest import DAY, Said, save_conversation


@pytest.fixture(autouse=True)
def in_project(faq: FaqPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(faq.root)


def run(url: str, faq: FaqPaths, *argv: str) -> int:
    return cli.main(["inbox", *argv, "--db", url, "--faq-dir", str(faq.faq_dir), "--root", str(faq.root)])


def item_id(url: str, text: str) -> str:
    return next(i.id for i in service.load_inbox(url).items if i.leader.text == text)


def test_empty_inbox(sqlite_url: str, faq: FaqPaths, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(sqlite_url, faq) == 0
    assert "The inbox is empty" in capsys.readouterr().out
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()  # reading creates nothing


def test_list_then_add_an_example(sqlite_url: str, faq: FaqPaths, capsys: pytest.CaptureFixture[str]) -> None:
    save_conversation(sqlite_url, "sender-secret-1", [Said.missed("can I bring my bike", language="en")])
    save_conversation(sqlite_url, "sender-secret-2", [Said.missed("can i bring my bike?", language="en")])
    assert run(sqlite_url, faq, "list") == 0
    out = capsys.readouterr().out
    item = item_id(sqlite_url, "can I bring my bike")
    assert f"[{item}]  asked 2 times in 2 conversation(s) · EN · not understood" in out
    assert "closest entry: parking" in out and "bot inbox add ITEM ENTRY" in out
    assert "sender-secret" not in out
    assert run(sqlite_url, faq, "add", item, "parking") == 0
    out = capsys.readouterr().out
    assert "Added \"can I bring my bike\" as a English example of 'parking'" in out
    assert "bot faq retrain" in out
    assert "- can I bring my bike" in (faq.faq_dir / "practical.yml").read_text()
    assert run(sqlite_url, faq) == 0
    assert "The inbox is empty" in capsys.readouterr().out


def test_add_refusals(sqlite_url: str, faq: FaqPaths, capsys: pytest.CaptureFixture[str]) -> None:
    save_conversation(sqlite_url, "s1", [Said.missed("Où se garer ?")])
    save_conversation(sqlite_url, "s2", [Said.missed("je m'appelle Paul Martin, y a-t-il une navette ?")])
    # Too short to tell its language, and no language slot to go by.
    save_conversation(sqlite_url, "s3", [Said.missed("ok", language="unknown")])
    before = snapshot(faq)
    assert run(sqlite_url, faq, "add", "nothere1", "parking") == 1
    assert "there is no item 'nothere1'" in capsys.readouterr().err
    garer = item_id(sqlite_url, "Où se garer ?")
    assert run(sqlite_url, faq, "add", garer, "parkingg") == 1
    assert "no FAQ entry 'parkingg'" in capsys.readouterr().err
    assert run(sqlite_url, faq, "add", garer, "wifi") == 1
    assert "also an example of 'parking'" in capsys.readouterr().err
    named = item_id(sqlite_url, "je m'appelle [name], y a-t-il une navette ?")  # stored masked
    assert run(sqlite_url, faq, "add", named, "parking") == 1
    assert "contains personal data" in capsys.readouterr().err
    short = item_id(sqlite_url, "ok")
    assert run(sqlite_url, faq, "add", short, "parking") == 1
    assert "--lang fr or --lang en" in capsys.readouterr().err
    assert snapshot(faq) == before
    assert len(service.load_inbox(sqlite_url).items) == 3  # nothing marked done


def test_dismiss(sqlite_url: str, faq: FaqPaths, capsys: pytest.CaptureFixture[str]) -> None:
    save_conversation(sqlite_url, "s1", [Said.missed("ok")])
    save_conversation(sqlite_url, "s2", [Said.missed("is the chapel open at night", language="en")])
    items = [i.id for i in service.load_inbox(sqlite_url).items]
    assert run(sqlite_url, faq, "dismiss", *items) == 0
    assert capsys.readouterr().out.count("it will not come back") == 2
    assert service.load_inbox(sqlite_url).items == []


def test_new_entry_from_a_file(sqlite_url: str, faq: FaqPaths, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    from tests.faq.test_cli import ENTRY_FILE

    save_conversation(sqlite_url, "s1", [Said.missed("la pharmacie de l'hôpital est où")])
    entry = tmp_path / "entry.yml"
    entry.write_text(ENTRY_FILE, encoding="utf-8")
    item = item_id(sqlite_url, "la pharmacie de l'hôpital est où")
    assert run(sqlite_url, faq, "new", item, "--file", str(entry)) == 0
    assert "Added the entry 'pharmacy' to faq/services.yml" in capsys.readouterr().out
    text = (faq.faq_dir / "services.yml").read_text()
    assert "id: pharmacy" in text and "la pharmacie de l'hôpital est où" in text
    assert service.load_inbox(sqlite_url).items == []


def test_purge(sqlite_url: str, faq: FaqPaths, capsys: pytest.CaptureFixture[str]) -> None:
    save_conversation(sqlite_url, "old", [Said.missed("is the chapel open at night", language="en")],
                      at=time.time() - 200 * DAY)
    save_conversation(sqlite_url, "new", [Said.missed("ok")])
    assert run(sqlite_url, faq, "purge", "--days", "30") == 1
    assert "Add --yes" in capsys.readouterr().err
    assert run(sqlite_url, faq, "purge") == 0
    assert "Deleted 9 event(s) from 1 conversation(s) older than 90 days" in capsys.readouterr().out
    assert [i.leader.text for i in service.load_inbox(sqlite_url).items] == ["ok"]
    assert run(sqlite_url, faq, "purge", "--days", "0") == 1


def test_mistyped_command_exits_2(sqlite_url: str, faq: FaqPaths) -> None:
    with pytest.raises(SystemExit) as exited:
        run(sqlite_url, faq, "dismis", "abc")
    assert exited.value.code == 2
