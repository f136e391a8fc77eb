"""Large and odd input: each case either works (validates, builds, shows) or gets a clear error.

Empty optional files, a team with no figures, a 10,000-row CSV for one team, Unicode names (accents,
right-to-left Arabic and Hebrew, emoji), 300-character names, CSVs with a byte-order mark, CRLF line endings
and blank trailing lines. Checked with `validate_data`, and through two real builds (one odd organization,
one with the large CSV), each built once for the module.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup

from conftest import build_ok, run_cli
from macros.errors import DataError
from macros.validate import validate_data
from orgs import base_org, monthly, write_org

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


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    root = tmp_path_factory.mktemp("odd")
    data = write_org(root, odd_org())
    return data, build_ok(data, root / "site")


def soup_of(site, rel: str) -> BeautifulSoup:
    path = site / rel
    assert path.exists(), f"{rel} was not built"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def squash(text: str) -> str:
    return " ".join(text.split())


# ---- validate_data ------------------------------------------------------------------------------------------


def test_odd_organization_validates(tmp_path):
    hb = validate_data(write_org(tmp_path, odd_org()))
    assert hb.teams["arabic"].name == ARABIC and hb.teams["emoji"].name == EMOJI
    assert hb.teams["long"].name == LONG_TEAM and len(LONG_TEAM) >= 290
    assert hb.capacity == {} and hb.recognition == () and hb.learning == ()
    assert hb.series_for("silent", "wait-days") is None
    # The BOM, CRLF file: its two rows, with the Unicode note and the quoted comma intact.
    hebrew = hb.series_for("hebrew", "wait-days")
    assert list(hebrew.values) == [5.0, 4.5]
    notes = set(hb.measurements["note"])
    assert {"הערה", "note, with comma 🚧"} <= notes


@pytest.mark.parametrize("name", ["capacity.yml", "recognition.yml", "learning.yml", "deficits.yml"])
@pytest.mark.parametrize("content", ["", "\n\n", "# just a comment\n", "[]\n", "\ufeff"])
def test_an_empty_optional_file_means_no_records(tmp_path, name, content):
    org = base_org()
    org["targets.yml"] = None if name == "deficits.yml" else org["targets.yml"]  # targets need their deficit
    org[name] = content
    validate_data(write_org(tmp_path, org))


def test_an_empty_required_file_gets_a_clear_error(tmp_path):
    org = base_org()
    org["teams.yml"] = "\n"
    with pytest.raises(DataError) as info:
        validate_data(write_org(tmp_path, org))
    found = [str(p) for p in info.value.problems]
    assert found == ["data/teams.yml: expected content (this file is required), found an empty file."]


def test_a_zero_byte_csv_gets_a_clear_error(tmp_path):
    org = base_org()
    org["measurements"]["empty.csv"] = ""
    with pytest.raises(DataError) as info:
        validate_data(write_org(tmp_path, org))
    assert [str(p) for p in info.value.problems] == [
        "data/measurements/empty.csv:1: expected the header team,indicator,period,value,note, found an empty file."
    ]


def test_blank_lines_inside_a_crlf_csv_keep_error_lines_right(tmp_path):
    org = base_org()
    org["measurements"]["figures.csv"] = "\ufeff" + "\r\n".join(
        [HEADER, "alpha,wait-days,2024-01,6,", "", "", "alpha,wait-days,2024-02,six,", ""]) + "\r\n\r\n"
    with pytest.raises(DataError) as info:
        validate_data(write_org(tmp_path, org))
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.field) == ("data/measurements/figures.csv", 5, "value")


def test_a_very_long_id_gets_a_clear_error(tmp_path):
    org = base_org()
    org["teams.yml"][2]["id"] = "g" * 300
    with pytest.raises(DataError) as info:
        validate_data(write_org(tmp_path, org))
    (problem,) = info.value.problems
    assert (problem.file, problem.field) == ("data/teams.yml", "id")
    assert str(problem).startswith("data/teams.yml:8: team '" + "g" * 300 + "', field 'id': expected an id of at most 64 characters, found 300 characters")


def test_a_team_with_no_figures_has_no_data_status(tmp_path):
    org = base_org()
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5])
    data = write_org(tmp_path, org)
    result = run_cli("status", "--json", data=data)
    assert result.returncode == 0, result.stderr
    beta = [r for r in json.loads(result.stdout) if r["team"] == "beta"]
    assert beta and all(r["status"] == "no data" for r in beta)


# ---- a real build of the odd organization -------------------------------------------------------------------

UNICODE_TEAMS = {"accents": ACCENTS, "arabic": ARABIC, "hebrew": HEBREW, "emoji": EMOJI, "long": LONG_TEAM}


@pytest.mark.build
@pytest.mark.parametrize("team", list(UNICODE_TEAMS))
def test_unicode_and_long_team_names_get_their_page_and_nav_entry(odd, team):
    _, site = odd
    name = UNICODE_TEAMS[team]
    soup = soup_of(site, f"teams/{team}/index.html")
    assert squash(soup.select_one("article h1").get_text(" ", strip=True)).startswith(squash(name))
    assert squash(name) in squash(soup.title.get_text())
    nav = squash(" ".join(a.get_text(" ", strip=True) for a in soup.select("nav.md-nav a, nav.md-nav label")))
    # The team is reachable from the navigation: by its own entry or its unit's.
    unit = {"accents": "Opérations spéciales", "arabic": UNIT_RTL, "hebrew": UNIT_RTL, "emoji": UNIT_EMOJI,
            "long": LONG_UNIT}[team]
    assert squash(name) in nav or squash(unit) in nav, f"{team}: neither the team nor its unit is in the nav"
    teams_index = squash(soup_of(site, "teams/index.html").select_one("article").get_text(" ", strip=True))
    assert squash(name) in teams_index


@pytest.mark.build
def test_units_with_rtl_emoji_and_long_names_get_distinct_pages(odd):
    _, site = odd
    units = sorted(p.parent.name for p in (site / "units").glob("*/index.html"))
    assert len(units) == len(set(units)) == 6, units  # Operations, Support, Opérations spéciales, RTL, emoji, long
    shown = {squash(soup_of(site, f"units/{u}/index.html").select_one("article h1").get_text(" ", strip=True))
             for u in units}
    for unit in (UNIT_RTL, UNIT_EMOJI, "Opérations spéciales", LONG_UNIT):
        assert any(s.startswith(squash(unit)) for s in shown), unit
    assert all(len(u) <= 100 for u in units), "unit slugs must stay short enough for file systems"


@pytest.mark.build
def test_long_and_unicode_text_on_target_indicator_and_scoreboard_pages(odd):
    _, site = odd
    target = soup_of(site, "targets/long-target/index.html")
    assert squash(target.select_one("article h1").get_text(" ", strip=True)).startswith(squash(LONG_TARGET))
    chain = [squash(li.get_text(" ", strip=True)) for li in target.select("ol.hb-chain li")]
    assert any(ARABIC in c for c in chain) and any(HEBREW in c for c in chain) and any(EMOJI in c for c in chain)
    indicators = squash(soup_of(site, "indicators/index.html").select_one("article").get_text(" ", strip=True))
    assert squash(LONG_INDICATOR) in indicators and "😊" in indicators
    scoreboard = soup_of(site, "scoreboard/index.html")
    text = squash(scoreboard.select_one("article").get_text(" ", strip=True))
    assert ARABIC in text and EMOJI in text
    # A chart's figure carries the Unicode names as data.
    emoji_page = soup_of(site, "teams/emoji/index.html")
    figures = [json.loads(c["data-figure"]) for c in emoji_page.select("[data-figure]")]
    assert figures


@pytest.mark.build
def test_a_team_with_no_figures_builds_and_says_so(odd):
    _, site = odd
    article = soup_of(site, "teams/silent/index.html").select_one("article")
    statuses = [squash(s.get_text(" ", strip=True)).lower() for s in article.select(".hb-status")]
    assert statuses and all("no data" in s for s in statuses), statuses
    assert not article.select("details.hb-chart__data")  # no empty data tables


@pytest.mark.build
def test_bom_crlf_csv_and_blank_trailing_lines_reach_the_page(odd):
    data, site = odd
    article = soup_of(site, "teams/hebrew/index.html").select_one("article")
    cells = [squash(td.get_text()) for td in article.select("details.hb-chart__data td")]
    assert "4.5" in cells, cells
    # The team's downloadable figures: the rows of the BOM, CRLF file, the note and its comma intact, no blank rows.
    rows = list(csv.DictReader(io.StringIO((site / "downloads" / "teams" / "hebrew.csv").read_text(encoding="utf-8"))))
    assert [(r["period"], r["value"], r["note"]) for r in rows] == [
        ("2024-01", "5", "הערה"), ("2024-02", "4.5", "note, with comma 🚧")]
    assert (data / "measurements" / "windows.csv").read_bytes().startswith(b"\xef\xbb\xbf")


# ---- 10,000 rows for one team -------------------------------------------------------------------------------

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


def test_ten_thousand_rows_validate(tmp_path):
    org = big_org()
    assert org["measurements"]["alpha-history.csv"].count("\n") == 10_001
    hb = validate_data(write_org(tmp_path, org))
    assert len(hb.measurements) == 10_000
    assert len(hb.series_for("alpha", "m39").values) == BIG_MONTHS


@pytest.mark.build
def test_ten_thousand_rows_for_one_team_build(tmp_path):
    data = write_org(tmp_path, big_org())
    site = build_ok(data, tmp_path / "site")
    article = soup_of(site, "teams/alpha/index.html").select_one("article")
    charts = article.select(".hb-chart")
    assert len(charts) >= BIG_INDICATORS
    points = sum(len(t["x"]) for c in charts for t in json.loads(c["data-figure"])["data"] if t.get("meta") == "actual")
    assert points >= 10_000
