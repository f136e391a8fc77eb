"""The macro registry: the macros pages call by id, and the skeletons of pages that may be completed late.

Plain Python below the page macros (site_pages.py, team_pages.py) and the build context (site.py); no engine here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .site import Site

# Macros pages may call: name -> function(site, links, *args) returning Markdown.
MACROS: dict[str, Callable[..., str]] = {}
# For macros whose pages may be completed late (Site.defer): name -> function(site, *args) returning the Markdown
# the macro returns with its held-back HTML left out (the slots are filled from the full render).
SKELETONS: dict[str, Callable[..., str]] = {}


def macro(name: str):
    """Register a function(site, links, *args) -> Markdown as the macro `name`."""
    def register(fn):
        MACROS[name] = fn
        return fn

    return register


def load_macros() -> dict[str, Callable[..., str]]:
    """Import the page macros (importing registers them) and return the registry."""
    from . import site_pages, team_pages  # noqa: F401

    return MACROS


def render_call(site: Site, name: str, src: str, args: tuple | list) -> str:
    """Render macro `name` for the page at src (its source path under docs/), holding back its finished HTML."""
    return site.hold_raw_html(src, MACROS[name](site, site.links(src), *args))
