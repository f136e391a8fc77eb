"""Words: differences of percentages in points at the figures' precision, plurals and lists, what a revision did,
a target finer than the display precision written as it is (macros/words.py, macros/render/deadlines.py)."""

from __future__ import annotations

import pytest

from macros.derive import derive_analysis
from macros.model import Better, Indicator, Stage
from macros.validate import validate_data
from macros.words import decimals_of, fmt_difference, fmt_threshold, join_words, plural, revision_changes
from orgs import messy_org, write_org

PCT = Indicator("late", "Late", "%", Stage.OUTPUT, Better.LOWER, decimals=1)
WHOLE_PCT = Indicator("sat", "Satisfaction", "%", Stage.OUTCOME, Better.HIGHER)
DAYS = Indicator("days", "Days", "days", Stage.OUTPUT, Better.LOWER)


def test_a_difference_of_percentages_is_in_points_at_the_figures_precision():
    assert fmt_difference(PCT, 7.9 - 4.1, 4.1, 7.9) == "3.8 points"
    assert fmt_difference(WHOLE_PCT, 1.0, 80, 79) == "1 point"
    assert fmt_difference(DAYS, -1.5, 3.0, 1.5) == "1.5 days"  # the figures carry a decimal the indicator does not
    assert fmt_threshold(WHOLE_PCT, 0.5) == "0.5 points"  # not "0 %" or "1 %"
    assert fmt_threshold(WHOLE_PCT, 1.5) == "1.5 points"  # not "2 %"
    assert fmt_threshold(WHOLE_PCT, 2) == "2 points"
    assert fmt_threshold(DAYS, 0.25) == "0.25 days"
    assert decimals_of(0.5) == 1 and decimals_of(2.0) == 0 and decimals_of(0.125) == 3


def test_plurals_and_lists():
    assert [plural(n, "stale team") for n in (0, 1, 2)] == ["0 stale teams", "1 stale team", "2 stale teams"]
    assert plural(1, "entry", "entries") == "1 entry"
    assert join_words(["input"]) == "input"
    assert join_words(["input", "process"]) == "input and process"
    assert join_words(["input", "process", "output"]) == "input, process and output"


@pytest.mark.parametrize(("higher", "old", "new", "was", "now", "expected"), [
    (False, 30, 25, "2025-06", "2025-06", ["raised the bar"]),  # lower is better: a smaller target is harder
    (False, 25, 28, "2025-06", "2025-06", ["lowered the bar"]),
    (True, 80, 85, "2025-06", "2025-06", ["raised the bar"]),
    (True, 85, 80, "2025-Q2", "2025-Q2", ["lowered the bar"]),
    (True, 80, 80, "2025-06", "2025-12", ["moved the deadline later"]),
    (True, 80, 80, "2025-Q4", "2025-Q2", ["moved the deadline earlier"]),
    (True, 85, 80, "2025-06", "2025-12", ["lowered the bar", "moved the deadline later"]),
])
def test_a_revision_is_labelled_by_what_it_did(higher, old, new, was, now, expected):
    assert revision_changes(higher, old, new, was, now) == expected


def test_a_target_finer_than_the_display_precision_is_shown_as_written(tmp_path):
    from macros.render.deadlines import describe_deadline
    from macros.words import fmt_expected

    org = messy_org()
    org["targets.yml"][0]["target"]["value"] = 4.5  # late-rate is shown without decimals
    a = derive_analysis(validate_data(write_org(tmp_path, org)))
    ind = a.hb.indicators["late-rate"]
    rows = {s.team: s for s in a.by_target["late-under-5"]}
    assert describe_deadline(rows["north"], ind, "monthly") == "Deadline passed (2024-06): met, 4 % against 4.5 %"
    north = rows["north"]
    assert fmt_expected(ind, north.expected, north.baseline_value, north.target_value) == "4.5 %"  # not "4 %"
