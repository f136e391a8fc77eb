"""A projection (macros/projection.py) on the pages: its sentence, its short form, and its traces on a target chart."""

from __future__ import annotations

from ..i18n import _
from ..model import Indicator
from ..periods import format_period
from ..projection import (
    AFTER,
    BEFORE,
    NOT_AT_PACE,
    TOO_EARLY,
    Projection,
    describe_paces,
    describe_projection,
    describe_range,
    fmt_pace,
    per_period,
)
from .text import esc

# A projection's kind as a CSS/data attribute value, and the symbol said beside it (never colour alone).
KIND_ATTR = {BEFORE: "before-deadline", AFTER: "after-deadline", NOT_AT_PACE: "not-at-this-pace", TOO_EARLY: "too-early"}
KIND_SYMBOL = {BEFORE: "✔", AFTER: "✘", NOT_AT_PACE: "✘", TOO_EARLY: "…"}


def pace_sentence(p: Projection | None, ind: Indicator, frequency: str) -> str:
    """Say a projection and the paces in one plain-text sentence (escape it), "" when none is shown.

    "At this pace: met by 2026-09, range 2026-05 to 2027-02, before the 2026-12 deadline; needs -0.4 days a month,
    keeping -0.1 (range -0.3 to +0.1)."
    """
    if p is None or p.kind is None:
        return ""
    text = describe_projection(p, frequency)
    paces = describe_paces(p, ind, frequency)
    if p.kind == TOO_EARLY and p.pace_needed is not None:
        paces = _("needs {needed} {per}").format(needed=fmt_pace(ind, p.pace_needed), per=per_period(frequency))
    text = _("{projection}; {paces}").format(projection=text, paces=paces) if text and paces else text or paces
    return text[0].upper() + text[1:] + "."


def pace_short(p: Projection | None, frequency: str) -> str:
    """Say a projection in a few words for a table cell: "by 2026-09, range 2026-05 to 2027-02, before deadline",
    "by 2029-05, range 2027-05 to never, after deadline", "not at this pace", "".

    The range is the long form's (projection.describe_range): a cell never shows a period without the range
    around it."""
    if p is None or p.kind is None:
        return ""
    if p.kind in (BEFORE, AFTER) and p.projected is not None:
        period, spread = format_period(p.projected, frequency), describe_range(p, frequency)
        if spread:
            message = (_("by {period}, range {range}, before deadline") if p.kind == BEFORE else
                       _("by {period}, range {range}, after deadline"))
            return message.format(period=period, range=spread)
        message = _("by {period}, before deadline") if p.kind == BEFORE else _("by {period}, after deadline")
        return message.format(period=period)
    if p.kind == NOT_AT_PACE and p.reason == "beyond horizon" and p.horizon is not None:
        return _("not before {year}").format(year=format_period(p.horizon, frequency).split("-")[0])
    if p.kind == TOO_EARLY:
        return _("too early to tell")
    return _("not at this pace") if p.kind == NOT_AT_PACE else p.kind


def pace_html(p: Projection | None, text: str) -> str:
    """Wrap a projection's words in a span marked with its kind and a symbol ("" when none is shown)."""
    if p is None or p.kind is None or not text:
        return ""
    return (f'<span class="hb-pace" data-projection="{KIND_ATTR[p.kind]}"><span aria-hidden="true">'
            f"{KIND_SYMBOL[p.kind]}</span> {esc(text)}</span>")


def projection_traces(p: Projection | None, frequency: str) -> list[dict]:
    """Return the band (a filled shape) and the dotted line at the pace kept, from the latest figure to the crossing
    when it comes before the deadline, else to the deadline; none without a pace or when none is shown."""
    if p is None or p.kind is None or p.pace is None or p.latest_period is None:
        return []
    end = p.drawn_until()
    if end is None or end <= p.latest_period:
        return []
    periods = list(range(p.latest_period, end + 1))
    points = [p.at(t) for t in periods]
    x = [format_period(t, frequency) for t in periods]
    return [
        {"type": "scatter", "mode": "lines", "name": _("Range at this pace"), "meta": "band", "fill": "toself",
         "hoverinfo": "skip", "x": x + x[::-1],
         "y": [round(hi, 6) for _, _, hi in points] + [round(lo, 6) for _, lo, _ in points][::-1]},
        {"type": "scatter", "mode": "lines", "name": _("At this pace"), "meta": "projection", "line": {"dash": "dot"},
         "x": x, "y": [round(v, 6) for v, _, _ in points]},
    ]
