"""Charts as plain plotly figure dicts, and the HTML that carries them with their text alternative.

No plotly import: a figure is `{"data": [...], "layout": {...}}`, dumped once to JSON and placed in a data
attribute; `docs/assets/js/charts.js` applies the shared template (fonts, colours, margins, light and dark
mode) and draws it. Every trace has a `meta` role (actual, trajectory, target, baseline, limit, note, and team
for the lines of a cross-team chart) that the script colours by. The x axis is a category axis of period labels
(`2026-03`, `2026-Q1`), the same labels the data and the tables use; its `categoryarray` lists every period in
the range so that the straight-line trajectory keeps its true spacing.

Figures are true to messy data. A missing period (no figure between a team's first figure and its last, or the
latest period any team reported) is a null on the line, which plotly leaves unjoined (`connectgaps: false`),
a "no figure" row in the data table, and counted in the summary. A figure's note is printed under the chart with
its period (`chart_notes`; identical notes on consecutive periods as one ranged note), in its point's hover text,
marked by one star per run of notes (a `note` trace), and in the table's Note column; notes are data, escaped for
plotly (`plotly_text`) and for HTML. Charts of one indicator on one page share their y range (`share_y_range`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import orjson

from ..derive import GuardrailResult, TeamStatus, derive_expected
from ..i18n import N_, _, current, fmt_decimal, fmt_decimals, fmt_int, ngettext
from ..model import Better, Indicator, Series, Status
from ..periods import format_period as _format_period
from ..projection import Projection
from ..words import (
    difference_decimals,
    fmt_data_value,
    fmt_difference,
    fmt_threshold,
    is_no_change,
    join_words,
)
from .common import fmt_value, raw_html
from .deadlines import describe_deadline
from .pace import pace_sentence, projection_traces
from .text import esc, one_line

# Period labels repeat on every chart of every page: spell each one once per build process.
format_period = lru_cache(maxsize=None)(_format_period)

# The one-line summary per status ("3.1 days in 2026-10, on track for 2.0 days by 2026-12."), a whole sentence each.
_STATUS_PHRASE = {
    Status.ON_TRACK: N_("{now}, on track for {goal}."),
    Status.AT_RISK: N_("{now}, at risk of missing {goal}."),
    Status.OFF_TRACK: N_("{now}, off track for {goal}."),
}


@dataclass(frozen=True)
class Chart:
    """A figure with its text alternative: a one-line summary and the data as table rows."""

    figure: dict
    summary: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str = ""
    small: bool = False
    text_column: int | None = None  # the column holding text from data (notes): escaped when rendered
    notes: tuple[tuple[str, str], ...] = ()  # (periods, note) shown under the chart: identical runs collapsed


def period_range(first: int, last: int, frequency: str) -> list[str]:
    """Return every period label from first to last, inclusive."""
    return list(_period_labels(first, last, frequency))


@lru_cache(maxsize=1024)
def _period_labels(first: int, last: int, frequency: str) -> tuple[str, ...]:
    # The same runs of periods label every chart's line, axis and data table: each run is spelled once per process.
    return tuple(format_period(i, frequency) for i in range(first, last + 1))


@dataclass(frozen=True)
class LaidOut:
    """A series on every period from its first figure to its end: None where a period has no figure."""

    periods: range
    values: list[float | None]
    notes: list[str]  # "" where a period has no note (or no figure)
    missing: tuple[int, ...]  # the periods with no figure
    noted: bool  # whether any figure carries a note


def lay_out(series: Series, end: int | None = None) -> LaidOut:
    """Lay a series out on every period from its first figure to its last, or to `end` when that is later.

    Missing periods are those between the series' first figure and its end with no figure: none before the team's
    first figure (it had not started), and after its last figure only up to `end` (the latest period any team
    reported), where a trailing gap is what makes the figures stale.
    """
    first, last = series.periods[0], series.periods[-1]
    stop = max(last, end) if end is not None else last
    # Most series carry no note at all: only tidy the notes of one that has some (this runs for every chart).
    notes = [one_line(n) for n in series.notes] if any(series.notes) else list(series.notes)
    noted = any(notes)
    if last - first + 1 == len(series.periods):  # contiguous (the common case, kept cheap), then any trailing gap
        gap = stop - last
        return LaidOut(range(first, stop + 1), list(series.values) + [None] * gap, notes + [""] * gap,
                       tuple(range(last + 1, stop + 1)), noted)
    values: list[float | None] = [None] * (stop - first + 1)
    laid_notes = [""] * (stop - first + 1)
    for p, v, n in zip(series.periods, series.values, notes, strict=True):
        values[p - first] = v
        laid_notes[p - first] = n
    missing = tuple(first + i for i, v in enumerate(values) if v is None)
    return LaidOut(range(first, stop + 1), values, laid_notes, missing, noted)


def period_word(frequency: str, n: int) -> str:
    """Return "month", "months", "quarter" or "quarters" for n periods."""
    if frequency == "quarterly":
        return ngettext("quarter", "quarters", n)
    return ngettext("month", "months", n)


def periods_missing(frequency: str, n: int, spans: str) -> str:
    """Say how many periods are missing and which: "3 months missing (2025-12, 2026-08 to 2026-09)"."""
    if frequency == "quarterly":
        message = ngettext("{n} quarter missing ({periods})", "{n} quarters missing ({periods})", n)
    else:
        message = ngettext("{n} month missing ({periods})", "{n} months missing ({periods})", n)
    return message.format(n=fmt_int(n), periods=spans)


def period_span(first: str, last: str) -> str:
    """Say a run of periods: "2024-02 to 2025-03"."""
    return _("{first} to {last}").format(first=first, last=last)


def _spans(periods: tuple[int, ...], frequency: str, limit: int = 4) -> str:
    """Say a list of periods as runs: "2025-12, 2026-08 to 2026-10"; at most `limit` runs, then "and more"."""
    runs: list[list[int]] = []
    for p in periods:
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    words = [format_period(a, frequency) if a == b else period_span(format_period(a, frequency), format_period(b, frequency))
             for a, b in runs[:limit]]
    if len(runs) > limit:
        words.append(_("and more"))
    return ", ".join(words)


def describe_gaps(laid: LaidOut, frequency: str) -> str:
    """Say how many periods have no figure, and which: "3 months missing (2025-12, 2026-08 to 2026-09)."."""
    n = len(laid.missing)
    if not n:
        return ""
    return periods_missing(frequency, n, _spans(laid.missing, frequency)) + "."


def note_runs(series: Series) -> list[tuple[int, int, float, str]]:
    """Return the notes of a series as runs: (first period, last period, value at the first, note).

    The same note on consecutive periods is one run ("published as x" for fourteen months is said once); a period
    with no figure or another note ends a run. Whitespace in a note is tidied.
    """
    if not any(series.notes):  # the common case: no note at all
        return []
    runs: list[list] = []
    for p, v, n in zip(series.periods, series.values, series.notes, strict=True):
        text = one_line(n)
        if not text:
            continue
        if runs and runs[-1][3] == text and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p, v, text])
    return [tuple(r) for r in runs]  # type: ignore[misc]


def _noted_figures(series: Series) -> list[tuple[int, float]]:
    """Return (period, value) of the first figure of each run of notes: one marker per note, not per figure."""
    return [(first, v) for first, _, v, _ in note_runs(series)]


def run_label(first: int, last: int, frequency: str) -> str:
    """Say the periods of a run of notes: "2024-02", or "2024-02 to 2025-03"."""
    if first == last:
        return format_period(first, frequency)
    return period_span(format_period(first, frequency), format_period(last, frequency))


def chart_notes(series: Series | None, frequency: str, who: str = "") -> tuple[tuple[str, str], ...]:
    """Return the notes to print under a chart: (periods, note), identical consecutive notes collapsed.

    `who` names the line (a team) on a chart of several.
    """
    if series is None or not series.periods:
        return ()
    prefix = f"{who}, " if who else ""
    return tuple((prefix + run_label(a, b, frequency), text) for a, b, _, text in note_runs(series))


def describe_notes(series: Series, frequency: str) -> str:
    """Say which figures carry a note ("Note on 2026-01."): the notes themselves are printed under the chart."""
    runs = note_runs(series)
    if not runs:
        return ""
    labels = [run_label(a, b, frequency) for a, b, _n, _t in runs[:4]] + ([_("and more")] if len(runs) > 4 else [])
    return ngettext("Note on {periods} (below the chart).", "Notes on {periods} (below the chart).",
                    len(runs)).format(periods=", ".join(labels))


def _with_gaps_and_notes(summary: str, series: Series | None, frequency: str, end: int | None,
                         laid: LaidOut | None = None) -> str:
    """Append to a chart's summary how many periods are missing and which figures carry notes (`laid`: the series
    laid out to `end` already, as each chart builder does once)."""
    if series is None or not series.periods:
        return summary
    extra = [describe_gaps(laid or lay_out(series, end), frequency), describe_notes(series, frequency)]
    return " ".join([summary, *(e for e in extra if e)])


def _x_axis(first: int, last: int, frequency: str, listed: bool = True) -> dict:
    """Return a category axis of periods; `listed=False` when the first trace already lists every period in order."""
    n = last - first + 1
    # Half a period of room at each end, so that a deadline or baseline on the edge stays visible.
    axis: dict = {"type": "category", "range": [-0.5, n - 0.5]}
    if listed:
        axis["categoryorder"] = "array"
        axis["categoryarray"] = period_range(first, last, frequency)
    return axis


# plotly.js reads its text (titles, trace names, hover labels) as a small HTML subset: `<b>`, `<a href>`, `<br>`.
# Text from data is written as entities, which plotly shows literally, so no markup from data enters the SVG.
_PLOTLY_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def plotly_text(text: str) -> str:
    """Return data text that plotly.js shows as written, never as its pseudo-HTML."""
    return text.translate(_PLOTLY_TEXT)


def _y_axis(indicator: Indicator) -> dict:
    axis: dict = {"title": {"text": plotly_text(indicator.unit)}} if indicator.unit else {}
    # Match the indicator's display precision on the axis and in hover labels.
    axis["hoverformat"] = f",.{indicator.decimals}f"
    return axis


def _actual_trace(series: Series, frequency: str, name: str | None = None, end: int | None = None,
                  laid: LaidOut | None = None) -> dict:
    """Return the figures as a line: a null at each missing period, so plotly breaks the line there."""
    laid = laid or lay_out(series, end)
    trace = {
        "type": "scatter", "mode": "lines+markers", "name": plotly_text(_("Actual") if name is None else name),
        "meta": "actual",
        "x": period_range(laid.periods.start, laid.periods.stop - 1, frequency), "y": laid.values, "connectgaps": False,
    }
    if laid.noted:
        trace["hovertext"] = [hover_note(n) for n in laid.notes]
    return trace


HOVER_NOTE_MAX = 300


def hover_note(note: str, width: int = 60) -> str:
    """Return a note as plotly hover text: escaped (plotly_text), then wrapped with our own `<br>` (hover labels
    do not wrap), prefixed "Note:"; "" for no note."""
    if not note:
        return ""
    if len(note) > HOVER_NOTE_MAX:  # a hover label is no place for an essay: the list under the chart has it all
        note = _("{start} … (the whole note is below the chart)").format(start=note[:HOVER_NOTE_MAX].rsplit(" ", 1)[0])
    return "<br>".join(plotly_text(line) for line in textwrap.wrap(_("Note: {note}").format(note=note), width))


def _note_trace(noted: list[tuple[int, float]], frequency: str, name: str | None = None) -> dict | None:
    """Return a marker at every figure that carries a note, (period, value) pairs (hover text is on the figure's
    own point)."""
    if not noted:
        return None
    return {
        "type": "scatter", "mode": "markers", "name": plotly_text(_("Note") if name is None else name), "meta": "note", "hoverinfo": "skip",
        "marker": {"symbol": "star", "size": 13},
        "x": [format_period(p, frequency) for p, _ in noted], "y": [v for _, v in noted],
    }


def _series_end(series: Series, end: int | None) -> int:
    return max(series.periods[-1], end) if end is not None else series.periods[-1]


def build_target_figure(status: TeamStatus, indicator: Indicator, series: Series | None, frequency: str,
                        end: int | None = None, laid: LaidOut | None = None) -> dict:
    """Return one team's figures on a target against the trajectory from its baseline to the target.

    Traces: actual figures (a null at each missing period up to `end`, the latest period reported); the
    straight-line trajectory from baseline to target (two points); the target as a horizontal line across the
    whole axis; the baseline as one marker; a marker at each figure with a note. The deadline is a vertical line.
    """
    deadline = status.target_period
    points = [deadline]
    if status.baseline_period is not None:
        points.append(status.baseline_period)
    if series is not None and series.periods:
        points += [series.periods[0], _series_end(series, end)]
    first, last = min(points), max(points)
    fmt = lambda i: format_period(i, frequency)  # noqa: E731
    data = []
    has_baseline = status.baseline_period is not None and status.baseline_value is not None
    if series is not None and series.periods:
        laid = laid or lay_out(series, end)
        actual = _actual_trace(series, frequency, end=end, laid=laid)
        if has_baseline:
            # The trajectory's value at each period of the line: the data table's third column.
            base = (status.baseline_period, status.baseline_value)
            goal = (deadline, status.target_value)
            actual["customdata"] = [round(derive_expected(base, goal, p), 6) if p >= base[0] else None  # type: ignore[arg-type,operator]
                                    for p in laid.periods]
        data.append(actual)
    if has_baseline:
        data.append({
            "type": "scatter", "mode": "lines", "name": _("Trajectory"), "meta": "trajectory", "line": {"dash": "dash"},
            "x": [fmt(status.baseline_period), fmt(deadline)], "y": [status.baseline_value, status.target_value],
        })
    data.append({
        "type": "scatter", "mode": "lines", "name": _("Target"), "meta": "target", "line": {"dash": "dot"},
        "x": [fmt(first), fmt(last)], "y": [status.target_value, status.target_value],
    })
    if status.baseline_period is not None and status.baseline_value is not None:
        data.append({
            "type": "scatter", "mode": "markers", "name": _("Baseline"), "meta": "baseline",
            "marker": {"symbol": "diamond", "size": 10},
            "x": [fmt(status.baseline_period)], "y": [status.baseline_value],
        })
    if series is not None and series.periods and (note := _note_trace(_noted_figures(series), frequency)) is not None:
        data.append(note)
    layout = {
        "xaxis": _x_axis(first, last, frequency),
        "yaxis": _y_axis(indicator),
        "shapes": [{
            "type": "line", "name": "deadline", "xref": "x", "yref": "paper",
            "x0": fmt(deadline), "x1": fmt(deadline), "y0": 0, "y1": 1, "line": {"dash": "dot", "width": 1},
        }],
        "annotations": [{
            "name": "deadline", "x": fmt(deadline), "y": 1, "xref": "x", "yref": "paper", "text": _("Deadline"),
            "showarrow": False, "xanchor": "right", "yanchor": "bottom",
        }],
    }
    return {"data": data, "layout": layout}


def summarize_target(status: TeamStatus, indicator: Indicator, frequency: str) -> str:
    """Say in one line where a team stands on a target: "3.1 days in 2026-10, on track for 3.0 days by 2026-12".

    Once the deadline has passed, nothing speaks of it as ahead: the line says whether it was met at the deadline.
    """
    fmt = lambda i: format_period(i, frequency)  # noqa: E731
    goal = _("{value} by {period}").format(value=fmt_data_value(indicator, status.target_value),
                                            period=fmt(status.target_period))
    if status.deadline_passed:
        deadline = describe_deadline(status, indicator, frequency)
        deadline_clause = f"{deadline[0].lower()}{deadline[1:]}"
        if status.status is Status.NO_DATA or status.value is None or status.period is None:
            if status.last_figure_period is not None:  # a closed team has figures, all before the baseline
                return _("No figure since {period} for this target; {deadline}.").format(
                    period=fmt(status.last_figure_period), deadline=deadline_clause)
            return _("No figures for this target; {deadline}.").format(deadline=deadline_clause)
        now = _("{value} in {period}").format(value=fmt_value(indicator, status.value), period=fmt(status.period))
        if status.status is Status.STALE:
            behind = status.periods_behind or 0
            return ngettext("{now}, stale: no figure for {n} period. {deadline}.",
                            "{now}, stale: no figure for {n} periods. {deadline}.", behind).format(
                now=now, n=fmt_int(behind), deadline=deadline)
        return _("{now}. {deadline}.").format(now=now, deadline=deadline)
    if status.status is Status.NO_DATA or status.value is None or status.period is None:
        return _("No figures yet for this target; the target is {goal}.").format(goal=goal)
    now = _("{value} in {period}").format(value=fmt_value(indicator, status.value), period=fmt(status.period))
    if status.status is Status.MET:
        return _("{now}: met the target of {goal}.").format(now=now, goal=goal)
    if status.status is Status.STALE:
        behind = status.periods_behind or 0
        return ngettext("{now}, stale: no figure for {n} period, so no current status; the target is {goal}.",
                        "{now}, stale: no figure for {n} periods, so no current status; the target is {goal}.",
                        behind).format(now=now, n=fmt_int(behind), goal=goal)
    return _(_STATUS_PHRASE[status.status]).format(now=now, goal=goal)


NO_FIGURE = N_("no figure")  # a data table's cell for a missing period (translated where it is written)


def build_target_chart(status: TeamStatus, indicator: Indicator, series: Series | None, frequency: str,
                       title: str = "", end: int | None = None, projection: Projection | None = None) -> Chart:
    """Return a target chart with its summary and its data table (period, actual, trajectory, and note if any).

    `end` is the latest period any team reported: periods after the team's last figure up to it are missing. A
    `projection` adds its band and dotted line (render/pace.py) and its sentence to the summary.
    """
    rows = []
    base = (status.baseline_period, status.baseline_value) if status.baseline_value is not None else None
    goal = (status.target_period, status.target_value)
    noted = False
    laid = None
    if series is not None and series.periods:
        laid = lay_out(series, end)  # once for the table, the line and the summary
        noted = laid.noted
        # No trajectory before the baseline period: the line starts there.
        expected = [derive_expected(base, goal, p) if base and base[0] is not None and p >= base[0] else None  # type: ignore[arg-type]
                    for p in laid.periods]
        columns = [_period_labels(laid.periods.start, laid.periods.stop - 1, frequency),
                   fmt_decimals(laid.values, indicator.decimals, _(NO_FIGURE)),
                   fmt_decimals(expected, indicator.decimals, "–")]
        rows = list(zip(*columns, laid.notes, strict=True) if noted else zip(*columns, strict=True))
    headers = (_("Period"), _("Actual ({unit})").format(unit=indicator.unit) if indicator.unit else _("Actual"),
               _("Trajectory"))
    figure = build_target_figure(status, indicator, series, frequency, end, laid)
    figure["data"] += projection_traces(projection, frequency)
    summary = _with_gaps_and_notes(summarize_target(status, indicator, frequency), series, frequency, end, laid)
    return Chart(
        figure, " ".join(x for x in (summary, pace_sentence(projection, indicator, frequency)) if x),
        (*headers, _("Note")) if noted else headers,
        tuple(rows), title, text_column=3 if noted else None, notes=chart_notes(series, frequency),
    )


def guardrail_limit(result: GuardrailResult, indicator: Indicator) -> float | None:
    """Return the value past which a guardrail flags: its start value worsened by its tolerance."""
    if result.start_value is None:
        return None
    sign = 1 if indicator.better is Better.LOWER else -1
    return result.start_value + sign * result.tolerance


def build_guardrail_figure(result: GuardrailResult, indicator: Indicator, series: Series | None, frequency: str,
                           end: int | None = None, laid: LaidOut | None = None) -> dict:
    """Return a guardrail's figures with its limit (start value worsened by the tolerance) as a line."""
    data = []
    points = []
    if series is not None and series.periods:
        data.append(_actual_trace(series, frequency, end=end, laid=laid))
        points += [series.periods[0], _series_end(series, end)]
    limit = guardrail_limit(result, indicator)
    if result.start_period is not None:
        points.append(result.start_period)
    layout: dict = {"yaxis": _y_axis(indicator)}
    if points:
        first, last = min(points), max(points)
        layout["xaxis"] = _x_axis(first, last, frequency)
        if limit is not None and result.start_period is not None:
            fmt = lambda i: format_period(i, frequency)  # noqa: E731
            # The limit comes from a tolerance in the data: hover shows it at its own precision (79.5, not 80).
            digits = difference_decimals(indicator, result.start_value, result.tolerance)
            data.append({
                "type": "scatter", "mode": "lines", "name": _("Limit"), "meta": "limit", "line": {"dash": "dot"},
                "x": [fmt(result.start_period), fmt(last)], "y": [limit, limit],
                "hovertemplate": f"%{{y:,.{digits}f}}<extra>" + plotly_text(_("Limit")) + "</extra>",
            })
            data.append({
                "type": "scatter", "mode": "markers", "name": _("Start"), "meta": "baseline",
                "marker": {"symbol": "diamond", "size": 9},
                "x": [fmt(result.start_period)], "y": [result.start_value],
            })
    if series is not None and series.periods and (note := _note_trace(_noted_figures(series), frequency)) is not None:
        data.append(note)
    return {"data": data, "layout": layout}


