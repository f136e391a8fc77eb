"""Small pieces shared by every page: status badges, numbers, tables, edit links."""

from __future__ import annotations

from typing import Iterable

from ..model import Indicator, Status
from .text import esc, inline

STATUS_ORDER = [Status.MET, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.STALE, Status.NO_DATA]
STATUS_LABEL = {
    Status.MET: "Met",
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.OFF_TRACK: "Off track",
    Status.STALE: "Stale",
    Status.NO_DATA: "No data",
}
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
    return f"{text} {indicator.unit}" if with_unit and indicator.unit else text


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
        parts.append("<tr>" + "".join(f'<td{num if i in numeric else ""}>{c}</td>' for i, c in enumerate(row)) + "</tr>")
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
    label = "Edit this data" if edit_base else "This page comes from"
    return f'\n<p class="hb-source">{label}: ' + ", ".join(items) + "</p>\n"


def heading(level: int, text: str, anchor: str | None = None) -> str:
    """Return a Markdown heading from data text, with an optional stable anchor."""
    attr = f" {{ #{anchor} }}" if anchor else ""
    return f"\n{'#' * level} {inline(text)}{attr}\n\n"


def raw_html(html: str) -> str:
    """Mark finished HTML (charts, data tables) that needs no Markdown processing; the engine may hold it back."""
    return f"<!--hb:raw-->{html}<!--/hb:raw-->"


def hold_html_blocks(markdown: str) -> str:
    """Mark every block of a page that is finished HTML as raw, leaving headings and Markdown text to Markdown.

    For pages made once per team: their headings still feed the table of contents and search, while the HTML
    between them skips Python-Markdown, link checking and the search indexer.
    """
    out = []
    for block in markdown.split("\n\n"):
        text = block.strip("\n")
        if text.startswith("<") and text.endswith(">") and "<!--hb:raw-->" not in text:
            out.append(block.replace(text, raw_html(text), 1))
        else:
            out.append(block)
    return "\n\n".join(out)
