"""Macros for the handbook's pages: team pages, unit pages, the scoreboard."""

from __future__ import annotations

from .engine import Site, macro
from .render.links import Links


def _stub(name: str):
    def fn(site: Site, links: Links, *args) -> str:
        return f"\n*This page ({name}) is being built.*\n"

    macro(name)(fn)


for _name in ["teams_index", "unit_page", "team_page", "scoreboard"]:
    _stub(_name)
