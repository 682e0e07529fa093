"""``bot staff add-user``: the password is read, never printed, and stored as an argon2 hash."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.console import store


def test_add_user_hashes_the_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    monkeypatch.setenv("STAFF_DATABASE_URL", url)
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough secret\n"))
    assert main(["staff", "add-user", "zoe", "--role", "reviewer"]) == 0
    out = capsys.readouterr()
    assert "Added zoe (reviewer)" in out.out and "secret" not in out.out + out.err
    with store.open_store(url).begin() as conn:
        row = conn.execute(select(store.users)).one()
    assert row.password_hash.startswith("$argon2id$") and "secret" not in row.password_hash
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["staff", "add-user", "zed", "--role", "editor"]) == 1
    assert "at least 10 characters" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough secret\n"))
    assert main(["staff", "add-user", "zoe", "--role", "editor"]) == 1
    assert "already a user 'zoe'" in capsys.readouterr().err
    assert main(["staff", "users"]) == 0
    assert "zoe" in capsys.readouterr().out
