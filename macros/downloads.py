"""Downloads published with the site for other intranet tools: statuses as JSON and CSV, each team's figures as CSV.

Pure functions from the model to text; `macros/hooks.py` writes them into the built site.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .derive import TeamStatus

DOWNLOADS_DIR = "downloads"
STATUS_JSON = f"{DOWNLOADS_DIR}/status.json"
STATUS_CSV = f"{DOWNLOADS_DIR}/status.csv"
FIGURES_HEADER = ["team", "indicator", "period", "value", "note"]
STATUS_HEADER = [
    "target", "team", "indicator", "period", "value", "expected", "status", "baseline_period", "baseline_value",
    "target_value", "deadline", "periods_behind", "distortions",
]
# A spreadsheet runs a cell that starts with one of these as a formula; text from data must not.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def team_csv_path(team_id: str) -> str:
    """Return where a team's figures are published, relative to the site root."""
    return f"{DOWNLOADS_DIR}/teams/{team_id}.csv"


def render_status_json(statuses: Iterable[TeamStatus], frequency: str) -> str:
    """Return the statuses as `python -m macros status --json` prints them."""
    rows = [s.as_dict(frequency) for s in statuses]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _num_cell(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def render_status_csv(statuses: Iterable[TeamStatus], frequency: str) -> str:
    """Return the statuses as CSV: one row per target and team, distortions joined by ';'."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(STATUS_HEADER)
    for s in statuses:
        d = s.as_dict(frequency)
        w.writerow([
            d["target"], d["team"], d["indicator"], d["period"] or "", _num_cell(d["value"]), _num_cell(d["expected"]),
            d["status"], d["baseline"]["period"] or "", _num_cell(d["baseline"]["value"]), _num_cell(d["target_value"]),
            d["deadline"] or "", _num_cell(d["periods_behind"]), ";".join(d["distortions"]),
        ])
    return out.getvalue()


def _note_cell(note: str) -> str:
    if not note:
        return ""
    if note.startswith(_FORMULA_START):
        note = "'" + note
    if any(ch in note for ch in ',"\r\n'):
        note = '"' + note.replace('"', '""') + '"'
    return note


def _value_cells(values: np.ndarray) -> list[str]:
    """Format values as _num_cell does (whole numbers without '.0'), for a whole column at once."""
    integral = np.isfinite(values) & (values == np.floor(values))
    small = integral & (np.abs(values) < 1e15)
    as_text = values.astype(str).astype(object)
    as_text[small] = values[small].astype(np.int64).astype(str)
    for i in np.flatnonzero(integral & ~small):  # beyond int64's exact range: rare, done one by one
        as_text[i] = _num_cell(float(values[i]))
    return as_text.tolist()


def _csv_lines(rows: pd.DataFrame) -> list[str]:
    """Return one CSV line per figure (team, indicator, period, value, note); ids and periods need no quoting."""
    notes = [_note_cell(n) if n else "" for n in rows["note"].fillna("").tolist()]
    return [
        f"{team},{indicator},{period},{value},{note}"
        for team, indicator, period, value, note in zip(
            rows["team"].tolist(), rows["indicator"].tolist(), rows["period"].tolist(),
            _value_cells(rows["value"].to_numpy(dtype=float)), notes, strict=True,
        )
    ]


def render_figures_csv(rows: pd.DataFrame) -> str:
    """Return figures (columns team, indicator, period, index, value, note) as CSV in the data contract's shape.

    Rows come out by indicator and period; a note that a spreadsheet would run as a formula is prefixed with `'`.
    """
    header = ",".join(FIGURES_HEADER) + "\n"
    if not len(rows):
        return header
    ordered = rows.sort_values(["indicator", "index"], kind="stable")
    return header + "\n".join(_csv_lines(ordered)) + "\n"


def render_team_csvs(measurements: pd.DataFrame, teams: Iterable[str]) -> dict[str, str]:
    """Return every team's figures CSV by team id (a team with no figures gets the header only), in one pass."""
    header = ",".join(FIGURES_HEADER) + "\n"
    out = dict.fromkeys(teams, header)
    if not len(measurements):
        return out
    ordered = measurements.sort_values(["team", "indicator", "index"], kind="stable")
    lines = _csv_lines(ordered)
    team_col = ordered["team"].tolist()
    start = 0
    for i in range(1, len(team_col) + 1):
        if i == len(team_col) or team_col[i] != team_col[start]:
            if team_col[start] in out:
                out[team_col[start]] = header + "\n".join(lines[start:i]) + "\n"
            start = i
    return out
