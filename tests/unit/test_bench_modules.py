"""Every bench module imports: `make bench` runs after the suite, so a module moved under a
bench (``bot.launcher`` -> ``bot.runtime.launcher``) would otherwise only fail there."""
from __future__ import annotations

import importlib

import pytest

from bot.settings import PROJECT_ROOT

BENCH_MODULES = sorted(p.stem for p in (PROJECT_ROOT / "bench").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("name", BENCH_MODULES)
def test_the_bench_module_imports(name: str) -> None:
    importlib.import_module(f"bench.{name}")


def test_the_massive_bench_measures_the_classifier_of_the_production_config(tmp_path) -> None:
    # every component that relabels the classifier's guess afterwards is left out, the
    # featurizers and the classifier are kept, and no policy is trained
    from rasa.shared.utils.io import read_yaml_file

    from bench.massive import prepare_config

    out = tmp_path / "config.yml"
    dropped = prepare_config(PROJECT_ROOT / "config.yml", out, epochs=None, keep_all=False)
    kept = [c["name"] for c in read_yaml_file(str(out))["pipeline"]]
    assert {"FallbackClassifier", "bot.nlu.overrides.RuleOverrides",
            "bot.nlu.answerability.AnswerabilityCheck"} <= set(dropped)
    assert "bot.nlu.intent_classifier.LinearIntentClassifier" in kept
    assert not set(dropped) & set(kept)
    assert read_yaml_file(str(out))["policies"] == []
