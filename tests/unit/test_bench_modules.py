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
