"""The action server registers exactly the custom actions the domain names."""
from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

from bot.settings import PROJECT_ROOT


def domain_actions() -> set[str]:
    names: set[str] = set()
    for path in sorted(Path(PROJECT_ROOT / "domain").glob("*.yml")):
        names |= set(yaml.safe_load(path.read_text(encoding="utf-8")).get("actions") or [])
    return names


def test_every_domain_action_is_served_and_nothing_else() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")  # as `python -m rasa_sdk --actions actions` does
    assert set(executor.actions) == domain_actions()
