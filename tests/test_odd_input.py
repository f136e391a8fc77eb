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
from orgs import (
    ACCENTS,
    ARABIC,
    BIG_INDICATORS,
    EMOJI,
    HEBREW,
    LONG_INDICATOR,
    LONG_TARGET,
    LONG_TEAM,
    LONG_UNIT,
    UNIT_EMOJI,
    UNIT_RTL,
    base_org,
    big_org,
    monthly,
    odd_org,
    write_org,
)


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

@pytest.mark.build
def test_ten_thousand_rows_for_one_team_build(tmp_path):
    data = write_org(tmp_path, big_org())
    site = build_ok(data, tmp_path / "site")
    article = soup_of(site, "teams/alpha/index.html").select_one("article")
    charts = article.select(".hb-chart")
    assert len(charts) >= BIG_INDICATORS
    points = sum(len(t["x"]) for c in charts for t in json.loads(c["data-figure"])["data"] if t.get("meta") == "actual")
    assert points >= 10_000
