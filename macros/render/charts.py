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

import json
import textwrap
from dataclasses import dataclass
from functools import lru_cache

from ..derive import GuardrailResult, TeamStatus, derive_expected
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
    plural,
)
from .common import fmt_value, raw_html
from .deadlines import describe_deadline
from .pace import pace_sentence, projection_traces
from .text import esc

# Period labels repeat on every chart of every page: spell each one once per build process.
format_period = lru_cache(maxsize=None)(_format_period)

# The one-line summary's verb per status ("on track for 2.0 days by 2026-12").
_STATUS_PHRASE = {
    Status.ON_TRACK: "on track for",
    Status.AT_RISK: "at risk of missing",
    Status.OFF_TRACK: "off track for",
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
    return [format_period(i, frequency) for i in range(first, last + 1)]


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
    notes = [" ".join(n.split()) for n in series.notes] if any(series.notes) else list(series.notes)
    noted = any(notes)
    if stop == last and last - first + 1 == len(series.periods):  # contiguous: the common case, kept cheap
        return LaidOut(range(first, last + 1), list(series.values), notes, (), noted)
    values: list[float | None] = [None] * (stop - first + 1)
    laid_notes = [""] * (stop - first + 1)
    for p, v, n in zip(series.periods, series.values, notes, strict=True):
        values[p - first] = v
        laid_notes[p - first] = n
    missing = tuple(first + i for i, v in enumerate(values) if v is None)
    return LaidOut(range(first, stop + 1), values, laid_notes, missing, noted)


def period_word(frequency: str, n: int) -> str:
    """Return "month", "months", "quarter" or "quarters" for n periods."""
    word = "quarter" if frequency == "quarterly" else "month"
    return word if n == 1 else word + "s"


def _spans(periods: tuple[int, ...], frequency: str, limit: int = 4) -> str:
    """Say a list of periods as runs: "2025-12, 2026-08 to 2026-10"; at most `limit` runs, then "and more"."""
    runs: list[list[int]] = []
    for p in periods:
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    words = [format_period(a, frequency) if a == b else f"{format_period(a, frequency)} to {format_period(b, frequency)}"
             for a, b in runs[:limit]]
    if len(runs) > limit:
        words.append("and more")
    return ", ".join(words)


def describe_gaps(laid: LaidOut, frequency: str) -> str:
    """Say how many periods have no figure, and which: "3 months missing (2025-12, 2026-08 to 2026-09)."."""
    n = len(laid.missing)
    if not n:
        return ""
    return f"{n} {period_word(frequency, n)} missing ({_spans(laid.missing, frequency)})."


def note_runs(series: Series) -> list[tuple[int, int, float, str]]:
    """Return the notes of a series as runs: (first period, last period, value at the first, note).

    The same note on consecutive periods is one run ("published as x" for fourteen months is said once); a period
    with no figure or another note ends a run. Whitespace in a note is tidied.
    """
    if not any(series.notes):  # the common case: no note at all
        return []
    runs: list[list] = []
    for p, v, n in zip(series.periods, series.values, series.notes, strict=True):
        text = " ".join(n.split())
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
    return f"{format_period(first, frequency)} to {format_period(last, frequency)}"


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
    labels = [run_label(a, b, frequency) for a, b, _, _ in runs[:4]] + (["and more"] if len(runs) > 4 else [])
    return f"{'Note' if len(runs) == 1 else 'Notes'} on {', '.join(labels)} (below the chart)."


def _with_gaps_and_notes(summary: str, series: Series | None, frequency: str, end: int | None) -> str:
    """Append to a chart's summary how many periods are missing and which figures carry notes."""
    if series is None or not series.periods:
        return summary
    extra = [describe_gaps(lay_out(series, end), frequency), describe_notes(series, frequency)]
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


def _actual_trace(series: Series, frequency: str, name: str = "Actual", end: int | None = None) -> dict:
    """Return the figures as a line: a null at each missing period, so plotly breaks the line there."""
    laid = lay_out(series, end)
    trace = {
        "type": "scatter", "mode": "lines+markers", "name": plotly_text(name), "meta": "actual",
        "x": [format_period(p, frequency) for p in laid.periods], "y": laid.values, "connectgaps": False,
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
        note = note[:HOVER_NOTE_MAX].rsplit(" ", 1)[0] + " … (the whole note is below the chart)"
    return "<br>".join(plotly_text(line) for line in textwrap.wrap("Note: " + note, width))


def _note_trace(noted: list[tuple[int, float]], frequency: str, name: str = "Note") -> dict | None:
    """Return a marker at every figure that carries a note, (period, value) pairs (hover text is on the figure's
    own point)."""
    if not noted:
        return None
    return {
        "type": "scatter", "mode": "markers", "name": plotly_text(name), "meta": "note", "hoverinfo": "skip",
        "marker": {"symbol": "star", "size": 13},
        "x": [format_period(p, frequency) for p, _ in noted], "y": [v for _, v in noted],
    }


def _series_end(series: Series, end: int | None) -> int:
    return max(series.periods[-1], end) if end is not None else series.periods[-1]


def build_target_figure(status: TeamStatus, indicator: Indicator, series: Series | None, frequency: str,
                        end: int | None = None) -> dict:
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
        actual = _actual_trace(series, frequency, end=end)
        if has_baseline:
            # The trajectory's value at each period of the line: the data table's third column.
            base = (status.baseline_period, status.baseline_value)
            goal = (deadline, status.target_value)
            actual["customdata"] = [round(derive_expected(base, goal, p), 6) if p >= base[0] else None  # type: ignore[arg-type,operator]
                                    for p in lay_out(series, end).periods]
        data.append(actual)
    if has_baseline:
        data.append({
            "type": "scatter", "mode": "lines", "name": "Trajectory", "meta": "trajectory", "line": {"dash": "dash"},
            "x": [fmt(status.baseline_period), fmt(deadline)], "y": [status.baseline_value, status.target_value],
        })
    data.append({
        "type": "scatter", "mode": "lines", "name": "Target", "meta": "target", "line": {"dash": "dot"},
        "x": [fmt(first), fmt(last)], "y": [status.target_value, status.target_value],
    })
    if status.baseline_period is not None and status.baseline_value is not None:
        data.append({
            "type": "scatter", "mode": "markers", "name": "Baseline", "meta": "baseline",
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
            "name": "deadline", "x": fmt(deadline), "y": 1, "xref": "x", "yref": "paper", "text": "Deadline",
            "showarrow": False, "xanchor": "right", "yanchor": "bottom",
        }],
    }
    return {"data": data, "layout": layout}


def summarize_target(status: TeamStatus, indicator: Indicator, frequency: str) -> str:
    """Say in one line where a team stands on a target: "3.1 days in 2026-10, on track for 3.0 days by 2026-12".

    Once the deadline has passed, nothing speaks of it as ahead: the line says whether it was met at the deadline.
    """
    fmt = lambda i: format_period(i, frequency)  # noqa: E731
    goal = f"{fmt_data_value(indicator, status.target_value)} by {fmt(status.target_period)}"
    if status.deadline_passed:
        deadline = describe_deadline(status, indicator, frequency)
        if status.status is Status.NO_DATA or status.value is None or status.period is None:
            since = (f"No figure since {fmt(status.last_figure_period)}" if status.last_figure_period is not None
                     else "No figures")  # a closed team has figures, all before the baseline
            return f"{since} for this target; {deadline[0].lower()}{deadline[1:]}."
        now = f"{fmt_value(indicator, status.value)} in {fmt(status.period)}"
        if status.status is Status.STALE:
            return f"{now}, stale: no figure for {plural(status.periods_behind or 0, 'period')}. {deadline}."
        return f"{now}. {deadline}."
    if status.status is Status.NO_DATA or status.value is None or status.period is None:
        return f"No figures yet for this target; the target is {goal}."
    now = f"{fmt_value(indicator, status.value)} in {fmt(status.period)}"
    if status.status is Status.MET:
        return f"{now}: met the target of {goal}."
    if status.status is Status.STALE:
        behind = status.periods_behind or 0
        return f"{now}, stale: no figure for {plural(behind, 'period')}, so no current status; the target is {goal}."
    return f"{now}, {_STATUS_PHRASE[status.status]} {goal}."


NO_FIGURE = "no figure"  # a data table's cell for a missing period


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
    if series is not None and series.periods:
        laid = lay_out(series, end)
        noted = laid.noted
        for p, v, n in zip(laid.periods, laid.values, laid.notes, strict=True):
            # No trajectory before the baseline period: the line starts there.
            expected = (derive_expected(base, goal, p) if base and base[0] is not None and p >= base[0]  # type: ignore[arg-type]
                        else None)
            row = (format_period(p, frequency), fmt_value(indicator, v, False) if v is not None else NO_FIGURE,
                   fmt_value(indicator, expected, False) if expected is not None else "–")
            rows.append((*row, n) if noted else row)
    headers = ("Period", f"Actual ({indicator.unit})" if indicator.unit else "Actual", "Trajectory")
    figure = build_target_figure(status, indicator, series, frequency, end)
    figure["data"] += projection_traces(projection, frequency)
    summary = _with_gaps_and_notes(summarize_target(status, indicator, frequency), series, frequency, end)
    return Chart(
        figure, " ".join(x for x in (summary, pace_sentence(projection, indicator, frequency)) if x),
        (*headers, "Note") if noted else headers,
        tuple(rows), title, text_column=3 if noted else None, notes=chart_notes(series, frequency),
    )


def guardrail_limit(result: GuardrailResult, indicator: Indicator) -> float | None:
    """Return the value past which a guardrail flags: its start value worsened by its tolerance."""
    if result.start_value is None:
        return None
    sign = 1 if indicator.better is Better.LOWER else -1
    return result.start_value + sign * result.tolerance


def build_guardrail_figure(result: GuardrailResult, indicator: Indicator, series: Series | None, frequency: str,
                           end: int | None = None) -> dict:
    """Return a guardrail's figures with its limit (start value worsened by the tolerance) as a line."""
    data = []
    points = []
    if series is not None and series.periods:
        data.append(_actual_trace(series, frequency, end=end))
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
                "type": "scatter", "mode": "lines", "name": "Limit", "meta": "limit", "line": {"dash": "dot"},
                "x": [fmt(result.start_period), fmt(last)], "y": [limit, limit],
                "hovertemplate": f"%{{y:,.{digits}f}}<extra>Limit</extra>",
            })
            data.append({
                "type": "scatter", "mode": "markers", "name": "Start", "meta": "baseline",
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
        return f"{name}: no figures over the target's periods, so no distortion check."
    fmt = lambda i: format_period(i, frequency)  # noqa: E731
    moved = result.worsened_by
    # A difference of percentages is in points; a tolerance from the data is shown at its own precision.
    tol = fmt_threshold(indicator, result.tolerance)
    start = f"{fmt_value(indicator, result.start_value)} in {fmt(result.start_period)}"
    end = f"{fmt_value(indicator, result.end_value)} in {fmt(result.end_period)}"
    size = fmt_difference(indicator, moved, result.start_value, result.end_value)
    if is_no_change(indicator, moved, result.start_value, result.end_value):
        change = "unchanged"
    elif moved > 0:
        change = f"worse by {size}"
    else:
        change = f"better by {size}"
    verdict = (f"distortion flag: worse by more than the tolerance of {tol} while the target improved"
               if result.flagged else f"no distortion flag (tolerance {tol})")
    return f"{name}: {change} ({start} to {end}); {verdict}."


def _value_rows(indicator: Indicator, series: Series, frequency: str, end: int | None = None) -> tuple[tuple[str, ...], ...]:
    """Return (period, value) table rows, "no figure" for a missing period, and a note column when any figure has one.

    Only the note column holds text from data (the chart's `text_column`, escaped when rendered).
    """
    spec = f",.{indicator.decimals}f"
    laid = lay_out(series, end)
    values = [format(v, spec) if v is not None else NO_FIGURE for v in laid.values]
    labels = [format_period(p, frequency) for p in laid.periods]
    if laid.noted:
        return tuple(zip(labels, values, laid.notes, strict=True))
    return tuple(zip(labels, values, strict=True))


def _value_headers(first: str, second: str, rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], int | None]:
    if rows and len(rows[0]) == 3:
        return (first, second, "Note"), 2
    return (first, second), None


def build_guardrail_chart(result: GuardrailResult, indicator: Indicator, series: Series | None, frequency: str,
                          end: int | None = None) -> Chart:
    rows = _value_rows(indicator, series, frequency, end) if series is not None and series.periods else ()
    headers, text_column = _value_headers(
        "Period", f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name, rows)
    return Chart(
        build_guardrail_figure(result, indicator, series, frequency, end),
        _with_gaps_and_notes(summarize_guardrail(result, indicator, frequency), series, frequency, end),
        headers, rows, indicator.name, small=True, text_column=text_column, notes=chart_notes(series, frequency),
    )


def build_indicator_figure(indicator: Indicator, series: Series, frequency: str, end: int | None = None) -> dict:
    """Return a small chart of one team's figures for one indicator."""
    data = [_actual_trace(series, frequency, indicator.name, end)]
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
    better = "higher is better" if indicator.better is Better.HIGHER else "lower is better"
    span = f"{n} figure{'s' if n != 1 else ''} since {format_period(first_p, frequency)}"
    return f"{name}: {fmt_value(indicator, last_v)} in {format_period(last_p, frequency)} ({span}; {better})."


def build_indicator_chart(indicator: Indicator, series: Series, frequency: str, end: int | None = None) -> Chart:
    rows = _value_rows(indicator, series, frequency, end)
    headers, text_column = _value_headers("Period", f"Value ({indicator.unit})" if indicator.unit else "Value", rows)
    return Chart(
        build_indicator_figure(indicator, series, frequency, end),
        _with_gaps_and_notes(summarize_indicator(indicator, series, frequency), series, frequency, end),
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
    extents = [e for e in (y_extent(f) for f in figures) if e is not None]
    if len(figures) < 2 or not extents:
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
    import numpy as np

    first = min(s.periods[0] for _, s in lines)
    last = max(s.periods[-1] for _, s in lines)
    grid = np.full((len(lines), last - first + 1), np.nan)  # a row per team, a column per period
    for row, (_, s) in zip(grid, lines, strict=True):
        if s.periods[-1] - s.periods[0] + 1 == len(s.periods):  # contiguous: the common case
            row[s.periods[0] - first: s.periods[-1] - first + 1] = s.values
        else:
            row[np.asarray(s.periods) - first] = s.values
    sizes_all = np.count_nonzero(~np.isnan(grid), axis=0)
    keep = sizes_all > 0
    grid = grid[:, keep]
    sizes = sizes_all[keep]
    periods = tuple(int(p) for p in np.arange(first, last + 1)[keep])
    word = "quarter" if frequency == "quarterly" else "month"
    counts = {p: int(n) for p, n in zip(periods, sizes, strict=True)}
    ranked = np.sort(grid, axis=0)  # each period's figures in order, its missing ones (NaN) last
    cols = np.arange(len(periods))
    mid = (sizes - 1) // 2
    low, high = ranked[0], ranked[sizes - 1, cols]
    middle = np.where(sizes % 2 == 1, ranked[mid, cols], (ranked[mid, cols] + ranked[np.minimum(mid + 1, sizes - 1), cols]) / 2)
    if not indicator.is_ranked and indicator.aggregate == "sum":
        stats = [("Total", np.nansum(grid, axis=0))]
    elif not indicator.is_ranked:
        stats = [("Highest", high), ("Median", middle), ("Lowest", low)]
    elif indicator.better is Better.HIGHER:
        stats = [("Best", high), ("Median", middle), ("Worst", low)]
    else:
        stats = [("Best", low), ("Median", middle), ("Worst", high)]
    out = []
    for role, values in stats:
        out.append((f"{role} of the teams reporting that {word}",
                    Series(periods, tuple(float(v) for v in values), ("",) * len(periods))))
    return out, counts


def select_cross_team(indicator: Indicator, lines: list[tuple[str, Series]], frequency: str,
                      limit: int = CROSS_TEAM_LINES,
                      computed: tuple[list[tuple[str, Series]], dict[int, int]] | None = None,
                      ) -> tuple[list[tuple[str, Series]], str]:
    """Choose the lines of a cross-team chart: every team up to `limit`, else lines computed period by period.

    `lines` is (team name, series) in team order. Returns (label, series) per line and a sentence saying what is
    drawn. Above `limit` teams, the lines are statistics of the teams that reported each period (per_period_lines):
    the best, median and worst (or the total of counts), never one team picked at the latest period and drawn back.
    """
    name = " ".join(indicator.name.split())
    reported = [(" ".join(n.split()), s) for n, s in lines if s.periods]
    k = len(reported)
    better = "higher is better" if indicator.better is Better.HIGHER else "lower is better"
    if k == 1:
        return reported, f"{name}: reported by one team, {reported[0][0]} ({better})."
    if k <= limit:
        return reported, f"{name}: one line per team, {k} teams ({better})."
    chosen, counts = computed if computed is not None else per_period_lines(indicator, reported, frequency)
    word = "quarter" if frequency == "quarterly" else "month"
    latest = max(counts)
    roles = join_words(label.split(" of the ")[0].lower() for label, _ in chosen)
    now = ", ".join(f"{label.split(' of the ')[0].lower()} {fmt_value(indicator, s.values[-1])}" for label, s in chosen)
    ranked = "" if indicator.is_ranked else "; figures of different teams are not ranked"
    return chosen, (f"{name}: {k:,} teams report it; the chart shows, {word} by {word}, the {roles} of the teams "
                    f"reporting that {word} ({better}{ranked}). In {format_period(latest, frequency)}, of "
                    f"{plural(counts[latest], 'team')}: {now}.")


def build_cross_team_chart(indicator: Indicator, lines: list[tuple[str, Series]], frequency: str,
                           end: int | None = None, limit: int = CROSS_TEAM_LINES) -> Chart | None:
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
    chosen, sentence = select_cross_team(indicator, lines, frequency, limit, computed)
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
    spec = f",.{indicator.decimals}f"
    rows = []
    any_note = any(laid.noted for laid in laid_out)
    for p in range(first, last + 1):
        row = [format_period(p, frequency)]
        notes = []
        for (label, _), laid in zip(chosen, laid_out, strict=True):
            if p < laid.periods.start or p >= laid.periods.stop:
                row.append("–")
                continue
            v = laid.values[p - laid.periods.start]
            row.append(format(v, spec) if v is not None else NO_FIGURE)
            if laid.notes[p - laid.periods.start]:
                notes.append(f"{label}: {laid.notes[p - laid.periods.start]}")
        if reporting is not None:
            row.append(f"{reporting.get(p, 0):,}")
        if any_note:
            row.append("; ".join(notes))
        rows.append(tuple(row))
    gaps = []
    for (label, _), laid in zip(chosen, laid_out, strict=True):
        if laid.missing:
            n = len(laid.missing)
            gaps.append(f"{label}, {n} {period_word(frequency, n)} ({_spans(laid.missing, frequency, 2)})")
    summary = sentence
    if gaps:
        summary += " Missing: " + "; ".join(gaps) + "."
    if noted:
        summary += (" 1 note" if len(noted) == 1 else f" {len(noted)} notes") + " (below the chart)."
    headers = (("Period", *(label for label, _ in chosen)) + (("Teams reporting",) if reporting is not None else ())
               + (("Note",) if any_note else ()))
    notes = tuple(n for label, s in chosen for n in chart_notes(s, frequency, label if len(chosen) > 1 else ""))
    return Chart(figure, summary, headers, tuple(rows), indicator.name,
                 text_column=len(headers) - 1 if any_note else None, notes=notes)


def figure_json(figure: dict) -> str:
    """Dump a figure compactly (no spaces; NaN is not valid JSON, so it never reaches the page)."""
    return json.dumps(figure, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


_ATTR_SINGLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;"})


def attr_json(figure: object) -> str:
    """Return figure JSON escaped for a single-quoted HTML attribute.

    JSON quotes every string with `"`; inside a single-quoted attribute those need no escaping, which keeps a
    figure about half the size `esc()` would make it. `'`, `&`, `<` and `>` (from data text such as a unit) are
    escaped, so nothing in the JSON can end the attribute or start markup.
    """
    return figure_json(figure).translate(_ATTR_SINGLE)


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
    label = f"Data: {chart.title}" if chart.title else "Data"
    table = ""
    if static_table:
        text_th = ' class="hb-chart__text"'
        head = "".join(f'<th scope="col"{text_th if i == chart.text_column else ""}>{esc(h)}</th>'
                       for i, h in enumerate(chart.headers))
        # Rows hold period labels and numbers formatted here, which need no escaping (a team page holds thousands
        # of cells); only the text column (notes, from data) is escaped.
        col = chart.text_column
        if col is None:
            body = "".join("<tr><td>" + "</td><td>".join(r) + "</td></tr>" for r in chart.rows)
        else:
            body = "".join("<tr>" + "".join(f'<td class="hb-chart__text">{esc(c)}</td>' if i == col else f"<td>{c}</td>"
                                            for i, c in enumerate(r)) + "</tr>"
                           for r in chart.rows)
        table = f'<table class="hb-table hb-table--chart"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    fallback = f'<p class="hb-chart__csv"><a href="{esc(data_href)}" download>All figures (CSV)</a></p>' if data_href else ""
    notes = ""
    if chart.notes:
        items = "".join(f'<li><span class="hb-chart__note-when">{esc(when)}</span>: {esc(text)}</li>'
                        for when, text in chart.notes)
        notes = (f'<div class="hb-chart__notes"><p class="hb-chart__notes-title">'
                 f'{"Note" if len(chart.notes) == 1 else "Notes"} on the figures</p><ul>{items}</ul></div>')
    details = ""
    if chart.rows:
        details = (f'<details class="hb-chart__data" data-columns=\'{attr_json(list(chart.headers))}\'>'
                   f'<summary>{esc(label)} ({plural(len(chart.rows), "row")})</summary>{table}{fallback}</details>')
    return "\n" + raw_html(
        f'<figure class="hb-figure{small}">'
        + (f'<p class="hb-figure__title">{title_html}</p>' if title_html else "")
        + f'<div class="hb-chart{size}" role="img" aria-label="{esc(chart.summary)}" data-figure=\'{attr_json(chart.figure)}\'></div>'
        f'<figcaption class="hb-chart__summary">{esc(chart.summary)}</figcaption>{notes}{details}'
        "</figure>"
    ) + "\n"
