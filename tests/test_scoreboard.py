"""The scoreboard: every team on every target it carries, sortable, status in words; a league table per indicator."""

from __future__ import annotations

import pytest
from pages import article, resolves, site_of
from test_team_pages import org_with_figures

from macros.leagues import derive_league, derive_leagues
from macros.model import Status
from macros.render.common import STATUS_LABEL, STATUS_SYMBOL
from macros.validate import validate_data
from orgs import write_org


def league_org() -> dict:
    org = org_with_figures()
    org["measurements"]["more.csv"] = [
        ("beta", "satisfaction", "2024-10", 78), ("gamma", "satisfaction", "2024-10", 90),
        ("beta", "rework", "2024-10", 2),
    ]
    return org


@pytest.fixture(scope="module")
def hb(tmp_path_factory):
    return validate_data(write_org(tmp_path_factory.mktemp("league"), league_org()))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The league organization's build context: the scoreboard by a direct macro call (tests/pages.py), no build."""
    return site_of(write_org(tmp_path_factory.mktemp("scoreboard"), league_org()))


def page(site):
    return article(site, "scoreboard")


def test_league_ranks_by_latest_figure_respecting_better_with_ties(hb):
    # Satisfaction: higher is better; alpha's latest is 78, beta's 78 (a tie), gamma's 90.
    league = derive_league(hb, "satisfaction")
    assert [(r.rank, r.team, r.value) for r in league] == [(1, "gamma", 90), (2, "alpha", 78), (2, "beta", 78)]
    # Days waiting: lower is better; beta's 7.0 is stale (2024-05): listed after the ranked, unranked.
    # One current figure and a stale one: nobody is ranked (a ranking needs leagues.LEAGUE_MIN_TEAMS current figures).
    assert [(r.rank, r.team, r.stale) for r in derive_league(hb, "wait-days")] == [(None, "alpha", False), (None, "beta", True)]
    rework = derive_league(hb, "rework")
    assert [r.team for r in rework] == ["beta", "alpha"]  # 2 < 9
    assert derive_league(hb, "staff-hours")[0].period == rework[1].period


def test_leagues_cover_indicators_with_figures_in_catalogue_order(hb):
    assert list(derive_leagues(hb)) == ["wait-days", "rework", "satisfaction", "staff-hours"]


def test_scoreboard_lists_every_team_on_every_target(site):
    # The sortable table of every figure, folded under the grid; the grid gives the unit, so rows do not repeat it.
    art = page(site)
    table = art.select_one("details table.hb-scoreboard")
    assert table["data-sortable"] == "true"
    headers = [th.get_text() for th in table.select("thead th")]
    assert headers == ["Team", "Target", "Status", "Latest value", "Expected", "Period"]
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert rows == [
        ["Alpha Team", "Cut waiting to 2 days", "▲ On track ⚠ distortion flag", "2.6 days", "2.7 days", "2024-10"],
        ["Beta Team", "Cut waiting to 2 days", "◷ Stale", "7.0 days", "5.2 days", "2024-05"],
    ]
    # Status in a word and a symbol as well as a colour; sort keys for the sorter.
    for tr, status in zip(table.select("tbody tr"), [Status.ON_TRACK, Status.STALE], strict=True):
        badge = tr.select_one(".hb-status")
        assert STATUS_LABEL[status] in badge.get_text() and STATUS_SYMBOL[status] in badge.get_text()
        assert "hb-status--" in " ".join(badge["class"])
        assert tr.select("td")[3]["data-sort"] != ""


def test_scoreboard_grid_is_teams_by_targets_grouped_by_unit(site):
    art = page(site)
    boards = art.select(".hb-board__unit")
    assert [b["data-unit"] for b in boards] == ["operations"]  # Support carries no target
    assert art.select_one("#unit-support").find_next("p")["data-unit"] == "support"
    grid = boards[0].select_one("table.hb-grid")
    assert [th.get_text(strip=True) for th in grid.select("thead th")] == ["Team", "Cut waiting to 2 days"]
    cells = {tr.th.get_text(strip=True): tr.select_one("td") for tr in grid.select("tbody tr")}
    assert cells["Alpha Team"]["data-status"] == "on track"
    assert "distortion flag" in cells["Alpha Team"].get_text() and "2.6 days · 2024-10" in cells["Alpha Team"].get_text()
    assert cells["Beta Team"]["data-status"] == "stale"
    # No unit column: the unit is the group's heading, named once.
    assert "Operations" not in grid.select_one("tbody").get_text()


def test_scoreboard_lists_the_pairs_by_status_and_the_stale_teams(site):
    art = page(site)
    on_track = art.select_one("#status-on-track").find_next("ul", class_="hb-pairs")
    assert on_track["data-status"] == "on track"
    assert [a.get_text() for a in on_track.select("a")] == ["Alpha Team", "Cut waiting to 2 days"]
    assert "No team has met a target yet." in art.select_one("#status-met").find_next("p").get_text()
    stale = art.select_one("#stale-teams").find_next("ul", class_="hb-stale-teams")
    # Judged on the target's own indicator: beta's other figures are current, its waiting days are not.
    assert stale.get_text(" ", strip=True) == "Beta Team : Cut waiting to 2 days, latest figure 2024-05"


def test_scoreboard_links_resolve(site):
    art = page(site)
    links = art.select("table.hb-scoreboard a")
    assert links
    for a in links:
        assert resolves(site, "scoreboard", a["href"]), a["href"]


def test_scoreboard_has_a_league_table_per_indicator_three_teams_report(site):
    art = page(site)
    # Only satisfaction has figures from three teams (alpha, beta, gamma); two teams make no league.
    leagues = art.select("table.hb-league")
    assert len(leagues) == 1
    assert art.select_one("#league-wait-days") is None
    sat = art.select_one("#league-satisfaction").find_next("table")
    ranks = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in sat.select("tbody tr")]
    assert [r[:2] for r in ranks] == [["1", "Gamma Team"], ["2", "Alpha Team"], ["2", "Beta Team"]]
    assert "Higher is better" in art.select_one("#league-satisfaction").find_next("p").get_text()
    assert "at least 3 teams report" in art.get_text()


def test_a_league_with_fewer_current_figures_than_a_ranking_needs_ranks_nobody(tmp_path):
    """Three teams report, one of them stale: two current figures rank nobody (as two teams alone would not), and
    the table says why."""
    org = league_org()
    org["measurements"]["more.csv"] = [r for r in org["measurements"]["more.csv"] if r[0] != "gamma"]
    org["measurements"]["more.csv"].append(("gamma", "satisfaction", "2023-01", 90))  # gamma's only figure: stale
    data = write_org(tmp_path, org)
    league = derive_league(validate_data(data), "satisfaction")
    assert [(r.rank, r.stale) for r in league if r.team == "gamma"] == [(None, True)]
    assert [r.rank for r in league] == [None, None, None]
    art = article(site_of(data), "scoreboard")
    sat = art.select_one("#league-satisfaction")
    assert "2 teams with a current figure, too few to rank" in sat.find_next("p").get_text()
    assert sat.find_next("table")["data-ranked"] == "false"
    ranks = [tr.select("td")[0].get_text(strip=True) for tr in sat.find_next("table").select("tbody tr") if tr.select("td")]
    assert ranks == ["–", "–", "–"]
