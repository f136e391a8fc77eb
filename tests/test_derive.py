"""Derivations: trajectory, status rules, per-team baselines, staleness and distortion flags."""

from __future__ import annotations

import pytest

from macros.derive import derive_expected, derive_statuses
from macros.model import Status
from macros.validate import validate_data
from orgs import base_org, monthly, quarterly, write_org


def statuses(tmp_path, org) -> dict[str, dict]:
    hb = validate_data(write_org(tmp_path, org))
    return {s.team: s.as_dict(hb.frequency) for s in derive_statuses(hb)}


def with_figures(org, *rows):
    org["measurements"]["figures.csv"] = [r for group in rows for r in group]
    return org


def test_trajectory_is_a_straight_line_then_flat():
    assert derive_expected((0, 10.0), (10, 0.0), 0) == 10.0
    assert derive_expected((0, 10.0), (10, 0.0), 4) == pytest.approx(6.0)
    assert derive_expected((0, 10.0), (10, 0.0), 10) == 0.0
    assert derive_expected((0, 10.0), (10, 0.0), 15) == 0.0  # after the deadline the target itself


@pytest.mark.parametrize(
    ("values", "status", "expected"),
    [
        # baseline 6.0 in 2024-01, target 2.0 in 2024-12 (11 periods); latest in 2024-06 -> expected 6 - 4*5/11
        ([6, 5, 4, 3.5, 3, 2.0], Status.MET, 6 - 4 * 5 / 11),
        ([6, 5, 4, 3.5, 3, 3.9], Status.ON_TRACK, 6 - 4 * 5 / 11),
        ([6, 5, 4, 3.5, 3, 4.5], Status.AT_RISK, 6 - 4 * 5 / 11),
        ([6, 5, 4, 3.5, 3, 6.0], Status.OFF_TRACK, 6 - 4 * 5 / 11),  # no better than baseline
        ([6, 5, 4, 3.5, 3, 7.0], Status.OFF_TRACK, 6 - 4 * 5 / 11),
    ],
)
def test_status_for_a_lower_is_better_indicator(tmp_path, values, status, expected):
    org = with_figures(base_org(), monthly("alpha", "wait-days", (2024, 1), values))
    got = statuses(tmp_path, org)["alpha"]
    assert got["status"] == status.value
    assert got["expected"] == pytest.approx(expected)
    assert got["period"] == "2024-06" and got["value"] == values[-1]
    assert got["baseline"] == {"period": "2024-01", "value": 6.0}


@pytest.mark.parametrize(("latest", "status"), [(90, "met"), (75, "on track"), (65, "at risk"), (60, "off track")])
def test_status_for_a_higher_is_better_indicator(tmp_path, latest, status):
    org = base_org()
    t = org["targets.yml"][0]
    t.update(indicator="satisfaction", guardrails=[], baseline={"period": "2024-01", "value": 60},
             target={"period": "2024-11", "value": 80})
    org = with_figures(org, monthly("alpha", "satisfaction", (2024, 1), [60, 62, 64, 66, 68, latest]))
    got = statuses(tmp_path, org)["alpha"]
    assert got["status"] == status
    assert got["expected"] == pytest.approx(70.0)  # 60 + 20 * 5/10


def test_per_team_baselines_when_the_target_gives_none(tmp_path):
    org = with_figures(
        base_org(),
        monthly("alpha", "wait-days", (2024, 1), [6, 5]),
        monthly("beta", "wait-days", (2024, 1), [10, 9]),
    )
    got = statuses(tmp_path, org)
    assert got["alpha"]["baseline"]["value"] == 6 and got["beta"]["baseline"]["value"] == 10
    assert got["alpha"]["expected"] == pytest.approx(6 - 4 / 11)
    assert got["beta"]["expected"] == pytest.approx(10 - 8 / 11)


def test_baseline_period_with_no_figure_uses_the_first_figure_after_it(tmp_path):
    org = with_figures(base_org(), monthly("alpha", "wait-days", (2024, 3), [8, 7]))
    got = statuses(tmp_path, org)["alpha"]
    assert got["baseline"] == {"period": "2024-03", "value": 8.0}
    assert got["status"] == "on track"


def test_team_with_no_figures_has_no_data(tmp_path):
    org = with_figures(base_org(), monthly("alpha", "wait-days", (2024, 1), [6, 5]))
    got = statuses(tmp_path, org)["beta"]
    assert got["status"] == "no data" and got["value"] is None and got["expected"] is None


