"""The briefing book: the handbook laid out for paper and PDF, for a council or a board.

In this order: a cover (organization, edition, the date of the data, the counts), the contents (page numbers are
filled in by `python -m macros.pdf` after a first print), a summary of every team and target, the mission and big
picture, the deficits, a page per target (its charts, notes, theory chain and guardrails), a page per team, and
the eleven practices with their checklist results. No contributor how-tos: they are on the site.

Everything here is finished HTML (the page holds it back from Markdown); every text from data is escaped or
rendered as sanitized Markdown. Section ids start with `bb-`; the contents link to them, and the PDF step finds
each section's page from those links.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..checks import CheckResult
from ..derive import Analysis, TeamStatus, derive_counts
from ..i18n import N_, _, fmt_int, ngettext, pgettext
from ..model import Status
from ..periods import format_period
from ..words import fmt_data_value
from .charts import attr_json, build_target_chart, share_y_range
from .common import STATUS_ORDER, fmt_value, status_badge
from .counts import num
from .deadlines import describe_deadline
from .deficits import render_status_summary
from .indicators import STAGE_LABEL
from .links import Links
from .practices import (
    PHASE_LABEL,
    checklist_totals,
    not_judged_count,
    not_judged_note,
    practice_counts,
    render_check_item,
    render_manual_item,
)
from .targets import CHARTED_TEAMS, render_chain, render_guardrails
from .teams import build_team_charts, render_team_glance
from .text import esc, md_block

BRIEFING_SRC = "briefing.md"
# Above this many teams the book holds the summary and the targets without charts, and no team pages: each unit
# gets its own book with its teams' charts (`make pdf UNIT=...`), so no file runs to thousands of pages.
TEAM_PAGES_LIMIT = 60
CONTENTS_LIMIT = 45  # entries that fit on one page of contents


def _one_line(text: str) -> str:
    return esc(" ".join(str(text).split()))


def _h(level: int, text_html: str, anchor: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f'<h{level} id="{anchor}"{cls}>{text_html}</h{level}>'


def _section(anchor: str, title: str, body: str, css: str = "") -> str:
    """A part of the book: it starts on a new sheet (`hb-bb-part`)."""
    return (f'<section class="hb-bb-part {css}" data-bb-section="{anchor}">' + _h(2, esc(_(title)), anchor)
            + body + "</section>")


PDF_FILE = "handbook.pdf"  # written into the built site by `python -m macros.pdf` (make pdf; CI publishes it)


def render_briefing_link(links: Links) -> str:
    """A paragraph pointing to the briefing book, on the site and as the PDF CI publishes beside it (HTML)."""
    page = links.href(links.to(BRIEFING_SRC))
    return ('\n<p class="hb-briefing-link">'
            + _('For a council or a board: the <a href="{page}">briefing book</a>, the summary of every team and target '
                "first, then a page per target and per team, with their charts; also {pdf} (printed with each published "
                "build).").format(
                page=esc(page),
                pdf=f'<a href="{esc(links.html.file(PDF_FILE))}" data-hb-pdf download>' + _("as a PDF") + "</a>")
            + "</p>\n")


# --- The summary -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    """One team on one target, as the summary prints it (plain text: escape on output)."""

    unit: str
    team: str
    target: str
    baseline: str  # a figure without its unit, "–" when there is none
    latest: str
    goal: str
    measure: str  # the indicator's unit, said once per row
    periods: str  # "2024-11 · 2026-10 · by 2026-12": when the three figures are from
    status: Status
    deadline: str
    flags: str
    stale: bool


SUMMARY_HEADERS = (N_("Team"), N_("Target"), N_("Baseline → latest → target"), N_("Status"), N_("Deadline"), N_("Flags"))


def summary_rows(a: Analysis, team_ids: set[str] | None = None) -> list[SummaryRow]:
    """Every team on every target it carries, in unit and team order: the one place to add a column."""
    hb = a.hb
    freq = hb.frequency
    fmt = lambda i: format_period(i, freq) if i is not None else "–"  # noqa: E731
    out = []
    for unit, members in hb.units().items():
        for team in members:
            if team_ids is not None and team.id not in team_ids:
                continue
            for s in a.by_team.get(team.id, []):
                ind = hb.indicators[s.indicator]
                t = hb.targets[s.target]
                base = fmt_value(ind, s.baseline_value, with_unit=False) if s.baseline_value is not None else "–"
                latest = fmt_value(ind, s.value, with_unit=False) if s.value is not None else _("no figure")
                goal = fmt_data_value(ind, s.target_value)
                if ind.unit and goal.endswith(ind.unit):  # said once, after the three figures
                    goal = goal[: -len(ind.unit)].rstrip()
                periods = _("{baseline} · {latest} · by {deadline}").format(
                    baseline=fmt(s.baseline_period), latest=fmt(s.period), deadline=fmt(s.target_period))
                flags = ", ".join(" ".join(hb.indicators[g].name.split()) for g in s.distortions if g in hb.indicators)
                out.append(SummaryRow(" ".join(unit.split()), " ".join(team.name.split()), " ".join(t.title.split()),
                                      base, latest, goal, " ".join(ind.unit.split()), periods, s.status,
                                      _verdict(s, freq), flags, s.status is Status.STALE))
    return out


def _verdict(s: TeamStatus, frequency: str) -> str:
    """The deadline in a few words: "ahead", or once passed "passed 2026-06: met" (the full sentence is on the
    target's page)."""
    if not s.deadline_passed:
        return _("ahead")
    if s.met_at_deadline is None:
        verdict = _("passed {period}: not known (no figure)")
    elif s.met_at_deadline:
        verdict = _("passed {period}: met; met since") if s.met_late else _("passed {period}: met")
    else:
        verdict = _("passed {period}: not met; met since") if s.met_late else _("passed {period}: not met")
    return verdict.format(period=format_period(s.target_period, frequency))


def _summary_table(rows: list[SummaryRow], caption: str) -> str:
    head = "".join(f'<th scope="col">{esc(_(h))}</th>' for h in SUMMARY_HEADERS)
    body = []
    unit = None
    for i, r in enumerate(rows):
        if r.unit != unit:
            unit = r.unit
            body.append(f'<tr class="hb-bb-summary__unit"><th colspan="{len(SUMMARY_HEADERS)}" scope="colgroup">'
                        f"{esc(unit)}</th></tr>")
        flags = f'<span class="hb-flag">⚠ {esc(r.flags)}</span>' if r.flags else ""
        team = ""
        if i == 0 or (rows[i - 1].unit, rows[i - 1].team) != (r.unit, r.team):
            span = 1
            while i + span < len(rows) and (rows[i + span].unit, rows[i + span].team) == (r.unit, r.team):
                span += 1
            team = f'<th scope="rowgroup" rowspan="{span}">{esc(r.team)}</th>'
        figures = (f'<span class="hb-bb-figures">{esc(r.baseline)} → {esc(r.latest)} → <strong>{esc(r.goal)}</strong>'
                   f" {esc(r.measure)}</span>" f'<span class="hb-bb-periods">{esc(r.periods)}</span>')
        body.append(f'<tr>{team}<td>{esc(r.target)}</td><td>{figures}</td><td>{status_badge(r.status)}</td>'
                    f"<td>{esc(r.deadline)}</td><td>{flags}</td></tr>")
    return (f'<table class="hb-table hb-bb-summary"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def render_summary(a: Analysis, team_ids: set[str] | None = None) -> str:
    """The summary: current statuses first, then the stale ones apart (their figures are too old to judge)."""
    hb = a.hb
    rows = summary_rows(a, team_ids)
    current = [r for r in rows if not r.stale]
    stale = [r for r in rows if r.stale]
    latest = format_period(hb.latest_period, hb.frequency) if hb.latest_period is not None else _("none yet")
    out = ['<p class="hb-bb-lead">'
           + _("Each team on each target it carries: baseline, latest figure and target, with its status, the verdict "
               "once the deadline has passed, and distortion flags (a guardrail that worsened beyond its tolerance). "
               "The latest reported period is {period}.").format(period=esc(latest)) + "</p>"]
    if not rows:
        out.append("<p>" + _("No team carries a target yet.") + "</p>")
    if current:
        out.append(_summary_table(current, _("Current statuses")))
    if stale:
        out.append('<h3 id="bb-summary-stale">' + _("Stale: figures too old to judge") + "</h3>")
        out.append(_summary_table(stale, _("Stale statuses")))
    return "".join(out)


# --- Parts -----------------------------------------------------------------------------------------------------


def _counts(a: Analysis, team_ids: set[str] | None = None) -> str:
    statuses = [s for s in a.statuses if team_ids is None or s.team in team_ids]
    counts = derive_counts(statuses)
    parts = [f"{num(counts[s])} {esc(_status_word(s))}" for s in STATUS_ORDER if counts[s]]
    return " · ".join(parts) if parts else _("no status yet")


def _status_word(status: Status) -> str:
    """A status as a word inside a sentence or a count: "3 on track" ("3 en bonne voie")."""
    return {
        Status.MET: pgettext("status", "met"),
        Status.ON_TRACK: pgettext("status", "on track"),
        Status.AT_RISK: pgettext("status", "at risk"),
        Status.OFF_TRACK: pgettext("status", "off track"),
        Status.STALE: pgettext("status", "stale"),
        Status.NO_DATA: pgettext("status", "no data"),
    }[status]


def render_cover(a: Analysis, edition: str, changed: str = "", unit: str | None = None) -> str:
    """The cover: organization, edition, the date of the data and the at-a-glance counts."""
    hb = a.hb
    name = _one_line(hb.organization.name)
    latest = format_period(hb.latest_period, hb.frequency) if hb.latest_period is not None else None
    team_ids = {t.id for t in hb.units().get(unit, [])} if unit is not None else None
    teams = len(team_ids) if team_ids is not None else len(hb.teams)
    flags = sum(1 for s in a.statuses if s.distortions and (team_ids is None or s.team in team_ids))
    # Plain text, escaped once where it is written.
    what = _("Briefing book: {unit}").format(unit=" ".join(unit.split())) if unit is not None else _("Briefing book")
    rows = [
        (_("Edition"), _("public") if edition == "public" else _("intranet (internal)")),
        (_("Figures up to"), latest or _("no figures reported yet")),
    ]
    if changed:
        rows.append((_("Data last changed"), changed))
    units = len(hb.units())
    rows += [
        (_("Teams"), ngettext("{n} in {units} unit", "{n} in {units} units", units).format(n=num(teams), units=num(units))
         if unit is None else num(teams)),
        (_("Targets"), num(len(hb.targets))),
        (_("Deficits"), num(len(hb.deficits))),
        (_("Indicators"), num(len(hb.indicators))),
    ]
    facts = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in rows)
    facts += '<tr><th scope="row">' + _("Statuses") + f"</th><td>{_counts(a, team_ids)}</td></tr>"
    facts += '<tr><th scope="row">' + _("Distortion flags") + f"</th><td>{num(flags)}</td></tr>"
    return (f'<section class="hb-bb-cover" data-bb-section="bb-cover">'
            f'<p class="hb-bb-cover__org">{name}</p>'
            # Not a heading: the page's title is its heading (the theme's h1, hidden in print).
            f'<p id="bb-cover" class="hb-bb-cover__title">{esc(what)}</p>'
            '<p class="hb-bb-cover__sub">' + _("The performance handbook on paper: where every team stands on every "
                                                 "target, and why the targets matter.") + "</p>"
            f'<table class="hb-bb-cover__facts"><tbody>{facts}</tbody></table>'
            '<p class="hb-bb-cover__mission"><strong>' + _("Our mission.") + f"</strong> {_one_line(hb.organization.mission)}</p>"
            "</section>")


def render_contents(entries: list[tuple[int, str, str]]) -> str:
    """The contents: (level, anchor, title) entries; `python -m macros.pdf` fills in each one's page."""
    items = "".join(
        f'<li class="hb-bb-toc__item hb-bb-toc__item--{level}"><a href="#{anchor}"><span class="hb-bb-toc__title">'
        f'{esc(title)}</span><span class="hb-bb-toc__page" data-bb-page="{anchor}"></span></a></li>'
        for level, anchor, title in entries)
    return ('<section class="hb-bb-part hb-bb-contents" data-bb-section="bb-contents">' + _h(2, _("Contents"), "bb-contents")
            + f'<ol class="hb-bb-toc">{items}</ol></section>')


def render_mission(a: Analysis) -> str:
    org = a.hb.organization
    body = ('<p class="hb-mission"><span class="hb-mission__label">' + _("Our mission") + f"</span> {_one_line(org.mission)}</p>"
            + (md_block(org.big_picture, "hb-md hb-big-picture") if org.big_picture else ""))
    return _section("bb-mission", N_("The mission and the big picture"), body)


def render_deficits(a: Analysis) -> str:
    """The key failures, by stage: what each is, its evidence indicator and the targets that close it."""
    hb = a.hb
    out = ['<p class="hb-bb-lead">' + _("The specific failures that keep us from the mission, each shown by a figure.") + "</p>"]
    if not hb.deficits:
        out.append("<p>" + _("No deficit has been identified yet.") + "</p>")
    for stage, label in STAGE_LABEL.items():
        ds = [d for d in hb.deficits.values() if d.stage is stage]
        if not ds:
            continue
        out.append(f'<h3 id="bb-stage-{stage.value}">{esc(_(label))}</h3>')
        for d in ds:
            ind = hb.indicators.get(d.indicator)
            closing = [t for t in hb.targets.values() if t.deficit == d.id]
            out.append(f'<div class="hb-bb-deficit"><h4 id="bb-deficit-{d.id}">{_one_line(d.title)}</h4>'
                       + md_block(d.description, "hb-md")
                       + '<p class="hb-bb-facts">'
                       + _("Evidence: {indicator} · Closed by: {targets}").format(
                           indicator=_one_line(ind.name) if ind else esc(d.indicator),
                           targets=", ".join(_one_line(t.title) for t in closing) or _("no target yet"))
                       + "</p></div>")
    return _section("bb-deficits", N_("The key failures we are closing"), "".join(out))


def render_notes(a: Analysis, pairs: list[tuple[str, str]], with_team: bool = False, with_indicator: bool = False) -> str:
    """Every figure's note for the (team, indicator) pairs, in period order, as text (a chart shows only a marker)."""
    hb = a.hb
    items = []
    for team, ind_id in pairs:
        series = hb.series_for(team, ind_id)
        if series is None or not any(series.notes):
            continue
        ind = hb.indicators[ind_id]
        for p, v, note in zip(series.periods, series.values, series.notes, strict=True):
            if not note.strip():
                continue
            who = []
            if with_team and team in hb.teams:
                who.append(_one_line(hb.teams[team].name))
            if with_indicator:
                who.append(_one_line(ind.name))
            head = ", ".join(who + [esc(format_period(p, hb.frequency))])
            items.append(f"<li><strong>{head}</strong> ({esc(fmt_value(ind, v))}): {_one_line(note)}</li>")
    if not items:
        return ""
    return '<h4 class="hb-bb-notes__title">' + _("Notes on the figures") + f'</h4><ul class="hb-bb-notes">{"".join(items)}</ul>'


def _chart(chart, title_html: str = "") -> str:
    """A chart for paper: the drawing and its one-line summary; the data table stays on the site (the notes are
    in the book's text)."""
    summary = chart.summary.replace(_(" (below the chart)."), _(" (see the notes)."))
    # On screen the figures stay reachable without the drawing: charts.js fills the table from the figure.
    data = (f'<details class="hb-chart__data" data-columns=\'{_attr_json(list(chart.headers))}\'>'
            "<summary>" + ngettext("Data ({n} row)", "Data ({n} rows)", len(chart.rows)).format(n=fmt_int(len(chart.rows)))
            + "</summary></details>") if chart.rows else ""
    return ('<figure class="hb-figure hb-bb-figure">'
            + (f'<p class="hb-figure__title">{title_html}</p>' if title_html else "")
            + f'<div class="hb-chart" role="img" aria-label="{esc(summary)}" '
            f"data-figure='{_attr_json(chart.figure)}'></div>"
            f'<figcaption class="hb-chart__summary">{esc(summary)}</figcaption>{data}</figure>')


def _attr_json(figure: dict) -> str:
    return attr_json(figure)


def render_target(a: Analysis, target_id: str, links: Links, team_ids: set[str] | None = None,
                  charts: bool = True) -> str:
    """A target's page: its facts, each team's chart (actual, trajectory, target line, deadline), the notes on
    its figures, its theory and chain to the mission, and its guardrails."""
    hb = a.hb
    t = hb.targets[target_id]
    ind = hb.indicators[t.indicator]
    rows = [s for s in a.by_target.get(t.id, []) if team_ids is None or s.team in team_ids]
    d = hb.deficits.get(t.deficit)
    better = _("{indicator} (lower is better)") if ind.better.value == "lower" else _("{indicator} (higher is better)")
    facts = [
        (_("Indicator"), better.format(indicator=_one_line(ind.name))),
        (_("Baseline"), _("{value} in {period}").format(value=esc(fmt_value(ind, t.baseline.value)),
                                                     period=esc(t.baseline.period))),
        (_("Target"), _("<strong>{value}</strong> by {period}").format(value=esc(fmt_data_value(ind, t.target.value)),
                                                                      period=esc(t.target.period))),
        (_("Owner"), _one_line(t.owner)),
        (_("Closes"), _one_line(d.title) if d else esc(t.deficit)),
        (_("Status"), render_status_summary(a, t.id)),
    ]
    # Two facts a row: a target's page keeps its chart, theory and guardrails on one sheet.
    pairs = [facts[i:i + 2] for i in range(0, len(facts), 2)]
    out = ['<table class="hb-bb-kv"><tbody>' + "".join(
        "<tr>" + "".join(f'<th scope="row">{esc(k)}</th><td>{v}</td>' for k, v in pair) + "</tr>" for pair in pairs)
        + "</tbody></table>"]
    if not rows:
        out.append('<p class="hb-muted">' + _("No team carries this target.") + "</p>")
    elif not charts:
        out.append("<p>" + ngettext("{n} team carry this target: each team's chart is in its unit's briefing book.",
                                    "{n} teams carry this target: each team's chart is in its unit's briefing book.",
                                    len(rows)).format(n=num(len(rows))) + "</p>")
    elif len(rows) > CHARTED_TEAMS:
        out.append("<p>" + _("{n} teams carry this target: each team's chart is on its team page.").format(n=num(len(rows)))
                   + "</p>")
    else:
        charts = [build_target_chart(s, ind, hb.series_for(s.team, s.indicator), hb.frequency, t.title, hb.latest_period)
                  for s in rows]
        share_y_range([c.figure for c in charts])
        grid = " hb-bb-charts--grid" if len(charts) > 2 else ""
        out.append(f'<div class="hb-bb-charts{grid}">' + "".join(
            _chart(c, _one_line(hb.teams[s.team].name)) for s, c in zip(rows, charts, strict=True)) + "</div>")
    out.append(render_notes(a, [(s.team, s.indicator) for s in rows], with_team=True))
    out.append("<h4>" + _("Theory") + "</h4>" + (md_block(t.theory.link, "hb-md hb-theory")
                                                  or '<p class="hb-missing">' + _("No narrative yet.") + "</p>"))
    out.append(render_chain(hb, t))
    if t.theory.assumptions:
        out.append("<h4>" + _("Assumptions") + "</h4><ul>" + "".join(f"<li>{_one_line(x)}</li>" for x in t.theory.assumptions) + "</ul>")
    out.append("<h4>" + _("Guardrails") + "</h4>" + render_guardrails(hb, t, rows, links))
    return (f'<section class="hb-bb-page hb-bb-target" data-bb-section="bb-target-{t.id}">'
            + _h(3, _one_line(t.title), f"bb-target-{t.id}") + "".join(out) + "</section>")


def _team_target(a: Analysis, s: TeamStatus, charts: dict) -> str:
    hb = a.hb
    t = hb.targets[s.target]
    ind = hb.indicators[s.indicator]
    fmt = lambda i: format_period(i, hb.frequency) if i is not None else "–"  # noqa: E731
    latest = (_("{value} in {period}").format(value=fmt_value(ind, s.value), period=fmt(s.period))
              if s.value is not None else _("no figure yet"))
    baseline = (_("{value} in {period}").format(value=fmt_value(ind, s.baseline_value), period=fmt(s.baseline_period))
                if s.baseline_value is not None else "–")
    line = f"{status_badge(s.status)} · " + _("latest {figure} · baseline {baseline} · target {value} by {period}").format(
        figure=esc(latest), baseline=esc(baseline), value=esc(fmt_data_value(ind, s.target_value)),
        period=esc(fmt(s.target_period)))
    deadline = describe_deadline(s, ind, hb.frequency, hb.organization.stale_after)
    if deadline:
        line += f" · {esc(deadline)}"
    out = [f'<h4 id="bb-team-{s.team}-{t.id}">{_one_line(t.title)}</h4><p class="hb-bb-facts">{line}</p>',
           _chart(charts[("target", s.target)])]
    for g in s.guardrails:
        chart = charts.get(("guardrail", s.target, g.indicator))
        if chart is None:
            continue
        title = _("Guardrail: {indicator}").format(indicator=_one_line(hb.indicators[g.indicator].name))
        if g.flagged:
            title += ' <span class="hb-flag">⚠ ' + _("distortion flag") + "</span>"
        out.append(_chart(chart, title))
    return "".join(out)


def render_team(a: Analysis, team_id: str, links: Links) -> str:
    """A team's pages: its header, every chart full width, then the notes on its figures."""
    hb = a.hb
    team = hb.teams[team_id]
    statuses = a.by_team.get(team_id, [])
    charted = {s.indicator for s in statuses} | {g.indicator for s in statuses for g in s.guardrails}
    reported = [i for i in hb.indicators if hb.series_for(team_id, i) is not None]
    others = [i for i in reported if i not in charted]
    charts = build_team_charts(team, statuses, others, a)
    out = ['<p class="hb-bb-facts">'
           + (_("Unit: {unit} · Lead: {lead}") if team.lead else _("Unit: {unit}")).format(
               unit=_one_line(team.unit), lead=_one_line(team.lead)) + "</p>",
           render_team_glance(team, a, links), md_block(team.description)]
    if not statuses:
        out.append("<p>" + _("This team carries no target yet.") + "</p>")
    out += [_team_target(a, s, charts) for s in statuses]
    other_charts = [(i, charts[("other", i)]) for i in others if ("other", i) in charts]
    if other_charts:
        out.append("<h4>" + _("Other indicators") + "</h4>" + "".join(_chart(c, _one_line(hb.indicators[i].name)) for i, c in other_charts))
    out.append(render_notes(a, [(team_id, i) for i in reported], with_indicator=True))
    return (f'<section class="hb-bb-page hb-bb-team" data-bb-section="bb-team-{team_id}">'
            + _h(3, _one_line(team.name), f"bb-team-{team_id}") + "".join(out) + "</section>")


def render_practices(a: Analysis, checks: dict[str, CheckResult], links: Links) -> str:
    """The eleven practices, each with its summary and its checklist results."""
    hb = a.hb
    passed, total, not_judged = checklist_totals(hb.practices, checks)
    unjudged = esc(not_judged_note(not_judged))
    out = ["<p>" + _("<strong>{passed} of {total}</strong> automated checklist items pass. Items marked ☐ are for "
                     "people to tick.").format(passed=num(passed), total=num(total) + unjudged) + "</p>"]
    for p in hb.practices:
        ok, n, _items = practice_counts(p, checks)
        items = [render_check_item(i.id, i.text, i.check, checks.get(i.check), hb, links) for i in p.checklist if i.check]
        items += [render_manual_item(i.id, i.text) for i in p.checklist if not i.check]
        out.append(f'<div class="hb-bb-practice"><h3 id="bb-practice-{p.number}">{p.number}. {_one_line(p.title)}</h3>'
                   f'<p class="hb-practice-meta">{esc(_(PHASE_LABEL[p.phase]) if p.phase in PHASE_LABEL else p.phase)} · '
                   + _("{passed} of {n} automated checks pass").format(passed=num(ok), n=num(n))
                   + esc(not_judged_note(not_judged_count(p, checks))) + "</p>" + md_block(p.summary, "hb-md hb-practice-summary")
                   + (f'<ul class="hb-checklist hb-checklist--print">{"".join(items)}</ul>' if items else "") + "</div>")
    return _section("bb-practices", N_("The eleven practices"), "".join(out))


# --- The book --------------------------------------------------------------------------------------------------


def render_briefing(a: Analysis, checks: dict[str, CheckResult], links: Links, edition: str = "intranet",
                    changed: str = "", unit: str | None = None, team_limit: int = TEAM_PAGES_LIMIT) -> str:
    """The whole book, or with `unit` one unit's book (its summary, the targets it carries, its teams)."""
    hb = a.hb
    if unit is not None:
        members = hb.units().get(unit, [])
        team_ids: set[str] | None = {t.id for t in members}
    else:
        members = [t for ms in hb.units().values() for t in ms]
        team_ids = None
    with_teams = unit is not None or len(hb.teams) <= team_limit
    carried = ({s.target for s in a.statuses if s.team in team_ids} if team_ids is not None else set(hb.targets))
    targets = [t for t in hb.targets if t in carried]
    entries: list[tuple[int, str, str]] = [(1, "bb-summary", _("Summary: every team and target"))]
    if unit is None:
        entries += [(1, "bb-mission", _("The mission and the big picture")),
                    (1, "bb-deficits", _("The key failures we are closing"))]
    entries.append((1, "bb-targets", _("The targets")))
    entries += [(2, f"bb-target-{t}", hb.targets[t].title) for t in targets]
    if with_teams:
        entries.append((1, "bb-teams", _("The teams")))
        entries += [(2, f"bb-team-{t.id}", t.name) for t in members]
    if unit is None:
        entries.append((1, "bb-practices", _("The eleven practices")))
    if len(entries) > CONTENTS_LIMIT:  # a long book lists its parts alone: the summary stays on page 3
        entries = [e for e in entries if e[0] == 1]
    parts = [render_cover(a, edition, changed, unit), render_contents(entries),
             _section("bb-summary", N_("Summary: every team and target"), render_summary(a, team_ids), "hb-bb-summary-part")]
    if unit is None:
        parts += [render_mission(a), render_deficits(a)]
    parts.append(_section("bb-targets", N_("The targets"),
                          '<p class="hb-bb-lead">'
                          + _("A page per target: each team's figures against the straight line from its baseline to the "
                              "target (the trajectory), the target line and the deadline; the notes on the figures; the "
                              "theory that links the target to the mission; and its guardrails.") + "</p>"
                          + ("".join(render_target(a, t, links, team_ids, charts=with_teams) for t in targets)
                             or "<p>" + _("No target has been set yet.") + "</p>")))
    if with_teams:
        parts.append(_section("bb-teams", N_("The teams"),
                              '<p class="hb-bb-lead">'
                              + _("A page per team: how it is doing, each target's chart and its guardrails, its other "
                                  "indicators, and the notes on its figures.") + "</p>"
                              + "".join(render_team(a, t.id, links) for t in members)))
    else:
        parts.append(_section("bb-teams", N_("The teams"),
                              "<p>" + _("{n} teams: each unit's teams are in that unit's own briefing book "
                                        "(<code>make pdf UNIT=…</code>), which keeps this one to the summary and the "
                                        "targets.").format(n=num(len(hb.teams))) + "</p>"))
    if unit is None:
        parts.append(render_practices(a, checks, links))
    org = _one_line(hb.organization.name)
    return (f'<div class="hb-bb" data-bb-org="{org}" data-bb-edition="{esc(edition)}">' + "".join(parts) + "</div>")
