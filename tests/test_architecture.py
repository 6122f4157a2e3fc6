"""The package's shape: one-way imports, no backend switching, no private matplotlib, no reaching
into another module's privates, and every docstring example runs.

These read the source with :mod:`ast`, so an import hidden inside a function counts too.
"""
from __future__ import annotations

import ast
import doctest
import importlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "yalu"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every yalu module that ``name`` imports, anywhere in its source (functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            subs = [f"{base}.{a.name}" for a in node.names]
            # ``from pkg import submodule`` depends on the submodule; ``from pkg import name`` on pkg
            targets = [s for s in subs if s in known] or [base]
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name and t != "yalu":  # the package root only holds the error type
                found.add(t)
    return found


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {name: _imports(name, path, set(mods)) for name, path in mods.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (c := visit(m)):
                return c
        state[n] = 2
        stack.pop()
        return None

    for n in sorted(graph):
        if n not in state and (c := visit(n)):
            return c
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles_even_inside_functions():
    graph = _graph()
    assert "yalu.timeline" in graph and graph["yalu.timeline"] >= {"yalu.records", "yalu.render"}
    assert _cycle(graph) is None, f"import cycle: {' -> '.join(_cycle(graph))}"


def test_data_flows_one_way():
    graph = _graph()
    lower = {"yalu.errors", "yalu.course", "yalu.paths", "yalu.dates", "yalu.data", "yalu.citations", "yalu.records",
             "yalu.render"}
    for low in lower:
        for target in graph.get(low, ()):
            assert target in lower, f"{low} reaches up to {target}"


#: Standard-library names that begin with an underscore but are documented public API.
_PUBLIC = {("os", "_exit"), ("sys", "_getframe")}


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            yield node


@pytest.mark.parametrize("name", sorted(_modules()))
def test_no_backend_switch_and_no_private_attributes(name):
    path = _modules()[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in _calls(tree):
        if node.func.attr in ("use", "switch_backend") and isinstance(node.func.value, ast.Name) \
                and node.func.value.id in ("matplotlib", "mpl", "plt", "pyplot"):
            pytest.fail(f"{name} line {node.lineno}: {node.func.value.id}.{node.func.attr}() changes the backend")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                and not (node.attr.endswith("_") and node.attr.startswith(("_repr_", "_ipython_"))):
            owner = node.value
            if isinstance(owner, ast.Name) and (owner.id in ("self", "cls") or (owner.id, node.attr) in _PUBLIC):
                continue
            pytest.fail(f"{name} line {node.lineno}: reaches into a private attribute '.{node.attr}'")
        if isinstance(node, ast.ImportFrom) and any(a.name.startswith("_") for a in node.names):
            pytest.fail(f"{name} line {node.lineno}: imports a private name from {node.module}")
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("matplotlib") \
                and any(part.startswith("_") for part in node.module.split(".")):
            pytest.fail(f"{name} line {node.lineno}: imports from a private matplotlib module")


def test_the_private_attribute_check_can_fail(tmp_path):
    bad = ast.parse("fig.canvas._lastKey = 1\nimport matplotlib\nmatplotlib.use('Agg')\n")
    attrs = [n.attr for n in ast.walk(bad) if isinstance(n, ast.Attribute)]
    assert "_lastKey" in attrs and any(c.func.attr == "use" for c in _calls(bad))


_DOCTESTED = ["yalu.course", "yalu.paths", "yalu.dates", "yalu.citations", "yalu.records", "yalu.documents",
              "yalu.render", "yalu.timeline",
              "yalu.calendar", "yalu.charts", "yalu.maps", "yalu.tables", "yalu.data", "yalu.exercises.onramp",
              "yalu.evidence_log"]


@pytest.mark.parametrize("name", _DOCTESTED)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert name == "yalu.data" or result.attempted > 0, f"{name} has no runnable example"
