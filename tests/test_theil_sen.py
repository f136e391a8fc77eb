"""The pace (macros/projection.py `pace_of`) is computed without scipy, and is scipy's `theilslopes` bit for bit.

A build used to import scipy.stats for it (1.3 to 4.4 s); these tests pin that the numbers did not move by a bit,
over figures with gaps, ties, repeated values, quarters and confidence levels other than the handbook's own.
"""

from __future__ import annotations

import random
import warnings

import pytest
from scipy.stats import norm, theilslopes

from macros import projection as P


def scipy_pace(periods, values, confidence):
    r = theilslopes([float(v) for v in values], [float(p) for p in periods], confidence)
    return float(r.slope), float(r.low_slope), float(r.high_slope)


def test_the_normal_quantiles_kept_are_scipys():
    for confidence, z in P._Z_SCIPY.items():
        assert z == float(norm.ppf((1.0 - confidence) / 2.0))
    assert set(P.CONFIDENCE.values()) <= set(P._Z_SCIPY)


@pytest.mark.parametrize("confidence", [*sorted(set(P.CONFIDENCE.values())), 0.95, 0.8, 0.5, 0.3, 0.99])
def test_pace_is_scipys_theilslopes_bit_for_bit(confidence):
    rng = random.Random(f"theil-sen-{confidence}")
    tried = computed = 0
    for _ in range(600):
        n = rng.randint(2, 16)
        start = rng.randint(24000, 24300)
        periods = sorted(rng.sample(range(start, start + n + rng.randint(0, 8)), n))  # gaps, some
        kind = rng.random()
        if kind < 0.2:  # repeated values: ties in y, the interval's correction
            values = [rng.choice([4.0, 4.5, 5.0]) for _ in periods]
        elif kind < 0.3:
            values = [7.25] * n  # flat: every slope 0
        else:
            level = rng.uniform(-50, 500)
            values = []
            for _ in periods:
                level += rng.uniform(-3, 3)
                values.append(round(level, rng.choice([0, 1, 2, 3])))
        expected = scipy_pace(periods, values, confidence)
        assert P.pace_of(periods, values, confidence) == expected, (periods, values)
        tried += 1
        computed += P._theil_sen([float(p) for p in periods], [float(v) for v in values], confidence) is not None
    assert computed >= tried * 0.95  # scipy is the fallback, not the rule


def test_scipy_answers_what_python_would_not():
    """A figure that is not finite goes to scipy unchanged (and its numbers, NaN or not, are scipy's)."""
    periods, values = [1, 2, 3, 4, 5, 6], [1.0, 2.0, float("inf"), 3.0, 4.0, 5.0]
    assert P._theil_sen([float(p) for p in periods], values, 0.96) is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # scipy's own, on a slope that is not finite
        assert repr(P.pace_of(periods, values, 0.96)) == repr(scipy_pace(periods, values, 0.96))


def test_loading_a_site_never_imports_scipy(tmp_path, sample_data):
    """Validation, projections (derive_analysis) and the back-test of an organization run without scipy."""
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    shutil.copytree(sample_data, tmp_path / "data")
    code = ("import sys, pathlib; from macros import projection as P; from macros.site import load_site; "
            f"site = load_site(pathlib.Path({str(tmp_path / 'data')!r})); b = P.backtest(site.hb); "
            "shown = sum(p.pace is not None for p in site.analysis.projections.values()); "
            "print(b.series, shown, 'scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    series, shown, loaded = out.split()
    assert int(series) + int(shown) > 0, out  # paces were computed
    assert loaded == "False", out
