"""Figures on time (v1.2): which figures each team owes, which are late, and the CSV rows to send them.

Pure: a Handbook in (its `as_of` day is today), records out. The rules, documented on the site
(render/due.py) and in the README:

- **What a team owes.** For each target it carries, a figure on the target's indicator and on each of its
  guardrails, from the later of the target's baseline and the team's first figure on anything (a team that joins
  later owes from when it starts); and a figure on any indicator it reported in the last year (its newest figure on
  it is at most a year of periods before the indicator's expected period), from its first figure on it.
- **When.** A period's figure is due `due_days` after the period ends (the indicator's own, else the organization's
  `reporting.due_days`); it is *late* from that day on (0 days late on the day itself) and open (to report now) from
  the day after the period ends. Only the last year of periods counts: an older gap is a gap in the charts, not a
  reminder.
- **A team that left** owes nothing: no figure on anything in the last year and no target it carries whose deadline
  is at or after the organization's expected period.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import NamedTuple

from .model import Handbook, Series
from .periods import PER_YEAR, due_date, format_period, period_of

HEADER = "team,indicator,period,value,note"


class Owed(NamedTuple):
    """One figure a team owes and has not sent: the period has ended (a named tuple: a large organization owes a
    hundred thousand of them, made on every build and live-preview rebuild)."""

    team: str
    indicator: str
    period: int
    due_date: date
    days_late: int  # days since the due date (0: due today); negative while not yet due

    @property
    def late(self) -> bool:
        return self.days_late >= 0

    def row(self, frequency: str) -> str:
        """The CSV row to fill: team, indicator, period, then an empty value and note."""
        return f"{self.team},{self.indicator},{format_period(self.period, frequency)},,"


@dataclass(frozen=True)
class TeamDue:
    """What one team owes: every open figure (late or not yet due), and the file its rows go in."""

    team: str
    owed: tuple[Owed, ...]  # by period, then indicator
    file: str  # data/measurements/NAME.csv
    file_exists: bool
    contacts: tuple[str, ...]
    owes: bool = True  # whether it owes figures at all (a target it carries, or an indicator it still reports)

    # Computed once: every page that lists late teams asks each team again (1.3 million figures a build at 1,000
    # teams when these were recomputed on each call). A frozen dataclass's cached_property writes its __dict__.
    @cached_property
    def late(self) -> tuple[Owed, ...]:
        return tuple(o for o in self.owed if o.late)

    @cached_property
    def most_late(self) -> int:
        return max((o.days_late for o in self.late), default=-1)

    def rows(self, frequency: str, header: bool | None = None) -> str:
        """The exact lines to add to the file (with the header when the file is new)."""
        lines = [o.row(frequency) for o in self.owed]
        if header if header is not None else not self.file_exists:
            lines.insert(0, HEADER)
        return "\n".join(lines) + "\n" if lines else ""


@dataclass(frozen=True)
class Dues:
    """Every team's open figures as of a day."""

    as_of: date
    frequency: str
    teams: dict[str, TeamDue]  # every team of the handbook, in its order (owed may be empty)

    def late(self, team: str | None = None) -> list[tuple[TeamDue, Owed]]:
        """Every late figure, most late first (then team, indicator, period)."""
        if team is not None:
            one = self.teams.get(team)
            return sorted(((one, o) for o in one.late) if one is not None else (), key=_most_late_first)
        found = self.__dict__.get("_late")
        if found is None:  # once per Dues: the home page, the checks and the Figures due page all ask
            found = self.__dict__["_late"] = sorted(((t, o) for t in self.teams.values() for o in t.late),
                                                    key=_most_late_first)
        return list(found)

    def late_teams(self) -> list[TeamDue]:
        """Teams with at least one late figure, most late first."""
        found = self.__dict__.get("_late_teams")
        if found is None:
            found = self.__dict__["_late_teams"] = sorted((t for t in self.teams.values() if t.late),
                                                          key=lambda t: (-t.most_late, t.team))
        return list(found)

    def as_json(self, team: str | None = None) -> list[dict]:
        """The late figures as `python -m macros due --json` prints them."""
        return [{
            "team": t.team, "indicator": o.indicator, "period": format_period(o.period, self.frequency),
            "due_date": o.due_date.isoformat(), "days_late": o.days_late, "contacts": list(t.contacts),
            "file": t.file,
        } for t, o in self.late(team)]


def _most_late_first(pair: tuple[TeamDue, Owed]) -> tuple:
    return -pair[1].days_late, pair[0].team, pair[1].indicator, pair[1].period


# By the Handbook's id, with a weak reference to it: a serving process's old Handbooks are not kept alive.
_CACHE: dict[int, tuple[weakref.ref, Dues]] = {}