def summarize_guardrail(result: GuardrailResult, indicator: Indicator, frequency: str) -> str:
    """Say in one line how a guardrail moved and whether it raises a distortion flag."""
    name = " ".join(indicator.name.split())
    if result.start_period is None or result.end_period is None or result.worsened_by is None:
        return _("{name}: no figures over the target's periods, so no distortion check.").format(name=name)
    fmt = lambda i: format_period(i, frequency)  # noqa: E731
    moved = result.worsened_by
    # A difference of percentages is in points; a tolerance from the data is shown at its own precision.
    tol = fmt_threshold(indicator, result.tolerance)
    start = _("{value} in {period}").format(value=fmt_value(indicator, result.start_value), period=fmt(result.start_period))
    end = _("{value} in {period}").format(value=fmt_value(indicator, result.end_value), period=fmt(result.end_period))
    size = fmt_difference(indicator, moved, result.start_value, result.end_value)
    if is_no_change(indicator, moved, result.start_value, result.end_value):
        change = _("unchanged")
    elif moved > 0:
        change = _("worse by {size}").format(size=size)
    else:
        change = _("better by {size}").format(size=size)
    if result.flagged:
        message = _("{name}: {change} ({start} to {end}); distortion flag: worse by more than the tolerance of "
                    "{tolerance} while the target improved.")
    else:
        message = _("{name}: {change} ({start} to {end}); no distortion flag (tolerance {tolerance}).")
    return message.format(name=name, change=change, start=start, end=end, tolerance=tol)


