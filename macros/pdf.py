"""Print the briefing book of a built site to PDF: `python -m macros.pdf [--site site] [--out FILE] [--unit NAME]`.

Headless Chromium (Debian's, driven by Playwright; never `playwright install`) opens the site's `briefing/` page
from a server on 127.0.0.1, every other request refused, waits until every chart has drawn, and prints it on A4
with the organization's name and the page number in every page's footer. The contents' page numbers are found by
printing once and reading, with pypdf, the page each contents link leads to; they are written in and the book is
printed again (the contents keep their length, so no page moves).

With `--unit`, the book of one unit (its summary, the targets its teams carry, its teams' pages) is rendered from
the data (the same data folder and edition the site was built from) into the built page's frame: a 1,000-team
organization gets a summary book and a book per unit, not one 5,000-page file.

Needs `requirements-pdf.txt` (Playwright, pypdf) and Chromium (`apt-get install chromium`). Nothing is fetched from
outside the machine.
"""

from __future__ import annotations

import argparse
import functools
import html
import os
import re
import sys
import threading
import time
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

from . import i18n
from .errors import DataError
from .render.briefing import BRIEFING_SRC, render_briefing
from .render.links import slugify
from .site import load_site

CHROMIUM = os.environ.get("HANDBOOK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
PAGE = "briefing/"
A4_WIDTH_PX = 688  # 182 mm (A4 less its margins) at 96 px per inch: the page and charts are laid out at the paper's width
MARGIN = {"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}
TIMEOUT_MS = 900_000  # a unit of 100 teams draws about 2,000 charts; a shared machine may take minutes
BOOK_START, BOOK_END = '<div class="hb-bb"', "</article>"


# (Material's instant navigation makes every link absolute: a link into this page is one to its own path and a #.)
_UNLINK = """() => document.querySelectorAll('a[href]').forEach(a => {
  const u = new URL(a.href, location.href);
  if (!(u.origin === location.origin && u.pathname === location.pathname && u.hash)) a.removeAttribute('href');
})"""


class PdfError(Exception):
    """The book cannot be printed (no built site, no Chromium, an unknown unit): a message, never a traceback."""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(site: Path):
    """Serve a built site on 127.0.0.1 from a thread; yield its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def footer(org: str, what: str) -> str:
    """Every page's footer: the organization, what the document is, and the page number (text from data escaped)."""
    number = i18n._("Page {page} of {total}").format(page='<span class="pageNumber"></span>',
                                                total='<span class="totalPages"></span>')
    return ('<div style="font-size:7pt;font-family:sans-serif;width:100%;margin:0 14mm;display:flex;'
            'justify-content:space-between;color:#333">'
            f"<span>{html.escape(org)} · {html.escape(what)}</span>"
            f"<span>{number}</span></div>")


def book_title(edition: str, unit: str | None) -> str:
    """What the document is, for its footer: "Briefing book (public edition): Parks"."""
    _ = i18n._
    if edition == "public":
        return (_("Briefing book (public edition): {unit}").format(unit=unit) if unit
                else _("Briefing book (public edition)"))
    return _("Briefing book: {unit}").format(unit=unit) if unit else _("Briefing book")


def site_language(page_html: str) -> str | None:
    """The language a built page is written in (its `<html lang>`), None when it does not say."""
    found = re.search(r'<html[^>]*\slang="([A-Za-z-]+)"', page_html)
    return found.group(1) if found else None


def section_pages(pdf: bytes) -> dict[str, int]:
    """Map each contents link's anchor (bb-...) to the 1-based page it leads to, read from the PDF's links."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    named = {}
    for name, dest in reader.named_destinations.items():
        try:
            named[str(name).lstrip("/")] = reader.get_destination_page_number(dest) + 1
        except Exception:  # noqa: BLE001, S112 - a destination without a page is left out
            continue
    return {k: v for k, v in named.items() if k.startswith("bb-")}


def unit_book_html(frame: str, data_dir: Path, unit: str) -> str:
    """The built briefing page with its book replaced by one unit's book (rendered from the data)."""
    found = re.search(r'<div class="hb-bb"[^>]*data-bb-edition="([a-z]+)"', frame)
    lang = re.search(r'<html lang="([A-Za-z0-9-]+)"', frame)
    # The edition and the language the site was built in.
    site = load_site(data_dir, edition=found.group(1) if found else None, language=lang.group(1) if lang else None)
    units = list(site.hb.units())
    match = unit if unit in units else next((u for u, s in site.unit_slug.items() if s == unit), None)
    if match is None:
        raise PdfError(f"--unit: expected a unit of data/teams.yml or its slug ({', '.join(site.unit_slug.values())}), "
                       f"found {unit!r}")
    book = render_briefing(site.analysis, site.checks, site.links(BRIEFING_SRC), site.edition, unit=match)
    start, end = frame.find(BOOK_START), frame.find(BOOK_END)
    if start < 0 or end < start:
        raise PdfError("the built briefing page holds no book: rebuild the site")
    return frame[:start] + book + frame[end:]


def print_book(site_dir: Path, out: Path, unit: str | None = None, data_dir: Path | None = None) -> dict:
    """Print the briefing book of the site built in site_dir to out; return pages, bytes and seconds."""
    started = time.perf_counter()
    laps: dict[str, float] = {}

    def lap(what: str) -> None:
        laps[what] = time.perf_counter() - started - sum(laps.values())

    page_file = site_dir / PAGE / "index.html"
    if not page_file.is_file():
        raise PdfError(f"{page_file}: not found. Build the site first (make build, or make build-public).")
    if not Path(CHROMIUM).exists():
        raise PdfError(f"{CHROMIUM}: not found. Install Debian's Chromium (apt-get install chromium).")
    try:
        import playwright.sync_api  # noqa: F401  (used by _print)
    except ImportError as exc:
        raise PdfError("Playwright is missing: pip install -r requirements-pdf.txt") from exc
    frame = page_file.read_text(encoding="utf-8")
    before = i18n.current()
    i18n.use(site_language(frame))  # a unit's book and the footer in the language the site was built in
    try:
        body = unit_book_html(frame, data_dir or Path("data"), unit) if unit is not None else None
        return _print(site_dir, out, body, unit, started, laps, lap)
    finally:
        i18n.use(before)


def _print(site_dir: Path, out: Path, body: str | None, unit: str | None, started: float, laps: dict, lap) -> dict:
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    with serve(site_dir) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": A4_WIDTH_PX, "height": 1123})

            def route(r):
                url = r.request.url
                if urlparse(url).hostname != "127.0.0.1" and not url.startswith(("data:", "blob:")):
                    blocked.append(url)
                    return r.abort()  # offline: nothing leaves the machine
                if body is not None and url.split("?")[0].split("#")[0] == base + PAGE:
                    return r.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)
                return r.continue_()

            page.route("**/*", route)
            page.emulate_media(media="print", color_scheme="light")  # paper is white, whatever the reader set
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(base + PAGE, wait_until="load")
            # The theme's `@page { margin: 25mm }` would win over the margins given to page.pdf.
            page.add_style_tag(content="@page { margin: " + " ".join(MARGIN[k] for k in ("top", "right", "bottom", "left"))
                                       + "; }")
            lap("load")
            page.wait_for_function(
                "() => [...document.querySelectorAll('.hb-bb .hb-chart')].every(n => n.querySelector('.main-svg'))",
                timeout=TIMEOUT_MS)
            page.evaluate("() => document.fonts.ready")
            lap("charts")
            # Links to the site's pages would lead to this temporary server from the PDF: keep their text only.
            # The contents' links (#bb-...) stay: they are the PDF's own links, and how the pages are found.
            page.evaluate(_UNLINK)
            org = page.eval_on_selector(".hb-bb", "n => n.dataset.bbOrg")
            edition = page.eval_on_selector(".hb-bb", "n => n.dataset.bbEdition")
            what = book_title(edition, unit)
            options = dict(format="A4", margin=MARGIN, print_background=True, display_header_footer=True,
                           header_template="<span></span>", footer_template=footer(org, what), outline=True,
                           tagged=True)
            # The first print only tells where each section starts: no outline or tags (a third faster).
            first = page.pdf(**{**options, "outline": False, "tagged": False})
            lap("first print")
            pages = section_pages(first)
            page.evaluate("pages => document.querySelectorAll('[data-bb-page]').forEach("
                          "n => { n.textContent = pages[n.dataset.bbPage] || ''; })", pages)
            pdf = page.pdf(**options)
            lap("second print")
        finally:
            browser.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    from pypdf import PdfReader

    return {"pages": len(PdfReader(out).pages), "bytes": len(pdf), "seconds": time.perf_counter() - started,
            "sections": pages, "laps": laps, "blocked": blocked}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.pdf", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    parser.add_argument("--out", type=Path, default=None, help="the PDF to write (default: SITE/handbook.pdf)")
    parser.add_argument("--unit", default=None, help="one unit's book (its name or slug)")
    parser.add_argument("--data", type=Path, default=None, help="the data the site was built from (for --unit)")
    args = parser.parse_args(argv)
    data_dir = args.data or Path(os.environ.get("HANDBOOK_DATA", "data"))
    out = args.out or args.site / (f"handbook-{slugify(args.unit)}.pdf" if args.unit else "handbook.pdf")
    try:
        done = print_book(args.site, out, args.unit, data_dir)
    except PdfError as exc:
        print(f"pdf: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a data error (--unit) prints its report; anything else, one line
        if isinstance(exc, DataError):
            print(str(exc), file=sys.stderr)
            return 1
        raise
    safe = re.sub(r"[\x00-\x1f]", "?", str(out))
    print(f"Wrote {safe}: {done['pages']} pages, {done['bytes'] / 1024:.0f} KiB in {done['seconds']:.1f} s")
    if done["blocked"]:  # the site asked for something outside the machine: refused, and said
        print(f"Refused {len(done['blocked'])} request(s) outside 127.0.0.1, the first to "
              f"{re.sub(r'[^A-Za-z0-9:/._-]', '?', done['blocked'][0][:200])}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
