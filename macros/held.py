"""Held HTML: the markers of finished HTML in a macro's Markdown, and the placeholder a held block leaves behind.

Plain constants and one function, below the page macros (team_pages.py) and the build context (site.py), which
holds the blocks back from Markdown and puts them back (Site.hold_raw_html, Site.fill_slots).
"""

from __future__ import annotations

import re

RAW_OPEN, RAW_CLOSE = "<!--hb:raw-->", "<!--/hb:raw-->"
SLOT = re.compile(r'<div data-hb-slot="(\d+)"></div>')


def slot_div(number: int) -> str:
    """The placeholder a held-back block leaves in a page's Markdown (and HTML) until `fill_slots`."""
    return f'<div data-hb-slot="{number}"></div>'
