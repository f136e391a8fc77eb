"""Misses explained (v1.2): `reporting.notes_required` asks the newest figure behind some statuses for a note.

When a team's newest figure on a target's indicator leaves it in one of the statuses organization.yml lists
(such as `off track`), that figure's row must say why in its `note`. `check` reports each one without a note at its
CSV line; the pull request's status-change report quotes the notes beside the moves (macros/status_diff.py).
"""

from __future__ import annotations

from bisect import bisect_left

from .derive import derive_statuses
from .errors import Problem, show
from .model import Handbook
from .periods import format_period


def check_notes_required(hb: Handbook) -> list[Problem]:
    """Return a problem for each newest figure that leaves a team in a status needing a note, and has none."""
    wanted = set(hb.organization.notes_required)
    if not wanted or not len(hb.measurements):
        return []
    missing: dict[tuple[str, str, int], str] = {}  # (team, indicator, period) -> the status it leaves the team in
    for s in derive_statuses(hb):
        if s.status.value not in wanted or s.period is None:
            continue
        series = hb.series_for(s.team, s.indicator)
        if series is None:
            continue
        i = bisect_left(series.periods, s.period)
        if i < len(series.periods) and series.periods[i] == s.period and not series.notes[i].strip():
            missing.setdefault((s.team, s.indicator, s.period), s.status.value)
    if not missing:
        return []
    frame = hb.measurements
    rows = frame[frame["team"].isin({k[0] for k in missing}) & frame["indicator"].isin({k[1] for k in missing})]
    out = []
    listed = ", ".join(hb.organization.notes_required)
    for team, indicator, index, file, line in zip(rows["team"], rows["indicator"], rows["index"], rows["file"],
                                                  rows["line"], strict=True):
        status = missing.get((str(team), str(indicator), int(index)))
        if status is None:
            continue
        period = format_period(int(index), hb.frequency)
        out.append(Problem(
            str(file), int(line), f"row for team {show(str(team))}, {show(str(indicator))} {period}",
            "note",
            f"a note (this newest figure leaves the team {status}, and reporting.notes_required in organization.yml "
            f"lists {listed}: add a note saying why)",
            "an empty note",
        ))
    return out
