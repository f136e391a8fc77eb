"""The import graph of the `macros` package (read with ast, nothing imported): no circle among its modules, each
module on a floor that imports only its own floor and those below, no engine outside macros/engines/, and imports
inside functions only where the table below says why.

Imports inside functions count (they run when the function does), and so do imports under `if TYPE_CHECKING:`
(a type named from a module above is still a dependency on it: page macros name the build context through the
`PageSite` protocol, not through macros/site.py), so a circle cannot hide in either.

benchmarks/layers.py reports the lines per floor (of the working tree or of a git revision) from the same table.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "macros"

# The floors, from the bottom up: a module imports modules of its own floor and of the floors below, never above.
# A name ending in ".*" places a folder (its __init__ and everything in it). A new module goes in this table (the test names any that is not).
FLOORS: list[tuple[str, str, set[str]]] = [
    ("base", "no data model: messages, periods, names, the contract, git, languages",
     {"macros", "macros.errors", "macros.periods", "macros.naming", "macros.macrocall", "macros.mdbounds",
      "macros.git", "macros.i18n", "macros.contract"}),
    ("data", "the files read and typed: loading, records, words for values, editions, references, translations, "
     "files beside the data",
     {"macros.load", "macros.model", "macros.words", "macros.edition", "macros.filecheck",
      "macros.refs", "macros.languages"}),
    ("derive", "what is computed from the records: statuses, projections, figures due, checks, signals",
     {"macros.derive", "macros.calendar", "macros.due", "macros.projection", "macros.fairness", "macros.notes",
      "macros.checks", "macros.signals", "macros.leagues", "macros.snapshot", "macros.ratchet", "macros.team_index"}),
    ("validate", "the validator: its cross-field rules read derived facts (check names, notes_required)",
     {"macros.validate"}),
    ("render", "pure text out of the model: Markdown, HTML, charts, CSV and JSON downloads, report text; the HTML "
     "held back from Markdown until the engine has converted a page",
     {"macros.render.*", "macros.downloads", "macros.report_text", "macros.held"}),
    ("pages", "the build context (Site), the page macros and their table, the pages made from data",
     {"macros.pagesite", "macros.site", "macros.site_pages", "macros.team_pages", "macros.registry",
      "macros.pagecheck", "macros.generate", "macros.incremental"}),
    ("commands", "what the command line runs besides check and status: diff, due, the PDF, the builds per language",
     {"macros.diff", "macros.status_diff", "macros.due_cli", "macros.pdf", "macros.multilingual"}),
    ("engines", "everything engine-specific: MkDocs hooks, mkdocs-macros and Zensical adapters, the page worker",
     {"macros.engines.*"}),
    ("entry", "the command line", {"macros.cli", "macros.__main__"}),
]

ENGINE_FOLDER = "macros.engines"
ENGINE_PACKAGES = {"mkdocs", "mkdocs_macros", "material", "zensical", "properdocs"}
# The only modules outside the engine folder that may import it, and why.
ENGINE_USERS = {
    ("macros.cli", "macros.engines.zensical_adapter"):
        "`python -m macros generate` writes the project an engine without hooks builds (only that command)",
}
# Imports of the package's own modules inside a function, each with the reason it is not at the top.
IN_FUNCTION = {
    ("macros.cli", "macros.due_cli"): "each command loads what it runs: `check` and `status` skip `due`",
    ("macros.cli", "macros.diff"): "each command loads what it runs: only `diff` reads git history",
    ("macros.cli", "macros.pagecheck"): "only `check` needs the page macros' table (every render module, 0.1 s)",
    ("macros.cli", "macros.site"): "only `generate` loads the build context",
    ("macros.cli", "macros.engines.zensical_adapter"): "only `generate` loads the engine folder",
}


def floor_of(module: str) -> int | None:
    """The floor (its index in FLOORS) of a module, or None when the table does not place it."""
    for number, (_, _, names) in enumerate(FLOORS):
        if module in names or any(n.endswith(".*") and (module == n[:-2] or module.startswith(n[:-1])) for n in names):
            return number
    return None


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # a module of the package, or the top-level name of another package
    line: int
    in_function: bool
    internal: bool  # target is one of the package's modules


def module_names(paths: list[Path], root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for the package's .py files under root."""
    out = {}
    for path in sorted(paths):
        parts = path.relative_to(root).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _modules() -> dict[str, Path]:
    return module_names(list(PACKAGE.rglob("*.py")))


def imports_of(sources: dict[str, tuple[str, bool]]) -> list[Import]:
    """Every import statement of the given modules (name -> (source, is a package's __init__))."""
    found = []
    for name, (text, is_package) in sources.items():
        tree = ast.parse(text)
        inside = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                  for n in ast.walk(f)}
        package = name.split(".") if is_package else name.split(".")[:-1]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                prefix = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module
                targets = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in sources else prefix for a in node.names]
            else:
                continue
            for t in dict.fromkeys(targets):
                if t in sources:
                    if t != name:
                        found.append(Import(name, t, node.lineno, id(node) in inside, True))
                else:
                    found.append(Import(name, t.split(".")[0], node.lineno, id(node) in inside, False))
    return sorted(found, key=lambda i: (i.module, i.line, i.target))


