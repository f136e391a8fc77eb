"""The home page: mission, the organization at a glance (every count linked to what it counts), big picture."""

from __future__ import annotations

from ..checks import CheckResult
from ..derive import Analysis, derive_counts
from ..model import Status
from ..periods import format_period
from .common import STATUS_LABEL, STATUS_ORDER, STATUS_SYMBOL, status_class
from .due import DUE_PAGE, render_due_tile_count
from .links import Links
from .text import esc, inline, md_block


def status_anchor(status: Status) -> str:
    """The scoreboard's anchor for the list of team-and-target pairs with a status (e.g. `status-at-risk`)."""
    return "status-" + status.value.replace(" ", "-")


STALE_TEAMS_ANCHOR = "stale-teams"


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
    counts = derive_counts(a.statuses)
    flags = sum(len(s.distortions) for s in a.statuses)
    stale_teams = {s.team for s in a.statuses if s.status is Status.STALE}
    latest = format_period(hb.latest_period, hb.frequency) if hb.latest_period is not None else None
    board = links.href(links.to("scoreboard.md"))
    pairs = len(a.statuses)
    when = f" at the latest reported period, <strong>{esc(latest)}</strong>" if latest else ""
    # A Markdown heading, so the table of contents lists it; the section below is labelled by it.
    out = ['\n## At a glance { #at-a-glance .hb-glance__title }\n\n<section class="hb-glance" aria-labelledby="at-a-glance">\n']
    out.append(f'<p class="hb-glance-note">Status of each team on each target it carries{when}: '
               f"<strong>{pairs}</strong> team-and-target pair{'s' if pairs != 1 else ''} "
               f"({len(hb.targets)} target{'s' if len(hb.targets) != 1 else ''}, counted once per team).</p>\n")
    tiles = []
    for status in STATUS_ORDER:
        href = f"{board}?status={status.value.replace(' ', '-')}#{status_anchor(status)}"
        label = f'<span aria-hidden="true">{STATUS_SYMBOL[status]}</span> {STATUS_LABEL[status]}'
        tiles.append(_tile(href, counts[status], label, f'data-status="{esc(status.value)}"', status_class(status)))
    out.append('<ul class="hb-tiles hb-tiles--status" aria-label="Team-and-target pairs by status">'
               + "".join(tiles) + "</ul>\n")
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


def render_home(a: Analysis, links: Links, checks: dict[str, CheckResult] | None = None) -> str:
    """Render the home page: the organization's name as its title, the mission, at a glance, then the big picture."""
    hb = a.hb
    org = hb.organization
    out = [f"# {inline(' '.join(org.name.split()))}\n\n"]
    out.append(f'\n<p class="hb-mission"><span class="hb-mission__label">Our mission</span> {esc(" ".join(org.mission.split()))}</p>\n')
    out.append(render_glance(a, links))
    if checks is not None:
        passed = sum(1 for c in checks.values() if c.passed)
        out.append(f'\n<p class="hb-glance-note">{passed} of {len(checks)} automated practice checks pass. '
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
    return "".join(out)
