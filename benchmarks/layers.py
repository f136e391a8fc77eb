"""Lines of code per floor of the `macros` package, and how its imports keep to the floors.

    python -m benchmarks.layers               # the working tree
    python -m benchmarks.layers --rev main    # a git revision (read with `git show`, nothing checked out)

The floors are the table in tests/test_imports.py. A revision from before the engine folder (macros/engines/)
had its engine glue at macros/hooks.py, engine.py, worker.py and mdext.py: those count on the engines floor.
Lines are all lines of the .py files (code, docstrings, comments, blanks), as `wc -l` counts them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_imports import ENGINE_PACKAGES, FLOORS, floor_of, imports_of, is_engine_module  # noqa: E402

# Where the engine glue was before macros/engines/ (each now in that folder).
BEFORE_THE_ENGINE_FOLDER = {"macros.hooks": "macros.engines.hooks", "macros.engine": "macros.engines.macros_plugin",
                            "macros.worker": "macros.engines.worker", "macros.mdext": "macros.engines.mdext"}


def sources(rev: str | None) -> dict[str, tuple[str, bool]]:
    """Module name -> (its source, is a package's __init__), from the working tree or a git revision."""
    if rev is None:
        paths = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "macros").rglob("*.py"))
        read = lambda p: (ROOT / p).read_text(encoding="utf-8")  # noqa: E731
    else:
        listed = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev, "macros"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout.split()
        paths = [p for p in listed if p.endswith(".py")]
        read = lambda p: subprocess.run(["git", "show", f"{rev}:{p}"], cwd=ROOT, check=True,  # noqa: E731
                                        capture_output=True, text=True).stdout
    out = {}
    for path in paths:
        parts = path[:-3].split("/")
        is_package = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_package else parts)] = (read(path), is_package)
    return out


def placed(module: str) -> int | None:
    return floor_of(BEFORE_THE_ENGINE_FOLDER.get(module, module))


def measure(rev: str | None) -> dict:
    src = sources(rev)
    lines = [0] * (len(FLOORS) + 1)  # the last: modules the table does not place
    modules = [0] * (len(FLOORS) + 1)
    for name, (text, _) in src.items():
        floor = placed(name)
        i = len(FLOORS) if floor is None else floor
        lines[i] += len(text.splitlines())
        modules[i] += 1
    found = imports_of(src)
    internal = [i for i in found if i.internal]
    engine = lambda m: is_engine_module(BEFORE_THE_ENGINE_FOLDER.get(m, m))  # noqa: E731
    return {
        "lines": lines, "modules": modules,
        "in_function": len({(i.module, i.line) for i in internal if i.in_function}),
        "upward": sum(1 for i in internal if None not in (placed(i.module), placed(i.target))
                      and placed(i.target) > placed(i.module)),
        "engine_outside": sum(1 for i in found if not engine(i.module)
                              and ((i.internal and engine(i.target)) or (not i.internal and i.target in ENGINE_PACKAGES))),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", action="append", help="a git revision (repeat to compare); default: the working tree")
    args = ap.parse_args(argv)
    revs = args.rev or [None]
    results = {rev or "working tree": measure(rev) for rev in revs}
    names = list(results)
    print("| Floor | " + " | ".join(f"{n}: lines (modules)" for n in names) + " |")
    print("|---|" + "---|" * len(names))
    for i, (floor, _, _) in enumerate([*FLOORS, ("unplaced", "", set())]):
        cells = [f"{r['lines'][i]:,} ({r['modules'][i]})" for r in results.values()]
        if floor != "unplaced" or any(r["modules"][i] for r in results.values()):
            print(f"| {floor} | " + " | ".join(cells) + " |")
    print("| all | " + " | ".join(f"{sum(r['lines']):,} ({sum(r['modules'])})" for r in results.values()) + " |")
    for key, label in (("in_function", "imports of the package's modules inside functions (statements)"),
                       ("upward", "imports of a module on a floor above"),
                       ("engine_outside", "imports of the engine glue or an engine outside the engine folder")):
        print(f"| {label} | " + " | ".join(str(r[key]) for r in results.values()) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
