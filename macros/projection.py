"""Will a team make it? The pace it keeps, the pace it needs, and when it reaches its target at that pace.

The method, in two sentences (the site's status page says it too): the pace kept is the median of the slopes
between every two of the team's figures over the last 12 months (8 quarters) since the baseline (Theil-Sen, from
`scipy.stats.theilslopes`, which one bad month barely moves), with its confidence interval; drawn from the latest
figure at that pace, and at the two ends of the interval, the line meets the target in the projected period and its
range. Gaps stay gaps: each figure sits at its own period, nothing is filled in.

No projection is shown for a target already met, a stale series, a passed deadline (the deadline's verdict speaks),
a target without a value or a team without figures; "too early" with fewer figures than `MIN_FIGURES` in the
window. Stale and passed deadlines are read from the status (macros/derive.py), never recomputed here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .i18n import _, fmt_decimal, fmt_int, pgettext
from .model import Better, Handbook, Indicator, Series, Status
from .periods import MONTHLY, PER_YEAR, QUARTERLY, format_period

WINDOW = {MONTHLY: 12, QUARTERLY: 8}  # periods back from the latest figure whose figures set the pace
MIN_FIGURES = {MONTHLY: 6, QUARTERLY: 4}  # fewer figures in the window: too early to tell
HORIZON_YEARS = 10  # a crossing further ahead than this is "not before" the horizon's year
BAND = 0.80  # what the band claims: about 80 % of actual figures 12 periods on fall inside it
# The confidence level passed to theilslopes for the pace's interval. The band starts at the latest figure, which is
# itself noisy, so an 80 % interval of the pace gives a band that holds far fewer than 80 % of later figures; this
# level is chosen by the back-test (benchmarks/backtest_projection.py) so that the band holds about BAND of them on a
# synthetic organization: 79.6 % of 1,200 monthly series at 0.96, 78.7 % of 1,200 quarterly series at 0.88.
CONFIDENCE = {MONTHLY: 0.96, QUARTERLY: 0.88}
BACKTEST_AHEAD = 12  # periods held back in the back-test
BACKTEST_MIN_SERIES = 10  # fewer series with enough history: the site states no coverage
BACKTEST_MAX_SERIES = 200  # the build back-tests at most this many series (the first, in target then team order)

BEFORE = "before deadline"
AFTER = "after deadline"
NOT_AT_PACE = "not at this pace"
TOO_EARLY = "too early"
KINDS = (BEFORE, AFTER, NOT_AT_PACE, TOO_EARLY)


@dataclass(frozen=True)
class Projection:
    """Where one team is heading on one target at the pace it keeps (paces are change per period)."""

    kind: str | None  # one of KINDS, or None when no projection is shown
    reason: str  # why: "met", "stale", "deadline passed", "no target value", "no data", "flat", "wrong way", ...
    figures: int = 0  # figures in the window
    needed_figures: int = 0
    window_start: int | None = None
    latest_period: int | None = None
    latest_value: float | None = None
    target_value: float | None = None
    deadline: int | None = None
    pace: float | None = None
    pace_low: float | None = None
    pace_high: float | None = None
    pace_needed: float | None = None
    projected: int | None = None  # the first period whose figure would meet the target at the pace kept
    projected_low: int | None = None  # at the fastest pace in the interval
    projected_high: int | None = None  # at the slowest; None: beyond the horizon, or never (`never_at_slowest`)
    horizon: int | None = None  # the last period a projection looks at
    never_at_slowest: bool = False  # the slowest pace in the range is flat or the wrong way: it may never get there

    @property
    def shown(self) -> bool:
        return self.kind is not None

    @property
    def on_pace(self) -> bool:
        return self.kind == BEFORE

    def at(self, period: int) -> tuple[float, float, float]:
        """Return the line's value and the band's low and high at a period."""
        assert self.pace is not None and self.latest_value is not None and self.latest_period is not None
        steps = period - self.latest_period
        ends = (self.latest_value + (self.pace_low or 0.0) * steps, self.latest_value + (self.pace_high or 0.0) * steps)
        return self.latest_value + self.pace * steps, min(ends), max(ends)

    def forecast(self) -> list[tuple[int, float, float, float]]:
        """Return (period, value, low, high) from the latest figure to the deadline (empty without a pace)."""
        if self.pace is None or self.latest_period is None or self.deadline is None:
            return []
        return [(p, *self.at(p)) for p in range(self.latest_period, max(self.deadline, self.latest_period) + 1)]

    def drawn_until(self) -> int | None:
        """Return the period the chart draws the projection to: the crossing when before the deadline, else the
        deadline."""
        if self.pace is None or self.latest_period is None or self.deadline is None:
            return None
        end = self.projected if self.projected is not None and self.projected <= self.deadline else self.deadline
        return max(end, self.latest_period)


NONE = Projection(None, "no data")


def pace_of(periods: Sequence[int], values: Sequence[float], confidence: float = CONFIDENCE[MONTHLY]) -> tuple[float, float, float]:
    """Return the Theil-Sen slope of figures at their periods and its confidence interval (low, high).

    The same numbers as `scipy.stats.theilslopes(values, periods, confidence)`, bit for bit (tests/test_theil_sen.py),
    computed in Python: a window holds at most a dozen figures (66 slopes), and importing scipy.stats cost a build
    1.3 to 4.4 s. Scipy still answers where this could differ (a figure that is not finite, an interval edge within
    a hair of a rounding tie); the normal quantile of the two confidences the handbook uses is scipy's own.
    """
    xs = [float(p) for p in periods]
    ys = [float(v) for v in values]
    found = _theil_sen(xs, ys, confidence)
    if found is not None:
        return found
    from scipy.stats import theilslopes  # imported only when needed: it takes one to four seconds

    result = theilslopes(ys, xs, confidence)
    return float(result.slope), float(result.low_slope), float(result.high_slope)


# scipy.stats.norm.ppf((1 - confidence) / 2) as scipy computes it (statistics.NormalDist differs in the last bit).
_Z_SCIPY = {0.96: -2.0537489106318225, 0.88: -1.5547735945968535}


def _repeats(xs: Sequence[float]) -> list[int]:
    counts: dict[float, int] = {}
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    return [k for k in counts.values() if k > 1]


def _theil_sen(xs: list[float], ys: list[float], confidence: float) -> tuple[float, float, float] | None:
    """scipy's theilslopes (method "separate", slopes only) step by step, or None where it might differ."""
    n = len(ys)
    if n < 2 or len(xs) != n or not all(map(math.isfinite, ys)) or not all(map(math.isfinite, xs)):
        return None
    slopes = sorted((ys[i] - ys[j]) / (xs[i] - xs[j]) for i in range(n) for j in range(n) if xs[i] - xs[j] > 0)
    nt = len(slopes)
    if not nt:
        return None
    half = nt // 2
    median = slopes[half] if nt % 2 else (slopes[half - 1] + slopes[half]) / 2
    alpha = 1.0 - confidence if confidence > 0.5 else confidence
    z = _Z_SCIPY.get(confidence)
    exact = z is not None
    if z is None:
        from statistics import NormalDist

        z = NormalDist().inv_cdf(alpha / 2.0)
    ties = sum(k * (k - 1) * (2 * k + 5) for k in _repeats(xs)) + sum(k * (k - 1) * (2 * k + 5) for k in _repeats(ys))
    sigsq = 1 / 18.0 * (n * (n - 1) * (2 * n + 5) - ties)
    if not sigsq >= 0:
        return None
    sigma = math.sqrt(sigsq)
    upper, lower = (nt - z * sigma) / 2.0, (nt + z * sigma) / 2.0
    if not exact and sigma and any(abs(v - math.floor(v) - 0.5) < 1e-6 for v in (upper, lower)):
        return None  # a last-bit difference in z could round the other way
    high = min(round(upper), nt - 1)
    low = max(round(lower) - 1, 0)
    return median, slopes[low], slopes[high]


