"""Figure dicts: points, target line, trajectory endpoints, deadline and baseline marks, x values; and their HTML."""

from __future__ import annotations

import json

import numpy as np
import pages
import pytest
from bs4 import BeautifulSoup
from pages import page_soup, site_of

from macros.derive import GuardrailResult, TeamStatus, derive_guardrail
from macros.model import Better, Indicator, Series, Stage, Status
from macros.periods import parse_period
from macros.render.charts import (
    Chart,
    build_guardrail_figure,
    build_indicator_chart,
    build_indicator_figure,
    build_target_chart,
    build_target_figure,
    figure_json,
    guardrail_limit,
    period_range,
    render_chart,
    summarize_guardrail,
    summarize_target,
)
from orgs import BIG_INDICATORS, big_org, write_org

M = "monthly"
Q = "quarterly"
DAYS = Indicator("wait-days", "Days waiting", "days", Stage.OUTPUT, Better.LOWER, decimals=1)
SAT = Indicator("satisfaction", "Satisfaction", "%", Stage.OUTCOME, Better.HIGHER)


def p(text: str, freq: str = M) -> int:
    index = parse_period(text, freq)
    assert index is not None
    return index


def series(start: str, values: list[float], freq: str = M, skip: set[int] | None = None) -> Series:
    first = p(start, freq)
    periods = [first + i for i in range(len(values)) if i not in (skip or set())]
    vals = [v for i, v in enumerate(values) if i not in (skip or set())]
    return Series(tuple(periods), tuple(vals), tuple("" for _ in vals))


def status(**kw) -> TeamStatus:
    base = dict(target="faster", team="alpha", indicator="wait-days", status=Status.ON_TRACK,
                period=p("2024-06"), value=4.0, expected=4.4, baseline_period=p("2024-01"), baseline_value=6.0,
                target_period=p("2024-12"), target_value=2.0, periods_behind=0)
    base.update(kw)
    return TeamStatus(**base)


def trace(fig: dict, meta: str) -> dict:
    found = [t for t in fig["data"] if t["meta"] == meta]
    assert len(found) == 1, f"{meta}: {len(found)} traces"
    return found[0]


def test_target_figure_plots_actual_figures_against_the_trajectory():
    s = series("2024-01", [6.0, 5.6, 5.0, 4.6, 4.2, 4.0])
    fig = build_target_figure(status(), DAYS, s, M)
    actual = trace(fig, "actual")
    assert actual["x"] == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
    assert actual["y"] == [6.0, 5.6, 5.0, 4.6, 4.2, 4.0]
    trajectory = trace(fig, "trajectory")
    assert list(zip(trajectory["x"], trajectory["y"], strict=True)) == [("2024-01", 6.0), ("2024-12", 2.0)]
    target = trace(fig, "target")
    assert target["y"] == [2.0, 2.0]
    assert target["x"] == ["2024-01", "2024-12"]  # across the whole axis
    baseline = trace(fig, "baseline")
    assert (baseline["x"], baseline["y"]) == (["2024-01"], [6.0])
    deadline = fig["layout"]["shapes"][0]
    assert (deadline["x0"], deadline["x1"], deadline["yref"], deadline["y0"], deadline["y1"]) == ("2024-12", "2024-12", "paper", 0, 1)
    assert fig["layout"]["annotations"][0]["x"] == "2024-12"


def test_x_axis_lists_every_period_so_gaps_keep_their_spacing():
    s = series("2024-03", [5.0, 4.8, 4.0, 3.5], skip={1, 2})  # figures in 2024-03 and 2024-06 only
    fig = build_target_figure(status(period=p("2024-06"), value=3.5), DAYS, s, M)
    axis = fig["layout"]["xaxis"]
    assert axis["type"] == "category" and axis["categoryorder"] == "array"
    # From the baseline (before the first figure) to the deadline, every month in order.
    assert axis["categoryarray"] == period_range(p("2024-01"), p("2024-12"), M)
    assert len(axis["categoryarray"]) == 12
    assert axis["range"] == [-0.5, 11.5]
    # The missing months are on the line as nulls, so plotly breaks it there instead of joining 2024-03 to 2024-06.
    actual = trace(fig, "actual")
    assert actual["x"] == ["2024-03", "2024-04", "2024-05", "2024-06"]
    assert actual["y"] == [5.0, None, None, 3.5]
    assert actual["connectgaps"] is False


