"""Projections (macros/projection.py): the pace kept and needed, the projected period and its range, and where they
show: `status --json`, the downloads, the team and target pages, the chart's figure and text alternative."""

from __future__ import annotations

import csv
import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup
from pages import article, site_of
from scipy.stats import theilslopes

from conftest import ROOT, run_cli
from macros import projection as P
from macros.derive import derive_analysis
from macros.model import Better, Series, Status
from macros.periods import MONTHLY, QUARTERLY, format_period, parse_period
from macros.validate import validate_data
from orgs import base_org, monthly, quarterly, write_org

M = lambda text: parse_period(text, MONTHLY)  # noqa: E731
Q = lambda text: parse_period(text, QUARTERLY)  # noqa: E731
NEW_FIELDS = ("pace", "pace_low", "pace_high", "pace_needed", "projected_period", "projected_low", "projected_high",
              "projection", "projection_reason", "forecast")


def series(periods: list[int], values: list[float]) -> Series:
    return Series(tuple(periods), tuple(float(v) for v in values), ("",) * len(periods))


def project(s: Series, *, status: Status = Status.AT_RISK, passed: bool = False, better: Better = Better.LOWER,
            frequency: str = MONTHLY, baseline: int | None = None, goal: float | None = 2.0,
            deadline: int | None = None) -> P.Projection:
    baseline = s.periods[0] if baseline is None else baseline
    deadline = s.periods[-1] + 6 if deadline is None else deadline
    return P.derive_projection(status, passed, s, better, frequency, baseline, goal, deadline)


# The estimate ------------------------------------------------------------------------------------------------------

def test_the_interval_holds_the_true_slope_at_its_stated_rate():
    """Over many seeds of a straight line plus Gaussian noise, the interval at a confidence level holds the true
    slope about that often, and the estimate centres on it."""
    rng = np.random.default_rng(20261205)
    true = -0.3
    x = list(range(12))
    for level in (0.80, P.CONFIDENCE[MONTHLY]):
        held, estimates = 0, []
        for _ in range(400):
            y = [10 + true * t + rng.normal(0, 1.0) for t in x]
            pace, low, high = P.pace_of(x, y, level)
            held += low <= true <= high
            estimates.append(pace)
        rate = held / 400
        assert level - 0.08 <= rate <= min(1.0, level + 0.06), (level, rate)
        assert abs(float(np.median(estimates)) - true) < 0.03


def test_one_outlier_month_moves_the_estimate_little():
    rng = np.random.default_rng(7)
    x = list(range(12))
    clean = [20 - 0.5 * t + rng.normal(0, 0.3) for t in x]
    spoiled = list(clean)
    spoiled[8] += 15  # one bad month
    robust_move = abs(P.pace_of(x, spoiled)[0] - P.pace_of(x, clean)[0])
    least_squares_move = abs(np.polyfit(x, spoiled, 1)[0] - np.polyfit(x, clean, 1)[0])
    assert robust_move < 0.1
    assert robust_move < least_squares_move / 4


# The rules ---------------------------------------------------------------------------------------------------------

def test_a_straight_line_down_is_projected_to_its_crossing():
    """Lower is better: 6.0 falling 0.25 a month reaches 2.0 sixteen months after 2025-12 (4.0 to go)."""
    periods = list(range(M("2025-01"), M("2025-12") + 1))
    s = series(periods, [6.0 + 0.25 * (11 - i) for i in range(12)])  # 8.75 ... 6.0
    p = project(s, goal=2.0, deadline=M("2026-12"))
    assert p.pace == pytest.approx(-0.25) and p.pace_low == pytest.approx(-0.25) and p.pace_high == pytest.approx(-0.25)
    assert format_period(p.projected, MONTHLY) == "2027-04"  # 4.0 / 0.25 = 16 months
    assert p.kind == P.AFTER and p.pace_needed == pytest.approx(-4.0 / 12)
    assert P.describe_projection(p, MONTHLY) == "at this pace: met by 2027-04, after the 2026-12 deadline"
    forecast = p.forecast()
    assert forecast[0] == (M("2025-12"), 6.0, 6.0, 6.0) and forecast[-1][0] == M("2026-12")
    assert forecast[-1][1] == pytest.approx(6.0 - 0.25 * 12)
    assert p.drawn_until() == M("2026-12")  # the crossing comes after the deadline: the line stops at the deadline


