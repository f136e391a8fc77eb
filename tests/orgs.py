"""Build small organizations on disk for tests: valid by default, changed per test."""

from __future__ import annotations

import copy
import csv
import io
import os
from datetime import date, timedelta
from pathlib import Path

import yaml

from macros.periods import FREQUENCIES, parse_period, period_end

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


SUITE_TODAY = "2026-12-05"  # the suite's today (tests/conftest.py): the sample's figures run to 2026-10


def fixture_today(org: dict) -> str | None:
    """Return the day an organization's newest figures fall due (its latest period's end plus its due days), for
    figures due by the suite's today; None without such figures.

    The fixture organizations report in 2024. The handbook judges freshness and deadlines against today's date
    (spec v1.2), so a test built on them takes, as today, the day its own figures are due: what it says about
    staleness is then what it would say on that day. Tests of the calendar itself set their own today.
    """
    rep = (org.get("organization.yml") or {}) if isinstance(org.get("organization.yml"), dict) else {}
    reporting = rep.get("reporting") if isinstance(rep.get("reporting"), dict) else {}
    frequency = reporting.get("frequency", "monthly")
    due_days = reporting.get("due_days", 30)
    if frequency not in FREQUENCIES or not isinstance(due_days, int) or isinstance(due_days, bool):
        return None
    suite = date.fromisoformat(SUITE_TODAY)
    periods: list[int] = []
    for rows in (org.get("measurements") or {}).values():
        if isinstance(rows, str):
            rows = list(csv.reader(io.StringIO(rows)))[1:]
        for row in rows or []:
            index = parse_period(str(row[2]), frequency) if len(row) > 2 else None
            if index is not None and period_end(index, frequency) + timedelta(days=due_days) <= suite:
                periods.append(index)
    if not periods:
        return None
    return (period_end(max(periods), frequency) + timedelta(days=due_days)).isoformat()


FIXTURE_DAYS: dict[str, str] = {}  # data folder -> its fixture_today, for builds and commands run on it later
# The day use_fixture_today last put in $HANDBOOK_TODAY. A day in the environment that is neither the suite's nor
# this one was chosen by the test (monkeypatch.setenv), and is kept; comparing with every fixture day ever set
# would mistake a test's own choice for a leftover whenever another test's fixture fell due on the same day.
FIXTURE_SET = "HANDBOOK_TODAY_FIXTURE"


def _not_chosen(current: str | None) -> bool:
    return current in (None, SUITE_TODAY) or current == os.environ.get(FIXTURE_SET)


def use_fixture_today(org: dict, data: Path) -> None:
    """Take the organization's own today (fixture_today) unless the test chose a day other than the suite's; remember
    it for the data folder, so that a build or a command run on it later (conftest.build, run_cli) takes it too.

    tests/conftest.py puts the suite's today back before and after every test.
    """
    day = fixture_today(org)
    if day is None:
        return
    if _not_chosen(os.environ.get("HANDBOOK_TODAY")):
        os.environ["HANDBOOK_TODAY"] = os.environ[FIXTURE_SET] = day
    FIXTURE_DAYS[str(data.resolve())] = day


def today_for(data: Path | None, env: dict) -> dict:
    """Return the environment for a build or command on a data folder: its fixture organization's today (the suite's
    for any other folder, the sample's included), unless the test chose a day of its own."""
    if not _not_chosen(env.get("HANDBOOK_TODAY")):
        return env
    day = FIXTURE_DAYS.get(str(Path(data).resolve())) if data is not None else None
    return {**env, "HANDBOOK_TODAY": day or SUITE_TODAY}


def write_org(root: Path, org: dict, own_today: bool = True) -> Path:
    """Write an organization dict to root/data; values that are str are written verbatim.

    With `own_today`, the test takes the day the organization's figures fall due as today (see use_fixture_today).
    """
    data = root / "data"
    if own_today:
        use_fixture_today(org, data)
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
        (data / name).parent.mkdir(parents=True, exist_ok=True)  # data/translations/fr.yml
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


# ---- odd input (issue 14): Unicode and 300-character names, empty optional files, a 10,000-row CSV ----------

ACCENTS = "Équipe de réparation des chaussées — Straße"
ARABIC = "فريق صيانة الطرق"
HEBREW = "צוות תחזוקת כבישים"
EMOJI = "Fire crew 🚒🔥 station 4"
UNIT_RTL = "وحدة الأشغال العامة"
UNIT_EMOJI = "Parks 🌳 & Recreation"
LONG_TEAM = ("Long-named team " + "abcdefghij " * 30)[:300].strip()
LONG_UNIT = ("Long-named unit " + "klmnopqrst " * 30)[:300].strip()
LONG_INDICATOR = ("Long-named indicator " + "uvwxyz " * 50)[:300].strip()
LONG_TARGET = ("Long-named target " + "mnopq " * 60)[:300].strip()
HEADER = "team,indicator,period,value,note"


