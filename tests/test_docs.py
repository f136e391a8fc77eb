"""Contributor pages and the README: only allowed template code, no sample names, every command documented."""

from __future__ import annotations

import re

import yaml
from test_build import build_project, copy_project

from conftest import ROOT
from macros import site_pages, team_pages  # noqa: F401 - registers the macros
from macros.engine import MACROS, find_template_code
from orgs import base_org, write_org

DOCS = sorted(p for p in (ROOT / "docs").rglob("*.md"))


def test_docs_pages_hold_only_allowed_macro_calls():
    assert DOCS
    for page in DOCS:
        assert find_template_code(page.read_text(encoding="utf-8")) == [], page


def test_template_code_outside_the_allowed_calls_is_found():
    text = '{{ home() }}\n{{ config.extra }}\n{% for x in y %}{% endfor %}\n{# note #}\n{{ team_page(x) }}\n{{ nope() }}'
    assert [n for n, _ in find_template_code(text)] == [2, 3, 4, 5, 6]
    assert find_template_code('{{ team_page("a-1") }} and {{ practice_page(3) }}\n## Title { #anchor }') == []


def test_build_refuses_template_code_in_a_contributor_page(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs" / "notes.md").write_text("# Notes\n\nOur site is {{ config.site_name }}.\n")
    result = build_project(project, write_org(project, base_org()))
    assert result.returncode != 0
    assert "docs/notes.md:3: Our site is {{ config.site_name }}." in result.stderr
    assert "template code outside the allowed macro calls" in result.stderr


def test_docs_never_name_sample_teams_or_targets():
    data = ROOT / "data"
    names = set()
    for t in yaml.safe_load((data / "teams.yml").read_text()):
        names |= {t["id"], t["name"]}
    for t in yaml.safe_load((data / "targets.yml").read_text()):
        names |= {t["id"], t["title"]}
    org = yaml.safe_load((data / "organization.yml").read_text())
    names.add(org["name"])
    for page in DOCS:
        text = page.read_text(encoding="utf-8")
        for name in names:
            assert name not in text, f"{page} names {name!r} from the sample data"


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("python -m macros check", "python -m macros status", "python -m macros diff", "mkdocs build --strict"):
        assert command in readme, command
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    for target in re.findall(r"make ([a-z-]+)", readme):
        assert target in targets, target
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "make serve" in quick and "make test" in quick


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_every_macro_has_a_docstring():
    for name, fn in MACROS.items():
        assert (fn.__doc__ or "").strip(), name
