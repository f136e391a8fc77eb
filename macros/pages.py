"""Placeholder page macros; each page family replaces its own in its module."""

from __future__ import annotations

from .engine import Site, macro
from .render.links import Links


def _stub(name: str):
    def fn(site: Site, links: Links, *args) -> str:
        return f"\n*This page ({name}) is being built.*\n"

    macro(name)(fn)


for _name in [
    "practices_index", "targets_index", "teams_index", "deficits_page", "indicators_page", "learning_page",
    "scoreboard", "onboarding_path", "practice_page", "target_page", "unit_page", "team_page",
]:
    _stub(_name)