def odd_org() -> dict:
    """The base organization with Unicode and 300-character names, a team with no figures, empty optional files."""
    org = base_org()
    org["teams.yml"] += [
        {"id": "accents", "name": ACCENTS, "unit": "Opérations spéciales"},
        {"id": "arabic", "name": ARABIC, "unit": UNIT_RTL, "lead": "رئيس الفريق"},
        {"id": "hebrew", "name": HEBREW, "unit": UNIT_RTL},
        {"id": "emoji", "name": EMOJI, "unit": UNIT_EMOJI, "description": "We put out fires 🔥 and ✨ shine ✨."},
        {"id": "long", "name": LONG_TEAM, "unit": LONG_UNIT},
        {"id": "silent", "name": "Silent Team", "unit": "Support"},  # no figures at all
    ]
    org["indicators.yml"] += [
        {"id": "smiles", "name": "Résidents satisfaits 😊 رضا המרוצים", "unit": "٪", "stage": "outcome", "better": "higher"},
        {"id": "long-ind", "name": LONG_INDICATOR, "unit": "items", "stage": "output", "better": "higher"},
    ]
    target = org["targets.yml"][0]
    target["teams"] = ["alpha", "beta", "arabic", "emoji", "long", "silent"]
    org["targets.yml"].append({
        "id": "long-target", "title": LONG_TARGET, "deficit": "slow", "indicator": "long-ind", "teams": ["long", "accents"],
        "owner": "Ms. Ünïcödé 👩‍💼", "baseline": {"period": "2024-01", "value": 10}, "target": {"period": "2024-12", "value": 40},
        "theory": {"link": "خطوات صغيرة — small steps", "chain": [ARABIC, HEBREW, EMOJI]},
    })
    org["capacity.yml"] = ""            # present but empty
    org["recognition.yml"] = "# nothing to recognize yet\n"
    org["learning.yml"] = "[]\n"
    rows = (monthly("alpha", "wait-days", (2024, 1), [6, 5, 4, 3]) + monthly("arabic", "wait-days", (2024, 1), [7, 6])
            + monthly("emoji", "smiles", (2024, 1), [50, 60]) + monthly("long", "long-ind", (2024, 1), [10, 12, 15])
            + monthly("accents", "long-ind", (2024, 1), [5]))
    org["measurements"]["figures.csv"] = rows
    # A BOM, CRLF line endings, Unicode notes and blank trailing lines, as a spreadsheet on Windows writes them.
    windows = [HEADER, "hebrew,wait-days,2024-01,5,הערה", "hebrew,wait-days,2024-02,4.5,\"note, with comma 🚧\""]
    org["measurements"]["windows.csv"] = "\ufeff" + "\r\n".join(windows) + "\r\n\r\n\r\n"
    org["measurements"]["trailing.csv"] = HEADER + "\nbeta,wait-days,2024-01,6,\n\n"
    org["measurements"]["header-only.csv"] = HEADER + "\n"
    return org


BIG_INDICATORS = 40
BIG_MONTHS = 250  # 40 indicators x 250 months (2004-01 to 2024-10) = 10,000 rows


def big_org() -> dict:
    org = base_org()
    org["indicators.yml"] += [{"id": f"m{i:02d}", "name": f"Measure {i}", "unit": "n", "stage": "process",
                               "better": "higher", "decimals": 1} for i in range(BIG_INDICATORS)]
    rows = []
    for i in range(BIG_INDICATORS):
        rows += monthly("alpha", f"m{i:02d}", (2004, 1), [round(i + k * 0.1, 1) for k in range(BIG_MONTHS)])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER.split(","))
    w.writerows([(*r, "") for r in rows])
    org["measurements"]["figures.csv"] = []
    org["measurements"]["alpha-history.csv"] = buf.getvalue()
    return org


def clone(org: dict) -> dict:
    return copy.deepcopy(org)


