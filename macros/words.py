"""Words that numbers and names need: plurals, lists, differences in points, thresholds at their own precision.

Plain functions, shared by the checks, the pages, the charts' summaries and the `diff` report.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Indicator

MAX_DECIMALS = 6


def plural(n: int, singular: str, many: str | None = None) -> str:
    """Return "1 team", "2 teams", "0 teams" (or the given plural: "1 entry", "2 entries")."""
    return f"{n:,} {singular if n == 1 else (many or singular + 's')}"


_SINGULAR_KEEP = ("ss", "us", "is")


def unit_for(unit: str, number: str) -> str:
    """Return a unit from the data as it reads after a number: as written, except after exactly one, where a plural
    first word is said in the singular ("1 attendance", "1 claim per month", "1 entry"); "1.0 days", "1 %" and
    units that are not a plain lowercase word ("EUR", "per 10,000 households") stay as written."""
    if number.lstrip("-+") != "1" or not unit:
        return unit
    first, sep, rest = unit.partition(" ")
    if len(first) < 3 or not first.isascii() or not first.isalpha() or not first.islower() or not first.endswith("s") \
            or first.endswith(_SINGULAR_KEEP):
        return unit
    single = first[:-3] + "y" if first.endswith("ies") and len(first) > 4 else first[:-1]
    return single + sep + rest


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    """Join words as a sentence does: "a", "a and b", "a, b and c"."""
    words = [w for w in items if w]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def decimals_of(value: float) -> int:
    """Return how many decimals a number from the data carries (0.5 has 1, 2.25 has 2, 3.0 has 0), at most 6."""
    text = f"{abs(value):.{MAX_DECIMALS}f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def fmt_number(ind: Indicator, value: float) -> str:
    """Format a number at the indicator's precision, or finer when it needs it."""
    return f"{value:,.{max(ind.decimals, decimals_of(value))}f}"


def _with_unit(ind: Indicator, number: str, amount: float) -> str:
    if ind.is_percent:
        # A difference between two percentages is in (percentage) points, not percent.
        return f"{number} point" if abs(amount) == 1 else f"{number} points"
    return f"{number} {unit_for(ind.unit, number)}" if ind.unit else number


def fmt_threshold(ind: Indicator, value: float) -> str:
    """Say a threshold from the data (a tolerance) at its own precision: "0.5 points", "2 days"."""
    return _with_unit(ind, fmt_number(ind, value), value)


def fmt_difference(ind: Indicator, delta: float, start: float | None = None, end: float | None = None) -> str:
    """Say the size of a difference between two figures (always positive): "3.8 points", "1.5 days".

    Its precision is the indicator's, or the figures' own when they carry more decimals, so a real change is never
    rounded to zero.
    """
    size = abs(delta)
    if start is None and end is None:
        number = fmt_number(ind, size)
    else:
        number = f"{size:,.{difference_decimals(ind, start, end)}f}"
    return _with_unit(ind, number, float(number.replace(",", "")))


def difference_decimals(ind: Indicator, *figures: float | None) -> int:
    """Return the precision of a difference between figures: the indicator's, or the figures' own when finer."""
    return max([ind.decimals, *(decimals_of(v) for v in figures if v is not None)])


def is_no_change(ind: Indicator, delta: float, start: float | None, end: float | None) -> bool:
    """Return whether a difference between two figures is zero at their precision (float noise is no change)."""
    return round(abs(delta), difference_decimals(ind, start, end)) == 0


def revision_changes(better_higher: bool | None, old_value: float | None, new_value: float | None,
                     old_period: str, new_period: str) -> list[str]:
    """Say what a revision did to a target: "raised the bar", "lowered the bar", "moved the deadline later/earlier".

    "Raised" follows the indicator's direction (`better_higher`; None when unknown, then no bar wording). Periods
    are YYYY-MM or YYYY-Qn labels of one frequency, which sort as text.
    """
    out = []
    if old_value is not None and new_value is not None and better_higher is not None and abs(old_value - new_value) > 1e-9:
        out.append("raised the bar" if (new_value > old_value) == better_higher else "lowered the bar")
    if old_period and new_period and old_period != new_period:
        out.append("moved the deadline later" if new_period > old_period else "moved the deadline earlier")
    return out


def describe_revision(changes: list[str]) -> str:
    """Return the label of a revision from its changes: "Raised the bar and moved the deadline later"."""
    if not changes:
        return "No change to the value or the deadline"
    text = join_words(changes)
    return text[0].upper() + text[1:]


def fmt_data_value(ind: Indicator, value: float | None) -> str:
    """Say a value written in the data (a target, a baseline) at its own precision, with the unit: "2.5 %"."""
    if value is None:
        return "–"
    number = fmt_number(ind, value)
    return f"{number} {unit_for(ind.unit, number)}" if ind.unit else number


def fmt_expected(ind: Indicator, value: float | None, *thresholds: float | None) -> str:
    """Say a value read off a trajectory at the precision of the thresholds it runs between (the baseline and the
    target from the data), or the indicator's when finer: a target of 4.5 % is expected as 4.5 %, not 4 %."""
    if value is None:
        return "–"
    number = f"{value:,.{difference_decimals(ind, *thresholds)}f}"
    return f"{number} {unit_for(ind.unit, number)}" if ind.unit else number
