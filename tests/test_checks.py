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
from orgs import SUITE_TODAY, base_org, clone, fixture_today, monthly, write_org

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
    "figures-on-time": (deadline_ahead, [("team", "alpha"), ("team", "beta")]),
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
    # By then the target's deadline (2024-12) passed more than a year before the period due: a past target, not
    # judged by the checks.
    assert later["teams-report-latest"].passed
