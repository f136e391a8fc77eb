"""The indicators catalogue by stage, and the latest figures for an indicator across teams."""

from __future__ import annotations

from ..calendar import due_by
from ..derive import is_stale_figure
from ..i18n import N_, _, fmt_int, ngettext, pgettext
from ..leagues import LEAGUE_MIN_TEAMS
from ..model import Handbook, Indicator, Stage
from ..periods import format_period
from ..snapshot import Snapshot, derive_reporters, derive_snapshot
from ..words import join_words
from .charts import build_cross_team_chart, render_chart
from .common import bold_html, fmt_value
from .counts import num
from .deadlines import calendar_end
from .links import Links
from .text import esc, inline, md_block, one_line

# English, marked for the catalogue: translate with `_()` where shown (the language is set after import).
STAGE_LABEL = {
    Stage.INPUT: N_("Input"),
    Stage.PROCESS: N_("Process"),
    Stage.OUTPUT: N_("Output"),
    Stage.OUTCOME: N_("Outcome"),
}
STAGE_MEANING = {
    Stage.INPUT: N_("what we put in: people, money, equipment"),
    Stage.PROCESS: N_("how we work"),
    Stage.OUTPUT: N_("what we deliver"),
    Stage.OUTCOME: N_("what changes for the people we serve"),
}
# Above this many teams, list who reports an indicator by unit rather than team by team (page size).
TEAM_LIST_LIMIT = 40
# The words for describe_spread's labels; an even number of teams has two figures in the middle, no one median.
SPREAD_WORDS = {"only": N_("only"), "best": N_("best"), "median": N_("median"), "middle": N_("in the middle"),
                "worst": N_("worst")}
UNRANKED_LIMIT = 8  # the most teams' figures named in the "Latest" line of an indicator that is not ranked


