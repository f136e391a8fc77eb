"""Reporting periods: `YYYY-MM` (monthly) or `YYYY-Qn` (quarterly), as consecutive integers."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

MONTHLY = "monthly"
QUARTERLY = "quarterly"
FREQUENCIES = (MONTHLY, QUARTERLY)
# The whole text, in ASCII digits: `$` would match before a final newline, and `\d` matches any script's digits.
_PATTERNS = {MONTHLY: re.compile(r"((?!0000)[0-9]{4})-(0[1-9]|1[0-2])"), QUARTERLY: re.compile(r"((?!0000)[0-9]{4})-Q([1-4])")}
EXAMPLES = {MONTHLY: "2025-03", QUARTERLY: "2025-Q1"}
PER_YEAR = {MONTHLY: 12, QUARTERLY: 4}
# The first year a period may be in, and how many years past the current one a target may be set: a period in year
# 0025 (a typo for 2025) would make every chart span two thousand years (1,200 such figures: a 2 GB site).
FIRST_YEAR = 1900
YEARS_AHEAD = 50


def first_period(frequency: str) -> int:
    """The index of the first period of FIRST_YEAR."""
    return FIRST_YEAR * PER_YEAR[frequency]


def parse_period(text: str, frequency: str) -> int | None:
    """Return the period's index (months or quarters since year 0), or None if it is not one."""
    m = _PATTERNS[frequency].fullmatch(text)
    if not m:
        return None
    return int(m.group(1)) * PER_YEAR[frequency] + int(m.group(2)) - 1


# Periods are few (a century of months at most) and spelled, ended and made due over and over (82,000, 61,000 and
# 42,000 calls in a build at 300 teams): each is computed once. The results are immutable (str, date).
@lru_cache(maxsize=8192)
def format_period(index: int, frequency: str) -> str:
    """Spell a period index the way the data does."""
    year, rest = divmod(index, PER_YEAR[frequency])
    return f"{year}-{rest + 1:02d}" if frequency == MONTHLY else f"{year}-Q{rest + 1}"


@lru_cache(maxsize=8192)
def period_end(index: int, frequency: str) -> date:
    """Return the last day of a period."""
    months = 1 if frequency == MONTHLY else 3
    year, rest = divmod(index, PER_YEAR[frequency])
    first_month_next = rest * months + months + 1
    if first_month_next > 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, first_month_next, 1).toordinal() - 1)


def period_of(day: date, frequency: str) -> int:
    """Return the index of the period a day falls in."""
    if frequency == MONTHLY:
        return day.year * 12 + day.month - 1
    return day.year * 4 + (day.month - 1) // 3


@lru_cache(maxsize=8192)
def due_date(index: int, frequency: str, due_days: int) -> date:
    """Return the day a period's figures are due: `due_days` days after the period ends."""
    return date.fromordinal(period_end(index, frequency).toordinal() + due_days)


@lru_cache(maxsize=1024)
def expected_period(today: date, frequency: str, due_days: int) -> int:
    """Return the latest period whose figures are due by `today`: it ended at least `due_days` days ago."""
    index = period_of(today, frequency)
    while due_date(index, frequency, due_days) > today:
        index -= 1
    return index


def describe_period(frequency: str) -> str:
    """Say what a valid period looks like, for error messages."""
    return f"a {frequency} period like {EXAMPLES[frequency]}"
