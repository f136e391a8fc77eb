"""Accessibility of the built sample: axe-core in headless Chromium, light and dark mode, plus structural checks.

axe-core (bundled by PyPI `axe-playwright-python`) runs on each page type after its charts are drawn; a
violation of impact serious or critical fails the test and is printed with its rule, impact and target nodes.
Dark mode is switched the way a reader does it, by clicking the palette toggle in the header.
The structural checks (status words, chart descriptions, heading order) read every built page.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser import wait_charts_drawn, watch

PAGES = {
    "home": "",
    "practice": "practices/practice-1/",
    "team": "teams/street-maintenance/",
    "scoreboard": "scoreboard/",
    "target": "targets/potholes-three-days/",
    "onboarding": "onboarding/",
    "targets": "targets/",
    "teams": "teams/",
    "print": "onboarding/print/",
    "briefing": "briefing/",
    "indicators": "indicators/",  # a chart per indicator, across teams
    "figures due": "figures-due/",
    "late team": "teams/business-licensing/",  # Report this period with rows late, a copy button
}
BLOCKING = ("serious", "critical")


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watch(pg)
    yield pg
    context.close()


def _axe(pg, context: object = None) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(pg, context=context).response["violations"]


def _blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]


def _report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:8]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {node['target']}: {summary[:300]}")
    return "\n".join(lines)


def _has_charts(pg) -> bool:
    return pg.locator(".hb-chart").count() > 0


def _chart_font(pg) -> str:
    return pg.evaluate("() => document.querySelector('.hb-chart')._fullLayout.font.color")


def _switch_to_dark(pg) -> None:
    """Click the header's palette toggle, as a reader would, and wait until the charts are redrawn."""
    assert pg.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "default"
    before = _chart_font(pg) if _has_charts(pg) else None
    toggle = pg.locator("[data-md-component=palette] label:visible")
    assert toggle.count() == 1
    assert toggle.get_attribute("title") == "Switch to dark mode"
    toggle.click()
    pg.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'", timeout=5000)
    if before is not None:
        pg.wait_for_function("(c) => document.querySelector('.hb-chart')._fullLayout.font.color !== c",
                             arg=before, timeout=5000)


def _scheme(pg) -> str:
    return pg.evaluate("() => document.body.getAttribute('data-md-color-scheme')")


@pytest.mark.browser
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_violation_in_light_and_dark_mode(page, server, name):
    page.goto(server + PAGES[name])
    if _has_charts(page):
        wait_charts_drawn(page)
    found = {}
    assert _scheme(page) == "default"
    found["light"] = _axe(page)
    _switch_to_dark(page)
    assert _scheme(page) == "slate"
    found["dark"] = _axe(page)
    for scheme, violations in found.items():
        if violations:
            print(f"axe on {name} ({scheme}):\n{_report(violations)}")
    failures = {scheme: _blocking(v) for scheme, v in found.items() if _blocking(v)}
    assert not failures, "\n".join(f"axe on {name} ({scheme}):\n{_report(v)}" for scheme, v in failures.items())
    assert page.errors == []


@pytest.mark.browser
def test_dark_mode_choice_persists_to_the_next_page(page, server):
    page.goto(server + PAGES["practice"])
    _switch_to_dark(page)
    page.goto(server + PAGES["target"])
    assert _scheme(page) == "slate"
    toggle = page.locator("[data-md-component=palette] label:visible")
    assert toggle.get_attribute("title") == "Switch to light mode"
    toggle.click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'", timeout=5000)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_search_with_results_has_no_serious_violation(page, server, scheme):
    """The search dialog, open with results, has an accessible name and passes axe (stock Material does not)."""
    page.goto(server)
    if scheme == "dark":
        _switch_to_dark(page)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("street", delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    # Let the last keystroke's results settle and no result sit under the pointer (hover changes its background).
    page.mouse.move(0, 0)
    page.wait_for_timeout(500)
    dialog = page.locator(".md-search[role=dialog]")
    assert dialog.get_attribute("aria-label")
    blocking = _blocking(_axe(page, context=".md-search"))
    assert not blocking, _report(blocking)


@pytest.mark.browser
def test_footer_copyright_has_enough_contrast(page, server):
    """An organization that sets `copyright:` gets Material's footer line; stock Material gives it 4.47:1."""
    page.goto(server + PAGES["onboarding"])
    # What Material renders for `copyright:` plus its "Made with" line (generator: true).
    page.evaluate(
        """() => { document.querySelector('.md-copyright').innerHTML =
             '<div class="md-copyright__highlight">Copyright 2025 City of Lakemont</div>' +
             'Made with <a href="#" target="_blank" rel="noopener">Material for MkDocs</a>'; }"""
    )
    for scheme in ("light", "dark"):
        if scheme == "dark":
            _switch_to_dark(page)
        contrast = [v for v in _axe(page, context=".md-footer") if v["id"] == "color-contrast"]
        assert not contrast, f"{scheme}: {_report(contrast)}"


# ---- structure: every built page ----------------------------------------------------------------------------


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


@pytest.fixture(scope="module")
def soups(sample_site: Path) -> dict[str, BeautifulSoup]:
    return {str(p.relative_to(sample_site)): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
            for p in _pages(sample_site)}


def test_every_status_colour_comes_with_a_word(soups):
    seen = 0
    for where, soup in soups.items():
        for node in soup.select(".hb-status"):
            seen += 1
            text = node.get_text(" ", strip=True)
            assert any(ch.isalpha() for ch in text), f"{where}: status shown by colour only: {node}"
    assert seen > 50  # the scoreboard alone shows dozens


def test_every_chart_is_an_image_with_a_label_and_a_visible_summary(soups):
    seen = 0
    for where, soup in soups.items():
        for chart in soup.select(".hb-chart"):
            seen += 1
            assert chart.get("role") == "img", where
            label = chart.get("aria-label", "").strip()
            assert label, f"{where}: chart without aria-label"
            figure = chart.find_parent("figure")
            assert figure is not None, f"{where}: chart outside a <figure>"
            caption = figure.select_one("figcaption.hb-chart__summary")
            assert caption is not None and caption.get_text(strip=True) == label, where
            described = chart.get("aria-describedby")
            if described:
                assert soup.find(id=described) is not None, f"{where}: aria-describedby={described} points nowhere"
            # The figures themselves are reachable as a table (or its CSV) without the drawing.
            points = sum(len(t.get("x", [])) for t in json.loads(chart["data-figure"])["data"] if t.get("meta") == "actual")
            if points:
                assert figure.select_one("details.hb-chart__data") is not None, f"{where}: chart without its data"
    assert seen > 20


def test_headings_are_in_order_on_every_page(soups):
    for where, soup in soups.items():
        article = soup.select_one("article")
        assert article is not None, where
        headings = article.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
        assert headings and headings[0].name == "h1", f"{where}: the first heading is not h1"
        assert len(article.find_all("h1")) == 1, f"{where}: more than one h1"
        previous = 1
        for h in headings:
            level = int(h.name[1])
            assert level <= previous + 1, f"{where}: h{previous} is followed by h{level} ({h.get_text(strip=True)!r})"
            previous = level


def test_table_headers_are_not_empty(soups):
    for where, soup in soups.items():
        for th in soup.select("article th"):
            assert th.get_text(strip=True) or th.get("aria-label"), f"{where}: empty table header {th}"