def test_axis_extends_past_the_deadline_when_figures_continue():
    s = series("2024-01", [6.0] * 15)
    fig = build_target_figure(status(period=p("2025-03"), value=6.0, status=Status.OFF_TRACK), DAYS, s, M)
    assert fig["layout"]["xaxis"]["categoryarray"][-1] == "2025-03"
    assert trace(fig, "target")["x"] == ["2024-01", "2025-03"]
    assert trace(fig, "trajectory")["x"] == ["2024-01", "2024-12"]


def test_quarterly_figures_use_quarter_labels():
    s = series("2024-Q1", [70, 72, 75], Q)
    st = status(indicator="satisfaction", period=p("2024-Q3", Q), value=75, baseline_period=p("2024-Q1", Q),
                baseline_value=70, target_period=p("2025-Q2", Q), target_value=80, expected=74.0)
    fig = build_target_figure(st, SAT, s, Q)
    assert trace(fig, "actual")["x"] == ["2024-Q1", "2024-Q2", "2024-Q3"]
    assert fig["layout"]["xaxis"]["categoryarray"] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]
    assert trace(fig, "trajectory")["y"] == [70, 80]
    assert summarize_target(st, SAT, Q) == "75 % in 2024-Q3, on track for 80 % by 2025-Q2."


def test_no_figures_means_no_actual_trace_and_no_trajectory_without_a_baseline():
    st = status(status=Status.NO_DATA, period=None, value=None, expected=None, baseline_period=None,
                baseline_value=None, periods_behind=None)
    fig = build_target_figure(st, DAYS, None, M)
    assert [t["meta"] for t in fig["data"]] == ["target"]
    assert trace(fig, "target")["x"] == ["2024-12", "2024-12"]
    assert fig["layout"]["shapes"][0]["x0"] == "2024-12"
    chart = build_target_chart(st, DAYS, None, M)
    assert chart.rows == ()
    assert chart.summary == "No figures yet for this target; the target is 2.0 days by 2024-12."


@pytest.mark.parametrize("st, text", [
    (status(status=Status.MET, value=1.9), "1.9 days in 2024-06: met the target of 2.0 days by 2024-12."),
    (status(status=Status.AT_RISK, value=5.0), "5.0 days in 2024-06, at risk of missing 2.0 days by 2024-12."),
    (status(status=Status.OFF_TRACK, value=6.5), "6.5 days in 2024-06, off track for 2.0 days by 2024-12."),
    (status(status=Status.STALE, periods_behind=4),
     "4.0 days in 2024-06, stale: no figure for 4 periods, so no current status; the target is 2.0 days by 2024-12."),
])
def test_summary_says_where_the_team_stands(st, text):
    assert summarize_target(st, DAYS, M) == text


def test_target_chart_table_pairs_each_figure_with_the_trajectory():
    s = series("2024-01", [6.0, 5.0], skip=set())
    chart = build_target_chart(status(period=p("2024-02"), value=5.0), DAYS, s, M)
    assert chart.headers == ("Period", "Actual (days)", "Trajectory")
    assert chart.rows == (("2024-01", "6.0", "6.0"), ("2024-02", "5.0", "5.6"))  # 6 - 4 * 1/11 = 5.64


def test_guardrail_limit_is_the_start_worsened_by_the_tolerance():
    lower = GuardrailResult("rework", 2, p("2024-01"), 3.0, p("2024-06"), 9.0, 6.0, True)
    assert guardrail_limit(lower, DAYS) == 5.0
    higher = GuardrailResult("satisfaction", 5, p("2024-01"), 80.0, p("2024-06"), 78.0, 2.0, False)
    assert guardrail_limit(higher, SAT) == 75.0
    s = series("2024-01", [3, 4, 5, 7, 8, 9])
    fig = build_guardrail_figure(lower, DAYS, s, M)
    limit = trace(fig, "limit")
    assert list(zip(limit["x"], limit["y"], strict=True)) == [("2024-01", 5.0), ("2024-06", 5.0)]
    assert trace(fig, "baseline")["y"] == [3.0]
    assert trace(fig, "actual")["y"] == [3, 4, 5, 7, 8, 9]


