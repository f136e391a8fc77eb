"""The indicators catalogue by stage, and the latest figures for an indicator across teams."""

from __future__ import annotations

from ..model import Handbook, Indicator, Stage
from ..periods import format_period
from ..snapshot import Snapshot, derive_reporters, derive_snapshot
from ..words import join_words, plural
from .charts import build_cross_team_chart, render_chart
from .common import fmt_value
from .links import Links
from .text import esc, inline, md_block

STAGE_LABEL = {
    Stage.INPUT: "Input",
    Stage.PROCESS: "Process",
    Stage.OUTPUT: "Output",
    Stage.OUTCOME: "Outcome",
}
STAGE_MEANING = {
    Stage.INPUT: "what we put in: people, money, equipment",
    Stage.PROCESS: "how we work",
    Stage.OUTPUT: "what we deliver",
    Stage.OUTCOME: "what changes for the people we serve",
}
# Above this many teams, list who reports an indicator by unit rather than team by team (page size).
TEAM_LIST_LIMIT = 40
SPREAD_WORDS = {"middle": "in the middle"}  # an even number of teams has two figures in the middle, no one median
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


def render_snapshot(hb: Handbook, ind: Indicator, snap: Snapshot, markdown: bool = False) -> str:
    """Say the latest figures in words, combined only as the indicator's `aggregate` allows.

    One team: its figure. `sum`: the total of the teams that reported the latest period; `mean`: their mean;
    `none`: the best, median and worst of them, each named. With `markdown`, the text is escaped for a Markdown
    paragraph; else for a raw HTML block.
    """
    q = inline if markdown else esc
    if snap.period is None:
        return '<span class="hb-latest hb-latest--none">No figures reported yet.</span>'
    period = format_period(snap.period, hb.frequency)
    name = lambda t: q(" ".join(hb.teams[t].name.split())) if t in hb.teams else q(t)  # noqa: E731
    older = len(snap.per_team) - snap.count
    later = f"; {plural(older, 'team')} last reported earlier" if older else ""
    attrs = f'class="hb-latest hb-latest--{esc(snap.aggregate)}" data-period="{esc(period)}"'
    if snap.count == 1:
        team, value = snap.ranked[0]
        return (f'<span {attrs} data-value="{value:.6g}"><strong>{q(fmt_value(ind, value))}</strong> in {q(period)} '
                f"(reported by {name(team)}{later})</span>")
    if snap.combined is not None:
        how = "total" if snap.aggregate == "sum" else "mean"
        return (f'<span {attrs} data-value="{snap.combined:.6g}"><strong>{q(fmt_value(ind, snap.combined))}</strong> '
                f"in {q(period)} ({how} of the {snap.count} teams that reported for that period{later})</span>")
    if not ind.is_ranked:  # `comparable: false`: each team's figure, in team order, none called best
        shown = sorted(snap.ranked, key=lambda tv: [t for t, _, _ in snap.per_team].index(tv[0]))[:UNRANKED_LIMIT]
        more = snap.count - len(shown)
        return (f'<span {attrs}>In {q(period)}, {snap.count} teams reported (not ranked: figures of different teams '
                "are not comparable): " + ", ".join(f"{name(t)} <strong>{q(fmt_value(ind, v))}</strong>" for t, v in shown)
                + (f" and {more} more" if more else "") + (f" ({later[2:]})" if later else "") + "</span>")
    parts = []
    for label, team, value in describe_spread(snap):
        parts.append(f'<span class="hb-latest__{label}" data-value="{value:.6g}">{SPREAD_WORDS.get(label, label)} '
                     f"<strong>{q(fmt_value(ind, value))}</strong> ({name(team) if team else ''})</span>")
    return (f'<span {attrs}>In {q(period)}, of the {snap.count} teams that reported: ' + ", ".join(parts)
            + (f" ({later[2:]})" if later else "") + "</span>")


