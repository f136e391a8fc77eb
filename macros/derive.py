"""Pure derivations from the model: trajectories, statuses, freshness, deadlines and distortion flags."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from .calendar import derive_past_targets
from .model import Handbook, Indicator, Series, Status, Target
from .periods import format_period, period_end
from .projection import derive_projections


@dataclass(frozen=True)
class GuardrailResult:
    """How one guardrail indicator moved for one team over a target's periods."""

    indicator: str
    tolerance: float
    start_period: int | None
    start_value: float | None
    end_period: int | None
    end_value: float | None
    worsened_by: float | None  # positive when worse, in the indicator's unit
    flagged: bool


@dataclass(frozen=True)
class TeamStatus:
    """The status of one target for one team at its latest period with data."""

    target: str
    team: str
    indicator: str
    status: Status
    period: int | None = None
    value: float | None = None
    expected: float | None = None
    baseline_period: int | None = None
    baseline_value: float | None = None
    target_period: int = 0
    target_value: float = 0.0
    # Periods between the team's latest figure and the expected period of the target's indicator (the latest period
    # whose figures are due by today: v1.2; v1 measured against the latest period any team reported). 0 when the
    # figure is for the expected period or a later one.
    periods_behind: int | None = None
    guardrails: tuple[GuardrailResult, ...] = field(default_factory=tuple)
    # The deadline (see derive_deadline): passed once the deadline period's figures are due (the deadline is at or
    # before the expected period); then whether the team met the target at the deadline, judged on its last figure
    # at or before the deadline period.
    deadline_passed: bool = False
    deadline_figure_period: int | None = None
    deadline_figure_value: float | None = None
    met_at_deadline: bool | None = None  # None: not judged (deadline ahead, or no recent figure by the deadline)
    expected_period: int | None = None  # the latest period of the indicator whose figures are due by today (v1.2)
    last_figure_period: int | None = None  # the team's last figure on the indicator, before the baseline included
    past: bool = False  # a past target (see calendar.derive_past_targets): counted apart from the live ones

    @property
    def distortions(self) -> list[str]:
        return [g.indicator for g in self.guardrails if g.flagged]

    @property
    def has_met(self) -> bool:
        """Return whether the team has met the target: it meets it now, or it met it at its passed deadline (met is
        met: a figure that stops after the deadline, or a past target, does not undo it)."""
        return self.status is Status.MET or self.met_at_deadline is True

    @property
    def met_late(self) -> bool:
        """Return whether the team meets the target now but did not by its passed deadline."""
        return self.deadline_passed and self.met_at_deadline is not True and self.status is Status.MET

    def as_dict(self, frequency: str) -> dict:
        """Return the JSON shape other tools read (see `python -m macros status --json`)."""
        fmt = lambda i: format_period(i, frequency) if i is not None else None  # noqa: E731
        return {
            "target": self.target,
            "team": self.team,
            "indicator": self.indicator,
            "period": fmt(self.period),
            "value": _finite(self.value),
            "expected": None if self.expected is None else _finite(round(self.expected, 6)),
            "status": self.status.value,
            "baseline": {"period": fmt(self.baseline_period), "value": _finite(self.baseline_value)},
            "target_value": _finite(self.target_value),
            "deadline": fmt(self.target_period),
            "periods_behind": self.periods_behind,
            "distortions": self.distortions,
            # Added in v1.1; the fields above are unchanged.
            "deadline_passed": self.deadline_passed,
            "met_at_deadline": self.met_at_deadline,
            "value_at_deadline": self.deadline_figure_value,
            "period_at_deadline": fmt(self.deadline_figure_period),
            # Added in v1.2.
            "expected_period": fmt(self.expected_period),
            "past_target": self.past,
        }


def _finite(value: float | None) -> float | None:
    """A number for JSON: NaN and infinity are not JSON (validation keeps them out; this keeps them out of output)."""
    return value if value is None or math.isfinite(value) else None


def derive_expected(baseline: tuple[int, float], target: tuple[int, float], period: int) -> float:
    """Return the straight-line trajectory's value at a period: flat at the target after the deadline."""
    (p0, v0), (p1, v1) = baseline, target
    if period >= p1:
        return v1
    if period <= p0:
        return v0
    return v0 + (v1 - v0) * (period - p0) / (p1 - p0)


def derive_baseline(target: Target, series: Series | None) -> tuple[int, float] | None:
    """Return the baseline (period, value) for one team: the target's value, else the team's own figure.

    Without a figure at the baseline period, the team's first figure after it stands in.
    """
    if target.baseline.value is not None:
        return target.baseline.index, target.baseline.value
    if series is None:
        return None
    return series.first_from(target.baseline.index)


