"""The package's import graph: no cycles, and no lower layer importing a higher one.

Every import counts, those inside functions included: a lazy import does not make an
upward dependency go away, it only hides it.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PLC = Path(__file__).resolve().parent.parent / "plc"

# Bottom to top. A package may import its own layer's packages and those below, never above.
LAYERS = [
    {"config", "extensions", "errors", "database", "grouped_writes", "storage", "timeutil", "roles", "urls", "jobs",
     "deletion", "offload"},
    {"realtime", "media", "ocr", "protocols", "accounts", "teams"},
    {"meetings", "work", "sort", "review", "solutions"},
    {"retention", "cli", "demo_work", "worker", "server", "models"},
]
# The app factory wires every feature together: it sits above all of them.
APP_FACTORY = "plc"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PLC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PLC.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The plc modules this module imports (a from-import of a submodule counts as that submodule)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        found |= {t for t in targets if t in known and t != name}
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else APP_FACTORY


def _layer(package: str) -> int:
    if package == APP_FACTORY:
        return len(LAYERS)
    for level, members in enumerate(LAYERS):
        if package in members:
            return level
    raise AssertionError(f"plc/{package} is in no layer: add it to LAYERS in {__file__}")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_package_has_a_layer():
    for module in _modules():
        _layer(_package(module))


def test_no_module_imports_in_a_circle():
    graph = {m: {t for t in targets if _package(t) != APP_FACTORY} for m, targets in _graph().items()}
    assert _cycles(graph) == []


def test_no_feature_package_imports_in_a_circle():
    packages: dict[str, set[str]] = {}
    for module, targets in _graph().items():
        source = _package(module)
        packages.setdefault(source, set()).update(
            _package(t) for t in targets if _package(t) not in (source, APP_FACTORY))
    assert _cycles(packages) == []


def test_no_lower_layer_imports_a_higher_one():
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in _graph().items() for target in targets
        if _layer(_package(target)) > _layer(_package(module)) and _package(target) != APP_FACTORY
    )
    assert upward == []


@pytest.mark.parametrize("source, expected", [
    ("import plc.a.b\n", {"plc.a.b"}),
    ("from plc.a import b\n", {"plc.a.b"}),
    ("from plc.a import thing\n", {"plc.a"}),
    ("from . import b\n", {"plc.a.b"}),
    ("def f():\n    from ..a import b\n", {"plc.a.b"}),
])
def test_imports_are_read_from_every_form(tmp_path, source, expected):
    path = tmp_path / "c.py"
    path.write_text(source)
    assert _imports("plc.a.c", path, {"plc.a", "plc.a.b", "plc.a.c"}) == expected


def test_a_cycle_is_found():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