def window_of(series: Series, start: int, end: int, frequency: str) -> tuple[list[int], list[float]]:
    """Return the figures from the baseline period `start` in the WINDOW periods up to `end`."""
    first = max(start, end - WINDOW[frequency] + 1)
    pairs = [(p, v) for p, v in zip(series.periods, series.values, strict=True) if first <= p <= end]
    return [p for p, _ in pairs], [v for _, v in pairs]


def _periods_to(gap: float, progress: float) -> float | None:
    """Return how many periods it takes to close `gap` (> 0) at `progress` per period, or None when never."""
    return gap / progress if progress > 1e-12 else None


def derive_projection(
    status: Status,
    deadline_passed: bool,
    series: Series | None,
    better: Better,
    frequency: str,
    baseline_period: int | None,
    target_value: float | None,
    deadline: int,
    confidence: float | None = None,
) -> Projection:
    """Project one team's figures on one target (the rules are in the module's docstring and on the status page)."""
    if target_value is None:
        return Projection(None, "no target value", deadline=deadline)
    if status is Status.NO_DATA or series is None or baseline_period is None or not series.periods:
        return Projection(None, "no data", target_value=target_value, deadline=deadline)
    if status is Status.STALE:
        return Projection(None, "stale", target_value=target_value, deadline=deadline)
    if deadline_passed:
        return Projection(None, "deadline passed", target_value=target_value, deadline=deadline)
    if status is Status.MET:
        return Projection(None, "met", target_value=target_value, deadline=deadline)
    latest, value = series.periods[-1], series.values[-1]
    periods, values = window_of(series, baseline_period, latest, frequency)
    common = dict(figures=len(periods), needed_figures=MIN_FIGURES[frequency],
                  window_start=periods[0] if periods else None, latest_period=latest, latest_value=value,
                  target_value=target_value, deadline=deadline,
                  horizon=latest + HORIZON_YEARS * PER_YEAR[frequency])
    left = deadline - latest
    needed = (target_value - value) / left if left > 0 else None
    if len(periods) < MIN_FIGURES[frequency]:
        return Projection(TOO_EARLY, "too few figures", pace_needed=needed, **common)
    pace, low, high = pace_of(periods, values, CONFIDENCE[frequency] if confidence is None else confidence)
    sign = -1.0 if better is Better.LOWER else 1.0  # progress is change in the better direction
    gap = sign * (target_value - value)  # > 0: the target is not met
    paces = dict(pace=pace, pace_low=low, pace_high=high, pace_needed=needed)
    horizon = common["horizon"]
    steps = _periods_to(gap, sign * pace)
    if steps is None:
        return Projection(NOT_AT_PACE, "flat" if abs(pace) <= 1e-12 else "wrong way", **paces, **common)
    crossing = latest + max(1, math.ceil(steps - 1e-9))
    if crossing > horizon:
        return Projection(NOT_AT_PACE, "beyond horizon", **paces, **common)
    fast = _periods_to(gap, max(sign * low, sign * high))
    slow = _periods_to(gap, min(sign * low, sign * high))
    early = latest + max(1, math.ceil(fast - 1e-9)) if fast is not None else crossing
    late = latest + max(1, math.ceil(slow - 1e-9)) if slow is not None else None
    if late is not None and late > horizon:
        late = None
    kind = BEFORE if crossing <= deadline else AFTER
    return Projection(kind, "crossing", projected=crossing, projected_low=min(early, crossing),
                      projected_high=late, never_at_slowest=slow is None, **paces, **common)


