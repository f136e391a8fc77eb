"""Engine independence: imports run one way, down; pages and navigation are decided once, for every engine."""

from __future__ import annotations

import ast

from conftest import ROOT

ENGINE_FOLDER = ROOT / "macros" / "engines"
ENGINE_PACKAGES = {"/mkdocs", "/mkdocs_macros", "/material", "/zensical", "/properdocs"}


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
        elif isinstance(node, ast.ImportFrom):
            found.add("/" + (node.module or "").split(".")[0])  # another package
        elif isinstance(node, ast.Import):
            found.update("/" + a.name.split(".")[0] for a in node.names)
    return found


def test_page_macros_and_the_build_context_do_not_import_the_engine_glue():
    for rel in ["macros/site_pages.py", "macros/team_pages.py", "macros/site.py", "macros/registry.py",
                "macros/generate.py", "macros/pagecheck.py", "macros/__init__.py"]:
        found = _imports(rel)
        assert not ENGINE_PACKAGES & found and not {m for m in found if m.split(".")[0] == "engines"}, rel


def test_the_engine_specific_code_stays_thin():
    """Everything engine-specific (hooks, adapters, the page worker and its plumbing) is in macros/engines/."""
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in ENGINE_FOLDER.rglob("*.py"))
    # 1,000 for the hooks, adapters and worker; 300 more for the differential live preview's MkDocs plugin
    # (engines/preview.py, issue 25), whose engine-free half is macros/incremental.py; 150 more for the build's
    # cost (issue 25): the direct conversion of generated pages (engines/direct.py) and the header rendered once
    # per folder, whose engine-free halves are in macros/held.py and macros/incremental.py; 100 more for what a
    # rebuild no longer does again (reused pages left on disk, the theme's files listed once, a table of contents
    # rendered once per set of headings); 75 more for the build's spare work while it waits on the worker (the
    # downloads and pages nobody has claimed, from the last, kept until needed); 25 more for `serve`'s watcher
    # polling every 0.2 s instead of 0.5 s (MkDocs' LiveReloadServer, reached only through its on_serve event).
    assert lines <= 1650, f"{lines} lines of engine-specific code"


def _files(root):
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_generate_writes_every_generated_page_as_its_macro_call_by_id(tmp_path):
    import re

    import yaml

    from conftest import run_cli
    from macros.generate import expand_nav, plan_pages
    from macros.registry import MACROS, load_macros
    from macros.site import load_site
    from orgs import base_org, write_org

    data = write_org(tmp_path / "org", base_org())
    out = tmp_path / "generated"
    result = run_cli("generate", str(out), "--config", str(ROOT / "mkdocs.yml"), data=data)
    assert result.returncode == 0, result.stderr
    load_macros()
    site = load_site(data)
    plan = plan_pages(site)
    assert {"practice_page", "target_page", "unit_page", "team_page"} == {call[0] for call in plan.values()}
    for src, (name, *args) in plan.items():
        text = (out / "docs" / src).read_text(encoding="utf-8")
        m = re.fullmatch(r'\{\{ ([a-z_]+)\(((?:"[a-z0-9-]+"|[0-9]+))\) \}\}\n', text)
        assert m, (src, text)  # only the call, by id: no data in the page
        assert m.group(1) == name and name in MACROS
        assert yaml.safe_load(m.group(2)) == args[0]
    # Besides them: the contributor pages as they are, and the downloads.
    docs = _files(ROOT / "docs")
    written = _files(out / "docs")
    assert written - docs - set(plan) == {p for p in written if p.startswith("downloads/")} != set()
    assert docs <= written
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    project = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["nav"] == expand_nav(project["nav"], site)
    assert "hooks" not in config and "macros.engines.mdext" in config["markdown_extensions"]
    assert config["site_name"] == "Test Agency · Performance handbook"  # named as the hooks name it
    listed = yaml.safe_dump(config["nav"])
    assert all(src in listed for src in plan if not src.startswith("teams/") or len(site.hb.teams) <= 60)


def test_the_mkdocs_build_s_pages_come_from_the_same_function(sample_site, sample_data):
    from macros.engines import hooks
    from macros.generate import plan_pages
    from macros.render.links import page_url
    from macros.site import load_site

    assert hooks.plan_pages is plan_pages and hooks.expand_nav.__module__ == "macros.generate"
    plan = plan_pages(load_site(sample_data))
    built = {p for p in _files(sample_site) if p.endswith("/index.html")
             and p.split("/")[0] in ("practices", "targets", "units", "teams") and p.count("/") == 2}
    assert built == {page_url(src) + "index.html" for src in plan}