def test_guardrail_summary_states_the_distortion_flag_in_words():
    rework = Indicator("rework", "Rework rate", "%", Stage.PROCESS, Better.LOWER)
    s = series("2024-01", [3, 4, 5, 7, 8, 9])
    flagged = derive_guardrail("rework", 2, rework, s, p("2024-01"), p("2024-06"), True)
    assert flagged.flagged
    assert summarize_guardrail(flagged, rework, M) == (
        # A difference of percentages is in points (issue 11).
        "Rework rate: worse by 6 points (3 % in 2024-01 to 9 % in 2024-06); "
        "distortion flag: worse by more than the tolerance of 2 points while the target improved."
    )
    calm = derive_guardrail("rework", 2, rework, series("2024-01", [3, 2]), p("2024-01"), p("2024-02"), True)
    assert summarize_guardrail(calm, rework, M) == (
        "Rework rate: better by 1 point (3 % in 2024-01 to 2 % in 2024-02); no distortion flag (tolerance 2 points).")
    flat = derive_guardrail("rework", 0.5, rework, series("2024-01", [100, 100]), p("2024-01"), p("2024-02"), True)
    assert summarize_guardrail(flat, rework, M) == (
        "Rework rate: unchanged (100 % in 2024-01 to 100 % in 2024-02); no distortion flag (tolerance 0.5 points).")
    empty = GuardrailResult("rework", 2, None, None, None, None, None, False)
    assert build_guardrail_figure(empty, rework, None, M) == {"data": [], "layout": {"yaxis": {"title": {"text": "%"}, "hoverformat": ",.0f"}}}


def test_indicator_figure_is_one_trace_without_legend():
    s = series("2025-11", [70, 72, 71])
    fig = build_indicator_figure(SAT, s, M)
    assert len(fig["data"]) == 1
    assert fig["data"][0]["x"] == ["2025-11", "2025-12", "2026-01"]
    assert fig["data"][0]["y"] == [70, 72, 71]
    assert fig["layout"]["showlegend"] is False
    # One contiguous trace already lists every period in order: no category array needed.
    assert fig["layout"]["xaxis"] == {"type": "category", "range": [-0.5, 2.5]}
    # A gap is a null on the line, which then still lists every period in order: no category array either.
    gappy = build_indicator_figure(SAT, series("2025-11", [70, 72, 71], skip={1}), M)
    assert (gappy["data"][0]["x"], gappy["data"][0]["y"]) == (["2025-11", "2025-12", "2026-01"], [70, None, 71])
    assert "categoryarray" not in gappy["layout"]["xaxis"]
    chart = build_indicator_chart(SAT, s, M)
    assert chart.summary == "Satisfaction: 71 % in 2026-01 (3 figures since 2025-11; higher is better)."
    assert chart.small


def test_figure_json_is_compact_valid_json_and_keeps_numbers():
    assert figure_json({"data": [], "layout": {}}) == '{"data":[],"layout":{}}'
    # NaN is not JSON: it is written as null, plotly's gap, and the text parses strictly.
    text = figure_json({"data": [{"y": [float("nan"), 1.5, None]}]})
    assert text == '{"data":[{"y":[null,1.5,null]}]}'
    json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in figure JSON"))
    # numpy's numbers are written as the numbers they hold; text stays text (not \u-escaped).
    assert json.loads(figure_json({"y": [np.float64(71.3), np.int64(4)], "name": "Équipe «x»"})) == {
        "y": [71.3, 4], "name": "Équipe «x»"}
    assert "Équipe" in figure_json({"name": "Équipe"})
    with pytest.raises(TypeError):
        figure_json({"y": object()})


def test_sixty_monthly_points_stay_small():
    s = series("2021-01", [round(5 + i * 0.01, 2) for i in range(60)])
    st = status(period=p("2025-12"), value=5.59, baseline_period=p("2021-01"), baseline_value=5.0,
                target_period=p("2026-06"), target_value=7.0)
    chart = build_target_chart(st, DAYS, s, M)
    assert len(render_chart(chart, static_table=False)) < 3_500  # the figure alone; charts.js builds the table
    html = render_chart(chart)
    assert len(html) < 7_000, len(html)  # with the static data table
    rows = BeautifulSoup(html, "html.parser").select("table.hb-table--chart tbody tr")
    assert len(rows) == 60 and [td.get_text() for td in rows[0].find_all("td")] == ["2021-01", "5.0", "5.0"]


