"""Write the illustrative City of Lakemont monthly figures to data/measurements/*.csv, deterministically."""

from __future__ import annotations

import argparse
import csv
import random
import zlib
from itertools import pairwise
from pathlib import Path

SEED = 2024
FIRST = "2024-11"
LAST = "2026-10"

# Display precision per indicator; keep in step with data/indicators.yml.
DECIMALS = {
    "vacancy-rate": 1,
    "overtime-hours": 1,
    "training-hours": 1,
    "fleet-availability": 0,
    "repair-rework-rate": 1,
    "turnout-seconds": 0,
    "first-contact-resolution": 1,
    "call-abandon-rate": 1,
    "review-cycles": 2,
    "pothole-days": 1,
    "missed-collections": 1,
    "main-break-hours": 1,
    "response-minutes": 1,
    "requests-on-time": 1,
    "permit-days": 0,
    "program-seats-filled": 1,
    "damage-claims": 0,
    "cleanliness-score": 2,
    "fires-confined": 0,
    "resident-satisfaction": 0,
}

# Plausible bounds, so noise never produces a negative count or a share above 100%.
BOUNDS = {"cleanliness-score": (1.0, 4.0), "review-cycles": (1.0, 6.0)}
PERCENT = {"vacancy-rate", "fleet-availability", "repair-rework-rate", "first-contact-resolution",
           "call-abandon-rate", "requests-on-time", "program-seats-filled", "fires-confined",
           "resident-satisfaction"}

# Seasonal shape by calendar month (1-12), scaled by each series' amplitude.
SEASONS = {
    "winter": {12: 0.5, 1: 1.0, 2: 1.0, 3: 0.6, 4: 0.1, 11: 0.1},
    "thaw": {2: 0.6, 3: 1.0, 4: 0.9, 5: 0.3},
    "summer": {6: 0.6, 7: 1.0, 8: 0.8, 9: 0.1},
    "spring": {3: 0.4, 4: 0.9, 5: 1.0, 6: 0.6},
}

UNITS = {
    "public-works": ["street-maintenance", "sanitation-north", "sanitation-south", "water-repair"],
    "fire-and-emergency-services": ["fire-station-1", "fire-station-4", "fire-station-7"],
    "resident-services": ["contact-311", "permits", "business-licensing"],
    "parks-libraries-recreation": ["parks-maintenance", "libraries", "recreation"],
}


def series(team, indicator, anchors, sd, season=None, amp=0.0, pins=None, last=LAST, skip=(), events=None):
    """Describe one team's monthly series for one indicator."""
    return {
        "team": team, "indicator": indicator, "anchors": anchors, "sd": sd, "season": season,
        "amp": amp, "pins": set(pins) if pins is not None else {anchors[0][0], anchors[-1][0]},
        "last": last, "skip": set(skip), "events": events or {},
    }


