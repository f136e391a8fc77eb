"""Downloads published with the site for other intranet tools: statuses as JSON and CSV, each team's figures as CSV.

Pure functions from the model to text; `macros/engines/hooks.py` writes them into the built site.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from functools import lru_cache

from .derive import TeamStatus
from .model import Handbook
from .periods import format_period
from .projection import Projection, projection_fields

DOWNLOADS_DIR = "downloads"
STATUS_JSON = f"{DOWNLOADS_DIR}/status.json"
STATUS_CSV = f"{DOWNLOADS_DIR}/status.csv"
FIGURES_HEADER = ["team", "indicator", "period", "value", "note"]
STATUS_HEADER = [
    "target", "team", "indicator", "period", "value", "expected", "status", "baseline_period", "baseline_value",
    "target_value", "deadline", "periods_behind", "distortions",
    # Added in v1.1, after the others so that existing readers keep their columns.
    "deadline_passed", "met_at_deadline", "value_at_deadline", "period_at_deadline",
    # Added with projections (macros/projection.py); the forecast is in status.json only.
    "pace", "pace_low", "pace_high", "pace_needed", "projected_period", "projected_low", "projected_high",
    "projection", "projection_reason",
]
Projections = dict[tuple[str, str], Projection]
# A spreadsheet runs a cell that starts with one of these as a formula; text from data must not. Spreadsheets skip
# leading spaces (a no-break space, an ideographic space, zero-width characters too) and read the full-width signs
# as the ASCII ones.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\u2212", "\ufe62", "\ufe63", "\ufe66")
_LEADING_BLANKS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u180e]+")


def team_csv_path(team_id: str) -> str:
    """Return where a team's figures are published, relative to the site root."""
    return f"{DOWNLOADS_DIR}/teams/{team_id}.csv"


def status_row(s: TeamStatus, frequency: str, projections: Projections | None) -> dict:
    """Return one status as `python -m macros status --json` prints it: its fields, then its projection's."""
    return {**s.as_dict(frequency), **projection_fields((projections or {}).get((s.target, s.team)), frequency)}


StatusItem = tuple[str, list[str]]  # one status: its item of status.json's list (indented), its status.csv cells


def status_items(statuses: Iterable[TeamStatus], frequency: str, projections: Projections | None = None,
                 kept: dict | None = None) -> list[StatusItem]:
    """Return each status as both downloads write it, made once for the two.

    With `kept` (filled by the call before; the live preview keeps it between rebuilds), a status whose record and
    projection are unchanged is not made again; `kept` is left holding this call's items.
    """
    projections = projections or {}
    now: dict = {}
    out = []
    for s in statuses:
        p = projections.get((s.target, s.team))
        # By their text: equal values may write differently (-0.0 and 0.0 are equal, JSON spells them apart).
        key = (repr(s), repr(p), frequency)
        item = kept.get(key) if kept is not None else None
        if item is None:
            row = status_row(s, frequency, projections)
            # As `json.dumps(rows, indent=2)` writes each row: indented once more inside the list.
            item = ("  " + json.dumps(row, indent=2, ensure_ascii=False).replace("\n", "\n  "), _csv_cells(row))
        now[key] = item
        out.append(item)
    if kept is not None:
        kept.clear()
        kept.update(now)
    return out


def render_status_json(statuses: Iterable[TeamStatus], frequency: str, projections: Projections | None = None) -> str:
    """Return the statuses as `python -m macros status --json` prints them (`json.dumps(rows, indent=2)`)."""
    return status_json_text(status_items(statuses, frequency, projections))


def status_json_text(items: list[StatusItem]) -> str:
    return "[\n" + ",\n".join(text for text, _ in items) + "\n]\n" if items else "[]\n"


