"""Words that numbers and names need: plurals, lists, differences in points, thresholds at their own precision.

Plain functions, shared by the checks, the pages, the charts' summaries and the `diff` report. Numbers are formatted
by Babel for the build's language (`macros.i18n`): "1,234.5" in English, "1 234,5" in French; the words around them
are translated from the catalogues. What stays hand-written here, and why:

- `plural()` says a count with English words the caller passes (the `check`, `diff` and CI messages, which stay
  English); pages say counts with `i18n.ngettext` and a whole phrase instead.
- `unit_for()` says a unit from the data in the singular after exactly one, in English only: the unit is the
  data's own text, which no catalogue holds (in other languages it stays as written).
- `join_words()` keeps its English shape ("a, b and c", no serial comma, which Babel's English list has); only the
  conjunction is translated.
- The precision rules (`decimals_of`, `difference_decimals`): Babel formats a number at a given precision, the
  handbook decides which.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import i18n
from .i18n import N_, _, ngettext, pgettext
from .model import Indicator

MAX_DECIMALS = 6


def plural(n: int, singular: str, many: str | None = None) -> str:
    """Return "1 team", "2 teams", "0 teams" (or the given plural: "1 entry", "2 entries").

    English words for English-only text (`check`, `diff`, CI); a page says a count with `i18n.ngettext`.
    """
    return f"{n:,} {singular if n == 1 else (many or singular + 's')}"


_SINGULAR_KEEP = ("ss", "us", "is")


def unit_for(unit: str, number: str) -> str:
    """Return a unit from the data as it reads after a number: as written, except after exactly one, where a plural
    first word is said in the singular ("1 attendance", "1 claim per month", "1 entry"); "1.0 days", "1 %" and
    units that are not a plain lowercase word ("EUR", "per 10,000 households") stay as written. English only: in
    another language the data's unit stays as written."""
    if number.lstrip("-+") != "1" or not unit or i18n.current() != i18n.DEFAULT:
        return unit
    first, sep, rest = unit.partition(" ")
    if len(first) < 3 or not first.isascii() or not first.isalpha() or not first.islower() or not first.endswith("s") \
            or first.endswith(_SINGULAR_KEEP):
        return unit
    single = first[:-3] + "y" if first.endswith("ies") and len(first) > 4 else first[:-1]
    return single + sep + rest


def with_unit(number: str, unit: str) -> str:
    """Write a formatted number with a unit from the data: "12.5 %", "3 days" ("1 day": see `unit_for`); in French
    "12,5 %" with a narrow no-break space before "%", and a no-break space before another unit ("3 jours")."""
    if not unit:
        return number
    if i18n.current() == i18n.DEFAULT:
        return f"{number} {unit_for(unit, number)}"
    return f"{number}\u202f{unit}" if unit.startswith("%") else f"{number}\u00a0{unit}"


def join_words(items: Iterable[str], conjunction: str | None = None) -> str:
    """Join words as a sentence does: "a", "a and b", "a, b and c" (French "a, b et c"); the conjunction is
    translated unless the caller gives one already in the build's language."""
    words = [w for w in items if w]
    if len(words) <= 1:
        return "".join(words)
    conjunction = pgettext("list", "and") if conjunction is None else conjunction
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def decimals_of(value: float) -> int:
    """Return how many decimals a number from the data carries (0.5 has 1, 2.25 has 2, 3.0 has 0), at most 6."""
    text = f"{abs(value):.{MAX_DECIMALS}f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def fmt_number(ind: Indicator, value: float) -> str:
    """Format a number at the indicator's precision, or finer when it needs it."""
    return i18n.fmt_decimal(value, max(ind.decimals, decimals_of(value)))


def plural_count(amount: float) -> int:
    """Return the whole number that picks the plural form of an amount for `ngettext` (whose rules take whole
    numbers): the amount itself when whole, else 1 or 2 as the language's CLDR rule says of that decimal
    ("1.5 points" in English, "1,5 point" in French)."""
    size = abs(float(amount))
    if size.is_integer():
        return int(size)
    return 1 if i18n._locale(i18n.current()).plural_form(size) == "one" else 2


def _with_unit(ind: Indicator, number: str, amount: float) -> str:
    if ind.is_percent:
        # A difference between two percentages is in (percentage) points, not percent.
        return ngettext("{number} point", "{number} points", plural_count(amount)).format(number=number)
    return with_unit(number, ind.unit)


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
        decimals = max(ind.decimals, decimals_of(size))
    else:
        decimals = difference_decimals(ind, start, end)
    return _with_unit(ind, i18n.fmt_decimal(size, decimals), round(size, decimals))


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


# Each label of a revision as a whole sentence, so a translation need not be assembled from pieces.
_REVISION_LABEL = {
    (): N_("No change to the value or the deadline"),
    ("raised the bar",): N_("Raised the bar"),
    ("lowered the bar",): N_("Lowered the bar"),
    ("moved the deadline later",): N_("Moved the deadline later"),
    ("moved the deadline earlier",): N_("Moved the deadline earlier"),
    ("raised the bar", "moved the deadline later"): N_("Raised the bar and moved the deadline later"),
    ("raised the bar", "moved the deadline earlier"): N_("Raised the bar and moved the deadline earlier"),
    ("lowered the bar", "moved the deadline later"): N_("Lowered the bar and moved the deadline later"),
    ("lowered the bar", "moved the deadline earlier"): N_("Lowered the bar and moved the deadline earlier"),
}


def describe_revision(changes: list[str]) -> str:
    """Return the label of a revision from its changes: "Raised the bar and moved the deadline later"."""
    label = _REVISION_LABEL.get(tuple(changes))
    if label is not None:
        return _(label)
    text = join_words(changes)
    return text[0].upper() + text[1:]


def fmt_data_value(ind: Indicator, value: float | None) -> str:
    """Say a value written in the data (a target, a baseline) at its own precision, with the unit: "2.5 %"."""
    if value is None:
        return "–"
    return with_unit(fmt_number(ind, value), ind.unit)


def fmt_expected(ind: Indicator, value: float | None, *thresholds: float | None) -> str:
    """Say a value read off a trajectory at the precision of the thresholds it runs between (the baseline and the
    target from the data), or the indicator's when finer: a target of 4.5 % is expected as 4.5 %, not 4 %."""
    if value is None:
        return "–"
    return with_unit(i18n.fmt_decimal(value, difference_decimals(ind, *thresholds)), ind.unit)
