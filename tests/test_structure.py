"""The shape of the code: no import circle, no Django below the adapters, no oversized file or
function in the domain packages.

The imports are read statically (``ast``) from every module under ``src/spasmcare``, including
imports inside functions (an import deferred into a function is still a dependency; it only
hides a circle from the interpreter). Imports under ``if TYPE_CHECKING:`` never run and are left
out.

The allow-lists below name today's offenders. They may only shrink: a test fails when an entry
no longer offends (remove it then), and anything not listed fails.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from spasmcare.web.settings import ROOMS

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "spasmcare"

#: The adapters; everything else is a domain package (and may not import Django).
ADAPTERS = ("spasmcare.web", "spasmcare.cli")

#: Most lines of a source file outside ``spasmcare.web`` (docs/ARCHITECTURE.md: files ≲ 700).
MAX_FILE_LINES = 700
#: Most lines of a function in a domain package, its docstring not counted.
MAX_FUNCTION_LINES = 100

#: Imports that close a circle today ((importer, imported)): none. Do not add to this list.
CIRCLE_IMPORTS_ALLOWED: set[tuple[str, str]] = set()

#: The clinic app's rooms, bottom floor first (``spasmcare.web.settings.ROOMS``, which also
#: finds their templates; docs/ARCHITECTURE.md); a room imports only from itself and the rooms
#: before it. ``templatetags`` (the template filters, a leaf) counts as
#: ``base``; the app's shell (settings, urls, admin, wsgi, apps, management commands, the
#: ``models`` face Django reads) sits above every room and no room imports it.
WEB_ROOMS = ROOMS

#: Source files over MAX_FILE_LINES today. Do not add to this list; remove a file once split.
LONG_FILES_ALLOWED: set[str] = set()

#: Domain functions over MAX_FUNCTION_LINES today ("module:qualified name"): none. Do not add
#: to this list.
LONG_FUNCTIONS_ALLOWED: set[str] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


MODULES = {module_name(p): p for p in source_files()}


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    """Every node below ``node``, skipping the bodies of ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _type_checking_only(child):
            for other in child.orelse:
                yield other
                yield from _walk(other)
            continue
        yield child
        yield from _walk(child)


def imported_modules(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, by absolute name: ``import a.b`` gives ``a.b``;
    ``from a import b`` gives ``a.b`` when that is a spasmcare module, else ``a``."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in _walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                yield submodule if submodule in MODULES else target


def import_graph() -> dict[str, set[str]]:
    """Module -> the spasmcare modules it imports."""
    return {
        name: {m for m in imported_modules(path) if m in MODULES and m != name}
        for name, path in MODULES.items()
    }


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def is_domain(module: str) -> bool:
    return not any(module == a or module.startswith(a + ".") for a in ADAPTERS)


def test_the_graph_sees_imports_inside_functions() -> None:
    graph = import_graph()
    # report/family.py imports the schedule's time slots inside a function
    assert "spasmcare.therapy.schedule" in graph["spasmcare.report.family"]
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle() -> None:
    graph = import_graph()
    for importer, imported in CIRCLE_IMPORTS_ALLOWED:
        assert imported in graph[importer], f"{importer} no longer imports {imported}: unlist it"
        graph[importer].discard(imported)
    assert circles(graph) == []


def test_domain_packages_import_no_django() -> None:
    offenders = sorted(
        name
        for name, path in MODULES.items()
        if is_domain(name)
        and any(m == "django" or m.startswith("django.") for m in imported_modules(path))
    )
    assert offenders == []


def test_no_long_source_file() -> None:
    long = {
        str(path.relative_to(SRC.parent))
        for path in MODULES.values()
        if "migrations" not in path.parts
        and len(path.read_text(encoding="utf-8").splitlines()) > MAX_FILE_LINES
    }
    assert long - LONG_FILES_ALLOWED == set(), "split these files (≲ 700 lines)"
    assert LONG_FILES_ALLOWED - long == set(), "these files are short now: unlist them"


def web_floor(module: str) -> int | None:
    """The floor of a module of the clinic app (0 = base), or None for the app's shell."""
    parts = module.split(".")
    if parts[:2] != ["spasmcare", "web"] or len(parts) < 3:
        return None
    room = "base" if parts[2] == "templatetags" else parts[2]
    return WEB_ROOMS.index(room) if room in WEB_ROOMS else None


def test_web_rooms_import_one_way() -> None:
    graph = import_graph()
    assert web_floor("spasmcare.web.clinic.audit") == 1 and web_floor("spasmcare.web.urls") is None
    upward = []
    for importer, imported in graph.items():
        floor = web_floor(importer)
        if floor is None:
            continue
        for module in imported:
            target = web_floor(module)
            is_shell = module.startswith("spasmcare.web") and target is None
            if is_shell or (target is not None and target > floor):
                upward.append(f"{importer} -> {module}")
    assert sorted(upward) == []


def test_every_web_module_is_in_a_room_or_the_shell() -> None:
    shell = {"__init__", "__main__", "admin", "apps", "models", "settings", "urls", "wsgi"}
    stray = sorted(
        name
        for name in MODULES
        if name.startswith("spasmcare.web.")
        and web_floor(name) is None
        and name.split(".")[2] not in shell | {"management", "migrations"}
    )
    assert stray == []


def _functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, ast.AST]]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            qualified = f"{prefix}{node.name}"
            if not isinstance(node, ast.ClassDef):
                yield qualified, node
            yield from _functions(node, qualified + ".")


def function_lines(node: ast.AST) -> int:
    """Lines of a function without its docstring."""
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    total = (node.end_lineno or node.lineno) - node.lineno + 1
    first = node.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        total -= (first.end_lineno or first.lineno) - first.lineno + 1
    return total


def test_no_long_function_in_the_domain_packages() -> None:
    long = set()
    for name, path in MODULES.items():
        if not is_domain(name):
            continue
        for qualified, node in _functions(ast.parse(path.read_text(encoding="utf-8"))):
            if function_lines(node) > MAX_FUNCTION_LINES:
                long.add(f"{name}:{qualified}")
    assert long - LONG_FUNCTIONS_ALLOWED == set(), "split these functions (≲ 80 lines)"
    assert LONG_FUNCTIONS_ALLOWED - long == set(), "these functions are short now: unlist them"


def test_only_the_adapters_import_the_demo_clinic() -> None:
    # spasmcare.demo sits above the domain packages; record.synthetic is its one-release
    # re-export (it reads the demo lazily, when a name is asked for)
    graph = import_graph()
    importers = {
        name
        for name, imported in graph.items()
        if any(m == "spasmcare.demo" or m.startswith("spasmcare.demo.") for m in imported)
        and not name.startswith("spasmcare.demo")
    }
    assert {m for m in importers if is_domain(m)} == {"spasmcare.record.synthetic"}