@cache
def package_imports() -> list[Import]:
    modules = _modules()
    return imports_of({m: (p.read_text(encoding="utf-8"), p.name == "__init__.py") for m, p in modules.items()})


def import_graph() -> tuple[dict[str, set[str]], int]:
    """Module -> the package's modules it imports; and how many of those import statements sit inside functions."""
    graph: dict[str, set[str]] = {m: set() for m in _modules()}
    statements = set()
    for i in package_imports():
        if i.internal:
            graph[i.module].add(i.target)
            if i.in_function:
                statements.add((i.module, i.line))
    return graph, len(statements)


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or not (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def is_engine_module(module: str) -> bool:
    return module == ENGINE_FOLDER or module.startswith(ENGINE_FOLDER + ".")


def test_the_graph_sees_the_package():
    graph, _ = import_graph()
    assert "macros.filecheck" in graph["macros.pagecheck"]
    assert "macros.site_pages" in graph["macros.registry"]
    assert "macros.render.links" in graph["macros.render.onboarding"]  # a relative import two dots up
    assert "macros.site" in graph["macros.engines.hooks"]  # an absolute import
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    seen = imports_of({"p": ("def f():\n    from .q import x\nimport mkdocs.plugins\n", True),
                       "p.q": ("", False)})
    assert seen == [Import("p", "p.q", 2, True, True), Import("p", "mkdocs", 3, False, False)]


def test_no_circle_among_the_modules():
    graph, _ = import_graph()
    assert circles(graph) == []


def test_every_module_is_on_a_floor():
    assert [m for m in _modules() if floor_of(m) is None] == []
    assert floor_of("macros.render.teams") == floor_of("macros.render") != floor_of("macros.engines.hooks")


def test_no_module_imports_one_on_a_floor_above_it():
    upward = [f"{i.module} (floor {FLOORS[floor_of(i.module)][0]}) imports {i.target} "
              f"(floor {FLOORS[floor_of(i.target)][0]}), line {i.line}"
              for i in package_imports() if i.internal and floor_of(i.target) > floor_of(i.module)
              and (i.module, i.target) not in ENGINE_USERS]
    assert upward == []


def test_nothing_outside_the_engine_folder_imports_it_or_an_engine():
    found = [f"{i.module}:{i.line} imports {i.target}" for i in package_imports()
             if not is_engine_module(i.module) and (i.module, i.target) not in ENGINE_USERS
             and ((i.internal and is_engine_module(i.target)) or (not i.internal and i.target in ENGINE_PACKAGES))]
    assert found == []
    # The engine folder imports the engines (the test sees them), and what it may be imported by exists.
    assert {"mkdocs"} <= {i.target for i in package_imports() if i.module == "macros.engines.hooks"}
    assert set(ENGINE_USERS) <= {(x.module, x.target) for x in package_imports()}


def test_imports_inside_functions_only_where_the_table_says_why():
    inside = {(i.module, i.target) for i in package_imports() if i.internal and i.in_function}
    assert sorted(inside - set(IN_FUNCTION)) == []
    assert sorted(set(IN_FUNCTION) - inside) == []  # a reason for an import that is gone goes too


# render/ renders: what is derived from the records lives on the derive floor. The one exception, and why.
RENDER_DERIVES = {"macros.render.teams.derive_glance_items": "returns the HTML lines of a team page's header"}


def test_nothing_is_derived_in_render():
    found = set()
    for name, path in _modules().items():
        if floor_of(name) == floor_of("macros.render.text"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found |= {f"{name}.{n.name}" for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("derive_")}
    assert found == set(RENDER_DERIVES)


def test_the_layers_report_counts_every_line_once():
    """benchmarks/layers.py (`python -m benchmarks.layers`) counts each module's lines on its floor."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("layers", ROOT / "benchmarks" / "layers.py")
    layers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(layers)
    found = layers.measure(None)
    lines = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in _modules().items()}
    assert sum(found["lines"]) == sum(lines.values()) and found["lines"][-1] == 0  # every module placed
    engines = [i for i, (name, _, _) in enumerate(FLOORS) if name == "engines"][0]
    assert found["lines"][engines] == sum(n for m, n in lines.items() if is_engine_module(m))
    assert found["in_function"] == len({(i.module, i.line) for i in package_imports() if i.internal and i.in_function})
    assert found["upward"] == 0 and found["engine_outside"] == len(ENGINE_USERS)
    assert layers.placed("macros.hooks") == engines  # a revision from before the engine folder
