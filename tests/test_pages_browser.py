"""Headless Chromium on the built sample: manual checklist ticks persist (reload and instant navigation), print CSS."""

from __future__ import annotations

import re

import pytest

from browser import goto_for_instant_navigation

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def _first_box(pg):
    return pg.locator("input[data-hb-item]").first


def test_tick_survives_reload(page, server):
    page.goto(server + "practices/practice-1/")
    box = _first_box(page)
    item = box.get_attribute("data-hb-item")
    assert not box.is_checked()
    box.check()
    assert page.evaluate("(k) => localStorage.getItem('handbook.checklist.' + k)", item) == "1"
    page.reload()
    assert _first_box(page).is_checked()
    _first_box(page).uncheck()
    page.reload()
    assert not _first_box(page).is_checked()
    assert page.errors == []


def test_ticks_work_after_instant_navigation(page, server):
    goto_for_instant_navigation(page, server + "practices/")
    page.evaluate("() => { window.__noReload = true; }")
    page.locator("a.hb-practice-card__title").nth(1).click()
    page.wait_for_url(re.compile(r"practices/practice-2/$"))
    # instant navigation swapped the page without a reload, and pages.js bound the new page's boxes
    assert page.evaluate("() => window.__noReload === true")
    box = _first_box(page)
    item = box.get_attribute("data-hb-item")
    box.check()
    assert page.evaluate("(k) => localStorage.getItem('handbook.checklist.' + k)", item) == "1"
    page.go_back()
    page.wait_for_url(re.compile(r"practices/$"))
    page.locator("a.hb-practice-card__title").nth(1).click()
    page.wait_for_url(re.compile(r"practices/practice-2/$"))
    assert _first_box(page).is_checked()
    assert page.errors == []


def test_print_page_hides_site_chrome(page, server):
    page.goto(server + "onboarding/print/")
    assert page.locator(".md-header").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator("[data-hb-print]").is_visible()
    assert page.locator("#term-ratchet").is_visible()


def _pages(site) -> list[str]:
    """Every page of a built site, as its address relative to the site's root ('' for home)."""
    return sorted("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
                  if "assets" not in p.parts)


def test_no_page_scrolls_sideways_on_a_phone_and_notes_show_without_hover(browser, server, sample_site):
    # 390 px: a phone. Wide tables (a target's status by team is 540-800 px wide) scroll inside their own box.
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    pg = context.new_page()
    pages = _pages(sample_site)
    assert len(pages) > 40 and "targets/potholes-three-days/" in pages
    wide = {}
    notes_seen = 0
    for address in pages:
        pg.goto(server + address)
        width = pg.evaluate("() => document.documentElement.scrollWidth")
        if width > 390:
            wide[address] = width
        # Every note printed under a chart is on screen as text, no hover: visible, inside the viewport's width.
        for note in pg.locator(".hb-chart__notes li").all():
            assert note.is_visible(), address
            box = note.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (address, box)
            notes_seen += 1
    context.close()
    assert wide == {}
    assert notes_seen > 0  # the sample's figures carry notes