def render_team_links(hb: Handbook, teams: list[str], links: Links) -> str:
    """Link to each team (Markdown), or to their units when there are too many to list."""
    if not teams:
        return "none"
    if len(teams) <= TEAM_LIST_LIMIT:
        return ", ".join(f"[{inline(hb.teams[t].name)}]({links.team(t)})" for t in teams if t in hb.teams)
    by_unit: dict[str, int] = {}
    for t in teams:
        if t in hb.teams:
            by_unit[hb.teams[t].unit] = by_unit.get(hb.teams[t].unit, 0) + 1
    return f"{plural(len(teams), 'team')}: " + ", ".join(f"[{inline(u)}]({links.unit(u)}) ({n})" for u, n in by_unit.items())


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
        used_by.setdefault(d.indicator, []).append((f"[{inline(d.title)}]({links.deficit(d.id)})", "evidence for the deficit"))
    for t in hb.targets.values():
        used_by.setdefault(t.indicator, []).append((f"[{inline(t.title)}]({links.target(t.id)})", "measures the target"))
        for g in t.guardrails:
            used_by.setdefault(g.indicator, []).append((f"[{inline(t.title)}]({links.target(t.id)})", "guardrail of the target"))
    counts = stage_coverage(hb)
    out = [
        "\nMany and varied indicators keep a target honest: inputs and processes explain why outputs move, "
        "outcomes say whether anyone is better off, and guardrails catch a figure that improves for the wrong reason.\n",
        "\n## Coverage of the four stages { #coverage }\n\n",
    ]
    rows = []
    for s in Stage:
        n = counts[s]
        cell = f"{n}" if n else "**none**: no indicator at this stage"
        rows.append(f'| [{STAGE_LABEL[s]}](#stage-{s.value}) | {inline(STAGE_MEANING[s])} | {cell} |')
    out.append("| Stage | What it measures | Indicators |\n| --- | --- | --: |\n" + "\n".join(rows) + "\n")
    missing = [STAGE_LABEL[s] for s in Stage if not counts[s]]
    if missing:
        out.append(f'\n!!! warning "Stages without an indicator"\n    No indicator measures the {join_words(missing).lower()} '
                   f"stage{'s' if len(missing) > 1 else ''}. See [practice 10]({links.practice(10)}).\n")
    else:
        out.append("\nAll four stages are covered.\n")
    for s in Stage:
        out.append(f"\n## {STAGE_LABEL[s]} {{ #stage-{s.value} }}\n\n")
        inds = [i for i in hb.indicators.values() if i.stage is s]
        if not inds:
            out.append(f'<p class="hb-none" data-stage="{s.value}">No indicator at the {s.value} stage yet.</p>\n')
            continue
        for ind in inds:
            out.append(f"\n### {inline(ind.name)} {{ #indicator-{ind.id} }}\n\n")
            direction = "Lower is better" if ind.better.value == "lower" else "Higher is better"
            snap = derive_snapshot(hb, ind.id, reporters.get(ind.id, []))
            facts = [
                ("Id", f"<code>{esc(ind.id)}</code>"),
                ("Unit", esc(ind.unit) if ind.unit else "none"),
                ("Direction", f'<span class="hb-direction hb-direction--{ind.better.value}">'
                              f'<span aria-hidden="true">{"↓" if ind.better.value == "lower" else "↑"}</span> {direction}</span>'),
                ("Source", esc(ind.source) if ind.source else "not stated"),
                ("Latest", render_snapshot(hb, ind, snap)),
            ]
            out.append('<dl class="hb-facts" data-indicator="' + esc(ind.id) + '">'
                       + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>\n")
            out.append(md_block(ind.description, "hb-md hb-indicator-description"))
            out.append(f"\n**Reported by:** {render_team_links(hb, reporters.get(ind.id, []), links)}\n")
            out.append(render_indicator_chart(hb, ind, reporters.get(ind.id, [])))
            uses = used_by.get(ind.id, [])
            if uses:
                out.append("\n**Used by:** " + "; ".join(f"{link} ({role})" for link, role in uses) + "\n")
    return "".join(out)


def render_indicator_chart(hb: Handbook, ind: Indicator, teams: list[str]) -> str:
    """Chart an indicator across the teams that report it: a line per team, or the best, median and worst team.

    With its text alternative (a summary and the data table). Only this page carries this chart's data.
    """
    lines = [(hb.teams[t].name if t in hb.teams else t, s) for t in teams
             if (s := hb.series_for(t, ind.id)) is not None and s.periods]
    chart = build_cross_team_chart(ind, lines, hb.frequency, hb.latest_period)
    if chart is None:
        return ""
    return render_chart(chart)