def describe_spread(snap: Snapshot) -> list[tuple[str, str | None, float]]:
    """Return (label, team or None, value) for the best, median and worst of the latest period's figures.

    With an even number of teams there is no one median team: the two teams in the middle are named ("middle"),
    never the mean of their figures.
    """
    r = snap.ranked
    n = len(r)
    if n == 0:
        return []
    if n == 1:
        return [("only", r[0][0], r[0][1])]
    out: list[tuple[str, str | None, float]] = [("best", r[0][0], r[0][1])]
    if n % 2 == 1 and n > 2:
        out.append(("median", r[n // 2][0], r[n // 2][1]))
    elif n > 2:
        out += [("middle", r[n // 2 - 1][0], r[n // 2 - 1][1]), ("middle", r[n // 2][0], r[n // 2][1])]
    out.append(("worst", r[-1][0], r[-1][1]))
    return out


def render_snapshot(hb: Handbook, ind: Indicator, snap: Snapshot) -> str:
    """Say the latest figures in words, combined only as the indicator's `aggregate` allows.

    One team: its figure. `sum`: the total of the teams that reported the latest period; `mean`: their mean;
    `none`: the best, median and worst of them, each named (finished HTML). The league tables' rules hold here too:
    stale figures (derive.is_stale_figure: older than the reporting calendar allows) are neither ranked nor
    combined, and fewer teams than a ranking needs (leagues.LEAGUE_MIN_TEAMS) are listed, not ranked.
    """
    if snap.period is None:
        return '<span class="hb-latest hb-latest--none">' + _("No figures reported yet.") + "</span>"
    period = format_period(snap.period, hb.frequency)
    name = lambda t: esc(" ".join(hb.teams[t].name.split())) if t in hb.teams else esc(t)  # noqa: E731
    older = len(snap.per_team) - snap.count
    earlier = ngettext("{n} team last reported earlier", "{n} teams last reported earlier", older).format(
        n=fmt_int(older)) if older else ""
    later = _("; {earlier}").format(earlier=earlier) if older else ""
    attrs = f'class="hb-latest hb-latest--{esc(snap.aggregate)}" data-period="{esc(period)}"'

    def listed() -> str:
        """The latest figures in team order, none called best (the first UNRANKED_LIMIT, then how many more)."""
        order = {t: i for i, (t, _p, _v) in enumerate(snap.per_team)}
        figures = sorted(snap.ranked, key=lambda tv: order[tv[0]])
        more = len(figures) - UNRANKED_LIMIT
        return ", ".join(f"{name(t)} <strong>{esc(fmt_value(ind, v))}</strong>" for t, v in figures[:UNRANKED_LIMIT]) + (
            _(" and {n} more").format(n=num(more)) if more > 0 else "")
    if is_stale_figure(hb, ind.id, snap.period):  # as in the league tables: never ranked, combined or current
        expected = hb.expected_period(ind.id)
        message = ngettext(
            "In {period}, {n} team reported: {figures}. Not shown as current: this figure is older than the "
            "reporting calendar allows (the figures for {expected} were due by {date}).",
            "In {period}, {n} teams reported: {figures}. Neither ranked nor combined: these figures are older than "
            "the reporting calendar allows (the figures for {expected} were due by {date}).", snap.count)
        return (f'<span class="hb-latest hb-latest--stale" data-period="{esc(period)}" data-stale>'
                '<span class="hb-status hb-status--stale"><span aria-hidden="true">◷</span> '
                + pgettext("status", "stale") + "</span> "
                + message.format(period=esc(period), n=num(snap.count), figures=listed(),
                                 expected=esc(format_period(expected, hb.frequency)),
                                 date=esc(due_by(hb, expected, ind.id).isoformat()))
                + (f" ({earlier})" if older else "") + "</span>")
    if snap.count == 1:
        team, value = snap.ranked[0]
        return (f'<span {attrs} data-value="{value:.6g}">'
                + _("<strong>{value}</strong> in {period} (reported by {team}{later})").format(
                    value=esc(fmt_value(ind, value)), period=esc(period), team=name(team), later=later) + "</span>")
    if snap.combined is not None:
        if snap.aggregate == "sum":
            how = _("<strong>{value}</strong> in {period} (total of the {n} teams that reported for that period{later})")
        else:
            how = _("<strong>{value}</strong> in {period} (mean of the {n} teams that reported for that period{later})")
        return (f'<span {attrs} data-value="{snap.combined:.6g}">'
                + how.format(value=esc(fmt_value(ind, snap.combined)), period=esc(period), n=num(snap.count), later=later)
                + "</span>")
    if not ind.is_ranked:  # `comparable: false`: each team's figure, in team order, none called best
        return (f'<span {attrs}>'
                + _("In {period}, {n} teams reported (not ranked: figures of different teams are not comparable): "
                    "{figures}").format(period=esc(period), n=num(snap.count), figures=listed())
                + (f" ({earlier})" if older else "") + "</span>")
    if snap.count < LEAGUE_MIN_TEAMS:  # as in the league tables: too few teams to call one the best
        return (f'<span {attrs} data-unranked>'
                + _("In {period}, {n} teams reported, too few to rank (a ranking needs at least {min} teams): "
                    "{figures}").format(period=esc(period), n=num(snap.count), min=num(LEAGUE_MIN_TEAMS),
                                        figures=listed())
                + (f" ({earlier})" if older else "") + "</span>")
    parts = []
    for label, team, value in describe_spread(snap):
        parts.append(f'<span class="hb-latest__{label}" data-value="{value:.6g}">{_(SPREAD_WORDS.get(label, label))} '
                     f"<strong>{esc(fmt_value(ind, value))}</strong> ({name(team) if team else ''})</span>")
    return (f'<span {attrs}>' + _("In {period}, of the {n} teams that reported: {figures}").format(
                period=esc(period), n=num(snap.count), figures=", ".join(parts))
            + (f" ({earlier})" if older else "") + "</span>")


def render_team_links(hb: Handbook, teams: list[str], links: Links) -> str:
    """Link to each team, or to their units when there are too many to list (finished HTML)."""
    if not teams:
        return _("none")
    to = links.html
    link = lambda name, url: f'<a href="{esc(url)}">{esc(one_line(name))}</a>'  # noqa: E731
    if len(teams) <= TEAM_LIST_LIMIT:
        return ", ".join(link(hb.teams[t].name, to.team(t)) for t in teams if t in hb.teams)
    by_unit: dict[str, int] = {}
    for t in teams:
        if t in hb.teams:
            by_unit[hb.teams[t].unit] = by_unit.get(hb.teams[t].unit, 0) + 1
    return ngettext("{n} team: {units}", "{n} teams: {units}", len(teams)).format(
        n=fmt_int(len(teams)), units=", ".join(f"{link(u, to.unit(u))} ({num(n)})" for u, n in by_unit.items()))


def stage_coverage(hb: Handbook) -> dict[Stage, int]:
    counts = {s: 0 for s in Stage}
    for ind in hb.indicators.values():
        counts[ind.stage] += 1
    return counts


def render_indicators_page(hb: Handbook, links: Links) -> str:
    """Render the catalogue: coverage of the four stages, then each indicator by stage."""
    reporters = derive_reporters(hb)
    used_by: dict[str, list[tuple[str, str]]] = {i: [] for i in hb.indicators}  # indicator -> (markdown link, role)
    for d in hb.deficits.values():
        used_by.setdefault(d.indicator, []).append((f"[{inline(d.title)}]({links.deficit(d.id)})", _("evidence for the deficit")))
    for t in hb.targets.values():
        used_by.setdefault(t.indicator, []).append((f"[{inline(t.title)}]({links.target(t.id)})", _("measures the target")))
        for g in t.guardrails:
            used_by.setdefault(g.indicator, []).append((f"[{inline(t.title)}]({links.target(t.id)})", _("guardrail of the target")))
    counts = stage_coverage(hb)
    out = [
        "\n" + _("Many and varied indicators keep a target honest: inputs and processes explain why outputs move, "
                 "outcomes say whether anyone is better off, and guardrails catch a figure that improves for the wrong "
                 "reason.") + "\n",
        "\n## " + _("Coverage of the four stages") + " { #coverage }\n\n",
    ]
    rows = []
    for s in Stage:
        n = counts[s]
        cell = num(n) if n else _("**none**: no indicator at this stage")
        rows.append(f'| [{_(STAGE_LABEL[s])}](#stage-{s.value}) | {inline(_(STAGE_MEANING[s]))} | {cell} |')
    out.append("| " + " | ".join((_("Stage"), _("What it measures"), _("Indicators")))
               + " |\n| --- | --- | --: |\n" + "\n".join(rows) + "\n")
    missing = [_(STAGE_LABEL[s]).lower() for s in Stage if not counts[s]]
    if missing:
        title = _("Stages without an indicator")
        out.append(f'\n!!! warning "{title}"\n    '
                   + ngettext("No indicator measures the {stages} stage. See [practice 10]({href}).",
                              "No indicator measures the {stages} stages. See [practice 10]({href}).", len(missing)).format(
                       stages=join_words(missing), href=links.practice(10)) + "\n")
    else:
        out.append("\n" + _("All four stages are covered.") + "\n")
    for s in Stage:
        out.append(f"\n## {_(STAGE_LABEL[s])} {{ #stage-{s.value} }}\n\n")
        inds = [i for i in hb.indicators.values() if i.stage is s]
        if not inds:
            out.append(f'<p class="hb-none" data-stage="{s.value}">'
                       + _("No indicator at the {stage} stage yet.").format(stage=_(STAGE_LABEL[s]).lower()) + "</p>\n")
            continue
        for ind in inds:
            out.append(f"\n### {inline(ind.name)} {{ #indicator-{ind.id} }}\n\n")
            direction = _("Lower is better") if ind.better.value == "lower" else _("Higher is better")
            snap = derive_snapshot(hb, ind.id, reporters.get(ind.id, []))
            facts = [
                (_("Id"), f"<code>{esc(ind.id)}</code>"),
                (_("Unit"), esc(ind.unit) if ind.unit else _("none")),
                (_("Direction"), f'<span class="hb-direction hb-direction--{ind.better.value}">'
                                 f'<span aria-hidden="true">{"↓" if ind.better.value == "lower" else "↑"}</span> {direction}</span>'),
                (_("Source"), esc(ind.source) if ind.source else _("not stated")),
                (_("Latest"), render_snapshot(hb, ind, snap)),
            ]
            out.append('<dl class="hb-facts" data-indicator="' + esc(ind.id) + '">'
                       + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>\n")
            out.append(md_block(ind.description, "hb-md hb-indicator-description"))
            # Finished HTML (held back from Markdown): at 1,000 teams, a link to each of fifty units.
            out.append("\n<p>" + bold_html(_("**Reported by:** {teams}")).format(
                teams=render_team_links(hb, reporters.get(ind.id, []), links)) + "</p>\n")
            out.append(render_indicator_chart(hb, ind, reporters.get(ind.id, [])))
            uses = used_by.get(ind.id, [])
            if uses:
                out.append("\n" + _("**Used by:** {uses}").format(uses=_("; ").join(f"{link} ({role})" for link, role in uses)) + "\n")
    return "".join(out)


def render_indicator_chart(hb: Handbook, ind: Indicator, teams: list[str]) -> str:
    """Chart an indicator across the teams that report it: a line per team, or the best, median and worst team.

    With its text alternative (a summary and the data table). Only this page carries this chart's data.
    """
    lines = [(hb.teams[t].name if t in hb.teams else t, s) for t in teams
             if (s := hb.series_for(t, ind.id)) is not None and s.periods]
    # Up to the period whose figures are due by today, as on team pages: a stopped feed's months are missing.
    chart = build_cross_team_chart(ind, lines, hb.frequency, calendar_end(hb.latest_period, hb.expected_period(ind.id)),
                                   stale=lambda period: is_stale_figure(hb, ind.id, period))
    if chart is None:
        return ""
    return render_chart(chart)
