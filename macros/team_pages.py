"""Macros for the handbook's pages: team pages, unit pages, the scoreboard."""

from __future__ import annotations

from .held import slot_div
from .macrocall import macro
from .pagesite import PageSite
from .render.common import hold_html_blocks
from .render.due import render_report_block
from .render.links import Links, team_src
from .render.scoreboard import render_scoreboard
from .render.teams import (
    render_team_head,
    render_team_page,
    render_teams_index,
    render_unit_page,
)
from .render.text import inline


def _team_arg(site: PageSite, team_id: object = None) -> tuple[str, str, str] | None:
    if isinstance(team_id, str) and team_id in site.hb.teams:
        return None
    return "team_id", "a team id from data/teams.yml", repr(team_id)


def _unit_arg(site: PageSite, slug: object = None) -> tuple[str, str, str] | None:
    if isinstance(slug, str) and slug in site.units_by_slug:
        return None
    return "slug", "the slug of a unit in data/teams.yml (the last part of its page's address)", repr(slug)


@macro("team_page", check=_team_arg)
def team_page(site: PageSite, links: Links, team_id: str) -> str:
    """A team's page: targets with charts, guardrails, freshness, indicators, capacity, recognition, checks."""
    team = site.hb.teams[team_id]
    report = render_report_block(site.hb, team_id, links, site.edit_base)  # "Report this period" (macros/due.py)
    page = render_team_page(team, site.analysis, site.team_index, site.checks, links, site.edit_base, report)
    return site.held.hold_page(team_src(team_id), page)


def team_page_skeleton(site: PageSite, team_id: str) -> str:
    """What `team_page` returns, with its held-back HTML left out: the title, then the facts and description (kept
    in the page for the search index), then the placeholder of the rest."""
    team = site.hb.teams[team_id]
    head = render_team_head(team, site.analysis, site.links(team_src(team_id)))
    parts = [block.strip("\n") for block in head.split("\n\n") if block.strip("\n")]
    return f"# {inline(team.name)}\n\n" + "\n\n".join([*parts, slot_div(0)]) + "\n"


@macro("unit_page", check=_unit_arg)
def unit_page(site: PageSite, links: Links, slug: str) -> str:
    """A unit's page: its teams with a status summary."""
    unit, members = site.units_by_slug[slug]
    return hold_html_blocks(render_unit_page(unit, members, site.analysis, links))


@macro("teams_index")
def teams_index(site: PageSite, links: Links) -> str:
    """The teams index: units and their teams, compact."""
    # Its tables skip Markdown and the search index: each team has a page of its own to find.
    return hold_html_blocks(render_teams_index(site.analysis, site.unit_slug, links))


@macro("scoreboard")
def scoreboard(site: PageSite, links: Links) -> str:
    """The scoreboard: every team on every target, sortable, and a league table per indicator."""
    return render_scoreboard(site.analysis, links, site.unit_slug)
