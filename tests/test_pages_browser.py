"""Headless Chromium on the built sample: manual checklist ticks persist (reload and instant navigation), print CSS."""

from __future__ import annotations

import functools
import os
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]

pytestmark = pytest.mark.browser


class _Handler(SimpleHTTPRequestHandler):
    """Serve the site; rewrite sitemap URLs to this origin so Material's instant navigation intercepts links."""

    origin = ""

    def do_GET(self):
        if self.path.split("?")[0] != "/sitemap.xml":
            return super().do_GET()
        text = (Path(self.directory) / "sitemap.xml").read_text(encoding="utf-8")
        body = re.sub(r"<loc>https?://[^/<]+/", f"<loc>{self.origin}/", text).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(sample_site: Path):
    handler = type("Handler", (_Handler,), {})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(sample_site)))
    handler.origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield handler.origin + "/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


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
