"""Dependencies between lexbill's apps point one way: no domain app imports one that imports it back.

The faces (api, web, cli) and the helpers for tests sit on top and may import anything; nothing imports
them. A cycle between domain apps (billing <-> ebilling once ran through the UTBMS code sets) is refused here,
so that receivables, trust and guidelines cannot join one either.
"""

from __future__ import annotations

import ast
from pathlib import Path

import lexbill

ROOT = Path(lexbill.__file__).parent
FACES = {"api", "web", "cli", "testing", "config", "demo", "templates", "static"}


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "lexbill" else None


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def app_graph() -> dict[str, set[str]]:
    """app -> the other lexbill apps its non-test, non-migration modules import."""
    graph: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).parts
        if len(rel) < 2 or "tests" in rel or "migrations" in rel:
            continue
        app = rel[0]
        targets = {_app_of(name) for name in _imports(path)}
        graph.setdefault(app, set()).update(t for t in targets if t and t != app)
    return graph


def _cycle_from(graph: dict[str, set[str]], start: str) -> list[str] | None:
    stack = [(start, [start])]
    while stack:
        node, path = stack.pop()
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                return [*path, start]
            if nxt not in path:
                stack.append((nxt, [*path, nxt]))
    return None


def test_no_domain_app_imports_a_face():
    graph = app_graph()
    offenders = {app: sorted(deps & {"api", "web", "cli"}) for app, deps in graph.items()
                 if app not in FACES and deps & {"api", "web", "cli"}}
    assert offenders == {}


def test_domain_apps_form_no_cycle():
    graph = {app: deps - FACES for app, deps in app_graph().items() if app not in FACES}
    cycles = [cycle for app in sorted(graph) if (cycle := _cycle_from(graph, app))]
    assert cycles == []


def test_code_sets_sit_below_time_billing_and_ebilling():
    graph = app_graph()
    assert "codes" in graph["timekeeping"] and "codes" in graph["billing"] and "codes" in graph["ebilling"]
    assert graph.get("codes", set()) - {"core"} == set()