def messy_org() -> dict:
    """An organization with the messes of real data (issue 11): an organization name that needs "the"; counts
    beside rates (aggregate sum, mean and none); a % guardrail tolerance finer than the display precision; a stale
    target indicator beside fresh figures; passed deadlines met, not met, and met only after the deadline; a
    revision of each kind. Monthly, figures 2024-01 to 2024-12 (the latest period reported)."""
    org = base_org()
    org["organization.yml"]["name"] = "Department of Transport"
    org["teams.yml"] = [
        {"id": "north", "name": "North Depot", "unit": "Roads"},
        {"id": "south", "name": "South Depot", "unit": "Roads"},
        {"id": "east", "name": "East Depot", "unit": "Roads"},
        {"id": "west", "name": "West Depot", "unit": "Fleet"},
    ]
    org["indicators.yml"] = [
        {"id": "late-rate", "name": "Late repairs", "unit": "%", "stage": "output", "better": "lower"},
        {"id": "p90-minutes", "name": "Response time (90th percentile)", "unit": "minutes", "stage": "process",
         "better": "lower", "decimals": 1},
        {"id": "claims", "name": "Damage claims", "unit": "claims", "stage": "outcome", "better": "lower",
         "aggregate": "sum"},
        {"id": "satisfaction", "name": "Satisfaction", "unit": "%", "stage": "outcome", "better": "higher",
         "aggregate": "mean"},
    ]
    org["deficits.yml"] = [
        {"id": "late", "title": "Repairs are late", "stage": "output", "indicator": "late-rate"},
        {"id": "slow", "title": "Crews arrive slowly", "stage": "outcome", "indicator": "p90-minutes"},
        {"id": "claims", "title": "Too many claims", "stage": "outcome", "indicator": "claims"},
    ]
    theory = {"link": "Timely repairs keep roads safe.", "chain": ["Timely repairs", "Safer roads"]}
    org["targets.yml"] = [
        {   # deadline 2024-06 passed: north met it, south met it only in 2024-10, east never (no 2024-06 figure)
            "id": "late-under-5", "title": "Late repairs under 5 %", "deficit": "late", "indicator": "late-rate",
            "teams": ["north", "south", "east"], "owner": "Director",
            "baseline": {"period": "2024-01", "value": 10}, "target": {"period": "2024-06", "value": 5},
            "theory": theory, "guardrails": [{"indicator": "satisfaction", "tolerance": 0.5}],
        },
        {   # deadline ahead; north's response times stopped in 2024-06 while its other figures go on
            "id": "fast-response", "title": "Respond within 8 minutes", "deficit": "slow", "indicator": "p90-minutes",
            "teams": ["north", "west"], "owner": "Director",
            "baseline": {"period": "2024-01", "value": 12}, "target": {"period": "2025-06", "value": 8},
            "theory": theory,
        },
        {   # five revisions: raised, lowered, later, earlier, raised and later (lower is better)
            "id": "fewer-claims", "title": "Fewer claims", "deficit": "claims", "indicator": "claims",
            "teams": ["north", "south"], "owner": "Director",
            "baseline": {"period": "2024-01"}, "target": {"period": "2025-12", "value": 20},
            "theory": theory,
            "revisions": [
                {"date": "2024-02-01", "was": {"period": "2025-06", "value": 30}, "reason": "Raise."},
                {"date": "2024-03-01", "was": {"period": "2025-06", "value": 25}, "reason": "Too hard."},
                {"date": "2024-04-01", "was": {"period": "2025-06", "value": 28}, "reason": "More time."},
                {"date": "2024-05-01", "was": {"period": "2025-12", "value": 28}, "reason": "Less time."},
                {"date": "2024-06-01", "was": {"period": "2025-09", "value": 28}, "reason": "Both."},
            ],
        },
    ]
    start = (2024, 1)
    rows = [
        *monthly("north", "late-rate", start, [10, 9, 8, 7, 6, 4, 4, 4, 4, 4, 4, 4]),
        *monthly("south", "late-rate", start, [10, 10, 9, 9, 8, 7, 6, 6, 5, 4, 4, 4]),
        *monthly("east", "late-rate", start, [10, 10, 9, 9, 8]) + monthly("east", "late-rate", (2024, 7), [9, 9, 9, 9, 9, 9]),
        *monthly("north", "p90-minutes", start, [12, 11.5, 11, 10.5, 10, 9.5]),  # stops: stale by 2024-12
        *monthly("west", "p90-minutes", start, [12, 12, 11.8, 11.5, 11, 10.8, 10.5, 10.2, 10, 9.8, 9.6, 9.5]),
        *monthly("north", "claims", start, [10] * 12),
        *monthly("south", "claims", start, [30] * 12),
        *monthly("north", "satisfaction", start, [80] * 11 + [79]),  # worse by 1 point: beyond the 0.5 tolerance
        *monthly("south", "satisfaction", start, [70] * 12),
        *monthly("east", "satisfaction", start, [75] * 12),
    ]
    org["measurements"] = {"figures.csv": rows}
    return org


# ---------------------------------------------------------------------------------------------------------------
# Languages (issue 26): an organization that works in French, and one that publishes in English and French.

