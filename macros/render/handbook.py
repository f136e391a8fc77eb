"""The printed handbook: a cover, the mission, the eleven practices with their checklist results, the deficits, the
targets with their theory chains, one page of every team's statuses, then the onboarding path for new managers."""

from __future__ import annotations

import re

from ..checks import CheckResult
from ..derive import Analysis
from ..model import Status
from ..periods import format_period
from .common import fmt_value, status_badge
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
from .practices import PHASE_LABEL, practice_counts, render_check_item, render_manual_item
from .targets import render_chain
from .text import esc, inline, md_block

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
    when = [f"Figures up to <strong>{esc(latest)}</strong>" if latest else "No figures reported yet"]
    if changed:
        when.append(f"data last changed <strong>{esc(changed)}</strong>")
    return (
        f"# {inline(' '.join(org.name.split()))}: the performance handbook {{ .hb-cover__title }}\n\n"
        '<div class="hb-cover">'
        f'<p class="hb-cover__date">{" · ".join(when)}</p>'
        f'<p class="hb-mission"><span class="hb-mission__label">Our mission</span> {esc(" ".join(org.mission.split()))}</p>'
        f'<p class="hb-cover__what">{len(hb.teams)} teams in {len(hb.units())} units · {len(hb.targets)} targets · '
        f"{len(hb.deficits)} deficits · {len(hb.indicators)} indicators. Built from the data in the handbook's "
        "repository: what it says is what the figures said on that date.</p>"
        "</div>\n"
    )


def render_print_practices(a: Analysis, checks: dict[str, CheckResult], links: Links) -> str:
    """The eleven practices, each with its summary and its checklist: automated results and items to tick."""
    hb = a.hb
    out = [_section("The eleven practices", "practices")]
    total = sum(practice_counts(p, checks)[1] for p in hb.practices)
    passed = sum(practice_counts(p, checks)[0] for p in hb.practices)
    out.append(f"<p><strong>{passed} of {total}</strong> automated checklist items pass. Items marked ☐ are for "
               "people to tick.</p>\n")
    for p in hb.practices:
        ok, n, _ = practice_counts(p, checks)
        phase = PHASE_LABEL.get(p.phase, p.phase)
        out.append(f"\n### {p.number}. {inline(p.title)} {{ #practice-{p.number} }}\n\n")
        out.append(f'<p class="hb-practice-meta">{esc(phase)} · {ok} of {n} automated checks pass</p>\n')
        out.append(md_block(p.summary, "hb-md hb-practice-summary"))
        items = [render_check_item(i.id, i.text, i.check, checks.get(i.check), hb, links) for i in p.checklist if i.check]
        items += [render_manual_item(i.id, i.text) for i in p.checklist if not i.check]
        if items:
            out.append('\n<ul class="hb-checklist hb-checklist--print">' + "".join(items) + "</ul>\n")
    return "".join(out)


def render_print_targets(a: Analysis, links: Links) -> str:
    """Every target with its goal, owner, teams' statuses, its theory and the chain from it to the mission."""
    hb = a.hb
    out = [_section("The targets and their theories", "targets")]
    if not hb.targets:
        out.append("<p>No target has been set yet.</p>\n")
    for t in hb.targets.values():
        ind = hb.indicators[t.indicator]
        out.append(f"\n### {inline(t.title)} {{ #target-{t.id} }}\n\n")
        out.append(
            f'<p class="hb-print-facts"><strong>{esc(fmt_value(ind, t.target.value))}</strong> by {esc(t.target.period)} · '
            f"owner: {esc(' '.join(t.owner.split()))} · {render_status_summary(a, t.id)}</p>\n"
        )
        out.append(md_block(t.theory.link, "hb-md hb-theory"))
        out.append(render_chain(hb, t))
    return "".join(out)


def _latest_note(hb, team: str, indicator: str, period: int | None) -> str:
    """The note on a team's figure for a period ('' without one), whitespace tidied."""
    series = hb.series_for(team, indicator)
    if series is None or period is None or period not in series.periods:
        return ""
    return " ".join(series.notes[series.periods.index(period)].split())


