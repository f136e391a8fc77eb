"""Typed, frozen records of the data contract (v1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

import pandas as pd

from . import i18n
from .periods import expected_period as _expected_period


class Stage(str, Enum):
    INPUT = "input"
    PROCESS = "process"
    OUTPUT = "output"
    OUTCOME = "outcome"


class Better(str, Enum):
    HIGHER = "higher"
    LOWER = "lower"


class Status(str, Enum):
    MET = "met"
    ON_TRACK = "on track"
    AT_RISK = "at risk"
    OFF_TRACK = "off track"
    NO_DATA = "no data"
    STALE = "stale"


STAGES = tuple(Stage)
from .contract import (  # noqa: E402, F401 - the allowed values are declared once, in the contract
    AGGREGATES,
    LEARNING_KINDS,
    LEARNING_STATUSES,
    NEED_KINDS,
    NEED_STATUSES,
    PHASES,
    RECOGNITION_KINDS,
    field_at,
)


@dataclass(frozen=True)
class Organization:
    name: str
    mission: str
    big_picture: str
    frequency: str
    stale_after: int
    default_visibility: str = field_at("organization.yml", "default_visibility").default
    currency: str = ""  # optional (v1.1): the ISO 4217 code budgets are in, e.g. EUR
    # optional (v1.2): days after a period ends by which its figures are due
    due_days: int = field_at("organization.yml", "reporting.due_days").default
    notes_required: tuple[str, ...] = ()  # optional (v1.2): statuses whose newest figure must carry a note
    language: str = field_at("organization.yml", "language").default  # optional (v1.3): the data's language
    languages: tuple[str, ...] = ()  # optional (v1.3): every language of a bilingual organization's site


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    unit: str
    lead: str = ""
    description: str = ""
    line: int = 0
    visibility: str = "internal"  # public | internal (v1.1): in the public edition too, or not
    contacts: tuple[str, ...] = ()  # optional (v1.2): GitHub handles (without @) reminded of late figures


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    unit: str
    stage: Stage
    better: Better
    description: str = ""
    source: str = ""
    decimals: int = field_at("indicators.yml", "decimals").default
    line: int = 0
    aggregate: str = field_at("indicators.yml", "aggregate").default  # one of AGGREGATES
    visibility: str = "internal"  # public | internal (v1.1): in the public edition too, or not
    due_days: int | None = None  # optional (v1.2): overrides the organization's reporting.due_days
    comparable: bool | None = None  # optional (v1.2): None means the default, see `is_ranked`

    @property
    def is_ranked(self) -> bool:
        """Return whether teams may be ranked on this indicator: as `comparable` says, else every indicator but
        counts that add up (`aggregate: sum`), which grow with a team's size."""
        return self.comparable if self.comparable is not None else self.aggregate != "sum"

    @property
    def is_percent(self) -> bool:
        """Return whether the unit is a percentage, so a difference of two figures is in points."""
        return self.unit.strip().lower() in ("%", "percent", "per cent")

    def format(self, value: float | None) -> str:
        """Show a value at the indicator's precision, without its unit."""
        if value is None:
            return "–"
        return i18n.fmt_decimal(value, self.decimals)

    def is_better(self, a: float, b: float) -> bool:
        """Return whether `a` is strictly better than `b`."""
        return a < b - EPSILON if self.better is Better.LOWER else a > b + EPSILON

    def meets(self, value: float, goal: float) -> bool:
        """Return whether `value` meets or beats `goal`."""
        return not self.is_better(goal, value)


EPSILON = 1e-9


@dataclass(frozen=True)
class Deficit:
    id: str
    title: str
    stage: Stage
    indicator: str
    teams: tuple[str, ...] = ()
    description: str = ""
    line: int = 0
    visibility: str = "internal"  # public | internal (v1.1): in the public edition too, or not


@dataclass(frozen=True)
class Point:
    period: str
    index: int
    value: float | None


@dataclass(frozen=True)
class Theory:
    link: str
    chain: tuple[str, ...]
    assumptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guardrail:
    indicator: str
    tolerance: float


@dataclass(frozen=True)
class Revision:
    date: date
    was: Point
    reason: str


@dataclass(frozen=True)
class Target:
    id: str
    title: str
    deficit: str
    indicator: str
    teams: tuple[str, ...]
    owner: str
    baseline: Point
    target: Point
    theory: Theory
    guardrails: tuple[Guardrail, ...] = ()
    revisions: tuple[Revision, ...] = ()
    line: int = 0
    visibility: str = "internal"  # public | internal (v1.1): in the public edition too, or not


