"""What a page macro reads of the build: the build context (macros/site.py's Site) as the page macros see it.

A Protocol, so the page macros (site_pages.py, team_pages.py) and their table (registry.py) name the context
without importing the module that builds it and calls them: imports run one way, down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from .checks import CheckResult
from .derive import Analysis
from .held import Held
from .model import Handbook, Team
from .projection import Backtest
from .render.links import Links
from .team_index import TeamIndex


class PageSite(Protocol):
    """The validated data, what is derived from it, and the settings a page macro needs."""

    hb: Handbook
    analysis: Analysis
    checks: dict[str, CheckResult]
    data_dir: Path
    edit_base: str
    unit_slug: dict[str, str]
    # Derived once per build, on first use:
    team_index: TeamIndex
    units_by_slug: dict[str, tuple[str, list[Team]]]
    backtest: Backtest
    signals: dict[str, str]
    edition: str

    held: Held  # what the pages hold back from Markdown (held.py)

    def links(self, src: str) -> Links: ...
