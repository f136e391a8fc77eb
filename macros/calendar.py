"""The reporting calendar in words (spec v1.2): how old the newest figures are against today, when figures were due,
and which targets are past. Pure functions of the model; the rule is on the site's status page.
"""

from __future__ import annotations

from datetime import date, timedelta

from .i18n import _, fmt_int, ngettext
from .model import Handbook
from .periods import PER_YEAR, due_date, format_period, period_end


def due_by(hb: Handbook, period: int, indicator: str | None = None) -> date:
    """Return the day a period's figures are due: the period's last day plus the due days (organization or indicator)."""
    days = hb.organization.due_days if indicator is None else hb.due_days_of(indicator)
    return due_date(period, hb.frequency, days)


def months_between(earlier: date, later: date) -> int:
    """Return the whole months from one day to a later one (0 when less than a month)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day and not (later.day == _last_day(later) and earlier.day >= later.day):
        months -= 1
    return max(months, 0)


def _last_day(day: date) -> int:
    nxt = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def describe_age(period: int, frequency: str, today: date) -> str:
    """Say how long ago a period ended: "20 months ago", "1 month ago", "12 days ago"."""
    end = period_end(period, frequency)
    months = months_between(end, today)
    if months >= 1:
        return ngettext("{n} month ago", "{n} months ago", months).format(n=fmt_int(months))
    days = max((today - end).days, 0)
    return ngettext("{n} day ago", "{n} days ago", days).format(n=fmt_int(days))


def latest_by_indicator(hb: Handbook) -> dict[str, int]:
    """Return, per indicator, the latest period any team reported for it."""
    if not len(hb.measurements):
        return {}
    return hb.measurements.groupby("indicator", observed=True)["index"].max().astype(int).to_dict()


def derive_newest_banner(hb: Handbook) -> str:
    """Say, site-wide, that the newest figures are older than the calendar expects; "" when some are current.

    "Newest figures: 2025-03, 20 months ago; figures for 2026-10 were due by 2026-11-30". Figures are current when
    any indicator has a figure for its own expected period or later (indicators may be due later than others).
    """
    if hb.latest_period is None:
        return ""
    latest = latest_by_indicator(hb)
    if any(p >= hb.expected_period(i) for i, p in latest.items()):
        return ""
    expected = hb.expected_period()
    if hb.latest_period >= expected:
        return ""
    fmt = lambda i: format_period(i, hb.frequency)  # noqa: E731
    return _("Newest figures: {period}, {age}; figures for {expected} were due by {date}").format(
        period=fmt(hb.latest_period), age=describe_age(hb.latest_period, hb.frequency, hb.as_of), expected=fmt(expected),
        date=due_by(hb, expected).isoformat())


def derive_past_targets(hb: Handbook) -> set[str]:
    """Return the ids of past targets, counted apart from the live ones.

    A target is past when its deadline is more than one year before its indicator's expected period, or when its
    deadline has passed and a later target of the same indicator carries all of its teams (it replaced this one).
    """
    per_year = PER_YEAR[hb.frequency]
    past = set()
    for t in hb.targets.values():
        expected = hb.expected_period(t.indicator)
        deadline = t.target.index
        if deadline > expected:
            continue
        if expected - deadline > per_year:
            past.add(t.id)
            continue
        teams = set(t.teams)
        for other in hb.targets.values():
            if (other.id != t.id and other.indicator == t.indicator and other.target.index > deadline
                    and teams <= set(other.teams)):
                past.add(t.id)
                break
    return past
