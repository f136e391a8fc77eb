"""Contributor pages and the README: only allowed template code, no sample names, every command documented."""

from __future__ import annotations

import re

import yaml
from test_build import build_project, copy_project

from conftest import ROOT
from macros import site_pages, team_pages  # noqa: F401 - registers the macros
from macros.pagecheck import find_template_code
from macros.registry import MACROS
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


def test_docs_never_name_sample_teams_or_targets(sample_data):
    data = sample_data
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
    for command in ("python -m macros check", "python -m macros status", "python -m macros diff", "python -m macros generate",
                    "mkdocs build --strict"):
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


# Front matter: mkdocs-macros renders a page's title as a template before the page's body is read, and MkDocs reads
# every value. A contributor page holds no template code anywhere in its front matter, however YAML spells it.
SHELL = "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch %s') }}"


def test_front_matter_template_code_is_found_with_its_line():
    from macros.pagecheck import find_template_code as find

    page = (
        '---\n'
        'title: "Hi {{ config.site_name }}"\n'        # 2: the title mkdocs-macros renders
        'description: "\\x7b\\x7b 7*7 }}"\n'           # 3: YAML escapes that read as {{
        'tags:\n'
        '  - plain\n'
        '  - "{% if 1 %}x{% endif %}"\n'             # 6: a nested value
        '"{# key #}": 1\n'                           # 7: a key
        '---\n'
        '\n'
        '# Notes {{ home() }}\n'                     # 10: an allowed call in the body stays allowed
    )
    assert [n for n, _ in find(page, {"home"})] == [2, 3, 6, 7]
    assert (3, "{{ 7*7 }}") in find(page, {"home"})
    # An allowed macro is still no title: front matter allows no call at all.
    assert find('---\ntitle: "{{ home() }}"\n---\n# x\n', {"home"}) == [(2, '{{ home() }}')]
    # Without template code, front matter is fine.
    assert find("---\ntitle: Notes\nhide: [toc]\n---\n# Notes\n", {"home"}) == []


def test_a_title_that_would_run_as_a_template_stops_the_page():
    import pytest
    from mkdocs.exceptions import PluginError

    from macros.engines.macros_plugin import check_page_template_code

    with pytest.raises(PluginError, match=r"docs/notes.md: title: \{\{ config \}\}"):
        check_page_template_code("# Notes\n", "notes.md", {}, "{{ config }}")
    with pytest.raises(PluginError, match=r"docs/notes.md: front matter: \{% x %\}"):
        check_page_template_code("# Notes\n", "notes.md", {"extra": ["{% x %}"]}, "Notes")
    check_page_template_code("# Notes\n", "notes.md", {"title": "Notes"}, "Notes")


def test_build_refuses_template_code_in_front_matter_before_rendering_it(tmp_path):
    project = copy_project(tmp_path / "project")
    marker = tmp_path / "ran"
    (project / "docs" / "notes.md").write_text(f'---\ntitle: "{SHELL % marker}"\n---\n\n# Notes\n')
    result = build_project(project, write_org(project, base_org()))
    assert result.returncode == 1
    assert not marker.exists(), "the front matter's template code ran"
    assert "template code outside the allowed macro calls:\n  docs/notes.md:2: {{ self._TemplateReference" in result.stderr
    assert "front matter holds no template code at all: " in result.stderr and "team_page" in result.stderr
    assert not (project / "site" / "notes").exists()


def test_check_refuses_template_code_in_contributor_pages_whatever_the_data(tmp_path):
    from conftest import run_cli

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ok.md").write_text('# Fine\n\n{{ home() }}\n')
    (docs / "sub").mkdir()
    (docs / "sub" / "notes.md").write_text('---\ntitle: "\\x7b\\x7b config }}"\n---\n# Notes\n\n{{ config.extra }}\n')
    data = write_org(tmp_path, base_org())
    result = run_cli("check", "--docs", str(docs), data=data)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:3] == [
        "template code outside the allowed macro calls:",
        "  docs/sub/notes.md:2: {{ config }}",
        "  docs/sub/notes.md:6: {{ config.extra }}",
    ]
    # The pages are checked first, and data problems are still reported beside them.
    org = base_org()
    org["teams.yml"][0]["unit"] = None
    result = run_cli("check", "--docs", str(docs), data=write_org(tmp_path / "bad", org))
    assert result.returncode == 1
    assert "docs/sub/notes.md:2" in result.stderr and "field 'unit'" in result.stderr
    (docs / "sub" / "notes.md").write_text("# Notes\n")
    assert run_cli("check", "--docs", str(docs), data=data).returncode == 0


def test_the_repository_pages_pass_check(sample_data):
    from conftest import run_cli

    result = run_cli("check", data=sample_data)
    assert result.returncode == 0, result.stderr


def test_check_refuses_aliases_in_front_matter_before_mkdocs_expands_them(tmp_path):
    from conftest import run_cli

    docs = tmp_path / "docs"
    docs.mkdir()
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    bomb += [f"{c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    (docs / "bomb.md").write_text("---\n" + "\n".join(bomb) + "\ntitle: Bomb\n---\n# Bomb\n")
    result = run_cli("check", "--docs", str(docs), data=write_org(tmp_path, base_org()))
    assert result.returncode == 1
    assert ("  docs/bomb.md:3: a YAML alias (*a) in front matter: MkDocs expands every alias without limit, so front "
            "matter may not use them; write the value out") in result.stderr.splitlines()
    assert "docs/bomb.md:10: a YAML alias (*h)" in result.stderr
