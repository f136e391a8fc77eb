"""The scoreboard: every team against every target it carries, and a league table per indicator (practice 5)."""

from __future__ import annotations

from dataclasses import dataclass

from ..derive import Analysis
from ..downloads import STATUS_CSV, STATUS_JSON
from ..model import Better, Handbook
from ..periods import format_period
from ..words import fmt_expected, plural
from .common import STATUS_ORDER, fmt_value, heading, raw_html, status_badge
from .deadlines import describe_deadline, met_attr
from .links import Links
from .teams import hrefs
from .text import esc

_RANK = {s: i for i, s in enumerate(STATUS_ORDER)}


@dataclass(frozen=True)
class LeagueRow:
    rank: int
    team: str
    period: int
    value: float


def derive_league(hb: Handbook, indicator_id: str, teams: list[str] | None = None) -> list[LeagueRow]:
    """Rank teams by their latest figure on an indicator, best first; ties share a rank (1, 2, 2, 4)."""
    ind = hb.indicators[indicator_id]
    pool = teams if teams is not None else list(hb.teams)
    latest = []
    for team in pool:
        s = hb.series_for(team, indicator_id)
        if s is not None and s.periods:
            latest.append((team, s.periods[-1], s.values[-1]))
    # Stable sort keeps teams.yml order among equal values.
    latest.sort(key=lambda r: -r[2] if ind.better is Better.HIGHER else r[2])
    out: list[LeagueRow] = []
    for i, (team, period, value) in enumerate(latest):
        tied = out and not ind.is_better(value, out[-1].value) and not ind.is_better(out[-1].value, value)
        out.append(LeagueRow(out[-1].rank if tied else i + 1, team, period, value))
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
    values = [r.value for r in league if r.period == latest]
    if len(values) < 2:
        return None  # one team's figure is its own, not a total
    return (sum(values) if agg == "sum" else sum(values) / len(values)), latest, len(values)


