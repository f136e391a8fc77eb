"""The home page: mission, the organization at a glance (every count linked to what it counts), big picture."""

from __future__ import annotations

from ..checks import CheckResult
from ..derive import Analysis, derive_counts
from ..model import Status
from ..periods import format_period
from ..projection import TOO_EARLY, count_on_pace
from .briefing import render_briefing_link
from .common import STATUS_LABEL, STATUS_ORDER, STATUS_SYMBOL, status_class
from .due import DUE_PAGE, render_due_tile_count
from .links import Links
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
    label = f"Past targets: {n_targets}"
    if href:
        label = f'<a href="{esc(href)}">{label}</a>'
    return (f'<p class="hb-glance-note hb-past-count" data-past-targets="{n_targets}">{label} '
            f"({len(past)} team result{'s' if len(past) != 1 else ''}), not counted above: their deadlines "
            "passed more than a year before the latest period whose figures are due, or a later target replaced "
            "them.</p>\n")


def _tile(href: str, n: int, label_html: str, attrs: str, css: str) -> str:
    return (f'<li class="hb-tile {css}" {attrs}><a class="hb-tile__link" href="{esc(href)}">'
            f'<span class="hb-tile__n">{n}</span><span class="hb-tile__label">{label_html}</span></a></li>')


def _singular(label: str) -> str:
    """'stale teams' -> 'stale team'; 'teams late with figures' -> 'team late with figures'."""
    first, _, rest = label.partition(" late ")
    return first[:-1] + " late " + rest if rest else label[:-1]


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
    stale_teams = {s.team for s in live if s.status is Status.STALE}
    latest = format_period(hb.latest_period, hb.frequency) if hb.latest_period is not None else None
    board = links.href(links.to("scoreboard.md"))
    pairs = len(live)
    live_targets = len({s.target for s in live}) if a.past else len(hb.targets)
    when = f" at the latest reported period, <strong>{esc(latest)}</strong>" if latest else ""
    # A Markdown heading, so the table of contents lists it; the section below is labelled by it.
    out = ['\n## At a glance { #at-a-glance .hb-glance__title }\n\n<section class="hb-glance" aria-labelledby="at-a-glance">\n']
    out.append(f'<p class="hb-glance-note">How each team is doing on each target it carries{when}: '
               f"<strong>{pairs}</strong> team result{'s' if pairs != 1 else ''} on "
               f"{live_targets} target{'s' if live_targets != 1 else ''} (a target two teams carry counts "
               "twice).</p>\n")
    tiles = []
    for status in STATUS_ORDER:
        href = f"{board}?status={status.value.replace(' ', '-')}#{status_anchor(status)}"
        label = f'<span aria-hidden="true">{STATUS_SYMBOL[status]}</span> {STATUS_LABEL[status]}'
        tiles.append(_tile(href, counts[status], label, f'data-status="{esc(status.value)}"', status_class(status)))
    out.append('<ul class="hb-tiles hb-tiles--status" aria-label="Team results by status">'
               + "".join(tiles) + "</ul>\n")
    out.append(render_on_pace(a, links))
    out.append(render_past_count(a, links.href(links.to("targets/index.md", PAST_TARGETS_ANCHOR))))
    attention = [
        ("stale teams", len(stale_teams), f"{board}#{STALE_TEAMS_ANCHOR}"),
        ("distortion flags", flags, links.href(links.to("learning.md", "distortion-flags"))),
        ("teams late with figures", render_due_tile_count(hb), links.href(links.to(DUE_PAGE))),
    ]
    sizes = [
        ("teams", len(hb.teams), links.href(links.to("teams/index.md"))),
        ("units", len(hb.units()), links.href(links.to("teams/index.md"))),
        ("targets", len(hb.targets), links.href(links.to("targets/index.md"))),
        ("indicators", len(hb.indicators), links.href(links.to("indicators.md"))),
    ]
    out.append('<div class="hb-glance-rows">')
    for title, css, rows in (("Needs a look", "hb-tiles--attention", attention),
                             ("The organization", "hb-tiles--size", sizes)):
        # The attribute keeps the plural (other tools read it); the words agree with the number ("1 stale team").
        items = "".join(_tile(href, n, esc(_singular(label) if n == 1 else label), f'data-fact="{esc(label)}"', "hb-tile--fact")
                        for label, n, href in rows)
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
    extra = f" ({early} more too early to tell)" if early else ""
    return (f'<p class="hb-glance-note hb-on-pace" data-on-pace="{on_pace}" data-projected="{shown}">'
            f"On pace to meet their target by the deadline: <strong>{on_pace} of {shown}</strong> team "
            f"result{'s' if shown != 1 else ''} projected (not met yet, deadline ahead, figures current){extra}. "
            f'<a href="{esc(method)}">How this is projected</a>.</p>\n')


def render_home(a: Analysis, links: Links, checks: dict[str, CheckResult] | None = None) -> str:
    """Render the home page: the organization's name as its title, the mission, at a glance, then the big picture."""
    hb = a.hb
    org = hb.organization
    out = [f"# {inline(' '.join(org.name.split()))}\n\n"]
    out.append(f'\n<p class="hb-mission"><span class="hb-mission__label">Our mission</span> {esc(" ".join(org.mission.split()))}</p>\n')
    if hb.edition == "public":
        out.append('\n<p class="hb-edition-note"><strong>Public edition</strong>: the records the organization '
                   "publishes. Others are kept internal: this edition shows none of them, and states a checklist result "
                   "only when it is true of the whole organization.</p>\n")
    out.append(render_glance(a, links))
    if checks is not None:
        # Only the checks whose result this edition can state (the public edition leaves some unstated).
        stated = [c for c in checks.values() if not c.unstated]
        passed = sum(1 for c in stated if c.passed)
        unstated = len(checks) - len(stated)
        more = f" ({unstated} not published in this edition)" if unstated else ""
        out.append(f'\n<p class="hb-glance-note">{passed} of {len(stated)} automated practice checks pass{more}. '
                   f'<a href="{esc(links.href(links.to("practices/index.md")))}">See the eleven practices</a>.</p>\n')
    if org.big_picture:
        out.append("\n## The big picture { #big-picture }\n\n")
        out.append(md_block(org.big_picture, "hb-md hb-big-picture"))
    out.append("\n## Where to start { #where-to-start }\n\n")
    out.append(
        f"New here? Follow the [reading path for new managers]({links.to('onboarding/index.md')}): the mission, "
        f"the key failures we are closing, the targets and the theory behind each, then your own team's page. "
        f"The [scoreboard]({links.to('scoreboard.md')}) shows how every team is doing against every target.\n"
    )
    out.append(render_briefing_link(links))
    return "".join(out)
