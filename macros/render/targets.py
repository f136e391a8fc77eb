"""Targets and theories: the index, and one page per target with its status per team, theory and ratchet."""

from __future__ import annotations

from ..calendar import due_by
from ..derive import Analysis, TeamStatus
from ..fairness import (
    derive_baseline_mismatches,
    derive_no_improvement_asked,
    describe_mismatch,
    describe_no_improvement,
)
from ..i18n import _, fmt_int, ngettext
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
        return _("each team's own figure for {period}").format(period=point.period)
    return _("{value} in {period}").format(value=fmt_data_value(ind, point.value), period=point.period)


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
        return "\n" + _("No targets yet. A target is added to `data/targets.yml` by pull request.") + "\n"
    rows: list[str] = []
    past_rows: list[str] = []
    past = {s.target for s in a.past}
    for t in hb.targets.values():
        ind = hb.indicators[t.indicator]
        d = hb.deficits.get(t.deficit)
        closes = _link(links, links.deficit(d.id), d.title) if d else esc(t.deficit)
        base = esc(fmt_data_value(ind, t.baseline.value)) if t.baseline.value is not None else _("each team's own figure")
        goal = _("{value} by {period}").format(value=f"<strong>{esc(fmt_data_value(ind, t.target.value))}</strong>",
                                               period=esc(t.target.period))
        if t.target.index <= hb.expected_period(t.indicator):
            goal = _("{goal} (passed)").format(goal=goal)
        (past_rows if t.id in past else rows).append(
            f'<tr><td><strong>{_link(links, links.target(t.id), t.title)}</strong>'
            '<span class="hb-targets__meta">' + _("Closes {deficit} · measured by {indicator}").format(
                deficit=closes, indicator=_link(links, links.indicator(ind.id), ind.name)) + "</span></td>"
            f"<td>{goal}"
            '<span class="hb-targets__meta">' + _("from {baseline} in {period}").format(
                baseline=base, period=esc(t.baseline.period)) + "</span></td>"
            f"<td>{esc(' '.join(t.owner.split()))}</td><td>{render_status_summary(a, t.id)}</td></tr>"
        )
    def table(caption: str, body: list[str]) -> str:
        head = "".join(f'<th scope="col">{x}</th>' for x in (_("Target"), _("Goal"), _("Owner"), _("Teams' status")))
        return raw_html(f'<table class="hb-table hb-targets"><caption>{caption}</caption><thead><tr>'
                        f"{head}</tr></thead><tbody>" + "".join(body) + "</tbody></table>")

    out = ("\n" + _("Each target closes a deficit by a deadline, and states its theory: why meeting it advances the "
                    "mission. Statuses are each team's, at its latest reported period ([how a status is computed]"
                    "({status_page})).").format(status_page=links.to("onboarding/status.md")) + "\n\n")
    if rows:
        out += table(_("Every target, with its teams' statuses") if not past_rows else
                     _("Every live target, with its teams' statuses"), rows) + "\n"
    if past_rows:
        out += ("\n## " + _("Past targets: {n}").format(n=fmt_int(len(past_rows))) + " { #past-targets }\n\n"
                + _("Counted apart from the live targets, on the home page and the scoreboard too: each deadline "
                    "passed more than a year before the latest period whose figures are due, or a later target of "
                    "the same indicator and teams replaced it.") + "\n\n"
                + table(_("Past targets, with their teams' statuses at their latest figures"), past_rows) + "\n")
    return out