def _num_cell(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _bool_cell(value: bool | None) -> str:
    return "" if value is None else "true" if value else "false"


def _csv_cells(d: dict) -> list[str]:
    return [
        d["target"], d["team"], d["indicator"], d["period"] or "", _num_cell(d["value"]), _num_cell(d["expected"]),
        d["status"], d["baseline"]["period"] or "", _num_cell(d["baseline"]["value"]), _num_cell(d["target_value"]),
        d["deadline"] or "", _num_cell(d["periods_behind"]), ";".join(d["distortions"]),
        _bool_cell(d["deadline_passed"]), _bool_cell(d["met_at_deadline"]), _num_cell(d["value_at_deadline"]),
        d["period_at_deadline"] or "",
        _num_cell(d["pace"]), _num_cell(d["pace_low"]), _num_cell(d["pace_high"]), _num_cell(d["pace_needed"]),
        d["projected_period"] or "", d["projected_low"] or "", d["projected_high"] or "", d["projection"] or "",
        d["projection_reason"] or "",
    ]


def render_status_csv(statuses: Iterable[TeamStatus], frequency: str, projections: Projections | None = None) -> str:
    """Return the statuses as CSV: one row per target and team, distortions joined by ';'."""
    return status_csv_text(status_items(statuses, frequency, projections))


def status_csv_text(items: list[StatusItem]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(STATUS_HEADER)
    w.writerows(cells for _, cells in items)
    return out.getvalue()


def _note_cell(note: str) -> str:
    if not note:
        return ""
    blanks = _LEADING_BLANKS.match(note)
    if note.startswith(_FORMULA_START) or (blanks and note[blanks.end():].startswith(_FORMULA_START)):
        note = "'" + note
    if any(ch in note for ch in ',"\r\n'):
        note = '"' + note.replace('"', '""') + '"'
    return note


def team_indicators(hb: Handbook) -> dict[str, list[str]]:
    """Return each team's reported indicators, sorted by id (the order of its figures CSV)."""
    out: dict[str, list[str]] = {}
    for team, indicator in hb.series:
        out.setdefault(team, []).append(indicator)
    for inds in out.values():
        inds.sort()
    return out


def render_team_csv(hb: Handbook, team_id: str, indicators: list[str]) -> str:
    """Return one team's figures as CSV in the data contract's shape: by indicator, then period.

    A note that a spreadsheet would run as a formula is prefixed with `'`; ids and periods need no quoting.
    """
    lines = [",".join(FIGURES_HEADER)]
    label = _period_labels(hb.frequency)
    for ind in indicators:
        s = hb.series[(team_id, ind)]
        prefix = f"{team_id},{ind},"
        cells = zip(map(label, s.periods), map(_figure_cell, s.values), strict=True)
        if any(s.notes):
            lines += [f"{prefix}{p},{v},{_note_cell(n) if n else ''}" for (p, v), n in zip(cells, s.notes, strict=True)]
        elif len(s.notes) == len(s.periods):  # most series have no note: one f-string a row
            lines += [f"{prefix}{p},{v}," for p, v in cells]
        else:
            raise ValueError(f"{team_id}/{ind}: {len(s.notes)} notes for {len(s.periods)} figures")
    return "\n".join(lines) + "\n"


def render_team_csvs(hb: Handbook, teams: Iterable[str] | None = None) -> dict[str, str]:
    """Return the figures CSV of each team (every team by default); a team with no figures gets the header only."""
    indicators = team_indicators(hb)
    return {t: render_team_csv(hb, t, indicators.get(t, [])) for t in (hb.teams if teams is None else teams)}


# A figure's cell, kept per value: an organization's figures repeat a few thousand values (one or two decimals), and
# writing each of 600,000 anew cost half a second. Equal floats write the same text (0.0 and -0.0 both "0").
@lru_cache(maxsize=1 << 16)
def _figure_cell(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else _num_cell(value)


@lru_cache(maxsize=8)
def _period_labels(frequency: str):
    return lru_cache(maxsize=None)(lambda p: format_period(p, frequency))
