"""Fair comparisons that need more than one record: a stated baseline against the figure recorded for its period.

A target may state its baseline value (`baseline.value`); when a team it applies to has a recorded figure for the
baseline period that differs, the page says both and `check` warns (not an error: the stated value may be a
deliberate correction, but a reader must see both).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import DATA_PREFIX, Problem
from .i18n import _
from .model import Handbook
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
    return sorted(out)