def test_higher_is_better_and_a_crossing_before_the_deadline():
    periods = list(range(M("2025-05"), M("2026-05") + 1))
    rng = np.random.default_rng(3)
    s = series(periods, [60 + 1.0 * i + rng.normal(0, 0.4) for i in range(len(periods))])
    p = project(s, better=Better.HIGHER, goal=80.0, deadline=M("2027-06"))
    assert p.kind == P.BEFORE and p.figures == 12  # the window is the last 12 months: 2025-05 is left out
    assert p.window_start == M("2025-06")
    assert p.projected_low <= p.projected <= p.projected_high <= M("2027-06") + 12
    assert p.drawn_until() == p.projected
    text = P.describe_projection(p, MONTHLY)
    assert text.startswith(f"at this pace: met by {format_period(p.projected, MONTHLY)}") and "before the 2027-06 deadline" in text


def test_gaps_stay_gaps():
    """Missing months are left out: each figure sits at its own period, so a line with gaps keeps its true slope."""
    periods = [M(x) for x in ("2025-01", "2025-02", "2025-05", "2025-06", "2025-09", "2025-11", "2025-12")]
    s = series(periods, [10 - 0.5 * (p - periods[0]) for p in periods])
    p = project(s, goal=2.0)
    assert p.figures == 7 and p.pace == pytest.approx(-0.5)
    # Counted by position instead (no gaps), the slope would be steeper: the gaps are not closed up.
    assert P.pace_of(range(7), s.values)[0] < -0.9


def test_quarterly_uses_eight_quarters_and_needs_four_figures():
    three = series([Q("2025-Q1"), Q("2025-Q2"), Q("2025-Q3")], [10, 9, 8])
    early = project(three, frequency=QUARTERLY, goal=2.0)
    assert early.kind == P.TOO_EARLY and early.figures == 3 and early.needed_figures == 4
    ten = series(list(range(Q("2023-Q1"), Q("2025-Q2") + 1)), [20 - i for i in range(10)])
    p = project(ten, frequency=QUARTERLY, goal=2.0, deadline=Q("2027-Q4"))
    assert p.figures == 8 and p.window_start == Q("2023-Q3")
    assert format_period(p.projected, QUARTERLY) == "2027-Q3"  # 11 in 2025-Q2 to 2 at 1 a quarter: 9 quarters on
    assert P.per_period(QUARTERLY) == "a quarter"


def test_too_few_figures_is_too_early_to_tell():
    s = series(list(range(M("2026-01"), M("2026-06"))), [5, 4.8, 4.6, 4.4, 4.2])
    p = project(s)
    assert p.kind == P.TOO_EARLY and p.pace is None and p.forecast() == []
    assert P.describe_projection(p, MONTHLY).startswith("too early to tell")
    six = project(series(list(range(M("2026-01"), M("2026-07"))), [5, 4.8, 4.6, 4.4, 4.2, 4.0]), goal=3.5)
    assert six.kind == P.BEFORE and format_period(six.projected, MONTHLY) == "2026-09"  # 0.5 to go at 0.2 a month


def test_figures_before_the_baseline_do_not_count():
    s = series(list(range(M("2025-01"), M("2025-12") + 1)), [9, 8, 7, 6, 5, 5, 5, 5, 5, 5, 5, 5])
    assert project(s, baseline=M("2025-08")).kind == P.TOO_EARLY  # five figures from 2025-08
    assert project(s, baseline=M("2025-01")).pace < 0


@pytest.mark.parametrize("status, passed, goal, reason", [
    (Status.MET, False, 2.0, "met"),
    (Status.STALE, False, 2.0, "stale"),
    (Status.AT_RISK, True, 2.0, "deadline passed"),
    (Status.NO_DATA, False, 2.0, "no data"),
    (Status.AT_RISK, False, None, "no target value"),
])
def test_nothing_is_projected(status, passed, goal, reason):
    s = series(list(range(M("2025-01"), M("2026-01"))), [9 - 0.2 * i for i in range(12)])
    p = project(s, status=status, passed=passed, goal=goal)
    assert (p.kind, p.reason) == (None, reason)
    assert P.describe_projection(p, MONTHLY) == "" and p.forecast() == []
    assert P.projection_fields(p, MONTHLY)["projection"] is None


