"""The scoreboard: every team against every target it carries, and a league table per indicator (practice 5)."""

from __future__ import annotations

from ..calendar import due_by
from ..derive import Analysis, TeamStatus
from ..downloads import STATUS_CSV, STATUS_JSON
from ..i18n import N_, _, fmt_int, ngettext, pgettext
from ..leagues import LEAGUE_MIN_TEAMS, derive_league_total, derive_leagues
from ..model import Better, Handbook, Status
from ..periods import format_period
from ..words import fmt_expected
from .common import STATUS_LABEL, STATUS_ORDER, fmt_value, heading, raw_html, status_badge
from .counts import num
from .deadlines import describe_deadline, met_attr
from .home import STALE_TEAMS_ANCHOR, status_anchor
from .links import Links, slugify
from .pace import pace_html, pace_short
from .text import esc, inline

_RANK = {s: i for i, s in enumerate(STATUS_ORDER)}


def _num(value: float | None) -> str:
    return "" if value is None else repr(float(value))


# What an empty status list says, in the words a new manager uses.
NONE_WITH_STATUS = {
    Status.MET: N_("No team has met a target yet."),
    Status.ON_TRACK: N_("No team is on track on any target."),
    Status.AT_RISK: N_("No team is at risk on any target."),
    Status.OFF_TRACK: N_("No team is off track on any target."),
    Status.NO_DATA: N_("Every team has figures for every target it carries."),
    Status.STALE: N_("No team's figures for a target are stale."),
}
DEADLINE_RESULT = {
    "yes": N_("Deadline passed: met"),
    "no": N_("Deadline passed: not met"),
    "unknown": N_("Deadline passed: result not known"),
}


def _flag_html() -> str:
    """The distortion flag beside a status (HTML)."""
    return ' <span class="hb-flag">⚠ ' + esc(_("distortion flag")) + "</span>"


def _on(team_html: str, target_html: str) -> str:
    """A team on a target, both links (HTML)."""
    return _("{team} on {target}").format(team=team_html, target=target_html)


def _cell(s: TeamStatus, hb: Handbook, title: str, fmt, pace: str = "") -> str:
    """One grid cell: the status (symbol and word), a distortion flag, the latest figure and its period, and where
    the team is heading at the pace it keeps (`pace`, HTML)."""
    ind = hb.indicators[s.indicator]
    flag = _flag_html() if s.distortions else ""
    figure = (f'<span class="hb-grid__fig">{esc(fmt_value(ind, s.value))} · {esc(fmt(s.period))}</span>'
              if s.value is not None else "")
    deadline = ""
    if s.deadline_passed:
        result = _(DEADLINE_RESULT.get(met_attr(s), DEADLINE_RESULT["unknown"]))
        deadline = f'<span class="hb-deadline hb-grid__deadline" data-met="{met_attr(s)}">{result}</span>'
    # A past target's cell says so: the counts leave it out (see calendar.derive_past_targets).
    past = '<span class="hb-grid__past hb-muted">' + _("past target") + "</span>" if s.past else ""
    return (f'<td data-status="{esc(s.status.value)}"{" data-past" if s.past else ""}>'
            f'<span class="hb-grid__target">{esc(title)}</span>'
            f"{status_badge(s.status)}{flag}{figure}{deadline}{past}{pace}</td>")


def _pace_cell(a: Analysis, s: TeamStatus) -> str:
    """Say in a grid cell where a team is heading at the pace it keeps ("" when no projection is shown)."""
    p = a.projections.get((s.target, s.team))
    short = pace_short(p, a.hb.frequency)
    html = pace_html(p, _("at this pace: {projection}").format(projection=short) if short else "")
    return html.replace('class="hb-pace"', 'class="hb-pace hb-grid__pace"', 1) if html else ""