@dataclass(frozen=True)
class Need:
    need: str
    kind: str
    status: str
    date: date | None = None


@dataclass(frozen=True)
class Capacity:
    team: str
    staff: float | None = None
    budget: float | None = None
    resources: tuple[str, ...] = ()
    needs: tuple[Need, ...] = ()
    line: int = 0
    visibility: str = "internal"  # public | internal (v1.1): in the public edition too, or not


@dataclass(frozen=True)
class Recognition:
    date: date
    team: str
    kind: str
    title: str
    target: str = ""
    description: str = ""
    line: int = 0
    visibility: str = "internal"  # public | internal (v1.1): in the public edition too, or not


@dataclass(frozen=True)
class Learning:
    date: date
    kind: str
    title: str
    finding: str
    action: str = ""
    targets: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    status: str = field_at("learning.yml", "status").default
    line: int = 0
    visibility: str = "internal"  # public | internal (v1.1): in the public edition too, or not


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    check: str = ""


@dataclass(frozen=True)
class Practice:
    number: int
    phase: str
    title: str
    summary: str
    checklist: tuple[ChecklistItem, ...]
    line: int = 0


@dataclass(frozen=True)
class Series:
    """One team's figures for one indicator, in period order."""

    periods: tuple[int, ...]
    values: tuple[float, ...]
    notes: tuple[str, ...]

    def at(self, period: int) -> float | None:
        """Return the figure for a period, if there is one."""
        from bisect import bisect_left

        i = bisect_left(self.periods, period)
        return self.values[i] if i < len(self.periods) and self.periods[i] == period else None

    def first_from(self, period: int) -> tuple[int, float] | None:
        """Return the first figure at or after a period."""
        from bisect import bisect_left

        i = bisect_left(self.periods, period)
        return (self.periods[i], self.values[i]) if i < len(self.periods) else None

    def last_until(self, period: int) -> tuple[int, float] | None:
        """Return the last figure at or before a period."""
        from bisect import bisect_right

        i = bisect_right(self.periods, period)
        return (self.periods[i - 1], self.values[i - 1]) if i else None


@dataclass(frozen=True)
class Handbook:
    """The whole validated data set, cross-references resolved."""

    organization: Organization
    teams: dict[str, Team]
    indicators: dict[str, Indicator]
    deficits: dict[str, Deficit]
    targets: dict[str, Target]
    capacity: dict[str, Capacity]
    recognition: tuple[Recognition, ...]
    learning: tuple[Learning, ...]
    practices: tuple[Practice, ...]
    measurements: pd.DataFrame  # team, indicator, period (text), index, value, note, file, line
    series: dict[tuple[str, str], Series] = field(default_factory=dict)
    latest_period: int | None = None  # the latest period any team reported
    edition: str = "intranet"  # the edition this data is for: intranet (all of it) or public (macros/edition.py)
    today: date | None = None  # the day the handbook is built for ($HANDBOOK_TODAY, else the clock); None: the clock
    # The public edition only (macros/edition.py public_view): per data file, the public teams that have records there
    # kept internal, so that their pages say "not published" instead of "none recorded".
    withheld: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def as_of(self) -> date:
        """Return the day statements are made for: `today`, else the clock."""
        return self.today or date.today()

    def due_days_of(self, indicator: str) -> int:
        """Return how many days after a period ends an indicator's figures are due."""
        ind = self.indicators.get(indicator)
        own = ind.due_days if ind is not None else None
        return self.organization.due_days if own is None else own

    def expected_period(self, indicator: str | None = None) -> int:
        """Return the latest period whose figures are due by today, for one indicator (or the organization)."""
        days = self.organization.due_days if indicator is None else self.due_days_of(indicator)
        return _expected_period(self.as_of, self.frequency, days)

    @property
    def frequency(self) -> str:
        return self.organization.frequency

    def series_for(self, team: str, indicator: str) -> Series | None:
        return self.series.get((team, indicator))

    def units(self) -> dict[str, list[Team]]:
        """Group teams by unit, in the order units first appear."""
        grouped: dict[str, list[Team]] = {}
        for team in self.teams.values():
            grouped.setdefault(team.unit, []).append(team)
        return grouped