def test_flat_wrong_way_and_beyond_the_horizon():
    periods = list(range(M("2025-01"), M("2026-01")))
    flat = project(series(periods, [5.0] * 12))
    assert (flat.kind, flat.reason) == (P.NOT_AT_PACE, "flat")
    worse = project(series(periods, [5 + 0.1 * i for i in range(12)]))  # lower is better, rising
    assert (worse.kind, worse.reason) == (P.NOT_AT_PACE, "wrong way")
    assert P.describe_projection(worse, MONTHLY) == "no sign of reaching it at this pace"
    slow = project(series(periods, [50 - 0.01 * i for i in range(12)]), goal=2.0)  # 48 to go at 0.01 a month
    assert (slow.kind, slow.reason) == (P.NOT_AT_PACE, "beyond horizon")
    assert P.describe_projection(slow, MONTHLY) == "at this pace, not before 2035"  # ten years from 2025-12


def test_an_open_range_at_the_slow_end():
    """When the slowest pace in the range is flat or the wrong way, the range has no end: it says "never"."""
    rng = np.random.default_rng(11)
    periods = list(range(M("2025-01"), M("2026-01")))
    s = series(periods, [10 - 0.05 * i + rng.normal(0, 0.8) for i in range(12)])
    p = project(s, goal=9.0)
    if p.kind in (P.BEFORE, P.AFTER) and (p.pace_low >= 0 or p.pace_high >= 0):
        text = P.describe_projection(p, MONTHLY)
        assert p.projected_high is None and p.never_at_slowest
        assert "to never (it may never reach it at this pace)" in text and "beyond" not in text
    else:  # the noise drawn gave a closed range: force the case
        pytest.fail(f"seed gave {p}")


# Lower is better, 5.0 by 2026-12. NEVER: -0.1 a month, range -0.25 to 0.0 (flat at the slow end: it may never get
# there). FAR: -0.06 a month, range -0.06 to -0.026: the slow end gets there, but after the ten-year horizon.
NEVER = [9, 8.5, 9, 8, 8.5, 9, 8, 8.5, 7.5, 8.5, 8, 7.5]
FAR = [11.38, 11.56, 11.26, 11.44, 11.14, 11.32, 11.02, 11.2, 10.9, 11.08, 10.78, 10.96]


def test_never_and_beyond_the_horizon_are_said_apart_in_every_form():
    """The range's slow end is "never" when the slowest pace is flat or the wrong way, "beyond YEAR" when it is a
    real period past the horizon; the short form (a table cell) shows the same range as the long one."""
    from macros.render.pace import pace_short

    periods = list(range(M("2024-01"), M("2025-01")))
    never = project(series(periods, NEVER), goal=5.0, deadline=M("2026-12"))
    assert (never.kind, never.pace_high, never.projected_high, never.never_at_slowest) == (P.AFTER, 0.0, None, True)
    assert P.describe_range(never, MONTHLY) == "2025-10 to never"
    assert P.describe_projection(never, MONTHLY) == ("at this pace: met by 2027-01, range 2025-10 to never (it may "
                                                     "never reach it at this pace), after the 2026-12 deadline")
    assert pace_short(never, MONTHLY) == "by 2027-01, range 2025-10 to never, after deadline"
    far = project(series(periods, FAR), goal=5.0, deadline=M("2026-12"))
    assert (far.kind, far.projected_high, far.never_at_slowest) == (P.AFTER, None, False) and far.pace_high < 0
    assert P.describe_range(far, MONTHLY) == "2033-04 to beyond 2034"
    assert P.describe_projection(far, MONTHLY) == ("at this pace: met by 2033-04, range 2033-04 to beyond 2034, "
                                                   "after the 2026-12 deadline")
    assert pace_short(far, MONTHLY) == "by 2033-04, range 2033-04 to beyond 2034, after deadline"
    # A closed range is in the short form too; a single period has no range to say.
    closed = project(series(periods, [8 - 0.1 * i + (0.1 if i % 2 else -0.1) for i in range(12)]), goal=5.0,
                     deadline=M("2026-12"))
    spread = P.describe_range(closed, MONTHLY)
    assert closed.projected_low < closed.projected_high and spread
    assert f"range {spread}," in pace_short(closed, MONTHLY) and f"range {spread}," in P.describe_projection(closed, MONTHLY)
    exact = project(series(periods, [8 - 0.25 * i for i in range(12)]), goal=2.0, deadline=M("2026-12"))
    assert P.describe_range(exact, MONTHLY) == "" and "range" not in pace_short(exact, MONTHLY)


