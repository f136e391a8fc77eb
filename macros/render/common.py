"""Small pieces shared by every page: status badges, numbers, tables, edit links."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Mapping

from ..i18n import _, pgettext
from ..model import Indicator, Status
from ..words import with_unit as number_with_unit
from .text import esc, inline

STATUS_ORDER = [Status.MET, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.STALE, Status.NO_DATA]


def status_label(status: Status) -> str:
    """The status word in the build's language: "On track", "En bonne voie"."""
    if status is Status.MET:
        return pgettext("status", "Met")
    if status is Status.ON_TRACK:
        return pgettext("status", "On track")
    if status is Status.AT_RISK:
        return pgettext("status", "At risk")
    if status is Status.OFF_TRACK:
        return pgettext("status", "Off track")
    if status is Status.STALE:
        return pgettext("status", "Stale")
    return pgettext("status", "No data")


class _StatusLabels(Mapping[Status, str]):
    """The status words, read in the build's language when looked up (the language is set after import)."""

    def __getitem__(self, status: Status) -> str:
        return status_label(Status(status))

    def __iter__(self) -> Iterator[Status]:
        return iter(STATUS_ORDER)

    def __len__(self) -> int:
        return len(STATUS_ORDER)


STATUS_LABEL: Mapping[Status, str] = _StatusLabels()
# A shape as well as a colour and a word, so status never rests on colour alone.
STATUS_SYMBOL = {
    Status.MET: "✔",
    Status.ON_TRACK: "▲",
    Status.AT_RISK: "◆",
    Status.OFF_TRACK: "▼",
    Status.STALE: "◷",
    Status.NO_DATA: "○",
}


def status_class(status: Status) -> str:
    return "hb-status--" + status.value.replace(" ", "-")


def status_badge(status: Status) -> str:
    """Return an inline HTML badge: symbol, word and colour."""
    return (
        f'<span class="hb-status {status_class(status)}" data-status="{esc(status.value)}">'
        f'<span aria-hidden="true">{STATUS_SYMBOL[status]}</span> {STATUS_LABEL[status]}</span>'
    )


def fmt_value(indicator: Indicator, value: float | None, with_unit: bool = True) -> str:
    """Format a value with the indicator's precision and unit, as plain text."""
    if value is None:
        return "–"
    text = indicator.format(value)
    return number_with_unit(text, indicator.unit) if with_unit else text


