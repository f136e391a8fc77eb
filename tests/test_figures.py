"""Figures true to messy data: a gap is a gap, a note is shown (and stays text), charts compared share their scale.

A fixture organization with a gap in one team's figures, a team that started late, a team that stopped, hostile
notes and two teams on very different scales is built once; the tests read the figures out of the built pages.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pages import article, site_of

from conftest import build_ok
from macros.model import Better, Indicator, Series, Stage
from macros.periods import parse_period
from macros.render.charts import (
    NO_FIGURE,
    build_cross_team_chart,
    build_indicator_chart,
    build_target_chart,
    describe_gaps,
    hover_note,
    lay_out,
    render_chart,
    select_cross_team,
    share_y_range,
)
from orgs import base_org, clone, monthly

IMG = "<img src=x onerror=alert(1)>"
JINJA = "{{ 7*7 }} & <b>bold</b><br>next"
MONTHS = [f"2024-{m:02d}" for m in range(1, 11)]


def fixture_org() -> dict:
    """Alpha misses 2024-04 to 2024-06 and notes two figures; Beta is on another scale; Gamma starts late, stops early."""
    org = clone(base_org())
    wait_alpha = [r for r in monthly("alpha", "wait-days", (2024, 1), [6.0, 5.8, 5.5, 5.2, 5.0, 4.8, 4.5, 4.2, 4.0, 3.8])
                  if r[2] not in ("2024-04", "2024-05", "2024-06")]
    wait_alpha = [(*r, IMG) if r[2] == "2024-03" else (*r, JINJA) if r[2] == "2024-07" else r for r in wait_alpha]
    rows = wait_alpha
    rows += monthly("beta", "wait-days", (2024, 1), [20.0, 19.0, 18.5, 17.0, 16.0, 15.5, 15.0, 14.0, 13.0, 12.0])
    rows += monthly("alpha", "rework", (2024, 1), [3, 3, 4, 4, 4, 5, 5, 5, 6, 6])
    rows += monthly("beta", "rework", (2024, 1), [8, 8, 9, 9, 10, 10, 11, 11, 12, 12])
    rows += monthly("alpha", "satisfaction", (2024, 1), [70, 71, 72, 72, 73, 74, 74, 75, 76, 77])
    # Gamma reports satisfaction from 2024-05 (not missing before) to 2024-08: 2024-09 and 2024-10 are missing.
    rows += monthly("gamma", "satisfaction", (2024, 5), [60, 61, 61, 62])
    org["measurements"] = {"figures.csv": rows}
    # A second target on Alpha whose indicator is the first one's guardrail, and the other way round: the same
    # indicator twice on Alpha's page.
    org["targets.yml"].append({
        "id": "less-rework", "title": "Halve rework", "deficit": "slow", "indicator": "rework", "teams": ["alpha"],
        "owner": "Director", "baseline": {"period": "2024-01"}, "target": {"period": "2024-12", "value": 2},
        "theory": {"link": "Less rework frees crews.", "chain": ["Less rework", "Faster service"]},
        "guardrails": [{"indicator": "wait-days", "tolerance": 1}],
    })
    return org


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fixture organization's build context: its pages by direct macro calls (tests/pages.py)."""
    from orgs import write_org

    return site_of(write_org(tmp_path_factory.mktemp("figures"), fixture_org()))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture organization built, for the browser."""
    from orgs import write_org

    root = tmp_path_factory.mktemp("figures-built")
    return build_ok(write_org(root, fixture_org()), root / "site")


def soup(site, path: str) -> BeautifulSoup:
    if isinstance(site, Path):  # a built site (the sample's)
        return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
    return article(site, path)


def charts(page: BeautifulSoup) -> list[dict]:
    """Every chart on a page: its figure, summary, and data table (headers and rows of cell text)."""
    out = []
    for fig in page.select("figure.hb-figure"):
        table = fig.select_one("details.hb-chart__data table")
        out.append({
            "figure": json.loads(fig.select_one(".hb-chart")["data-figure"]),
            "summary": fig.select_one("figcaption").get_text(),
            "label": fig.select_one(".hb-chart")["aria-label"],
            "title": fig.select_one(".hb-figure__title").get_text(" ", strip=True) if fig.select_one(".hb-figure__title") else "",
            "headers": [th.get_text() for th in table.select("thead th")] if table else [],
            "rows": [[td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")] if table else [],
            "notes": [li.get_text() for li in fig.select(".hb-chart__notes li")],
        })
    return out


def role(figure: dict, meta: str) -> list[dict]:
    return [t for t in figure["data"] if t.get("meta") == meta]


def by_period(chart: dict) -> dict[str, dict[str, str]]:
    return {r[0]: dict(zip(chart["headers"], r, strict=True)) for r in chart["rows"]}


# --- Gaps ------------------------------------------------------------------------------------------------


def test_a_missing_month_breaks_the_line_is_a_table_row_and_is_counted(site):
    first = charts(soup(site, "teams/alpha"))[0]  # the target "faster" on wait-days
    (actual,) = role(first["figure"], "actual")
    assert actual["x"] == MONTHS
    assert actual["y"] == [6.0, 5.8, 5.5, None, None, None, 4.5, 4.2, 4.0, 3.8]
    assert actual["connectgaps"] is False
    rows = by_period(first)
    assert [rows[p]["Actual (days)"] for p in ("2024-03", "2024-04", "2024-05", "2024-06", "2024-07")] == \
        ["5.5", NO_FIGURE, NO_FIGURE, NO_FIGURE, "4.5"]
    assert list(rows) == MONTHS  # a row for every month, the missing ones included
    assert rows["2024-05"]["Trajectory"] != "–"  # the trajectory is known where the figure is missing
    assert "3 months missing (2024-04 to 2024-06)." in first["summary"]
    assert first["label"] == first["summary"]


def test_a_team_that_started_late_is_not_missing_before_and_one_that_stopped_is_missing_after(site):
    page = soup(site, "indicators")
    (sat,) = [c for c in charts(page) if c["headers"][:1] == ["Period"] and "Gamma Team" in c["headers"]]
    alpha, gamma = role(sat["figure"], "team")
    assert (alpha["name"], gamma["name"]) == ("Alpha Team", "Gamma Team")
    # Gamma's line starts at its first figure and runs, with nulls, to the latest month any team reported.
    assert gamma["x"] == MONTHS[4:]
    assert gamma["y"] == [60, 61, 61, 62, None, None]
    rows = by_period(sat)
    assert [rows[p]["Gamma Team"] for p in MONTHS] == ["–"] * 4 + ["60", "61", "61", "62", NO_FIGURE, NO_FIGURE]
    assert "Gamma Team, 2 months (2024-09 to 2024-10)" in sat["summary"]
    assert "Alpha Team," not in sat["summary"].split("Missing:")[-1]  # Alpha missed nothing here


# --- Notes -----------------------------------------------------------------------------------------------


def test_notes_reach_the_hover_text_a_marker_and_the_note_column_as_text(site):
    page = soup(site, "teams/alpha")
    html = str(page)
    first = charts(page)[0]
    (actual,) = role(first["figure"], "actual")
    hover = dict(zip(actual["x"], actual["hovertext"], strict=True))
    # Escaped for plotly, whose hover labels read <b>, <br>, <a> as markup; our own <br> wraps long notes only.
    assert hover["2024-03"] == "Note: &lt;img src=x onerror=alert(1)&gt;"
    assert hover["2024-07"] == "Note: {{ 7*7 }} &amp; &lt;b&gt;bold&lt;/b&gt;&lt;br&gt;next"
    assert hover["2024-01"] == "" and hover["2024-04"] == ""
    (marker,) = role(first["figure"], "note")
    assert list(zip(marker["x"], marker["y"], strict=True)) == [("2024-03", 5.5), ("2024-07", 4.5)]
    assert marker["marker"]["symbol"] != "circle"
    rows = by_period(first)
    assert first["headers"][-1] == "Note"
    assert rows["2024-03"]["Note"] == IMG
    assert rows["2024-07"]["Note"] == JINJA  # never run as a template
    assert rows["2024-02"]["Note"] == ""
    assert "Notes on 2024-03, 2024-07 (below the chart)." in first["summary"]
    # The notes themselves under the chart, as text: no hover needed.
    assert first["notes"] == [f"2024-03: {IMG}", f"2024-07: {' '.join(JINJA.split())}"]
    # No markup from a note anywhere on the page: no image, no bold, and no 49.
    assert page.select("img[src=x], img[onerror]") == []
    assert page.select("b") == [] and "<img src=x" not in html and "<b>bold" not in html
    assert "49 &amp;" not in html and "49 & <b>" not in page.get_text()


def test_a_chart_without_notes_has_no_note_column_or_marker(site):
    beta = charts(soup(site, "teams/beta"))[0]
    assert beta["headers"] == ["Period", "Actual (days)", "Trajectory"]
    assert role(beta["figure"], "note") == []
    assert "hovertext" not in role(beta["figure"], "actual")[0]
    assert " missing (" not in beta["summary"]


def test_indicators_page_table_names_whose_note_it_is(site):
    (wait,) = [c for c in charts(soup(site, "indicators")) if "Beta Team" in c["headers"] and "Days" in c["summary"]]
    rows = by_period(wait)
    assert rows["2024-03"]["Note"] == f"Alpha Team: {IMG}"
    assert rows["2024-05"]["Alpha Team"] == NO_FIGURE and rows["2024-05"]["Beta Team"] == "16.0"
    assert "Alpha Team, 3 months (2024-04 to 2024-06)" in wait["summary"]
    assert wait["summary"].endswith(" 2 notes (below the chart).")
    assert wait["notes"][0] == f"Alpha Team, 2024-03: {IMG}"


# --- Shared y axes -----------------------------------------------------------------------------------------


def _all_y(figure: dict) -> list[float]:
    return [v for t in figure["data"] for v in t["y"] if v is not None]


def test_a_target_pages_team_charts_share_one_y_range_covering_every_series(site):
    figs = [c["figure"] for c in charts(soup(site, "targets/faster"))]
    assert len(figs) == 2
    ranges = [f["layout"]["yaxis"]["range"] for f in figs]
    assert ranges[0] == ranges[1]
    lo, hi = ranges[0]
    values = [v for f in figs for v in _all_y(f)]
    assert lo < min(values) <= 3.8 and hi > max(values) >= 20.0


def test_the_same_indicator_twice_on_a_team_page_shares_its_range(site):
    page = charts(soup(site, "teams/alpha"))
    # wait-days: the target chart of "faster" and the guardrail chart of "less-rework"; rework: the other way round.
    # (Satisfaction, an "other indicator" in % as well, is charted once and keeps its own range.)
    wait = [c["figure"] for c in page if c["headers"][1] in ("Actual (days)", "Days waiting (days)")]
    rework = [c["figure"] for c in page if c["headers"][1] in ("Actual (%)", "Rework rate (%)")]
    (sat,) = [c["figure"] for c in page if c["headers"][1] == "Value (%)"]
    assert len(wait) == 2 and len(rework) == 2
    assert "range" not in sat["layout"]["yaxis"]
    # Each indicator's charts range over their own figures only (the projection's band included), not the page's.
    # (Comparing the two ranges proves nothing: here the band of one reaches the guardrail limit of the other.)
    from copy import deepcopy

    from macros.render.charts import share_y_range

    assert wait[0]["layout"]["yaxis"]["range"] == share_y_range(deepcopy(wait))
    assert rework[0]["layout"]["yaxis"]["range"] == share_y_range(deepcopy(rework))
    for figs in (wait, rework):
        ranges = {tuple(f["layout"]["yaxis"]["range"]) for f in figs}
        assert len(ranges) == 1, ranges
        lo, hi = ranges.pop()
        assert all(lo < v < hi for f in figs for v in _all_y(f))


def test_a_chart_alone_keeps_plotlys_own_range(site):
    # Beta's page has one chart of wait-days and one of rework: nothing to compare, no explicit range.
    for c in charts(soup(site, "teams/beta")):
        assert "range" not in c["figure"]["layout"]["yaxis"]


# --- Figure functions --------------------------------------------------------------------------------------

DAYS = Indicator("wait-days", "Days waiting", "days", Stage.OUTPUT, Better.LOWER, decimals=1)


def series(periods: list[str], values: list[float], freq: str = "monthly", notes: dict[str, str] | None = None) -> Series:
    idx = [parse_period(p, freq) for p in periods]
    return Series(tuple(idx), tuple(values), tuple((notes or {}).get(p, "") for p in periods))  # type: ignore[arg-type]


def test_lay_out_counts_gaps_between_first_figure_and_end_only():
    s = series(["2024-03", "2024-04", "2024-07"], [1, 2, 3])
    laid = lay_out(s)
    assert laid.values == [1, 2, None, None, 3] and len(laid.missing) == 2
    assert describe_gaps(laid, "monthly") == "2 months missing (2024-05 to 2024-06)."
    end = parse_period("2024-09", "monthly")
    trailing = lay_out(s, end)
    assert trailing.values == [1, 2, None, None, 3, None, None]
    assert describe_gaps(trailing, "monthly") == "4 months missing (2024-05 to 2024-06, 2024-08 to 2024-09)."
    assert lay_out(s, parse_period("2024-01", "monthly")).values == laid.values  # an earlier end changes nothing
    one = lay_out(series(["2024-01", "2024-03"], [1, 2]))
    assert describe_gaps(one, "monthly") == "1 month missing (2024-02)."


def test_quarterly_gaps_are_counted_in_quarters():
    s = series(["2024-Q1", "2024-Q3", "2025-Q2"], [1, 2, 3], "quarterly")
    assert describe_gaps(lay_out(s), "quarterly") == "3 quarters missing (2024-Q2, 2024-Q4 to 2025-Q1)."
    chart = build_indicator_chart(DAYS, series(["2024-Q1", "2024-Q3"], [1, 2], "quarterly"), "quarterly")
    assert chart.summary.endswith("1 quarter missing (2024-Q2).")
    assert [r[1] for r in chart.rows] == ["1.0", NO_FIGURE, "2.0"]


def test_hover_notes_are_escaped_wrapped_and_capped():
    assert hover_note("") == ""
    assert hover_note("a <br> b & <b>c</b>") == "Note: a &lt;br&gt; b &amp; &lt;b&gt;c&lt;/b&gt;"
    long = hover_note("word " * 200)
    assert "<br>" in long and long.count("<br>") < 8 and "whole note is below the chart" in long
    assert "<" not in long.replace("<br>", "")


def test_note_column_is_escaped_in_the_static_table():
    s = series(["2024-01", "2024-02"], [1, 2], notes={"2024-02": '</td><script>x()</script>"'})
    chart = build_indicator_chart(DAYS, s, "monthly")
    html = render_chart(chart)
    doc = BeautifulSoup(html, "html.parser")
    assert doc.select("script") == []
    assert [td.get_text() for td in doc.select("tbody tr")[1].select("td")] == ["2024-02", "2.0", '</td><script>x()</script>"']
    assert json.loads(doc.select_one(".hb-chart")["data-figure"]) == chart.figure


def test_share_y_range_pads_the_extent_of_every_figure():
    a = {"data": [{"y": [1.0, None, 3.0]}], "layout": {"yaxis": {}}}
    b = {"data": [{"y": [10.0]}, {"y": [2.0, 2.0]}], "layout": {"yaxis": {}}}
    y_range = share_y_range([a, b])
    assert a["layout"]["yaxis"]["range"] == b["layout"]["yaxis"]["range"] == y_range
    assert y_range[0] < 1.0 and y_range[1] > 10.0 and y_range[1] - y_range[0] < 9.0 * 1.3
    alone = {"data": [{"y": [1.0]}], "layout": {"yaxis": {}}}
    assert share_y_range([alone]) is None and "range" not in alone["layout"]["yaxis"]


def test_many_teams_show_the_best_median_and_worst_computed_period_by_period():
    teams = [(f"Team {i}", series(["2024-01", "2024-02"], [10.0 + i, 5.0 + i])) for i in range(9)]
    teams.append(("Team late", series(["2024-01"], [0.5])))  # no figure for 2024-02: in 2024-01's figures only
    chosen, sentence = select_cross_team(DAYS, teams, "monthly", limit=8)
    labels = ["Best of the teams reporting that month", "Median of the teams reporting that month",
              "Worst of the teams reporting that month"]
    assert [label for label, _ in chosen] == labels  # lower is better
    # 2024-01: 10 teams (0.5, 10..18): best 0.5, median 13.5 (the two middle figures 13 and 14), worst 18.
    # 2024-02: 9 teams (5..13): best 5, median 9, worst 13. Never one team's line drawn back in time.
    assert [list(s.values) for _, s in chosen] == [[0.5, 5.0], [13.5, 9.0], [18.0, 13.0]]
    assert sentence == ("Days waiting: 10 teams report it; the chart shows, month by month, the best, median and worst "
                        "of the teams reporting that month (lower is better). In 2024-02, of 9 teams: best 5.0 days, "
                        "median 9.0 days, worst 13.0 days.")
    chart = build_cross_team_chart(DAYS, teams, "monthly", limit=8)
    assert chart is not None
    assert [t["name"] for t in chart.figure["data"]] == labels
    assert chart.figure["data"][1]["y"] == [13.5, 9.0]
    assert chart.headers == ("Period", *labels, "Teams reporting")
    assert chart.rows[0][-1] == "10" and chart.rows[1][-1] == "9"
    few = build_cross_team_chart(DAYS, teams[:3], "monthly")
    assert [t["name"] for t in few.figure["data"]] == ["Team 0", "Team 1", "Team 2"]
    assert len({t["line"]["dash"] for t in few.figure["data"]}) == 3  # told apart by more than colour


def test_many_teams_latest_figures_that_are_stale_are_said_stale():
    """Above the lines a chart draws, the sentence gives the latest period's best, median and worst: when that period's
    figures are older than the reporting calendar allows, it says so (they are not current)."""
    teams = [(f"Team {i}", series(["2024-01", "2024-02"], [10.0 + i, 5.0 + i])) for i in range(9)]
    feb = parse_period("2024-02", "monthly")
    _chosen, sentence = select_cross_team(DAYS, teams, "monthly", limit=8, stale=lambda p: p <= feb)
    assert sentence.endswith("In 2024-02, of 9 teams: best 5.0 days, median 9.0 days, worst 13.0 days; stale, older "
                             "than the reporting calendar allows.")
    current = build_cross_team_chart(DAYS, teams, "monthly", limit=8, stale=lambda p: p < feb)
    assert current.summary.split(". ")[1].startswith("In 2024-02, of 9 teams: best 5.0 days, median 9.0 days, worst "
                                                     "13.0 days.") and "stale" not in current.summary
    assert "stale, older" in build_cross_team_chart(DAYS, teams, "monthly", limit=8, stale=lambda p: True).summary


def test_target_chart_table_has_a_row_per_period_with_no_figure():
    from test_charts import status

    s = series(["2024-01", "2024-03"], [6.0, 5.0])
    chart = build_target_chart(status(period=parse_period("2024-03", "monthly"), value=5.0), DAYS, s, "monthly")
    assert chart.rows == (("2024-01", "6.0", "6.0"), ("2024-02", NO_FIGURE, "5.6"), ("2024-03", "5.0", "5.3"))
    assert chart.summary.endswith(" 1 month missing (2024-02).")


# --- Drawn in the browser -------------------------------------------------------------------------------------


@pytest.mark.browser
def test_drawn_line_breaks_at_the_gap_and_the_hover_shows_the_note_as_text(browser, built):
    from browser import serve, wait_charts_drawn, watch

    with serve(built) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        watch(page)
        page.goto(base + "teams/alpha/")
        wait_charts_drawn(page)
        chart = page.locator(".hb-chart").first
        # Two drawn pieces of line, one each side of the missing months, and a point per figure only.
        pieces, points = chart.evaluate(
            "n => { const t = n.querySelectorAll('.scatterlayer .trace')[0]; "
            "return [t.querySelectorAll('path.js-line').length, t.querySelectorAll('.point').length]; }")
        assert (pieces, points) == (2, 7)
        chart.evaluate("n => Plotly.Fx.hover(n, {xval: n.data[0].x.indexOf('2024-03')}, 'xy')")
        page.wait_for_timeout(200)
        hover = chart.evaluate("n => [...n.querySelectorAll('.hoverlayer text')].map(t => t.textContent).join(' ')")
        assert f"Note: {IMG}" in hover  # shown as written
        assert page.locator("img[src=x], .hoverlayer img, .hoverlayer b").count() == 0
        chart.evaluate("n => Plotly.Fx.hover(n, {xval: n.data[0].x.indexOf('2024-07')}, 'xy')")
        page.wait_for_timeout(200)
        hover = chart.evaluate("n => [...n.querySelectorAll('.hoverlayer text')].map(t => t.textContent).join(' ')")
        assert f"Note: {JINJA}" in hover  # the note's <b> and <br> are shown, not obeyed
        bold = chart.evaluate("n => n.querySelectorAll('.hoverlayer tspan[style*=\"font-weight\"]').length")
        assert bold == 0
        # A data table built in the browser from the figure (render_chart(static_table=False)) says the same as the
        # one written into the page: "no figure" for the gap, the notes as plain text.
        static = page.locator("details.hb-chart__data").first.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => [...r.cells].map(c => c.textContent))")
        rebuilt = page.evaluate(
            "() => { const d = document.querySelector('details.hb-chart__data'); d.querySelector('table').remove(); "
            "window.hbCharts.buildTables(); "
            "return [...d.querySelectorAll('tbody tr')].map(r => [...r.cells].map(c => c.textContent)); }")
        assert rebuilt == static
        assert [r[1] for r in rebuilt].count(NO_FIGURE) == 3 and rebuilt[2][3] == IMG
        assert page.locator("img[src=x]").count() == 0
        assert page.dialogs == [] and page.errors == []
        page.close()


def test_the_sample_shows_a_gap_and_a_note_on_a_target_chart(sample_site):
    """The sample city's pothole chart misses 2025-10 and notes the January 2026 ice storm."""
    page = soup(sample_site, "teams/street-maintenance")
    first = charts(page)[0]
    (actual,) = role(first["figure"], "actual")
    at = dict(zip(actual["x"], actual["y"], strict=True))
    assert at["2025-10"] is None and at["2025-09"] is not None and at["2025-11"] is not None
    hover = dict(zip(actual["x"], actual["hovertext"], strict=True))
    assert hover["2026-01"].startswith("Note: Ice storm")
    assert "2026-01" in role(first["figure"], "note")[0]["x"]
    rows = by_period(first)
    assert rows["2025-10"]["Actual (days)"] == NO_FIGURE
    assert rows["2026-01"]["Note"].startswith("Ice storm")
    assert "1 month missing (2025-10)." in first["summary"]