def derive_projections(hb: Handbook, statuses: Iterable) -> dict[tuple[str, str], Projection]:
    """Project every (target, team) pair of the statuses, keyed by (target id, team id)."""
    out: dict[tuple[str, str], Projection] = {}
    for s in statuses:
        target = hb.targets[s.target]
        out[(s.target, s.team)] = derive_projection(
            s.status, s.deadline_passed, hb.series_for(s.team, s.indicator), hb.indicators[s.indicator].better,
            hb.frequency, s.baseline_period, target.target.value, target.target.index,
        )
    return out


def _round(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, 6)


def projection_fields(p: Projection | None, frequency: str) -> dict:
    """Return the fields `status --json` and the downloads add for a projection (v1.2; the others are unchanged)."""
    p = p or NONE
    fmt = lambda i: format_period(i, frequency) if i is not None else None  # noqa: E731
    return {
        "pace": _round(p.pace), "pace_low": _round(p.pace_low), "pace_high": _round(p.pace_high),
        "pace_needed": _round(p.pace_needed),
        "projected_period": fmt(p.projected), "projected_low": fmt(p.projected_low),
        "projected_high": fmt(p.projected_high),
        "projection": p.kind, "projection_reason": p.reason,
        "forecast": [{"period": fmt(t), "value": _round(v), "low": _round(lo), "high": _round(hi)}
                     for t, v, lo, hi in p.forecast()],
    }