def render_board(a: Analysis, links: Links, unit_slug: dict[str, str] | None = None) -> str:
    """The compact grid: per unit, its teams by the targets any of them carries, each cell a status."""
    hb = a.hb
    h = links.html
    slugs = unit_slug or {}
    fmt = lambda i: format_period(i, hb.frequency) if i is not None else "–"  # noqa: E731
    by_pair = {(s.team, s.target): s for s in a.statuses}
    carried: dict[str, list[str]] = {}
    for s in a.statuses:
        carried.setdefault(s.team, []).append(s.target)
    out = []
    units = hb.units()
    jump = " · ".join(f'<a href="#unit-{esc(slugs.get(u) or slugify(u))}">{esc(" ".join(u.split()))}</a>' for u in units)
    out.append('\n<p class="hb-board__units" data-hb-board-units>' + _("Units: {links}").format(links=jump) + "</p>\n")
    for unit, members in units.items():
        slug = slugs.get(unit) or slugify(unit)
        targets = [t for t in hb.targets if any(t in carried.get(m.id, []) for m in members)]
        out.append(f"\n### {inline(unit)} {{ #unit-{slug} }}\n\n")
        if not targets:
            out.append(f'<p class="hb-board__none" data-unit="{esc(slug)}">' + _("No team in this unit carries a target.") + "</p>\n")
            continue
        head = "".join(f'<th scope="col"><a href="{esc(h.target(t))}">{esc(" ".join(hb.targets[t].title.split()))}</a></th>'
                       for t in targets)
        rows = []
        for m in members:
            cells = []
            for t in targets:
                s = by_pair.get((m.id, t))
                cells.append(_cell(s, hb, " ".join(hb.targets[t].title.split()), fmt, _pace_cell(a, s)) if s is not None else
                             '<td class="hb-grid__none"><span class="hb-sr">' + _("not carried") + '</span><span aria-hidden="true">·</span></td>')
            rows.append(f'<tr><th scope="row"><a href="{esc(h.team(m.id))}">{esc(" ".join(m.name.split()))}</a>'
                        + ("" if carried.get(m.id) else ' <span class="hb-muted">' + _("no target") + "</span>")
                        + "</th>" + "".join(cells) + "</tr>")
        out.append(raw_html(
            f'<div class="hb-board__unit hb-table-scroll" data-unit="{esc(slug)}"><table class="hb-table hb-grid">'
            "<caption>" + _("{unit}: each team's status on the targets it carries").format(unit=esc(" ".join(unit.split())))
            + '</caption><thead><tr><th scope="col">' + esc(_("Team")) + f'</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
        ) + "\n")
    return "".join(out)


def render_by_status(a: Analysis, links: Links) -> str:
    """Lists of the team-and-target pairs by status, and of the stale teams: what the home page's counts count."""
    hb = a.hb
    h = links.html
    fmt = lambda i: format_period(i, hb.frequency) if i is not None else "–"  # noqa: E731
    out = [heading(2, _("Every team's result, by status"), "by-status"),
           (_("Each team on each target it carries, grouped by status: what the counts on the home page count. Past "
              "targets are listed apart, below.") if a.past else
            _("Each team on each target it carries, grouped by status: what the counts on the home page count."))
           + "\n"]
    live = a.live
    for status in STATUS_ORDER:
        pairs = [s for s in live if s.status is status]
        title = _("{status} ({n})").format(status=STATUS_LABEL[status], n=num(len(pairs)))
        out.append(f"\n### {title} {{ #{status_anchor(status)} }}\n\n")
        if not pairs:
            # A team that met a target at its deadline (a past target, say) has met one: then only the live
            # targets can be said to have no team meeting them now.
            none = (N_("No team meets a live target now.") if status is Status.MET and any(s.has_met for s in a.statuses)
                    else NONE_WITH_STATUS[status])
            out.append(f'<p class="hb-muted">{_(none)}</p>\n')
            continue
        items = "".join(
            f"<li>{status_badge(s.status)} "
            + _on(f'<a href="{esc(h.team(s.team))}">{esc(" ".join(hb.teams[s.team].name.split()))}</a>',
                  f'<a href="{esc(h.target(s.target))}">{esc(" ".join(hb.targets[s.target].title.split()))}</a>')
            + (_flag_html() if s.distortions else "") + "</li>"
            for s in pairs
        )
        out.append(raw_html(f'<ul class="hb-pairs" data-status="{esc(status.value)}">{items}</ul>') + "\n")
    # The stale teams, as their pages say (Analysis.stale_teams): every figure of the team lags the calendar, or its
    # figures on a live target's own indicator do (a team may report other figures and still be stale on a target).
    stale = a.stale_teams
    out.append(heading(2, _("Stale teams"), STALE_TEAMS_ANCHOR))
    if not stale:
        out.append("<p>" + _("No team's figures are stale.") + "</p>\n")
    else:
        expected = hb.expected_period()
        items = []
        for t, pairs in stale.items():
            if pairs:
                which = "; ".join(_("{target}, latest figure {period}").format(
                    target=esc(" ".join(hb.targets[p.target].title.split())), period=esc(fmt(p.period)))
                    for p in pairs)
            else:
                behind = a.freshness.get(t) or 0
                which = esc(ngettext("latest figures {period}, {n} period behind",
                                     "latest figures {period}, {n} periods behind", behind).format(
                    period=fmt(a.latest_by_team.get(t)), n=fmt_int(behind)))
            items.append(f'<li><a href="{esc(h.team(t))}">{esc(" ".join(hb.teams[t].name.split()))}</a>: {which}</li>')
        out.append("<p>" + esc(_(
            "Teams whose figures, on a live target's indicator or on every indicator they report, are more than {n} "
            "periods behind the period whose figures are due by today ({period}, due by {date}): a status on their old "
            "figures is shown as stale, not as current."
        ).format(n=num(hb.organization.stale_after), period=fmt(expected), date=due_by(hb, expected).isoformat()))
            + "</p>\n")
        out.append(raw_html(f'<ul class="hb-stale-teams">{"".join(items)}</ul>') + "\n")
    out.append(render_past_pairs(a, links))
    return "".join(out)


