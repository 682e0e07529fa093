"""The import structure of our code (bot/, actions/), read from the source with ``ast``.

- no import cycle among our modules, counting the imports inside functions too (a cycle
  hidden in a function is still a cycle: it only fails later, at the first call);
- an import of our own module inside a function needs a measured reason, listed below;
- no module loaded by name (``importlib.import_module``, ``__import__``): imports are plain
  (one measured exception, listed below).

Imports under ``if TYPE_CHECKING:`` run for the type checker only and are not counted.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "actions")

# (importing module, imported module) -> why the import waits for the function.
IN_FUNCTION_IMPORTS = {
    ("bot.runtime.rasa_server", "bot.conversation_store"):
        "imports Rasa (2.4 s); the launcher imports rasa_server for TOKEN_VARIABLE",
    ("bot.runtime.rasa_server", "bot.channels"):
        "imports Rasa's channels (2+ s); the launcher imports rasa_server for TOKEN_VARIABLE",
    ("bot.runtime.rasa_server", "bot.language"):
        "the language identifiers (lingua, ~100 MB): not for the launcher, which imports rasa_server for TOKEN_VARIABLE",
    ("bot.runtime.rasa_server", "bot.http_guard"):
        "rasa_server.py is being changed by the Rasa patches work (issue 9 item 2): move after merge",
    ("bot.trials.cli", "bot.trials.sync"):
        "the registry client (requests, 1.6 s): `bot --help` and the other trial commands need none of it",
    ("bot.trials.schedule", "bot.trials.sync"):
        "the registry client (1.6 s): `bot run` loads it only with TRIALS_SYNC_DAILY=true",
    ("bot.console.dashboard", "bot.trials.sync"):
        "the registry client (1.6 s): only the dashboard's sync panel reads it",
    ("bot.web.server", "bot.console.web"):
        "the staff console (3 s) is left out of the page server when STAFF_CONSOLE=false",
}

# Modules that load others by name, and why.
LOADERS_BY_NAME = {
    "bot.trials": "the package's names load on first use (PEP 562): importing every submodule up "
    "front (store, migrations, importer) takes 2.3 s instead of 1.2 s in each process that needs one",
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # our module it imports
    line: int
    in_function: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _our_modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


MODULES = _our_modules()


def _resolve(name: str) -> str | None:
    """The module of ours that ``name`` (a module or a name in one) belongs to."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> set[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module if is_package else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if node.module else package
        # `from bot.runtime import launcher` imports the module bot.runtime.launcher
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
    found = {_resolve(n) for n in names if n.split(".")[0] in PACKAGES}
    return {t for t in found if t and t != module}


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _walk(node: ast.AST, in_function: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        if _is_type_checking(child):
            continue
        yield child, in_function
        inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        yield from _walk(child, inside)


def imports() -> list[Import]:
    found = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, in_function in _walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _targets(node, module, path.name == "__init__.py"):
                    found.append(Import(module, target, node.lineno, in_function))
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or not (Tarjan's components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_the_checker_sees_a_cycle_and_a_hidden_import() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    found = imports()
    assert any(i.module == "bot.cli" and i.target == "bot.faq.cli" for i in found)
    assert any(i.in_function for i in found)  # the listed exceptions are seen


def test_no_import_cycle_among_our_modules() -> None:
    edges: dict[str, set[str]] = {}
    for item in imports():
        edges.setdefault(item.module, set()).add(item.target)
    assert cycles(edges) == []


def test_our_modules_are_imported_at_the_top_unless_there_is_a_reason() -> None:
    hidden = {(i.module, i.target): i.line for i in imports() if i.in_function}
    unexplained = sorted(f"{m}:{line} imports {t}" for (m, t), line in hidden.items()
                         if (m, t) not in IN_FUNCTION_IMPORTS)
    assert unexplained == [], "import at the top, or add the measured reason to IN_FUNCTION_IMPORTS"
    stale = sorted(f"{m} -> {t}" for m, t in IN_FUNCTION_IMPORTS if (m, t) not in hidden)
    assert stale == [], "these imports moved to the top: remove them from IN_FUNCTION_IMPORTS"


def test_no_module_is_loaded_by_name() -> None:
    loaders = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = ast.unparse(node.func)
                if called in ("importlib.import_module", "import_module", "__import__") \
                        and module not in LOADERS_BY_NAME:
                    loaders.append(f"{module}:{node.lineno}")
    assert loaders == []
