"""The home page: mission, big picture, the organization at a glance, where to start."""

from __future__ import annotations

from ..checks import CheckResult
from ..derive import Analysis, derive_counts
from ..model import Status
from ..periods import format_period
from .common import STATUS_LABEL, STATUS_ORDER, STATUS_SYMBOL, status_class
from .links import Links
from .text import esc, md_block


def render_home(a: Analysis, links: Links, checks: dict[str, CheckResult] | None = None) -> str:
    """Render the home page body (the title comes from the page)."""
    hb = a.hb
    org = hb.organization
    counts = derive_counts(a.statuses)
    flags = sum(1 for s in a.statuses if s.distortions)
    stale_teams = sorted({s.team for s in a.statuses if s.status is Status.STALE})
    latest = format_period(hb.latest_period, hb.frequency) if hb.latest_period is not None else "none yet"
    out = [f'\n<p class="hb-mission"><span class="hb-mission__label">Our mission</span> {esc(" ".join(org.mission.split()))}</p>\n']
    out.append(md_block(org.big_picture, "hb-md hb-big-picture"))
    out.append("\n## At a glance\n\n")
    out.append(f'<p class="hb-glance-note">Latest reported period: <strong>{esc(latest)}</strong>. '
               f"Each count is a team's status on one target it carries.</p>\n")
    tiles = []
    for status in STATUS_ORDER:
        tiles.append(
            f'<li class="hb-tile {status_class(status)}" data-status="{esc(status.value)}">'
            f'<span class="hb-tile__n">{counts[status]}</span>'
            f'<span class="hb-tile__label"><span aria-hidden="true">{STATUS_SYMBOL[status]}</span> {STATUS_LABEL[status]}</span></li>'
        )
    facts = [
        ("teams", len(hb.teams)),
        ("targets", len(hb.targets)),
        ("indicators", len(hb.indicators)),
        ("stale teams", len(stale_teams)),
        ("distortion flags", flags),
    ]
    for label, n in facts:
        # The attribute keeps the plural (other tools read it); the words agree with the number ("1 stale team").
        words = label[:-1] if n == 1 else label
        tiles.append(f'<li class="hb-tile hb-tile--fact" data-fact="{esc(label)}"><span class="hb-tile__n">{n}</span>'
                     f'<span class="hb-tile__label">{esc(words)}</span></li>')
    out.append('<ul class="hb-tiles" aria-label="The organization at a glance">' + "".join(tiles) + "</ul>\n")
    if checks is not None:
        passed = sum(1 for c in checks.values() if c.passed)
        out.append(f'\n<p class="hb-glance-note">{passed} of {len(checks)} automated practice checks pass. '
                   f'<a href="{esc(links.href(links.to("practices/index.md")))}">See the eleven practices</a>.</p>\n')
    out.append("\n## Where to start\n\n")
    out.append(
        f"New here? Follow the [reading path for new managers]({links.to('onboarding/index.md')}): the mission, "
        f"the key failures we are closing, the targets and the theory behind each, then your own team's page. "
        f"The [scoreboard]({links.to('scoreboard.md')}) shows how every team is doing against every target.\n"
    )
    return "".join(out)

