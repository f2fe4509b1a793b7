"""The package tree is the data flow: no import cycle, and no stage imports
from a later stage (the stages' order is the order data flows through them)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

KG = Path(__file__).resolve().parents[2] / "kg"

#: Packages in the order data flows through them; shared modules at the top
#: of ``kg/`` and ``kg/parallel`` may be imported by any of them.
STAGES = ("load", "extract", "resolve", "graph", "validate", "export", "query", "build", "cli")


def _module_name(path: Path) -> str:
    parts = path.relative_to(KG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_nodes(tree: ast.AST):
    """Every node but those under ``if TYPE_CHECKING:`` (names for type checkers only)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def _imports(path: Path) -> set[str]:
    """Every kg module ``path`` imports, at module level or inside a function."""
    names: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("kg"):
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("kg"))
    return names


def import_graph() -> dict[str, set[str]]:
    """kg module → the kg modules it imports (names that are not modules dropped)."""
    files = {_module_name(p): p for p in KG.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in files and m != name} for name, path in files.items()}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_the_graph_is_read():
    graph = import_graph()
    assert len(graph) > 60
    assert "kg.build.pipeline" in graph["kg.cli.build"] or any(m.startswith("kg.build") for m in graph["kg.cli.build"])


def test_no_import_cycle():
    graph = import_graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_no_stage_imports_a_later_stage():
    graph = import_graph()
    wrong = []
    for module, imported in sorted(graph.items()):
        here = _stage(module)
        for other in sorted(imported):
            there = _stage(other)
            if here is None and there is not None and not module.startswith("kg.parallel"):
                # A shared module at the top of kg/ must not depend on a stage.
                if module not in ("kg.__main__", "kg.evaluate"):
                    wrong.append(f"{module} (shared) imports {other}")
            elif here and there and STAGES.index(there) > STAGES.index(here):
                wrong.append(f"{module} ({here}) imports {other} ({there})")
    assert not wrong, "\n".join(wrong)
