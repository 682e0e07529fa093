from __future__ import annotations

from pathlib import Path

import pytest

from bot.faq.paths import FaqPaths
from tests.faq.sample import make_faq


@pytest.fixture
def faq(tmp_path: Path) -> FaqPaths:
    """A valid sample FAQ in a temporary folder (never the project's faq/)."""
    return make_faq(tmp_path / "project")
