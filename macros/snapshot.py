"""The latest figures for an indicator across teams, and who reports each indicator.

Derived from the records alone (the indicators and deficits pages, macros/render/, render them).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Handbook


@dataclass(frozen=True)
class Snapshot:
    """The latest figures for one indicator: per team, and the teams that reported the latest period, best first.

    Figures of different teams are combined only as the indicator's `aggregate` says: `sum` gives a total, `mean`
    a mean; with `none` (the default) a page shows each team, or the best, median and worst, labelled.
    """

    indicator: str
    per_team: tuple[tuple[str, int, float], ...]  # (team, its latest period, its latest value), in team order
    period: int | None  # the latest period any team reported this indicator
    ranked: tuple[tuple[str, float], ...] = ()  # (team, value) of the teams that reported that period, best first
    aggregate: str = "none"
    combined: float | None = None  # the total (sum) or the mean (mean) of those figures; None with `none`

    @property
    def count(self) -> int:
        """How many teams reported the latest period."""
        return len(self.ranked)


def derive_reporters(hb: Handbook) -> dict[str, list[str]]:
    """Return, per indicator, the teams with at least one figure for it, in teams.yml order."""
    order = {t: i for i, t in enumerate(hb.teams)}
    out: dict[str, list[str]] = {i: [] for i in hb.indicators}
    for team, ind in hb.series:
        out.setdefault(ind, []).append(team)
    for teams in out.values():
        teams.sort(key=lambda t: order.get(t, len(order)))
    return out


def derive_snapshot(hb: Handbook, indicator: str, teams: list[str]) -> Snapshot:
    """Summarize the latest figures of an indicator for the given teams (once per Handbook: the deficits register,
    its print version and the indicators page ask for the same ones)."""
    kept = hb.__dict__.setdefault("_snapshots", {})  # a frozen dataclass: its own cache, gone with it
    key = (indicator, tuple(teams))
    snap = kept.get(key)
    if snap is None:
        snap = kept[key] = _snapshot(hb, indicator, teams)
    return snap


def _snapshot(hb: Handbook, indicator: str, teams: list[str]) -> Snapshot:
    per_team = []
    for team in teams:
        s = hb.series_for(team, indicator)
        if s is not None and s.periods:
            per_team.append((team, s.periods[-1], s.values[-1]))
    ind = hb.indicators[indicator]
    if not per_team:
        return Snapshot(indicator, (), None, aggregate=ind.aggregate)
    latest = max(p for _, p, _ in per_team)
    figures = [(t, v) for t, p, v in per_team if p == latest]
    # Stable: teams with equal figures keep their teams.yml order.
    ranked = sorted(figures, key=lambda tv: -tv[1] if ind.better.value == "higher" else tv[1])
    values = [v for _, v in figures]
    combined = sum(values) if ind.aggregate == "sum" else sum(values) / len(values) if ind.aggregate == "mean" else None
    return Snapshot(indicator, tuple(per_team), latest, tuple(ranked), ind.aggregate, combined)
