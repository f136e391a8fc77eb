"""The home page: mission, the organization at a glance (every count linked to what it counts), big picture."""

from __future__ import annotations

from ..checks import CheckResult
from ..derive import Analysis, derive_counts
from ..i18n import _, ngettext
from ..model import Status
from ..periods import format_period
from ..projection import TOO_EARLY, count_on_pace
from .briefing import render_briefing_link
from .common import STATUS_LABEL, STATUS_ORDER, STATUS_SYMBOL, status_class
from .counts import num
from .due import DUE_PAGE, render_due_tile_count
from .links import Links
from .practices import not_judged_note
from .text import esc, inline, md_block


def status_anchor(status: Status) -> str:
    """The scoreboard's anchor for the list of team-and-target pairs with a status (e.g. `status-at-risk`)."""
    return "status-" + status.value.replace(" ", "-")


STALE_TEAMS_ANCHOR = "stale-teams"


PAST_TARGETS_ANCHOR = "past-targets"


def render_past_count(a: Analysis, href: str = "") -> str:
    """Say how many past targets are counted apart: "Past targets: 3 (5 team results), not counted above"."""
    past = a.past
    if not past:
        return ""
    n_targets = len({s.target for s in past})
    label = _("Past targets: {n}").format(n=num(n_targets))
    if href:
        label = f'<a href="{esc(href)}">{label}</a>'
    results = ngettext("{n} team result", "{n} team results", len(past)).format(n=num(len(past)))
    return (f'<p class="hb-glance-note hb-past-count" data-past-targets="{n_targets}">'
            + _("{label} ({results}), not counted above: their deadlines passed more than a year before the latest "
                "period whose figures are due, or a later target replaced them.").format(label=label, results=results)
            + "</p>\n")


def _tile(href: str, n: int, label_html: str, attrs: str, css: str) -> str:
    return (f'<li class="hb-tile {css}" {attrs}><a class="hb-tile__link" href="{esc(href)}">'
            f'<span class="hb-tile__n">{num(n)}</span><span class="hb-tile__label">{label_html}</span></a></li>')


def render_glance(a: Analysis, links: Links) -> str:
    """The at-a-glance block: status counts of team-and-target pairs, what needs a look, and the organization's size.

    Each count links to what it counts: the scoreboard's list of the pairs with that status, the stale teams, the
    distortion flags, the teams, targets and indicators.
    """
    hb = a.hb
    # Past targets are counted apart (spec v1.2): a deadline long gone is not news about how teams are doing now.
    live = a.live
    counts = derive_counts(live)
    flags = sum(len(s.distortions) for s in live)
    stale_teams = a.stale_teams  # what the team pages say, on any indicator or a live target's (Analysis.stale_teams)
    latest = format_period(hb.latest_period, hb.frequency) if hb.latest_period is not None else None
    board = links.href(links.to("scoreboard.md"))
    pairs = len(live)
    live_targets = len({s.target for s in live}) if a.past else len(hb.targets)
    # A Markdown heading, so the table of contents lists it; the section below is labelled by it.
    title = _("At a glance")
    out = [f'\n## {title} {{ #at-a-glance .hb-glance__title }}\n\n<section class="hb-glance" aria-labelledby="at-a-glance">\n']
    results = ngettext("<strong>{n}</strong> team result", "<strong>{n}</strong> team results", pairs).format(n=num(pairs))
    on = ngettext("{n} target", "{n} targets", live_targets).format(n=num(live_targets))
    if latest:
        note = _("How each team is doing on each target it carries at the latest reported period, "
                 "<strong>{period}</strong>: {results} on {targets} (a target two teams carry counts twice).")
    else:
        note = _("How each team is doing on each target it carries: {results} on {targets} (a target two teams carry "
                 "counts twice).")
    out.append(f'<p class="hb-glance-note">{note.format(period=esc(latest or ""), results=results, targets=on)}</p>\n')
    tiles = []
    for status in STATUS_ORDER:
        href = f"{board}?status={status.value.replace(' ', '-')}#{status_anchor(status)}"
        label = f'<span aria-hidden="true">{STATUS_SYMBOL[status]}</span> {STATUS_LABEL[status]}'
        tiles.append(_tile(href, counts[status], label, f'data-status="{esc(status.value)}"', status_class(status)))
    by_status = _("Team results by status")
    out.append(f'<ul class="hb-tiles hb-tiles--status" aria-label="{esc(by_status)}">'
               + "".join(tiles) + "</ul>\n")
    out.append(render_on_pace(a, links))
    out.append(render_past_count(a, links.href(links.to("targets/index.md", PAST_TARGETS_ANCHOR))))
    late = render_due_tile_count(hb)
    # (the data-fact attribute, in English: other tools read it; the words, agreeing with the number; count; link)
    attention = [
        ("stale teams", ngettext("stale team", "stale teams", len(stale_teams)), len(stale_teams),
         f"{board}#{STALE_TEAMS_ANCHOR}"),
        ("distortion flags", ngettext("distortion flag", "distortion flags", flags), flags,
         links.href(links.to("learning.md", "distortion-flags"))),
        ("teams late with figures", ngettext("team late with figures", "teams late with figures", late), late,
         links.href(links.to(DUE_PAGE))),
    ]
    sizes = [
        ("teams", ngettext("team", "teams", len(hb.teams)), len(hb.teams), links.href(links.to("teams/index.md"))),
        ("units", ngettext("unit", "units", len(hb.units())), len(hb.units()), links.href(links.to("teams/index.md"))),
        ("targets", ngettext("target", "targets", len(hb.targets)), len(hb.targets),
         links.href(links.to("targets/index.md"))),
        ("indicators", ngettext("indicator", "indicators", len(hb.indicators)), len(hb.indicators),
         links.href(links.to("indicators.md"))),
    ]
    out.append('<div class="hb-glance-rows">')
    for title, css, rows in ((_("Needs a look"), "hb-tiles--attention", attention),
                             (_("The organization"), "hb-tiles--size", sizes)):
        items = "".join(_tile(href, n, esc(words), f'data-fact="{esc(fact)}"', "hb-tile--fact")
                        for fact, words, n, href in rows)
        out.append(f'<div class="hb-glance-group"><p class="hb-glance-group__title">{esc(title)}</p>'
                   f'<ul class="hb-tiles {css}" aria-label="{esc(title)}">{items}</ul></div>')
    out.append("</div>\n</section>\n")
    return "".join(out)


