"""The scale benchmark: its synthetic organization follows the data contract, and the script runs end to end."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT
from macros.derive import derive_analysis
from macros.validate import validate_data

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_build  # noqa: E402


def test_synthetic_organization_has_the_documented_shape(tmp_path):
    data = bench_build.generate_org(tmp_path, teams=45, months=14)
    hb = validate_data(data)
    assert len(hb.teams) == 45
    assert len({t.unit for t in hb.teams.values()}) == 3  # units of 20
    assert len(hb.indicators) == 30
    assert len(hb.targets) == 4  # one per 10 teams
    assert all(len(t.guardrails) == 1 and len(t.teams) == 10 for t in hb.targets.values())
    assert len(hb.measurements) == 45 * 10 * 14  # each team reports 10 indicators every month
    assert {len(s.periods) for s in hb.series.values()} == {14}
    statuses = derive_analysis(hb).statuses
    assert len(statuses) == 40 and all(s.value is not None for s in statuses)


def test_benchmark_runs_and_reports_every_figure(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_build.py"), "--teams", "25", "--months", "13",
         "--repeat", "1", "--keep", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    ratio = float(re.search(r"ratio handbook/plain build: ([\d.]+)", out)[1])
    assert 0 < ratio < 50
    pages = int(re.search(r"pages (\d+)", out)[1])
    # 25 team pages, 2 targets, 2 units, 11 practices and the hand-written pages: the plain site has as many.
    assert pages > 25 + 2 + 2 + 11
    assert len(list((tmp_path / "plain-25" / "docs").glob("*.md"))) == pages
    assert re.search(r"peak memory of the handbook build \d+ MiB", out)
    assert re.search(r"median team page [\d.]+ KiB", out)
    assert re.search(r"python -m macros check [\d.]+ s", out)
