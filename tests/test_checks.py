"""Every automated checklist check, on fixture organizations made to pass it and to fail it.

`full_org()` passes every check; each failing case is one small, named change to it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from macros.checks import CHECKS, Failure, run_checks
from macros.derive import derive_analysis
from macros.validate import validate_data
from orgs import SUITE_TODAY, base_org, clone, fixture_today, messy_org, monthly, write_org

MONTHS = 6  # figures for 2024-01 .. 2024-06: the reference date is 2024-06-30


def _series(team: str, indicator: str, values: list[float]) -> list[tuple]:
    return monthly(team, indicator, (2024, 1), values)


def full_org() -> dict:
    """A monthly organization that passes every automated check."""
    org = base_org()
    org["deficits.yml"] += [
        {"id": "few-hours", "title": "Too few staff hours", "stage": "input", "indicator": "staff-hours"},
        {"id": "rework-high", "title": "Too much rework", "stage": "process", "indicator": "rework"},
        {"id": "unhappy", "title": "Residents unhappy", "stage": "outcome", "indicator": "satisfaction"},
    ]
    theory = {"link": "It helps the mission.", "chain": ["Better work", "Better service"]}
    for tid, deficit, ind, guard, value in [
        ("more-hours", "few-hours", "staff-hours", "rework", 120),
        ("less-rework", "rework-high", "rework", "wait-days", 2),
        ("happier", "unhappy", "satisfaction", "rework", 90),
    ]:
        org["targets.yml"].append({
            "id": tid, "title": f"Target {tid}", "deficit": deficit, "indicator": ind, "teams": ["alpha"],
            "owner": "Director", "baseline": {"period": "2024-01"}, "target": {"period": "2024-12", "value": value},
            "theory": dict(theory), "guardrails": [{"indicator": guard, "tolerance": 1}],
        })
    rows = []
    for team in ("alpha", "beta"):
        rows += _series(team, "wait-days", [6, 5.5, 5, 4.6, 4.2, 4.0])  # on track towards 2.0 by 2024-12
        rows += _series(team, "rework", [5] * MONTHS)
        rows += _series(team, "satisfaction", [70] * MONTHS)
        rows += _series(team, "staff-hours", [100] * MONTHS)
    rows += [("gamma", "rework", "2024-06", 3), ("gamma", "satisfaction", "2024-06", 80), ("gamma", "staff-hours", "2024-06", 50)]
    org["measurements"] = {"figures.csv": rows}
    org["capacity.yml"] = [
        {"team": "alpha", "staff": 5, "needs": [{"need": "A van", "kind": "technology", "status": "requested", "date": "2024-05-01"}]},
        {"team": "beta", "staff": 4},
    ]
    org["recognition.yml"] = [
        {"date": "2024-05-01", "team": "alpha", "kind": "esteem", "title": "Presented at the review"},
        {"date": "2024-04-01", "team": "beta", "kind": "esteem", "title": "Hosted a visit"},
    ]
    org["learning.yml"] = [
        {"date": "2024-06-10", "kind": "insight", "title": "Mornings are busier", "finding": "Most requests arrive before ten.",
         "status": "open"},
    ]
    org["practices.yml"] = _practices_with_all_checks()
    return org


def _practices_with_all_checks() -> list[dict]:
    from orgs import practices

    by_practice: dict[int, list[str]] = {}
    for name, check in CHECKS.items():
        by_practice.setdefault(check.practice, []).append(name)
    return practices(by_practice)


def _replace_rows(org: dict, team: str, indicator: str, values: list[float]) -> None:
    rows = [r for r in org["measurements"]["figures.csv"] if not (r[0] == team and r[1] == indicator)]
    org["measurements"]["figures.csv"] = rows + _series(team, indicator, values)


def _target(org: dict, tid: str) -> dict:
    return next(t for t in org["targets.yml"] if t["id"] == tid)


# --- the changes that make each check fail -----------------------------------------------------------------

def no_big_picture(org):
    del org["organization.yml"]["big_picture"]


def no_input_deficit(org):
    org["deficits.yml"] = [d for d in org["deficits.yml"] if d["id"] != "few-hours"]
    org["targets.yml"] = [t for t in org["targets.yml"] if t["id"] != "more-hours"]


def deficit_without_figures(org):
    org["indicators.yml"].append({"id": "complaints", "name": "Complaints", "unit": "a month", "stage": "outcome", "better": "lower"})
    org["deficits.yml"].append({"id": "complaining", "title": "Complaints", "stage": "outcome", "indicator": "complaints"})
    org["targets.yml"].append({**clone(_target(org, "happier")), "id": "fewer-complaints", "deficit": "complaining", "indicator": "complaints"})


def deficit_without_target(org):
    org["deficits.yml"].append({"id": "orphan", "title": "Nobody on it", "stage": "process", "indicator": "rework"})


def one_step_chain(org):
    _target(org, "faster")["theory"]["chain"] = ["Faster service"]


def no_guardrail(org):
    del _target(org, "faster")["guardrails"]


def beta_one_month_behind(org):
    org["measurements"]["figures.csv"] = [r for r in org["measurements"]["figures.csv"] if not (r[0] == "beta" and r[2] == "2024-06")]


def beta_stale(org):
    org["measurements"]["figures.csv"] = [r for r in org["measurements"]["figures.csv"] if not (r[0] == "beta" and r[2] > "2024-03")]


def beta_no_capacity(org):
    org["capacity.yml"] = [c for c in org["capacity.yml"] if c["team"] != "beta"]


def old_request(org):
    org["capacity.yml"][0]["needs"][0]["date"] = "2024-01-15"


def alpha_met_unrecognized(org):
    _replace_rows(org, "alpha", "wait-days", [6, 5, 4, 3, 2.5, 1.5])


def beta_esteem_old(org):
    org["recognition.yml"][1]["date"] = "2023-01-15"


def distortion_unreviewed(org):
    _replace_rows(org, "alpha", "rework", [5, 5, 6, 7, 8, 9])  # worse by 4 > tolerance 2 while waiting improves


def no_input_indicator(org):
    org["indicators.yml"][3]["stage"] = "process"


def gamma_two_indicators(org):
    org["measurements"]["figures.csv"] = [r for r in org["measurements"]["figures.csv"] if not (r[0] == "gamma" and r[1] == "rework")]


def learning_old(org):
    org["learning.yml"][0]["date"] = "2024-02-01"


def all_met_not_ratcheted(org):
    _replace_rows(org, "alpha", "wait-days", [6, 5, 4, 3, 2.5, 1.5])
    _replace_rows(org, "beta", "wait-days", [6, 5, 4, 3, 2.5, 2.0])
    org["recognition.yml"] += [{"date": "2024-06-15", "team": t, "kind": "recognition", "title": "Met it", "target": "faster"}
                               for t in ("alpha", "beta")]


def deadline_ahead(org):
    # A target whose deadline is ahead of today (2026-12-05): its teams owe figures they stopped sending in 2024.
    org["targets.yml"][0]["target"]["period"] = "2027-06"


FAILING: dict[str, tuple[Callable[[dict], None], list[tuple[str, str]]]] = {
    "mission-stated": (no_big_picture, [("organization", "big_picture")]),
    "deficit-stages-covered": (no_input_deficit, [("stage", "input")]),
    "deficits-have-evidence": (deficit_without_figures, [("deficit", "complaining")]),
    "deficits-have-targets": (deficit_without_target, [("deficit", "orphan")]),
    "targets-have-theory": (one_step_chain, [("target", "faster")]),
    "targets-have-guardrails": (no_guardrail, [("target", "faster")]),
    "teams-report-latest": (beta_one_month_behind, [("team", "beta")]),
    "teams-fresh": (beta_stale, [("team", "beta")]),
    # The whole feed stopped in 2024-06: gamma, which carries no target, still owes what it reported (due.py).
    "figures-on-time": (deadline_ahead, [("team", "alpha"), ("team", "beta"), ("team", "gamma")]),
    "capacity-recorded": (beta_no_capacity, [("team", "beta")]),
    "needs-answered": (old_request, [("team", "alpha")]),
    "met-targets-recognized": (alpha_met_unrecognized, [("team", "alpha")]),
    "esteem-recent": (beta_esteem_old, [("team", "beta")]),
    "distortions-reviewed": (distortion_unreviewed, [("target", "faster")]),
    "indicators-cover-stages": (no_input_indicator, [("stage", "input")]),
    "teams-several-indicators": (gamma_two_indicators, [("team", "gamma")]),
    "learning-recent": (learning_old, [("learning", "log")]),
    "met-targets-ratcheted": (all_met_not_ratcheted, [("target", "faster")]),
}


def run(tmp_path: Path, org: dict, own_today: bool = True):
    return run_checks(derive_analysis(validate_data(write_org(tmp_path, org, own_today))))


@pytest.fixture(scope="module")
def full_results(tmp_path_factory):
    return run(tmp_path_factory.mktemp("full"), full_org())


def test_every_check_has_a_failing_fixture():
    assert set(FAILING) == set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_check_passes_on_full_org(full_results, name):
    result = full_results[name]
    assert result.passed, result.failures
    assert result.failures == ()


@pytest.mark.parametrize("name", sorted(FAILING))
def test_check_fails_and_names_the_record(tmp_path, name, monkeypatch):
    change, expected = FAILING[name]
    org = full_org()
    change(org)
    own_today = name != "figures-on-time"
    if not own_today:  # figures that stopped in 2024, judged on the suite's today, not on the day they fell due
        monkeypatch.setenv("HANDBOOK_TODAY", SUITE_TODAY)
    result = run(tmp_path, org, own_today)[name]
    assert not result.passed
    assert [(f.kind, f.id) for f in result.failures] == expected
    assert all(isinstance(f, Failure) and f.reason for f in result.failures)


def test_failing_one_check_leaves_unrelated_checks_passing(tmp_path):
    org = full_org()
    beta_no_capacity(org)
    results = run(tmp_path, org)
    assert [n for n, r in results.items() if not r.passed] == ["capacity-recorded"]


# --- passing variants: the same situation, with what the check asks for ---------------------------------------

def test_met_target_recognized_for_the_target_passes(tmp_path):
    org = full_org()
    alpha_met_unrecognized(org)
    org["recognition.yml"].append({"date": "2024-06-20", "team": "alpha", "kind": "recognition", "title": "Met", "target": "faster"})
    assert run(tmp_path, org)["met-targets-recognized"].passed


def test_team_recognition_without_target_counts(tmp_path):
    org = full_org()
    alpha_met_unrecognized(org)
    org["recognition.yml"].append({"date": "2024-06-20", "team": "alpha", "kind": "recognition", "title": "Well done"})
    assert run(tmp_path, org)["met-targets-recognized"].passed


def test_esteem_is_not_recognition(tmp_path):
    org = full_org()
    alpha_met_unrecognized(org)
    org["recognition.yml"].append({"date": "2024-06-20", "team": "alpha", "kind": "esteem", "title": "Spoke", "target": "faster"})
    assert not run(tmp_path, org)["met-targets-recognized"].passed


def test_distortion_with_review_passes(tmp_path):
    org = full_org()
    distortion_unreviewed(org)
    org["learning.yml"].append({"date": "2024-06-20", "kind": "distortion-review", "title": "Rework is up", "finding": "Rushed.",
                                "targets": ["faster"], "status": "open"})
    assert run(tmp_path, org)["distortions-reviewed"].passed


def test_distortion_within_tolerance_does_not_flag(tmp_path):
    org = full_org()
    _replace_rows(org, "alpha", "rework", [5, 5, 6, 6, 7, 7])  # worse by 2: not more than the tolerance of 2
    assert run(tmp_path, org)["distortions-reviewed"].passed


@pytest.mark.parametrize("change", [
    lambda org: org["learning.yml"].append({"date": "2024-06-20", "kind": "decision", "title": "Keep it", "finding": "Hold.",
                                            "targets": ["faster"], "status": "done"}),
    lambda org: _target(org, "faster").update(revisions=[{"date": "2024-06-20", "was": {"period": "2024-12", "value": 3.0},
                                                          "reason": "Raised."}]),
], ids=["decision", "revision"])
def test_met_target_ratcheted_or_decided_passes(tmp_path, change):
    org = full_org()
    all_met_not_ratcheted(org)
    change(org)
    assert run(tmp_path, org)["met-targets-ratcheted"].passed


def test_target_met_by_one_team_only_needs_no_ratchet(tmp_path):
    org = full_org()
    alpha_met_unrecognized(org)
    assert run(tmp_path, org)["met-targets-ratcheted"].passed


@pytest.mark.parametrize("status", ["approved", "provided", "declined"])
def test_old_need_that_was_answered_passes(tmp_path, status):
    org = full_org()
    old_request(org)
    org["capacity.yml"][0]["needs"][0]["status"] = status
    assert run(tmp_path, org)["needs-answered"].passed


def test_stale_within_the_limit_is_not_stale(tmp_path):
    org = full_org()
    org["measurements"]["figures.csv"] = [r for r in org["measurements"]["figures.csv"] if not (r[0] == "beta" and r[2] > "2024-04")]
    results = run(tmp_path, org)
    assert results["teams-fresh"].passed  # two months behind, stale_after is 2
    assert not results["teams-report-latest"].passed


def test_team_without_targets_is_not_asked_for_capacity_or_esteem(full_results):
    # gamma carries no target and has no capacity record or esteem entry
    assert full_results["capacity-recorded"].passed
    assert full_results["esteem-recent"].passed


def test_checks_without_figures_judge_against_the_calendar(tmp_path, monkeypatch):
    # v1.2: the reference date is the last day of the period whose figures are due by today, figures or none.
    day = fixture_today(full_org())
    org = full_org()
    org["measurements"] = {"figures.csv": []}
    monkeypatch.setenv("HANDBOOK_TODAY", day)
    results = run(tmp_path, org)
    for name in ("needs-answered", "esteem-recent", "learning-recent"):
        assert results[name].passed and not results[name].note
    assert not results["teams-report-latest"].passed
    assert {f.id for f in results["teams-report-latest"].failures} == {"alpha", "beta"}
    monkeypatch.setenv("HANDBOOK_TODAY", SUITE_TODAY)
    later = run(tmp_path, org)
    assert not later["needs-answered"].passed and not later["learning-recent"].passed
    # By then the target's deadline (2024-12) passed more than a year before the period due: a past target, which
    # the checks of a live target's figures do not judge. Left with nothing to judge, the check says so: no pass.
    assert not later["teams-report-latest"].judged and not later["teams-report-latest"].passes


# --- a check with nothing to judge says so; met is met (spec v1.2, past targets) ---------------------------------

def test_with_every_target_past_the_live_target_checks_judge_nothing(tmp_path, monkeypatch):
    # Two years after full_org's figures (2024-06) its one target (deadline 2024-12) is past: the checks of a live
    # target's figures have nothing to judge. That is no pass; the figures the teams still owe are judged late.
    monkeypatch.setenv("HANDBOOK_TODAY", SUITE_TODAY)
    results = run(tmp_path, full_org(), own_today=False)
    for name in ("teams-report-latest", "teams-fresh"):
        result = results[name]
        assert not result.judged and not result.passes and result.failures == ()
        assert result.note == "no team carries a live target"
    # ...and gamma, with no target, the figures it reported before the whole feed stopped
    assert {f.id for f in results["figures-on-time"].failures} == {"alpha", "beta", "gamma"}
    assert results["mission-stated"].judged and results["mission-stated"].passes


def test_a_team_that_met_a_target_at_its_deadline_is_owed_recognition_once_it_is_past(tmp_path, monkeypatch):
    # messy_org: north met "Late repairs under 5 %" at its deadline (2024-06); south only after it. Two years on, the
    # target is past and north's figures are stale, but north has still met it.
    monkeypatch.setenv("HANDBOOK_TODAY", SUITE_TODAY)
    result = run(tmp_path, messy_org(), own_today=False)["met-targets-recognized"]
    assert result.judged and not result.passed
    assert [(f.kind, f.id, f.reason) for f in result.failures] == [
        ("team", "north", 'met "Late repairs under 5 %" without recognition')]


def test_no_met_target_leaves_the_recognition_check_nothing_to_judge(full_results):
    assert not full_results["met-targets-recognized"].judged
    assert full_results["met-targets-recognized"].note == "no team has met a target"


@pytest.fixture(scope="module")
def past_site(tmp_path_factory):
    """full_org (every check on its practice pages) two years after its figures: its one target is past."""
    from pages import site_of
    return site_of(write_org(tmp_path_factory.mktemp("past"), full_org(), own_today=False))


def test_practice_page_says_not_judged_and_does_not_count_it(past_site):
    from pages import article
    soup = article(past_site, "practices/practice-5")
    items = {li["data-check"]: li for li in soup.select("li.hb-check")}
    for name in ("teams-report-latest", "teams-fresh"):
        assert items[name]["data-result"] == "not-judged"
        words = items[name].get_text(" ", strip=True)
        assert "Pass" not in words and "Not judged: no team carries a live target." in words
    assert items["figures-on-time"]["data-result"] == "fail"
    score = soup.select_one(".hb-practice-score")
    assert (score["data-passed"], score["data-total"]) == ("0", "1")
    assert score.get_text(" ", strip=True) == "0 of 1 automated check passes (2 not judged)"


def test_home_count_leaves_out_the_checks_with_nothing_to_judge(past_site):
    from pages import article

    from macros.checks import CHECKS
    note = next(p.get_text(" ", strip=True) for p in article(past_site, "").select("p.hb-glance-note")
                if "automated practice checks" in p.get_text())
    results = past_site.checks
    unjudged = [n for n, r in results.items() if not r.judged]
    assert {"teams-report-latest", "teams-fresh", "met-targets-recognized"} <= set(unjudged)
    passing = sum(1 for r in results.values() if r.passes)
    assert note.startswith(f"{passing} of {len(CHECKS) - len(unjudged)} automated practice checks pass "
                           f"({len(unjudged)} not judged).")


@pytest.fixture(scope="module")
def messy_site(tmp_path_factory):
    """messy_org on the suite's today: its figures end in 2024-12; east and west carry past targets only."""
    from pages import site_of
    return site_of(write_org(tmp_path_factory.mktemp("messy"), messy_org(), own_today=False))


