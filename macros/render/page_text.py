"""The fixed text of the shipped pages under docs/ (their title and opening sentence), in the build's language.

A hand-written page cannot call `_()`: its title and opening text come from here, by page, through the page macro
`page_heading` (`{{ page_heading("glossary") }}` on the page's first line writes `# Glossary` and the sentence after
it). Only the handbook's own pages are listed; an organization's own pages keep their own headings.
"""

from __future__ import annotations

from ..i18n import N_, _

# Page key -> (title, opening text or ""), as the English pages said them.
PAGE_TEXT: dict[str, tuple[str, str]] = {
    "start-here": (N_("Start here"), ""),
    "glossary": (N_("Glossary"), N_("The words this handbook uses in a precise sense, then the status names.")),
    "status": (N_("How a status is computed"), ""),
    "propose-a-change": (N_("How to propose a change to a target"), ""),
    "add-figures": (N_("How to add this month's figures"), ""),
    "data-reference": (N_("Data reference"), ""),
    "editions": (N_("Public and internal"), ""),
    "practices": (N_("The eleven practices"), ""),
}


def render_page_heading(page: str) -> str:
    """The page's H1 (the page's title) and its opening text, translated."""
    title, text = PAGE_TEXT[page]
    return f"# {_(title)}\n" + (f"\n{_(text)}\n" if text else "")
