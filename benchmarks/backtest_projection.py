"""Back-test the projection's band (macros/projection.py) and choose the confidence level that makes it honest.

For every team and target with enough figures since the baseline, the series is cut 12 periods before its last
figure, projected from what was left, and the band is checked against that last figure. The band claims to hold
about 80 % of them (projection.BAND); this prints how often it does, on an organization's own data and on a
synthetic organization with known straight-line trends plus noise (some months missing, a few outliers), for several
confidence levels passed to `scipy.stats.theilslopes`.

    .venv/bin/python benchmarks/backtest_projection.py                 # the sample in data/
    .venv/bin/python benchmarks/backtest_projection.py --data DIR --synthetic 400 --seed 1
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros import projection as P  # noqa: E402
from macros.periods import MONTHLY, QUARTERLY  # noqa: E402

LEVELS = (0.80, 0.85, 0.88, 0.90, 0.95, 0.96, 0.97, 0.98, 0.99)


def synthetic_series(n: int, seed: int, length: int = 36, gaps: float = 0.08, outliers: float = 0.02):
    """Yield (periods, values) of straight-line trends plus Gaussian noise, some figures missing, a few outliers."""
    rng = np.random.default_rng(seed)
    for _ in range(n):
        noise = rng.uniform(0.5, 3.0)
        slope = rng.normal(0.0, 0.5)
        level = rng.uniform(20, 80)
        periods = [p for p in range(length) if p in (0, length - 1) or rng.random() > gaps]
        values = [level + slope * p + rng.normal(0, noise) for p in periods]
        for i in range(len(values)):
            if rng.random() < outliers:
                values[i] += rng.choice([-1, 1]) * 6 * noise
        yield periods, values


def coverage_synthetic(n: int, seed: int, level: float, frequency: str = MONTHLY) -> tuple[int, int]:
    """Return (series back-tested, inside the band) on the synthetic organization (36 months or 24 quarters)."""
    tried = inside = 0
    for periods, values in synthetic_series(n, seed, 36 if frequency == MONTHLY else 24):
        held = P.backtest_one(periods, values, periods[0], frequency, level)
        if held is not None:
            tried += 1
            inside += held
    return tried, inside


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parent.parent / "data")
    ap.add_argument("--synthetic", type=int, default=400, help="synthetic series (default 400)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    from macros.validate import validate_data

    hb = validate_data(args.data)
    print(f"Band claimed: {P.BAND:.0%} of figures {P.BACKTEST_AHEAD} periods after the cut; confidence level in "
          f"use: {P.CONFIDENCE[MONTHLY]} monthly, {P.CONFIDENCE[QUARTERLY]} quarterly; own data is {hb.frequency}")
    print(f"{'confidence':>10}  {'own data: inside / series':>26}  {'synthetic monthly':>18}  {'synthetic quarterly':>20}")
    for level in LEVELS:
        t0 = time.perf_counter()
        own = P.backtest(hb, level, limit=None)
        t_own = time.perf_counter() - t0
        own_text = f"{own.inside}/{own.series} ({own.coverage:.0%})" if own.series else "no series"
        cells = []
        for freq in (MONTHLY, QUARTERLY):
            tried, inside = coverage_synthetic(args.synthetic, args.seed, level, freq)
            cells.append(f"{inside}/{tried} ({inside / tried:.0%})")
        print(f"{level:>10.2f}  {own_text:>26}  {cells[0]:>18}  {cells[1]:>20}   ({t_own * 1000:.0f} ms on own data)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