def render_past_pairs(a: Analysis, links: Links) -> str:
    """The pairs of past targets, apart from the live counts: "Past targets: 3"."""
    past = a.past
    if not past:
        return ""
    hb = a.hb
    h = links.html
    n = len({s.target for s in past})
    items = "".join(
        f"<li>{status_badge(s.status)} "
        + _on(f'<a href="{esc(h.team(s.team))}">{esc(" ".join(hb.teams[s.team].name.split()))}</a>',
              f'<a href="{esc(h.target(s.target))}">{esc(" ".join(hb.targets[s.target].title.split()))}</a>')
        + " " + esc(_("(deadline {period})").format(period=format_period(s.target_period, hb.frequency))) + "</li>"
        for s in past
    )
    results = ngettext("{n} team result", "{n} team results", len(past)).format(n=fmt_int(len(past)))
    return (heading(2, _("Past targets: {n}").format(n=num(n)), "past-targets")
            + "<p>" + _("{results} on past targets, not counted in the lists above: each deadline passed more than a "
                        "year before the latest period whose figures are due, or a later target of the same indicator "
                        "and teams replaced it.").format(results=results) + "</p>\n"
            + raw_html(f'<ul class="hb-pairs hb-pairs--past" data-past-targets="{n}">{items}</ul>') + "\n")


def render_scoreboard(a: Analysis, links: Links, unit_slug: dict[str, str] | None = None) -> str:
    """Render the scoreboard page body (the page supplies the title)."""
    hb = a.hb
    freq = hb.frequency
    fmt = lambda i: format_period(i, freq) if i is not None else "–"  # noqa: E731
    h = links.html
    latest = fmt(hb.latest_period) if hb.latest_period is not None else _("none yet")
    downloads = _("Download the statuses: {csv} · {json}").format(
        csv=f'<a href="{esc(h.file(STATUS_CSV))}" download>CSV</a>', json=f'<a href="{esc(h.file(STATUS_JSON))}" download>JSON</a>')
    out = [
        "\n" + _("Every team against every target it carries, at each team's latest period with figures. The latest "
                 "period any team has reported is **{period}**. How each status is decided is explained in [how a "
                 "status is computed]({href}).").format(period=esc(latest), href=links.to("onboarding/status.md"))
        + "\n\n",
        f'<p class="hb-downloads">{downloads}</p>\n',
    ]
    out.append(heading(2, _("Every team, every target"), "all"))
    if not a.statuses:
        out.append(_("No target has been set yet.") + "\n")
    else:
        out.append('<div class="hb-board-controls" data-hb-board></div>\n')
        out.append(render_board(a, links, unit_slug))
        out.append("\n" + raw_html(render_figures_table(a, links)) + "\n")
        out.append(render_by_status(a, links))
    out.append(render_leagues(a, links))
    return "".join(out)


