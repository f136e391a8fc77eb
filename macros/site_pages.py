"""Macros for the handbook's pages: practices, deficits, targets, indicators, learning, onboarding."""

from __future__ import annotations

from .engine import Site, macro
from .render.links import Links


def _stub(name: str):
    def fn(site: Site, links: Links, *args) -> str:
        return f"\n*This page ({name}) is being built.*\n"

    macro(name)(fn)


for _name in ["practices_index", "targets_index", "deficits_page", "indicators_page", "learning_page",
              "onboarding_path", "practice_page", "target_page"]:
    _stub(_name)
