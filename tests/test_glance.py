"""The ten-second answer, as data and built HTML: the site's name, the home page's counts and their links, a team
page's header, the teams index, budgets with a currency, and the printed handbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_glance_browser import glance_org
from test_pages import assert_link

from conftest import build_ok, run_cli
from macros.derive import derive_analysis
from macros.due import derive_dues
from macros.naming import DEFAULT_SITE_NAME, derive_site_name
from macros.render.links import Links
from macros.render.onboarding import GLOSSARY
from macros.render.teams import derive_glance_items
from macros.validate import validate_data
from orgs import base_org, write_org


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


@pytest.fixture(scope="module")
def org() -> dict:
    o = glance_org()
    o["organization.yml"]["currency"] = "EUR"
    o["capacity.yml"] = [{"team": "alpha", "staff": 4, "budget": 125000}]
    return o


@pytest.fixture(scope="module")
def analysis(org, tmp_path_factory):
    return derive_analysis(validate_data(write_org(tmp_path_factory.mktemp("glance-data"), org)))


@pytest.fixture(scope="module")
def site(org, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("glance-site")
    return build_ok(write_org(root, org), root / "site")


# --- the site's name ---------------------------------------------------------------------------------------------

def test_the_organization_names_the_site_unless_it_has_a_name_of_its_own():
    assert derive_site_name(DEFAULT_SITE_NAME, "City of Riverton") == "City of Riverton · Performance handbook"
    assert derive_site_name("", " City  of\nRiverton ") == "City of Riverton · Performance handbook"
    assert derive_site_name(None, "City of Riverton") == "City of Riverton · Performance handbook"
    assert derive_site_name("Riverton Results", "City of Riverton") == "Riverton Results"
    assert derive_site_name("", "") == DEFAULT_SITE_NAME


@pytest.mark.build
def test_every_page_title_and_the_header_carry_the_organization(site):
    for url in ("", "teams/alpha", "scoreboard", "practices/practice-1"):
        page = soup(site, url)
        assert page.title.get_text().endswith("Test Agency of Elsewhere · Performance handbook"), url
        assert "Test Agency of Elsewhere · Performance handbook" in text(page.select_one(".md-header__topic"))
    assert soup(site, "").select_one("article h1").get_text(strip=True).rstrip("¶") == "Test Agency of Elsewhere"


@pytest.mark.build
def test_an_organization_name_with_markup_is_escaped_in_titles(tmp_path, org):
    hostile = dict(org, **{"organization.yml": dict(org["organization.yml"], name="<b>Bold</b> & Co")})
    site = build_ok(write_org(tmp_path, hostile), tmp_path / "site")
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "<b>Bold</b>" not in html
    page = BeautifulSoup(html, "html.parser")
    assert page.title.get_text() == "<b>Bold</b> & Co · Performance handbook"
    assert "<b>Bold</b> & Co · Performance handbook" in text(page.select_one(".md-header__topic"))


# --- home ----------------------------------------------------------------------------------------------------

@pytest.mark.build
def test_home_counts_link_to_what_they_count(site, analysis):
    home = soup(site, "").select_one("article")
    board = soup(site, "scoreboard").select_one("article")
    for tile in home.select(".hb-tile[data-status]"):
        a = tile.select_one("a")
        assert a["href"].startswith("scoreboard/?status=")
        assert_link(site, "", a)  # the scoreboard, at its list of pairs with that status
        listed = board.find(id=a["href"].split("#")[1]).find_next(["ul", "p"])
        n = int(tile.select_one(".hb-tile__n").get_text())
        assert (len(listed.select("li")) if listed.name == "ul" else 0) == n, tile["data-status"]
        assert sum(1 for s in analysis.statuses if s.status.value == tile["data-status"]) == n
    facts = {t["data-fact"]: t for t in home.select(".hb-tile[data-fact]")}
    assert set(facts) == {"stale teams", "distortion flags", "teams late with figures", "teams", "units", "targets",
                          "indicators"}
    late = facts["teams late with figures"]
    assert late.select_one("a")["href"] == "figures-due/"
    assert int(late.select_one(".hb-tile__n").get_text()) == len(derive_dues(analysis.hb).late_teams())
    for tile in facts.values():
        assert_link(site, "", tile.select_one("a"))
    assert int(facts["stale teams"].select_one(".hb-tile__n").get_text()) == 1
    assert int(facts["distortion flags"].select_one(".hb-tile__n").get_text()) == 1
    assert int(facts["teams"].select_one(".hb-tile__n").get_text()) == 4
    # Status counts are told apart from sizes, and say they count team-and-target pairs.
    note = text(home.select_one(".hb-glance-note"))
    assert "3 team results on 1 target" in note
    groups = [text(p) for p in home.select(".hb-glance-group__title")]
    assert groups == ["Needs a look", "The organization"]
    # The counts come before the big picture.
    assert home.select_one(".hb-glance").find_next(class_="hb-big-picture") is not None


# --- a team page's header --------------------------------------------------------------------------------------

def test_glance_items_say_each_status_flag_and_stale_data(analysis):
    hb = analysis.hb
    items = {t: derive_glance_items(hb.teams[t], analysis, Links("teams/x.md", {})) for t in hb.teams}
    kinds = {t: [i.kind for i in its] for t, its in items.items()}
    assert kinds == {"alpha": ["status", "distortion", "pace"], "beta": ["status", "stale"], "gamma": ["none"],
                     "delta": ["status", "pace"]}
    alpha = BeautifulSoup(items["alpha"][0].html, "html.parser")
    assert alpha.select_one(".hb-status")["data-status"] == "on track"
    assert "Cut waiting to 2 days" in alpha.get_text() and "2.6 days in 2024-10" in alpha.get_text()
    assert "Rework rate" in items["alpha"][1].html
    assert "5 periods behind" in items["beta"][1].html
    assert items["gamma"][0].html == "Carries no target yet."


@pytest.mark.build
def test_team_header_comes_before_any_chart_and_is_quiet_when_fresh(site):
    alpha = soup(site, "teams/alpha").select_one("article")
    header = alpha.select_one(".hb-team-glance")
    assert header.find_previous(class_="hb-chart") is None
    assert [li["class"][-1] for li in header.select("li")] == [
        "hb-team-glance__item--status", "hb-team-glance__item--distortion", "hb-team-glance__item--pace"]
    fresh = header.select_one(".hb-freshness")
    assert fresh.name == "p" and "admonition" not in fresh["class"]
    beta = soup(site, "teams/beta").select_one(".hb-team-glance")
    assert "warning" in beta.select_one(".hb-freshness")["class"]
    assert beta.select_one(".hb-team-glance__item--stale") is None  # said once, by the warning


@pytest.mark.build
def test_budget_shows_its_currency(site):
    facts = soup(site, "teams/alpha").select_one("dl.hb-facts--capacity")
    pairs = dict(zip([text(d) for d in facts.select("dt")], [text(d) for d in facts.select("dd")], strict=True))
    assert pairs["Budget"] == "125,000 EUR"


@pytest.mark.parametrize("value", ["euro", "EU", "€", "EURO", "eur"])
def test_a_currency_that_is_not_an_iso_code_is_an_error(tmp_path, org, value):
    bad = dict(org, **{"organization.yml": dict(org["organization.yml"], currency=value)})
    result = run_cli("check", data=write_org(tmp_path, bad))
    assert result.returncode == 1
    assert "organization.yml" in result.stdout + result.stderr
    assert "currency" in result.stdout + result.stderr
    assert "a currency code of three capital letters, e.g. EUR or USD" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


# --- index pages ---------------------------------------------------------------------------------------------

@pytest.mark.build
def test_teams_index_uses_the_same_status_symbols_and_words(site):
    items = {text(li.a): li for li in soup(site, "teams").select("ul.hb-team-list li")}
    alpha = items["Alpha Team"].select_one(".hb-status")
    assert alpha["class"][-1] == "hb-status--on-track" and text(alpha) == "▲ 1 on track"
    assert "carries no target" in text(items["Gamma Team"])


@pytest.mark.build
def test_glossary_opens_for_readers_and_the_reading_path_counts_its_words(site):
    glossary = soup(site, "onboarding/glossary").select_one("article")
    first = glossary.find("h1").find_next("p")
    assert "contributor" not in text(first).lower() and "anchor" not in text(first)
    terms = glossary.select("dl.hb-glossary:not(.hb-glossary--statuses) dt")
    assert len(terms) == len(GLOSSARY)
    path = text(soup(site, "onboarding").select_one("article"))
    assert f"the {len(GLOSSARY)} words" in path and "dozen" not in path


# --- the printed handbook ----------------------------------------------------------------------------------------

@pytest.mark.build
def test_the_printed_handbook_is_a_handbook(site, analysis):
    page = soup(site, "onboarding/print").select_one("article")
    assert text(page.find("h1")).rstrip(" ¶") == "Test Agency of Elsewhere: the performance handbook"
    cover = page.select_one(".hb-cover")
    assert "Figures up to 2024-10" in text(cover) and "Serve residents well." in text(cover)
    parts = [h["id"] for h in page.select("h2.hb-page")]
    assert parts == ["mission", "practices", "deficits", "targets", "team-statuses", "onboarding"]
    practices = page.find(id="practices").find_all_next("h3", id=lambda i: i and i.startswith("practice-"))
    assert len(practices) == 11
    assert page.find(id="practice-1").find_next("ul", class_="hb-checklist").select("li.hb-manual")
    targets = page.find(id="targets")
    assert targets.find_next("h3").get_text(strip=True).rstrip("¶") == "Cut waiting to 2 days"
    chain = targets.find_next("ol", class_="hb-chain")
    assert [text(s) for s in chain.select(".hb-chain__text")][-1] == "Serve residents well."
    assert page.find(id="deficit-slow") is not None
    summary = page.select_one("table.hb-summary")
    rows = summary.select("tbody tr:not(.hb-summary__unit)")
    assert len(rows) == len(analysis.statuses) + 1  # every pair, and gamma, which carries no target
    statuses = [r.select_one(".hb-status")["data-status"] for r in rows if r.select_one(".hb-status")]
    assert sorted(statuses) == sorted(s.status.value for s in analysis.statuses)
    assert page.find(id="term-ratchet") is not None  # the onboarding path follows, glossary included


def test_a_passed_deadline_is_a_header_item_with_its_result(tmp_path, org):
    late = dict(org, **{"targets.yml": [dict(org["targets.yml"][0], target={"period": "2024-06", "value": 2.0})]})
    a = derive_analysis(validate_data(write_org(tmp_path, late)))
    items = derive_glance_items(a.hb.teams["alpha"], a, Links("teams/alpha.md", {}))
    deadline = [i for i in items if i.kind == "deadline"]
    assert len(deadline) == 1
    node = BeautifulSoup(deadline[0].html, "html.parser")
    assert node.select_one(".hb-deadline")["data-met"] == "no"  # 3.6 days in 2024-06 against 2.0
    assert node.get_text() == "✘ Deadline passed (2024-06) on Cut waiting to 2 days: not met, 3.6 days against 2.0 days."
    assert [i.kind for i in items].index("deadline") < [i.kind for i in items].index("distortion")


def test_the_home_table_of_contents_starts_with_the_counts(site):
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    toc = [a.get_text(strip=True) for a in soup.select("nav.md-nav--secondary a.md-nav__link")]
    assert toc[:1] == ["At a glance"]
    # The counts' section is named by that heading.
    assert soup.select_one("section.hb-glance")["aria-labelledby"] == soup.select_one("h2#at-a-glance")["id"]


def test_search_does_not_list_the_print_version_again(site):
    import json

    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    locations = {d["location"].split("#")[0] for d in docs}
    assert "onboarding/print/" not in locations
    assert "onboarding/" in locations and "scoreboard/" in locations  # the pages it repeats are found themselves


def test_with_every_target_past_the_stale_teams_are_those_whose_pages_say_stale(tmp_path):
    # Five years after the newest figure every target is past. The teams' pages still say their figures are stale:
    # the home page counts them and the scoreboard lists them (not "No target is live", no missing tile).
    from macros.render.home import render_glance
    from macros.render.scoreboard import render_scoreboard
    from macros.render.teams import describe_team_freshness
    org = base_org()
    org["measurements"]["figures.csv"] = [("alpha", "wait-days", "2024-06", 4.0), ("beta", "rework", "2024-05", 3.0)]
    data = write_org(tmp_path, org, own_today=False)
    a = derive_analysis(validate_data(data, today=date(2029, 12, 5)))
    assert not a.live and a.past
    assert [t for t in a.hb.teams if describe_team_freshness(a, t)[1] == "Stale data"] == ["alpha", "beta"]
    glance = BeautifulSoup(render_glance(a, Links("index.md")), "html.parser")
    tile = glance.select_one('[data-fact="stale teams"]')
    assert tile is not None and tile.select_one(".hb-tile__n").get_text() == "2"
    assert glance.select_one('[data-fact="teams late with figures"]') is not None
    board = BeautifulSoup(render_scoreboard(a, Links("scoreboard.md")), "html.parser")
    stale = [li.get_text(" ", strip=True) for li in board.select(".hb-stale-teams li")]
    assert stale == ["Alpha Team : latest figures 2024-06, 64 periods behind",
                     "Beta Team : latest figures 2024-05, 65 periods behind"]
    assert "No team's figures are stale" not in board.get_text()
    # With live targets and current figures, no team is stale.
    live = derive_analysis(validate_data(data, today=date(2024, 7, 31)))
    assert live.live and not live.stale_teams
    assert 'data-fact="stale teams"' in render_glance(live, Links("index.md"))
