"""The package's modules import one another without a cycle, counting imports made inside functions too."""

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "qa"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(path: Path, name: str) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``path`` imports anywhere in its text (a relative import resolved; ``from pkg
    import name`` counts ``pkg.name`` when that is a module)."""
    name = module_name(path)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_of(path, name).split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {module for module in found if module in known and module != name}


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    known = {module_name(path) for path in paths}
    return {module_name(path): imported_modules(path, known) for path in paths}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as the modules along it (the first repeated at the end), or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for child in sorted(graph.get(node, ())):
            if state.get(child) == "open":
                return stack[stack.index(child):] + [child]
            if child not in state:
                cycle = visit(child)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_package_has_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_the_stores_share_the_build_module_and_not_each_other():
    graph = import_graph()
    assert "qa.index" not in graph["qa.stores.milvus"]
    assert "qa.stores.milvus" not in graph["qa.stores.local"]
    assert "qa.stores.local" not in graph["qa.stores.milvus"]
    assert "qa.stores.build" in graph["qa.stores.milvus"] and "qa.stores.build" in graph["qa.index"]


def test_the_cycle_finder_finds_a_cycle_and_only_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "d": {"a", "b"}}) is None


def test_a_relative_import_inside_a_function_is_an_edge(tmp_path, monkeypatch):
    package = tmp_path / "qa"
    (package / "stores").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "index.py").write_text("def f():\n    from .stores import milvus\n")
    (package / "stores" / "__init__.py").write_text("")
    (package / "stores" / "milvus.py").write_text("def g():\n    from ..index import f\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    graph = import_graph()
    assert graph["qa.index"] == {"qa.stores", "qa.stores.milvus"}
    assert graph["qa.stores.milvus"] == {"qa.index"}
    assert find_cycle(graph) is not None