def _value_rows(indicator: Indicator, series: Series, frequency: str, end: int | None = None,
                laid: LaidOut | None = None) -> tuple[tuple[str, ...], ...]:
    """Return (period, value) table rows, "no figure" for a missing period, and a note column when any figure has one.

    Only the note column holds text from data (the chart's `text_column`, escaped when rendered).
    """
    laid = laid or lay_out(series, end)
    values = fmt_decimals(laid.values, indicator.decimals, _(NO_FIGURE))
    labels = _period_labels(laid.periods.start, laid.periods.stop - 1, frequency)
    if laid.noted:
        return tuple(zip(labels, values, laid.notes, strict=True))
    return tuple(zip(labels, values, strict=True))


def _value_headers(first: str, second: str, rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], int | None]:
    if rows and len(rows[0]) == 3:
        return (first, second, _("Note")), 2
    return (first, second), None


def build_guardrail_chart(result: GuardrailResult, indicator: Indicator, series: Series | None, frequency: str,
                          end: int | None = None) -> Chart:
    laid = lay_out(series, end) if series is not None and series.periods else None  # once for table, line and summary
    rows = _value_rows(indicator, series, frequency, end, laid) if series is not None and laid is not None else ()
    headers, text_column = _value_headers(
        _("Period"), f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name, rows)
    return Chart(
        build_guardrail_figure(result, indicator, series, frequency, end, laid),
        _with_gaps_and_notes(summarize_guardrail(result, indicator, frequency), series, frequency, end, laid),
        headers, rows, indicator.name, small=True, text_column=text_column, notes=chart_notes(series, frequency),
    )