# Each series: anchor points of the underlying trend (linear between them), noise, seasonality, and
# events (period -> (added amount, note)). Pinned periods take the anchor value exactly: they are the
# baselines and latest figures the sample's target statuses are designed around.
SERIES = [
    # --- Public Works ------------------------------------------------------------------------------
    # No pothole figure for October 2025: the work-order system was being migrated and the month's repair times
    # were never reconciled, so the month is missing (a gap in the chart, not a figure).
    series("street-maintenance", "pothole-days",
           [("2024-11", 6.8), ("2025-02", 7.6), ("2025-05", 5.4), ("2025-08", 4.3), ("2025-12", 4.4),
            ("2026-02", 4.9), ("2026-06", 3.6), ("2026-10", 3.1)], 0.2,
           pins=["2024-11", "2025-08", "2026-10"], skip=["2025-10"],
           events={"2026-01": (1.3, "Ice storm Jan 14-16; crews on salt routes for a week")}),
    series("street-maintenance", "repair-rework-rate",
           [("2024-11", 4.1), ("2025-06", 4.6), ("2025-12", 6.2), ("2026-04", 7.4), ("2026-10", 7.9)], 0.3,
           events={"2026-09": (0.0, "Provisional: 90-day window still open")}),
    series("street-maintenance", "damage-claims",
           [("2024-11", 38), ("2025-03", 55), ("2025-07", 34), ("2025-11", 33), ("2026-03", 41),
            ("2026-07", 28), ("2026-10", 31)], 2.5),
    series("street-maintenance", "overtime-hours",
           [("2024-11", 14.0), ("2025-02", 19.0), ("2025-06", 12.0), ("2026-01", 17.0), ("2026-10", 12.5)],
           1.0, events={"2026-01": (4.0, "Ice storm response")}),
    series("street-maintenance", "fleet-availability",
           [("2024-11", 86), ("2025-10", 83), ("2026-10", 84)], 1.8, season="winter", amp=-3),

    series("sanitation-north", "missed-collections",
           [("2024-11", 12.4), ("2025-06", 9.0), ("2025-12", 7.5), ("2026-04", 5.8), ("2026-10", 5.4)], 0.45,
           pins=["2024-11", "2026-04", "2026-10"],
           events={"2025-12": (1.8, "Holiday schedule: two collection days shifted"),
                   "2026-01": (2.6, "Storm week: routes suspended Jan 15")}),
    series("sanitation-north", "cleanliness-score",
           [("2024-11", 1.85), ("2026-10", 1.92)], 0.05, season="thaw", amp=0.12),
    series("sanitation-north", "overtime-hours",
           [("2024-11", 9.5), ("2026-10", 8.0)], 0.9, season="winter", amp=1.5),
    series("sanitation-north", "fleet-availability",
           [("2024-11", 91), ("2026-10", 92)], 1.5, season="winter", amp=-2),

    series("sanitation-south", "missed-collections",
           [("2024-11", 12.1), ("2025-05", 10.2), ("2025-10", 11.0), ("2026-01", 14.0), ("2026-05", 13.5),
            ("2026-10", 12.6)], 0.6,
           events={"2026-01": (3.2, "Storm week: routes suspended Jan 15"),
                   "2026-06": (1.5, "Two packers out for engine rebuilds")}),
    series("sanitation-south", "cleanliness-score",
           [("2024-11", 2.10), ("2026-10", 2.35)], 0.06, season="thaw", amp=0.15),
    series("sanitation-south", "overtime-hours",
           [("2024-11", 13.0), ("2026-10", 17.0)], 1.2, season="winter", amp=2.0),
    series("sanitation-south", "fleet-availability",
           [("2024-11", 84), ("2025-09", 80), ("2026-10", 74)], 1.8, season="winter", amp=-3,
           events={"2026-06": (-6, "Two packers out for engine rebuilds")}),

    series("water-repair", "main-break-hours",
           [("2024-11", 9.5), ("2025-01", 11.0), ("2025-06", 8.2), ("2026-01", 8.9), ("2026-06", 6.9),
            ("2026-10", 6.6)], 0.45,
           events={"2025-01": (0.6, "Cold snap: 31 main breaks this month"),
                   "2026-02": (1.8, "Deep break on Harbor Road needed a contractor")}),
    series("water-repair", "repair-rework-rate",
           [("2024-11", 3.0), ("2026-10", 3.4)], 0.35),
    series("water-repair", "overtime-hours",
           [("2024-11", 16.0), ("2025-08", 18.5), ("2026-10", 19.0)], 1.4, season="winter", amp=4.0),
    series("water-repair", "vacancy-rate",
           [("2024-11", 11.0), ("2025-01", 12.5), ("2025-08", 14.0), ("2026-03", 13.5), ("2026-10", 13.0)],
           0.4, pins=["2025-01", "2026-10"]),
    series("water-repair", "training-hours",
           [("2024-11", 4.0), ("2026-10", 4.5)], 0.5, season="winter", amp=-1.0),

    # --- Fire and Emergency Services ---------------------------------------------------------------
    series("fire-station-1", "response-minutes",
           [("2024-11", 9.6), ("2025-01", 9.4), ("2025-07", 8.9), ("2026-01", 8.6), ("2026-10", 7.9)], 0.15,
           pins=["2025-01", "2026-10"], events={"2025-07": (0.4, "Heat wave: record call volume")}),
    series("fire-station-1", "turnout-seconds",
           [("2024-11", 95), ("2025-06", 84), ("2026-10", 72)], 3.0),
    series("fire-station-1", "fires-confined",
           [("2024-11", 77), ("2025-01", 78), ("2026-10", 80)], 4.0, pins=["2025-01", "2026-10"]),
    series("fire-station-1", "training-hours",
           [("2024-11", 8.1), ("2025-01", 8.0), ("2026-10", 8.4)], 0.5, pins=["2025-01", "2026-10"]),
    series("fire-station-1", "overtime-hours",
           [("2024-11", 22.0), ("2026-10", 20.0)], 1.6, season="summer", amp=2.5),

    series("fire-station-4", "response-minutes",
           [("2024-11", 10.8), ("2025-01", 10.6), ("2025-09", 9.6), ("2026-04", 8.8), ("2026-10", 8.1)], 0.15,
           pins=["2025-01", "2026-10"], events={"2025-07": (0.4, "Heat wave: record call volume")}),
    series("fire-station-4", "turnout-seconds",
           [("2024-11", 102), ("2025-08", 90), ("2026-10", 80)], 3.0),
    series("fire-station-4", "fires-confined",
           [("2024-11", 73), ("2025-01", 74), ("2026-10", 76)], 4.0, pins=["2025-01", "2026-10"]),
    series("fire-station-4", "training-hours",
           [("2024-11", 7.6), ("2025-01", 7.5), ("2025-10", 6.6), ("2026-10", 6.2)], 0.4,
           pins=["2025-01", "2026-10"]),
    series("fire-station-4", "overtime-hours",
           [("2024-11", 24.0), ("2026-10", 26.0)], 1.6, season="summer", amp=2.5),

    series("fire-station-7", "response-minutes",
           [("2024-11", 11.5), ("2025-01", 11.3), ("2025-10", 10.4), ("2026-04", 9.9), ("2026-10", 9.6)], 0.2,
           pins=["2025-01", "2026-10"],
           events={"2025-07": (0.4, "Heat wave: record call volume"),
                   "2026-02": (0.9, "Harbor Road bridge closed 9 days; units detoured")}),
    series("fire-station-7", "turnout-seconds",
           [("2024-11", 98), ("2026-10", 88)], 3.0),
    series("fire-station-7", "fires-confined",
           [("2024-11", 69), ("2025-01", 70), ("2026-10", 68)], 4.5, pins=["2025-01", "2026-10"]),
    series("fire-station-7", "training-hours",
           [("2024-11", 6.9), ("2025-01", 6.8), ("2026-10", 7.0)], 0.5, pins=["2025-01", "2026-10"]),
    series("fire-station-7", "overtime-hours",
           [("2024-11", 27.0), ("2026-10", 29.0)], 1.8, season="summer", amp=2.5),

    # --- Resident Services -------------------------------------------------------------------------
    series("contact-311", "first-contact-resolution",
           [("2024-11", 61.0), ("2025-06", 65.5), ("2025-12", 69.6), ("2026-05", 72.0), ("2026-10", 74.6)],
           0.8, pins=["2024-11", "2025-12", "2026-10"],
           events={"2025-07": (-4.5, "CRM outage July 8-10; contacts logged on paper")}),
    series("contact-311", "call-abandon-rate",
           [("2024-11", 8.5), ("2026-10", 7.2)], 0.6, season="winter", amp=1.2,
           events={"2025-07": (5.5, "CRM outage July 8-10")}),
    series("contact-311", "requests-on-time",
           [("2024-11", 72.0), ("2026-10", 81.0)], 1.2, season="winter", amp=-3.0),
    series("contact-311", "resident-satisfaction",
           [("2024-11", 64), ("2026-10", 67)], 1.5),
    series("contact-311", "vacancy-rate",
           [("2024-11", 19.5), ("2025-01", 18.0), ("2025-09", 13.0), ("2026-04", 10.0), ("2026-10", 8.5)],
           0.5, pins=["2025-01", "2026-10"]),
    series("contact-311", "training-hours",
           [("2024-11", 5.2), ("2025-01", 5.0), ("2025-10", 6.8), ("2026-10", 6.1)], 0.5,
           pins=["2025-01", "2026-10"]),

    series("permits", "permit-days",
           [("2024-11", 47), ("2025-04", 52), ("2025-09", 45), ("2026-01", 43), ("2026-05", 44),
            ("2026-10", 39)], 1.5, season="spring", amp=2.0,
           events={"2026-03": (2.0, "Online submission go-live slipped; paper intake continued")}),
    series("permits", "review-cycles",
           [("2024-11", 2.40), ("2026-10", 2.55)], 0.07),
    series("permits", "resident-satisfaction",
           [("2024-11", 52), ("2026-10", 58)], 2.0),
    series("permits", "vacancy-rate",
           [("2024-11", 16.0), ("2025-01", 15.0), ("2025-10", 12.5), ("2026-10", 11.2)], 0.5,
           pins=["2025-01", "2026-10"]),
    series("permits", "training-hours",
           [("2024-11", 3.1), ("2025-01", 3.0), ("2026-10", 3.6)], 0.4, pins=["2025-01", "2026-10"]),

    # Business licensing stopped reporting after July 2026: the new licensing system went live in August
    # and its reports were not ready, so its figures are stale in the sample.
    series("business-licensing", "requests-on-time",
           [("2024-11", 70.0), ("2025-01", 71.0), ("2025-10", 78.0), ("2026-04", 83.0), ("2026-07", 84.0)],
           1.3, pins=["2025-01", "2026-07"], last="2026-07",
           events={"2026-07": (0.0, "Last month on the old licensing system; cutover Aug 3")}),
    series("business-licensing", "resident-satisfaction",
           [("2024-11", 60), ("2025-01", 60), ("2026-07", 66)], 2.0, pins=["2025-01", "2026-07"],
           last="2026-07"),
    series("business-licensing", "vacancy-rate",
           [("2024-11", 11.0), ("2026-07", 11.0)], 1.0, last="2026-07"),
    series("business-licensing", "training-hours",
           [("2024-11", 2.5), ("2026-07", 4.0)], 0.5, last="2026-07",
           events={"2026-06": (3.0, "Training on the new licensing system")}),

    # --- Parks, Libraries and Recreation -----------------------------------------------------------
    series("parks-maintenance", "requests-on-time",
           [("2024-11", 68.0), ("2026-10", 74.0)], 1.5, season="summer", amp=-5.0),
    # No survey in December 2025: snow cover made the park ratings meaningless, so the month is missing.
    series("parks-maintenance", "cleanliness-score",
           [("2024-11", 1.90), ("2026-10", 1.80)], 0.06, season="summer", amp=0.2, skip=["2025-12"]),
    series("parks-maintenance", "fleet-availability",
           [("2024-11", 88), ("2026-10", 87)], 1.8, season="summer", amp=-2),
    series("parks-maintenance", "overtime-hours",
           [("2024-11", 10.0), ("2026-10", 11.0)], 1.0, season="summer", amp=4.0,
           events={"2025-08": (3.0, "Lakefront festival weekend cleanup")}),

    series("libraries", "program-seats-filled",
           [("2024-11", 64.0), ("2025-01", 66.0), ("2025-07", 75.0), ("2025-11", 72.0), ("2026-03", 77.0),
            ("2026-07", 84.0), ("2026-10", 82.3)], 1.2, pins=["2025-01", "2026-10"],
           events={"2025-07": (2.0, "Summer reading challenge")}),
    series("libraries", "resident-satisfaction",
           [("2024-11", 80), ("2025-01", 81), ("2026-10", 82)], 1.5, pins=["2025-01", "2026-10"]),
    series("libraries", "training-hours",
           [("2024-11", 2.0), ("2026-10", 2.6)], 0.4),
    series("libraries", "vacancy-rate",
           [("2024-11", 7.0), ("2026-10", 6.0)], 0.6),

    series("recreation", "program-seats-filled",
           [("2024-11", 58.0), ("2026-10", 63.0)], 2.0, season="summer", amp=14.0,
           events={"2025-08": (-9.0, "Eastside pool closed for repairs")}),
    series("recreation", "resident-satisfaction",
           [("2024-11", 70), ("2026-10", 72)], 2.0),
    series("recreation", "vacancy-rate",
           [("2024-11", 9.0), ("2026-10", 10.0)], 1.0, season="summer", amp=-4.0),
]


