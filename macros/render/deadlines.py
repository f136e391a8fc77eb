"""What a target's deadline means for one team, in words: ahead, or passed and met or not (see derive_deadline)."""

from __future__ import annotations

from ..derive import TeamStatus
from ..i18n import _, fmt_int, ngettext
from ..model import Indicator
from ..periods import format_period
from ..words import fmt_data_value
from .common import fmt_value


def expected_label(s: TeamStatus, frequency: str) -> str:
    """Name the expected value by its period: "Expected now" only when the team's figure is for the period whose
    figures are due by today (or a later one), else "Expected in 2025-03"."""
    if s.period is None:
        return _("Expected")
    if s.expected_period is not None and s.period >= s.expected_period:
        return _("Expected now")
    return _("Expected in {period}").format(period=format_period(s.period, frequency))


def met_attr(s: TeamStatus) -> str:
    """Return a passed deadline's result as a data attribute: yes, no, or unknown (no recent figure by then)."""
    return "unknown" if s.met_at_deadline is None else "yes" if s.met_at_deadline else "no"


def describe_deadline(s: TeamStatus, ind: Indicator, frequency: str, stale_after: int | None = None) -> str:
    """Say, once a target's deadline has passed, whether this team met it: "Deadline passed (2026-09): not met,
    84 % against 90 %". Empty while the deadline is ahead.

    The figure judged is the team's last at or before the deadline, named with its period when it is not the
    deadline's; a target reached only later is "met since", never "met by" the deadline. Plain text: escape it.
    """
    if not s.deadline_passed:
        return ""
    fmt = lambda i: format_period(i, frequency)  # noqa: E731
    deadline = fmt(s.target_period)
    goal = fmt_data_value(ind, s.target_value)  # a threshold from the data, at its own precision
    if s.met_at_deadline is None or s.deadline_figure_value is None or s.deadline_figure_period is None:
        # Nothing at or after the deadline to judge by: say since when the team has been silent.
        if s.last_figure_period is None:
            return _("Deadline passed ({deadline}), no figure yet: result not known").format(deadline=deadline)
        if s.last_figure_period < s.target_period:
            return _("Deadline passed ({deadline}), no figure since {last}: result not known").format(
                deadline=deadline, last=fmt(s.last_figure_period))
        if stale_after:
            text = ngettext("Deadline passed ({deadline}): not known, no figure for {deadline} or the {n} period "
                            "before it",
                            "Deadline passed ({deadline}): not known, no figure for {deadline} or the {n} periods "
                            "before it", stale_after).format(deadline=deadline, n=fmt_int(stale_after))
        else:
            text = _("Deadline passed ({deadline}): not known, no figure for {deadline}").format(deadline=deadline)
    else:
        fig = fmt_value(ind, s.deadline_figure_value)
        if s.deadline_figure_period != s.target_period:
            fig = _("{value} in {period}").format(value=fig, period=fmt(s.deadline_figure_period))
        message = (_("Deadline passed ({deadline}): met, {figure} against {goal}") if s.met_at_deadline
                   else _("Deadline passed ({deadline}): not met, {figure} against {goal}"))
        text = message.format(deadline=deadline, figure=fig, goal=goal)
    if s.met_late and s.value is not None and s.period is not None:
        text = _("{deadline_sentence}; met since, {value} in {period}").format(
            deadline_sentence=text, value=fmt_value(ind, s.value), period=fmt(s.period))
    return text


def no_figure(s: TeamStatus, frequency: str) -> str:
    """Say why a team has no figure on a target: "no figure since 2022-12" when it has figures, all before the
    target's baseline (a closed team), and "no figure yet" only when it has none at all."""
    if s.last_figure_period is not None:
        return _("no figure since {period}").format(period=format_period(s.last_figure_period, frequency))
    return _("no figure yet")


def chart_end(latest: int | None, s: TeamStatus) -> int | None:
    """Return the last period of a target's chart (`calendar_end` of its indicator)."""
    return calendar_end(latest, s.expected_period)


def calendar_end(latest: int | None, expected: int | None) -> int | None:
    """Return the last period of a chart: the latest reported, or the period whose figures are due by today when
    that is later (the months a stopped feed missed are gaps, listed in the chart's table)."""
    return latest if expected is None or (latest is not None and latest >= expected) else expected
