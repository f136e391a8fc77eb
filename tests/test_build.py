"""Whole builds: the sample builds strict; bad data or a failing macro fails the build with the check's messages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from bs4 import BeautifulSoup

from conftest import ROOT, build, run_cli
from orgs import base_org, monthly, write_org


def copy_project(dest):
    """Copy the engine (mkdocs.yml, docs/, overrides/, macros/) to dest so a test may add pages."""
    for name in ("docs", "overrides", "macros"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def build_project(project, data):
    env = dict(os.environ, HANDBOOK_DATA=str(data), NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
        cwd=project, env=env, capture_output=True, text=True,
    )


def test_sample_home_page_states_mission_and_counts(sample_site, sample_data):
    soup = BeautifulSoup((sample_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    import yaml

    mission = " ".join(yaml.safe_load((sample_data / "organization.yml").read_text())["mission"].split())
    assert mission in soup.select_one(".hb-mission").get_text(" ", strip=True)
    status = {li["data-status"]: int(li.select_one(".hb-tile__n").get_text()) for li in soup.select(".hb-tile[data-status]")}
    import json

    rows = json.loads(run_cli("status", "--json", data=sample_data).stdout)
    for kind in ("met", "on track", "at risk", "off track", "stale", "no data"):
        assert status[kind] == sum(1 for r in rows if r["status"] == kind)
    facts = {li["data-fact"]: int(li.select_one(".hb-tile__n").get_text()) for li in soup.select(".hb-tile[data-fact]")}
    assert facts["teams"] == len(yaml.safe_load((sample_data / "teams.yml").read_text()))


def test_no_web_fonts_and_nothing_from_a_cdn(sample_site):
    html = (sample_site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.select("script[src], link[href]:not([rel=canonical])"):
        url = tag.get("src") or tag.get("href")
        assert not url.startswith(("http://", "https://", "//")), url


def test_build_fails_on_a_data_error_with_the_check_messages(tmp_path):
    org = base_org()
    org["teams.yml"][0]["unit"] = None
    org["indicators.yml"][0]["stage"] = "outputs"
    data = write_org(tmp_path, org)
    result = build(data, tmp_path / "site")
    assert result.returncode != 0
    check = run_cli("check", data=data)
    assert check.returncode == 1
    for line in check.stderr.strip().splitlines()[1:]:
        assert line.strip() in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_failing_macro_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs" / "broken.md").write_text("# Broken\n\n{{ team_page('no-such-team') }}\n")
    result = build_project(project, write_org(project, base_org()))
    assert result.returncode != 0
    assert "no-such-team" in result.stderr


def test_undefined_variable_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs" / "typo.md").write_text("# Typo\n\n{{ missionn }}\n")
    result = build_project(project, write_org(project, base_org()))
    assert result.returncode != 0 and "missionn" in result.stderr


def test_a_new_team_gets_its_page_without_touching_docs(tmp_path):
    org = base_org()
    org["teams.yml"].append({"id": "delta", "name": "Delta Squad", "unit": "New Unit"})
    org["measurements"]["figures.csv"] = monthly("delta", "wait-days", (2024, 1), [3, 2])
    data = write_org(tmp_path, org)
    result = build(data, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = tmp_path / "site" / "teams" / "delta" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("article h1").get_text(strip=True).startswith("Delta Squad")
    nav_titles = [a.get_text(" ", strip=True) for a in soup.select("nav.md-nav a, nav.md-nav label")]
    assert any("New Unit" in t for t in nav_titles)
