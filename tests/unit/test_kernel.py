"""One kernel for text and languages, settings read once per entry point, and a model
fingerprint that covers the NLU code: checked on the source, so a second copy cannot creep in."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from bot import text
from bot.runtime import model
from bot.settings import PROJECT_ROOT

SOURCES = sorted(
    path for folder in ("bot", "actions", "bench", "scripts")
    for path in (PROJECT_ROOT / folder).rglob("*.py")
)
KERNEL = PROJECT_ROOT / "bot" / "text.py"
# Where a process starts: the only places that read the settings (bot.settings.load_settings).
ENTRY_POINTS = {
    "bot/cli.py",  # every `bot ...` command, handed to the handlers as args.settings
    "bot/action_server.py",
    "bot/runtime/rasa_server.py",
    "bot/web/__main__.py",
    "bot/console/__main__.py",
    "bench/assistant.py",
    "bench/stack.py",
}


def _relative(path: Path) -> str:
    return path.relative_to(PROJECT_ROOT).as_posix()


def _trees() -> list[tuple[str, ast.AST]]:
    return [(_relative(p), ast.parse(p.read_text(encoding="utf-8"))) for p in SOURCES]


def _calls(tree: ast.AST, names: set[str]) -> list[int]:
    """Lines calling ``name(...)`` or ``x.name(...)`` for a name in ``names``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in names:
                found.append(node.lineno)
    return found


def _unicodedata_folding(tree: ast.AST) -> list[int]:
    """Lines that decompose or strip accents: ``unicodedata.normalize/combining`` (or imported)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "unicodedata" \
                and node.attr in ("normalize", "combining"):
            lines.append(node.lineno)
        if isinstance(node, ast.ImportFrom) and node.module == "unicodedata" \
                and {a.name for a in node.names} & {"normalize", "combining"}:
            lines.append(node.lineno)
    return lines


def test_accents_are_folded_only_by_the_kernel() -> None:
    copies = [f"{name}:{line}" for name, tree in _trees() if name != "bot/text.py"
              for line in _unicodedata_folding(tree)]
    assert copies == []
    assert _unicodedata_folding(ast.parse(KERNEL.read_text(encoding="utf-8")))  # the check sees one


def test_the_language_pair_is_declared_only_by_the_kernel() -> None:
    pairs = []
    for name, tree in _trees():
        if name == "bot/text.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                values = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                if {"fr", "en"} <= values:
                    pairs.append(f"{name}:{node.lineno}")
    assert pairs == []


@pytest.mark.parametrize(
    ("written", "folded"),
    [("Cœur", "coeur"), ("SŒUR", "soeur"), ("ex æquo", "ex aequo"), ("c’est", "c'est"),
     ("Mélanome", "melanome"), ("fièvre à 39", "fievre a 39"), ("PD-1 ?", "pd-1 ?")],
)
def test_one_folding_rule(written: str, folded: str) -> None:
    assert text.fold(written) == folded


def test_the_copies_that_differed_now_agree() -> None:
    from bot import language, safety
    from bot.faq.text import normalize
    from bot.trials.text import fold as trial_fold

    assert safety.fold("mal au cœur") == "mal au coeur"  # the safety rules' spelling
    assert trial_fold("Cœur, l’œil") == "coeur l oeil"
    assert normalize("Ma sœur a-t-elle le droit ?") == normalize("ma soeur a t elle le droit")
    assert language.detect("c’est quoi l’immunothérapie ?") == language.detect("c'est quoi l'immunotherapie ?")


def test_load_settings_is_called_only_at_entry_points() -> None:
    callers = {name for name, tree in _trees() if _calls(tree, {"load_settings"})}
    assert callers - ENTRY_POINTS == set()
    assert "bot/trials/db.py" not in callers  # no more re-reading .env on every trial search


def _bot_imports(path: Path) -> set[Path]:
    """The project's modules ``path`` imports (``from bot.x import y``, ``import bot.x``)."""
    found: set[Path] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        modules = ([node.module] if isinstance(node, ast.ImportFrom) and node.module
                   else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
        for module in modules:
            if module.split(".")[0] == "bot":
                base = PROJECT_ROOT.joinpath(*module.split("."))
                found |= {p for p in (base.with_suffix(".py"), base / "__init__.py") if p.is_file()}
    return found


def test_the_model_fingerprint_covers_the_code_the_pipeline_runs() -> None:
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    components = [c["name"] for c in config["pipeline"] if c["name"].startswith("bot.")]
    todo = [PROJECT_ROOT.joinpath(*name.split(".")[:-1]).with_suffix(".py") for name in components]
    assert all(path.is_file() for path in todo), todo
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo.extend(_bot_imports(path))
    covered = set(model._files(list(model.PIPELINE_CODE)))
    assert {_relative(p) for p in seen - covered if p.name != "__init__.py"} == set()


def test_any_of_keeps_each_pattern_whole() -> None:
    either = text.any_of([r"^a|b$", r"c"])
    assert either.pattern == "(?:^a|b$)|(?:c)"
    assert [bool(either.search(s)) for s in ("ax", "xb", "xcx", "xax")] == [True, True, True, False]


def test_patterns_are_joined_only_by_any_of() -> None:
    copy = '"|".join(f"(?:{'
    copies = [_relative(p) for p in SOURCES if p != KERNEL and copy in p.read_text(encoding="utf-8")]
    assert copies == []
    assert copy in KERNEL.read_text(encoding="utf-8")  # the check sees the one