def render_chain(hb: Handbook, t: Target) -> str:
    """Draw the theory's chain from the target to the mission as an ordered list with arrows (HTML, no script)."""
    steps = [("target", _("Target"), t.title)] + [("step", _("Step {n}").format(n=i), s)
                                                 for i, s in enumerate(t.theory.chain, 1)]
    steps.append(("mission", _("Mission"), " ".join(hb.organization.mission.split())))
    items = "".join(
        f'<li class="hb-chain__step hb-chain__step--{kind}"><span class="hb-chain__label">{esc(label)}</span> '
        f'<span class="hb-chain__text">{esc(text)}</span></li>'
        for kind, label, text in steps
    )
    label = esc(_("From this target to the mission, step by step"))
    return f'\n<ol class="hb-chain" aria-label="{label}">{items}</ol>\n'


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
            expected += ' <span class="hb-muted">' + esc(_("(for {period})").format(period=period)) + "</span>"
        cells = [
            name, status_badge(s.status), esc(period), esc(fmt_value(ind, s.value)), expected,
            esc(base), f'<span class="hb-flag">⚑ {esc(flags)}</span>' if flags else esc(_("none")),
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
        return ('\n<p class="hb-missing">' + _("No guardrail of this target is published in this edition. See "
                                               "{practice}.").format(practice=_practice_link(links, 9)) + "</p>\n")
    if not t.guardrails:
        return ('\n<p class="hb-missing">' + _("This target has no guardrail: nothing watches for a figure that "
                                               "improves for the wrong reason. See {practice}.").format(
            practice=_practice_link(links, 9)) + "</p>\n")
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
                text = _("not measured yet (no figures over the target's periods)")
            else:
                size = fmt_difference(gi, res.worsened_by, res.start_value, res.end_value)
                words = {"start": fmt_value(gi, res.start_value), "end": fmt_value(gi, res.end_value),
                         "first": format_period(res.start_period, hb.frequency),  # type: ignore[arg-type]
                         "last": format_period(res.end_period, hb.frequency), "size": size}  # type: ignore[arg-type]
                if is_no_change(gi, res.worsened_by, res.start_value, res.end_value):
                    moved = _("unchanged ({start} to {end}, {first} to {last})")
                elif res.worsened_by > 0:
                    moved = _("worsened by {size} ({start} to {end}, {first} to {last})")
                else:
                    moved = _("improved by {size} ({start} to {end}, {first} to {last})")
                text = esc(moved.format(**words))
                if res.flagged:
                    text = _("{flag} the target's indicator improved while this guardrail {moved}, beyond its "
                             "tolerance. Review it in the learning log.").format(
                        flag="<strong>" + esc(_("Distortion flag:")) + "</strong>", moved=text)
            teams.append(f"<li>{_link(links, links.team(s.team), team)}: {text}</li>")
        message = (_("{indicator} must not get worse by more than {tolerance} from the baseline (lower is better).")
                   if gi.better.value == "lower" else
                   _("{indicator} must not get worse by more than {tolerance} from the baseline (higher is better)."))
        items.append(
            "<li><p>" + message.format(indicator=_link(links, links.indicator(gi.id), gi.name),
                                       tolerance=f"<strong>{esc(fmt_threshold(gi, g.tolerance))}</strong>") + "</p>"
            + (f"<ul>{''.join(teams)}</ul>" if teams else "") + "</li>"
        )
    return f'\n<div class="hb-search">\n<ul>{"".join(items)}</ul>\n</div>\n' if items else ""


def _practice_link(links: Links, number: int) -> str:
    text = esc(_("practice {n}").format(n=number))
    return f'<a href="{esc(links.href(links.practice(number)))}">{text}</a>'


def render_revisions(hb: Handbook, t: Target) -> str:
    """Render the ratchet: each revision, from what it was to what it became, and why."""
    ind = hb.indicators[t.indicator]
    pairs = derive_ratchet(t)
    if not pairs:
        return "\n<p>" + esc(_("No revision yet: the target is still {point} as first set.").format(
            point=fmt_point(ind, t.target))) + "</p>\n"
    rows = "".join(
        f'<tr><td>{esc(r.date.isoformat())}</td><td>{esc(fmt_point(ind, r.was))}</td><td>{esc(fmt_point(ind, new))}</td>'
        f'<td class="hb-revision-kind">{esc(describe_ratchet_step(ind, r.was, new))}</td>'
        f"<td>{md_inline(r.reason)}</td></tr>"
        for r, new in reversed(pairs)
    )
    head = "".join(f'<th scope="col">{esc(x)}</th>'
                   for x in (_("Date"), _("Was"), _("Became"), _("What it did"), _("Reason")))
    caption = esc(_("Revisions, newest first"))
    return (f'\n<table class="hb-table hb-revisions"><caption>{caption}</caption><thead><tr>'
            f"{head}</tr></thead><tbody>{rows}</tbody></table>\n")


def _baseline_mismatches(hb: Handbook, t: Target) -> str:
    """Say, per team, a stated baseline that differs from the figure recorded for its period, and a baseline already
    at or better than the target (HTML, escaped)."""
    def name(team: str) -> str:
        return esc(" ".join(hb.teams[team].name.split()) if team in hb.teams else team)

    return "".join(f'<br><span class="hb-baseline-mismatch" data-team="{esc(m.team)}">{name(m.team)}: '
                   f"{esc(describe_mismatch(hb, m))}</span>" for m in derive_baseline_mismatches(hb, t.id)) + "".join(
        f'<br><span class="hb-baseline-mismatch hb-no-improvement" data-team="{esc(n.team)}">'
        + (f"{name(n.team)}: " if n.team else "") + f"{esc(describe_no_improvement(hb, n))}</span>"
        for n in derive_no_improvement_asked(hb, t.id))


def render_target_page(a: Analysis, t: Target, links: Links) -> str:
    """Render one target's page: headings and finished HTML, with the prose from data in `hb-md` blocks.

    Made once per target, so it is HTML already (as a team page is): only its title and prose go through Markdown.
    """
    hb = a.hb
    ind = hb.indicators[t.indicator]
    d = hb.deficits.get(t.deficit)
    rows = a.by_target.get(t.id, [])
    out = [f"# {inline(t.title)}\n\n"]
    better = _("lower is better") if ind.better.value == "lower" else _("higher is better")
    deadline = esc(t.target.period)
    if any(s.deadline_passed for s in rows):
        deadline = _("{deadline} (passed: its figures were due by {date})").format(
            deadline=deadline, date=due_by(hb, t.target.index, t.indicator).isoformat())
    if any(s.past for s in rows):
        deadline = _("{goal} · a past target, counted apart").format(goal=deadline)
    facts = [
        (_("Closes the deficit"), _link(links, links.deficit(d.id), d.title) if d else esc(t.deficit)),
        (_("Indicator"), f"{_link(links, links.indicator(ind.id), ind.name)} ({esc(better)})"),
        (_("Baseline"), esc(fmt_point(ind, t.baseline)) + _baseline_mismatches(hb, t)),
        (_("Target"), f"<strong>{esc(fmt_data_value(ind, t.target.value))}</strong>"),
        (_("Deadline"), deadline),
        (_("Owner"), esc(" ".join(t.owner.split()))),
        (_("Teams"), ", ".join(_link(links, links.team(x), hb.teams[x].name) for x in t.teams if x in hb.teams)),
        (_("Status"), render_status_summary(a, t.id)),
    ]
    # Row headers name each fact; a "Fact / Value" header row would say nothing.
    # In an hb-search block: kept in the page for the search index (owner, teams, deficit), as prose from data is.
    out.append('\n<div class="hb-search">\n<table class="hb-target-facts"><tbody>'
               + "".join(f'<tr><th scope="row">{esc(k)}</th><td>{v}</td></tr>' for k, v in facts)
               + "</tbody></table>\n</div>\n")
    out.append("\n## " + _("Status by team") + " { #status }\n\n")
    out.append("<p>" + _("Each team's latest figure against the straight line from its baseline to the target "
                         "({how}).").format(how=f"<a href=\"{esc(links.href(links.to('onboarding/status.md')))}\">"
                                                + _("how a status is computed") + "</a>") + "</p>\n")
    headers = [_("Team"), _("Status"), _("Latest period"), _("Latest value"), _("Expected on the trajectory"),
               _("Baseline"), _("Distortion flags")]
    if any(s.deadline_passed for s in rows):
        headers.append(_("At the deadline"))
    table = _status_rows(hb, t, rows, links)
    paces = [a.projections.get((s.target, s.team)) for s in rows]
    if any(p is not None and p.kind is not None for p in paces):  # where each team is heading (render/pace.py)
        headers.append(_("At this pace"))
        table = [[*cells, pace_html(p, pace_short(p, hb.frequency)) or "–"] for cells, p in zip(table, paces, strict=True)]
    out.append(_html_table(headers, table, _("{target}: status by team").format(target=t.title), numeric={3, 4}))
    out.append(render_progress_charts(hb, t, rows, links, a.projections))
    out.append("\n## " + _("Theory") + " { #theory }\n\n")
    out.append(md_block(t.theory.link, "hb-md hb-theory")
               or '<p class="hb-missing">' + esc(_("No narrative yet.")) + "</p>\n")
    out.append("\n### " + _("From target to mission") + " { #chain }\n")
    out.append(render_chain(hb, t))
    out.append("\n### " + _("Assumptions") + " { #assumptions }\n\n")
    if t.theory.assumptions:
        # Prose from data: kept in the page (an hb-md block) for the search index.
        items = "".join(f"<li>{esc(' '.join(x.split()))}</li>" for x in t.theory.assumptions)
        out.append(f'\n<div class="hb-md hb-assumptions">\n<ul>{items}</ul>\n</div>\n')
    else:
        out.append("<p>" + esc(_("None stated.")) + "</p>\n")
    out.append("\n## " + _("Guardrails") + " { #guardrails }\n\n")
    out.append("<p>" + esc(_("Counter-indicators that must not get worse while the target improves; when one does, "
                             "beyond its tolerance, the data raises a distortion flag.")) + "</p>\n")
    out.append(render_guardrails(hb, t, rows, links))
    out.append("\n## " + _("Revision history") + " { #revisions }\n\n")
    out.append(render_revisions(hb, t))
    if hb.edition != "public":  # the how-tos are for contributors: the public edition leaves them out
        propose = f"<a href=\"{esc(links.href(links.to('onboarding/propose-a-change.md')))}\">"
        out.append("\n<p>" + _("To change this target, see {link}.").format(
            link=propose + _("how to propose a change") + "</a>") + "</p>\n")
    return "".join(out)


CHARTED_TEAMS = 12  # above this many teams, a target's charts are on each team's page only


def render_progress_charts(hb: Handbook, t: Target, rows: list[TeamStatus], links: Links,
                           projections: dict | None = None) -> str:
    """Chart each team's figures against the trajectory, the target line and the deadline, and where each is heading
    at the pace it keeps (`projections`, keyed by target and team)."""
    out = ["\n## " + _("Progress") + " { #progress }\n\n"]
    if len(rows) > CHARTED_TEAMS:
        out.append("<p>" + ngettext("{n} team carry this target: each team's chart is on its own page (linked above).",
                                    "{n} teams carry this target: each team's chart is on its own page (linked above).",
                                    len(rows)).format(n=fmt_int(len(rows))) + "</p>\n")
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
        return "<p>" + esc(_("No team carries this target.")) + "</p>\n"
    return "\n" + html_table(headers, rows, caption=caption, numeric=numeric) + "\n"
