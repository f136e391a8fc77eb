"""Engine independence: imports run one way, down; pages and navigation are decided once, for every engine."""

from __future__ import annotations

import ast

from conftest import ROOT

MKDOCS_SPECIFIC = ["macros/engine.py", "macros/hooks.py", "macros/__init__.py"]


def _imports(rel: str) -> set[str]:
    """The modules of the package a file imports, at module level or in a function ("site", "render.links"...)."""
    tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.add(node.module or "")
            found.update(a.name for a in node.names if not node.module)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("macros"):
            found.add((node.module or "").removeprefix("macros").lstrip(".") or "")
    return found


def test_page_macros_and_the_build_context_do_not_import_the_engine_glue():
    for rel in ["macros/site_pages.py", "macros/team_pages.py", "macros/site.py", "macros/registry.py",
                "macros/generate.py", "macros/pagecheck.py", "macros/mdext.py"]:
        assert not {"engine", "hooks"} & _imports(rel), rel
        assert "mkdocs" not in (ROOT / rel).read_text(encoding="utf-8").replace("mkdocs.yml", "").replace(
            "mkdocs-macros", "").replace("mkdocs.hooks.handbook", ""), rel


def test_validation_knows_the_check_names_without_importing_the_checks():
    from macros.check_names import CHECK_NAMES
    from macros.checks import CHECKS

    assert "checks" not in _imports("macros/validate.py")
    assert list(CHECKS) == list(CHECK_NAMES)  # every name has its check, in the same order
    assert {n: (c.practice, c.description) for n, c in CHECKS.items()} == CHECK_NAMES


def test_the_mkdocs_specific_code_stays_thin():
    lines = sum(len((ROOT / rel).read_text(encoding="utf-8").splitlines()) for rel in MKDOCS_SPECIFIC)
    assert lines <= 400, f"{lines} lines of MkDocs-specific code"