def render_figures_table(a: Analysis, links: Links) -> str:
    """Every pair's figures in one sortable table, folded away under the grid."""
    hb = a.hb
    h = links.html
    fmt = lambda i: format_period(i, hb.frequency) if i is not None else "–"  # noqa: E731
    order = {t: i for i, t in enumerate(hb.teams)}
    unit_order = {u: i for i, u in enumerate(hb.units())}
    # By unit, then team, in the order teams.yml gives them; a team's targets in targets.yml order.
    rows = sorted(a.statuses, key=lambda s: (unit_order[hb.teams[s.team].unit], order[s.team]))
    stale_after = hb.organization.stale_after
    body = []
    for s in rows:
        team = hb.teams[s.team]
        target = hb.targets[s.target]
        ind = hb.indicators[s.indicator]
        expected = esc(fmt_expected(ind, s.expected, s.baseline_value, s.target_value))
        deadline = describe_deadline(s, ind, hb.frequency, stale_after)
        if deadline:
            deadline = f'<br><span class="hb-deadline" data-met="{met_attr(s)}">{esc(deadline)}</span>'
        body.append(
            f'<tr><td><a href="{esc(h.team(team.id))}">{esc(" ".join(team.name.split()))}</a></td>'
            f'<td><a href="{esc(h.target(target.id))}">{esc(" ".join(target.title.split()))}</a></td>'
            f'<td data-sort="{_RANK[s.status]}">{status_badge(s.status)}'
            + (_flag_html() if s.distortions else "")
            + deadline + f'</td><td class="hb-num" data-sort="{_num(s.value)}">{esc(fmt_value(ind, s.value))}</td>'
            f'<td class="hb-num" data-sort="{_num(s.expected)}">{expected}</td>'
            f'<td data-sort="{s.period if s.period is not None else ""}">{fmt(s.period)}</td></tr>'
        )
    summary = _("Every figure behind the grid, in a sortable table ({n} rows)").format(n=num(len(rows)))
    caption = _("Status of every team on every target it carries; select a column heading to sort")
    cols = "".join(f'<th scope="col"{css}>{esc(text)}</th>' for text, css in (
        (_("Team"), ""), (_("Target"), ""), (_("Status"), ""), (_("Latest value"), ' class="hb-num"'),
        (_("Expected"), ' class="hb-num"'), (_("Period"), "")))
    return ('<details class="hb-details hb-board__figures"><summary>' + esc(summary)
            + '</summary><div class="hb-table-scroll"><table class="hb-table hb-scoreboard" data-sortable="true">'
            f"<caption>{esc(caption)}</caption><thead><tr>{cols}</tr></thead><tbody>"
            + "".join(body) + "</tbody></table></div></details>")