def test_a_quarterly_organization_counts_missing_quarters(tmp_path):
    from orgs import quarterly, write_org

    org = base_org("quarterly")
    rows = [r for r in quarterly("alpha", "wait-days", (2024, 1), [6.0, 5.5, 5.0, 4.5, 4.0]) if r[2] != "2024-Q2"]
    rows += quarterly("beta", "wait-days", (2024, 1), [6.0, 5.5, 5.0, 4.5, 4.0])
    org["measurements"] = {"figures.csv": rows}
    site = site_of(write_org(tmp_path, org))
    alpha, beta = charts(soup(site, "targets/faster"))
    assert "1 quarter missing (2024-Q2)." in alpha["summary"]
    assert role(alpha["figure"], "actual")[0]["y"][:3] == [6.0, None, 5.0]
    assert by_period(alpha)["2024-Q2"]["Actual (days)"] == NO_FIGURE
    assert " missing (" not in beta["summary"]
    assert alpha["figure"]["layout"]["yaxis"]["range"] == beta["figure"]["layout"]["yaxis"]["range"]


def test_cross_team_summary_for_one_team_names_it():
    chart = build_cross_team_chart(DAYS, [("Solo  Team", series(["2024-01", "2024-03"], [1, 2]))], "monthly")
    assert chart is not None
    assert chart.summary == "Days waiting: reported by one team, Solo Team (lower is better). Missing: Solo Team, 1 month (2024-02)."
    assert build_cross_team_chart(DAYS, [], "monthly") is None