def build_indicator_figure(indicator: Indicator, series: Series, frequency: str, end: int | None = None,
                           laid: LaidOut | None = None) -> dict:
    """Return a small chart of one team's figures for one indicator."""
    data = [_actual_trace(series, frequency, indicator.name, end, laid)]
    if (note := _note_trace(_noted_figures(series), frequency)) is not None:
        data.append(note)
    # The line lists every period in order (nulls included): no category array needed.
    return {
        "data": data,
        "layout": {"xaxis": _x_axis(series.periods[0], _series_end(series, end), frequency, listed=False),
                   "yaxis": _y_axis(indicator), "showlegend": False},
    }


def summarize_indicator(indicator: Indicator, series: Series, frequency: str) -> str:
    """Say in one line what an indicator's latest figure is and which way is better."""
    name = " ".join(indicator.name.split())
    last_p, last_v = series.periods[-1], series.values[-1]
    first_p = series.periods[0]
    n = len(series.periods)
    if indicator.better is Better.HIGHER:
        message = ngettext("{name}: {value} in {period} ({n} figure since {first}; higher is better).",
                           "{name}: {value} in {period} ({n} figures since {first}; higher is better).", n)
    else:
        message = ngettext("{name}: {value} in {period} ({n} figure since {first}; lower is better).",
                           "{name}: {value} in {period} ({n} figures since {first}; lower is better).", n)
    return message.format(name=name, value=fmt_value(indicator, last_v), period=format_period(last_p, frequency),
                          n=fmt_int(n), first=format_period(first_p, frequency))


