"""Every page made from data, and the navigation that lists them, decided once for every engine.

`plan_pages` says which pages a build generates (practices, targets, units, teams: each a macro called by id) and
`expand_nav` the navigation with them. The MkDocs hooks use both in memory; `python -m macros generate DIR`
(macros/engines/zensical.py) writes them to files, for an engine that runs no hooks (Zensical): a page per file,
holding only its macro call by id (`macro_call`), and a configuration that adds the navigation to mkdocs.yml.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING

from .i18n import N_, _
from .render import links as L

if TYPE_CHECKING:
    from .site import Site

# Above this many teams (or targets), their pages leave the navigation and are reached from index and unit pages:
# Material writes the whole visible navigation into every page, so a long list costs time and weight on each.
NAV_LIMIT = 60
# Above this many units, units leave the navigation too (the teams index lists them all), whatever nav_limit says.
UNIT_NAV_LIMIT = 60
PHASES = {"framework": N_("Creating the framework"), "driving": N_("Driving performance"),
          "learning": N_("Learning and ratcheting up")}


def left_out(site: Site) -> frozenset[str]:
    """The hand-written pages this edition leaves out (the contributor pages in the public edition)."""
    return frozenset(L.CONTRIBUTOR_PAGES) if site.edition == "public" else frozenset()


def plan_pages(site: Site) -> dict[str, tuple]:
    """Page src -> (macro, *arguments) of each page made from data: practices, targets, units, teams."""
    hb = site.hb
    pages: dict[str, tuple] = {}
    for p in hb.practices:
        pages[L.practice_src(p.number)] = ("practice_page", p.number)
    for t in hb.targets:
        pages[L.target_src(t)] = ("target_page", t)
    for slug in site.unit_slug.values():
        pages[L.unit_src(slug)] = ("unit_page", slug)
    for t in hb.teams:
        pages[L.team_src(t)] = ("team_page", t)
    return pages


def nav_title(text: str) -> str:
    """A navigation title from data: HTML escaped (themes print it raw), braces as entities (no template syntax)."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    return escaped.replace("{", "&#123;").replace("}", "&#125;")


def expand_nav(nav: list | None, site: Site, limit: int = NAV_LIMIT, unit_limit: int | None = None) -> list | None:
    """Replace the placeholder entries for practices, targets and teams with their generated pages."""
    if not nav:
        return nav
    hb = site.hb
    practices: list = [L.PRACTICES_INDEX]
    for phase, label in PHASES.items():
        items = [{nav_title(f"{p.number}. {p.title}"): L.practice_src(p.number)} for p in hb.practices if p.phase == phase]
        if items:
            practices.append({_(label): items})
    targets: list = [L.TARGETS_INDEX]
    if len(hb.targets) <= limit:
        targets += [{nav_title(t.title): L.target_src(t.id)} for t in hb.targets.values()]
    teams: list = [L.TEAMS_INDEX]
    units = hb.units()
    # Units beyond the limit leave the sidebar too (the teams index lists them all): 1,000 teams in 1,000 units
    # built in 107 s and 355 MB with a nav entry each, against 7.7 s in 10 units.
    for unit, members in units.items() if len(units) <= (UNIT_NAV_LIMIT if unit_limit is None else unit_limit) else ():
        unit_page = L.unit_src(site.unit_slug[unit])
        if len(hb.teams) <= limit:
            teams.append({nav_title(unit): [unit_page] + [{nav_title(t.name): L.team_src(t.id)} for t in members]})
        else:
            teams.append({nav_title(unit): unit_page})
    expansions = {L.PRACTICES_INDEX: practices, L.TARGETS_INDEX: targets, L.TEAMS_INDEX: teams}
    dropped = left_out(site)

    def walk(items: list) -> list:
        out = []
        for item in items:
            src = item if isinstance(item, str) else next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else None
            if isinstance(src, str) and src in dropped:
                continue
            if isinstance(item, dict) and len(item) == 1:
                (title, value), = item.items()
                if isinstance(value, str) and value in expansions:
                    out.append({title: expansions[value]})
                elif isinstance(value, list):
                    out.append({title: walk(value)})
                else:
                    out.append(item)
            else:
                out.append(item)
        return out

    return walk(nav)


def macro_call(call: tuple) -> str:
    """The page text that calls a generated page's macro by id: `{{ team_page("lab") }}`."""
    name, *args = call
    return "{{ " + name + "(" + ", ".join(json.dumps(a) for a in args) + ") }}\n"