PRACTICE_TITLES_FR = [
    "Énoncer la mission", "Nommer les défaillances clés", "Fixer une cible pour chacune", "Expliquer la théorie",
    "Publier les chiffres", "Renforcer les capacités", "Reconnaître les réussites", "Créer des occasions d'estime",
    "Détecter les distorsions", "Lire plusieurs indicateurs", "Agir sur ce que l'on apprend",
]


def french_org() -> dict:
    """An organization that works in French (language: fr): its own practices.yml, teams and targets in French,
    figures up to 2024-12 with thousands (staff hours) and decimals (days)."""
    org = base_org()
    org["organization.yml"] = {
        "name": "Agence des services",
        "mission": "Bien servir les habitants.",
        "big_picture": "Nous servons **tout le monde**.",
        "reporting": {"frequency": "monthly", "stale_after": 2},
        "language": "fr",
    }
    org["teams.yml"] = [
        {"id": "alpha", "name": "Équipe Alpha", "unit": "Opérations"},
        {"id": "beta", "name": "Équipe Bêta", "unit": "Opérations", "lead": "Responsable Bêta"},
        {"id": "gamma", "name": "Équipe Gamma", "unit": "Soutien", "description": "N'a pas de cible."},
    ]
    org["indicators.yml"] = [
        {"id": "wait-days", "name": "Jours d'attente", "unit": "jours", "stage": "output", "better": "lower", "decimals": 1},
        {"id": "rework", "name": "Taux de reprise", "unit": "%", "stage": "process", "better": "lower"},
        {"id": "satisfaction", "name": "Satisfaction", "unit": "%", "stage": "outcome", "better": "higher"},
        {"id": "staff-hours", "name": "Heures de travail", "unit": "heures", "stage": "input", "better": "higher",
         "aggregate": "sum"},
    ]
    org["deficits.yml"] = [
        {"id": "slow", "title": "Les habitants attendent trop longtemps", "stage": "output", "indicator": "wait-days",
         "teams": ["alpha"]},
    ]
    target = org["targets.yml"][0]
    target.update(title="Ramener l'attente à 2 jours", owner="Directrice",
                  theory={"link": "Des attentes plus courtes aident.", "chain": ["Service plus rapide", "Habitants satisfaits"]})
    org["practices.yml"] = [
        {**p, "title": PRACTICE_TITLES_FR[p["number"] - 1], "summary": f"Ce que signifie la pratique {p['number']}.",
         "checklist": [{"id": f"p{p['number']}-manual", "text": f"Point à cocher de la pratique {p['number']}"}]}
        for p in practices()
    ]
    rows = monthly("alpha", "wait-days", (2024, 1), [6.5, 6.0, 5.5, 5.0, 4.5, 4.2, 4.0, 3.8, 3.5, 3.2, 3.0, 2.5])
    rows += monthly("beta", "wait-days", (2024, 1), [7.0, 7.2, 7.1, 7.3, 7.4, 7.2, 7.5, 7.6, 7.4, 7.8, 7.9, 8.1])
    rows += monthly("alpha", "rework", (2024, 1), [4, 4, 5, 5, 4, 4, 5, 5, 4, 4, 5, 5])
    rows += monthly("alpha", "staff-hours", (2024, 1), [1084.5, 1120, 1250.25, 1300, 1310, 1290, 1400, 1420, 1380, 1500, 1510, 1525])
    org["measurements"] = {"figures.csv": rows}
    return org


def bilingual_org() -> dict:
    """An organization that publishes in English and French (language en, languages [en, fr]), with
    data/translations/fr.yml translating some of its text: alpha's name but not beta's, the target's title."""
    org = base_org()
    org["organization.yml"]["languages"] = ["en", "fr"]
    rows = monthly("alpha", "wait-days", (2024, 1), [6.5, 6.0, 5.5, 5.0, 4.5, 4.2, 4.0, 3.8, 3.5, 3.2, 3.0, 2.5])
    rows += monthly("beta", "wait-days", (2024, 1), [7.0, 7.2, 7.1, 7.3, 7.4, 7.2, 7.5, 7.6, 7.4, 7.8, 7.9, 8.1])
    org["measurements"] = {"figures.csv": rows}
    org["translations/fr.yml"] = {
        "organization.yml": {"name": "Agence de test", "mission": "Bien servir les habitants."},
        "teams.yml": {"alpha": {"name": "Équipe Alpha", "lead": "Responsable Alpha"}},
        "targets.yml": {"faster": {"title": "Ramener l'attente à 2 jours",
                                   "theory": {"chain": ["Service plus rapide", "Habitants satisfaits"]}}},
        "practices.yml": {1: {"title": "Énoncer la mission", "checklist": {"p1-manual": "Point à cocher"}}},
    }
    return org
