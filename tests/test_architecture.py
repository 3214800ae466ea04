"""The layers of docs/architecture.md: an app imports only the apps below it, and no two
modules import each other, directly or round a circle. Every import counts, including those
inside functions and under ``TYPE_CHECKING``."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# From the bottom up; an app may import the apps before it in this list, never after.
LAYERS = [
    "audit",
    "accounts",
    "brokers",
    "contracts",
    "compliance",
    "risk",
    "customs",
    "licensing",
    "demo",
    "config",
]


def _modules() -> dict[str, Path]:
    found = {}
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {imported for imported in _imports(path) if imported in modules} - {name}
        for name, path in modules.items()
    }


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for module, imported in graph.items():
        layer = LAYERS.index(module.split(".")[0])
        for target in imported:
            if LAYERS.index(target.split(".")[0]) > layer:
                found.append(f"{module} imports {target}")
    return sorted(found)


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles, state = [], dict.fromkeys(graph, 0)  # 0 unseen, 1 on the path, 2 done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state[target] == 1:
                cycles.append([*path[path.index(target) :], target])
            elif state[target] == 0:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if state[module] == 0:
            visit(module, [module])
    return cycles


def test_no_app_imports_an_app_above_it() -> None:
    assert upward_imports(_graph()) == []


def test_no_modules_import_each_other() -> None:
    assert import_cycles(_graph()) == []


def test_the_checks_find_an_upward_import_and_a_circle() -> None:
    graph = {"brokers.selectors": {"contracts.models"}, "contracts.models": {"brokers.selectors"}}
    assert upward_imports(graph) == ["brokers.selectors imports contracts.models"]
    assert import_cycles(graph) == [["brokers.selectors", "contracts.models", "brokers.selectors"]]
