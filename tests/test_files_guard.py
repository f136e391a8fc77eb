"""Hardening, round three (#19): the files a pull request carries beside data/ leak nothing and run nothing, on every
engine; no input `check` accepts costs the build minutes.

Times measured on the shared 2-core machine are in the docstrings; the bounds asserted are loose multiples of them.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_build import build_project, copy_project

from conftest import run_cli
from orgs import base_org, write_org

SECRET = "HB_SECRET_TOKEN_4711"


@pytest.fixture
def project(tmp_path):
    """A copy of the engine (mkdocs.yml, docs/, overrides/, macros/) with a small organization in its data/."""
    root = copy_project(tmp_path / "project")
    write_org(root, base_org())
    return root


def _secret(tmp_path) -> Path:
    path = tmp_path / "secret.env"
    path.write_text(f"TOKEN={SECRET}\n", encoding="utf-8")
    return path


def _links(project: Path, secret: Path) -> list[str]:
    """Links to a secret file and to an internal data file, as pages and as static assets; a linked folder."""
    (project / "docs" / "env.md").symlink_to(secret)
    (project / "docs" / "capacity-notes.md").symlink_to(project / "data" / "teams.yml")
    (project / "docs" / "assets" / "notes.txt").symlink_to(secret)
    (project / "docs" / "assets" / "teams.yml").symlink_to("../../data/teams.yml")
    outside = project.parent / "outside"
    outside.mkdir()
    (outside / "leak.md").write_text(f"# Leak\n\n{SECRET}\n", encoding="utf-8")
    (project / "docs" / "more").symlink_to(outside, target_is_directory=True)
    (project / "overrides" / "partials" / "extra.html").symlink_to(secret)
    return ["docs/env.md", "docs/capacity-notes.md", "docs/assets/notes.txt", "docs/assets/teams.yml", "docs/more",
            "overrides/partials/extra.html"]


def _check(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_cli("check", "--docs", str(project / "docs"), *args, data=project / "data", env=env)


def test_check_refuses_every_symbolic_link_under_docs_and_overrides(project, tmp_path):
    names = _links(project, _secret(tmp_path))
    started = time.perf_counter()
    result = _check(project)
    assert result.returncode == 1, result.stderr
    assert time.perf_counter() - started < 30
    for name in names:
        assert f"  {name}: a symbolic link (to " in result.stderr, name
    assert SECRET not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_check_refuses_a_linked_docs_folder(project):
    real = project / "pages"
    shutil.move(project / "docs", real)
    (project / "docs").symlink_to(real, target_is_directory=True)
    result = _check(project)
    assert result.returncode == 1
    assert "  docs: a symbolic link (to " in result.stderr


def test_a_link_inside_docs_is_refused_too(project):
    """Even a link that stays inside its folder: it may lead to one that does not, and the diff never shows it."""
    (project / "docs" / "copy.md").symlink_to("index.md")
    result = _check(project)
    assert result.returncode == 1 and "  docs/copy.md: a symbolic link (to index.md)" in result.stderr


def test_check_reports_refused_files_as_annotations_and_json(project, tmp_path):
    _links(project, _secret(tmp_path))
    result = _check(project, "--format", "github")
    lines = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert any(line.startswith("::error file=docs/env.md,title=A file no engine may read::docs/env.md: a symbolic link")
               for line in lines), lines
    import json

    found = json.loads(_check(project, "--format", "json").stdout)["problems"]
    assert {"docs/env.md", "overrides/partials/extra.html"} <= {p["file"] for p in found}


def test_the_mkdocs_build_refuses_links_before_it_reads_a_file(project, tmp_path):
    """The hooks' guard (ProperDocs runs the same hooks): the build stops at on_config, nothing is published."""
    names = _links(project, _secret(tmp_path))
    started = time.perf_counter()
    result = build_project(project, project / "data")
    assert result.returncode == 1
    assert time.perf_counter() - started < 60
    for name in names:
        assert f"{name}: a symbolic link" in result.stderr, name
    assert not (project / "site").exists() or SECRET not in "".join(
        p.read_text(errors="replace") for p in (project / "site").rglob("*") if p.is_file())


