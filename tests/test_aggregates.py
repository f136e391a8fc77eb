"""Combining different teams' figures: best, median and worst by default; a total or a mean only where the
indicator says (`aggregate`), on the messy fixture organization by direct macro calls; the sample site averages none.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from pages import article, text

from macros.derive import derive_analysis
from macros.validate import validate_data


def latest_of(page, indicator_id: str):
    return page.find(id=f"indicator-{indicator_id}").find_next("dl").select_one(".hb-latest")


def test_no_cross_team_mean_unless_the_indicator_allows_it(messy):
    page = article(messy, "indicators")
    # none (the default): best, median and worst, each named; never a mean (which would be 5.7 %)
    late = latest_of(page, "late-rate")
    assert text(late) == ("In 2024-12, of the 3 teams that reported: best 4 % (North Depot), median 4 % (South Depot), "
                          "worst 9 % (East Depot)")
    assert "mean" not in text(late) and late.get("data-value") is None
    assert [float(s["data-value"]) for s in late.select("[data-value]")] == [4, 4, 9]
    # sum: counts of depots of different sizes add up to a total
    claims = latest_of(page, "claims")
    assert text(claims) == "40 claims in 2024-12 (total of the 2 teams that reported for that period)"
    assert float(claims["data-value"]) == 40
    # mean: the data says these figures may be averaged: (79 + 70 + 75) / 3
    sat = latest_of(page, "satisfaction")
    assert float(sat["data-value"]) == pytest.approx(74.667, abs=1e-3)
    assert text(sat) == "75 % in 2024-12 (mean of the 3 teams that reported for that period)"
    deficits = article(messy, "deficits")
    evidence = deficits.find(id="deficit-late").find_next(lambda t: t.name == "li" and "Current value" in t.get_text())
    assert "best 4 % (North Depot)" in text(evidence) and "mean" not in text(evidence)
    targets = evidence.find_next(lambda t: t.name == "li" and "Late repairs under 5 %" in t.get_text())
    assert text(targets) == "Targets: Late repairs under 5 %: 5 % by 2024-06 (passed) · 2 × ✔ Met 1 × ◆ At risk"


def test_league_table_of_counts_is_unranked_with_its_total(messy, messy_data):
    # The messy lists leagues of three teams or more (the glance issue): two depots report claims, so the messy has no
    # claims league; rendered with a floor of two, the counts' table is unranked with its total.
    page = article(messy, "scoreboard")
    assert page.find(id="league-claims") is None
    from macros.render.links import Links
    from macros.render.scoreboard import render_leagues

    leagues = BeautifulSoup(render_leagues(derive_analysis(validate_data(messy_data)), Links("scoreboard.md", {}), min_teams=2),
                            "html.parser")
    claims = leagues.select_one('table[data-aggregate="sum"]')
    assert claims is not None and text(claims.caption) == "Damage claims: teams by latest count"
    assert [text(th) for th in claims.select("thead th")] == ["Team", "Unit", "Latest", "Period"]
    assert [[text(td) for td in tr.find_all("td")] for tr in claims.select("tbody tr")] == [
        ["North Depot", "Roads", "10 claims", "2024-12"], ["South Depot", "Roads", "30 claims", "2024-12"]]
    assert text(claims.select_one("tfoot")) == "Total of the 2 teams that reported 2024-12 40 claims 2024-12"
    late = page.find(id="league-late-rate").find_next("table")  # three depots: on the messy
    assert [text(th) for th in late.select("thead th")][0] == "Rank" and late.select_one("tfoot") is None
    assert [text(tr.find_all("td")[0]) for tr in late.select("tbody tr")] == ["1", "1", "3"]


def test_the_sample_shows_no_cross_team_mean(sample_site):
    # No sample indicator says `aggregate: mean`, so no page may average teams' figures.
    for page in sample_site.rglob("index.html"):
        body = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
        if body is not None:
            assert "mean of the" not in body.get_text(" "), page
    scoreboard = BeautifulSoup((sample_site / "scoreboard" / "index.html").read_text(encoding="utf-8"), "html.parser").select_one("article")
    # aggregate: sum, but one team reports it: no league table at all (fewer than three teams), so no total either.
    assert scoreboard.find(id="league-damage-claims") is None
    assert all(t.select_one("tfoot") is None for t in scoreboard.select("table.hb-league"))


# --- the league tables' rules on the indicators page: stale figures and too few teams are never ranked ------------

STALE_TODAY = "2026-12-06"  # the messy's figures end in 2024-12: by this day the figures for 2026-10 are due


def test_indicators_page_ranks_and_combines_no_stale_figure(messy_data, monkeypatch):
    monkeypatch.setenv("HANDBOOK_TODAY", STALE_TODAY)
    from pages import site_of

    site = site_of(messy_data)
    page = article(site, "indicators")
    late = latest_of(page, "late-rate")
    assert late.has_attr("data-stale") and late.select("[data-value]") == []
    for word in ("best", "median", "worst"):
        assert word not in text(late)
    assert text(late) == (
        "◷ stale In 2024-12, 3 teams reported: North Depot 4 %, South Depot 4 %, East Depot 9 %. Neither ranked nor "
        "combined: these figures are older than the reporting calendar allows (the figures for 2026-10 were due by "
        "2026-11-30).")
    # A mean or a total of stale figures is not said either, nor one team's stale figure as current.
    for ind in ("satisfaction", "claims"):
        figure = latest_of(page, ind)
        assert figure.has_attr("data-stale") and figure.get("data-value") is None
        assert "mean" not in text(figure) and "total" not in text(figure)
    assert text(latest_of(page, "p90-minutes")).startswith("◷ stale In 2024-12, 1 team reported: West Depot 9.5 minutes. "
                                                          "Not shown as current")
    # The same figures the scoreboard's league table lists as stale, unranked.
    league = article(site, "scoreboard").find(id="league-late-rate").find_next("table")
    assert [text(tr.find_all("td")[0]) for tr in league.select("tr.hb-league__stale")] == ["–", "–", "–"]
    # The deficits page says the same current value.
    deficits = article(site, "deficits")
    evidence = deficits.find(id="deficit-late").find_next(lambda t: t.name == "li" and "Current value" in t.get_text())
    assert "best" not in text(evidence) and "older than the reporting calendar allows" in text(evidence)


def test_indicators_page_counts_missing_periods_up_to_the_period_due(messy_data, monkeypatch):
    monkeypatch.setenv("HANDBOOK_TODAY", STALE_TODAY)
    from pages import site_of

    page = article(site_of(messy_data), "indicators")
    caption = page.find(id="indicator-late-rate").find_next("figcaption")
    assert "East Depot, 23 months (2024-06, 2025-01 to 2026-10)" in text(caption)
    assert "North Depot, 22 months (2025-01 to 2026-10)" in text(caption)


def test_indicators_page_ranks_no_fewer_teams_than_a_league_table(tmp_path):
    # Two depots report the late-repair rate: too few for a league table, so too few for a best and a worst.
    from pages import site_of

    from orgs import messy_org, write_org

    org = messy_org()
    org["measurements"] = {name: [r for r in rows if not (r[0] == "east" and r[1] == "late-rate")]
                           for name, rows in org["measurements"].items()}
    site = site_of(write_org(tmp_path, org))
    late = latest_of(article(site, "indicators"), "late-rate")
    assert text(late) == ("In 2024-12, 2 teams reported, too few to rank (a ranking needs at least 3 teams): "
                          "North Depot 4 %, South Depot 4 %")
    assert "best" not in text(late) and "worst" not in text(late)
    assert article(site, "scoreboard").find(id="league-late-rate") is None


def test_a_chart_of_more_teams_than_it_draws_says_its_latest_figures_are_stale(tmp_path):
    """Nine depots report satisfaction, the last figures in 2024-12, two years before the suite's today: the chart of
    best, median and worst says its latest period's figures are stale, as the page's "Latest" line does."""
    from pages import site_of

    from orgs import messy_org, monthly, write_org

    org = messy_org()
    extra = [f"depot-{i}" for i in range(6)]
    org["teams.yml"] += [{"id": t, "name": f"Depot {t[-1]}", "unit": "Depots"} for t in extra]
    org["measurements"]["extra.csv"] = [r for t in extra for r in monthly(t, "satisfaction", (2024, 1), [70] * 12)]
    site = site_of(write_org(tmp_path, org, own_today=False))  # the suite's today: 2024-12 is long stale
    page = article(site, "indicators")
    summary = page.find(id="indicator-satisfaction").find_next("figcaption")
    assert "the chart shows, month by month, the best, median and worst" in text(summary)
    assert "In 2024-12, of 9 teams:" in text(summary)
    assert "stale, older than the reporting calendar allows." in text(summary)