def derive_deadline(
    target: Target,
    indicator: Indicator,
    series: Series | None,
    baseline: tuple[int, float] | None,
    expected_period: int | None,
    stale_after: int,
) -> dict:
    """Judge a target's deadline for one team (the rule is on the site's status page).

    The deadline has passed when its period's figures are due: it is at or before the indicator's expected period.
    The target was met at the deadline when the team's last figure at or before the deadline period meets the
    target; that figure must be from the baseline period on and no more than `stale_after` periods before the
    deadline, else it is not judged (None).
    """
    deadline = target.target.index
    if expected_period is None or expected_period < deadline:
        return {}
    out: dict = {"deadline_passed": True}
    fig = series.last_until(deadline) if series is not None else None
    if fig is None or baseline is None or fig[0] < baseline[0] or deadline - fig[0] > stale_after:
        return out
    out.update(deadline_figure_period=fig[0], deadline_figure_value=fig[1],
               met_at_deadline=indicator.meets(fig[1], float(target.target.value)))  # type: ignore[arg-type]
    return out


def derive_status(
    target: Target,
    team: str,
    indicator: Indicator,
    series: Series | None,
    expected_period: int | None,
    stale_after: int,
    guardrail_series: dict[str, tuple[Indicator, Series | None]] | None = None,
) -> TeamStatus:
    """Compute one team's status on one target (the rules are on the site's onboarding page).

    `expected_period` is the latest period of the target's indicator whose figures are due by today
    (`Handbook.expected_period`): staleness and the deadline are judged against it, whatever other teams reported.
    """
    last = series.last_until(10**9) if series else None
    base = dict(
        target=target.id, team=team, indicator=target.indicator,
        target_period=target.target.index, target_value=float(target.target.value or 0.0),
        expected_period=expected_period, last_figure_period=last[0] if last is not None else None,
    )
    if series is None or last is None or last[0] < target.baseline.index:
        baseline = derive_baseline(target, series)
        return TeamStatus(status=Status.NO_DATA, baseline_period=baseline[0] if baseline else None,
                          baseline_value=baseline[1] if baseline else None,
                          **derive_deadline(target, indicator, None, None, expected_period, stale_after), **base)
    period, value = last
    baseline = derive_baseline(target, series)
    assert baseline is not None  # the series has a figure at or after the baseline period
    goal = (target.target.index, float(target.target.value))  # type: ignore[arg-type]
    expected = derive_expected(baseline, goal, period)
    behind = max(expected_period - period, 0) if expected_period is not None else 0
    if behind > stale_after:
        status = Status.STALE
    elif indicator.meets(value, goal[1]):
        status = Status.MET
    elif indicator.meets(value, expected):
        status = Status.ON_TRACK
    elif indicator.is_better(value, baseline[1]):
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    results = []
    improved = indicator.is_better(value, baseline[1])
    for g in target.guardrails:
        g_ind, g_series = (guardrail_series or {}).get(g.indicator, (None, None))
        results.append(derive_guardrail(g.indicator, g.tolerance, g_ind, g_series, baseline[0], period, improved))
    return TeamStatus(
        status=status, period=period, value=value, expected=expected, baseline_period=baseline[0],
        baseline_value=baseline[1], periods_behind=behind, guardrails=tuple(results),
        **derive_deadline(target, indicator, series, baseline, expected_period, stale_after), **base,
    )


def derive_guardrail(
    indicator_id: str,
    tolerance: float,
    indicator: Indicator | None,
    series: Series | None,
    start: int,
    end: int,
    target_improved: bool,
) -> GuardrailResult:
    """Measure a guardrail over the target's periods and flag it when it worsened beyond tolerance."""
    first = series.first_from(start) if series else None
    last = series.last_until(end) if series else None
    if indicator is None or first is None or last is None or last[0] < first[0]:
        return GuardrailResult(indicator_id, tolerance, None, None, None, None, None, False)
    delta = last[1] - first[1]
    worsened = delta if indicator.better.value == "lower" else -delta
    flagged = target_improved and worsened > tolerance + 1e-9
    return GuardrailResult(indicator_id, tolerance, first[0], first[1], last[0], last[1], worsened, flagged)


def derive_statuses(hb: Handbook) -> list[TeamStatus]:
    """Compute every (target, team) status, in target then team order."""
    from dataclasses import replace

    out = []
    stale_after = hb.organization.stale_after
    past = derive_past_targets(hb)
    for target in hb.targets.values():
        indicator = hb.indicators[target.indicator]
        expected = hb.expected_period(target.indicator)
        for team in target.teams:
            guards = {g.indicator: (hb.indicators[g.indicator], hb.series_for(team, g.indicator)) for g in target.guardrails}
            s = derive_status(target, team, indicator, hb.series_for(team, target.indicator), expected, stale_after, guards)
            out.append(replace(s, past=True) if target.id in past else s)
    return out


