"""Notes in plain sight, fair comparisons, a truthful public edition and plain words (issue 21, its fairness half).

One fixture organization, built in both editions with HANDBOOK_TODAY the day after its last period's figures were
due, so its figures are current: a series whose note repeats 14 times, counts of very different sizes, a team stale
in a league table, a stated baseline that differs from the recorded figure, a team stale on a target with a note,
a count of exactly one, and capacity records that are all internal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_ok, run_cli
from macros.fairness import derive_baseline_mismatches
from macros.leagues import derive_league
from macros.model import Better, Indicator, Stage
from macros.status_diff import derive_status_changes, render_status_changes
from macros.validate import validate_data
from macros.words import unit_for
from orgs import base_org, clone, monthly, practices, write_org

TODAY = "2025-08-01"  # figures for 2025-06 were due by 2025-07-31: the fixture's last period is the expected one
REPEATED = "published as user_satisfaction_percent"
HOSTILE = "Survey moved online <b>bold</b> {{ 7*7 }}"
PAUSED = "Counting paused during the <i>system</i> migration"


def fairness_org() -> dict:
    org = base_org()
    org["organization.yml"]["default_visibility"] = "public"
    org["teams.yml"].append({"id": "delta", "name": "Delta Team", "unit": "Support"})
    org["indicators.yml"] += [
        {"id": "complaints", "name": "Complaints", "unit": "complaints", "stage": "outcome", "better": "lower",
         "aggregate": "sum"},
        {"id": "attendances", "name": "Attendances", "unit": "attendances", "stage": "output", "better": "higher",
         "aggregate": "sum"},
    ]
    org["deficits.yml"].append({"id": "unhappy", "title": "Residents are unhappy", "stage": "outcome",
                                "indicator": "satisfaction"})
    org["targets.yml"].append({
        "id": "satisfy", "title": "Raise satisfaction to 90", "deficit": "unhappy", "indicator": "satisfaction",
        "teams": ["alpha", "beta"], "owner": "Director",
        "baseline": {"period": "2024-11", "value": 40}, "target": {"period": "2025-12", "value": 90},
        "theory": {"link": "Happier residents.", "chain": ["Better service", "Happier residents"]},
    })
    org["practices.yml"] = practices({5: ["teams-fresh"], 6: ["capacity-recorded", "needs-answered"]})
    # Every capacity record internal: the public edition must not call alpha or beta lacking one.
    org["capacity.yml"] = [
        {"team": "alpha", "staff": 4, "visibility": "internal",
         "needs": [{"need": "A van", "kind": "technology", "status": "requested", "date": "2024-01-10"}]},
        {"team": "beta", "staff": 2, "visibility": "internal"},
    ]
    rows = []
    # Alpha: waiting days improving slowly, then met in the last month, with a note.
    rows += monthly("alpha", "wait-days", (2024, 1), [6.0 - 0.05 * i for i in range(17)])
    rows.append(("alpha", "wait-days", "2025-06", 1.5, "Two new staff started"))
    # Beta: waiting days stop in 2024-12 with a note: stale on its target, while its other figures are current.
    beta_wait = monthly("beta", "wait-days", (2024, 1), [7.0] * 12)
    beta_wait[-1] = (*beta_wait[-1], PAUSED)
    rows += beta_wait
    rows += monthly("alpha", "rework", (2024, 1), [5] * 18)
    # Satisfaction: alpha's note repeated on 14 consecutive months, then another; gamma stale since 2024-10.
    sat = monthly("alpha", "satisfaction", (2024, 1), [60 + i for i in range(18)])
    sat = [(*r, REPEATED) if 1 <= i <= 14 else r for i, r in enumerate(sat)]
    sat[16] = (*sat[16], HOSTILE)
    sat[10] = ("alpha", "satisfaction", "2024-11", 38, REPEATED)  # the recorded baseline figure: 38, not 40
    rows += sat
    rows += monthly("beta", "satisfaction", (2024, 1), [40] * 18)
    rows += monthly("delta", "satisfaction", (2024, 1), [50] * 18)
    rows += monthly("gamma", "satisfaction", (2024, 1), [95] * 10)
    # Counts from services of very different size: never ranked, listed with their total.
    for team, size in (("alpha", 1200), ("beta", 3), ("gamma", 40), ("delta", 500)):
        rows += monthly(team, "complaints", (2024, 1), [size] * 18)
    rows += monthly("alpha", "attendances", (2024, 1), [5] * 17 + [1])
    for team in ("beta", "gamma", "delta"):
        rows += monthly(team, "rework", (2024, 1), [4] * 18)
        rows += monthly(team, "staff-hours", (2024, 1), [100] * 18)
    rows += monthly("alpha", "staff-hours", (2024, 1), [100] * 18)
    org["measurements"]["figures.csv"] = rows
    return org


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return write_org(tmp_path_factory.mktemp("fair-data"), fairness_org())


@pytest.fixture(scope="module")
def hb(data):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HANDBOOK_TODAY", TODAY)
        return validate_data(data)


@pytest.fixture(scope="module")
def sites(data, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("fair-sites")
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HANDBOOK_TODAY", TODAY)
        out["intranet"] = build_ok(data, root / "intranet")
        mp.setenv("HANDBOOK_EDITION", "public")
        out["public"] = build_ok(data, root / "public")
    return out


def article(site: Path, url: str) -> BeautifulSoup:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").select_one("article")


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def figures(node) -> list[dict]:
    """Every chart under a node: figure JSON, summary, notes under it, data table rows."""
    out = []
    for fig in node.select("figure.hb-figure"):
        table = fig.select_one("details.hb-chart__data table")
        out.append({
            "figure": json.loads(fig.select_one(".hb-chart")["data-figure"]),
            "summary": fig.select_one("figcaption").get_text(),
            "title": fig.select_one(".hb-figure__title").get_text(" ", strip=True) if fig.select_one(".hb-figure__title") else "",
            "notes": [li.get_text() for li in fig.select(".hb-chart__notes li")],
            "headers": [th.get_text() for th in table.select("thead th")] if table else [],
            "rows": [[td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")] if table else [],
        })
    return out


def role(figure: dict, meta: str) -> list[dict]:
    return [t for t in figure["data"] if t.get("meta") == meta]


# --- Notes in plain sight ----------------------------------------------------------------------------------------


@pytest.mark.build
@pytest.mark.parametrize("edition", ["intranet", "public"])
def test_notes_are_printed_under_the_chart_once_per_run_escaped(sites, edition):
    page = article(sites[edition], "targets/satisfy")
    (alpha,) = [f for f in figures(page) if "Alpha" in f["title"]]
    # Fourteen identical notes on consecutive months are one ranged note; the other note stands alone; text only.
    assert alpha["notes"] == [f"2024-02 to 2025-03: {REPEATED}", f"2025-05: {HOSTILE}"]
    assert page.select("figure b, figure i") == []  # no markup from a note
    assert "49" not in text(page.select_one(".hb-chart__notes"))  # never run as a template
    # One marker per note, not a row of fourteen stars.
    (stars,) = role(alpha["figure"], "note")
    assert stars["x"] == ["2024-02", "2025-05"]
    assert "Notes on 2024-02 to 2025-03, 2025-05 (below the chart)." in alpha["summary"]
    # Outside the folded data table and the hover text: a sibling of the summary, shown in print too.
    notes = page.select_one(".hb-chart__notes")
    assert notes.find_parent("details") is None
    css = (sites[edition] / "assets" / "css" / "teams.css").read_text(encoding="utf-8")
    print_rules = css[css.index("@media print"):]
    assert ".hb-chart__notes { display: block" in print_rules


@pytest.mark.build
def test_cross_team_chart_names_whose_note_it_is(sites):
    page = article(sites["intranet"], "indicators")
    (sat,) = [f for f in figures(page) if f["summary"].startswith("Satisfaction")]
    assert sat["notes"][0] == f"Alpha Team, 2024-02 to 2025-03: {REPEATED}"
    assert "2 notes (below the chart)" in sat["summary"]


@pytest.mark.build
def test_the_stale_box_quotes_the_latest_note_of_the_stale_series(sites):
    page = article(sites["intranet"], "teams/beta")
    box = page.select_one(".admonition.hb-freshness")
    assert box.select_one(".admonition-title").get_text(strip=True) == "Stale data"
    quote = box.select_one(".hb-freshness__note")
    assert text(quote) == f"Latest note on Days waiting (2024-12): {PAUSED}"
    assert quote.select("i") == []


def test_diff_quotes_the_note_beside_a_status_move(tmp_path):
    org = fairness_org()
    before = clone(org)
    before["measurements"]["figures.csv"] = [r for r in org["measurements"]["figures.csv"]
                                             if not (r[0] == "alpha" and r[1] == "wait-days" and r[2] == "2025-06")]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HANDBOOK_TODAY", TODAY)
        old = validate_data(write_org(tmp_path / "old", before))
        new = validate_data(write_org(tmp_path / "new", org))
    report = render_status_changes(derive_status_changes(old, new), old, new, "main")
    assert "- Alpha Team, Cut waiting to 2 days: at risk -> **met** (1.5 days in 2025-06; note: “Two new staff " \
           "started”)" in report


# --- Fair comparisons ----------------------------------------------------------------------------------------


def test_counts_are_not_ranked_and_stale_figures_follow_unranked(hb):
    assert not hb.indicators["complaints"].is_ranked and hb.indicators["satisfaction"].is_ranked
    assert [(r.rank, r.team) for r in derive_league(hb, "complaints")] == [
        (None, "beta"), (None, "gamma"), (None, "delta"), (None, "alpha")]
    # Gamma's 95 % would be first; it is from 2024-10, stale: after the ranked teams, without a rank.
    assert [(r.rank, r.team, r.stale) for r in derive_league(hb, "satisfaction")] == [
        (1, "alpha", False), (2, "delta", False), (3, "beta", False), (None, "gamma", True)]


def test_comparable_overrides_the_default_and_must_be_true_or_false(tmp_path):
    org = fairness_org()
    ind = next(i for i in org["indicators.yml"] if i["id"] == "complaints")
    ind["comparable"] = True
    next(i for i in org["indicators.yml"] if i["id"] == "satisfaction")["comparable"] = "yes"
    result = run_cli("check", data=write_org(tmp_path, org), env={"HANDBOOK_TODAY": TODAY})
    assert result.returncode == 1
    assert "indicator 'satisfaction', field 'comparable': expected true or false, found 'yes'." in result.stderr
    ind = Indicator("x", "X", "calls", Stage.OUTPUT, Better.LOWER, aggregate="sum", comparable=True)
    assert ind.is_ranked


@pytest.mark.build
@pytest.mark.parametrize("edition", ["intranet", "public"])
def test_league_tables_list_counts_unranked_with_their_total_and_stale_figures_last(sites, edition):
    page = article(sites[edition], "scoreboard")
    complaints = page.select_one("#league-complaints").find_next("table")
    assert complaints["data-ranked"] == "false"
    assert [th.get_text() for th in complaints.select("thead th")] == ["Team", "Unit", "Latest", "Period"]
    assert text(complaints.select_one("tfoot")) == "Total of the 4 teams that reported 2025-06 1,743 complaints 2025-06"
    sat = page.select_one("#league-satisfaction").find_next("table")
    assert sat["data-ranked"] == "true"
    current, stale = sat.select("tbody")
    assert [[td.get_text(" ", strip=True) for td in tr.select("td")][:2] for tr in current.select("tr")] == [
        ["1", "Alpha Team"], ["2", "Delta Team"], ["3", "Beta Team"]]
    assert text(stale.select_one("th")) == "Stale figures, not ranked (1 team)"
    (row,) = stale.select("tr.hb-league__stale")
    assert [td.get_text(" ", strip=True) for td in row.select("td")][:2] == ["–", "Gamma Team"]
    assert "stale" in text(row)


@pytest.mark.build
def test_indicators_page_totals_counts_and_names_no_best_or_worst(sites):
    page = article(sites["intranet"], "indicators")
    latest = page.select_one('dl[data-indicator="complaints"]').select_one(".hb-latest")
    assert text(latest) == "1,743 complaints in 2025-06 (total of the 4 teams that reported for that period)"
    assert "best" not in text(latest) and "worst" not in text(latest)
    # A count of exactly one: "1 attendance", never "1 attendances", anywhere on the site.
    assert "1 attendance in 2025-06" in text(page.select_one('dl[data-indicator="attendances"]'))
    html = "".join(p.read_text(encoding="utf-8") for p in sites["intranet"].rglob("*.html"))
    assert "1 attendances" not in html


@pytest.mark.build
def test_no_trajectory_before_the_baseline_period(sites):
    page = article(sites["intranet"], "targets/satisfy")
    (alpha,) = [f for f in figures(page) if "Alpha" in f["title"]]
    rows = {r[0]: r for r in alpha["rows"]}
    assert rows["2024-10"][2] == "–" and rows["2024-01"][2] == "–"
    assert rows["2024-11"][2] == "40" and rows["2025-06"][2] != "–"
    (actual,) = role(alpha["figure"], "actual")
    assert actual["customdata"][:10] == [None] * 10 and actual["customdata"][10] == 40


@pytest.mark.build
def test_a_stated_baseline_that_differs_from_the_recorded_figure_is_said_and_warned(sites, data, hb):
    assert [(m.target, m.team, m.stated, m.recorded) for m in derive_baseline_mismatches(hb)] == [
        ("satisfy", "alpha", 40.0, 38.0)]
    page = article(sites["intranet"], "targets/satisfy")
    (said,) = page.select(".hb-baseline-mismatch")
    assert text(said) == "Alpha Team: stated baseline 40 %; recorded 38 % in 2024-11"
    result = run_cli("check", data=data, env={"HANDBOOK_TODAY": TODAY})
    assert result.returncode == 0, result.stderr  # a warning, not an error
    assert "1 warning (not errors: the data is valid):" in result.stderr
    assert re.search(r"warning: \S*targets\.yml:\d+: satisfy, field 'baseline\.value': expected the same value as "
                     r"the figure Alpha Team recorded for 2024-11 \(38 %\); the target's page shows both, found 40 %\.",
                     result.stderr), result.stderr
    gh = run_cli("check", "--format", "github", data=data, env={"HANDBOOK_TODAY": TODAY})
    assert gh.returncode == 0 and re.search(r"^::warning file=.*targets\.yml,line=\d+", gh.stdout, re.M)
    js = json.loads(run_cli("check", "--format", "json", data=data, env={"HANDBOOK_TODAY": TODAY}).stdout)
    assert js["valid"] is True and [w["record"] for w in js["warnings"]] == ["satisfy"]


# --- The public edition tells the truth ------------------------------------------------------------------------


@pytest.mark.build
def test_public_edition_names_no_team_as_lacking_a_hidden_capacity_record(sites):
    pub, inner = article(sites["public"], "practices/practice-6"), article(sites["intranet"], "practices/practice-6")
    results = {li["data-check"]: li for li in pub.select("li.hb-check")}
    # Intranet: every carrying team has a record (pass); alpha's van has waited since 2024-01 (fail).
    inside = {li["data-check"]: li["data-result"] for li in inner.select("li.hb-check")}
    assert inside == {"capacity-recorded": "pass", "needs-answered": "fail"}
    assert "Alpha Team" in text(inner.select_one('li[data-check="needs-answered"]'))
    # Public: both depend on internal records: not stated, no team named, no failure listed.
    for name in ("capacity-recorded", "needs-answered"):
        li = results[name]
        assert li["data-result"] == "unstated"
        assert "not published in this edition" in text(li)
        assert li.select(".hb-check__failures") == []
        assert "Alpha" not in text(li) and "Beta" not in text(li)
    for team in ("alpha", "beta"):
        checklist = article(sites["public"], f"teams/{team}").select_one("table.hb-team-checks")
        assert "no capacity record" not in text(checklist) and "A van" not in text(checklist)


@pytest.mark.build
def test_home_counts_only_the_checks_the_edition_can_state(sites):
    def count(site):
        note = next(p for p in article(site, "").select(".hb-glance-note") if "checks pass" in p.get_text())
        return text(note)

    inner = re.search(r"(\d+) of (\d+) automated practice checks pass", count(sites["intranet"]))
    outer = re.search(r"(\d+) of (\d+) automated practice checks pass \((\d+) not published in this edition\)",
                      count(sites["public"]))
    assert inner and outer
    stated, unstated = int(outer[2]), int(outer[3])
    assert unstated >= 2 and stated + unstated == int(inner[2])
    assert "not published" not in count(sites["intranet"])


@pytest.mark.build
def test_public_edition_leaves_out_contributor_pages_and_repository_paths(sites):
    pub, inner = sites["public"], sites["intranet"]
    for page in ("add-figures", "propose-a-change", "data-reference", "editions"):
        assert (inner / "onboarding" / page / "index.html").is_file()
        assert not (pub / "onboarding" / page).exists()
    html = {p: p.read_text(encoding="utf-8") for p in pub.rglob("*.html")}
    assert not any("This page comes from" in t or "data/teams.yml" in t for t in html.values())
    assert not any(re.search(r'href="[^"]*(propose-a-change|add-figures|data-reference|onboarding/editions)', t)
                   for t in html.values())
    assert "This page comes from" in (inner / "teams" / "alpha" / "index.html").read_text(encoding="utf-8")
    home = BeautifulSoup((pub / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert text(home.select_one(".md-header__topic")).endswith("Public edition")
    assert text(home.select_one(".hb-edition-note")).startswith("Public edition")


# --- Words -----------------------------------------------------------------------------------------------------


def test_units_from_data_read_right_after_one():
    assert unit_for("attendances", "1") == "attendance"
    assert unit_for("claims per month", "1") == "claim per month"
    assert unit_for("entries", "1") == "entry"
    assert unit_for("days", "1.0") == "days" and unit_for("days", "2") == "days"
    assert unit_for("%", "1") == "%" and unit_for("EUR", "1") == "EUR" and unit_for("status", "1") == "status"
    assert unit_for("per 10,000 households", "1") == "per 10,000 households"


@pytest.mark.build
def test_scoreboard_and_home_speak_plainly(sites):
    board = article(sites["intranet"], "scoreboard")
    assert text(board.select_one("#by-status")).startswith("Every team's result, by status")
    page = str(board) + str(article(sites["intranet"], ""))
    for jargon in ("team-and-target", "Pairs by status", "is no data"):
        assert jargon not in page
    assert "Every team has figures for every target it carries." in text(board)


@pytest.mark.build
def test_the_print_handbook_carries_the_note_on_each_latest_figure(sites):
    summary = article(sites["intranet"], "onboarding/print").select_one("table.hb-summary")
    notes = [text(n) for n in summary.select(".hb-summary__note")]
    assert "Note: Two new staff started" in notes
    assert f"Note: {PAUSED}" in notes and summary.select("i") == []


def test_a_target_no_better_than_a_teams_baseline_is_said_and_warned(tmp_path, monkeypatch):
    """A target that a team already beat at its baseline asks nothing of it: its trajectory would run towards worse
    figures and the team is "met" without improving. The target's page says so for that team, and `check` warns."""
    from macros.fairness import derive_no_improvement_asked
    from macros.registry import render_call
    from macros.render.links import target_src
    from macros.site import load_site

    org = fairness_org()
    faster = next(t for t in org["targets.yml"] if t["id"] == "faster")
    faster["target"]["value"] = 6.5  # lower is better: alpha's baseline (2024-01) is 6.0, beta's 7.0
    data = write_org(tmp_path / "data", org)
    monkeypatch.setenv("HANDBOOK_TODAY", TODAY)
    hb = validate_data(data)
    assert [(n.target, n.team, n.period, n.baseline, n.goal) for n in derive_no_improvement_asked(hb)] == [
        ("faster", "alpha", "2024-01", 6.0, 6.5)]
    site = load_site(data)
    src = target_src("faster")
    page = render_call(site, "target_page", src, ("faster",)) + "".join(map(str, site.held.slots.get(src, [])))
    said = BeautifulSoup(page, "html.parser").select(".hb-no-improvement")
    assert [(s["data-team"], text(s)) for s in said] == [(
        "alpha", "Alpha Team: at its baseline (6.0 days in 2024-01) it was already at or better than the target "
                 "(6.5 days): the target asks no improvement of it")]
    result = run_cli("check", data=data, env={"HANDBOOK_TODAY": TODAY})
    assert result.returncode == 0, result.stderr  # a warning, not an error
    assert re.search(r"warning: \S*targets\.yml:\d+: faster, field 'target\.value': expected a value better than "
                     r"Alpha Team's baseline \(6\.0 days in 2024-01, lower is better\): as it is, the target asks no "
                     r"improvement of that team, found 6\.5 days\.", result.stderr), result.stderr
    # The fixture as it is asks every team to improve: no such warning.
    assert derive_no_improvement_asked(validate_data(write_org(tmp_path / "plain", fairness_org()))) == []
    # A stated baseline is every team's: one finding for the target, not one per team.
    faster["baseline"]["value"] = 5.0
    stated_data = write_org(tmp_path / "stated", org)
    assert [(n.target, n.team, n.baseline, n.goal) for n in derive_no_improvement_asked(validate_data(stated_data))] \
        == [("faster", "", 5.0, 6.5)]
    result = run_cli("check", data=stated_data, env={"HANDBOOK_TODAY": TODAY})
    assert result.stderr.count("asks no improvement") == 1, result.stderr
    assert "expected a value better than the stated baseline (5.0 days in 2024-01" in result.stderr