def render_team_summary(a: Analysis, links: Links) -> str:
    """One table of every team's status on every target it carries, by unit: a page of paper at a glance."""
    hb = a.hb
    out = [_section("Every team's statuses", "team-statuses")]
    latest = format_period(hb.latest_period, hb.frequency) if hb.latest_period is not None else "none yet"
    stale = sorted({s.team for s in a.live if s.status is Status.STALE}, key=list(hb.teams).index)
    stale_note = (" Stale: " + ", ".join(esc(" ".join(hb.teams[t].name.split())) for t in stale)
                  + "; their statuses are shown as stale, not as current.") if stale else ""
    out.append(f"<p>Each team on each target it carries, at its latest figures (the latest reported period is "
               f"{esc(latest)}).{stale_note}</p>\n")
    rows = []
    for unit, members in hb.units().items():
        rows.append(f'<tr class="hb-summary__unit"><th colspan="4" scope="colgroup">{esc(" ".join(unit.split()))}</th></tr>')
        for team in members:
            name = esc(" ".join(team.name.split()))
            statuses = a.by_team.get(team.id, [])
            if not statuses:
                rows.append(f'<tr><th scope="row">{name}</th><td colspan="3" class="hb-muted">carries no target</td></tr>')
                continue
            for i, s in enumerate(statuses):
                ind = hb.indicators[s.indicator]
                head = f'<th scope="rowgroup" rowspan="{len(statuses)}">{name}</th>' if i == 0 else ""
                flag = ' <span class="hb-flag">⚠ distortion flag</span>' if s.distortions else ""
                latest_cell = (f"{esc(fmt_value(ind, s.value))} · {esc(format_period(s.period, hb.frequency))}"
                               if s.value is not None and s.period is not None else no_figure(s, hb.frequency))
                note = _latest_note(hb, s.team, s.indicator, s.period)
                if note:  # the printed handbook carries the note that explains a figure, as the charts do on screen
                    latest_cell += f'<br><span class="hb-summary__note">Note: {esc(note)}</span>'
                p = a.projections.get((s.target, s.team))
                pace = pace_html(p, f"at this pace: {pace_short(p, hb.frequency)}" if pace_short(p, hb.frequency) else "")
                rows.append(f"<tr>{head}<td>{esc(' '.join(hb.targets[s.target].title.split()))}</td>"
                            f"<td>{status_badge(s.status)}{flag}{'<br>' + pace if pace else ''}</td><td>{latest_cell}</td></tr>")
    out.append('\n<table class="hb-table hb-summary"><thead><tr><th scope="col">Team</th><th scope="col">Target</th>'
               '<th scope="col">Status</th><th scope="col">Latest figure</th></tr></thead><tbody>'
               + "".join(rows) + "</tbody></table>\n")
    return "".join(out)


def render_print_handbook(a: Analysis, checks: dict[str, CheckResult], links: Links, changed: str = "",
                          tested=None) -> str:
    """The whole printed handbook, in reading order (see the module docstring)."""
    hb = a.hb
    out = [render_cover(a, changed)]
    out.append('\n<p class="hb-print-actions"><button type="button" class="md-button md-button--primary" data-hb-print>'
               "Print or save as PDF</button></p>\n")
    if hb.organization.big_picture:
        out.append(_section("The mission and the big picture", "mission"))
        out.append(f'<p class="hb-mission"><span class="hb-mission__label">Our mission</span> '
                   f'{esc(" ".join(hb.organization.mission.split()))}</p>\n')
        out.append(md_block(hb.organization.big_picture, "hb-md hb-big-picture"))
    out.append(render_print_practices(a, checks, links))
    out.append(_section("The key failures we are closing", "deficits"))
    out.append(shift_headings(render_deficits_page(a, links)))
    out.append(render_print_targets(a, links))
    out.append(render_team_summary(a, links))
    out.append(_section("For new managers", "onboarding"))
    out.append("\n### The reading path { #path }\n")
    out.append(shift_headings(render_reading_path(hb, links, print_note=False)))
    out.append("\n### Glossary { #glossary }\n")
    out.append(render_glossary(hb, links))
    out.append("\n### How a status is computed { #status }\n")
    out.append(render_status_rules(hb, links, 4))
    out.append(render_projection_rules(a, links, 4, tested))
    if hb.edition == "public":  # the contributor how-tos are not in the public edition
        return "".join(out)
    out.append("\n### How to propose a change to a target { #change }\n")
    out.append(render_change_procedure(hb, links, 4))
    out.append(render_change_example(a, links, 4))
    out.append("\n### How to add this month's figures { #figures }\n")
    out.append(render_figures_procedure(a, links, 4))
    return "".join(out)
