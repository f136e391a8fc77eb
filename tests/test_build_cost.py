"""What a build no longer repeats (issue 25): the collector paused while loading, periods spelled once."""

from __future__ import annotations

import gc
import shutil

import pytest

from macros import periods as P
from macros import site as S
from macros.errors import DataError


def test_loading_pauses_the_collector_and_resumes_it(tmp_path, monkeypatch, sample_data):
    shutil.copytree(sample_data, tmp_path / "data")
    seen = []
    derive = S.derive_analysis
    monkeypatch.setattr(S, "derive_analysis", lambda hb: (seen.append(gc.isenabled()), derive(hb))[1])
    assert gc.isenabled()
    site = S.load_site(tmp_path / "data")
    assert seen == [False] and gc.isenabled() and site.hb.teams
    # On bad data too: the error goes out and the collector runs again.
    (tmp_path / "data" / "teams.yml").write_text("- id: [\n", encoding="utf-8")
    with pytest.raises(DataError):
        S.load_site(tmp_path / "data")
    assert gc.isenabled()
    # A caller that paused it itself finds it paused still.
    gc.disable()
    try:
        shutil.rmtree(tmp_path / "data")
        shutil.copytree(sample_data, tmp_path / "data")
        S.load_site(tmp_path / "data")
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("frequency", [P.MONTHLY, P.QUARTERLY])
def test_periods_kept_once_are_the_periods_computed(frequency):
    for index in range(P.first_period(frequency), P.first_period(frequency) + 400 * P.PER_YEAR[frequency], 7):
        text = P.format_period(index, frequency)
        assert P.parse_period(text, frequency) == index
        assert P.format_period.__wrapped__(index, frequency) == text
        end = P.period_end(index, frequency)
        assert end == P.period_end.__wrapped__(index, frequency)
        assert P.period_of(end, frequency) == index and P.period_of(end.fromordinal(end.toordinal() + 1), frequency) == index + 1
        assert P.due_date(index, frequency, 30) == P.due_date.__wrapped__(index, frequency, 30)


def test_a_figure_cell_kept_per_value_is_the_cell_written_anew():
    from macros.downloads import _figure_cell, _num_cell

    values = [0.0, -0.0, 1.5, -2.0, 3.14159, 1e-7, 123456789.125, 1e15, -1e15, 1e16, 2.5e300, float("inf"), float("nan")]
    for value in values * 2:  # the second time from the cache
        written = str(int(value)) if value.is_integer() and abs(value) < 1e15 else _num_cell(value)
        assert _figure_cell(value) == written, value
