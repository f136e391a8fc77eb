"""The reporting calendar: which period's figures are due by a given day (spec v1.2, issue 21)."""

from __future__ import annotations

from datetime import date

import pytest

from macros.periods import expected_period, format_period
from macros.validate import validate_data


@pytest.mark.parametrize(
    ("today", "frequency", "due_days", "expected"),
    [
        ("2026-12-05", "monthly", 30, "2026-10"),  # 2026-10 ended 10-31, due 11-30; 2026-11 is due 12-30
        ("2026-12-30", "monthly", 30, "2026-11"),
        ("2026-12-29", "monthly", 30, "2026-10"),
        ("2026-12-01", "monthly", 0, "2026-11"),
        ("2026-11-29", "monthly", 0, "2026-10"),  # the period of today itself has not ended
        ("2026-12-05", "monthly", 60, "2026-09"),
        ("2026-12-05", "quarterly", 30, "2026-Q3"),  # Q3 ended 09-30, due 10-30
        ("2026-10-29", "quarterly", 30, "2026-Q2"),
        ("2026-03-02", "monthly", 30, "2026-01"),  # February is short: 2026-02 ends 02-28, due 03-30
    ],
)
def test_expected_period(today, frequency, due_days, expected):
    assert format_period(expected_period(date.fromisoformat(today), frequency, due_days), frequency) == expected


def test_due_days_from_organization_and_indicator(org, write):
    org["organization.yml"]["reporting"]["due_days"] = 3
    first = org["indicators.yml"][0]["id"]
    org["indicators.yml"][0]["due_days"] = 45
    hb = validate_data(write(org), today=date(2026, 12, 5))
    assert hb.organization.due_days == 3
    assert format_period(hb.expected_period(), "monthly") == "2026-11"  # 2026-11 ended 11-30, due 12-03
    assert format_period(hb.expected_period(first), "monthly") == "2026-09"  # 2026-10: 10-31 + 45 days = 12-15
