"""The printed handbook: a cover, the mission, the eleven practices with their checklist results, the deficits, the
targets with their theory chains, one page of every team's statuses, then the onboarding path for new managers."""

from __future__ import annotations

import re

from ..checks import CheckResult
from ..derive import Analysis
from ..i18n import _, ngettext
from ..periods import format_period
from .common import fmt_value, status_badge
from .counts import num
from .deadlines import no_figure
from .deficits import render_deficits_page, render_status_summary
from .links import Links
from .onboarding import (
    render_change_example,
    render_change_procedure,
    render_figures_procedure,
    render_glossary,
    render_projection_rules,
    render_reading_path,
    render_status_rules,
)
from .pace import pace_html, pace_short
from .practices import (
    PHASE_LABEL,
    checklist_totals,
    not_judged_count,
    not_judged_note,
    practice_counts,
    render_check_item,
    render_manual_item,
)
from .targets import render_chain
from .text import esc, inline, md_block, one_line

_HEADING = re.compile(r"^(#{1,5}) ", re.M)


def shift_headings(markdown: str, by: int = 1) -> str:
    """Move every Markdown heading of a page's body down `by` levels (## becomes ###), to nest it in this one."""
    return _HEADING.sub(lambda m: "#" * (len(m.group(1)) + by) + " ", markdown)


def _section(title: str, anchor: str) -> str:
    # `hb-page`: print starts each part of the handbook on a new sheet.
    return f"\n## {title} {{ #{anchor} .hb-page }}\n\n"


def render_cover(a: Analysis, changed: str = "") -> str:
    """The cover: the organization, what this is, and the date of its data."""
    hb = a.hb
    org = hb.organization
    latest = format_period(hb.latest_period, hb.frequency) if hb.latest_period is not None else None
    when = [_("Figures up to <strong>{period}</strong>").format(period=esc(latest)) if latest else _("No figures reported yet")]
    if changed:
        when.append(_("data last changed <strong>{date}</strong>").format(date=esc(changed)))
    title = _("{organization}: the performance handbook").format(organization=inline(" ".join(org.name.split())))
    mission = _("Our mission")
    sizes = " · ".join((
        ngettext("{n} team in {units}", "{n} teams in {units}", len(hb.teams)).format(
            n=num(len(hb.teams)), units=ngettext("{n} unit", "{n} units", len(hb.units())).format(n=num(len(hb.units())))),
        ngettext("{n} target", "{n} targets", len(hb.targets)).format(n=num(len(hb.targets))),
        ngettext("{n} deficit", "{n} deficits", len(hb.deficits)).format(n=num(len(hb.deficits))),
        ngettext("{n} indicator", "{n} indicators", len(hb.indicators)).format(n=num(len(hb.indicators)))))
    return (
        f"# {title} {{ .hb-cover__title }}\n\n"
        '<div class="hb-cover">'
        f'<p class="hb-cover__date">{" · ".join(when)}</p>'
        f'<p class="hb-mission"><span class="hb-mission__label">{mission}</span> {esc(" ".join(org.mission.split()))}</p>'
        f'<p class="hb-cover__what">'
        + _("{sizes}. Built from the data in the handbook's repository: what it says is what the figures said on that "
            "date.").format(sizes=sizes) + "</p>"
        "</div>\n"
    )


def render_print_practices(a: Analysis, checks: dict[str, CheckResult], links: Links) -> str:
    """The eleven practices, each with its summary and its checklist: automated results and items to tick."""
    hb = a.hb
    out = [_section(_("The eleven practices"), "practices")]
    passed, total, not_judged = checklist_totals(hb.practices, checks)
    unjudged = esc(not_judged_note(not_judged))
    out.append("<p>" + _("<strong>{passed} of {total}</strong> automated checklist items pass. Items marked ☐ are for "
                         "people to tick.").format(passed=num(passed), total=num(total) + unjudged) + "</p>\n")
    for p in hb.practices:
        ok, n, _items = practice_counts(p, checks)
        phase = _(PHASE_LABEL[p.phase]) if p.phase in PHASE_LABEL else p.phase
        out.append(f"\n### {p.number}. {inline(p.title)} {{ #practice-{p.number} }}\n\n")
        out.append(f'<p class="hb-practice-meta">{esc(phase)} · '
                   + _("{passed} of {n} automated checks pass").format(passed=num(ok), n=num(n))
                   + esc(not_judged_note(not_judged_count(p, checks))) + "</p>\n")
        out.append(md_block(p.summary, "hb-md hb-practice-summary"))
        items = [render_check_item(i.id, i.text, i.check, checks.get(i.check), hb, links) for i in p.checklist if i.check]
        items += [render_manual_item(i.id, i.text) for i in p.checklist if not i.check]
        if items:
            out.append('\n<ul class="hb-checklist hb-checklist--print">' + "".join(items) + "</ul>\n")
    return "".join(out)


def render_print_targets(a: Analysis, links: Links) -> str:
    """Every target with its goal, owner, teams' statuses, its theory and the chain from it to the mission."""
    hb = a.hb
    out = [_section(_("The targets and their theories"), "targets")]
    if not hb.targets:
        out.append("<p>" + _("No target has been set yet.") + "</p>\n")
    for t in hb.targets.values():
        ind = hb.indicators[t.indicator]
        out.append(f"\n### {inline(t.title)} {{ #target-{t.id} }}\n\n")
        out.append(
            '<p class="hb-print-facts">'
            + _("<strong>{value}</strong> by {period} · owner: {owner} · {statuses}").format(
                value=esc(fmt_value(ind, t.target.value)), period=esc(t.target.period),
                owner=esc(" ".join(t.owner.split())), statuses=render_status_summary(a, t.id))
            + "</p>\n"
        )
        out.append(md_block(t.theory.link, "hb-md hb-theory"))
        out.append(render_chain(hb, t))
    return "".join(out)


