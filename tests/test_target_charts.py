"""Target pages chart every team's figures against its trajectory, target line and deadline (figure data)."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from macros.derive import derive_analysis
from macros.periods import format_period
from macros.validate import validate_data


@pytest.fixture(scope="module")
def analysis(sample_data):
    return derive_analysis(validate_data(sample_data))


def figures(site, target_id):
    soup = BeautifulSoup((site / "targets" / target_id / "index.html").read_text(encoding="utf-8"), "html.parser")
    out = {}
    for fig in soup.select("#progress ~ div figure.hb-figure"):
        team_href = fig.select_one(".hb-figure__title a")["href"]
        team = team_href.rstrip("/").split("/")[-1]
        out[team] = json.loads(fig.select_one(".hb-chart")["data-figure"])
    return out


def by_role(figure, role):
    return next(t for t in figure["data"] if t.get("meta") == role)


def test_every_team_of_every_target_is_charted_with_its_figures(sample_site, analysis):
    hb = analysis.hb
    checked = 0
    for target in hb.targets.values():
        charts = figures(sample_site, target.id)
        assert set(charts) == set(target.teams), target.id
        for s in analysis.by_target[target.id]:
            fig = charts[s.team]
            series = hb.series_for(s.team, target.indicator)
            actual = by_role(fig, "actual")
            # Every period from the team's first figure to the latest any team reported: a null where it has none.
            periods = range(series.periods[0], max(series.periods[-1], hb.latest_period) + 1)
            assert actual["x"] == [format_period(p, hb.frequency) for p in periods]
            assert actual["y"] == [series.at(p) for p in periods]
            assert by_role(fig, "target")["y"] == [target.target.value, target.target.value]
            trajectory = by_role(fig, "trajectory")
            assert trajectory["x"] == [format_period(s.baseline_period, hb.frequency), target.target.period]
            assert trajectory["y"] == pytest.approx([s.baseline_value, target.target.value])
            (deadline,) = [sh for sh in fig["layout"]["shapes"] if sh.get("name") == "deadline"]
            assert deadline["x0"] == target.target.period
            checked += 1
    assert checked == len(analysis.statuses)