def build_indicator_chart(indicator: Indicator, series: Series, frequency: str, end: int | None = None) -> Chart:
    laid = lay_out(series, end)  # once for the table, the line and the summary
    rows = _value_rows(indicator, series, frequency, end, laid)
    headers, text_column = _value_headers(
        _("Period"), _("Value ({unit})").format(unit=indicator.unit) if indicator.unit else _("Value"), rows)
    return Chart(
        build_indicator_figure(indicator, series, frequency, end, laid),
        _with_gaps_and_notes(summarize_indicator(indicator, series, frequency), series, frequency, end, laid),
        headers, rows, indicator.name, small=True, text_column=text_column, notes=chart_notes(series, frequency),
    )


def y_extent(figure: dict) -> tuple[float, float] | None:
    """Return the lowest and highest y value of a figure's traces (nulls left out), or None without any."""
    values = [v for trace in figure.get("data", []) for v in trace.get("y", ()) if v is not None]
    return (min(values), max(values)) if values else None


def share_y_range(figures: list[dict]) -> list[float] | None:
    """Give figures of one indicator the same y range: every series of them all, with a little room.

    Charts side by side that compare teams (or one team's indicator in two roles) must not each stretch to their
    own data, or a small drop at one team looks as steep as a large one at another. Returns the range it set.
    """
    if len(figures) < 2:  # most indicators have one chart on a page: nothing to share
        return None
    extents = [e for e in (y_extent(f) for f in figures) if e is not None]
    if not extents:
        return None
    lo, hi = min(e[0] for e in extents), max(e[1] for e in extents)
    span = hi - lo
    pad = span * 0.08 if span else max(abs(hi) * 0.1, 1.0)
    y_range = [round(lo - pad, 6), round(hi + pad, 6)]
    for f in figures:
        f.setdefault("layout", {}).setdefault("yaxis", {})["range"] = y_range
    return y_range