def test_team_with_past_targets_only_is_not_said_to_pass_the_live_target_checks(messy_site):
    from pages import article
    soup = article(messy_site, "teams/east")
    rows = {tr.select("td")[1].get_text(" ", strip=True): tr.select("td")[2].get_text(" ", strip=True)
            for tr in soup.select("table.hb-team-checks tbody tr")}
    fresh = rows["No team's figures on a live target are stale against the reporting calendar."]
    assert fresh == "– Not applicable : carries no live target"
    assert "Passes" not in rows["Every team that carries a live target has figures for the period due by today on each "
                                "of its targets' indicators."]


def test_scoreboard_stale_teams_agree_with_the_team_pages(messy_site):
    # Every team's figures end in 2024-12, 22 periods behind: east and west carry past targets only, and their
    # pages say "Stale": the home page's count and the scoreboard's list have them too.
    from pages import article

    from macros.render.teams import describe_team_freshness
    a = messy_site.analysis
    on_pages = [t for t in a.hb.teams if describe_team_freshness(a, t)[1] == "Stale data"]
    assert on_pages == ["north", "south", "east", "west"]
    board = article(messy_site, "scoreboard")
    listed = [li.a.get_text() for li in board.select(".hb-stale-teams li")]
    assert listed == ["North Depot", "South Depot", "East Depot", "West Depot"]
    assert board.select(".hb-stale-teams li")[2].get_text(" ", strip=True) == (
        "East Depot : latest figures 2024-12, 22 periods behind")
    home = article(messy_site, "")
    assert home.select_one('[data-fact="stale teams"] .hb-tile__n').get_text() == "4"