def test_figures_only_before_the_baseline_are_no_data(tmp_path):
    org = with_figures(base_org(), monthly("alpha", "wait-days", (2023, 6), [6, 5]), monthly("beta", "wait-days", (2024, 1), [4]))
    assert statuses(tmp_path, org)["alpha"]["status"] == "no data"


def test_target_already_met_at_baseline(tmp_path):
    org = with_figures(base_org(), monthly("alpha", "wait-days", (2024, 1), [1.5]))
    got = statuses(tmp_path, org)["alpha"]
    assert got["status"] == "met"


def test_deadline_in_the_past_expects_the_target(tmp_path):
    org = with_figures(base_org(), monthly("alpha", "wait-days", (2024, 1), [6] + [3] * 17))  # to 2025-06
    got = statuses(tmp_path, org)["alpha"]
    assert got["expected"] == 2.0 and got["status"] == "at risk" and got["deadline"] == "2024-12"


def test_stale_takes_precedence_over_met(tmp_path):
    # alpha met the target in 2024-03 but stopped reporting; beta reports up to 2024-06: 3 periods > stale_after 2.
    org = with_figures(
        base_org(),
        monthly("alpha", "wait-days", (2024, 1), [6, 3, 1.0]),
        monthly("beta", "wait-days", (2024, 1), [6, 6, 6, 6, 6, 5]),
    )
    got = statuses(tmp_path, org)
    assert got["alpha"]["status"] == "stale" and got["alpha"]["periods_behind"] == 3
    assert got["beta"]["status"] == "at risk"


def test_exactly_stale_after_periods_behind_is_not_stale(tmp_path):
    org = with_figures(
        base_org(),
        monthly("alpha", "wait-days", (2024, 1), [6, 5, 4, 3.5]),
        monthly("beta", "wait-days", (2024, 1), [6, 6, 6, 6, 6, 5]),
    )
    assert statuses(tmp_path, org)["alpha"]["status"] == "on track"


def test_latest_period_counts_any_team_and_any_indicator(tmp_path):
    org = with_figures(base_org(), monthly("alpha", "wait-days", (2024, 1), [6, 5]), monthly("gamma", "staff-hours", (2024, 1), [1] * 6))
    assert statuses(tmp_path, org)["alpha"]["status"] == "stale"


def test_distortion_flag_when_a_guardrail_worsens_beyond_tolerance(tmp_path):
    org = with_figures(
        base_org(),
        monthly("alpha", "wait-days", (2024, 1), [6, 5, 4]),
        monthly("alpha", "rework", (2024, 1), [5, 6, 7.5]),  # +2.5 > tolerance 2
        monthly("beta", "wait-days", (2024, 1), [6, 5, 4]),
        monthly("beta", "rework", (2024, 1), [5, 6, 7.0]),  # +2.0, not more than the tolerance
    )
    got = statuses(tmp_path, org)
    assert got["alpha"]["distortions"] == ["rework"]
    assert got["beta"]["distortions"] == []


def test_no_distortion_when_the_target_did_not_improve(tmp_path):
    org = with_figures(
        base_org(),
        monthly("alpha", "wait-days", (2024, 1), [6, 6, 6.5]),
        monthly("alpha", "rework", (2024, 1), [5, 8, 9]),
    )
    assert statuses(tmp_path, org)["alpha"]["distortions"] == []


def test_guardrail_uses_its_own_direction(tmp_path):
    org = base_org()
    org["targets.yml"][0]["guardrails"] = [{"indicator": "satisfaction", "tolerance": 5}]
    org = with_figures(
        org,
        monthly("alpha", "wait-days", (2024, 1), [6, 5, 4]),
        monthly("alpha", "satisfaction", (2024, 1), [80, 78, 70]),  # higher is better: fell by 10
    )
    assert statuses(tmp_path, org)["alpha"]["distortions"] == ["satisfaction"]


def test_quarterly_organization(tmp_path):
    org = base_org("quarterly")
    org = with_figures(
        org,
        quarterly("alpha", "wait-days", (2024, 1), [6, 5, 5.2]),
        quarterly("beta", "wait-days", (2024, 1), [6, 6, 6]),
    )
    got = statuses(tmp_path, org)
    # baseline 2024-Q1 6.0 -> 2.0 by 2025-Q4 (7 quarters); at 2024-Q3 expected 6 - 4*2/7
    assert got["alpha"]["period"] == "2024-Q3" and got["alpha"]["deadline"] == "2025-Q4"
    assert got["alpha"]["expected"] == pytest.approx(6 - 8 / 7)
    assert got["alpha"]["status"] == "at risk"
    assert got["beta"]["status"] == "off track"
