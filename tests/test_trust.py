"""Figures people can trust (issue 11): each page says what the data says, on a messy fixture organization.

One build of `orgs.messy_org()`: counts beside rates (aggregate sum, mean, none), a % tolerance finer than the
display precision, a stale target indicator beside fresh figures, passed deadlines met, not met and met only after
the deadline, a revision of each kind, and an organization name that needs "the". The tests read the built pages
(BeautifulSoup) and `status --json`, and assert the figures themselves.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_ok, run_cli
from macros.checks import run_checks
from macros.derive import derive_analysis
from macros.model import Better, Indicator, Stage
from macros.validate import validate_data
from macros.words import decimals_of, fmt_difference, fmt_threshold, join_words, plural, revision_changes
from orgs import messy_org, write_org

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return write_org(tmp_path_factory.mktemp("messy"), messy_org())


@pytest.fixture(scope="module")
def site(data: Path) -> Path:
    return build_ok(data, data.parent / "site")


@pytest.fixture(scope="module")
def status_rows(data: Path) -> dict[tuple[str, str], dict]:
    result = run_cli("status", "--json", data=data)
    assert result.returncode == 0, result.stderr
    return {(r["target"], r["team"]): r for r in json.loads(result.stdout)}


def article(site: Path, url: str):
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser").select_one("article")


def text(node) -> str:
    return (" ".join(node.get_text(" ").split()).replace(" ,", ",").replace(" .", ".").replace(" :", ":")
            .replace("( ", "(").replace(" )", ")"))


def facts(dl) -> dict[str, str]:
    return {text(dt): text(dt.find_next("dd")) for dt in dl.find_all("dt")}


def target_facts(page, target: str) -> dict[str, str]:
    return facts(page.select_one(f"#target-{target}").find_next("dl"))


# --- words ------------------------------------------------------------------------------------------------------

PCT = Indicator("late", "Late", "%", Stage.OUTPUT, Better.LOWER, decimals=1)
WHOLE_PCT = Indicator("sat", "Satisfaction", "%", Stage.OUTCOME, Better.HIGHER)
DAYS = Indicator("days", "Days", "days", Stage.OUTPUT, Better.LOWER)


def test_a_difference_of_percentages_is_in_points_at_the_figures_precision():
    assert fmt_difference(PCT, 7.9 - 4.1, 4.1, 7.9) == "3.8 points"
    assert fmt_difference(WHOLE_PCT, 1.0, 80, 79) == "1 point"
    assert fmt_difference(DAYS, -1.5, 3.0, 1.5) == "1.5 days"  # the figures carry a decimal the indicator does not
    assert fmt_threshold(WHOLE_PCT, 0.5) == "0.5 points"  # not "0 %" or "1 %"
    assert fmt_threshold(WHOLE_PCT, 1.5) == "1.5 points"  # not "2 %"
    assert fmt_threshold(WHOLE_PCT, 2) == "2 points"
    assert fmt_threshold(DAYS, 0.25) == "0.25 days"
    assert decimals_of(0.5) == 1 and decimals_of(2.0) == 0 and decimals_of(0.125) == 3


def test_plurals_and_lists():
    assert [plural(n, "stale team") for n in (0, 1, 2)] == ["0 stale teams", "1 stale team", "2 stale teams"]
    assert plural(1, "entry", "entries") == "1 entry"
    assert join_words(["input"]) == "input"
    assert join_words(["input", "process"]) == "input and process"
    assert join_words(["input", "process", "output"]) == "input, process and output"


@pytest.mark.parametrize(("higher", "old", "new", "was", "now", "expected"), [
    (False, 30, 25, "2025-06", "2025-06", ["raised the bar"]),  # lower is better: a smaller target is harder
    (False, 25, 28, "2025-06", "2025-06", ["lowered the bar"]),
    (True, 80, 85, "2025-06", "2025-06", ["raised the bar"]),
    (True, 85, 80, "2025-Q2", "2025-Q2", ["lowered the bar"]),
    (True, 80, 80, "2025-06", "2025-12", ["moved the deadline later"]),
    (True, 80, 80, "2025-Q4", "2025-Q2", ["moved the deadline earlier"]),
    (True, 85, 80, "2025-06", "2025-12", ["lowered the bar", "moved the deadline later"]),
])
def test_a_revision_is_labelled_by_what_it_did(higher, old, new, was, now, expected):
    assert revision_changes(higher, old, new, was, now) == expected


# --- status --json -------------------------------------------------------------------------------------------------

def test_status_json_keeps_its_fields_and_adds_the_deadline(status_rows):
    north = status_rows[("late-under-5", "north")]
    for key in ("target", "team", "indicator", "period", "value", "expected", "status", "baseline", "target_value",
                "deadline", "periods_behind", "distortions"):
        assert key in north
    # met at the deadline: 4 % in 2024-06 against 5 %
    assert (north["deadline"], north["deadline_passed"], north["met_at_deadline"], north["value_at_deadline"],
            north["period_at_deadline"]) == ("2024-06", True, True, 4.0, "2024-06")
    # met only after the deadline: 7 % at the deadline, 4 % now; its status is met, its deadline was not
    south = status_rows[("late-under-5", "south")]
    assert (south["status"], south["met_at_deadline"], south["value_at_deadline"], south["value"]) == ("met", False, 7.0, 4.0)
    # no figure for the deadline period: judged on the last one before it, named with its period
    east = status_rows[("late-under-5", "east")]
    assert (east["met_at_deadline"], east["value_at_deadline"], east["period_at_deadline"]) == (False, 8.0, "2024-05")
    # a deadline ahead is not judged
    west = status_rows[("fast-response", "west")]
    assert (west["deadline_passed"], west["met_at_deadline"], west["value_at_deadline"], west["period_at_deadline"]) == (
        False, None, None, None)


def test_downloaded_status_json_is_the_cli_output(site, status_rows):
    published = json.loads((site / "downloads" / "status.json").read_text(encoding="utf-8"))
    assert {(r["target"], r["team"]): r for r in published} == status_rows


def test_downloaded_status_csv_adds_the_deadline_columns_at_the_end(site):
    import csv

    with (site / "downloads" / "status.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # After the v1 columns; the projection's columns (macros/projection.py) come after these.
    assert list(rows[0])[13:17] == ["deadline_passed", "met_at_deadline", "value_at_deadline", "period_at_deadline"]
    assert list(rows[0])[:3] == ["target", "team", "indicator"]
    east = next(r for r in rows if r["target"] == "late-under-5" and r["team"] == "east")
    assert [east[k] for k in list(rows[0])[13:17]] == ["true", "false", "8", "2024-05"]
    west = next(r for r in rows if r["target"] == "fast-response" and r["team"] == "west")
    assert [west[k] for k in list(rows[0])[13:17]] == ["false", "", "", ""]


def test_a_deadline_figure_too_old_is_not_judged(tmp_path):
    org = messy_org()
    # east's last figure before the 2024-06 deadline is now 2024-02: four periods before it, more than stale_after
    org["measurements"]["figures.csv"] = [
        r for r in org["measurements"]["figures.csv"] if not (r[0] == "east" and r[1] == "late-rate" and "2024-03" <= r[2] <= "2024-06")]
    rows = {(r["target"], r["team"]): r for r in json.loads(run_cli("status", "--json", data=write_org(tmp_path, org)).stdout)}
    east = rows[("late-under-5", "east")]
    assert (east["deadline_passed"], east["met_at_deadline"], east["value_at_deadline"]) == (True, None, None)


# --- passed deadlines on pages ---------------------------------------------------------------------------------------

def test_team_pages_say_the_deadline_passed_and_whether_it_was_met(site):
    assert target_facts(article(site, "teams/north"), "late-under-5")["Deadline"] == "Deadline passed (2024-06): met, 4 % against 5 %"
    assert target_facts(article(site, "teams/south"), "late-under-5")["Deadline"] == (
        "Deadline passed (2024-06): not met, 7 % against 5 %; met since, 4 % in 2024-12")
    assert target_facts(article(site, "teams/east"), "late-under-5")["Deadline"] == (
        "Deadline passed (2024-06): not met, 8 % in 2024-05 against 5 %")
    assert "Deadline" not in target_facts(article(site, "teams/west"), "fast-response")  # still ahead
    assert target_facts(article(site, "teams/east"), "late-under-5")["Target"] == "5 % by 2024-06 (passed)"
    assert target_facts(article(site, "teams/west"), "fast-response")["Target"] == "8.0 minutes by 2025-06"


def test_after_the_deadline_no_sentence_speaks_of_it_as_ahead(site):
    east = article(site, "teams/east")
    summary = text(east.select_one("#target-late-under-5").find_next("figcaption"))
    assert summary == "9 % in 2024-12. Deadline passed (2024-06): not met, 8 % in 2024-05 against 5 %. 1 month missing (2024-06)."
    south = text(article(site, "teams/south").select_one("#target-late-under-5").find_next("figcaption"))
    assert "met the target" not in south and "met since, 4 % in 2024-12" in south
    said = [text(f) for f in article(site, "targets/late-under-5").select(".hb-chart__summary")]
    said += [text(article(site, f"teams/{t}").select_one("#target-late-under-5").find_next("figcaption"))
             for t in ("north", "south", "east")]
    assert len(said) == 6
    for line in said:
        assert not [w for w in ("at risk of missing", "on track for", "off track for", "met the target of") if w in line]


def test_target_page_lists_each_team_at_the_deadline(site):
    page = article(site, "targets/late-under-5")
    # Row headers name the facts (no "Fact / Value" header row since the glance issue).
    fact = {text(r.find("th")): text(r.find("td")) for r in page.find("table").select("tbody tr")}
    assert fact["Deadline"] == "2024-06 (passed: its figures were due by 2024-07-30)"
    table = page.find(id="status").find_next("table")
    assert text(table.select("thead th")[-1]) == "At the deadline"
    got = {text(r.find_all("td")[0]): r.select_one(".hb-deadline")["data-met"] for r in table.select("tbody tr")}
    assert got == {"North Depot": "yes", "South Depot": "no", "East Depot": "no"}
    # The targets index's "Goal" column: the target value by its deadline, "(passed)" once the deadline is behind.
    index = article(site, "targets").select("table tbody tr")
    deadlines = {text(r.find("td").strong): text(r.find_all("td")[1]).split(" by ")[1].split(" from ")[0] for r in index}
    assert deadlines == {"Late repairs under 5 %": "2024-06 (passed)", "Respond within 8 minutes": "2025-06",
                         "Fewer claims": "2025-12"}


def test_scoreboard_shows_the_passed_deadline_beside_the_status(site):
    # The sortable table under the grid has no unit column since the glance issue: team, target, status...
    rows = article(site, "scoreboard").select("table.hb-scoreboard tbody tr")
    cells = {(text(r.find_all("td")[0]), text(r.find_all("td")[1])): r.find_all("td")[2] for r in rows}
    south = cells[("South Depot", "Late repairs under 5 %")]
    assert south.select_one(".hb-status")["data-status"] == "met"
    assert text(south.select_one(".hb-deadline")) == "Deadline passed (2024-06): not met, 7 % against 5 %; met since, 4 % in 2024-12"
    assert cells[("West Depot", "Respond within 8 minutes")].select_one(".hb-deadline") is None


# --- freshness on each target's own indicator -----------------------------------------------------------------------

def test_a_stale_target_indicator_is_not_up_to_date_beside_fresh_figures(site):
    north = article(site, "teams/north")
    box = north.select_one(".hb-freshness")
    assert "warning" in box["class"] and "Up to date" not in text(box)
    assert text(box).startswith("Stale data Stale on 1 target: Respond within 8 minutes (latest figure 2024-06, 6 periods behind)")
    stale = target_facts(north, "fast-response")
    assert "Expected now" not in stale and stale["Expected in 2024-06"] == "10.8 minutes"
    assert target_facts(north, "late-under-5")["Expected now"] == "5 %"  # its own indicator is current
    west = article(site, "teams/west").select_one(".hb-freshness")  # quiet: a line, not a box, when current
    assert "hb-freshness--success" in west["class"] and text(west).startswith("Up to date")
    unit = {text(r.find_all("td")[0]): text(r.find_all("td")[3]) for r in article(site, "units/roads").select("tbody tr")}
    assert unit["North Depot"] == "2024-12 ◷ stale on 1 target" and unit["South Depot"] == "2024-12"


def test_practice_5_judges_each_target_indicator(data):
    checks = run_checks(derive_analysis(validate_data(data)))
    latest = checks["teams-report-latest"]
    assert [(f.id, f.reason) for f in latest.failures] == [
        ("north", 'latest figure on Response time (90th percentile) for "Respond within 8 minutes" 6 periods behind')]
    # Reasons are shown on pages: they name records by name and title, never by id.
    assert [(f.id, f.reason) for f in checks["teams-fresh"].failures] == [("north", 'stale on "Respond within 8 minutes"')]


# --- combining the figures of different teams -------------------------------------------------------------------------

def latest_of(page, indicator_id: str):
    return page.find(id=f"indicator-{indicator_id}").find_next("dl").select_one(".hb-latest")


def test_no_cross_team_mean_unless_the_indicator_allows_it(site):
    page = article(site, "indicators")
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
    deficits = article(site, "deficits")
    evidence = deficits.find(id="deficit-late").find_next(lambda t: t.name == "li" and "Current value" in t.get_text())
    assert "best 4 % (North Depot)" in text(evidence) and "mean" not in text(evidence)
    targets = evidence.find_next(lambda t: t.name == "li" and "Late repairs under 5 %" in t.get_text())
    assert text(targets) == "Targets: Late repairs under 5 %: 5 % by 2024-06 (passed) · 2 × ✔ Met 1 × ◆ At risk"


def test_league_table_of_counts_is_unranked_with_its_total(site, data):
    # The site lists leagues of three teams or more (the glance issue): two depots report claims, so the site has no
    # claims league; rendered with a floor of two, the counts' table is unranked with its total.
    page = article(site, "scoreboard")
    assert page.find(id="league-claims") is None
    from macros.render.links import Links
    from macros.render.scoreboard import render_leagues

    leagues = BeautifulSoup(render_leagues(derive_analysis(validate_data(data)), Links("scoreboard.md", {}), min_teams=2),
                            "html.parser")
    claims = leagues.select_one('table[data-aggregate="sum"]')
    assert claims is not None and text(claims.caption) == "Damage claims: teams by latest count"
    assert [text(th) for th in claims.select("thead th")] == ["Team", "Unit", "Latest", "Period"]
    assert [[text(td) for td in tr.find_all("td")] for tr in claims.select("tbody tr")] == [
        ["North Depot", "Roads", "10 claims", "2024-12"], ["South Depot", "Roads", "30 claims", "2024-12"]]
    assert text(claims.select_one("tfoot")) == "Total of the 2 teams that reported 2024-12 40 claims 2024-12"
    late = page.find(id="league-late-rate").find_next("table")  # three depots: on the site
    assert [text(th) for th in late.select("thead th")][0] == "Rank" and late.select_one("tfoot") is None
    assert [text(tr.find_all("td")[0]) for tr in late.select("tbody tr")] == ["1", "1", "3"]


def test_a_bad_aggregate_is_a_clear_error(tmp_path):
    org = messy_org()
    org["indicators.yml"][2]["aggregate"] = "total"
    result = run_cli("check", data=write_org(tmp_path, org))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = next(x for x in result.stderr.splitlines() if "aggregate" in x)
    assert line.strip().endswith("data/indicators.yml:17: indicator 'claims', field 'aggregate': expected one of none, "
                                 "sum, mean, found 'total'.")


# --- tolerances and differences ----------------------------------------------------------------------------------------

def test_a_tolerance_finer_than_the_display_precision_is_shown_in_points(site):
    page = article(site, "targets/late-under-5")
    guard = page.find(id="guardrails").find_next("ul")
    assert text(guard.find("p")) == "Satisfaction must not get worse by more than 0.5 points from the baseline (higher is better)."
    north = next(li for li in guard.select("ul ul li") if "North Depot" in text(li))
    assert "worsened by 1 point (80 % to 79 %, 2024-01 to 2024-12)" in text(north)
    south = next(li for li in guard.select("ul ul li") if "South Depot" in text(li))
    assert text(south) == "South Depot: unchanged (70 % to 70 %, 2024-01 to 2024-12)"
    flags = article(site, "learning").find(id="distortion-flags").find_next("table").select("tbody tr")
    cells = [text(td) for td in flags[0].find_all("td")]
    assert cells[3:5] == ["1 point (2024-01 to 2024-12)", "0.5 points"]
    summary = [text(f) for f in article(site, "teams/north").select(".hb-chart__summary") if text(f).startswith("Satisfaction")]
    assert summary == ["Satisfaction: worse by 1 point (80 % in 2024-01 to 79 % in 2024-12); distortion flag: worse by "
                       "more than the tolerance of 0.5 points while the target improved."]


# --- the ratchet -------------------------------------------------------------------------------------------------------

def test_learning_and_target_pages_label_every_revision(site):
    expected = ["Raised the bar and moved the deadline later", "Moved the deadline earlier", "Moved the deadline later",
                "Lowered the bar", "Raised the bar"]  # newest first
    timeline = article(site, "learning").select("ol.hb-timeline > li .hb-timeline__kind")
    assert [text(k) for k in timeline] == expected
    table = article(site, "targets/fewer-claims").select("table.hb-revisions tbody tr")
    assert [text(r.select_one(".hb-revision-kind")) for r in table] == expected
    assert [text(r.find_all("td")[1]) + " → " + text(r.find_all("td")[2]) for r in table][3] == (
        "25 claims in 2025-06 → 28 claims in 2025-06")


# --- wording real names break -------------------------------------------------------------------------------------------

def test_an_organization_name_that_needs_the_is_not_made_possessive(site):
    page = article(site, "onboarding")
    intro = next(p for p in page.find_all("p") if "performance handbook" in p.get_text())
    assert text(intro).startswith("Welcome. This is the performance handbook of: Department of Transport.")
    assert "Transport's" not in text(page)


def test_counts_agree_with_their_nouns_and_lists_are_joined(site):
    home = article(site, "")
    tiles = {t["data-fact"]: text(t) for t in home.select(".hb-tile[data-fact]")}
    assert tiles["stale teams"] == "1 stale team" and tiles["distortion flags"] == "1 distortion flag"
    learning = text(article(site, "learning"))
    assert "raises 1 distortion flag;" in learning and "revised 5 times" in learning
    deficits = text(article(site, "deficits"))
    assert "No deficit has been identified at the input and process stages. Either those stages work well" in deficits


def test_the_sample_shows_a_passed_deadline():
    result = run_cli("status", "--json", data=ROOT / "data")
    rows = [r for r in json.loads(result.stdout) if r["deadline_passed"]]
    assert {r["met_at_deadline"] for r in rows} >= {True, False}


def test_a_target_finer_than_the_display_precision_is_shown_as_written(tmp_path):
    from macros.render.deadlines import describe_deadline
    from macros.words import fmt_expected

    org = messy_org()
    org["targets.yml"][0]["target"]["value"] = 4.5  # late-rate is shown without decimals
    a = derive_analysis(validate_data(write_org(tmp_path, org)))
    ind = a.hb.indicators["late-rate"]
    rows = {s.team: s for s in a.by_target["late-under-5"]}
    assert describe_deadline(rows["north"], ind, "monthly") == "Deadline passed (2024-06): met, 4 % against 4.5 %"
    north = rows["north"]
    assert fmt_expected(ind, north.expected, north.baseline_value, north.target_value) == "4.5 %"  # not "4 %"


def test_status_text_output_says_whether_a_passed_deadline_was_met(data):
    lines = run_cli("status", data=data).stdout.splitlines()
    assert lines[0].split() == ["target", "team", "period", "value", "expected", "status", "distortions", "deadline"]
    by = {tuple(line.split()[:2]): line.rstrip() for line in lines[1:]}
    assert by[("late-under-5", "north")].endswith("  2024-06 passed, met")
    assert by[("late-under-5", "south")].endswith("  2024-06 passed, not met")
    assert by[("fast-response", "west")].endswith("  2025-06")


def test_a_guardrail_limit_from_a_fine_tolerance_keeps_its_precision_in_the_chart(site):
    page = article(site, "teams/north")
    grid = page.select_one("#guardrails-late-under-5").find_next("div", class_="hb-chart-grid")
    figure = json.loads(grid.select_one(".hb-chart")["data-figure"])
    limit = next(t for t in figure["data"] if t["meta"] == "limit")
    assert limit["y"] == [79.5, 79.5]  # 80 % less the 0.5-point tolerance (higher is better)
    assert limit["hovertemplate"] == "%{y:,.1f}<extra>Limit</extra>"  # shown as 79.5, not rounded to 80


def test_target_titles_in_the_new_sentences_stay_text(tmp_path):
    org = messy_org()
    org["targets.yml"][1]["title"] = "<script>alert(1)</script> {{ 7 * 7 }}"  # fast-response: stale for north
    org["targets.yml"][0]["title"] = "<b>late</b>"  # late-under-5: deadline passed
    site = build_ok(write_org(tmp_path, org), tmp_path / "site")
    north = article(site, "teams/north")
    box = north.select_one(".hb-freshness")
    assert box.find("script") is None and "<script>alert(1)</script> {{ 7 * 7 }} (latest figure 2024-06" in box.get_text()
    assert north.find("script") is None and north.find("b") is None
    assert "49" not in box.get_text()


def test_the_sample_shows_no_cross_team_mean(sample_site):
    # No sample indicator says `aggregate: mean`, so no page may average teams' figures.
    for page in sample_site.rglob("index.html"):
        body = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
        if body is not None:
            assert "mean of the" not in body.get_text(" "), page
    scoreboard = article(sample_site, "scoreboard")
    # aggregate: sum, but one team reports it: no league table at all (fewer than three teams), so no total either.
    assert scoreboard.find(id="league-damage-claims") is None
    assert all(t.select_one("tfoot") is None for t in scoreboard.select("table.hb-league"))


def test_a_practice_with_one_automated_check_says_so_in_the_singular(sample_site):
    score = article(sample_site, "practices/practice-3").select_one(".hb-practice-score")
    assert score["data-total"] == "1"
    assert text(score) == f"{score['data-passed']} of 1 automated check passes"