def share_y_ranges(charts: list[tuple[str, Chart]]) -> dict[str, list[float]]:
    """Share the y range among the charts of each indicator on a page: (indicator id, chart) pairs."""
    groups: dict[str, list[dict]] = {}
    for indicator, chart in charts:
        groups.setdefault(indicator, []).append(chart.figure)
    out = {}
    for indicator, figures in groups.items():
        y_range = share_y_range(figures)
        if y_range is not None:
            out[indicator] = y_range
    return out


# --- The same indicator for many teams in one chart (the Indicators page) ----------------------------------

CROSS_TEAM_LINES = 8  # the most teams drawn as lines in one chart; above it, the best, median and worst team
_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "triangle-down", "pentagon")


def per_period_lines(indicator: Indicator, lines: list[tuple[str, Series]], frequency: str
                     ) -> tuple[list[tuple[str, Series]], dict[int, int]]:
    """Return cross-team lines computed period by period, and how many teams reported each period.

    Every line is a statistic of the teams that reported that period, never one team's figures drawn back in time:
    for an indicator that may be ranked (Indicator.is_ranked), the best, the median and the worst; for counts that
    add up (`aggregate: sum`), their total; for other figures that are not ranked, the highest, median and lowest.
    """
    first = min(s.periods[0] for _, s in lines)
    last = max(s.periods[-1] for _, s in lines)
    grid = np.full((len(lines), last - first + 1), np.nan)  # a row per team, a column per period
    for row, (_name, s) in zip(grid, lines, strict=True):
        if s.periods[-1] - s.periods[0] + 1 == len(s.periods):  # contiguous: the common case
            row[s.periods[0] - first: s.periods[-1] - first + 1] = s.values
        else:
            row[np.asarray(s.periods) - first] = s.values
    sizes_all = np.count_nonzero(~np.isnan(grid), axis=0)
    keep = sizes_all > 0
    grid = grid[:, keep]
    sizes = sizes_all[keep]
    periods = tuple(int(p) for p in np.arange(first, last + 1)[keep])
    counts = {p: int(n) for p, n in zip(periods, sizes, strict=True)}
    ranked = np.sort(grid, axis=0)  # each period's figures in order, its missing ones (NaN) last
    cols = np.arange(len(periods))
    mid = (sizes - 1) // 2
    low, high = ranked[0], ranked[sizes - 1, cols]
    middle = np.where(sizes % 2 == 1, ranked[mid, cols], (ranked[mid, cols] + ranked[np.minimum(mid + 1, sizes - 1), cols]) / 2)
    roles = _cross_team_roles(indicator)
    if roles == ("total",):
        stats = [np.nansum(grid, axis=0)]
    elif not indicator.is_ranked or indicator.better is Better.HIGHER:
        stats = [high, middle, low]
    else:
        stats = [low, middle, high]
    out = []
    for role, values in zip(roles, stats, strict=True):
        out.append((_(_CROSS_TEAM_LABEL[role, frequency == "quarterly"]),
                    Series(periods, tuple(float(v) for v in values), ("",) * len(periods))))
    return out, counts


# Each line of a cross-team chart of many teams, by role and whether periods are quarters: whole labels.
_CROSS_TEAM_LABEL = {
    ("total", False): N_("Total of the teams reporting that month"),
    ("total", True): N_("Total of the teams reporting that quarter"),
    ("highest", False): N_("Highest of the teams reporting that month"),
    ("highest", True): N_("Highest of the teams reporting that quarter"),
    ("lowest", False): N_("Lowest of the teams reporting that month"),
    ("lowest", True): N_("Lowest of the teams reporting that quarter"),
    ("median", False): N_("Median of the teams reporting that month"),
    ("median", True): N_("Median of the teams reporting that quarter"),
    ("best", False): N_("Best of the teams reporting that month"),
    ("best", True): N_("Best of the teams reporting that quarter"),
    ("worst", False): N_("Worst of the teams reporting that month"),
    ("worst", True): N_("Worst of the teams reporting that quarter"),
}
# The same roles as words in a sentence ("the best, median and worst of the teams").
_CROSS_TEAM_ROLE = {"total": N_("total"), "highest": N_("highest"), "lowest": N_("lowest"), "median": N_("median"),
                    "best": N_("best"), "worst": N_("worst")}


def _cross_team_roles(indicator: Indicator) -> tuple[str, ...]:
    """Return the roles of the lines computed period by period (per_period_lines), in order."""
    if not indicator.is_ranked and indicator.aggregate == "sum":
        return ("total",)
    if not indicator.is_ranked:
        return ("highest", "median", "lowest")
    return ("best", "median", "worst")


