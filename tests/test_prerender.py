"""Pages rendered by the second-core worker are the same pages the main process renders."""

from __future__ import annotations

import re

from test_build import build_project, copy_project

from orgs import base_org, monthly, write_org


def build_with(tmp_path, name, prerender_min):
    project = copy_project(tmp_path / name)
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
    assert ("Rendering 4 target and team pages on a second CPU core as well." in result.stderr) == (prerender_min <= 3)
    shared = re.search(r"The page worker rendered (\d+) pages; the build rendered (\d+)\.", result.stderr)
    if prerender_min <= 3:
        assert shared and int(shared[1]) + int(shared[2]) == 4, result.stderr[-2000:]
    else:
        assert shared is None
    return project / "site"


def test_worker_pages_and_downloads_match_the_main_process(tmp_path):
    serial = build_with(tmp_path, "serial", 10_000)
    parallel = build_with(tmp_path, "parallel", 1)
    pages = sorted(p.relative_to(serial) for folder in ("teams", "targets") for p in (serial / folder).rglob("index.html"))
    assert len(pages) == 6  # three teams, one target and the two indexes
    for rel in pages:
        assert (parallel / rel).read_text(encoding="utf-8") == (serial / rel).read_text(encoding="utf-8"), rel
    downloads = sorted(p.relative_to(serial) for p in (serial / "downloads").rglob("*") if p.is_file())
    assert len(downloads) == 5  # status.json, status.csv and one CSV per team
    for rel in downloads:
        assert (parallel / rel).read_bytes() == (serial / rel).read_bytes(), rel