def render_on_pace(a: Analysis, links: Links) -> str:
    """Say how many team results not met yet are on pace to meet their target by the deadline ("" when none is
    projected)."""
    projections = [p for p in a.projections.values() if p.kind is not None]
    on_pace, shown = count_on_pace(projections)
    early = sum(1 for p in projections if p.kind == TOO_EARLY)
    if not shown and not early:
        return ""
    method = links.href(links.to("onboarding/status.md", "projection"))
    extra = _(" ({n} more too early to tell)").format(n=num(early)) if early else ""
    sentence = ngettext(
        "On pace to meet their target by the deadline: <strong>{on_pace} of {shown}</strong> team result projected "
        "(not met yet, deadline ahead, figures current){extra}. <a href=\"{href}\">How this is projected</a>.",
        "On pace to meet their target by the deadline: <strong>{on_pace} of {shown}</strong> team results projected "
        "(not met yet, deadline ahead, figures current){extra}. <a href=\"{href}\">How this is projected</a>.",
        shown).format(on_pace=num(on_pace), shown=num(shown), extra=extra, href=esc(method))
    return (f'<p class="hb-glance-note hb-on-pace" data-on-pace="{on_pace}" data-projected="{shown}">'
            f"{sentence}</p>\n")


def render_home(a: Analysis, links: Links, checks: dict[str, CheckResult] | None = None) -> str:
    """Render the home page: the organization's name as its title, the mission, at a glance, then the big picture."""
    hb = a.hb
    org = hb.organization
    out = [f"# {inline(' '.join(org.name.split()))}\n\n"]
    mission = _("Our mission")
    out.append(f'\n<p class="hb-mission"><span class="hb-mission__label">{mission}</span> {esc(" ".join(org.mission.split()))}</p>\n')
    if hb.edition == "public":
        out.append('\n<p class="hb-edition-note">'
                   + _("<strong>Public edition</strong>: the records the organization publishes. Others are kept "
                       "internal: this edition shows none of them, and states a checklist result only when it is true "
                       "of the whole organization.") + "</p>\n")
    out.append(render_glance(a, links))
    if checks is not None:
        # Only the checks whose result this edition can state (the public edition leaves some unstated),
        # and had something to judge: a check with nothing to judge is no pass (CheckResult.judged).
        stated = [c for c in checks.values() if not c.unstated]
        judged = [c for c in stated if c.judged]
        passed = sum(1 for c in judged if c.passes)
        unstated = len(checks) - len(stated)
        more = _(" ({n} not published in this edition)").format(n=num(unstated)) if unstated else ""
        more += not_judged_note(len(stated) - len(judged))
        checks_pass = _("{passed} of {n} automated practice checks pass{more}.")
        see = _("See the eleven practices")
        out.append(f'\n<p class="hb-glance-note">{checks_pass.format(passed=num(passed), n=num(len(judged)), more=more)} '
                   f'<a href="{esc(links.href(links.to("practices/index.md")))}">{see}</a>.</p>\n')
    if org.big_picture:
        out.append("\n## " + _("The big picture") + " { #big-picture }\n\n")
        out.append(md_block(org.big_picture, "hb-md hb-big-picture"))
    out.append("\n## " + _("Where to start") + " { #where-to-start }\n\n")
    out.append(_(
        "New here? Follow the [reading path for new managers]({path}): the mission, the key failures we are closing, "
        "the targets and the theory behind each, then your own team's page. The [scoreboard]({board}) shows how every "
        "team is doing against every target."
    ).format(path=links.to("onboarding/index.md"), board=links.to("scoreboard.md")) + "\n")
    out.append(render_briefing_link(links))
    return "".join(out)