def render_leagues(a: Analysis, links: Links, min_teams: int = LEAGUE_MIN_TEAMS) -> str:
    """A league table per indicator that at least `min_teams` teams report."""
    hb = a.hb
    h = links.html
    fmt = lambda i: format_period(i, hb.frequency) if i is not None else "–"  # noqa: E731
    leagues = {i: lg for i, lg in derive_leagues(hb).items() if len(lg) >= min_teams}
    out = [heading(2, _("League tables"), "leagues")]
    out.append(_("One table per indicator that at least {n} teams report: teams ranked by their latest figure, best "
                 "first. Stale figures (no figure for longer than the organization allows) come after the ranked ones, "
                 "unranked: an old figure does not compete with this month's. An indicator whose figures are counts "
                 "(`aggregate: sum`, unless it says `comparable: true`) grows with a team's size: its table lists the "
                 "teams by their count, unranked, with the total ([the rule]({href})).").format(
        n=num(min_teams), href=links.to("onboarding/status.md", "combining")) + "\n")
    if not leagues:
        out.append("\n<p>" + _("No indicator is reported by {n} teams or more yet.").format(n=num(min_teams)) + "</p>\n")
    cells: dict[str, str] = {}  # a team's name and unit cells, the same in every table
    periods: dict[int, str] = {}
    stale_mark = (' <span class="hb-status hb-status--stale"><span aria-hidden="true">◷</span> '
                  + pgettext("status", "stale") + "</span>")

    def team_cells(team_id: str) -> str:
        if team_id not in cells:
            team = hb.teams[team_id]
            cells[team_id] = (f'<td><a href="{esc(h.team(team.id))}">{esc(" ".join(team.name.split()))}</a></td>'
                              f'<td>{esc(" ".join(team.unit.split()))}</td>')
        return cells[team_id]

    for ind_id, league in leagues.items():
        ind = hb.indicators[ind_id]
        counts = not ind.is_ranked
        out.append(heading(3, ind.name, f"league-{ind_id}"))
        better = _("Higher is better") if ind.better is Better.HIGHER else _("Lower is better")
        kind = (" · " + _("counts: not ranked, a larger team reports more") if ind.aggregate == "sum" else
                " · " + _("not ranked: figures of different teams are not comparable")) if counts else ""
        unit = esc(ind.unit) if ind.unit else _("no unit")
        about = _("about this indicator")
        ranked = any(r.rank is not None for r in league)  # leagues.derive_league decides who is ranked
        if not counts and not ranked:  # too few current figures: say why
            current = sum(1 for r in league if not r.stale)
            kind = " · " + esc(ngettext("{n} team with a current figure, too few to rank",
                                        "{n} teams with a current figure, too few to rank", current).format(n=fmt_int(current)))
        out.append(f'\n<p class="hb-muted">{better} · {unit}{kind} · '
                   f'<a href="{esc(h.indicator(ind_id))}">{about}</a></p>\n')
        body, stale_body = [], []
        for r in league:
            period = periods.get(r.period) or periods.setdefault(r.period, fmt(r.period))
            if r.stale:
                period += stale_mark
            rank = "" if counts else f'<td>{r.rank if r.rank is not None else "–"}</td>'
            (stale_body if r.stale else body).append(
                ('<tr class="hb-league__stale">' if r.stale else "<tr>") + rank + team_cells(r.team)
                + f"<td>{esc(fmt_value(ind, r.value))}</td><td>{period}</td></tr>"
            )
        if stale_body:
            cols = 4 if counts else 5
            body.append('</tbody><tbody class="hb-league__stale-group">'
                        f'<tr><th scope="rowgroup" colspan="{cols}">'
                        + ngettext("Stale figures, not ranked ({n} team)", "Stale figures, not ranked ({n} teams)",
                                   len(stale_body)).format(n=fmt_int(len(stale_body)))
                        + "</th></tr>" + "".join(stale_body))
        foot = ""
        combined = derive_league_total(hb, ind_id, league)
        if combined is not None:
            total, period, n = combined
            if ind.aggregate == "sum":
                label = ngettext("Total of the {n} team that reported {period}", "Total of the {n} teams that reported {period}", n)
            else:
                label = ngettext("Mean of the {n} team that reported {period}", "Mean of the {n} teams that reported {period}", n)
            span = 2 if counts else 3
            foot = (f'<tfoot><tr class="hb-league__total"><td colspan="{span}">'
                    + esc(label.format(n=fmt_int(n), period=fmt(period))) + "</td>"
                    f"<td>{esc(fmt_value(ind, total))}</td><td>{esc(fmt(period))}</td></tr></tfoot>")
        caption = (_("{indicator}: teams by latest count") if counts else _("{indicator}: teams by latest figure")).format(
            indicator=" ".join(ind.name.split()))
        rank_head = "" if counts else '<th scope="col" class="hb-num">' + esc(_("Rank")) + "</th>"
        out.append("\n" + raw_html(
            f'<div class="hb-table-scroll"><table class="hb-table hb-league" data-aggregate="{esc(ind.aggregate)}" '
            f'data-ranked="{str(ranked).lower()}"><caption>'
            f'{esc(caption)}</caption><thead><tr>'
            f'{rank_head}<th scope="col">' + esc(_("Team")) + '</th><th scope="col">' + esc(_("Unit")) + "</th>"
            '<th scope="col" class="hb-num">' + esc(_("Latest")) + '</th><th scope="col">' + esc(_("Period"))
            + "</th></tr></thead><tbody>"
            + "".join(body) + "</tbody>" + foot + "</table></div>"
        ) + "\n")
    return "".join(out)