def test_paces_are_said_with_the_unit_once():
    ind = validate_data(write_org(Path(__import__("tempfile").mkdtemp()), base_org())).indicators["wait-days"]
    periods = list(range(M("2025-01"), M("2026-01")))
    p = project(series(periods, [8 - 0.1 * i for i in range(12)]), goal=2.0, deadline=M("2026-12"))
    text = P.describe_paces(p, ind, MONTHLY)
    assert text.startswith(f"needs {p.pace_needed:+.2f} days a month, keeping -0.10 (range")


# status --json, downloads, held-back figures -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("sample-data") / "data"
    shutil.copytree(ROOT / "data", data)
    return data


def _status_json(data: Path, **env) -> list[dict]:
    result = run_cli("status", "--json", data=data, env=env or None)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _check_row(row: dict) -> None:
    for field in NEW_FIELDS:
        assert field in row, field
    assert row["projection"] in (*P.KINDS, None)
    assert isinstance(row["projection_reason"], str) and row["projection_reason"]
    if row["projection"] in (P.BEFORE, P.AFTER):
        assert row["projected_low"] <= row["projected_period"]
        assert row["projected_high"] is None or row["projected_period"] <= row["projected_high"]
        assert (row["projected_period"] <= row["deadline"]) == (row["projection"] == P.BEFORE)
    if row["pace"] is not None:
        assert row["pace_low"] <= row["pace"] <= row["pace_high"]
        forecast = row["forecast"]
        assert forecast[0] == {"period": row["period"], "value": row["value"], "low": row["value"], "high": row["value"]}
        assert forecast[-1]["period"] == row["deadline"]
        assert all(f["low"] <= f["value"] <= f["high"] for f in forecast)
    else:
        assert row["forecast"] == []
    if row["status"] in ("met", "stale", "no data") or row["deadline_passed"]:
        assert row["projection"] is None


def test_status_json_has_the_projection_of_every_pair(sample_copy):
    rows = _status_json(sample_copy)
    hb = validate_data(sample_copy)
    assert len(rows) == sum(len(t.teams) for t in hb.targets.values())
    for row in rows:
        _check_row(row)
        # The fields of v1 and v1.1 are all still there.
        for field in ("target", "team", "period", "value", "expected", "status", "distortions", "deadline_passed"):
            assert field in row
    kinds = {r["projection"] for r in rows}
    assert {P.BEFORE, P.AFTER, None} <= kinds
    # The pace is Theil-Sen over the team's last 12 figures since the baseline, from the CSV read independently.
    row = next(r for r in rows if r["pace"] is not None)
    figures = _figures(sample_copy, row["team"], hb.targets[row["target"]].indicator)
    baseline = hb.targets[row["target"]].baseline.period
    window = [(p, v) for p, v in figures if p >= baseline and M(p) > M(row["period"]) - 12]
    expected = theilslopes([v for _, v in window], [M(p) for p, _ in window], P.CONFIDENCE[MONTHLY])
    assert row["pace"] == pytest.approx(expected.slope, abs=1e-6)
    assert row["pace_low"] == pytest.approx(expected.low_slope, abs=1e-6)


def _figures(data: Path, team: str, indicator: str) -> list[tuple[str, float]]:
    out = []
    for f in sorted((data / "measurements").glob("*.csv")):
        with f.open(encoding="utf-8") as fh:
            out += [(r["period"], float(r["value"])) for r in csv.DictReader(fh) if r["team"] == team and r["indicator"] == indicator]
    return sorted(out)