def select_cross_team(indicator: Indicator, lines: list[tuple[str, Series]], frequency: str,
                      limit: int = CROSS_TEAM_LINES,
                      computed: tuple[list[tuple[str, Series]], dict[int, int]] | None = None,
                      stale: Callable[[int], bool] | None = None) -> tuple[list[tuple[str, Series]], str]:
    """Choose the lines of a cross-team chart: every team up to `limit`, else lines computed period by period.

    `lines` is (team name, series) in team order. Returns (label, series) per line and a sentence saying what is
    drawn. Above `limit` teams, the lines are statistics of the teams that reported each period (per_period_lines):
    the best, median and worst (or the total of counts), never one team picked at the latest period and drawn back.
    `stale(period)`: whether figures for a period are older than the reporting calendar allows (derive.is_stale_figure):
    the sentence then says so of the latest period's figures, which are not current.
    """
    name = " ".join(indicator.name.split())
    reported = [(" ".join(n.split()), s) for n, s in lines if s.periods]
    k = len(reported)
    better = _("higher is better") if indicator.better is Better.HIGHER else _("lower is better")
    if k == 1:
        return reported, _("{name}: reported by one team, {team} ({better}).").format(
            name=name, team=reported[0][0], better=better)
    if k <= limit:
        return reported, _("{name}: one line per team, {n} teams ({better}).").format(name=name, n=k, better=better)
    chosen, counts = computed if computed is not None else per_period_lines(indicator, reported, frequency)
    latest = max(counts)
    role_words = [_(_CROSS_TEAM_ROLE[r]) for r in _cross_team_roles(indicator)]
    roles = join_words(role_words)
    now = ", ".join(_("{role} {value}").format(role=role, value=fmt_value(indicator, s.values[-1]))
                    for role, (_label, s) in zip(role_words, chosen, strict=True))
    if indicator.is_ranked:
        shows = (_("the chart shows, quarter by quarter, the {roles} of the teams reporting that quarter ({better})")
                 if frequency == "quarterly" else
                 _("the chart shows, month by month, the {roles} of the teams reporting that month ({better})"))
    else:
        shows = (_("the chart shows, quarter by quarter, the {roles} of the teams reporting that quarter ({better}; "
                   "figures of different teams are not ranked)") if frequency == "quarterly" else
                 _("the chart shows, month by month, the {roles} of the teams reporting that month ({better}; "
                   "figures of different teams are not ranked)"))
    if stale is not None and stale(latest):
        of_teams = ngettext("In {period}, of {n} team: {figures}; stale, older than the reporting calendar allows.",
                            "In {period}, of {n} teams: {figures}; stale, older than the reporting calendar allows.",
                            counts[latest])
    else:
        of_teams = ngettext("In {period}, of {n} team: {figures}.", "In {period}, of {n} teams: {figures}.", counts[latest])
    of_teams = of_teams.format(period=format_period(latest, frequency), n=fmt_int(counts[latest]), figures=now)
    return chosen, _("{name}: {n} teams report it; {shows}. {of_teams}").format(
        name=name, n=fmt_int(k), shows=shows.format(roles=roles, better=better), of_teams=of_teams)


def build_cross_team_chart(indicator: Indicator, lines: list[tuple[str, Series]], frequency: str,
                           end: int | None = None, limit: int = CROSS_TEAM_LINES,
                           stale: Callable[[int], bool] | None = None) -> Chart | None:
    """Return one indicator's figures for many teams in one chart: a line per team (or best, median and worst).

    Each line has a null at each of its team's missing periods (from its first figure to its last, or to `end`);
    before a team's first figure nothing is claimed. The data table has a row per period and a column per line:
    a figure, "no figure" for a missing period, or "–" before the team's first figure; and a Note column when
    any figure has a note.
    """
    computed = reporting = None
    if sum(1 for _, s in lines if s.periods) > limit:  # lines computed period by period: say how many teams each
        computed = per_period_lines(indicator, [(" ".join(n.split()), s) for n, s in lines if s.periods], frequency)
        reporting = computed[1]
    chosen, sentence = select_cross_team(indicator, lines, frequency, limit, computed, stale)
    if not chosen:
        return None
    first = min(s.periods[0] for _, s in chosen)
    last = max(_series_end(s, end) for _, s in chosen)
    data = []
    laid_out = []
    for i, (label, s) in enumerate(chosen):
        trace = _actual_trace(s, frequency, label, end)
        trace["meta"] = "team"
        trace["line"] = {"dash": _DASHES[i % len(_DASHES)]}
        trace["marker"] = {"symbol": _SYMBOLS[i % len(_SYMBOLS)], "size": 5}
        data.append(trace)
        laid_out.append(lay_out(s, end))
    noted = [fig for _, s in chosen for fig in _noted_figures(s)]
    if (note := _note_trace(noted, frequency)) is not None:
        data.append(note)
    # Hover labels name each line in full: plotly cuts names at 15 characters ("Sanitation, ..." twice).
    figure = {"data": data, "layout": {"xaxis": _x_axis(first, last, frequency), "yaxis": _y_axis(indicator),
                                       "hoverlabel": {"namelength": -1}}}
    missing = _(NO_FIGURE)
    rows = []
    any_note = any(laid.noted for laid in laid_out)
    for p in range(first, last + 1):
        row = [format_period(p, frequency)]
        notes = []
        for (label, _s), laid in zip(chosen, laid_out, strict=True):
            if p < laid.periods.start or p >= laid.periods.stop:
                row.append("–")
                continue
            v = laid.values[p - laid.periods.start]
            row.append(fmt_decimal(v, indicator.decimals) if v is not None else missing)
            if laid.notes[p - laid.periods.start]:
                notes.append(f"{label}: {laid.notes[p - laid.periods.start]}")
        if reporting is not None:
            row.append(fmt_int(reporting.get(p, 0)))
        if any_note:
            row.append("; ".join(notes))
        rows.append(tuple(row))
    gaps = []
    for (label, _s), laid in zip(chosen, laid_out, strict=True):
        if laid.missing:
            n = len(laid.missing)
            gaps.append(_("{line}, {n} {periods} ({spans})").format(
                line=label, n=fmt_int(n), periods=period_word(frequency, n), spans=_spans(laid.missing, frequency, 2)))
    summary = sentence
    if gaps:
        summary += " " + _("Missing: {gaps}.").format(gaps="; ".join(gaps))
    if noted:
        summary += " " + ngettext("{n} note (below the chart).", "{n} notes (below the chart).",
                                  len(noted)).format(n=fmt_int(len(noted)))
    headers = ((_("Period"), *(label for label, _s in chosen)) + ((_("Teams reporting"),) if reporting is not None else ())
               + ((_("Note"),) if any_note else ()))
    notes = tuple(n for label, s in chosen for n in chart_notes(s, frequency, label if len(chosen) > 1 else ""))
    return Chart(figure, summary, headers, tuple(rows), indicator.name,
                 text_column=len(headers) - 1 if any_note else None, notes=notes)


