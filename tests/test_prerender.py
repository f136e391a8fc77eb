"""Pages rendered by the second-core worker are the same pages the main process renders."""

from __future__ import annotations

import re
from pathlib import Path

from test_build import build_project, copy_project

from orgs import base_org, monthly, write_org


def build_with(tmp_path, name, prerender_min, links=""):
    project = copy_project(tmp_path / name)
    if links:
        (project / "docs" / "links.md").write_text("# Links\n\n" + links + "\n", encoding="utf-8")
    config = (project / "mkdocs.yml").read_text()
    assert "prerender_min: 200\n" in config
    (project / "mkdocs.yml").write_text(config.replace("prerender_min: 200", f"prerender_min: {prerender_min}"))
    org = base_org()
    org["measurements"]["figures.csv"] = (
        monthly("alpha", "wait-days", (2024, 1), [6, 5, 4]) + monthly("alpha", "rework", (2024, 1), [1, 2, 6])
        + monthly("gamma", "staff-hours", (2024, 1), [10, 11, 12])
    )
    result = build_project(project, write_org(project, org))
    assert result.returncode == 0, result.stderr[-3000:]
    started = re.search(r"Rendering (\d+) pages on a second CPU core as well\.", result.stderr)
    shared = re.search(r"The worker rendered (\d+) pages and download chunks; the build did (\d+) itself\.", result.stderr)
    if prerender_min <= 3:
        # Every macro call of every page but the unit pages' (hand-written pages, 11 practices, 1 target, 3 teams),
        # then the downloads in 2 chunks (the statuses; the teams' figures): each done once, by one process or the other.
        assert started and int(started[1]) > 15, result.stderr[-2000:]
        assert shared and int(shared[1]) + int(shared[2]) == int(started[1]) + 2, result.stderr[-2000:]
    else:
        assert started is None and shared is None
    build_with.stderr = result.stderr
    return project / "site"


def test_worker_pages_and_downloads_match_the_main_process(tmp_path):
    serial = build_with(tmp_path, "serial", 10_000)
    parallel = build_with(tmp_path, "parallel", 1)
    pages = sorted(p.relative_to(serial) for p in serial.rglob("*.html"))
    assert len(pages) > 30
    assert {"teams/alpha/index.html", "targets/faster/index.html", "scoreboard/index.html"} <= {str(p) for p in pages}
    pages.append(Path("search/search_index.json"))
    for rel in pages:
        assert (parallel / rel).read_text(encoding="utf-8") == (serial / rel).read_text(encoding="utf-8"), rel
    downloads = sorted(p.relative_to(serial) for p in (serial / "downloads").rglob("*") if p.is_file())
    assert len(downloads) == 5  # status.json, status.csv and one CSV per team
    for rel in downloads:
        assert (parallel / rel).read_bytes() == (serial / rel).read_bytes(), rel


def test_links_into_pages_the_worker_completes_late_are_checked_as_the_others(tmp_path):
    # A team page's sections are held-back HTML (and, with the worker, come late): their anchors count all the same,
    # so a right anchor says nothing and a wrong one is reported as MkDocs reports it, with or without the worker.
    links = "[Report](teams/alpha.md#report-this-period) and [nowhere](teams/alpha.md#no-such-section)"
    for name, prerender_min in (("serial", 10_000), ("parallel", 1)):
        build_with(tmp_path, name, prerender_min, links)
        said = [line for line in build_with.stderr.splitlines() if "does not contain an anchor" in line]
        assert said == [line for line in said if "links.md" in line], (name, said)
        assert len(said) == 1 and "'#no-such-section'" in said[0] and "teams/alpha.md" in said[0], (name, said)
