"""Headless Chromium on the built sample: manual checklist ticks persist (reload and instant navigation), print CSS."""

from __future__ import annotations

import re

import pytest

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
    page.goto(server + "practices/")
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
