"""Held HTML: the markers of finished HTML in a macro's Markdown, the placeholder a held block leaves behind, and
the store of held blocks (`Held`: one per build, `Site.held`) that puts them back once the engine has converted
the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

from .render.common import RAW_CLOSE, RAW_OPEN, markdown_blocks, split_page_html

SLOT = re.compile(r'<div data-hb-slot="(\d+)"></div>')


def slot_div(number: int) -> str:
    """The placeholder a held-back block leaves in a page's Markdown (and HTML) until `fill_slots`."""
    return f'<div data-hb-slot="{number}"></div>'


@dataclass
class Held:
    """The HTML held back from Markdown, per page, until the engine has converted the page."""

    slots: dict[str, list[str]] = field(default_factory=dict)  # page src -> HTML held back from Markdown
    tocs: dict[str, list[dict]] = field(default_factory=dict)  # page src -> TOC tokens of a page held as HTML
    # page src -> the ids in its held HTML, once found (the live preview hands over those of a page it reuses)
    found: dict[str, frozenset[str]] = field(default_factory=dict)

    def hold_raw_html(self, src: str, markdown: str) -> str:
        """Swap each marked raw-HTML block of a macro's output for a placeholder, kept for `fill_slots`.

        Python-Markdown, MkDocs' link checker and the search indexer each parse a page's HTML again; chart data and
        data tables are finished HTML that none of them needs to read. Holding them back keeps a build with 1,000
        team pages close to a plain build's time.
        """
        if RAW_OPEN not in markdown:
            return markdown
        held = self.slots.setdefault(src, [])
        self.found.pop(src, None)
        out, pos = [], 0
        while (start := markdown.find(RAW_OPEN, pos)) >= 0:
            end = markdown.find(RAW_CLOSE, start)
            if end < 0:
                break
            out.append(markdown[pos:start])
            held.append(markdown[start + len(RAW_OPEN):end])
            out.append(slot_div(len(held) - 1))
            pos = end + len(RAW_CLOSE)
        out.append(markdown[pos:])
        return "".join(out)

    def append(self, src: str, blocks: list[str]) -> int:
        """Add held blocks after those a page holds; return how many it held before (the new blocks' offset)."""
        held = self.slots.setdefault(src, [])
        offset = len(held)
        if blocks:
            held.extend(blocks)
            self.found.pop(src, None)
        return offset

    def hold_page(self, src: str, markdown: str) -> str:
        """Hold back everything but a page's title, keeping its headings for the table of contents."""
        title, body, toc = split_page_html(markdown)
        self.tocs[src] = toc
        return title + "\n" + body + "\n"

    def anchors(self, src: str) -> frozenset[str]:
        """The ids in a page's held-back HTML: anchors a link may point to. The handbook writes that HTML, each id as
        ` id="..."`: found by searching for that, ten times faster than a pattern over some 78 KB a team page."""
        if src in self.found:
            return self.found[src]
        found = set()
        for block in self.slots.get(src, ()):
            at = block.find(' id="')
            while at >= 0:
                end = block.find('"', at + 5)
                if end < 0:
                    break
                found.add(unescape(block[at + 5:end]))
                at = block.find(' id="', end)
        self.found[src] = frozenset(found)
        return self.found[src]

    def fill_slots(self, src: str, html: str, wrap: str = "{}") -> str:
        """Put the held-back HTML of a page back in place of its placeholders (each block formatted into `wrap`)."""
        held = self.slots.pop(src, None)
        if not held:
            return html
        return SLOT.sub(lambda m: wrap.replace("{}", held[int(m.group(1))]), html)


def title_and_html(text: str | None) -> tuple[str, list[str]] | None:
    """(the title line, the HTML blocks) of a page made only of them (a team or target page), else None: such a
    page needs nothing of Python-Markdown but its title (macros/engines/direct.py)."""
    if not text:
        return None
    blocks = markdown_blocks(text)
    if not blocks or not blocks[0].startswith("# ") or "\n" in blocks[0]:
        return None
    # A title from inline() escapes Markdown's link and attribute syntax; anything else is left to Python-Markdown.
    if any(mark in blocks[0] for mark in ("](", "{", " id=", "<a ")):
        return None
    if not all(_passed_through(b) for b in blocks[1:]):
        return None
    return blocks[0], blocks[1:]


# The blocks Python-Markdown passes through unchanged: a block-level element from its first character to its own
# closing tag (an inline element, a comment, or text after the closing tag, it would wrap or convert).
_BLOCK_START = re.compile(r"<(div|h[1-6]|table|figure|details|section|nav|ul|ol|dl|pre|blockquote|p)[\s>]")


def _passed_through(block: str) -> bool:
    m = _BLOCK_START.match(block)
    return m is not None and block.endswith(f"</{m.group(1)}>")


# A title of words, spaces and a few marks (its `-`, `.`, `(` and `)` escaped by `inline()`): nothing in it that
# Python-Markdown would change, so its heading can be written from the shape of another one.
_PLAIN_TITLE = re.compile(r"# ((?:[^\W_]|[',:/]|\\[-.()])+(?: (?:[^\W_]|[',:/]|\\[-.()])+)*)")
# The second probe holds every mark a plain title may hold: an extension that would change any of them (typographic
# quotes, fractions, symbols) makes its heading differ, and no title takes the short way.
_PROBES = ("Probe", "St\\. Mary's 1/2: a\\-b \\(c\\), d")


class PlainTitles:
    """A page title's (HTML, TOC tokens, title) without running Python-Markdown, for a plain title (`_PLAIN_TITLE`):
    its heading written in the shape Python-Markdown gave a probe title, with the id its table-of-contents extension
    (`toc`, its treeprocessor) gives it. `convert(head)` is the real conversion, which teaches the shape and checks it
    on a second probe. Calling it returns None for any other title, or when no shape was learned."""

    def __init__(self, convert, toc) -> None:
        self.toc = toc
        self.shape: tuple[str, dict] | None = None
        if toc is None:
            return
        html_text, tokens, title = convert(f"# {_PROBES[0]}")
        anchor = toc.slugify(_PROBES[0], toc.sep)
        if title != _PROBES[0] or len(tokens) != 1 or tokens[0].get("id") != anchor or tokens[0].get("children"):
            return
        self.shape = (html_text.replace(f'"{anchor}"', '"\0id\0"').replace(f'"#{anchor}"', '"#\0id\0"')
                      .replace(f">{_PROBES[0]}<", ">\0text\0<"), dict(tokens[0]))
        if self(f"# {_PROBES[1]}") != convert(f"# {_PROBES[1]}"):
            self.shape = None

    def __call__(self, head: str) -> tuple[str, list[dict], str | None] | None:
        m = _PLAIN_TITLE.fullmatch(head) if self.shape is not None else None
        if m is None:
            return None
        text = m.group(1).replace("\\", "")
        anchor = self.toc.slugify(text, self.toc.sep)
        if not anchor:
            return None
        html_shape, token = self.shape
        return (html_shape.replace("\0id\0", anchor).replace("\0text\0", text),
                [{**token, "id": anchor, "name": text, "html": text}], text)
