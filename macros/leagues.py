"""League tables: teams ranked by their latest figure on an indicator, and the total or mean where it may be said.

Derived from the records alone (the scoreboard, macros/render/scoreboard.py, renders them).
"""

from __future__ import annotations

from dataclasses import dataclass

from .derive import is_stale_figure
from .model import Better, Handbook

# The fewest teams a ranking names: a league of one or two teams ranks nobody (their figures are on the teams' pages),
# and no page calls one of two teams the best. The scoreboard's league tables and the indicators page read it here.
LEAGUE_MIN_TEAMS = 3

@dataclass(frozen=True)
class LeagueRow:
    rank: int | None  # None: not ranked (stale figures, or an indicator whose figures are not comparable)
    team: str
    period: int
    value: float
    stale: bool = False


def derive_league(hb: Handbook, indicator_id: str, teams: list[str] | None = None) -> list[LeagueRow]:
    """Rank teams by their latest figure on an indicator, best first; ties share a rank (1, 2, 2, 4).

    Stale figures (derive.is_stale_figure) follow the current ones, unranked: an old figure does not compete with
    this month's. An indicator that is not comparable (Indicator.is_ranked) ranks nobody, and neither do fewer than
    LEAGUE_MIN_TEAMS current figures (stale ones do not make up the number).
    """
    ind = hb.indicators[indicator_id]
    pool = teams if teams is not None else list(hb.teams)
    latest = []
    for team in pool:
        s = hb.series_for(team, indicator_id)
        if s is not None and s.periods:
            latest.append((team, s.periods[-1], s.values[-1]))
    # Stable sort keeps teams.yml order among equal values.
    latest.sort(key=lambda r: -r[2] if ind.better is Better.HIGHER else r[2])
    stale = {period: is_stale_figure(hb, indicator_id, period) for period in {r[1] for r in latest}}
    out: list[LeagueRow] = []
    ranked = ind.is_ranked and sum(1 for r in latest if not stale[r[1]]) >= LEAGUE_MIN_TEAMS
    for i, (team, period, value) in enumerate(r for r in latest if not stale[r[1]]):
        tied = out and not ind.is_better(value, out[-1].value) and not ind.is_better(out[-1].value, value)
        rank = (out[-1].rank if tied else i + 1) if ranked else None
        out.append(LeagueRow(rank, team, period, value))
    out += [LeagueRow(None, team, period, value, stale=True) for team, period, value in latest if stale[period]]
    return out


def derive_leagues(hb: Handbook) -> dict[str, list[LeagueRow]]:
    """Return a league per indicator that has figures, in catalogue order; one pass over the series."""
    by_indicator: dict[str, list[str]] = {}
    for team, ind in hb.series:
        by_indicator.setdefault(ind, []).append(team)
    order = {t: i for i, t in enumerate(hb.teams)}
    return {
        ind: derive_league(hb, ind, sorted(by_indicator[ind], key=lambda t: order.get(t, len(order))))
        for ind in hb.indicators if ind in by_indicator
    }


def derive_league_total(hb: Handbook, indicator_id: str, league: list[LeagueRow]) -> tuple[float, int, int] | None:
    """Return (total or mean, period, teams) of the latest period's figures when the indicator allows combining them.

    Only `aggregate: sum` (a total) and `aggregate: mean` (a mean) combine teams; `none` never does.
    """
    agg = hb.indicators[indicator_id].aggregate
    if agg == "none" or not league:
        return None
    latest = max(r.period for r in league)
    values = [r.value for r in league if r.period == latest and not r.stale]
    if len(values) < 2:
        return None  # one team's figure is its own, not a total
    return (sum(values) if agg == "sum" else sum(values) / len(values)), latest, len(values)