def test_held_back_twelve_periods(sample_copy, tmp_path):
    """With the last 12 months held back, the projections come from the truncated figures alone."""
    data = tmp_path / "data"
    shutil.copytree(sample_copy, data)
    hb = validate_data(sample_copy)
    cut = format_period(hb.latest_period - 12, MONTHLY)
    for f in (data / "measurements").glob("*.csv"):
        with f.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        with f.open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=["team", "indicator", "period", "value", "note"], lineterminator="\n")
            w.writeheader()
            w.writerows(r for r in rows if r["period"] <= cut)
    rows = _status_json(data, HANDBOOK_TODAY="2025-12-05")  # a day when figures to 2025-10 are current
    assert {r["period"] for r in rows if r["period"]} <= {p for p in (cut, format_period(M(cut) - 1, MONTHLY),
                                                                      format_period(M(cut) - 2, MONTHLY),
                                                                      format_period(M(cut) - 3, MONTHLY))}
    projected = [r for r in rows if r["pace"] is not None]
    assert projected, "the truncated sample still has figures enough to project"
    for row in rows:
        _check_row(row)
    for row in projected:
        figures = [(p, v) for p, v in _figures(data, row["team"], hb.targets[row["target"]].indicator)
                   if p >= hb.targets[row["target"]].baseline.period and M(p) > M(row["period"]) - 12]
        assert max(p for p, _ in figures) <= cut
        expected = theilslopes([v for _, v in figures], [M(p) for p, _ in figures], P.CONFIDENCE[MONTHLY])
        assert row["pace"] == pytest.approx(expected.slope, abs=1e-6)


def test_downloads_follow(sample_copy):
    from macros.downloads import STATUS_HEADER, render_status_csv, render_status_json

    hb = validate_data(sample_copy)
    a = derive_analysis(hb)
    rows = json.loads(render_status_json(a.statuses, hb.frequency, a.projections))
    assert rows == _status_json(sample_copy)
    table = list(csv.DictReader(render_status_csv(a.statuses, hb.frequency, a.projections).splitlines()))
    assert list(table[0]) == STATUS_HEADER and STATUS_HEADER[:17] == [
        "target", "team", "indicator", "period", "value", "expected", "status", "baseline_period", "baseline_value",
        "target_value", "deadline", "periods_behind", "distortions", "deadline_passed", "met_at_deadline",
        "value_at_deadline", "period_at_deadline"]
    for csv_row, json_row in zip(table, rows, strict=True):
        assert csv_row["projection"] == (json_row["projection"] or "")
        assert csv_row["projected_period"] == (json_row["projected_period"] or "")
        if json_row["pace"] is not None:
            assert float(csv_row["pace"]) == pytest.approx(json_row["pace"])


# The back-test -----------------------------------------------------------------------------------------------------

def test_backtest_counts_the_band_on_known_lines():
    periods = list(range(36))
    exact = [50 - 0.5 * p for p in periods]
    assert P.backtest_one(periods, exact, 0, MONTHLY) is True  # no noise: the end lies on the line
    bent = exact[:-1] + [exact[-1] + 20]
    assert P.backtest_one(periods, bent, 0, MONTHLY) is False
    assert P.backtest_one(periods[-15:], exact[-15:], periods[-15], MONTHLY) is None  # 3 figures before the cut


@pytest.mark.parametrize("frequency, length", [(MONTHLY, 30), (QUARTERLY, 24)])
def test_backtest_on_a_synthetic_organization_holds_about_eighty_percent(frequency, length):
    """The chosen confidence level gives a band that holds about BAND of the figures 12 periods on."""
    rng = np.random.default_rng(5)
    held = tried = 0
    for _ in range(300):
        noise, slope = rng.uniform(0.5, 3), rng.normal(0, 0.5)
        periods = list(range(length))
        values = [40 + slope * p + rng.normal(0, noise) for p in periods]
        result = P.backtest_one(periods, values, 0, frequency)
        tried += result is not None
        held += bool(result)
    assert tried == 300
    assert 0.72 <= held / tried <= 0.88


def test_backtest_of_the_sample(sample_copy):
    hb = validate_data(sample_copy)
    result = P.backtest(hb)
    pairs = sum(len(t.teams) for t in hb.targets.values())
    assert P.BACKTEST_MIN_SERIES <= result.series <= pairs
    assert 0 <= result.inside <= result.series
    wide = P.backtest(hb, confidence=0.999)
    assert wide.series == result.series and wide.inside >= result.inside


# The built site ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(sample_site) -> Path:
    """The sample's site, built once for the session (conftest.sample_site) from a copy of data/ like sample_copy."""
    return sample_site


