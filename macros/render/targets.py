"""Targets and theories: the index, and one page per target with its status per team, theory and ratchet."""

from __future__ import annotations

from ..calendar import due_by
from ..derive import Analysis, TeamStatus
from ..fairness import derive_baseline_mismatches, describe_mismatch
from ..model import Handbook, Indicator, Point, Target
from ..periods import format_period
from ..ratchet import derive_ratchet
from ..words import (
    describe_revision,
    fmt_data_value,
    fmt_difference,
    fmt_expected,
    fmt_threshold,
    is_no_change,
    plural,
    revision_changes,
)
from .charts import build_target_chart, render_chart, share_y_range
from .common import fmt_value, html_table, raw_html, status_badge
from .deadlines import chart_end, describe_deadline, met_attr
from .deficits import render_status_summary
from .links import Links
from .pace import pace_html, pace_short
from .text import esc, inline, md_block, md_inline


def fmt_point(ind: Indicator, point: Point) -> str:
    """Say a (period, value) point in plain text."""
    if point.value is None:
        return f"each team's own figure for {point.period}"
    return f"{fmt_data_value(ind, point.value)} in {point.period}"


def describe_ratchet_step(ind: Indicator, was: Point, new: Point) -> str:
    """Label a revision by what it did: "Raised the bar", "Lowered the bar and moved the deadline later"...

    "Raised" follows the indicator's direction: for a lower-is-better indicator, a smaller target raises the bar.
    """
    return describe_revision(revision_changes(ind.better.value == "higher", was.value, new.value, was.period, new.period))


def render_targets_index(a: Analysis, links: Links) -> str:
    """Render every target in one narrow table: what it is, its goal, its owner and its teams' statuses.

    Four columns, the statuses last but never off screen: what a target closes and measures sits under its title.
    """
    hb = a.hb
    if not hb.targets:
        return "\nNo targets yet. A target is added to `data/targets.yml` by pull request.\n"
    rows: list[str] = []
    past_rows: list[str] = []
    past = {s.target for s in a.past}
    for t in hb.targets.values():
        ind = hb.indicators[t.indicator]
        d = hb.deficits.get(t.deficit)
        closes = _link(links, links.deficit(d.id), d.title) if d else esc(t.deficit)
        base = esc(fmt_data_value(ind, t.baseline.value)) if t.baseline.value is not None else "each team's own figure"
        passed = " (passed)" if t.target.index <= hb.expected_period(t.indicator) else ""
        (past_rows if t.id in past else rows).append(
            f'<tr><td><strong>{_link(links, links.target(t.id), t.title)}</strong>'
            f'<span class="hb-targets__meta">Closes {closes} · measured by '
            f"{_link(links, links.indicator(ind.id), ind.name)}</span></td>"
            f"<td><strong>{esc(fmt_data_value(ind, t.target.value))}</strong> by {esc(t.target.period)}{passed}"
            f'<span class="hb-targets__meta">from {base} in {esc(t.baseline.period)}</span></td>'
            f"<td>{esc(' '.join(t.owner.split()))}</td><td>{render_status_summary(a, t.id)}</td></tr>"
        )
    def table(caption: str, body: list[str]) -> str:
        return raw_html(f'<table class="hb-table hb-targets"><caption>{caption}</caption><thead><tr>'
                        '<th scope="col">Target</th><th scope="col">Goal</th><th scope="col">Owner</th>'
                        '<th scope="col">Teams\' status</th></tr></thead><tbody>' + "".join(body) + "</tbody></table>")

    out = ("\nEach target closes a deficit by a deadline, and states its theory: why meeting it advances the mission. "
           "Statuses are each team's, at its latest reported period ([how a status is computed]"
           f"({links.to('onboarding/status.md')})).\n\n")
    if rows:
        out += table("Every target, with its teams' statuses" if not past_rows else
                     "Every live target, with its teams' statuses", rows) + "\n"
    if past_rows:
        out += (f"\n## Past targets: {len(past_rows)} {{ #past-targets }}\n\n"
                "Counted apart from the live targets, on the home page and the scoreboard too: each deadline passed "
                "more than a year before the latest period whose figures are due, or a later target of the same "
                "indicator and teams replaced it.\n\n"
                + table("Past targets, with their teams' statuses at their latest figures", past_rows) + "\n")
    return out