def test_a_team_that_met_no_target_is_not_judged_on_recognition(hb):
    """On a team's page, "every team that met a target has been recognized" has nothing to judge for a team that met
    none: not a pass. For a team that met one, it is judged."""
    from macros.checks import CHECKS
    from macros.derive import derive_analysis

    a = derive_analysis(hb)
    met = {s.team for s in a.statuses if s.has_met}
    carrying = {t for t in hb.teams if a.by_team.get(t)}
    assert met and carrying - met  # the fixture has both
    check = CHECKS["met-targets-recognized"]
    assert {t: check.nothing_to_judge(a, t) for t in sorted(carrying)} == {
        t: "" if t in met else "has met no target" for t in sorted(carrying)}


def test_the_public_edition_states_no_judgement_the_whole_data_does_not_share():
    """Not judged on the public records (the only live targets internal, say) but judged and passed on the whole data:
    the public edition cannot say "Not judged" (untrue of the organization), so it says the result is not published."""
    from macros.checks import CheckResult, reconcile_public

    public = {"teams-fresh": CheckResult("teams-fresh", True, (), "no team carries a live target", judged=False)}
    whole = {"teams-fresh": CheckResult("teams-fresh", True, ())}
    (out,) = reconcile_public(public, whole, {}).values()
    assert out.unstated and not out.passes
    same = reconcile_public(public, {"teams-fresh": public["teams-fresh"]}, {})["teams-fresh"]
    assert not same.unstated and not same.judged