# Words ---------------------------------------------------------------------------------------------------------

def per_period(frequency: str) -> str:
    return _("a month") if frequency == MONTHLY else _("a quarter")


def fmt_pace(ind: Indicator, pace: float, unit: bool = True) -> str:
    """Say a pace as a signed change ("-0.4 days"; `unit=False`: "-0.4"), one decimal finer than the figures.

    A unit that is itself a rate ("claims per month") is put in parentheses, so "a month" after it still reads.
    """
    decimals = ind.decimals + 1
    if round(pace, decimals) == 0:
        number = fmt_decimal(0, decimals)
    else:
        number = ("+" if pace > 0 else "-") + fmt_decimal(abs(pace), decimals)
    if ind.is_percent:
        return _("{number} points").format(number=number) if unit else number
    name = " ".join(ind.unit.split())
    if not unit or not name:
        return number
    per = pgettext("the word of a rate in a unit, as in claims per month", "per")
    rate = f" {per} "
    return (_("{number} ({unit})") if rate in f" {name} " or "/" in name else _("{number} {unit}")).format(
        number=number, unit=name)


def describe_paces(p: Projection, ind: Indicator, frequency: str) -> str:
    """Say the pace needed against the pace kept: "needs -0.4 days a month, keeping -0.1 (range -0.3 to +0.1)"."""
    if p.pace is None:
        return ""
    low, high = sorted((p.pace_low, p.pace_high))  # type: ignore[type-var]
    kept = _("{pace} (range {low} to {high})").format(
        pace=fmt_pace(ind, p.pace, p.pace_needed is None), low=fmt_pace(ind, low, False), high=fmt_pace(ind, high, False))
    if p.pace_needed is None:
        return _("keeping {kept} {per}").format(kept=kept, per=per_period(frequency))
    return _("needs {needed} {per}, keeping {kept}").format(needed=fmt_pace(ind, p.pace_needed),
                                                             per=per_period(frequency), kept=kept)


def describe_range(p: Projection, frequency: str) -> str:
    """Say a crossing's projected range, the one wording every form of a projection uses: "2026-05 to 2027-02",
    "2026-05 to beyond 2036" (its slow end past the horizon), "2026-05 to never" (the slowest pace in the range is
    flat or the wrong way, so at that pace the target is never reached); "" for a single period or no crossing."""
    if p.kind not in (BEFORE, AFTER) or p.projected_low is None:
        return ""
    fmt = lambda i: format_period(i, frequency)  # noqa: E731
    if p.never_at_slowest:
        return pgettext("a projected range of periods", "{low} to never").format(low=fmt(p.projected_low))
    if p.projected_high is None:
        return pgettext("a projected range of periods", "{low} to beyond {year}").format(
            low=fmt(p.projected_low), year=fmt(p.horizon).split("-")[0])  # type: ignore[arg-type]
    if p.projected_low == p.projected_high:
        return ""
    return pgettext("a projected range of periods", "{low} to {high}").format(
        low=fmt(p.projected_low), high=fmt(p.projected_high))