def render_chain(hb: Handbook, t: Target) -> str:
    """Draw the theory's chain from the target to the mission as an ordered list with arrows (HTML, no script)."""
    steps = [("target", "Target", t.title)] + [("step", f"Step {i}", s) for i, s in enumerate(t.theory.chain, 1)]
    steps.append(("mission", "Mission", " ".join(hb.organization.mission.split())))
    items = "".join(
        f'<li class="hb-chain__step hb-chain__step--{kind}"><span class="hb-chain__label">{esc(label)}</span> '
        f'<span class="hb-chain__text">{esc(text)}</span></li>'
        for kind, label, text in steps
    )
    return f'\n<ol class="hb-chain" aria-label="From this target to the mission, step by step">{items}</ol>\n'


def _status_rows(hb: Handbook, t: Target, rows: list[TeamStatus], links: Links) -> list[list[str]]:
    ind = hb.indicators[t.indicator]
    passed = any(s.deadline_passed for s in rows)
    out = []
    for s in rows:
        team = hb.teams.get(s.team)
        name = f'<a href="{esc(links.href(links.team(s.team)))}">{esc(team.name)}</a>' if team else esc(s.team)
        period = format_period(s.period, hb.frequency) if s.period is not None else "–"
        base = fmt_value(ind, s.baseline_value)
        if s.baseline_period is not None and s.baseline_value is not None:
            base += f" ({format_period(s.baseline_period, hb.frequency)})"
        flags = ", ".join(hb.indicators[g].name for g in s.distortions)
        expected = esc(fmt_expected(ind, s.expected, s.baseline_value, s.target_value))
        if s.expected is not None and s.periods_behind:
            expected += f' <span class="hb-muted">(for {esc(period)})</span>'
        cells = [
            name, status_badge(s.status), esc(period), esc(fmt_value(ind, s.value)), expected,
            esc(base), f'<span class="hb-flag">⚑ {esc(flags)}</span>' if flags else "none",
        ]
        if passed:
            cells.append(f'<span class="hb-deadline" data-met="{met_attr(s)}">'
                         f'{esc(describe_deadline(s, ind, hb.frequency, hb.organization.stale_after))}</span>')
        out.append(cells)
    return out


def _link(links: Links, md_link: str, text: str) -> str:
    return f'<a href="{esc(links.href(md_link))}">{esc(" ".join(text.split()))}</a>'


def render_guardrails(hb: Handbook, t: Target, rows: list[TeamStatus], links: Links) -> str:
    """List each guardrail, its tolerance, and per team how far it moved, with distortion flags in words (HTML)."""
    if not t.guardrails and hb.edition == "public":
        # Said of every target without a public guardrail: true whether or not an internal one exists, and telling
        # nothing about one that does.
        return ('\n<p class="hb-missing">No guardrail of this target is published in this edition. See '
                f'<a href="{esc(links.href(links.practice(9)))}">practice 9</a>.</p>\n')
    if not t.guardrails:
        return ('\n<p class="hb-missing">This target has no guardrail: nothing watches for a figure that improves for '
                f'the wrong reason. See <a href="{esc(links.href(links.practice(9)))}">practice 9</a>.</p>\n')
    items = []
    for g in t.guardrails:
        gi = hb.indicators.get(g.indicator)
        if gi is None:
            continue
        teams = []
        for s in rows:
            res = next((r for r in s.guardrails if r.indicator == g.indicator), None)
            team = hb.teams[s.team].name if s.team in hb.teams else s.team
            if res is None or res.worsened_by is None:
                text = "not measured yet (no figures over the target's periods)"
            else:
                span = f"{format_period(res.start_period, hb.frequency)} to {format_period(res.end_period, hb.frequency)}"  # type: ignore[arg-type]
                size = fmt_difference(gi, res.worsened_by, res.start_value, res.end_value)
                moved = ("unchanged" if is_no_change(gi, res.worsened_by, res.start_value, res.end_value)
                         else f"worsened by {size}" if res.worsened_by > 0 else f"improved by {size}")
                text = esc(f"{moved} ({fmt_value(gi, res.start_value)} to {fmt_value(gi, res.end_value)}, {span})")
                if res.flagged:
                    text = ("<strong>Distortion flag:</strong> the target's indicator improved while this guardrail "
                            + text + ", beyond its tolerance. Review it in the learning log.")
            teams.append(f"<li>{_link(links, links.team(s.team), team)}: {text}</li>")
        better = "lower" if gi.better.value == "lower" else "higher"
        items.append(
            f"<li><p>{_link(links, links.indicator(gi.id), gi.name)} must not get worse by more than "
            f"<strong>{esc(fmt_threshold(gi, g.tolerance))}</strong> from the baseline ({better} is better).</p>"
            + (f"<ul>{''.join(teams)}</ul>" if teams else "") + "</li>"
        )
    return f'\n<div class="hb-search">\n<ul>{"".join(items)}</ul>\n</div>\n' if items else ""


