"""Build small organizations on disk for tests: valid by default, changed per test."""

from __future__ import annotations

import copy
import csv
from pathlib import Path

import yaml

PRACTICE_TITLES = [
    "State the mission", "Name the key failures", "Set a target for each", "Explain the theory",
    "Publish the figures", "Build capacity", "Recognize accomplishment", "Create esteem opportunities",
    "Check for distortions", "Read many indicators", "Act on what you learn",
]
PHASES = ["framework"] * 4 + ["driving"] * 4 + ["learning"] * 3


def practices(checks: dict[int, list[str]] | None = None) -> list[dict]:
    """Eleven practices, each with one manual item and the given automated checks."""
    checks = checks or {}
    out = []
    for n in range(1, 12):
        items = [{"id": f"p{n}-manual", "text": f"Manual item for practice {n}"}]
        for c in checks.get(n, []):
            items.append({"id": f"p{n}-{c}", "text": f"Automated item {c}", "check": c})
        out.append({"number": n, "phase": PHASES[n - 1], "title": PRACTICE_TITLES[n - 1],
                    "summary": f"What practice {n} means.", "checklist": items})
    return out


def base_org(frequency: str = "monthly") -> dict:
    """A tiny valid organization: two units, three teams, four indicators, one target with a guardrail."""
    q = frequency == "quarterly"
    p = (lambda y, n: f"{y}-Q{n}") if q else (lambda y, n: f"{y}-{n:02d}")
    return {
        "organization.yml": {
            "name": "Test Agency",
            "mission": "Serve residents well.",
            "big_picture": "We serve **everyone**.",
            "reporting": {"frequency": frequency, "stale_after": 2},
        },
        "teams.yml": [
            {"id": "alpha", "name": "Alpha Team", "unit": "Operations"},
            {"id": "beta", "name": "Beta Team", "unit": "Operations", "lead": "Beta lead"},
            {"id": "gamma", "name": "Gamma Team", "unit": "Support", "description": "Has no targets."},
        ],
        "indicators.yml": [
            {"id": "wait-days", "name": "Days waiting", "unit": "days", "stage": "output", "better": "lower", "decimals": 1},
            {"id": "rework", "name": "Rework rate", "unit": "%", "stage": "process", "better": "lower"},
            {"id": "satisfaction", "name": "Satisfaction", "unit": "%", "stage": "outcome", "better": "higher"},
            {"id": "staff-hours", "name": "Staff hours", "unit": "hours", "stage": "input", "better": "higher"},
        ],
        "deficits.yml": [
            {"id": "slow", "title": "Residents wait too long", "stage": "output", "indicator": "wait-days", "teams": ["alpha"]},
        ],
        "targets.yml": [
            {
                "id": "faster", "title": "Cut waiting to 2 days", "deficit": "slow", "indicator": "wait-days",
                "teams": ["alpha", "beta"], "owner": "Director",
                "baseline": {"period": p(2024, 1)}, "target": {"period": p(2025, 4) if q else p(2024, 12), "value": 2.0},
                "theory": {"link": "Shorter waits help.", "chain": ["Faster service", "Happier residents"]},
                "guardrails": [{"indicator": "rework", "tolerance": 2}],
            }
        ],
        "practices.yml": practices(),
        "measurements": {"figures.csv": []},
    }


def write_org(root: Path, org: dict) -> Path:
    """Write an organization dict to root/data; values that are str are written verbatim."""
    data = root / "data"
    (data / "measurements").mkdir(parents=True, exist_ok=True)
    for name, content in org.items():
        if name == "measurements":
            for fname, rows in content.items():
                path = data / "measurements" / fname
                if isinstance(rows, str):
                    path.write_text(rows, encoding="utf-8")
                    continue
                with path.open("w", newline="", encoding="utf-8") as fh:
                    w = csv.writer(fh)
                    w.writerow(["team", "indicator", "period", "value", "note"])
                    for row in rows:
                        w.writerow(list(row) + [""] * (5 - len(row)))
            continue
        if content is None:
            continue
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False, allow_unicode=True)
        (data / name).write_text(text, encoding="utf-8")
    return data


def monthly(team: str, indicator: str, start: tuple[int, int], values: list[float]) -> list[tuple]:
    """Rows for consecutive months from start=(year, month)."""
    y, m = start
    rows = []
    for v in values:
        rows.append((team, indicator, f"{y}-{m:02d}", v))
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return rows


def quarterly(team: str, indicator: str, start: tuple[int, int], values: list[float]) -> list[tuple]:
    y, q = start
    rows = []
    for v in values:
        rows.append((team, indicator, f"{y}-Q{q}", v))
        q += 1
        if q > 4:
            y, q = y + 1, 1
    return rows


def clone(org: dict) -> dict:
    return copy.deepcopy(org)