def test_render_chart_escapes_and_round_trips_the_figure():
    nasty = Indicator("x", "<b>Bold</b> 'quoted' \"name\" & {{ jinja }}", "<i>u</i>", Stage.INPUT, Better.HIGHER)
    s = series("2024-01", [1, 2])
    chart = build_indicator_chart(nasty, s, M)
    html = render_chart(chart, title_html="Title")
    doc = BeautifulSoup(html, "html.parser")
    assert doc.select("b, i, script") == []
    div = doc.select_one(".hb-chart")
    assert json.loads(div["data-figure"]) == chart.figure
    assert div["role"] == "img" and div["aria-label"] == chart.summary
    assert doc.select_one("figcaption").get_text() == chart.summary
    details = doc.select_one("details.hb-chart__data")
    assert json.loads(details["data-columns"]) == ["Period", "Value (<i>u</i>)"]
    assert details.select("table thead th")[1].get_text() == "Value (<i>u</i>)"
    dynamic = BeautifulSoup(render_chart(chart, static_table=False), "html.parser")
    assert dynamic.select("table") == []  # charts.js builds it from the figure
    static = BeautifulSoup(render_chart(chart, data_href="x.csv"), "html.parser")
    assert static.select("b, i, script") == []
    assert [td.get_text() for td in static.select("details tbody td")] == ["2024-01", "1", "2024-02", "2"]
    assert static.select_one(".hb-chart__csv a")["href"] == "x.csv"


def test_target_figure_carries_the_trajectory_per_figure_for_the_table():
    s = series("2024-01", [6.0, 5.0, 4.0], skip={1})
    fig = build_target_figure(status(period=p("2024-03"), value=4.0), DAYS, s, M)
    # One per period of the line, the missing 2024-02 included (the trajectory is known there too).
    assert trace(fig, "actual")["customdata"] == pytest.approx([6.0, 6.0 - 4.0 / 11, 6.0 - 4.0 * 2 / 11])
    no_base = build_target_figure(status(baseline_period=None, baseline_value=None), DAYS, s, M)
    assert "customdata" not in trace(no_base, "actual")


def test_a_chart_without_figures_has_no_empty_data_table():
    st = status(status=Status.NO_DATA, period=None, value=None, expected=None, periods_behind=None)
    html = render_chart(build_target_chart(st, DAYS, None, M))
    assert BeautifulSoup(html, "html.parser").select("details") == []


def test_chart_dataclass_defaults():
    chart = Chart({"data": [], "layout": {}}, "summary", ("Period",), ())
    assert not chart.small and chart.title == ""


def test_figure_attribute_survives_quotes_ampersands_and_markup():
    fig = {"data": [{"name": "it's <b>&amp; \"x\"</b> '></div><script>", "meta": "actual", "x": [], "y": []}], "layout": {}}
    chart = Chart(fig, "summary", ("Period",), ())
    doc = BeautifulSoup(render_chart(chart), "html.parser")
    assert doc.select("script, b") == []
    assert json.loads(doc.select_one(".hb-chart")["data-figure"]) == fig


def test_table_rows_hold_only_periods_and_numbers():
    """render_chart writes rows unescaped: they must never carry text from data."""
    import re

    nasty = Indicator("x", "<b>n</b>", "<i>u</i>", Stage.INPUT, Better.HIGHER, decimals=2)
    s = series("2024-01", [1234.5, -2, 3])
    charts = [build_indicator_chart(nasty, s, M),
              build_target_chart(status(period=p("2024-03"), value=3.0), nasty, s, M)]
    cells = [c for chart in charts for row in chart.rows for c in row]
    assert cells and all(re.fullmatch(r"[0-9Q,.\-–]+", c) for c in cells), cells
    assert "1,234.50" in cells


def test_ten_thousand_rows_for_one_team_are_all_charted(tmp_path):
    """40 indicators of 250 months for one team (orgs.big_org): every figure is a point on its team page's charts."""
    site = site_of(write_org(tmp_path, big_org()))
    article = page_soup(site, "team_page", "teams/alpha.md", "alpha")
    charts = article.select(".hb-chart")
    assert len(charts) >= BIG_INDICATORS
    points = sum(len(t["x"]) for c in charts for t in json.loads(c["data-figure"])["data"] if t.get("meta") == "actual")
    assert points >= 10_000


def test_a_guardrail_limit_from_a_fine_tolerance_keeps_its_precision_in_the_chart(messy):
    page = pages.article(messy, "teams/north")
    grid = page.select_one("#guardrails-late-under-5").find_next("div", class_="hb-chart-grid")
    figure = json.loads(grid.select_one(".hb-chart")["data-figure"])
    limit = next(t for t in figure["data"] if t["meta"] == "limit")
    assert limit["y"] == [79.5, 79.5]  # 80 % less the 0.5-point tolerance (higher is better)
    assert limit["hovertemplate"] == "%{y:,.1f}<extra>Limit</extra>"  # shown as 79.5, not rounded to 80