@pytest.fixture(scope="module")
def analysis(sample_copy):
    return derive_analysis(validate_data(sample_copy))


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_target_chart_draws_the_projection(site, analysis):
    hb = analysis.hb
    seen = 0
    for (target, team), p in analysis.projections.items():
        page = _soup(site / "targets" / target / "index.html")
        charts = {c.find_parent("figure").select_one(".hb-figure__title a").get_text(strip=True): c
                  for c in page.select(".hb-chart")}
        chart = charts[" ".join(hb.teams[team].name.split())]
        figure = json.loads(chart["data-figure"])
        by_meta = {t["meta"]: t for t in figure["data"]}
        if p.pace is None:
            assert "projection" not in by_meta and "band" not in by_meta
            continue
        seen += 1
        line, band = by_meta["projection"], by_meta["band"]
        latest = format_period(p.latest_period, MONTHLY)
        end = p.projected if p.projected is not None and p.projected <= p.deadline else p.deadline
        assert line["x"][0] == latest and line["y"][0] == p.latest_value
        assert line["x"][-1] == format_period(end, MONTHLY) and line["line"]["dash"] == "dot"
        assert band["fill"] == "toself" and band["x"][0] == latest and band["x"][-1] == latest
        n = len(line["x"])
        assert band["x"][:n] == line["x"] and band["y"][0] == band["y"][-1] == p.latest_value
        highs, lows = band["y"][:n], band["y"][n:][::-1]
        assert all(lo - 1e-9 <= v <= hi + 1e-9 for lo, v, hi in zip(lows, line["y"], highs, strict=True))
        if p.projected is not None and p.projected <= p.deadline:  # the line meets the target where it ends
            assert hb.indicators[hb.targets[target].indicator].meets(line["y"][-1], p.target_value)
        assert "At this pace" in chart["aria-label"] or "no sign" in chart["aria-label"].lower()
    assert seen >= 5


def test_team_page_says_it(site, analysis):
    hb = analysis.hb
    checked = 0
    for (target, team), p in analysis.projections.items():
        page = _soup(site / "teams" / team / "index.html")
        items = [li.get_text(" ", strip=True) for li in page.select(".hb-team-glance__item--pace")]
        title = " ".join(hb.targets[target].title.split())
        mine = [t for t in items if t.startswith(title)]
        if p.kind is None:
            assert not mine
            continue
        checked += 1
        assert len(mine) == 1
        if p.kind in (P.BEFORE, P.AFTER):
            when = "before" if p.kind == P.BEFORE else "after"
            assert f"At this pace: met by {format_period(p.projected, MONTHLY)}" in mine[0]
            assert f"{when} the {format_period(p.deadline, MONTHLY)} deadline" in mine[0]
            assert "needs " in mine[0] and "keeping " in mine[0]
        # The chart's text alternative says the same sentence.
        heading = page.find(id=f"target-{target}")
        chart = heading.find_next(class_="hb-chart")
        assert mine[0].split(": ", 1)[1].lstrip("✔✘… ").split(";")[0] in chart["aria-label"]
    assert checked >= 5


def test_home_scoreboard_print_and_status_page(site, analysis):
    on_pace, shown = P.count_on_pace(analysis.projections.values())
    home = _soup(site / "index.html").select_one(".hb-on-pace")
    assert home["data-on-pace"] == str(on_pace) and home["data-projected"] == str(shown)
    assert f"{on_pace} of {shown}" in home.get_text(" ", strip=True)
    board = _soup(site / "scoreboard" / "index.html").select(".hb-grid__pace")
    assert len(board) == sum(1 for p in analysis.projections.values() if p.kind is not None)
    printed = _soup(site / "onboarding" / "print" / "index.html")
    assert printed.select(".hb-summary .hb-pace") and printed.find(id="projection")
    status = _soup(site / "onboarding" / "status" / "index.html")
    text = status.get_text(" ", strip=True)
    tested = P.backtest(analysis.hb)
    assert f"{tested.inside} of {tested.series} series" in text
    example = status.find(id="projection-example").find_next("ol").get_text(" ", strip=True)
    assert "figures from" in example and "meets the target in" in example