def describe_projection(p: Projection, frequency: str) -> str:
    """Say a projection in one clause ("at this pace: met by 2026-09, range 2026-05 to 2027-02, before the 2026-12
    deadline"), or "" when none is shown. A range whose slow end never reaches the target says so."""
    fmt = lambda i: format_period(i, frequency)  # noqa: E731
    if p.kind is None:
        return ""
    if p.kind == TOO_EARLY:
        return _("too early to tell at what pace: {n} of the {needed} figures needed since the baseline").format(
            n=fmt_int(p.figures), needed=fmt_int(p.needed_figures))
    if p.kind == NOT_AT_PACE:
        if p.reason == "beyond horizon":
            return _("at this pace, not before {year}").format(year=fmt(p.horizon).split("-")[0])  # type: ignore[arg-type]
        return _("no sign of reaching it at this pace")
    assert p.projected is not None and p.deadline is not None
    words = {"period": fmt(p.projected), "deadline": fmt(p.deadline), "range": describe_range(p, frequency)}
    before = p.kind == BEFORE
    if p.never_at_slowest:
        message = (_("at this pace: met by {period}, range {range} (it may never reach it at this pace), before the "
                     "{deadline} deadline") if before else
                   _("at this pace: met by {period}, range {range} (it may never reach it at this pace), after the "
                     "{deadline} deadline"))
    elif words["range"]:
        message = (_("at this pace: met by {period}, range {range}, before the {deadline} deadline") if before else
                   _("at this pace: met by {period}, range {range}, after the {deadline} deadline"))
    else:
        message = (_("at this pace: met by {period}, before the {deadline} deadline") if before else
                   _("at this pace: met by {period}, after the {deadline} deadline"))
    return message.format(**words)


def count_on_pace(projections: Iterable[Projection]) -> tuple[int, int]:
    """Return (on pace to meet the target by the deadline, projections shown other than too early)."""
    shown = [p for p in projections if p.kind is not None and p.kind != TOO_EARLY]
    return sum(p.on_pace for p in shown), len(shown)


# Back-test -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Backtest:
    """How often the band held the actual figure BACKTEST_AHEAD periods after a cut."""

    series: int  # series with enough history to back-test
    inside: int  # of them, how many ended inside the band
    available: int  # series that could have been back-tested (when capped at BACKTEST_MAX_SERIES)
    confidence: float | None  # None: the frequency's CONFIDENCE

    @property
    def coverage(self) -> float | None:
        return self.inside / self.series if self.series else None


def backtest_one(periods: Sequence[int], values: Sequence[float], start: int, frequency: str,
                 confidence: float | None = None, ahead: int = BACKTEST_AHEAD) -> bool | None:
    """Cut a series `ahead` periods before its last figure, project, and return whether that figure falls inside
    the band (None: not enough figures before the cut)."""
    end_p, end_v = periods[-1], values[-1]
    cut = end_p - ahead
    before = Series(tuple(p for p in periods if p <= cut), tuple(v for p, v in zip(periods, values, strict=True) if p <= cut), ())
    if not before.periods:
        return None
    win_p, win_v = window_of(before, start, before.periods[-1], frequency)
    if len(win_p) < MIN_FIGURES[frequency]:
        return None
    pace, low, high = pace_of(win_p, win_v, CONFIDENCE[frequency] if confidence is None else confidence)
    steps = end_p - before.periods[-1]
    ends = (before.values[-1] + low * steps, before.values[-1] + high * steps)
    return min(ends) - 1e-9 <= end_v <= max(ends) + 1e-9


@lru_cache(maxsize=4096)  # pure: a live preview's rebuild back-tests again only the series that changed
def _backtest_kept(periods: tuple[int, ...], values: tuple[float, ...], start: int, frequency: str,
                   confidence: float | None) -> bool | None:
    return backtest_one(periods, values, start, frequency, confidence)


def backtest(hb: Handbook, confidence: float | None = None, limit: int | None = BACKTEST_MAX_SERIES) -> Backtest:
    """Back-test every (target, team) pair with enough figures since the baseline (the first `limit` of them)."""
    tried = inside = available = 0
    for target in hb.targets.values():
        for team in target.teams:
            s = hb.series_for(team, target.indicator)
            if s is None:
                continue
            idx = [i for i, p in enumerate(s.periods) if p >= target.baseline.index]
            if len(idx) < MIN_FIGURES[hb.frequency] + 1:
                continue
            periods = [s.periods[i] for i in idx]
            values = [s.values[i] for i in idx]
            if periods[-1] - BACKTEST_AHEAD < periods[0]:
                continue
            if limit is not None and tried >= limit:
                available += 1
                continue
            held = _backtest_kept(tuple(periods), tuple(values), target.baseline.index, hb.frequency, confidence)
            if held is None:
                continue
            available += 1
            tried += 1
            inside += held
    return Backtest(tried, inside, available, confidence)