def _latest_note(hb, team: str, indicator: str, period: int | None) -> str:
    """The note on a team's figure for a period ('' without one), whitespace tidied."""
    series = hb.series_for(team, indicator)
    if series is None or period is None or period not in series.periods:
        return ""
    return one_line(series.notes[series.periods.index(period)])


def render_team_summary(a: Analysis, links: Links) -> str:
    """One table of every team's status on every target it carries, by unit: a page of paper at a glance."""
    hb = a.hb
    out = [_section(_("Every team's statuses"), "team-statuses")]
    latest = format_period(hb.latest_period, hb.frequency) if hb.latest_period is not None else _("none yet")
    stale = list(a.stale_teams)  # as the home page, the scoreboard and the team pages say (derive.Analysis.stale_teams)
    stale_note = (" " + _("Stale: {teams}; a status on their old figures is shown as stale, not as current.").format(
        teams=", ".join(esc(" ".join(hb.teams[t].name.split())) for t in stale))) if stale else ""
    out.append("<p>" + _("Each team on each target it carries, at its latest figures (the latest reported period is "
                         "{period}).").format(period=esc(latest)) + f"{stale_note}</p>\n")
    rows = []
    for unit, members in hb.units().items():
        rows.append(f'<tr class="hb-summary__unit"><th colspan="4" scope="colgroup">{esc(" ".join(unit.split()))}</th></tr>')
        for team in members:
            name = esc(" ".join(team.name.split()))
            statuses = a.by_team.get(team.id, [])
            if not statuses:
                rows.append(f'<tr><th scope="row">{name}</th><td colspan="3" class="hb-muted">'
                            + _("carries no target") + "</td></tr>")
                continue
            for i, s in enumerate(statuses):
                ind = hb.indicators[s.indicator]
                head = f'<th scope="rowgroup" rowspan="{len(statuses)}">{name}</th>' if i == 0 else ""
                flag = ' <span class="hb-flag">⚠ ' + _("distortion flag") + "</span>" if s.distortions else ""
                latest_cell = (f"{esc(fmt_value(ind, s.value))} · {esc(format_period(s.period, hb.frequency))}"
                               if s.value is not None and s.period is not None else no_figure(s, hb.frequency))
                note = _latest_note(hb, s.team, s.indicator, s.period)
                if note:  # the printed handbook carries the note that explains a figure, as the charts do on screen
                    latest_cell += '<br><span class="hb-summary__note">' + _("Note: {note}").format(note=esc(note)) + "</span>"
                p = a.projections.get((s.target, s.team))
                short = pace_short(p, hb.frequency)
                pace = pace_html(p, _("at this pace: {projection}").format(projection=short) if short else "")
                rows.append(f"<tr>{head}<td>{esc(' '.join(hb.targets[s.target].title.split()))}</td>"
                            f"<td>{status_badge(s.status)}{flag}{'<br>' + pace if pace else ''}</td><td>{latest_cell}</td></tr>")
    head = "".join(f'<th scope="col">{text}</th>' for text in (_("Team"), _("Target"), _("Status"), _("Latest figure")))
    out.append(f'\n<table class="hb-table hb-summary"><thead><tr>{head}</tr></thead><tbody>'
               + "".join(rows) + "</tbody></table>\n")
    return "".join(out)


def render_print_handbook(a: Analysis, checks: dict[str, CheckResult], links: Links, changed: str = "",
                          tested=None) -> str:
    """The whole printed handbook, in reading order (see the module docstring)."""
    hb = a.hb
    out = [render_cover(a, changed)]
    out.append('\n<p class="hb-print-actions"><button type="button" class="md-button md-button--primary" data-hb-print>'
               + _("Print or save as PDF") + "</button></p>\n")
    if hb.organization.big_picture:
        out.append(_section(_("The mission and the big picture"), "mission"))
        out.append('<p class="hb-mission"><span class="hb-mission__label">' + _("Our mission") + "</span> "
                   f'{esc(" ".join(hb.organization.mission.split()))}</p>\n')
        out.append(md_block(hb.organization.big_picture, "hb-md hb-big-picture"))
    out.append(render_print_practices(a, checks, links))
    out.append(_section(_("The key failures we are closing"), "deficits"))
    out.append(shift_headings(render_deficits_page(a, links)))
    out.append(render_print_targets(a, links))
    out.append(render_team_summary(a, links))
    out.append(_section(_("For new managers"), "onboarding"))
    out.append("\n### " + _("The reading path") + " { #path }\n")
    out.append(shift_headings(render_reading_path(hb, links, print_note=False)))
    out.append("\n### " + _("Glossary") + " { #glossary }\n")
    out.append(render_glossary(hb, links))
    out.append("\n### " + _("How a status is computed") + " { #status }\n")
    out.append(render_status_rules(hb, links, 4))
    out.append(render_projection_rules(a, links, 4, tested))
    if hb.edition == "public":  # the contributor how-tos are not in the public edition
        return "".join(out)
    out.append("\n### " + _("How to propose a change to a target") + " { #change }\n")
    out.append(render_change_procedure(hb, links, 4))
    out.append(render_change_example(a, links, 4))
    out.append("\n### " + _("How to add this month's figures") + " { #figures }\n")
    out.append(render_figures_procedure(a, links, 4))
    return "".join(out)