def test_status_page_says_nothing_of_coverage_without_history(tmp_path):
    org = base_org()
    org["measurements"]["figures.csv"] = (monthly("alpha", "wait-days", (2024, 1), [6, 5.8, 5.5, 5.1, 4.9, 4.6, 4.4])
                                          + monthly("beta", "wait-days", (2024, 1), [6, 6, 6.1, 6, 5.9, 6, 6]))
    out = site_of(write_org(tmp_path, org))  # its pages by direct macro calls (tests/pages.py), no build
    status = article(out, "onboarding/status")
    text = status.get_text(" ", strip=True)
    assert "Not enough history yet" in text and "series, " not in text.split("Not enough history yet")[1][:200]
    team = article(out, "teams/alpha")
    assert any("met by" in li.get_text() for li in team.select(".hb-team-glance__item--pace"))
    beta = article(out, "teams/beta")
    assert any("no sign of reaching it" in li.get_text().lower() for li in beta.select(".hb-team-glance__item--pace"))


def test_every_page_says_the_same_range(tmp_path):
    """The scoreboard's cells, the target page's "At this pace" column, the print version's summary and the team
    page say a projection with its range, in the same words: "never" for a slow end that never gets there, never
    a lone period (the reviewer's case: "by 2029-05, after deadline" with a range to never)."""
    org = base_org()
    org["targets.yml"][0]["target"] = {"period": "2026-12", "value": 5.0}
    org["measurements"]["figures.csv"] = (monthly("alpha", "wait-days", (2024, 1), NEVER)
                                          + monthly("beta", "wait-days", (2024, 1), FAR))
    out = site_of(write_org(tmp_path, org))
    pages = {url: article(out, url) for url in ("scoreboard", "targets/faster", "onboarding/print")}
    for url, page in pages.items():
        said = [" ".join(x.get_text(" ").split()) for x in page.select(".hb-pace")]
        assert any("by 2027-01, range 2025-10 to never, after deadline" in t for t in said), (url, said)
        assert any("by 2033-04, range 2033-04 to beyond 2034, after deadline" in t for t in said), (url, said)
        assert not any("beyond" in t and "never" in t for t in said), (url, said)
    alpha, beta = ([" ".join(x.get_text(" ").split()) for x in article(out, f"teams/{team}").select(".hb-pace")]
                   for team in ("alpha", "beta"))
    assert alpha and all("met by 2027-01, range 2025-10 to never (it may never reach it at this pace), after the "
                         "2026-12 deadline" in t and "beyond" not in t for t in alpha), alpha
    assert beta and all("met by 2033-04, range 2033-04 to beyond 2034, after the 2026-12 deadline" in t
                        and "never" not in t for t in beta), beta


def test_quarterly_organization_projects_in_quarters(tmp_path):
    org = base_org("quarterly")
    org["measurements"]["figures.csv"] = quarterly("alpha", "wait-days", (2024, 1), [6, 5.5, 5.0, 4.6, 4.1])
    data = write_org(tmp_path, org)
    result = run_cli("status", "--json", data=data, env={"HANDBOOK_TODAY": "2025-07-15"})
    rows = {r["team"]: r for r in json.loads(result.stdout)}
    alpha = rows["alpha"]
    assert alpha["projection"] in (P.BEFORE, P.AFTER) and alpha["projected_period"].startswith("2025-Q") or \
        alpha["projected_period"].startswith("2026-Q")
    assert math.isclose(alpha["pace"], theilslopes([6, 5.5, 5.0, 4.6, 4.1], [0, 1, 2, 3, 4]).slope, abs_tol=1e-6)
    assert rows["beta"]["projection"] is None and rows["beta"]["projection_reason"] == "no data"


def test_backtest_script_reports_each_level(sample_copy, capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location("backtest_projection", ROOT / "benchmarks" / "backtest_projection.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["--data", str(sample_copy), "--synthetic", "30"]) == 0
    lines = capsys.readouterr().out.splitlines()
    own = P.backtest(validate_data(sample_copy), limit=None)
    rows = [line for line in lines if line.strip().startswith("0.")]
    assert len(rows) == len(script.LEVELS)
    row = next(line for line in rows if line.split()[0] == f"{P.CONFIDENCE[MONTHLY]:.2f}")
    assert f"{own.inside}/{own.series}" in row and "/30 (" in row
