"""The package itself: importable without any database, public API where the docs say."""
from __future__ import annotations

import importlib
import pkgutil

import bot.trials
from bot.trials import db


def test_importing_every_module_opens_no_database() -> None:
    db.dispose_all()
    for module in pkgutil.walk_packages(bot.trials.__path__, "bot.trials."):
        if ".migrations." in module.name and not module.name.endswith("versions"):
            continue  # revision scripts and env.py run inside Alembic only
        importlib.import_module(module.name)
    assert db._engines == {}


def test_public_api_is_reachable_from_the_package() -> None:
    for name in bot.trials.__all__:
        assert getattr(bot.trials, name) is not None
    assert bot.trials.parse_trial_request("mélanome").conditions == ["melanoma"]


def test_migrations_and_data_ship_inside_the_package() -> None:
    from bot.trials.migrate import MIGRATIONS_DIR, head_revision
    from bot.trials.seed import DATA_DIR, bundled_files

    assert MIGRATIONS_DIR.is_relative_to(DATA_DIR.parent) and head_revision() == "0003"
    assert len(bundled_files()) == 34 and (DATA_DIR / "manifest.json").is_file()
