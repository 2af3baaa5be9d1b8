"""The package's import structure: stages import only downwards, and no module cycles.

Read from the source with ``ast`` (nothing is imported). The layering counts every import of a
``toolkit`` module, ``if TYPE_CHECKING:`` blocks included; the cycle check counts the imports
that run. Imports inside functions are refused in the stages listed in ``CHECKED``, except the
ones that keep WeasyPrint (about a second to import) off the start-up path of every command
(the three PDF reports load it when they render).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "toolkit"
LAYERS = {
    "store": 1,
    "trail": 1,
    "ingest": 2,
    "rules": 3,
    "analytics": 3,
    "scan": 3,
    "audit": 4,
    "keys": 4,
    "reports": 5,
    "runbooks": 5,
    "checklists": 6,
    "demo": 6,
    "api": 6,
    "cli": 7,
    "__main__": 8,
}
"""Stage -> height; a module may import its own stage and lower ones (the rest is layer 0).
``rules``, ``analytics`` and ``scan`` share a height: the order between them is not asserted
here (the scan rules read ``scan.results``; the scanner reads the rules' metadata)."""
CHECKED = (
    *("store", "audit", "reports", "demo", "api", "models", "sqltypes", "scan"),
    *("checklists", "keys"),
)
"""Stages whose imports inside functions are refused."""
LAZY_ALLOWED = {
    ("toolkit.reports.audit_report", "toolkit.reports.pdf"),
    ("toolkit.checklists.report", "toolkit.reports.pdf"),
    ("toolkit.reports.incident_report", "toolkit.reports.pdf"),
}
"""(importer, imported) pairs allowed inside a function, each with its reason in the code."""


def module_name(path: Path) -> str:
    """``toolkit/audit/run.py`` -> ``toolkit.audit.run`` (packages by their ``__init__``)."""
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(ROOT.rglob("*.py")) if "migrations" not in p.parts}


def target(node: ast.Import | ast.ImportFrom, current: str) -> Iterator[str]:
    """The toolkit modules an import statement loads (a submodule when it names one)."""
    if isinstance(node, ast.Import):
        yield from (a.name for a in node.names if a.name.startswith("toolkit"))
        return
    base = node.module or ""
    if node.level:
        package = current.rsplit(".", node.level)[0]
        base = f"{package}.{base}" if base else package
    if not base.startswith("toolkit"):
        return
    for alias in node.names:
        yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base


def type_checking(node: ast.AST) -> bool:
    """True for an ``if TYPE_CHECKING:`` block (imports for annotations only)."""
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports(name: str) -> tuple[set[str], set[str], set[str]]:
    """(runtime module-level imports, annotation-only imports, imports inside functions)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {"top": set(), "typing": set(), "nested": set()}

    def visit(node: ast.AST, where: str) -> None:
        """Sort every import below ``node`` by where it sits."""
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found[where].update(target(child, name))
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, "nested")
            else:
                visit(child, "typing" if type_checking(child) and where == "top" else where)

    visit(tree, "top")
    return found["top"], found["typing"], found["nested"]


GRAPH = {name: imports(name) for name in MODULES}


def layer(name: str) -> int:
    """The height of a module's stage (0 for the shared base modules)."""
    parts = name.split(".")
    return LAYERS.get(parts[1], 0) if len(parts) > 1 else 0


def stage(name: str) -> str:
    """``toolkit.audit.run`` -> ``audit``."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_no_stage_imports_a_higher_one() -> None:
    """audit never imports reports, store never imports models' users, and so on."""
    upward = [
        f"{source} -> {dest}"
        for source, (top, typing, nested) in GRAPH.items()
        for dest in top | typing | nested
        if layer(dest) > layer(source)
    ]
    assert upward == []


def test_no_import_cycles() -> None:
    """No module reaches itself through module-level imports."""
    edges = {
        name: {d for d in top if d in MODULES and d != name} for name, (top, _, _) in GRAPH.items()
    }
    cycles = []
    for start in MODULES:
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in edges[node]:
                if nxt == start:
                    cycles.append(" -> ".join([*path, start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
    assert cycles == []


@pytest.mark.parametrize("name", [n for n in MODULES if stage(n) in CHECKED or n in CHECKED])
def test_no_imports_hidden_in_functions(name: str) -> None:
    """An import inside a function hides a dependency (or a cycle) from the reader."""
    nested = GRAPH[name][2]
    assert {(name, dest) for dest in nested} <= LAZY_ALLOWED
