"""Shared helpers for the headless-Chromium tests: serve a built site on 127.0.0.1 and launch Debian's Chromium.

Playwright drives the system Chromium (`apt-get install chromium`); `playwright install` is never used, it
downloads a browser. Without Chromium the browser tests are skipped locally and fail in CI (`CI=true`).
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
LOCAL_HOSTS = ("127.0.0.1",)


def require_chromium() -> None:
    """Skip the test when Chromium is missing, except in CI, where a missing browser is a failure."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed")


class SiteHandler(SimpleHTTPRequestHandler):
    """Serve the built site as if deployed at its `site_url`.

    Material's instant navigation only intercepts links to pages listed in sitemap.xml, whose URLs carry the
    `site_url` from mkdocs.yml; the sitemap is served with this server's origin instead.
    """

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

    def log_message(self, *args):  # keep test output clean
        pass


def goto_for_instant_navigation(page, url: str) -> None:
    """Open `url` and wait until a click on a link is instant navigation, not an ordinary page load.

    Material binds its click handler only once it has fetched sitemap.xml; a click before then loads the page
    the ordinary way (CI saw this once). The network settling means the sitemap is in.
    """
    page.goto(url)
    page.wait_for_load_state("networkidle")


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 from a thread; yield its base URL (ending in /)."""
    handler = type("Handler", (SiteHandler,), {})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    handler.origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield handler.origin + "/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def chromium():
    """Launch headless Chromium (skips or fails first when it is missing)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def is_outside(url: str) -> bool:
    """True for a request that leaves the test server (data: and blob: URLs stay inside the page)."""
    if url.startswith(("data:", "blob:", "about:")):
        return False
    return urlparse(url).hostname not in LOCAL_HOSTS


def watch(page) -> None:
    """Record the page's console errors, uncaught errors and dialogs on `page.errors` and `page.dialogs`."""
    page.errors = []
    page.dialogs = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))

    def on_dialog(d):
        page.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", on_dialog)


def wait_charts_drawn(page, timeout: int = 20000) -> None:
    """Wait until every `.hb-chart` on the page holds plotly's drawn SVG."""
    page.wait_for_function(
        "() => { const c = document.querySelectorAll('.hb-chart'); "
        "return c.length > 0 && [...c].every(n => n.querySelector('.main-svg')); }",
        timeout=timeout,
    )
