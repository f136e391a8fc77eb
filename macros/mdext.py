"""A Python-Markdown extension that puts back a page's held-back HTML, for an engine that runs no MkDocs hooks.

A macro holds its finished HTML (charts, data tables) out of Markdown, leaving a placeholder (`Site.hold_raw_html`).
Under MkDocs the hooks put it back once the page is rendered, after the search index has read the page. An engine
without hooks (Zensical) runs this extension instead: after Markdown has converted the page, it fills the page's
placeholders and adds the held headings to the page's table of contents. Under MkDocs it does nothing.
"""

from __future__ import annotations

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor


class HeldHtml(Postprocessor):
    def run(self, text: str) -> str:
        from .site import current_site

        try:
            site = current_site()
        except RuntimeError:
            return text
        src = _page_path(self.md)
        if not site.without_hooks or src is None:
            return text
        tokens = [_token(t) for t in site.tocs.pop(src, None) or []]
        if tokens:
            toc = getattr(self.md, "toc_tokens", None)
            if toc and toc[0]["level"] == 1:
                toc[0]["children"].extend(tokens)
            elif toc is not None:
                toc.extend(tokens)
        return site.fill_slots(src, text)


def _token(token: dict) -> dict:
    """A held heading as Python-Markdown's toc extension makes its tokens (with `html` and `data-toc-label`)."""
    return {"html": token["name"], "data-toc-label": "", **token, "children": [_token(c) for c in token["children"]]}


def _page_path(md: Markdown) -> str | None:
    """The source path of the page being converted, from the engine's rendering context (Zensical's `page.path`)."""
    for processor in md.preprocessors:
        page = getattr(processor, "page", None)
        if page is not None and isinstance(getattr(page, "path", None), str):
            return page.path
    return None


class HeldHtmlExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After raw HTML is restored (30), so the placeholders are in the text.
        md.postprocessors.register(HeldHtml(md), "hb_held_html", 5)


def makeExtension(**kwargs) -> HeldHtmlExtension:  # noqa: N802 - Python-Markdown's name
    return HeldHtmlExtension(**kwargs)