def derive_dues(hb: Handbook) -> Dues:
    """Return what every team owes as of `hb.as_of`, computed once per Handbook."""
    hit = _CACHE.get(id(hb))
    if hit is not None and hit[0]() is hb:
        return hit[1]
    dues = _derive(hb)
    for key in [k for k, (ref, _) in _CACHE.items() if ref() is None]:
        del _CACHE[key]
    _CACHE[id(hb)] = (weakref.ref(hb), dues)
    return dues


def _derive(hb: Handbook) -> Dues:
    today = hb.as_of
    freq = hb.frequency
    year = PER_YEAR[freq]
    last_ended = period_of(today, freq) - 1  # the latest period that has ended (its last day is before today)
    org_expected = hb.expected_period()
    reference = org_expected if hb.latest_period is None else min(org_expected, hb.latest_period)
    by_team: dict[str, dict[str, Series]] = {}
    for (team, ind), s in hb.series.items():
        if s.periods:
            by_team.setdefault(team, {})[ind] = s
    carried: dict[str, list] = {}
    for target in hb.targets.values():
        for team in target.teams:
            carried.setdefault(team, []).append(target)
    files, unit_files = _files(hb)
    expected: dict[str, int] = {}
    dates: dict[tuple[int, int], date] = {}  # (period, due days) -> due date: a thousand teams owe the same periods
    out: dict[str, TeamDue] = {}
    for team_id, team in hb.teams.items():
        series = by_team.get(team_id, {})
        first = min((s.periods[0] for s in series.values()), default=None)
        last = max((s.periods[-1] for s in series.values()), default=None)
        targets = carried.get(team_id, [])
        # A team that stopped while others carried on has left; when the whole feed stops, every team is late.
        left = (last is None or last <= reference - year) and not any(t.target.index > org_expected for t in targets)
        starts: dict[str, int] = {}
        if not left:
            for t in targets:
                begin = t.baseline.index if first is None else max(t.baseline.index, first)
                for ind in (t.indicator, *(g.indicator for g in t.guardrails)):
                    if ind in hb.indicators:
                        starts[ind] = min(starts.get(ind, begin), begin)
            for ind, s in series.items():
                if ind not in hb.indicators:
                    continue
                exp = expected.get(ind)
                if exp is None:
                    exp = expected[ind] = hb.expected_period(ind)
                # Reported in the last year before the newest figure any team sent (when the whole feed stops, every
                # team keeps owing what it reported, as `left` says; a team that dropped an indicator stops owing it).
                if s.periods[-1] > (exp if hb.latest_period is None else min(exp, hb.latest_period)) - year:
                    starts[ind] = min(starts.get(ind, s.periods[0]), s.periods[0])
        owed = []
        for ind, start in starts.items():
            exp = expected.get(ind)
            if exp is None:
                exp = expected[ind] = hb.expected_period(ind)
            days = hb.due_days_of(ind)
            have = series.get(ind)
            lo = max(start, exp - year + 1)
            # The periods it has from lo on (the tail of a sorted tuple): a set to look each owed period up in.
            got = set(have.periods[bisect_left(have.periods, lo):]) if have is not None else ()
            for p in range(lo, last_ended + 1):
                if p in got:
                    continue
                due = dates.get((p, days))
                if due is None:
                    due = dates[(p, days)] = due_date(p, freq, days)
                owed.append(Owed(team_id, ind, p, due, (today - due).days))
        owed.sort(key=lambda o: (o.period, o.indicator))
        file = files.get(team_id) or unit_files.get(team.unit) or f"data/measurements/{team_id}.csv"
        out[team_id] = TeamDue(team_id, tuple(owed), file, file in files.values() or file in unit_files.values(),
                               team.contacts, owes=bool(starts))
    return Dues(today, freq, out)


def _files(hb: Handbook) -> tuple[dict[str, str], dict[str, str]]:
    """Return the file of each team's newest figure, and per unit the file most of its teams' figures are in."""
    frame = hb.measurements
    if not len(frame):
        return {}, {}
    newest = frame[["team", "file", "index", "line"]].sort_values(["index", "line"], kind="stable").drop_duplicates(
        "team", keep="last")
    files = {str(t): str(f) for t, f in zip(newest["team"], newest["file"], strict=True)}
    votes: dict[str, dict[str, int]] = {}
    for team_id, file in files.items():
        team = hb.teams.get(team_id)
        if team is not None:
            votes.setdefault(team.unit, {})
            votes[team.unit][file] = votes[team.unit].get(file, 0) + 1
    unit_files = {unit: max(v, key=lambda f: (v[f], f)) for unit, v in votes.items()}
    return files, unit_files
