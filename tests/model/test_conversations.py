"""Conversation tests through the trained model (tests/stories), in French and English."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.runtime.model import rasa_env, rasa_executable
from bot.settings import PROJECT_ROOT


def test_test_stories_pass(trained_model: Path, tmp_path: Path) -> None:
    completed = subprocess.run(
        [rasa_executable(), "test", "core", "--model", str(trained_model),
         "--stories", str(PROJECT_ROOT / "tests" / "stories"), "--out", str(tmp_path),
         "--fail-on-prediction-errors"],
        cwd=PROJECT_ROOT, env=rasa_env(), capture_output=True, text=True, timeout=900,
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.is_file() else completed.stdout[-4000:] + completed.stderr[-4000:]
    if completed.returncode != 0:
        pytest.fail(f"conversation tests failed:\n{details}")
