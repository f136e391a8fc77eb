"""Per-team lookups grouped once per build (`TeamIndex`): a team page then costs time in proportion to its own data.

Derived from the records and the checks' results (the team pages, macros/render/teams.py, render from it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .checks import CheckResult, Failure
from .derive import Analysis
from .model import Recognition


@dataclass
class TeamIndex:
    """Per-team lookups, grouped once per build."""

    indicators: dict[str, list[str]] = field(default_factory=dict)  # team -> indicator ids it reports, catalogue order
    recognition: dict[str, list[Recognition]] = field(default_factory=dict)  # newest first
    failures: dict[str, list[tuple[str, Failure]]] = field(default_factory=dict)  # team -> (check, failure)
    files: dict[str, list[str]] = field(default_factory=dict)  # team -> measurement files holding its rows
    deficits: dict[str, list[str]] = field(default_factory=dict)  # team -> deficits naming it
    check_items: dict[str, tuple[int, str]] = field(default_factory=dict)  # check -> (practice, the item's wording)


def derive_team_index(a: Analysis, checks: dict[str, CheckResult]) -> TeamIndex:
    """Group everything a team page looks up, in one pass over each collection."""
    hb = a.hb
    ix = TeamIndex()
    order = {ind: i for i, ind in enumerate(hb.indicators)}
    for team, indicator in hb.series:
        ix.indicators.setdefault(team, []).append(indicator)
    for inds in ix.indicators.values():
        inds.sort(key=lambda i: order.get(i, len(order)))
    for r in sorted(hb.recognition, key=lambda r: r.date, reverse=True):
        ix.recognition.setdefault(r.team, []).append(r)
    for name, result in checks.items():
        for f in result.failures:
            if f.kind == "team":
                ix.failures.setdefault(f.id, []).append((name, f))
    if len(hb.measurements):
        pairs = hb.measurements[["team", "file"]].drop_duplicates()
        for team, file in zip(pairs["team"], pairs["file"], strict=True):
            ix.files.setdefault(team, []).append(file)
        for files in ix.files.values():
            files.sort()
    for d in hb.deficits.values():
        for team in d.teams:
            ix.deficits.setdefault(team, []).append(d.id)
    for p in hb.practices:
        for item in p.checklist:
            if item.check and item.check not in ix.check_items:
                ix.check_items[item.check] = (p.number, item.text)
    return ix
