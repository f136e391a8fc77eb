"""Freshness against the reporting calendar (spec v1.2, issue 21): a feed that stopped for everyone two years ago, a
closed team, a late starter, a team without figures, past targets; built with a fixed today, read on the built pages
(text, tables) and in `status --json`.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pages
import pytest
from bs4 import BeautifulSoup

from conftest import build_ok, run_cli
from macros.calendar import derive_newest_banner, derive_past_targets, describe_age, months_between
from macros.checks import run_checks
from macros.derive import derive_analysis
from macros.periods import MONTHLY, parse_period
from macros.validate import validate_data
from orgs import base_org, monthly, write_org

pytestmark = pytest.mark.build

TODAY = "2026-12-05"  # 2026-10 is the expected period: it ended 10-31, its figures were due by 11-30


def stopped_org() -> dict:
    """Every figure ends in 2024-10, two years before today's expected period.

    alpha reports to 2024-10; beta closed in 2022-12, before the targets' baseline; gamma started late (2024-06);
    delta never reported. `faster` is live (deadline 2025-12); `old` passed more than a year before 2026-10;
    `first` (2026-03) is replaced by `second` (2027-06), same indicator and team.
    """
    org = base_org()
    org["teams.yml"].append({"id": "delta", "name": "Delta Team", "unit": "Support"})
    target = org["targets.yml"][0]
    target.update(teams=["alpha", "beta", "gamma", "delta"], baseline={"period": "2023-01", "value": 6.0},
                  target={"period": "2025-12", "value": 2.0})
    theory = target["theory"]
    org["targets.yml"] += [
        {"id": "old", "title": "Less rework", "deficit": "slow", "indicator": "rework", "teams": ["alpha"],
         "owner": "Director", "baseline": {"period": "2023-01"}, "target": {"period": "2023-06", "value": 3.0},
         "theory": theory},
        {"id": "first", "title": "Happier residents", "deficit": "slow", "indicator": "satisfaction",
         "teams": ["alpha"], "owner": "Director", "baseline": {"period": "2023-01"},
         "target": {"period": "2026-03", "value": 80.0}, "theory": theory},
        {"id": "second", "title": "Happier residents still", "deficit": "slow", "indicator": "satisfaction",
         "teams": ["alpha"], "owner": "Director", "baseline": {"period": "2023-01"},
         "target": {"period": "2027-06", "value": 90.0}, "theory": theory},
    ]
    org["measurements"]["figures.csv"] = (
        monthly("alpha", "wait-days", (2023, 1), [6.0 - 0.1 * i for i in range(22)])  # 2023-01 .. 2024-10
        + monthly("alpha", "rework", (2023, 1), [5.0] * 22)
        + monthly("alpha", "satisfaction", (2023, 1), [70.0 + 0.2 * i for i in range(22)])
        + monthly("beta", "wait-days", (2022, 1), [7.0] * 12)  # 2022-01 .. 2022-12: closed
        + monthly("gamma", "wait-days", (2024, 6), [5.0, 4.8, 4.6, 4.4, 4.2])  # 2024-06 .. 2024-10: late starter
    )
    return org


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return write_org(tmp_path_factory.mktemp("stopped"), stopped_org(), own_today=False)


@pytest.fixture(scope="module")
def site(data: Path) -> Path:
    os.environ["HANDBOOK_TODAY"] = TODAY  # the suite's autouse fixture puts its own back around each test
    return build_ok(data, data.parent / "site")


@pytest.fixture(scope="module")
def rows(data: Path) -> dict[tuple[str, str], dict]:
    result = run_cli("status", "--json", data=data, env={"HANDBOOK_TODAY": TODAY})
    assert result.returncode == 0, result.stderr
    return {(r["target"], r["team"]): r for r in json.loads(result.stdout)}


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return (" ".join(node.get_text(" ").split()).replace(" ,", ",").replace(" .", ".").replace(" :", ":")
            .replace("( ", "(").replace(" )", ")"))


def target_facts(soup: BeautifulSoup, target: str) -> dict[str, str]:
    dl = soup.select_one("article").select_one(f"#target-{target}").find_next("dl")
    return {text(dt): text(dt.find_next("dd")) for dt in dl.find_all("dt")}


# --- the calendar in words ---------------------------------------------------------------------------------------

def test_ages_are_whole_months_from_the_end_of_the_period():
    assert months_between(date(2025, 3, 31), date(2026, 12, 5)) == 20
    assert months_between(date(2025, 3, 31), date(2025, 4, 30)) == 1  # the last day of a shorter month
    assert months_between(date(2025, 3, 31), date(2025, 4, 29)) == 0
    assert describe_age(parse_period("2025-03", MONTHLY), MONTHLY, date(2026, 12, 5)) == "20 months ago"
    assert describe_age(parse_period("2026-11", MONTHLY), MONTHLY, date(2026, 12, 5)) == "5 days ago"


def test_the_banner_speaks_only_when_the_newest_figures_are_older_than_due(tmp_path):
    hb = validate_data(write_org(tmp_path, stopped_org(), own_today=False), today=date(2026, 12, 5))
    assert derive_newest_banner(hb) == ("Newest figures: 2024-10, 25 months ago; figures for 2026-10 were due by "
                                        "2026-11-30")
    on_time = validate_data(tmp_path / "data", today=date(2024, 11, 30))  # 2024-10's figures due that day
    assert derive_newest_banner(on_time) == ""
    a_day_late = validate_data(tmp_path / "data", today=date(2024, 12, 30))  # 2024-11 due by 12-30
    assert derive_newest_banner(a_day_late).endswith("figures for 2024-11 were due by 2024-12-30")


def test_past_targets_by_age_and_by_replacement(tmp_path):
    org = stopped_org()
    data = write_org(tmp_path / "a", org, own_today=False)
    # `first` (2026-03) is 7 periods before 2026-10: past only because `second` replaced it.
    assert derive_past_targets(validate_data(data, today=date(2026, 12, 5))) == {"old", "first"}
    # On 2024-11-30 (expected 2024-10) `old` (2023-06) is 16 periods behind; `first` is ahead.
    assert derive_past_targets(validate_data(data, today=date(2024, 11, 30))) == {"old"}
    org["targets.yml"] = [t for t in org["targets.yml"] if t["id"] != "second"]
    alone = write_org(tmp_path / "b", org, own_today=False)
    assert derive_past_targets(validate_data(alone, today=date(2026, 12, 5))) == {"old"}
    # Exactly a year (12 periods) is not more than a year: with `old` due 2025-10, on 2026-12-05 it is live.
    org["targets.yml"][1]["target"]["period"] = "2025-10"
    year = write_org(tmp_path / "c", org, own_today=False)
    assert derive_past_targets(validate_data(year, today=date(2026, 12, 5))) == set()
    org["targets.yml"][1]["target"]["period"] = "2025-09"
    more = write_org(tmp_path / "d", org, own_today=False)
    assert derive_past_targets(validate_data(more, today=date(2026, 12, 5))) == {"old"}


# --- status --json -----------------------------------------------------------------------------------------------

def test_status_json_judges_against_the_expected_period(rows):
    assert {r["expected_period"] for r in rows.values()} == {"2026-10"}
    alpha = rows[("faster", "alpha")]
    assert (alpha["status"], alpha["period"], alpha["periods_behind"]) == ("stale", "2024-10", 24)
    assert (alpha["deadline_passed"], alpha["met_at_deadline"], alpha["value_at_deadline"]) == (True, None, None)
    gamma = rows[("faster", "gamma")]
    assert (gamma["status"], gamma["baseline"]["period"], gamma["baseline"]["value"]) == ("stale", "2023-01", 6.0)
    for team in ("beta", "delta"):
        assert rows[("faster", team)]["status"] == "no data"
        assert rows[("faster", team)]["deadline_passed"] is True and rows[("faster", team)]["met_at_deadline"] is None
    assert {k[0] for k, r in rows.items() if r["past_target"]} == {"old", "first"}
    assert rows[("second", "alpha")]["deadline_passed"] is False  # 2027-06 is ahead
    # Every field of v1.1 is still there.
    assert {"target", "team", "indicator", "period", "value", "expected", "status", "baseline", "target_value",
            "deadline", "periods_behind", "distortions", "deadline_passed", "met_at_deadline", "value_at_deadline",
            "period_at_deadline"} <= set(alpha)


def test_status_json_on_the_day_the_figures_were_due(data):
    result = run_cli("status", "--json", data=data, env={"HANDBOOK_TODAY": "2024-11-30"})
    rows = {(r["target"], r["team"]): r for r in json.loads(result.stdout)}
    alpha = rows[("faster", "alpha")]
    assert (alpha["expected_period"], alpha["periods_behind"], alpha["status"]) == ("2024-10", 0, "at risk")
    assert alpha["deadline_passed"] is False
    assert rows[("faster", "gamma")]["status"] != "stale"


# --- the built pages ---------------------------------------------------------------------------------------------

BANNER = "Old figures. Newest figures: 2024-10, 25 months ago; figures for 2026-10 were due by 2026-11-30."


@pytest.mark.parametrize("url", ["", "teams/alpha", "scoreboard", "targets"])
def test_every_page_carries_the_banner_and_the_figures_date(site, url):
    soup = page(site, url) if url else BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    banner = soup.select(".md-banner .hb-calendar-banner")
    assert [text(b) for b in banner] == [BANNER]
    assert text(soup.select_one("footer p.hb-signals")).startswith("Newest figures: 2024-10")


def test_a_team_whose_feed_stopped_is_not_up_to_date(site):
    soup = page(site, "teams/alpha")
    glance = soup.select_one(".hb-team-glance")
    assert "Up to date" not in text(glance)
    box = glance.select_one(".admonition.warning")
    assert text(box).startswith("Stale data Stale: this team's latest figures are for 2024-10, 24 periods behind "
                                "2026-10, whose figures were due by 2026-11-30.")
    facts = target_facts(soup, "faster")
    assert "Expected in 2024-10" in facts and "Expected now" not in facts
    assert facts["Deadline"] == "Deadline passed (2025-12), no figure since 2024-10: result not known"
    assert "Expected now" not in text(soup.select_one("article"))
    item = glance.select_one(".hb-team-glance__item--deadline")
    assert text(item) == ("? Deadline passed (2025-12), no figure since 2024-10 on Cut waiting to 2 days: "
                          "result not known.")
    assert item.select_one(".hb-deadline")["data-met"] == "unknown"


def test_a_closed_team_says_since_when_and_a_team_without_figures_says_yet(site):
    beta = page(site, "teams/beta")
    assert target_facts(beta, "faster")["Latest"] == "no figure since 2022-12"
    assert "no figure since 2022-12" in text(beta.select_one(".hb-team-glance"))
    assert "no figure yet" not in text(beta.select_one("article"))
    assert (target_facts(beta, "faster")["Deadline"]
            == "Deadline passed (2025-12), no figure since 2022-12: result not known")
    delta = page(site, "teams/delta")
    assert target_facts(delta, "faster")["Latest"] == "no figure yet"
    assert target_facts(delta, "faster")["Deadline"] == "Deadline passed (2025-12), no figure yet: result not known"


def test_a_late_starter_is_judged_from_its_own_figures(site):
    gamma = page(site, "teams/gamma")
    facts = target_facts(gamma, "faster")
    assert facts["Latest"] == "4.2 days in 2024-10"
    assert facts["Status"].endswith("Stale")


def test_home_counts_live_pairs_and_past_targets_apart(site):
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    tiles = {t["data-status"]: int(text(t.select_one(".hb-tile__n"))) for t in soup.select(".hb-tiles--status li")}
    # Live: faster x 4 teams (alpha and gamma stale, beta and delta no data) and second x alpha (stale).
    # Past: old and first (alpha each), not counted here.
    assert sum(tiles.values()) == 5
    assert tiles["stale"] == 3 and tiles["no data"] == 2
    facts = {li["data-fact"]: int(text(li.select_one(".hb-tile__n"))) for li in soup.select("[data-fact]")}
    # alpha and gamma are stale on `faster`; beta, closed in 2022-12, on every figure it has (as its page says).
    assert facts["stale teams"] == 3
    past = soup.select_one(".hb-past-count")
    assert past["data-past-targets"] == "2"
    assert text(past).startswith("Past targets: 2 (2 team results), not counted above")
    assert past.find("a")["href"].endswith("targets/#past-targets")


def test_scoreboard_lists_stale_teams_against_the_calendar_and_past_targets_apart(site):
    soup = page(site, "scoreboard")
    body = text(soup.select_one("article"))
    assert "No team's figures are stale" not in body
    assert ("Teams whose figures, on a live target's indicator or on every indicator they report, are more than 2 "
            "periods behind the period whose figures are due by today (2026-10, due by 2026-11-30)") in body
    stale = [text(li) for li in soup.select(".hb-stale-teams li")]
    # beta has no figure from the baseline on (no data on `faster`), but its page says it is stale: so does the list.
    assert stale == ["Alpha Team: Cut waiting to 2 days, latest figure 2024-10; Happier residents still, latest "
                     "figure 2024-10", "Beta Team: latest figures 2022-12, 46 periods behind",
                     "Gamma Team: Cut waiting to 2 days, latest figure 2024-10"]
    live = [text(li) for ul in soup.select("ul.hb-pairs:not(.hb-pairs--past)") for li in ul.select("li")]
    assert len(live) == 5 and not any("Less rework" in x or x.endswith("on Happier residents") for x in live)
    assert text(soup.select_one("#past-targets")).startswith("Past targets: 2")
    marked = [text(td.select_one(".hb-grid__target")) for td in soup.select("table.hb-grid td[data-past]")]
    assert marked == ["Less rework", "Happier residents"]
    past = [text(li) for li in soup.select("ul.hb-pairs--past li")]
    assert [p.split(" on ", 1)[1] for p in past] == ["Less rework (deadline 2023-06)",
                                                     "Happier residents (deadline 2026-03)"]


def test_targets_index_counts_past_targets_apart(site):
    soup = page(site, "targets")
    tables = soup.select("article table.hb-targets")
    assert len(tables) == 2
    live = [text(r.select_one("td strong")) for r in tables[0].select("tbody tr")]
    past = [text(r.select_one("td strong")) for r in tables[1].select("tbody tr")]
    assert live == ["Cut waiting to 2 days", "Happier residents still"]
    assert past == ["Less rework", "Happier residents"]
    assert text(soup.select_one("#past-targets")).startswith("Past targets: 2")


def test_checks_judge_freshness_against_the_calendar(data, monkeypatch):
    from macros.checks import run_checks
    from macros.derive import derive_analysis

    monkeypatch.setenv("HANDBOOK_TODAY", TODAY)
    results = run_checks(derive_analysis(validate_data(data)))
    assert {f.id for f in results["teams-fresh"].failures} == {"alpha", "gamma"}
    # Past targets are not judged: alpha fails on `faster` and `second` only.
    reasons = [f.reason for f in results["teams-report-latest"].failures if f.id == "alpha"]
    assert len(reasons) == 2 and not any("Less rework" in r or r.endswith("Happier residents since") for r in reasons)


def test_the_public_edition_says_the_same_about_the_calendar(tmp_path):
    org = stopped_org()
    org["organization.yml"]["default_visibility"] = "public"
    data = write_org(tmp_path, org, own_today=False)
    result = run_cli("status", "--json", "--edition", "public", data=data, env={"HANDBOOK_TODAY": TODAY})
    rows = {(r["target"], r["team"]): r for r in json.loads(result.stdout)}
    assert rows[("faster", "alpha")]["expected_period"] == "2026-10"
    assert (rows[("faster", "alpha")]["met_at_deadline"], rows[("faster", "alpha")]["deadline_passed"]) == (None, True)
    assert {k[0] for k, r in rows.items() if r["past_target"]} == {"old", "first"}
    os.environ["HANDBOOK_EDITION"] = "public"
    os.environ["HANDBOOK_TODAY"] = TODAY
    try:
        site = build_ok(data, tmp_path / "site")
    finally:
        del os.environ["HANDBOOK_EDITION"]
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [text(b) for b in home.select(".md-banner .hb-calendar-banner")] == [BANNER]
    assert text(home.select_one(".hb-past-count")).startswith("Past targets: 2")
    alpha = page(site, "teams/alpha")
    assert target_facts(alpha, "faster")["Deadline"] == "Deadline passed (2025-12), no figure since 2024-10: result not known"


def test_a_target_chart_runs_to_the_period_due_and_lists_the_months_missed(site):
    fig = page(site, "teams/alpha").select_one("article #target-faster").find_next("figure")
    assert text(fig.select_one("figcaption")).startswith(
        "3.9 days in 2024-10, stale: no figure for 24 periods. Deadline passed (2025-12), no figure since 2024-10: "
        "result not known. 24 months missing (2024-11 to 2026-10).")
    figure = json.loads(fig.select_one(".hb-chart")["data-figure"])
    actual = figure["data"][0]
    assert (actual["x"][0], actual["x"][-1], len(actual["x"])) == ("2023-01", "2026-10", 46)
    assert actual["y"][21] == pytest.approx(3.9) and actual["y"][22:] == [None] * 24
    rows = fig.select("table tbody tr")
    assert len(rows) == 46 and text(rows[-1].find_all(["th", "td"])[1]) == "no figure"
    beta = page(site, "teams/beta").select_one("article #target-faster").find_next("figure")
    assert text(beta.select_one("figcaption")).startswith("No figure since 2022-12 for this target")


def test_every_chart_of_a_stopped_feed_runs_to_the_period_due(site):
    # Guardrail and other-indicator charts as a target's: the months nobody reported up to 2026-10 are gaps.
    charts = page(site, "teams/alpha").select("article .hb-chart[data-figure]")
    for chart in charts:
        actual = json.loads(chart["data-figure"])["data"][0]
        assert actual["x"][-1] == "2026-10" and actual["y"][-1] is None, actual["name"]
    assert len(charts) >= 3  # a target's, its guardrail's and another indicator's at least


def test_an_indicator_due_later_does_not_make_a_current_team_stale(tmp_path, monkeypatch):
    # The team's freshness follows each indicator's own due_days, as its target statuses do: a team that sent the
    # latest figure due on a slow indicator is current, not "stale" against the organization's calendar.
    from datetime import date

    from macros.derive import derive_analysis
    from macros.render.teams import describe_team_freshness
    from macros.validate import validate_data
    from orgs import base_org, monthly, write_org

    org = base_org()
    org["indicators.yml"][0]["due_days"] = 120  # wait-days: 2026-07 is due by 2026-11-28
    org["targets.yml"][0]["target"]["period"] = "2027-06"
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2025, 8), [6, 5.8, 5.6, 5.4, 5.2, 5, 4.8, 4.6,
                                                                                 4.4, 4.2, 4, 3.8])
    hb = validate_data(write_org(tmp_path, org, own_today=False), today=date(2026, 12, 6))
    a = derive_analysis(hb)
    assert {s.team: s.status.value for s in a.by_target["faster"]}["alpha"] != "stale"
    assert a.freshness["alpha"] == 0
    kind, title, _ = describe_team_freshness(a, "alpha")
    assert kind != "warning" and title != "Stale data"


# ---- the messy organization: a stale target indicator beside fresh figures (direct macro calls) ----------------


def test_a_stale_target_indicator_is_not_up_to_date_beside_fresh_figures(messy):
    north = pages.article(messy, "teams/north")
    box = north.select_one(".hb-freshness")
    assert "warning" in box["class"] and "Up to date" not in text(box)
    assert text(box).startswith("Stale data Stale on 1 target: Respond within 8 minutes (latest figure 2024-06, 6 periods behind)")
    stale = pages.target_facts(north, "fast-response")
    assert "Expected now" not in stale and stale["Expected in 2024-06"] == "10.8 minutes"
    assert pages.target_facts(north, "late-under-5")["Expected now"] == "5 %"  # its own indicator is current
    west = pages.article(messy, "teams/west").select_one(".hb-freshness")  # quiet: a line, not a box, when current
    assert "hb-freshness--success" in west["class"] and text(west).startswith("Up to date")
    unit = {text(r.find_all("td")[0]): text(r.find_all("td")[3]) for r in pages.article(messy, "units/roads").select("tbody tr")}
    assert unit["North Depot"] == "2024-12 ◷ stale on 1 target" and unit["South Depot"] == "2024-12"


def test_practice_5_judges_each_target_indicator(messy_data):
    checks = run_checks(derive_analysis(validate_data(messy_data)))
    latest = checks["teams-report-latest"]
    assert [(f.id, f.reason) for f in latest.failures] == [
        ("north", 'latest figure on Response time (90th percentile) for "Respond within 8 minutes" 6 periods behind')]
    # Reasons are shown on pages: they name records by name and title, never by id.
    assert [(f.id, f.reason) for f in checks["teams-fresh"].failures] == [("north", 'stale on "Respond within 8 minutes"')]
