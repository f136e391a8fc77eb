"""Team pages, unit pages and the teams index, checked as parsed HTML from real builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pages import page_html, site_of
from test_goldens import render_all

from conftest import ROOT, build_ok
from macros.validate import validate_data
from orgs import base_org, monthly, odd_org, quarterly, write_org

pytestmark = pytest.mark.build


def org_with_figures(frequency: str = "monthly") -> dict:
    """The base fixture with figures: alpha improves while its rework worsens (a distortion flag), beta stops
    reporting (stale), gamma has no target and no figure."""
    org = base_org(frequency)
    rows = (quarterly if frequency == "quarterly" else monthly)
    start = (2024, 1)
    org["measurements"]["figures.csv"] = [
        *rows("alpha", "wait-days", start, [6.0, 5.6, 5.0, 4.4, 4.0, 3.6, 3.2, 3.0, 2.8, 2.6]),
        *rows("alpha", "rework", start, [3, 3, 4, 5, 6, 7, 8, 8, 9, 9]),
        *rows("alpha", "satisfaction", start, [70, 71, 72, 72, 74, 75, 75, 76, 77, 78]),
        *rows("alpha", "staff-hours", start, [100, 98, 97, 99, 101, 100, 102, 103, 104, 105]),
        *rows("beta", "wait-days", start, [7.0, 6.9, 6.8, 6.9, 7.0]),
    ]
    return org


def soup(site: Path, url: str) -> BeautifulSoup:
    path = site / url / "index.html" if not url.endswith(".html") else site / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(site: Path, url: str):
    return soup(site, url).select_one("article")


def figures(node) -> list[dict]:
    return [json.loads(div["data-figure"]) for div in node.select(".hb-chart")]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("teams")
    org = org_with_figures()
    org["teams.yml"].append({"id": "delta", "name": "Delta Team", "unit": "Outreach", "lead": "Delta lead"})
    return build_ok(write_org(root, org), root / "site")


def test_a_team_added_to_the_data_gets_its_page_unit_and_index_entry(site):
    # No file under docs/ names delta: its page, its unit's page and its index entry come from teams.yml alone.
    assert not list((ROOT / "docs").rglob("*delta*"))
    page = article(site, "teams/delta")
    assert page.h1.get_text(strip=True).rstrip("¶") == "Delta Team"
    unit = article(site, "units/outreach")
    assert [a.get_text() for a in unit.select("table.hb-unit-teams a")] == ["Delta Team"]
    index = article(site, "teams")
    assert "Delta Team" in [a.get_text() for a in index.select(".hb-team-list a")]
    nav = soup(site, "teams/delta").select_one("nav.md-nav--primary")
    assert "Outreach" in nav.get_text()


def test_team_page_shows_each_target_with_status_facts_and_chart(site):
    page = article(site, "teams/alpha")
    section = page.select_one("#target-faster")
    assert section is not None and section.name == "h3"
    facts = section.find_next("dl")
    pairs = dict(zip([dt.get_text() for dt in facts.select("dt")], [dd.get_text(" ", strip=True) for dd in facts.select("dd")], strict=True))
    assert pairs["Status"] == "▲ On track"  # 2.6 beats the trajectory's 6.0 - 4.0 * 9/11 = 2.73 at 2024-10
    assert pairs["Latest"] == "2.6 days in 2024-10"
    assert pairs["Baseline"] == "6.0 days in 2024-01"
    assert pairs["Target"] == "2.0 days by 2024-12"
    assert pairs["Expected now"] == "2.7 days"
    badge = facts.select_one(".hb-status")
    assert badge["data-status"] == "on track"
    assert badge.select_one("[aria-hidden=true]").get_text()  # a symbol as well as a word and a colour
    chart = section.find_next("figure").select_one(".hb-chart")
    assert chart["role"] == "img" and chart["aria-label"].startswith("2.6 days in 2024-10")
    figure = json.loads(chart["data-figure"])
    actual = next(t for t in figure["data"] if t["meta"] == "actual")
    assert actual["y"] == [6.0, 5.6, 5.0, 4.4, 4.0, 3.6, 3.2, 3.0, 2.8, 2.6]
    # The trajectory's value at each figure's period rides along for the data table (built by charts.js).
    assert actual["customdata"] == pytest.approx([6.0 - 4.0 * i / 11 for i in range(10)])
    details = section.find_next("figure").select_one("details.hb-chart__data")
    assert json.loads(details["data-columns"]) == ["Period", "Actual (days)", "Trajectory"]
    assert "(10 rows)" in details.summary.get_text()
    assert details.select_one(".hb-chart__csv a")["href"] == "../../downloads/teams/alpha.csv"
    # Links to the target's own page and its deficit.
    hrefs = [a["href"] for a in facts.select("a")]
    assert "../../targets/faster/" in hrefs and "../../deficits/#deficit-slow" in hrefs


def test_distortion_flag_is_stated_in_words_with_the_guardrail_chart(site):
    page = article(site, "teams/alpha")
    flag = page.select_one(".hb-distortion")
    assert flag is not None and "Distortion flag raised" in flag.get_text()
    assert "Rework rate" in flag.get_text()
    grid = page.select_one("#guardrails-faster").find_next("div", class_="hb-chart-grid")
    guard = figures(grid)
    assert len(guard) == 1
    limit = next(t for t in guard[0]["data"] if t["meta"] == "limit")
    assert limit["y"] == [5, 5]  # rework started at 3; lower is better, tolerance 2
    assert "distortion flag" in grid.select_one("figcaption").get_text()


def test_other_indicators_are_small_charts_and_charted_indicators_are_not_repeated(site):
    page = article(site, "teams/alpha")
    grid = page.select_one("#indicators").find_next("div", class_="hb-chart-grid")
    titles = [p.get_text() for p in grid.select(".hb-figure__title")]
    assert titles == ["Satisfaction", "Staff hours"]  # wait-days and rework are charted with the target
    assert all("hb-chart--small" in c["class"] for c in grid.select(".hb-chart"))
    assert len(page.select(".hb-chart")) == 4


def test_stale_team_is_called_out_in_words(site):
    page = article(site, "teams/beta")
    fresh = page.select_one(".hb-freshness")
    assert "warning" in fresh["class"]
    assert "Stale: this team's latest figures are for 2024-05, 5 periods behind" in fresh.get_text()
    badge = page.select_one("#target-faster").find_next("dl").select_one(".hb-status")
    assert badge["data-status"] == "stale"


def test_team_without_targets_or_figures_still_gets_a_complete_page(site):
    page = article(site, "teams/gamma")
    text = page.get_text(" ")
    assert "carries no target" in text
    assert "No figures reported yet" in text
    assert page.select(".hb-chart") == []
    assert page.select_one(".hb-freshness").get_text().startswith("No figures yet")
    assert page.select_one(".md-typeset .hb-md").get_text(strip=True) == "Has no targets."
    csv_link = page.select_one(".hb-downloads a")["href"]
    assert (site / "teams" / "gamma" / csv_link).resolve().is_file()


def test_checklist_shows_the_checks_that_name_the_team(site):
    page = article(site, "teams/gamma")
    rows = {tr.select("td")[1].get_text(): tr.select("td")[2].get_text(" ", strip=True)
            for tr in page.select("table.hb-team-checks tbody tr")}
    several = [v for k, v in rows.items() if "three indicators" in k]
    assert several and several[0].startswith("✘ Fails") and "reports 0 indicators" in several[0]
    capacity = [v for k, v in rows.items() if "capacity" in k.lower()]
    assert capacity and "Not applicable" in capacity[0]
    alpha = {tr.select("td")[1].get_text(): tr.select("td")[2].get_text(" ", strip=True)
             for tr in article(site, "teams/alpha").select("table.hb-team-checks tbody tr")}
    assert any("no capacity record" in v for v in alpha.values())


def test_figures_live_in_data_attributes_never_in_inline_scripts(site):
    page = article(site, "teams/alpha")
    assert page.select("script") == []
    for fig in figures(page):
        assert set(fig) == {"data", "layout"}
        assert "template" not in fig["layout"]  # the shared template is applied by charts.js


def test_unit_page_lists_teams_with_status_summary(site):
    page = article(site, "units/operations")
    assert page.h1.get_text(strip=True).rstrip("¶") == "Operations"
    rows = page.select("table.hb-unit-teams tbody tr")
    assert [r.select_one("a").get_text() for r in rows] == ["Alpha Team", "Beta Team"]
    beta = rows[1].get_text(" ", strip=True)
    assert "1 stale" in beta and "2024-05" in beta


def test_teams_index_is_a_compact_list_by_unit(site):
    page = article(site, "teams")
    units = [h.get_text(strip=True).rstrip("¶") for h in page.select("h2")]
    assert units == ["Operations", "Support", "Outreach"]
    lists = page.select("ul.hb-team-list")
    assert [len(ul.select("li")) for ul in lists] == [2, 1, 1]
    assert page.select(".hb-chart") == []


def test_hostile_team_text_is_shown_as_text(tmp_path):
    org = org_with_figures()
    org["teams.yml"][0]["name"] = "<script>alert(1)</script> {{ config }} | pipe"
    org["teams.yml"][0]["description"] = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) {% raw %}"
    site = build_ok(write_org(tmp_path, org), tmp_path / "site")
    page = article(site, "teams/alpha")
    assert page.h1.get_text().rstrip("¶") == "<script>alert(1)</script> {{ config }} | pipe"
    assert page.select("script") == [] and page.select("img") == []
    assert not [a for a in page.select("a") if a.get("href", "").startswith("javascript")]


def test_quarterly_organization_has_quarter_labels(tmp_path):
    page = BeautifulSoup(page_html(site_of(write_org(tmp_path, org_with_figures("quarterly"))), "team_page",
                                   "teams/alpha.md", "alpha"), "html.parser")
    fig = figures(page)[0]
    actual = next(t for t in fig["data"] if t["meta"] == "actual")
    assert actual["x"][:5] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1"]
    assert fig["layout"]["shapes"][0]["x0"] == "2025-Q4"


def test_sample_team_pages_are_small_and_carry_only_their_own_charts(sample_site):
    pages = sorted((sample_site / "teams").glob("*/index.html"))
    assert len(pages) >= 10
    for path in pages:
        size = path.stat().st_size
        assert size < 150_000, f"{path.parent.name}: {size} bytes"
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article")
        charts = page.select(".hb-chart")
        team = path.parent.name
        assert charts, f"{team} has no chart"
        for c in charts:
            assert c["aria-label"] and c.find_next("figcaption").get_text() == c["aria-label"]
        # Every figure on the page is this team's: its actual values are this team's figures.
        csv_text = (sample_site / "downloads" / "teams" / f"{team}.csv").read_text(encoding="utf-8")
        own = {float(line.split(",")[3]) for line in csv_text.splitlines()[1:]}
        for fig in figures(page):
            for trace in fig["data"]:
                if trace["meta"] == "actual":
                    assert set(trace["y"]) - {None} <= own  # None: a period with no figure (a gap in the line)


@pytest.mark.parametrize("src", ["teams/alpha.md", "units/operations.md", "scoreboard.md", "teams/index.md", "index.md"])
@pytest.mark.parametrize("directory_urls", [True, False])
def test_hrefs_reach_the_same_pages_as_links(src, directory_urls):
    import posixpath

    from macros.render.links import Links, page_url

    links = Links(src, {"Operations": "operations"}, directory_urls)
    h = links.html
    here = posixpath.dirname(page_url(src, directory_urls))

    def resolve(url: str) -> str:
        path, _, anchor = url.partition("#")
        return posixpath.normpath(posixpath.join(here, path)) + "#" + anchor

    pairs = [
        (h.team("beta"), links.href(links.team("beta"))),
        (h.target("faster"), links.href(links.target("faster"))),
        (h.practice(9), links.href(links.practice(9))),
        (h.unit("Operations"), links.href(links.unit("Operations"))),
        (h.deficit("slow"), links.href(links.deficit("slow"))),
        (h.indicator("rework"), links.href(links.indicator("rework"))),
        (h.page("scoreboard.md"), links.href(links.to("scoreboard.md"))),
    ]
    for mine, theirs in pairs:
        assert resolve(mine) == resolve(theirs), (mine, theirs)


def test_search_finds_a_team_by_its_unit_lead_and_description_not_by_its_charts(site):
    import json

    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    beta = [d for d in docs if d["location"].startswith("teams/beta/")]
    assert beta and beta[0]["title"] == "Beta Team"
    words = " ".join(BeautifulSoup(d["text"], "html.parser").get_text(" ") for d in beta)
    assert "Beta lead" in words and "Operations" in words  # the facts
    assert "wait-days" not in words and "2024-03" not in words  # charts and their tables stay out of the index


def test_blank_lines_in_multi_line_fields_render(tmp_path):
    """Descriptions, explanations and reasons may span paragraphs: check accepts them and every page renders them."""
    org = base_org()
    para = "First paragraph.\n\n\nSecond paragraph with a | pipe.\n\n- a list\n"
    org["organization.yml"].update(mission="Serve\n\nwell.", big_picture=para)
    for t in org["teams.yml"]:
        t["description"] = para
    org["indicators.yml"][0].update(description=para, source=para)
    org["deficits.yml"][0]["description"] = para
    t = org["targets.yml"][0]
    t["theory"]["link"] = para
    t["revisions"] = [{"date": "2024-03-01", "was": {"period": "2024-12", "value": 3}, "reason": para}]
    org["learning.yml"] = [{"date": "2024-05-03", "kind": "insight", "title": "T", "finding": para, "action": para}]
    org["recognition.yml"] = [{"date": "2024-05-01", "team": "alpha", "kind": "esteem", "title": "T", "description": para}]
    org["practices.yml"][0]["summary"] = para
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4])
    data = write_org(tmp_path, org)
    validate_data(data)
    assert render_all(data)  # every page macro of every page (tests/test_goldens.py), without a build
    page = page_html(site_of(data), "team_page", "teams/alpha.md", "alpha")
    assert "Second paragraph with a | pipe." in page


def test_a_team_with_no_figures_says_so(tmp_path):
    site = site_of(write_org(tmp_path, odd_org()))
    article = BeautifulSoup(page_html(site, "team_page", "teams/silent.md", "silent"), "html.parser")
    statuses = [" ".join(s.get_text(" ", strip=True).split()).lower() for s in article.select(".hb-status")]
    assert statuses and all("no data" in s for s in statuses), statuses
    assert not article.select("details.hb-chart__data")  # no empty data tables