def test_a_build_from_generate_has_the_hook_build_s_pages_headings_charts_and_links(tmp_path, sample_site, sample_data):
    """MkDocs building `generate`'s files (no hooks: the way Zensical builds) makes what the hooks make."""
    import os
    import subprocess
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from compare_sites import compare_exact, compare_pages

    from conftest import run_cli

    out = tmp_path / "generated"
    assert run_cli("generate", str(out), "--engine", "mkdocs", data=sample_data).returncode == 0
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1", HANDBOOK_DATA=str(sample_data))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-f", str(out / "mkdocs.yml")],
                            cwd=out, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not any(compare_pages(sample_site, out / "site").values())
    # The same files. The pages differ by where the living signals sit (the theme writes them with hooks, the
    # extension without), the search index by the held HTML it reads without hooks, the sitemap by the pages' order.
    import re

    exact = compare_exact(sample_site, out / "site")
    assert not exact["missing"] and not exact["extra"]
    assert {p for p in exact["differ"] if not p.endswith(".html")} <= {"search/search_index.json", "sitemap.xml",
                                                                       "sitemap.xml.gz"}
    locs = [sorted(re.findall(r"<loc>[^<]*", (site / "sitemap.xml").read_text())) for site in (sample_site, out / "site")]
    assert locs[0] == locs[1] and locs[0]


def test_generate_refuses_to_write_over_the_project_or_its_pages(tmp_path, sample_data):
    from test_build import copy_project

    from conftest import run_cli

    project = copy_project(tmp_path / "project")
    pages = sorted(p.relative_to(project).as_posix() for p in (project / "docs").rglob("*"))
    for target in (".", "docs/..", "docs"):
        result = run_cli("generate", target, data=sample_data, cwd=project)
        assert result.returncode == 2, target
        assert "a folder of its own" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.relative_to(project).as_posix() for p in (project / "docs").rglob("*")) == pages


def test_an_engine_without_hooks_builds_only_the_generated_project():
    """Zensical ignores `hooks:`: on the plain mkdocs.yml its build would leave out every page made from data."""
    import types

    import pytest

    from macros.engines import hooks
    from macros.engines.zensical_adapter import load_without_hooks

    assert load_without_hooks({"hooks": {"macros/engines/hooks.py": hooks}}) is None  # MkDocs: the hooks load the data
    with pytest.raises(SystemExit, match=r"runs no MkDocs hooks.*python -m macros generate DIR"):
        load_without_hooks({"hooks": ["macros/engines/hooks.py"], "extra": {"handbook": {}}})  # as Zensical reads it
    with pytest.raises(SystemExit, match="runs no MkDocs hooks"):
        load_without_hooks({"hooks": {"other.py": types.ModuleType("other")}})


def test_the_build_context_holds_data_and_settings_only():
    """What an engine run adds (generated and deferred pages, the worker) is macros/engines/prerender.py's Build."""
    import dataclasses

    from macros.engines.prerender import Build
    from macros.site import Site

    assert [f.name for f in dataclasses.fields(Site)] == [
        "hb", "analysis", "checks", "data_dir", "edit_base", "unit_slug", "directory_urls",  # data
        "held",  # the HTML held back from Markdown (macros/held.py), per page until the engine converts it
        "edition", "language", "raw_links_from_source",  # settings
    ]
    assert {"generated", "deferred", "worker", "without_hooks"} <= {f.name for f in dataclasses.fields(Build)}


def test_the_zensical_path_imports_no_mkdocs():
    """Zensical's venv has no MkDocs: the module `generate` names (the mkdocs-macros adapter) and the Markdown
    extension must import without it, as Zensical imports them."""
    import subprocess
    import sys

    code = ("import sys\n"
            "for name in ('mkdocs', 'mkdocs_macros', 'material'):\n"
            "    sys.modules[name] = None  # importing any of them fails\n"
            "from macros.engines.macros_plugin import define_env\n"
            "import macros.engines.mdext, macros.engines.zensical_adapter\n"
            "print(define_env.__name__)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == "define_env\n", result.stderr
