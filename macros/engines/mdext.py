"""A Python-Markdown extension that puts back a page's held-back HTML, for an engine that runs no MkDocs hooks.

A macro holds its finished HTML (charts, data tables) out of Markdown, leaving a placeholder (`Held.hold_raw_html`, macros/held.py).
Under MkDocs the hooks put it back once the page is rendered, after the search index has read the page. An engine
without hooks (Zensical) runs this extension instead: after Markdown has converted the page, it fills the page's
placeholders (marked for the search index to skip, as MkDocs' index never sees them) and adds the held headings to
the page's table of contents. Under MkDocs' hooks it does nothing.
"""

from __future__ import annotations

from html import escape

from markdown import Extension, Markdown

from macros.signals import site_signals

from .prerender import RENDERING, current_build


def _finish(md: Markdown, text: str) -> str:
    """Put back a converted page's held HTML and headings, and add its living signals (without hooks only)."""
    try:
        build = current_build()
    except RuntimeError:
        return text
    site = build.site
    src = _page_path(md)
    if not build.without_hooks or src is None:
        return text
    tokens = [_token(t) for t in site.held.tocs.pop(src, None) or []]
    if tokens:
        toc = getattr(md, "toc_tokens", None)
        if toc and toc[0]["level"] == 1:
            toc[0]["children"].extend(tokens)
        elif toc is not None:
            toc.extend(tokens)
    # Kept out of the search index, as MkDocs' hooks keep it (they put it back after the index has read the page):
    # charts' data and tables would make Zensical's index eight times as large.
    return site.held.fill_slots(src, text, "<div data-search-exclude>{}</div>") + _signals_html(site)


def _signals_html(site) -> str:
    """The living signals under a page's content, as overrides/main.html writes them from `hb_signals`."""
    s = site_signals(site)
    parts = []
    if s["latest_period"]:
        parts.append(escape(s["newest"]))
    if s["changed"]:
        parts.append(f'{escape(s["changed_before"])}<time datetime="{escape(s["changed"])}">{escape(s["changed_label"])}</time>{escape(s["changed_after"])}')
    banner = (f'<p class="hb-calendar-banner" role="note"><strong>{escape(s["old_figures"])}</strong> {escape(s["banner"])}.</p>\n'
              if s.get("banner") else "")
    return banner + (f'\n<p class="hb-signals"><small>{" · ".join(parts)}</small></p>' if parts else "")


def _token(token: dict) -> dict:
    """A held heading as Python-Markdown's toc extension makes its tokens (with `html` and `data-toc-label`)."""
    return {"html": token["name"], "data-toc-label": "", **token, "children": [_token(c) for c in token["children"]]}


def _page_path(md: Markdown) -> str | None:
    """The source path of the page being converted: from the engine's rendering context (Zensical's `page.path`),
    else the page whose macros this thread rendered last (MkDocs converts a page right after its macros)."""
    for processor in md.preprocessors:
        page = getattr(processor, "page", None)
        if page is not None and isinstance(getattr(page, "path", None), str):
            return page.path
    return getattr(RENDERING, "src", None)


class HeldHtmlExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # Once the whole page is converted: postprocessors also run on each heading's text (for its TOC entry).
        convert = md.convert

        def convert_and_finish(source: str) -> str:
            return _finish(md, convert(source))

        md.convert = convert_and_finish


def makeExtension(**kwargs) -> HeldHtmlExtension:  # noqa: N802 - Python-Markdown's name
    return HeldHtmlExtension(**kwargs)