def md_table(headers: list[str], rows: Iterable[list[str]], align: list[str] | None = None) -> str:
    """Build a Markdown table; cells must already be inline-safe (see text.inline)."""
    rows = list(rows)
    align = align or ["left"] * len(headers)
    marks = {"left": "---", "right": "--:", "center": ":-:"}
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(marks[a] for a in align) + " |"]
    lines += ["| " + " | ".join(cell.replace("\n", " ") for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def html_table(headers: list[str], rows: Iterable[list[str]], caption: str = "", css: str = "hb-table",
               numeric: set[int] | None = None, sortable: bool = False) -> str:
    """Build an HTML table; header texts are escaped, cells must already be safe HTML."""
    numeric = numeric or set()
    attrs = f' class="{css}"' + (' data-sortable="true"' if sortable else "")
    parts = [f"<table{attrs}>"]
    if caption:
        parts.append(f"<caption>{esc(caption)}</caption>")
    num = ' class="hb-num"'
    parts.append("<thead><tr>" + "".join(
        f'<th scope="col"{num if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(headers)
    ) + "</tr></thead><tbody>")
    for row in rows:
        if numeric or not row:
            parts.append("<tr>" + "".join(f'<td{num if i in numeric else ""}>{c}</td>' for i, c in enumerate(row))
                         + "</tr>")
        else:  # the same cells in one join (tables of thousands of rows)
            parts.append("<tr><td>" + "</td><td>".join(row) + "</td></tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def edit_link(edit_base: str, *files: str) -> str:
    """Say which data files a page comes from, linking to their editor when the repository's URL is configured."""
    if not files:
        return ""
    items = []
    for f in files:
        if edit_base:
            items.append(f'<a href="{esc(edit_base.rstrip("/") + "/" + f)}">{esc(f)}</a>')
        else:
            items.append(f"<code>{esc(f)}</code>")
    label = _("Edit this data: {files}") if edit_base else _("This page comes from: {files}")
    return '\n<p class="hb-source">' + label.format(files=", ".join(items)) + "</p>\n"


def heading(level: int, text: str, anchor: str | None = None) -> str:
    """Return a Markdown heading from data text, with an optional stable anchor."""
    attr = f" {{ #{anchor} }}" if anchor else ""
    return f"\n{'#' * level} {inline(text)}{attr}\n\n"


# The marks around finished HTML in a macro's Markdown, held back from Markdown until the page is converted
# (macros/held.py).
RAW_OPEN, RAW_CLOSE = "<!--hb:raw-->", "<!--/hb:raw-->"


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def bold_html(words: str) -> str:
    """The handbook's own words (never data) with Markdown's **bold** written as HTML, for a raw HTML block."""
    return _BOLD.sub(r"<strong>\1</strong>", words)


def raw_html(html: str) -> str:
    """Mark finished HTML (charts, data tables) that needs no Markdown processing; the engine may hold it back."""
    return f"{RAW_OPEN}{html}{RAW_CLOSE}"


def hold_html_blocks(markdown: str) -> str:
    """Mark every block of a page that is finished HTML as raw, leaving headings and Markdown text to Markdown.

    For pages made once per target or unit: their headings and prose still feed the table of contents and
    search, while tables, charts and diagrams skip Python-Markdown, link checking and the search indexer.
    """
    out = []
    for block in markdown.split("\n\n"):
        text = block.strip("\n")
        # Prose from data (sanitized Markdown in `hb-md` blocks) stays in the page for the search index.
        if text.startswith("<") and text.endswith(">") and not text.startswith('<div class="hb-md'):
            inner = text.replace(RAW_OPEN, "").replace(RAW_CLOSE, "")
            out.append(block.replace(text, raw_html(inner), 1))
        else:
            out.append(block)
    return "\n\n".join(out)


_KEPT = ('<div class="hb-md', '<div class="hb-search')  # blocks a held page keeps in Markdown, for search
_HEADING = re.compile(r"^(#{1,6}) (.*?)(?: \{ #([A-Za-z0-9_-]+) \})?$")
_UNESCAPE = re.compile(r"\\(.)")


def split_page_html(markdown: str) -> tuple[str, str, list[dict]]:
    """Turn a page made of headings and finished HTML into (its H1 as Markdown, the rest marked raw, TOC tokens).

    For pages made once per team or target: only the title, prose from data (`hb-md` blocks) and other blocks kept
    for the search index (`hb-search`) go through Markdown; the rest is HTML already, and the TOC tokens
    (Python-Markdown's shape) let the engine give the page its table of contents all the same.
    """
    title, parts, tokens, ids = "", [], [], set()
    for text in markdown_blocks(markdown.replace(RAW_OPEN, "").replace(RAW_CLOSE, "")):
        m = _HEADING.match(text) if "\n" not in text else None
        if m and len(m.group(1)) == 1 and not title:
            title = text
            continue
        if m:
            level, name = len(m.group(1)), _UNESCAPE.sub(r"\1", m.group(2))  # inline() escapes, minus backslashes
            anchor = m.group(3) or re.sub(r"[^a-z0-9]+", "-", html.unescape(name).lower()).strip("-") or "section"
            while anchor in ids:
                anchor += "-1"
            ids.add(anchor)
            tokens.append({"level": level, "id": anchor, "name": name, "children": []})
            link_title = esc(_("Link to this section"))
            parts.append(f'<h{level} id="{anchor}">{name}<a class="headerlink" href="#{anchor}" '
                         f'title="{link_title}">&para;</a></h{level}>')
        elif text.startswith(_KEPT) and text.endswith(">"):
            parts.append(None)  # a break in the raw HTML: this block stays in the page
            parts.append(text)
        elif text.startswith("<") and text.endswith(">"):
            parts.append(text)
        else:
            raise ValueError(f"a page held as HTML has a Markdown block: {text[:80]!r}")
    body, run = [], []
    for part in [*parts, None]:
        if part is None:
            if run:
                body.append(raw_html("\n".join(run)))
            run = []
        elif part.startswith(_KEPT):
            body.append(part)
        else:
            run.append(part)
    return title + "\n", "\n\n".join(body), nest_toc(tokens)


def markdown_blocks(markdown: str) -> list[str]:
    """The blocks of Markdown text: what `split("\\n\\n")` cuts, less the newlines around each, empty ones left out.

    Found line by line: a page of team charts is one long line per chart, and splitting at a single character
    is about twice as fast as at two (a team page is some 50,000 characters).
    """
    blocks, lines = [], []
    for line in markdown.split("\n"):
        if line:
            lines.append(line)
        elif lines:
            blocks.append("\n".join(lines))
            lines = []
    if lines:
        blocks.append("\n".join(lines))
    return blocks


def nest_toc(tokens: list[dict]) -> list[dict]:
    """Nest flat heading tokens by level, as Python-Markdown's toc extension does."""
    root: list[dict] = []
    stack: list[dict] = []
    for t in tokens:
        while stack and stack[-1]["level"] >= t["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(t)
        stack.append(t)
    return root