def generate_months(first: str, last: str) -> list[str]:
    """Return every YYYY-MM period from first to last inclusive."""
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def interpolate(anchors: list[tuple[str, float]], months: list[str], period: str) -> float:
    """Return the trend value at period, linear between anchors and flat beyond them."""
    pos = {p: i for i, p in enumerate(months)}
    points = [(pos[p], v) for p, v in anchors]
    i = pos[period]
    if i <= points[0][0]:
        return points[0][1]
    for (i0, v0), (i1, v1) in pairwise(points):
        if i0 <= i <= i1:
            return v0 + (v1 - v0) * (i - i0) / (i1 - i0)
    return points[-1][1]


def generate_rows(seed: int = SEED) -> dict[str, list[list[str]]]:
    """Return the CSV rows per unit file, sorted by team, indicator and period."""
    months = generate_months(FIRST, LAST)
    unit_of = {team: unit for unit, teams in UNITS.items() for team in teams}
    files: dict[str, list[list[str]]] = {unit: [] for unit in UNITS}
    for s in SERIES:
        # One generator per series, so editing one series leaves every other series' figures unchanged.
        # Sample figures, not secrets: a seeded, reproducible generator is what we want here.
        rng = random.Random(seed ^ zlib.crc32(f"{s['team']}/{s['indicator']}".encode()))  # noqa: S311
        anchor_values = dict(s["anchors"])
        decimals = DECIMALS[s["indicator"]]
        low, high = BOUNDS.get(s["indicator"], (0.0, 100.0 if s["indicator"] in PERCENT else float("inf")))
        for period in months:
            noise = rng.gauss(0.0, s["sd"])  # drawn for every month, so pins do not shift later noise
            if period > s["last"] or period in s["skip"]:
                continue
            delta, note = s["events"].get(period, (0.0, ""))
            if period in s["pins"]:
                value = anchor_values[period]
            else:
                shape = SEASONS.get(s["season"], {}).get(int(period[5:]), 0.0)
                value = interpolate(s["anchors"], months, period) + s["amp"] * shape + noise + delta
            value = min(max(value, low), high)
            text = f"{value:.{decimals}f}"
            files[unit_of[s["team"]]].append([s["team"], s["indicator"], period, text, note])
    for rows in files.values():
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return files


def write_files(out_dir: Path, seed: int = SEED) -> list[Path]:
    """Write one CSV per unit into out_dir and return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for unit, rows in generate_rows(seed).items():
        path = out_dir / f"{unit}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["team", "indicator", "period", "value", "note"])
            writer.writerows(rows)
        written.append(path)
    return written


def main() -> None:
    """Parse arguments and write the sample figures."""
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=root / "data" / "measurements",
                        help="directory for the CSV files (default: data/measurements)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default: {SEED})")
    args = parser.parse_args()
    for path in write_files(args.out, args.seed):
        print(path)


if __name__ == "__main__":
    main()
