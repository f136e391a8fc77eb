"""Make untrusted text from data safe: inline text for Markdown, HTML text, and sanitized Markdown."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown as _markdown
import nh3

from ..i18n import Original, lang_of

# Characters Python-Markdown gives meaning to inline; each is backslash-escaped. `<`, `>` and `&` become entities.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h4", "h5", "h6", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "del", "sub", "sup",
}
_ALLOWED_ATTRS = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def _in_lang(text: object, body: str, tag: str = "span") -> str:
    """Wrap untranslated text from the data (macros/i18n.py, Original) in an element naming its language."""
    lang = lang_of(text)
    return f'<{tag} lang="{html.escape(lang, quote=True)}">{body}</{tag}>' if lang and body else body


def one_line(text: str) -> str:
    """Text from the data with its whitespace tidied to single spaces, still marked with its language when it is
    shown untranslated (an Original)."""
    flat = " ".join(str(text).split())
    lang = lang_of(text)
    return Original(flat, lang) if lang else flat


def inline(text: str) -> str:
    """Return text that Markdown shows literally on one line: no markup, no HTML, no table breaks.

    Text from the data left untranslated in a page of another language comes inside `<span lang="..">`.
    """
    flat = " ".join(str(text).split())
    return _in_lang(text, html.escape(_MD_SPECIAL.sub(r"\\\1", flat), quote=False))


def esc(text: object) -> str:
    """Escape text for an HTML element or attribute.

    Text from the data left untranslated in a page of another language comes inside `<span lang="..">` (so such
    text, which only names and titles from the data are, is never put in an attribute with this).
    """
    if type(text) is str:  # plain text (not an Original): no language to mark; a team page escapes ~800 of these
        return html.escape(text, quote=True)
    return _in_lang(text, html.escape(str(text), quote=True))


@lru_cache(maxsize=4096)
def markdown_html(text: str) -> str:
    """Render Markdown from data to sanitized HTML: raw HTML shown as text, unsafe links dropped."""
    if not text or not text.strip():
        return ""
    # Escape raw HTML before conversion so tags show as text; then sanitize what Markdown itself produced.
    source = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Blockquotes start with '>' at line start; keep that one Markdown construct working.
    source = re.sub(r"(?m)^(\s{0,3})&gt;", r"\1>", source)
    rendered = _markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        rendered,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    # The result is embedded in a page as one raw HTML block: blank lines would end the block early.
    return re.sub(r"\n\s*\n", "\n", clean).strip()


def md_block(text: str, css: str = "hb-md") -> str:
    """Wrap sanitized Markdown from data as a raw HTML block for a generated page (with the `lang` of text left
    untranslated in a page of another language)."""
    body = markdown_html(text)
    if not body:
        return ""
    lang = lang_of(text)
    attr = f' lang="{html.escape(lang, quote=True)}"' if lang else ""
    return f'\n<div class="{css}"{attr}>\n{body}\n</div>\n'


def md_inline(text: str) -> str:
    """Render one-line Markdown from data as sanitized inline HTML (no paragraph)."""
    body = markdown_html(text)
    if body.startswith("<p>") and body.endswith("</p>") and body.count("<p>") == 1:
        body = body[3:-4]
    return _in_lang(text, body)
