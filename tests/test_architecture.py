"""The house rules of the code (docs/architecture.md), read from the source itself.

Imports are read with ``ast``, every one of them: those at the top of a module and those
inside functions, since a lazy import is still an arrow a reader has to follow.
"""

import ast
from pathlib import Path

import pytest

# The same whatever DATABASE_URL says: CI runs it on the PostgreSQL pass only.
pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "learning", "talent", "search")
# What may import an app above portal: the composition root that wires every app.
PORTAL_COMPOSITION_ROOT = {
    "portal",
    "portal.api_urls",
    "portal.apps",
    "portal.celery",
    "portal.signal_handlers",
    "portal.signals",
    "portal.urls",
    "portal.wagtail_hooks",
    "portal.wsgi",
    "portal.models",
}
PORTAL_ROOT_PACKAGES = ("settings", "templatetags", "management", "migrations")
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imported(name: str, path: Path) -> set[str]:
    """The project modules ``name`` imports, wherever in the module the import stands."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            for alias in node.names:
                if f"{module}.{alias.name}" in MODULES:
                    found.add(f"{module}.{alias.name}")
                elif module in MODULES:
                    found.add(module)
    found.discard(name)
    return found


GRAPH = {name: _imported(name, path) for name, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def _app(module: str) -> str:
    return module.split(".")[0]


def _arrows(source_app: str) -> set[tuple[str, str]]:
    return {
        (module, target)
        for module, targets in GRAPH.items()
        if _app(module) == source_app
        for target in targets
        if _app(target) != source_app
    }


def test_search_imports_no_app():
    assert {arrow for arrow in _arrows("search")} == set()


def test_learning_never_imports_talent():
    assert {(m, t) for m, t in _arrows("learning") if _app(t) == "talent"} == set()


def test_portal_imports_the_apps_above_it_only_from_its_composition_root():
    above = {
        (module, target)
        for module, target in _arrows("portal")
        if _app(target) in ("learning", "talent")
        and module not in PORTAL_COMPOSITION_ROOT
        and module.split(".")[1] not in PORTAL_ROOT_PACKAGES
    }
    assert above == set()


@pytest.mark.parametrize("app", APPS)
def test_no_import_cycles_inside_an_app(app):
    inside = {
        module: {target for target in targets if _app(target) == app}
        for module, targets in GRAPH.items()
        if _app(module) == app
    }
    assert _cycles(inside) == []


def _wing(module: str) -> str | None:
    """The portal wing a module belongs to; None for the composition root."""
    parts = module.split(".")
    if parts[0] != "portal" or module in PORTAL_COMPOSITION_ROOT or len(parts) < 2:
        return None
    return None if parts[1] in PORTAL_ROOT_PACKAGES else parts[1]


def test_portal_wings_depend_on_each_other_in_one_direction():
    """registry at the bottom; a wing may use the wings below it, never one that uses it."""
    wings: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        if (wing := _wing(module)) is None:
            continue
        wings.setdefault(wing, set()).update(
            other for target in targets if (other := _wing(target)) not in (None, wing)
        )
    assert _cycles(wings) == []
    assert wings["registry"] == set()


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_module_is_over_400_lines():
    long = {
        name: count
        for name, path in MODULES.items()
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_portal_module_is_in_a_wing_or_the_composition_root():
    wings = {
        path.parent.name
        for path in (ROOT / "portal").glob("*/__init__.py")
        if path.parent.name not in PORTAL_ROOT_PACKAGES and path.parent.name != "models"
    }
    loose = {
        name
        for name in MODULES
        if _app(name) == "portal"
        and name not in PORTAL_COMPOSITION_ROOT
        and name.split(".")[1] not in (*PORTAL_ROOT_PACKAGES, *wings)
    }
    assert loose == set()
    assert {"registry", "content", "inbox", "video", "ledger"} <= wings