def render_revisions(hb: Handbook, t: Target) -> str:
    """Render the ratchet: each revision, from what it was to what it became, and why."""
    ind = hb.indicators[t.indicator]
    pairs = derive_ratchet(t)
    if not pairs:
        return f"\n<p>No revision yet: the target is still {esc(fmt_point(ind, t.target))} as first set.</p>\n"
    rows = "".join(
        f'<tr><td>{esc(r.date.isoformat())}</td><td>{esc(fmt_point(ind, r.was))}</td><td>{esc(fmt_point(ind, new))}</td>'
        f'<td class="hb-revision-kind">{esc(describe_ratchet_step(ind, r.was, new))}</td>'
        f"<td>{md_inline(r.reason)}</td></tr>"
        for r, new in reversed(pairs)
    )
    return ('\n<table class="hb-table hb-revisions"><caption>Revisions, newest first</caption><thead><tr>'
            '<th scope="col">Date</th><th scope="col">Was</th><th scope="col">Became</th><th scope="col">What it did</th>'
            '<th scope="col">Reason</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>\n")


def _baseline_mismatches(hb: Handbook, t: Target) -> str:
    """Say, per team, a stated baseline that differs from the figure recorded for its period (HTML, escaped)."""
    found = derive_baseline_mismatches(hb, t.id)
    return "".join(f'<br><span class="hb-baseline-mismatch" data-team="{esc(m.team)}">'
                   f'{esc(" ".join(hb.teams[m.team].name.split()) if m.team in hb.teams else m.team)}: '
                   f"{esc(describe_mismatch(hb, m))}</span>" for m in found)


def render_target_page(a: Analysis, t: Target, links: Links) -> str:
    """Render one target's page: headings and finished HTML, with the prose from data in `hb-md` blocks.

    Made once per target, so it is HTML already (as a team page is): only its title and prose go through Markdown.
    """
    hb = a.hb
    ind = hb.indicators[t.indicator]
    d = hb.deficits.get(t.deficit)
    rows = a.by_target.get(t.id, [])
    out = [f"# {inline(t.title)}\n\n"]
    better = "lower" if ind.better.value == "lower" else "higher"
    facts = [
        ("Closes the deficit", _link(links, links.deficit(d.id), d.title) if d else esc(t.deficit)),
        ("Indicator", f"{_link(links, links.indicator(ind.id), ind.name)} ({better} is better)"),
        ("Baseline", esc(fmt_point(ind, t.baseline)) + _baseline_mismatches(hb, t)),
        ("Target", f"<strong>{esc(fmt_data_value(ind, t.target.value))}</strong>"),
        ("Deadline", esc(t.target.period) + (
            f" (passed: its figures were due by {due_by(hb, t.target.index, t.indicator).isoformat()})"
            if any(s.deadline_passed for s in rows) else "")
         + (" · a past target, counted apart" if any(s.past for s in rows) else "")),
        ("Owner", esc(" ".join(t.owner.split()))),
        ("Teams", ", ".join(_link(links, links.team(x), hb.teams[x].name) for x in t.teams if x in hb.teams)),
        ("Status", render_status_summary(a, t.id)),
    ]
    # Row headers name each fact; a "Fact / Value" header row would say nothing.
    # In an hb-search block: kept in the page for the search index (owner, teams, deficit), as prose from data is.
    out.append('\n<div class="hb-search">\n<table class="hb-target-facts"><tbody>'
               + "".join(f'<tr><th scope="row">{esc(k)}</th><td>{v}</td></tr>' for k, v in facts)
               + "</tbody></table>\n</div>\n")
    out.append("\n## Status by team { #status }\n\n")
    out.append(f"<p>Each team's latest figure against the straight line from its baseline to the target "
               f"(<a href=\"{esc(links.href(links.to('onboarding/status.md')))}\">how a status is computed</a>).</p>\n")
    headers = ["Team", "Status", "Latest period", "Latest value", "Expected on the trajectory", "Baseline", "Distortion flags"]
    if any(s.deadline_passed for s in rows):
        headers.append("At the deadline")
    table = _status_rows(hb, t, rows, links)
    paces = [a.projections.get((s.target, s.team)) for s in rows]
    if any(p is not None and p.kind is not None for p in paces):  # where each team is heading (render/pace.py)
        headers.append("At this pace")
        table = [[*cells, pace_html(p, pace_short(p, hb.frequency)) or "–"] for cells, p in zip(table, paces, strict=True)]
    out.append(_html_table(headers, table, f"{t.title}: status by team", numeric={3, 4}))
    out.append(render_progress_charts(hb, t, rows, links, a.projections))
    out.append("\n## Theory { #theory }\n\n")
    out.append(md_block(t.theory.link, "hb-md hb-theory") or '<p class="hb-missing">No narrative yet.</p>\n')
    out.append("\n### From target to mission { #chain }\n")
    out.append(render_chain(hb, t))
    out.append("\n### Assumptions { #assumptions }\n\n")
    if t.theory.assumptions:
        # Prose from data: kept in the page (an hb-md block) for the search index.
        items = "".join(f"<li>{esc(' '.join(x.split()))}</li>" for x in t.theory.assumptions)
        out.append(f'\n<div class="hb-md hb-assumptions">\n<ul>{items}</ul>\n</div>\n')
    else:
        out.append("<p>None stated.</p>\n")
    out.append("\n## Guardrails { #guardrails }\n\n")
    out.append("<p>Counter-indicators that must not get worse while the target improves; when one does, beyond its "
               "tolerance, the data raises a distortion flag.</p>\n")
    out.append(render_guardrails(hb, t, rows, links))
    out.append("\n## Revision history { #revisions }\n\n")
    out.append(render_revisions(hb, t))
    if hb.edition != "public":  # the how-tos are for contributors: the public edition leaves them out
        out.append(f"\n<p>To change this target, see <a href=\"{esc(links.href(links.to('onboarding/propose-a-change.md')))}\">"
                   "how to propose a change</a>.</p>\n")
    return "".join(out)


CHARTED_TEAMS = 12  # above this many teams, a target's charts are on each team's page only


def render_progress_charts(hb: Handbook, t: Target, rows: list[TeamStatus], links: Links,
                           projections: dict | None = None) -> str:
    """Chart each team's figures against the trajectory, the target line and the deadline, and where each is heading
    at the pace it keeps (`projections`, keyed by target and team)."""
    out = ["\n## Progress { #progress }\n\n"]
    if len(rows) > CHARTED_TEAMS:
        out.append(f"<p>{plural(len(rows), 'team')} carry this target: each team's chart is on its own page (linked above).</p>\n")
        return "".join(out)
    ind = hb.indicators[t.indicator]
    charts = [build_target_chart(s, ind, hb.series_for(s.team, s.indicator), hb.frequency, t.title,
                                 chart_end(hb.latest_period, s), (projections or {}).get((s.target, s.team)))
              for s in rows]
    share_y_range([c.figure for c in charts])  # the teams' charts side by side compare on one scale
    figures = []
    for s, chart in zip(rows, charts, strict=True):
        name = " ".join(hb.teams[s.team].name.split())
        title = f'<a href="{esc(links.href(links.team(s.team)))}">{esc(name)}</a>'
        figures.append(render_chart(chart, title_html=title).strip())
    css = "hb-chart-grid" if len(figures) > 1 else "hb-chart-single"
    out.append(f'\n<div class="{css}">' + "".join(figures) + "</div>\n")
    return "".join(out)


def _html_table(headers: list[str], rows: list[list[str]], caption: str, numeric: set[int]) -> str:
    if not rows:
        return "<p>No team carries this target.</p>\n"
    return "\n" + html_table(headers, rows, caption=caption, numeric=numeric) + "\n"