def derive_team_latest(hb: Handbook) -> dict[str, int]:
    """Return, per team with figures, the period of its latest figure on any indicator."""
    if not len(hb.measurements):
        return {}
    return hb.measurements.groupby("team", observed=True)["index"].max().astype(int).to_dict()


def derive_team_freshness(hb: Handbook, latest_by_team: dict[str, int] | None = None) -> dict[str, int | None]:
    """Return, per team, how many periods its figures lag the calendar (None: no figures; 0: a figure for the
    expected period or later). Each indicator is judged against its own expected period (its `due_days`), as target
    statuses are, and the team's lag is its least on any indicator: the calendar, not other teams, says what is
    current."""
    latest_by_team = derive_team_latest(hb) if latest_by_team is None else latest_by_team
    lag: dict[str, int] = {}
    if len(hb.measurements):
        last = hb.measurements.groupby(["team", "indicator"], observed=True)["index"].max()
        expected = {ind: hb.expected_period(ind) for ind in hb.indicators}
        org_expected = hb.expected_period()  # once, not as the default of every lookup (10,000 at 1,000 teams)
        for (team, ind), period in last.items():
            behind = max(expected.get(ind, org_expected) - int(period), 0)
            lag[team] = min(lag.get(team, behind), behind)
    return {team: (lag.get(team) if team in latest_by_team else None) for team in hb.teams}


def is_stale_figure(hb: Handbook, indicator: str, period: int) -> bool:
    """Return whether a team whose latest figure for an indicator is from `period` is stale on it: the rule
    derive_status applies to a target's own indicator (against the calendar: the indicator's expected period), for
    league tables and other cross-team lists."""
    return hb.expected_period(indicator) - period > hb.organization.stale_after


def derive_counts(statuses: list[TeamStatus]) -> dict[Status, int]:
    """Count (target, team) pairs by status, every status present."""
    counts = {s: 0 for s in Status}
    for s in statuses:
        counts[s.status] += 1
    return counts


@dataclass(frozen=True)
class Analysis:
    """Everything derived once per build, shared by every page and command."""

    hb: Handbook
    statuses: list[TeamStatus]
    by_target: dict[str, list[TeamStatus]]
    by_team: dict[str, list[TeamStatus]]
    freshness: dict[str, int | None]  # periods behind the organization's expected period (see derive_team_freshness)
    reference_date: date | None  # the last day of the organization's expected period (v1.2; v1: latest reported)
    expected_period: int | None = None  # the organization's expected period: figures due by today
    latest_by_team: dict[str, int] = field(default_factory=dict)  # each team's latest figure, any indicator
    # (target id, team id) -> where the team is heading at the pace it keeps (macros/projection.py)
    projections: dict = field(default_factory=dict)

    @property
    def live(self) -> list[TeamStatus]:
        """The statuses of live targets: what the counts count (past targets are counted apart)."""
        return [s for s in self.statuses if not s.past]

    @property
    def past(self) -> list[TeamStatus]:
        """The statuses of past targets (see calendar.derive_past_targets)."""
        return [s for s in self.statuses if s.past]

    @cached_property
    def stale_teams(self) -> dict[str, list[TeamStatus]]:
        """The stale teams, in the handbook's team order, each with its stale live-target statuses (maybe none): a
        team is stale when its figures on every indicator lag the calendar by more than `stale_after` periods
        (`freshness`), or when its figures on a live target's indicator do (status STALE). What a team's page says
        ("Stale data"); the home page's count and the scoreboard's list read it here. Computed once (a frozen
        dataclass's cached_property writes its __dict__)."""
        limit = self.hb.organization.stale_after
        on_target: dict[str, list[TeamStatus]] = {}
        for s in self.live:
            if s.status is Status.STALE:
                on_target.setdefault(s.team, []).append(s)
        out = {}
        for team in self.hb.teams:
            behind = self.freshness.get(team)
            if team in on_target or (behind is not None and behind > limit):
                out[team] = on_target.get(team, [])
        return out


def derive_analysis(hb: Handbook) -> Analysis:
    """Compute statuses and freshness once."""
    statuses = derive_statuses(hb)
    by_target: dict[str, list[TeamStatus]] = {t: [] for t in hb.targets}
    by_team: dict[str, list[TeamStatus]] = {t: [] for t in hb.teams}
    for s in statuses:
        by_target[s.target].append(s)
        by_team[s.team].append(s)
    expected = hb.expected_period()
    latest = derive_team_latest(hb)
    return Analysis(hb, statuses, by_target, by_team, derive_team_freshness(hb, latest),
                    period_end(expected, hb.frequency), expected, latest, derive_projections(hb, statuses))
