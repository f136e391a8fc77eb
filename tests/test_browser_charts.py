"""Headless Chromium against the built sample site: charts drawn, sorting, instant navigation, no outside requests."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest

from browser import goto_for_instant_navigation

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, server):
    """A fresh page that records console errors, page errors and every request it makes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.requests = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()


def _outside(requests: list[str]) -> list[str]:
    return [u for u in requests if urlparse(u).hostname not in ("127.0.0.1",) and not u.startswith(("data:", "blob:"))]


def _wait_drawn(pg, count: int | None = None) -> None:
    pg.wait_for_function(
        "() => { const c = document.querySelectorAll('.hb-chart'); "
        "return c.length > 0 && [...c].every(n => n.querySelector('.main-svg')); }",
        timeout=20000,
    )
    if count is not None:
        assert pg.locator(".hb-chart").count() == count


def _trace_points(pg, index: int = 0) -> list[int]:
    """Return, for chart `index`, how many points each drawn trace has (read from plotly's state)."""
    return pg.evaluate(
        "(i) => document.querySelectorAll('.hb-chart')[i].data.map(t => t.x.length)", index
    )


def test_team_page_draws_every_chart(page, server, sample_site):
    page.goto(server + "teams/street-maintenance/")
    _wait_drawn(page)
    charts = page.locator(".hb-chart")
    n = charts.count()
    assert n >= 3
    assert page.locator(".hb-chart .main-svg").count() >= n
    # The first chart is the first target's: its actual trace carries exactly the figures in its data attribute.
    figure = json.loads(charts.first.get_attribute("data-figure"))
    expected = [len(t["x"]) for t in figure["data"]]
    assert _trace_points(page, 0) == expected
    actual = page.evaluate("() => document.querySelector('.hb-chart').querySelectorAll('.scatterlayer .trace')[0]"
                           ".querySelectorAll('.point').length")
    # A point per figure; the sample's missing month (a null) has none, and the line breaks there.
    ys = figure["data"][0]["y"]
    assert None in ys
    assert actual == len([y for y in ys if y is not None])
    pieces = page.evaluate("() => document.querySelector('.hb-chart').querySelectorAll('.scatterlayer .trace')[0]"
                           ".querySelectorAll('path.js-line').length")
    assert pieces == 2
    # Each chart's data table holds its figure: a row per period, the values at the indicator's precision, and
    # "no figure" for the missing month.
    table = page.locator(".hb-figure").first.locator("details.hb-chart__data table")
    rows = table.locator("tbody tr").evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.textContent))")
    assert [r[0] for r in rows] == figure["data"][0]["x"]
    assert [None if r[1] == "no figure" else float(r[1].replace(",", "")) for r in rows] == \
        pytest.approx(ys, abs=0.051)
    assert all(r[2] != "–" for r in rows)  # the trajectory column
    assert table.locator("th").all_text_contents()[0] == "Period"
    # plotly.js was loaded once, from the site itself.
    plotly = [u for u in page.requests if "plotly" in u]
    assert len(plotly) == 1 and plotly[0].startswith(server)
    assert page.errors == []
    assert _outside(page.requests) == []


def test_scoreboard_sorts_by_keyboard(page, server):
    page.goto(server + "scoreboard/")
    # The sortable table of every figure is folded under the grid: open it as a reader would.
    page.locator("details.hb-board__figures > summary").click()
    table = page.locator("table.hb-scoreboard")
    table.wait_for()
    page.wait_for_selector("table.hb-scoreboard[data-sort-ready] th button.hb-sort")
    status_th = table.locator("thead th").nth(2)
    button = status_th.locator("button")
    button.focus()
    page.keyboard.press("Enter")
    assert status_th.get_attribute("aria-sort") == "ascending"
    keys = table.locator("tbody tr td:nth-child(3)").evaluate_all("cells => cells.map(c => Number(c.dataset.sort))")
    assert keys == sorted(keys)
    page.keyboard.press("Enter")
    assert status_th.get_attribute("aria-sort") == "descending"
    keys = table.locator("tbody tr td:nth-child(3)").evaluate_all("cells => cells.map(c => Number(c.dataset.sort))")
    assert keys == sorted(keys, reverse=True)
    # The scoreboard has no chart, so plotly.js is not loaded there.
    assert not [u for u in page.requests if "plotly" in u]
    assert page.errors == []
    assert _outside(page.requests) == []


def test_instant_navigation_reaches_a_team_page_with_charts(page, server):
    goto_for_instant_navigation(page, server + "scoreboard/")
    page.wait_for_selector("[data-hb-board] select")
    page.evaluate("() => { window.__hbMarker = 'same-document'; }")
    page.locator("table.hb-grid a[href*='teams/']").first.click()
    page.wait_for_url("**/teams/**")
    _wait_drawn(page)
    # Still the same document: instant navigation swapped the content instead of loading a new page.
    assert page.evaluate("() => window.__hbMarker") == "same-document"
    assert page.locator(".hb-chart .main-svg").count() >= 1
    # Going on to another team page keeps plotly loaded once and draws that page's charts too.
    page.locator("a[href*='scoreboard']").first.click()
    page.wait_for_url("**/scoreboard/")
    page.go_back()
    page.wait_for_url("**/teams/**")
    _wait_drawn(page)
    assert len([u for u in page.requests if "plotly" in u]) == 1
    assert page.errors == []
    assert _outside(page.requests) == []


def test_dark_mode_redraws_charts(page, server):
    page.goto(server + "teams/contact-311/")
    _wait_drawn(page)
    light = page.evaluate("() => document.querySelector('.hb-chart')._fullLayout.font.color")
    page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_function(
        "(c) => document.querySelector('.hb-chart')._fullLayout.font.color !== c", arg=light, timeout=5000
    )
    assert page.errors == []


def test_print_shows_the_chart_and_its_summary_with_the_table_folded_away(page, server):
    # Since the glance issue the drawing prints (plotly draws SVG); the data table stays folded away.
    page.goto(server + "teams/permits/")
    _wait_drawn(page)
    page.emulate_media(media="print")
    assert page.locator(".hb-chart .main-svg").first.is_visible()
    assert page.locator(".hb-chart__summary").first.is_visible()
    assert not page.locator(".hb-chart__data table").first.is_visible()
