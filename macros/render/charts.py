"""Charts as plain plotly figure dicts, and the HTML that carries them with their text alternative.

No plotly import: a figure is `{"data": [...], "layout": {...}}`, dumped once to JSON and placed in a data
attribute; `docs/assets/js/charts.js` applies the shared template (fonts, colours, margins, light and dark
mode) and draws it. Every trace has a `meta` role (actual, trajectory, target, baseline, limit) that the
script colours by. The x axis is a category axis of period labels (`2026-03`, `2026-Q1`), the same labels the
data and the tables use; its `categoryarray` lists every period in the range so that gaps in the figures and
the straight-line trajectory keep their true spacing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from ..derive import GuardrailResult, TeamStatus, derive_expected
from ..model import Better, Indicator, Series, Status
from ..periods import format_period as _format_period
from ..words import difference_decimals, fmt_data_value, fmt_difference, fmt_threshold, is_no_change, plural
from .common import fmt_value, raw_html
from .deadlines import describe_deadline
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


def period_range(first: int, last: int, frequency: str) -> list[str]:
    """Return every period label from first to last, inclusive."""
    return [format_period(i, frequency) for i in range(first, last + 1)]


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


def _actual_trace(series: Series, frequency: str, name: str = "Actual") -> dict:
    return {
        "type": "scatter", "mode": "lines+markers", "name": plotly_text(name), "meta": "actual",
        "x": [format_period(p, frequency) for p in series.periods], "y": list(series.values),
    }


def _contiguous(series: Series) -> bool:
    return series.periods[-1] - series.periods[0] + 1 == len(series.periods)


def build_target_figure(status: TeamStatus, indicator: Indicator, series: Series | None, frequency: str) -> dict:
    """Return one team's figures on a target against the trajectory from its baseline to the target.

    Traces: actual figures; the straight-line trajectory from baseline to target (two points); the target as a
    horizontal line across the whole axis; the baseline as one marker. The deadline is a vertical line shape.
    """
    deadline = status.target_period
    points = [deadline]
    if status.baseline_period is not None:
        points.append(status.baseline_period)
    if series is not None and series.periods:
        points += [series.periods[0], series.periods[-1]]
    first, last = min(points), max(points)
    fmt = lambda i: format_period(i, frequency)  # noqa: E731
    data = []
    has_baseline = status.baseline_period is not None and status.baseline_value is not None
    if series is not None and series.periods:
        actual = _actual_trace(series, frequency)
        if has_baseline:
            # The trajectory's value at each figure's period: the data table's third column.
            base = (status.baseline_period, status.baseline_value)
            goal = (deadline, status.target_value)
            actual["customdata"] = [round(derive_expected(base, goal, p), 6) for p in series.periods]  # type: ignore[arg-type]
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
            return f"No figures for this target; {deadline[0].lower()}{deadline[1:]}."
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


def build_target_chart(status: TeamStatus, indicator: Indicator, series: Series | None, frequency: str,
                       title: str = "") -> Chart:
    """Return a target chart with its summary and its data table (period, actual, trajectory)."""
    rows = []
    base = (status.baseline_period, status.baseline_value) if status.baseline_value is not None else None
    goal = (status.target_period, status.target_value)
    if series is not None:
        for p, v in zip(series.periods, series.values, strict=True):
            expected = derive_expected(base, goal, p) if base and base[0] is not None else None  # type: ignore[arg-type]
            rows.append((format_period(p, frequency), fmt_value(indicator, v, False),
                         fmt_value(indicator, expected, False) if expected is not None else "–"))
    return Chart(
        build_target_figure(status, indicator, series, frequency),
        summarize_target(status, indicator, frequency),
        ("Period", f"Actual ({indicator.unit})" if indicator.unit else "Actual", "Trajectory"),
        tuple(rows), title,
    )


def guardrail_limit(result: GuardrailResult, indicator: Indicator) -> float | None:
    """Return the value past which a guardrail flags: its start value worsened by its tolerance."""
    if result.start_value is None:
        return None
    sign = 1 if indicator.better is Better.LOWER else -1
    return result.start_value + sign * result.tolerance


def build_guardrail_figure(result: GuardrailResult, indicator: Indicator, series: Series | None, frequency: str) -> dict:
    """Return a guardrail's figures with its limit (start value worsened by the tolerance) as a line."""
    data = []
    points = []
    if series is not None and series.periods:
        data.append(_actual_trace(series, frequency))
        points += [series.periods[0], series.periods[-1]]
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


def _value_rows(indicator: Indicator, series: Series, frequency: str) -> tuple[tuple[str, str], ...]:
    """Return (period, value) table rows: made of period labels and formatted numbers only."""
    spec = f",.{indicator.decimals}f"
    return tuple((format_period(p, frequency), format(v, spec)) for p, v in zip(series.periods, series.values, strict=True))


def build_guardrail_chart(result: GuardrailResult, indicator: Indicator, series: Series | None, frequency: str) -> Chart:
    rows = _value_rows(indicator, series, frequency) if series is not None else ()
    return Chart(
        build_guardrail_figure(result, indicator, series, frequency),
        summarize_guardrail(result, indicator, frequency),
        ("Period", f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name),
        rows, indicator.name, small=True,
    )


def build_indicator_figure(indicator: Indicator, series: Series, frequency: str) -> dict:
    """Return a small chart of one team's figures for one indicator."""
    return {
        "data": [_actual_trace(series, frequency, indicator.name)],
        "layout": {"xaxis": _x_axis(series.periods[0], series.periods[-1], frequency, listed=not _contiguous(series)),
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


def build_indicator_chart(indicator: Indicator, series: Series, frequency: str) -> Chart:
    rows = _value_rows(indicator, series, frequency)
    return Chart(
        build_indicator_figure(indicator, series, frequency),
        summarize_indicator(indicator, series, frequency),
        ("Period", f"Value ({indicator.unit})" if indicator.unit else "Value"),
        rows, indicator.name, small=True,
    )


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
        head = "".join(f'<th scope="col">{esc(h)}</th>' for h in chart.headers)
        # Rows hold only period labels and numbers formatted here (no text from data), so they need no escaping;
        # a team page holds thousands of cells.
        body = "".join("<tr><td>" + "</td><td>".join(r) + "</td></tr>" for r in chart.rows)
        table = f'<table class="hb-table hb-table--chart"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    fallback = f'<p class="hb-chart__csv"><a href="{esc(data_href)}" download>All figures (CSV)</a></p>' if data_href else ""
    details = ""
    if chart.rows:
        details = (f'<details class="hb-chart__data" data-columns=\'{attr_json(list(chart.headers))}\'>'
                   f'<summary>{esc(label)} ({plural(len(chart.rows), "row")})</summary>{table}{fallback}</details>')
    return "\n" + raw_html(
        f'<figure class="hb-figure{small}">'
        + (f'<p class="hb-figure__title">{title_html}</p>' if title_html else "")
        + f'<div class="hb-chart{size}" role="img" aria-label="{esc(chart.summary)}" data-figure=\'{attr_json(chart.figure)}\'></div>'
        f'<figcaption class="hb-chart__summary">{esc(chart.summary)}</figcaption>{details}'
        "</figure>"
    ) + "\n"