def _num(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def render_scoreboard(a: Analysis, links: Links) -> str:
    """Render the scoreboard page body (the page supplies the title)."""
    hb = a.hb
    freq = hb.frequency
    fmt = lambda i: format_period(i, freq) if i is not None else "–"  # noqa: E731
    h = hrefs(links)
    latest = fmt(hb.latest_period) if hb.latest_period is not None else "none yet"
    out = [
        f"\nEvery team against every target it carries, at each team's latest period with figures. The latest period "
        f"any team has reported is **{esc(latest)}**. Select a column heading to sort. How each status is decided is "
        f"explained in the [onboarding guide]({links.to('onboarding/index.md')}).\n\n",
        f'<p class="hb-downloads">Download the statuses: <a href="{esc(h.file(STATUS_CSV))}" download>CSV</a> · '
        f'<a href="{esc(h.file(STATUS_JSON))}" download>JSON</a></p>\n',
    ]
    out.append(heading(2, "Every team, every target", "all"))
    order = {t: i for i, t in enumerate(hb.teams)}
    unit_order = {u: i for i, u in enumerate(hb.units())}
    # By unit, then team, in the order teams.yml gives them; a team's targets in targets.yml order.
    stale_after = hb.organization.stale_after
    rows = sorted(a.statuses, key=lambda s: (unit_order[hb.teams[s.team].unit], order[s.team]))
    if not rows:
        out.append("No target has been set yet.\n")
    else:
        body = []
        for s in rows:
            team = hb.teams[s.team]
            target = hb.targets[s.target]
            ind = hb.indicators[s.indicator]
            unit = " ".join(team.unit.split())
            team_name = " ".join(team.name.split())
            title = " ".join(target.title.split())
            value = esc(fmt_value(ind, s.value))
            expected = esc(fmt_expected(ind, s.expected, s.baseline_value, s.target_value))
            deadline = describe_deadline(s, ind, freq, stale_after)
            if deadline:
                deadline = f'<br><span class="hb-deadline" data-met="{met_attr(s)}">{esc(deadline)}</span>'
            body.append(
                f'<tr><td><a href="{esc(h.unit(team.unit))}">{esc(unit)}</a></td>'
                f'<td><a href="{esc(h.team(team.id))}">{esc(team_name)}</a></td>'
                f'<td><a href="{esc(h.target(target.id))}">{esc(title)}</a></td>'
                f'<td data-sort="{_RANK[s.status]}">{status_badge(s.status)}'
                + (' <span class="hb-flag">⚠ distortion flag</span>' if s.distortions else "")
                + deadline + f'</td><td class="hb-num" data-sort="{_num(s.value)}">{value}</td>'
                f'<td class="hb-num" data-sort="{_num(s.expected)}">{expected}</td>'
                f'<td data-sort="{s.period if s.period is not None else ""}">{fmt(s.period)}</td></tr>'
            )
        out.append("\n" + raw_html(
            '<div class="hb-table-scroll"><table class="hb-table hb-scoreboard" data-sortable="true">'
            "<caption>Status of every team on every target it carries</caption><thead><tr>"
            '<th scope="col">Unit</th><th scope="col">Team</th><th scope="col">Target</th><th scope="col">Status</th>'
            '<th scope="col" class="hb-num">Latest value</th><th scope="col" class="hb-num">Expected</th>'
            '<th scope="col">Period</th></tr></thead><tbody>' + "".join(body) + "</tbody></table></div>"
        ) + "\n")

    out.append(heading(2, "League tables", "leagues"))
    out.append("One table per indicator: teams ranked by their latest figure, best first. A team whose latest figure "
               "is older than the others' says so in the period column. An indicator whose figures are counts "
               "(`aggregate: sum`) grows with a team's size: its table lists the teams by their count, unranked, with "
               "the total ([the rule](" + links.to("onboarding/status.md", "combining") + ")).\n")
    for ind_id, league in derive_leagues(hb).items():
        ind = hb.indicators[ind_id]
        counts = ind.aggregate == "sum"
        out.append(heading(3, ind.name, f"league-{ind_id}"))
        better = "Higher" if ind.better is Better.HIGHER else "Lower"
        kind = " · counts: not ranked, a larger team reports more" if counts else ""
        out.append(f'\n<p class="hb-muted">{better} is better · {esc(ind.unit) if ind.unit else "no unit"}{kind} · '
                   f'<a href="{esc(h.indicator(ind_id))}">about this indicator</a></p>\n')
        body = []
        for r in league:
            team = hb.teams[r.team]
            period = fmt(r.period)
            if hb.latest_period is not None and hb.latest_period - r.period > stale_after:
                period += ' <span class="hb-status hb-status--stale"><span aria-hidden="true">◷</span> stale</span>'
            body.append(
                ("" if counts else f'<tr><td>{r.rank}</td>') + ('<tr>' if counts else "")
                + f'<td><a href="{esc(h.team(team.id))}">{esc(" ".join(team.name.split()))}</a></td>'
                f'<td>{esc(" ".join(team.unit.split()))}</td><td>{esc(fmt_value(ind, r.value))}</td>'
                f"<td>{period}</td></tr>"
            )
        foot = ""
        combined = derive_league_total(hb, ind_id, league)
        if combined is not None:
            total, period, n = combined
            label = "Total" if counts else "Mean"
            span = 2 if counts else 3
            foot = (f'<tfoot><tr class="hb-league__total"><td colspan="{span}">'
                    f'{label} of the {plural(n, "team")} that reported {esc(fmt(period))}</td>'
                    f"<td>{esc(fmt_value(ind, total))}</td><td>{esc(fmt(period))}</td></tr></tfoot>")
        caption = "teams by latest count" if counts else "teams by latest figure"
        rank_head = "" if counts else '<th scope="col" class="hb-num">Rank</th>'
        out.append("\n" + raw_html(
            f'<table class="hb-table hb-league" data-aggregate="{esc(ind.aggregate)}"><caption>'
            f'{esc(" ".join(ind.name.split()))}: {caption}</caption><thead><tr>'
            f'{rank_head}<th scope="col">Team</th><th scope="col">Unit</th>'
            '<th scope="col" class="hb-num">Latest</th><th scope="col">Period</th></tr></thead><tbody>'
            + "".join(body) + "</tbody>" + foot + "</table>"
        ) + "\n")
    return "".join(out)
