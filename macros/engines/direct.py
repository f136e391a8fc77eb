"""Generated pages converted without a Python-Markdown run of their own (MkDocs only).

A team or target page reaches MkDocs as its title (`# Name`) and blocks of finished HTML (macros/held.py holds the
rest back). For such a page, MkDocs' `Page.render` builds a Python-Markdown converter with every extension, parses
the HTML twice (MkDocs' anchor collector and Markdown's raw-HTML stash) and passes it through unchanged: a
millisecond a page, a second for a thousand teams, on the build's one busy core. Here the title alone is converted,
by one converter kept for the build (reset between pages), and the HTML blocks are put after it as Python-Markdown
writes them; the page's HTML, table of contents, title and anchors are what `Page.render` makes of the same Markdown
(tests/test_direct.py compares them on fixture organizations). A page with anything else falls back to `Page.render`.
"""

from __future__ import annotations

import html
import re

import markdown
from mkdocs.structure.pages import Page, _ExtractTitleTreeprocessor
from mkdocs.structure.toc import get_toc

from ..held import PlainTitles, title_and_html

# An id, or the name of an <a>, in the HTML blocks: the anchors a link may point to (MkDocs' collector's rule).
_IDS = re.compile(r"""<[a-z][^>]*?\sid=(?:"([^"]*)"|'([^']*)')""", re.I)
_NAMES = re.compile(r"""<a\s[^>]*?(?<=\s)name=(?:"([^"]*)"|'([^']*)')""", re.I)
_LEAVE_WORDS = {"toc", "tables", "fenced_code", "attr_list", "admonition", "sane_lists"}


class _Converter:
    """One Python-Markdown converter for the build's titles, set up as MkDocs sets up a page's."""

    def __init__(self, config) -> None:
        self.md = markdown.Markdown(extensions=config["markdown_extensions"],
                                    extension_configs=config["mdx_configs"] or {})
        self.title = _ExtractTitleTreeprocessor()
        self.title._register(self.md)
        # Only with the extensions known to leave a plain title's words and marks alone (an extension such as
        # `smarty` or `pymdownx.emoji` would change them; the second probe would catch most, not all).
        known = all(isinstance(e, str) and e.removeprefix("markdown.extensions.") in _LEAVE_WORDS
                    for e in config["markdown_extensions"])
        toc = self.md.treeprocessors["toc"] if "toc" in self.md.treeprocessors and known else None
        self.plain = PlainTitles(self.convert, toc)

    def convert(self, head: str) -> tuple[str, list[dict], str | None]:
        """(HTML, TOC tokens, title) of a title line, as Python-Markdown makes them."""
        self.md.reset()
        self.title.title = None
        html_text = self.md.convert(head)
        return html_text, getattr(self.md, "toc_tokens", []), self.title.title


_CONVERTERS: dict[int, tuple[object, _Converter]] = {}  # id(config) -> (config, its converter)


def _converter(config) -> _Converter:
    kept = _CONVERTERS.get(id(config))
    if kept is None or kept[0] is not config:  # a new build (each `serve` rebuild loads its configuration again)
        _CONVERTERS.clear()
        kept = _CONVERTERS[id(config)] = (config, _Converter(config))
    return kept[1]


def forget() -> None:
    """Drop the converter (at the end of a build: it holds the build's configuration)."""
    _CONVERTERS.clear()


def render(page: Page, config, files) -> None:
    """`Page.render` for a page of a title and HTML blocks; any other page is handed to `Page.render`."""
    parts = title_and_html(page.markdown)
    if parts is None:
        return Page.render(page, config, files)
    head, blocks = parts
    conv = _converter(config)
    title_html, tokens, title = conv.plain(head) or conv.convert(head)
    page.content = title_html + "\n" + "\n\n".join(blocks) if blocks else title_html
    page.toc = get_toc(tokens)
    page._title_from_render = title
    page.present_anchor_ids = {t["id"] for t in tokens} | anchors_in(blocks)
    page.links_to_anchors = {}  # only the title went through Markdown: no link to check
    return None


def anchors_in(blocks: list[str]) -> set[str]:
    """The anchors of HTML blocks (each id, each <a name>), as MkDocs' collector counts them."""
    return {html.unescape(a or b) for block in blocks for rx in (_IDS, _NAMES) for a, b in rx.findall(block)}


def use(page: Page) -> None:
    """Convert this generated page with `render` when MkDocs converts it."""
    page.render = lambda config, files: render(page, config, files)
