"""Fair comparisons that need more than one record: a stated baseline against the figure recorded for its period, and
a target against a team's baseline.

A target may state its baseline value (`baseline.value`); when a team it applies to has a recorded figure for the
baseline period that differs, the page says both and `check` warns (not an error: the stated value may be a
deliberate correction, but a reader must see both). A target whose value is no better than a team's baseline asks
nothing of that team (its trajectory stays flat or even gets worse, and the team is "met" without improving): the
target's page says so for that team and `check` warns.
"""

from __future__ import annotations

from dataclasses import dataclass

from .derive import derive_baseline
from .errors import DATA_PREFIX, Problem
from .i18n import _
from .model import Handbook
from .periods import format_period
from .words import difference_decimals, fmt_data_value


@dataclass(frozen=True)
class BaselineMismatch:
    """A target's stated baseline against a team's recorded figure for the baseline period."""

    target: str
    team: str
    period: str
    stated: float
    recorded: float


def derive_baseline_mismatches(hb: Handbook, only: str | None = None) -> list[BaselineMismatch]:
    """Every (target, team) whose recorded figure for the baseline period differs from the stated baseline value,
    at the indicator's display precision (or the figures' own, when finer: words.difference_decimals); `only`: one
    target's."""
    out = []
    for t in hb.targets.values() if only is None else [hb.targets[only]]:
        if t.baseline.value is None or t.indicator not in hb.indicators:
            continue
        ind = hb.indicators[t.indicator]
        for team in t.teams:
            series = hb.series_for(team, t.indicator)
            recorded = series.at(t.baseline.index) if series is not None else None
            if recorded is None:
                continue
            places = difference_decimals(ind, t.baseline.value, recorded)
            if round(recorded, places) != round(t.baseline.value, places):
                out.append(BaselineMismatch(t.id, team, t.baseline.period, t.baseline.value, recorded))
    return out


@dataclass(frozen=True)
class NoImprovementAsked:
    """A target whose value is no better than one team's baseline (its own figure), or than the target's stated
    baseline (`team` ""): one finding for the target, not one per team."""

    target: str
    team: str
    period: str
    baseline: float
    goal: float


def derive_no_improvement_asked(hb: Handbook, only: str | None = None) -> list[NoImprovementAsked]:
    """Every (target, team) whose target value is no better than the team's baseline; `only`: one target's."""
    out = []
    for t in hb.targets.values() if only is None else [hb.targets[only]]:
        ind = hb.indicators.get(t.indicator)
        if ind is None:
            continue
        for team in t.teams if t.baseline.value is None else [""]:  # a stated baseline is every team's
            baseline = derive_baseline(t, hb.series_for(team, t.indicator) if team else None)
            if baseline is not None and not ind.is_better(t.target.value, baseline[1]):
                out.append(NoImprovementAsked(t.id, team, format_period(baseline[0], hb.frequency), baseline[1],
                                              t.target.value))
    return out


def describe_no_improvement(hb: Handbook, n: NoImprovementAsked) -> str:
    """Say it: "at its baseline, 10 claims in 2024-01, it was already at or better than the target (20 claims): the
    target asks no improvement of it" (plain text, data inside: escape it)."""
    ind = hb.indicators[hb.targets[n.target].indicator]
    words = {"baseline": fmt_data_value(ind, n.baseline), "period": n.period, "goal": fmt_data_value(ind, n.goal)}
    if not n.team:
        return _("the stated baseline ({baseline} in {period}) is already at or better than the target ({goal}): the "
                 "target asks no improvement of its teams").format(**words)
    return _("at its baseline ({baseline} in {period}) it was already at or better than the target ({goal}): the "
             "target asks no improvement of it").format(**words)


def describe_mismatch(hb: Handbook, m: BaselineMismatch) -> str:
    """Say both figures: "stated baseline 40 %; recorded 38 % in 2024-11" (plain text, data inside: escape it)."""
    ind = hb.indicators[hb.targets[m.target].indicator]
    return _("stated baseline {stated}; recorded {recorded} in {period}").format(
        stated=fmt_data_value(ind, m.stated), recorded=fmt_data_value(ind, m.recorded), period=m.period)


def baseline_warnings(hb: Handbook) -> list[Problem]:
    """The mismatches as warnings for `check`: file, line, target id and field, like an error, but not one."""
    out = []
    for m in derive_baseline_mismatches(hb):
        t = hb.targets[m.target]
        team = hb.teams[m.team].name if m.team in hb.teams else m.team
        ind = hb.indicators[t.indicator]
        out.append(Problem(
            f"{DATA_PREFIX}targets.yml", t.line or None, t.id, "baseline.value",
            f"the same value as the figure {team} recorded for {m.period} ({fmt_data_value(ind, m.recorded)}); "
            "the target's page shows both",
            fmt_data_value(ind, m.stated),
        ))
    for n in derive_no_improvement_asked(hb):
        t = hb.targets[n.target]
        team = hb.teams[n.team].name if n.team in hb.teams else n.team
        ind = hb.indicators[t.indicator]
        whose, of = (f"{team}'s baseline", "that team") if team else ("the stated baseline", "its teams")
        out.append(Problem(
            f"{DATA_PREFIX}targets.yml", t.line or None, t.id, "target.value",
            f"a value better than {whose} ({fmt_data_value(ind, n.baseline)} in {n.period}, "
            f"{ind.better.value} is better): as it is, the target asks no improvement of {of}",
            fmt_data_value(ind, n.goal),
        ))
    return sorted(out)
