"""Headless Chromium on the built sample: "Report this period" copies its rows, after instant navigation too."""

from __future__ import annotations

import re

import pytest

from browser import goto_for_instant_navigation

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def test_copy_the_rows_after_instant_navigation(page, server):
    goto_for_instant_navigation(page, server + "figures-due/")
    page.evaluate("() => { window.__noReload = true; }")
    link = page.locator("table.hb-due-teams tbody tr a").first
    team = link.get_attribute("href").split("#")[0].rstrip("/").split("/")[-1]
    link.click()
    page.wait_for_url(re.compile(r"teams/[a-z0-9-]+/#report-this-period$"))
    assert page.evaluate("() => window.__noReload === true")  # instant navigation: no reload
    button = page.locator("button[data-hb-copy]")
    # Hidden without script; pages.js shows it once Material has swapped the page in (the address changes first).
    button.wait_for(state="visible", timeout=10_000)
    rows = page.locator(f"code#hb-rows-{team}").inner_text()
    assert rows.startswith(f"{team},")
    button.click()
    page.wait_for_function("() => document.querySelector('.hb-copy__done').textContent.length > 0")
    assert page.locator(".hb-copy__done").inner_text() == "Copied."
    assert page.evaluate("() => navigator.clipboard.readText()") == rows
    assert page.errors == []