def test_scoreboard_does_not_say_no_team_met_a_target_when_one_met_it_at_its_deadline(messy_site):
    from pages import article
    board = article(messy_site, "scoreboard")
    assert board.select_one("#status-met").get_text(" ", strip=True).startswith("Met (0)")
    said = board.select_one("#status-met").find_next("p").get_text()
    assert said == "No team meets a live target now."
    assert "No team has met a target yet." not in board.get_text()


def test_a_target_met_by_every_team_at_its_deadline_is_owed_a_ratchet_after_figures_slip(tmp_path):
    """Met is met: both teams met the target at its deadline (2024-12), then their figures slipped. The target was met
    by every team and was neither raised nor decided on: practice 11's check names it, as it would have in 2024-12."""
    org = full_org()
    for team in ("alpha", "beta"):
        _replace_rows(org, team, "wait-days", [6, 5, 4, 3, 2.5, 2.2, 2.1, 2.0, 2.0, 2.0, 2.0, 1.9, 3.0, 3.0, 3.0])
    a = derive_analysis(validate_data(write_org(tmp_path, org)))
    rows = a.by_target["faster"]
    assert {s.team: (s.status.value, s.met_at_deadline) for s in rows} == {
        "alpha": ("at risk", True), "beta": ("at risk", True)}
    assert [(f.kind, f.id) for f in run_checks(a)["met-targets-ratcheted"].failures] == [("target", "faster")]


@pytest.mark.parametrize("url", ["onboarding/print", "briefing"])
def test_the_print_version_and_the_briefing_book_count_the_unjudged_checks_as_the_home_page(past_site, url):
    from pages import article

    from macros.checks import CHECKS
    unjudged = sum(1 for r in past_site.checks.values() if not r.judged)
    passing = sum(1 for r in past_site.checks.values() if r.passes)
    said = next(p.get_text(" ", strip=True) for p in article(past_site, url).select("p")
                if "automated checklist items pass" in p.get_text())
    assert said.startswith(f"{passing} of {len(CHECKS) - unjudged} ({unjudged} not judged) automated checklist items "
                           "pass."), said
    p5 = next(p.get_text(" ", strip=True) for p in article(past_site, url).select("p.hb-practice-meta")
              if "automated checks pass" in p.get_text() and "0 of 1" in p.get_text())
    assert p5.endswith("0 of 1 automated checks pass (2 not judged)"), p5  # practice 5, as on its own page