def figure_json(figure: dict) -> str:
    """Dump a figure compactly, as plotly's own "orjson" engine does: no spaces, text as UTF-8, and a NaN written as
    null (NaN is not valid JSON). orjson writes a team page's twenty figures about ten times faster than `json`; at
    1,000 teams that is 0.7 s of a build's CPU."""
    return orjson.dumps(figure, default=_plain).decode()


def _plain(value: object) -> object:
    """A numpy number (a type orjson does not take) as the Python number it holds; anything else is refused."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON: {type(value).__name__}")


def attr_json(figure: object) -> str:
    """Return figure JSON escaped for a single-quoted HTML attribute.

    JSON quotes every string with `"`; inside a single-quoted attribute those need no escaping, which keeps a
    figure about half the size `esc()` would make it. `'`, `&`, `<` and `>` (from data text such as a unit) are
    escaped, so nothing in the JSON can end the attribute or start markup.
    """
    # `&` first; chained replaces are about five times faster than str.translate on the few kilobytes of a figure.
    return figure_json(figure).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")


# plotly's number format in hover labels and axes: the decimal mark, then the thousands separator (d3's `,.1f`).
_SEPARATORS = {"fr": ",\u202f"}


def _localized(figure: dict) -> dict:
    """Return a figure with the build's language's decimal mark and grouping for plotly (the figure unchanged in
    English, which is plotly's own)."""
    separators = _SEPARATORS.get(current().split("-")[0])
    if separators is None or "layout" not in figure:
        return figure
    return {**figure, "layout": {**figure["layout"], "separators": separators}}


def _table_words(chart: Chart) -> str:
    """Attributes for the table charts.js builds from the figure: the words for a missing figure and which column holds
    the notes, in the build's language (none in English, where charts.js has them)."""
    if current() == "en":
        return ""
    note = f' data-note-column="{chart.text_column}"' if chart.text_column is not None else ""
    return f' data-missing="{esc(_(NO_FIGURE))}"{note}'


def render_chart(chart: Chart, title_html: str = "", data_href: str = "", static_table: bool = True) -> str:
    """Return the chart as one raw HTML block: the drawing area, its one-line summary, and its data table.

    The figure sits in a data attribute: never an inline script, which Material's instant navigation would re-run
    as JavaScript. The data table is written into the page, so screen readers, print and readers without
    JavaScript get it; the block is marked raw (common.raw_html) so the engine keeps it away from Python-Markdown
    and the search indexer, which would otherwise parse thousands of table tags per team page. With
    `static_table=False` charts.js builds the table in the browser from the figure (columns in `data-columns`).
    `data_href` links the figures' CSV. In print, CSS hides the drawing area and shows summary and table.
    """
    small = " hb-figure--small" if chart.small else ""
    size = " hb-chart--small" if chart.small else ""
    label = _("Data: {title}").format(title=chart.title) if chart.title else _("Data")
    table = ""
    if static_table:
        text_th = ' class="hb-chart__text"'
        head = "".join(f'<th scope="col"{text_th if i == chart.text_column else ""}>{esc(h)}</th>'
                       for i, h in enumerate(chart.headers))
        # Rows hold period labels and numbers formatted here, which need no escaping (a team page holds thousands
        # of cells); only the text column (notes, from data) is escaped.
        col = chart.text_column
        if col is None:
            body = ("<tr><td>" + "</td></tr><tr><td>".join(map("</td><td>".join, chart.rows)) + "</td></tr>"
                    if chart.rows else "")
        else:
            body = "".join("<tr>" + "".join(f'<td class="hb-chart__text">{esc(c)}</td>' if i == col else f"<td>{c}</td>"
                                            for i, c in enumerate(r)) + "</tr>"
                           for r in chart.rows)
        table = f'<table class="hb-table hb-table--chart"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    fallback = (f'<p class="hb-chart__csv"><a href="{esc(data_href)}" download>' + esc(_("All figures (CSV)"))
                + "</a></p>" if data_href else "")
    notes = ""
    if chart.notes:
        items = "".join(f'<li><span class="hb-chart__note-when">{esc(when)}</span>: {esc(text)}</li>'
                        for when, text in chart.notes)
        notes = ('<div class="hb-chart__notes"><p class="hb-chart__notes-title">'
                 + esc(ngettext("Note on the figures", "Notes on the figures", len(chart.notes)))
                 + f"</p><ul>{items}</ul></div>")
    details = ""
    rows_count = ngettext("{n} row", "{n} rows", len(chart.rows)).format(n=fmt_int(len(chart.rows)))
    if chart.rows:
        details = (f'<details class="hb-chart__data" data-columns=\'{attr_json(list(chart.headers))}\'{_table_words(chart)}>'
                   f'<summary>{esc(label)} ({esc(rows_count)})</summary>{table}{fallback}</details>')
    summary = esc(chart.summary)
    return "\n" + raw_html(
        f'<figure class="hb-figure{small}">'
        + (f'<p class="hb-figure__title">{title_html}</p>' if title_html else "")
        + f'<div class="hb-chart{size}" role="img" aria-label="{summary}" data-figure=\'{attr_json(_localized(chart.figure))}\'></div>'
        f'<figcaption class="hb-chart__summary">{summary}</figcaption>{notes}{details}'
        "</figure>"
    ) + "\n"
