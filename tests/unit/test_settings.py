"""Settings from the environment and .env: parsed as a shell would, bad values in one line."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import SettingsError
from bot.settings import PROJECT_ROOT, _load_dotenv, load_settings


def test_dotenv_comments_export_and_quotes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("CURIE_A", "CURIE_B", "CURIE_C", "CURIE_D"):
        monkeypatch.delenv(key, raising=False)
    env = tmp_path / ".env"
    env.write_text('CURIE_A=v # a note\nexport CURIE_B=exported\nCURIE_C="quoted # kept"\n# CURIE_D=no\n')
    monkeypatch.setenv("CURIE_B", "from the environment")  # the environment wins
    _load_dotenv(env)
    assert os.environ["CURIE_A"] == "v"
    assert os.environ["CURIE_B"] == "from the environment"
    assert os.environ["CURIE_C"] == "quoted # kept"
    assert "CURIE_D" not in os.environ and "export CURIE_B" not in os.environ


def test_a_port_that_is_not_a_number_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_PORT", "abc")
    with pytest.raises(SettingsError, match=r"^WEB_PORT='abc' is not a whole number: fix it in \.env"):
        load_settings()


def test_bot_run_with_a_bad_setting_says_so_without_a_traceback() -> None:
    env = {**os.environ, "RASA_PORT": "50o5"}
    done = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: RASA_PORT='50o5' is not a whole number: fix it in .env or the environment (default 5005)"]