def _generate(project: Path, engine: str = "mkdocs", env: dict | None = None) -> subprocess.CompletedProcess:
    return run_cli("generate", "generated", "--engine", engine, data=project / "data", cwd=project, env=env)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_generate_refuses_links_and_writes_nothing(project, tmp_path, engine):
    names = _links(project, _secret(tmp_path))
    result = _generate(project, engine)
    assert result.returncode == 1, result.stderr
    for name in names:
        assert f"{name}: a symbolic link" in result.stderr, name
    assert not (project / "generated").exists()


def _adapter(project: Path, monkeypatch) -> None:
    """Run the guard the Zensical adapter (and `generate --engine mkdocs`' module) runs in define_env."""
    from macros import site

    monkeypatch.setattr(site, "_SITE", None)
    conf = {"config_file_path": str(project / "generated" / "mkdocs.yml"), "docs_dir": "docs",
            "theme": {"custom_dir": "overrides"},
            "extra": {"handbook": {"data_dir": os.path.relpath(project / "data", project / "generated")}}}
    site.load_without_hooks(conf)


def _generated(project: Path) -> Path:
    result = _generate(project, "zensical")
    assert result.returncode == 0, result.stderr
    return project / "generated"


def test_the_zensical_adapter_refuses_a_link_in_the_generated_project(project, tmp_path, monkeypatch):
    out = _generated(project)
    _adapter(project, monkeypatch)  # as generated: accepted
    (out / "docs" / "env.md").symlink_to(_secret(tmp_path))
    (out / "overrides" / "main2.html").symlink_to(_secret(tmp_path))
    with pytest.raises(SystemExit) as exc:
        _adapter(project, monkeypatch)
    assert "docs/env.md: a symbolic link" in str(exc.value.code)
    assert "overrides/main2.html: a symbolic link" in str(exc.value.code)


# ---------------------------------------------------------------------------------------------------------------
# Template code in a file name, and in every file MkDocs reads as a page.

TEMPLATE_NAME = "{{ config.extra }}.md"
MARKDOWN_PAGE = "notes.markdown"


def _template_files(docs: Path) -> None:
    (docs / TEMPLATE_NAME).write_text("Some text, no heading.\n", encoding="utf-8")
    (docs / MARKDOWN_PAGE).write_text("# Notes\n\n{{ config.extra }}\n", encoding="utf-8")
    for suffix in ("mdown", "mkd", "mkdn"):
        (docs / f"other.{suffix}").write_text("# Other\n\n{% set x = 1 %}\n", encoding="utf-8")


def test_check_refuses_template_code_in_a_file_name_and_in_every_page_suffix(project):
    _template_files(project / "docs")
    result = _check(project)
    assert result.returncode == 1
    assert "  docs/{{ config.extra }}.md: its name holds template syntax" in result.stderr
    assert "  docs/notes.markdown:3: {{ config.extra }}" in result.stderr
    for suffix in ("mdown", "mkd", "mkdn"):
        assert f"  docs/other.{suffix}:3: {{% set x = 1 %}}" in result.stderr


def test_check_refuses_template_code_in_a_page_mkdocs_may_render_as_a_template(project):
    (project / "docs" / "extra.html").write_text("<p>{{ config }}</p>\n", encoding="utf-8")
    result = _check(project)
    assert result.returncode == 1 and "  docs/extra.html:1: <p>{{ config }}</p>" in result.stderr


def test_the_mkdocs_build_refuses_template_code_in_a_name_and_a_markdown_page(project):
    _template_files(project / "docs")
    result = build_project(project, project / "data")
    assert result.returncode == 1
    assert "docs/{{ config.extra }}.md: its name holds template syntax" in result.stderr
    assert "docs/notes.markdown:3: {{ config.extra }}" in result.stderr


