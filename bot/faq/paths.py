"""Where the FAQ sources are and where the generated Rasa files go.

The defaults are the project's own folders; tests and dry runs point them at a copy.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.faq.model import FAQ_DIR, shown_path
from bot.settings import PROJECT_ROOT


@dataclass(frozen=True)
class FaqPaths:
    faq_dir: Path = FAQ_DIR
    root: Path = PROJECT_ROOT  # project whose nlu_data/ and domain/ receive the generated files
    shown_dir: str | None = None  # how faq_dir is named in messages (defaults to its path)

    @property
    def nlu_dir(self) -> Path:
        """Generated NLU examples, one file per topic."""
        return self.root / "nlu_data" / "faq"

    @property
    def domain_file(self) -> Path:
        return self.root / "domain" / "faq.yml"

    @property
    def other_nlu_dir(self) -> Path:
        """Hand-written training data of the other intents (greet, trials...)."""
        return self.root / "nlu_data"

    @property
    def shown(self) -> str:
        return self.shown_dir or shown_path(self.faq_dir)

    @property
    def is_project(self) -> bool:
        """True for the project's own FAQ (the one the trained model is built from)."""
        return self.faq_dir.resolve() == FAQ_DIR.resolve() and self.root.resolve() == PROJECT_ROOT.resolve()