def test_generate_for_mkdocs_refuses_template_code_in_a_name_and_a_markdown_page(project):
    _template_files(project / "docs")
    result = _generate(project, "mkdocs")
    assert result.returncode == 1
    assert "docs/{{ config.extra }}.md: its name holds template syntax" in result.stderr
    assert "docs/notes.markdown:3: {{ config.extra }}" in result.stderr
    assert not (project / "generated").exists()


def test_the_zensical_adapter_refuses_template_code_in_a_name_and_a_markdown_page(project, monkeypatch):
    out = _generated(project)
    _template_files(out / "docs")
    with pytest.raises(SystemExit) as exc:
        _adapter(project, monkeypatch)
    assert "docs/{{ config.extra }}.md: its name holds template syntax" in exc.value.code
    assert "docs/notes.markdown:3: {{ config.extra }}" in exc.value.code


def test_a_page_in_a_built_generate_mkdocs_project_cannot_slip_in(project):
    """`generate --engine mkdocs` writes a project without hooks: its define_env guard stops the build."""
    assert _generate(project, "mkdocs").returncode == 0
    out = project / "generated"
    (out / "docs" / MARKDOWN_PAGE).write_text("# Notes\n\n{{ config.extra }}\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(project), NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(out / "mkdocs.yml")],
                            cwd=out, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "docs/notes.markdown:3: {{ config.extra }}" in result.stderr


# ---------------------------------------------------------------------------------------------------------------
# A file name that would forge a workflow command in a log.

FORGED = "a\n::error title=Forged::all good.md"


def test_a_file_name_with_a_line_break_is_refused_and_printed_escaped(project):
    (project / "docs" / FORGED).write_text("# A\n", encoding="utf-8")
    for result in (_check(project), _check(project, "--format", "github"), build_project(project, project / "data")):
        assert result.returncode == 1
        out = result.stdout + result.stderr
        assert "docs/a\\n::error title=Forged::all good.md: its name holds a control character" in out
        assert not any(line.lstrip().startswith("::error title=Forged") for line in out.splitlines())


def test_engine_log_messages_are_escaped_by_the_hooks_filter():
    """MkDocs' "not included in the nav" notice lists file names raw: the hooks' filter escapes every message."""
    import io

    from macros import hooks

    logger = logging.getLogger("mkdocs.test_files_guard")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger("mkdocs")
    root.addHandler(handler)
    try:
        hooks._quiet_logs()
        logger.warning("The following pages are not included in the nav:\n  - %s", FORGED)
    finally:
        root.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert lines[1] == "  - a\\n::error title=Forged::all good.md" or lines[2].startswith("\\::error"), lines
    assert not any(line.lstrip().startswith("::") for line in lines)


# ---------------------------------------------------------------------------------------------------------------
# The public edition: a hand-written page that reproduces a data file.


def test_the_public_edition_refuses_a_page_that_reproduces_a_data_file(project):
    text = (project / "data" / "teams.yml").read_text(encoding="utf-8")
    (project / "docs" / "roster.md").write_text("# Roster\n\n```yaml\n" + text + "```\n", encoding="utf-8")
    public = {"HANDBOOK_EDITION": "public"}
    result = _check(project, env=public)
    assert result.returncode == 1
    assert "  docs/roster.md: reproduces the data file data/teams.yml" in result.stderr
    assert _check(project).returncode == 0  # the intranet edition shows every record anyway
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(project / "site")], cwd=project,
        env=dict(os.environ, HANDBOOK_DATA=str(project / "data"), NO_MKDOCS_2_WARNING="1", **public),
        capture_output=True, text=True)
    assert built.returncode == 1 and "docs/roster.md: reproduces the data file data/teams.yml" in built.stderr
