"""Escaping: hostile text in every data field is inert, shown as text, never markup, script or evaluated template.

End to end: one build of a hostile organization, read as HTML (every page, the theme's frame: title, header, footer)
and in a browser (charts, search, the scoreboard's filters). Escaping in single pages, macro by macro: the goldens
(tests/test_goldens.py) and test_pages, test_team_pages, test_diff, test_cli.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from browser import serve, wait_charts_drawn, watch
from conftest import build_ok
from orgs import base_org, monthly, write_org

SCRIPT = "<script>alert('xss')</script>"
IMG = "<img src=x onerror=alert(1)>"
IFRAME = '<iframe src="http://evil.example/"></iframe>'
JS_LINK = "[click me](javascript:alert(1))"
HANDLER = '<b onmouseover="alert(1)">bold</b>'
PIPE = "left | right | more"
JINJA = "{{ config.site_name }}"
JINJA_BLOCK = "{% for x in range(3) %}LOOP{% endfor %}"
HOSTILE = " ".join([SCRIPT, IMG, IFRAME, JS_LINK, HANDLER, PIPE, JINJA, JINJA_BLOCK])
# plotly.js reads chart text (axis titles, trace names, hover labels) as a small HTML subset: links, bold, italics.
PLOTLY_TAGS = '<a href="https://evil.example/">link</a> <i>italic</i> <sup>up</sup><br>next'


def hostile_org() -> dict:
    """The base organization with hostile text in every text field, list item and CSV note."""
    org = base_org()
    h = HOSTILE
    org["organization.yml"].update(name=f"Org {h}", mission=f"Mission {h}", big_picture=f"Picture {h}")
    for t in org["teams.yml"]:
        t.update(name=f"{t['name']} {h}", unit=f"{t['unit']} {h}", lead=f"Lead {h}", description=f"Desc {h}")
    for i in org["indicators.yml"]:
        i.update(name=f"{i['name']} {h} {PLOTLY_TAGS}", unit=f"u{h} {PLOTLY_TAGS}", description=f"Desc {h}",
                 source=f"Source {h}")
    for d in org["deficits.yml"]:
        d.update(title=f"{d['title']} {h}", description=f"Desc {h}")
    t = org["targets.yml"][0]
    t.update(title=f"{t['title']} {h}", owner=f"Owner {h}")
    t["theory"] = {"link": f"Link {h}", "chain": [f"Step one {h}", f"Step two {h}"], "assumptions": [f"Assume {h}"]}
    t["revisions"] = [{"date": "2024-03-01", "was": {"period": "2024-12", "value": 3}, "reason": f"Reason {h}"}]
    org["capacity.yml"] = [{"team": "alpha", "staff": 3, "resources": [f"Truck {h}"],
                            "needs": [{"need": f"Need {h}", "kind": "money", "status": "requested", "date": "2024-02-01"}]}]
    org["recognition.yml"] = [
        {"date": "2024-05-01", "team": "alpha", "kind": "recognition", "title": f"Title {h}", "target": "faster", "description": f"Desc {h}"},
        {"date": "2024-05-02", "team": "beta", "kind": "esteem", "title": f"Esteem {h}"},
    ]
    org["learning.yml"] = [{"date": "2024-05-03", "kind": "distortion-review", "title": f"Title {h}", "finding": f"Finding {h}",
                            "action": f"Action {h}", "targets": ["faster"], "indicators": ["rework"], "status": "open"}]
    for p in org["practices.yml"]:
        p.update(title=f"{p['title']} {h}", summary=f"Summary {h}")
        for item in p["checklist"]:
            item["text"] = f"{item['text']} {h}"
    rows = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4, 3]) + monthly("alpha", "rework", (2024, 1), [1, 2, 6, 7])
    rows += monthly("beta", "wait-days", (2024, 1), [6, 6, 6, 6])
    rows += monthly("alpha", "satisfaction", (2024, 1), [70, 72, 75])  # an indicator chart: its name is a trace name
    org["measurements"]["figures.csv"] = [(*r, f"note {h}") for r in rows]
    return org


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    data = write_org(root, hostile_org())
    return build_ok(data, root / "site")


def pages(site):
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_the_hostile_fixture_builds_and_has_pages(hostile_site):
    names = {str(p.relative_to(hostile_site)) for p in pages(hostile_site)}
    assert {"index.html", "teams/alpha/index.html", "targets/faster/index.html", "scoreboard/index.html"} <= names


def test_no_markup_from_data_reaches_any_page(hostile_site):
    for page in pages(hostile_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        where = page.relative_to(hostile_site)
        assert not soup.find("iframe"), where
        assert not soup.select('a[href*="evil.example"]'), where
        assert not soup.select("img[onerror], img[src=x]"), where
        for tag in soup.find_all(True):
            for attr, value in tag.attrs.items():
                assert not attr.lower().startswith("on"), f"{where}: <{tag.name} {attr}>"
                if attr in ("href", "src", "action", "formaction"):
                    assert not str(value).strip().lower().startswith("javascript:"), f"{where}: {tag.name} {attr}={value}"
        for script in soup.find_all("script"):
            assert "alert" not in (script.string or ""), f"{where}: script from data"
        for b in soup.find_all("b"):
            assert b.get_text() != "bold", f"{where}: <b> from data became markup"


def test_hostile_text_is_shown_as_text(hostile_site):
    for rel in ("index.html", "teams/alpha/index.html", "targets/faster/index.html", "learning/index.html",
                "practices/practice-1/index.html"):
        soup = BeautifulSoup((hostile_site / rel).read_text(encoding="utf-8"), "html.parser")
        text = soup.select_one("article").get_text(" ")
        assert "<script>alert('xss')</script>" in text, rel
        assert "{{ config.site_name }}" in text, rel  # shown literally, not evaluated
        assert "LOOP LOOP" not in text and "LOOPLOOP" not in text, rel


def test_pipes_do_not_break_tables(hostile_site):
    soup = BeautifulSoup((hostile_site / "scoreboard" / "index.html").read_text(encoding="utf-8"), "html.parser")
    for table in soup.select("article table"):
        widths = {len(tr.find_all(["td", "th"], recursive=False)) for tr in table.select("tr")}
        assert len(widths) == 1, widths


def test_chart_data_carries_hostile_text_as_data_only(hostile_site):
    soup = BeautifulSoup((hostile_site / "teams" / "alpha" / "index.html").read_text(encoding="utf-8"), "html.parser")
    charts = soup.select("[data-figure]")
    assert charts
    for chart in charts:
        figure = json.loads(chart["data-figure"])
        assert "data" in figure


def test_chart_text_from_data_reaches_plotly_as_entities(hostile_site):
    """plotly.js would draw `<b>`, `<i>`, `<a href>` in a title or trace name as markup: data text is escaped."""
    soup = BeautifulSoup((hostile_site / "teams" / "alpha" / "index.html").read_text(encoding="utf-8"), "html.parser")
    texts = []
    for chart in soup.select("[data-figure]"):
        figure = json.loads(chart["data-figure"])
        texts += [t.get("name", "") for t in figure["data"]]
        texts.append(figure["layout"].get("yaxis", {}).get("title", {}).get("text", ""))
    hostile = [t for t in texts if "evil.example" in t]
    assert hostile, texts
    for text in hostile:
        assert "<" not in text and ">" not in text, text
        assert "&lt;a href=" in text


# ---- in the browser: nothing from data runs or becomes an element -------------------------------------------

# Elements data could create if escaping failed; `b` covers plotly's bold, `a` its links (in HTML or in the SVG).
INJECTED = "iframe, img[onerror], img[src=x], script:not([src]):not([type]), [onmouseover], a[href*='evil.example'], " \
           "a[href^='javascript:']"


@pytest.fixture(scope="module")
def hostile_server(hostile_site):
    with serve(hostile_site) as base:
        yield base


@pytest.fixture
def page(browser, hostile_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watch(pg)
    yield pg
    context.close()


def _injected(pg, scope: str = "body") -> list[str]:
    return pg.evaluate(
        """([scope, sel]) => {
             const root = document.querySelector(scope);
             if (!root) return [];
             const found = [...root.querySelectorAll(sel)]
               .filter(e => !(e.localName === 'script' && /__md_|palette|__md_scope/.test(e.textContent)));
             const inline = [...root.querySelectorAll('script:not([src])')].filter(e => /alert/.test(e.textContent));
             return [...found.filter(e => e.localName !== 'script'), ...inline].map(e => e.outerHTML.slice(0, 200));
           }""",
        [scope, INJECTED],
    )


def _svg_markup(pg) -> list[str]:
    """Elements plotly made from tags in the text: links, and bold, italic or raised spans.

    Lines (`tspan[dy]`) count outside hover labels only: a long note's hover text is wrapped with line breaks of
    our own (charts.hover_note); that a `<br>` from data stays text there is tested in test_figures.py.
    """
    return pg.evaluate(
        """() => [...document.querySelectorAll('.hb-chart svg a, .hb-chart svg tspan[style*="font-weight"], '
                   + '.hb-chart svg tspan[style*="font-style"], .hb-chart svg tspan[dy]:not(.hoverlayer tspan)')]
               .map(e => e.outerHTML.slice(0, 200))"""
    )


@pytest.mark.browser
def test_hostile_team_page_runs_nothing_and_draws_text_as_text(page, hostile_server):
    page.goto(hostile_server + "teams/alpha/")
    wait_charts_drawn(page)
    # Hover every chart so plotly draws its hover labels (they carry the trace names) too.
    for chart in page.locator(".hb-chart").all():
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5)
        page.wait_for_timeout(50)
    assert page.dialogs == []
    assert _injected(page) == []
    assert _svg_markup(page) == []
    titles = page.evaluate("() => [...document.querySelectorAll('.hb-chart svg .ytitle')].map(t => t.textContent)")
    assert titles and all("<b onmouseover=" in t and '<a href="https://evil.example/">' in t for t in titles), titles
    assert page.errors == []


@pytest.mark.browser
def test_search_results_show_hostile_text_as_text(page, hostile_server):
    """Search the hostile site as a reader would; results quote the data, nothing in them runs or renders as markup.

    lunr splits words on spaces and hyphens only, so `alert` inside `<script>alert(...)` is no word of its own and
    finds nothing; `click` (from `[click me](javascript:alert(1))`) finds the pages that carry the hostile text.
    """
    page.goto(hostile_server + "teams/alpha/")
    box = page.locator("input.md-search__input")
    for query, expect_results in (("alert", False), ("click", True)):
        box.fill("")
        box.click()
        box.press_sequentially(query, delay=20)
        page.wait_for_function(
            "() => !/Type to start|Initializing/i.test(document.querySelector('.md-search-result__meta').textContent)",
            timeout=15000,
        )
        if expect_results:
            page.wait_for_selector(".md-search-result__item", timeout=15000)
            text = page.locator(".md-search-result__list").inner_text()
            assert "<script>alert('xss')</script>" in text or "alert" in text
        assert page.dialogs == []
        assert _injected(page, ".md-search-result") == []
        assert page.locator(".md-search-result b, .md-search-result i, .md-search-result sup").count() == 0
    # Following a result highlights the words on the page (search.highlight): still nothing runs.
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state("load")
    assert page.dialogs == []
    assert _injected(page) == []
    assert page.errors == []


def test_indicators_chart_and_hover_notes_reach_plotly_as_entities(hostile_site):
    """The Indicators page's cross-team chart names its lines by team, and every chart's hover text holds notes."""
    texts = []
    for rel in ("indicators/index.html", "teams/alpha/index.html"):
        soup = BeautifulSoup((hostile_site / rel).read_text(encoding="utf-8"), "html.parser")
        for chart in soup.select("[data-figure]"):
            for trace in json.loads(chart["data-figure"])["data"]:
                texts.append(trace.get("name", ""))
                texts += [h.replace("<br>", " ") for h in trace.get("hovertext", [])]
    assert any("Alpha Team" in t and "evil.example" in t for t in texts), texts  # a team's line, named
    notes = [t for t in texts if t.startswith("Note: ")]
    assert notes
    for text in [t for t in texts if "evil.example" in t]:
        assert "<" not in text and ">" not in text, text


@pytest.mark.browser
def test_hostile_indicators_page_draws_text_as_text(page, hostile_server):
    page.goto(hostile_server + "indicators/")
    wait_charts_drawn(page)
    for chart in page.locator(".hb-chart").all():
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.4)
        page.wait_for_timeout(50)
    assert page.dialogs == []
    assert _injected(page) == []
    assert _svg_markup(page) == []
    legend = page.evaluate("() => [...document.querySelectorAll('.hb-chart svg .legendtext')].map(t => t.textContent)")
    assert any("<script>alert('xss')</script>" in t for t in legend), legend
    assert page.errors == []


# ---- the newer pages and the organization's name in every page's frame -------------------------------------------

ORG_NAME = f"Org {HOSTILE}"


def _soup(site, rel):
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("rel", ["onboarding/print/index.html", "scoreboard/index.html", "indicators/index.html",
                                 "deficits/index.html", "onboarding/index.html", "targets/index.html",
                                 "briefing/index.html"])
def test_newer_pages_show_hostile_text_as_text(hostile_site, rel):
    text = _soup(hostile_site, rel).select_one("article").get_text(" ")
    assert SCRIPT in text and JINJA in text, rel
    assert "LOOP LOOP" not in text and "LOOPLOOP" not in text, rel


def test_no_text_or_attribute_is_escaped_twice(hostile_site):
    """Escaped once: a reader sees `<script>`, never `&lt;script&gt;` (nor a backslash from Markdown escaping)."""
    for page in pages(hostile_site):
        _escaped_once(page.read_text(encoding="utf-8"), page.relative_to(hostile_site))


def test_a_unit_s_briefing_book_is_escaped_once(tmp_path):
    # The one-unit book is rendered for the PDF only (macros/pdf.py), into the built briefing page: not a built page.
    from macros.pdf import unit_book_html
    data = write_org(tmp_path, hostile_org())
    unit = hostile_org()["teams.yml"][0]["unit"]
    frame = '<html lang="en"><body><article><div class="hb-bb" data-bb-edition="intranet">x</div></article></body></html>'
    book = unit_book_html(frame, data, unit)
    assert "Briefing book: " in book and SCRIPT in BeautifulSoup(book, "html.parser").get_text()
    _escaped_once(book, unit)


def _escaped_once(text, where):
    soup = BeautifulSoup(text, "html.parser")
    for s in soup.find_all(string=True):
        if s.parent.name not in ("script", "style"):
            assert "&lt;" not in s and "&amp;" not in s and "\\[" not in s and "\\|" not in s, (where, s[:120])
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            if attr != "data-figure":
                value = " ".join(value) if isinstance(value, list) else value
                assert "&lt;" not in value and "&amp;" not in value, (where, tag.name, attr, value[:120])


def test_the_organizations_name_is_text_in_the_title_header_and_footer(hostile_site):
    name = " ".join(ORG_NAME.split())
    for rel in ("index.html", "scoreboard/index.html", "onboarding/print/index.html", "404.html"):
        soup = _soup(hostile_site, rel)
        assert name in soup.title.get_text(), rel
        assert any(name in t.get_text(" ") for t in soup.select(".md-header__topic")), rel
        footer = soup.select_one(".md-copyright")
        assert footer is not None and not footer.find(["script", "iframe", "img", "b"]), rel
    cover = _soup(hostile_site, "onboarding/print/index.html").select_one("article h1")
    assert name in cover.get_text(), cover


def test_scoreboard_filters_and_home_counts_carry_no_data_in_code(hostile_site):
    """The filters read unit names as text (a heading's textContent) and match ids; the home's counts link by status."""
    import re

    slug = re.compile(r"[a-z0-9-]+")
    board = _soup(hostile_site, "scoreboard/index.html")
    units = board.select(".hb-board__unit, .hb-board__none")
    assert units
    for u in units:
        assert slug.fullmatch(u["data-unit"]), u["data-unit"]
        head = u.find_previous_sibling(re.compile("^h[1-6]$"))
        assert head is not None and SCRIPT in head.get_text(), u["data-unit"]  # the option's label, as text
    for a in board.select("[data-hb-board-units] a"):
        assert re.fullmatch(r"#unit-[a-z0-9-]+", a["href"]), a["href"]
    for td in board.select("td[data-status]"):
        assert td["data-status"] in ("met", "on track", "at risk", "off track", "stale", "no data"), td["data-status"]
    home = _soup(hostile_site, "index.html")
    for a in home.select(".hb-tile__link"):
        assert re.fullmatch(r"[a-z/-]*(\?status=[a-z-]+)?(#[a-z-]+)?", a["href"]), a["href"]


def test_generate_names_the_site_safely_for_an_engine_without_hooks(tmp_path):
    """`generate --engine mkdocs` writes site_name pre-escaped (themes print it raw, also inside attributes such as
    Material's logo `aria-label`): a quote in the organization's name must not end the attribute."""
    import os
    import subprocess
    import sys

    from conftest import ROOT, run_cli

    org = base_org()
    org["organization.yml"]["name"] = "City\" onmouseover=\"alert(1)\" x=' <b>y</b>"
    data = write_org(tmp_path / "org", org)
    out = tmp_path / "generated"
    result = run_cli("generate", str(out), "--engine", "mkdocs", "--config", str(ROOT / "mkdocs.yml"), data=data)
    assert result.returncode == 0, result.stderr
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1")
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")], cwd=out,
                           env=env, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-3000:]
    soup = BeautifulSoup((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert not soup.select("[onmouseover]") and not soup.select("[x]")
    logos = soup.select("a.md-logo[aria-label]")
    assert logos and all(a["aria-label"].startswith(org["organization.yml"]["name"]) for a in logos)
    # Escaped once in the page's title too (the name comes pre-escaped: the title template must not escape it again).
    assert soup.title.get_text().startswith(org["organization.yml"]["name"]), soup.title


@pytest.mark.browser
def test_hostile_scoreboard_filters_home_and_print_run_nothing(page, hostile_server):
    """The scoreboard's filters label units from their headings' text; the URL's filters (the home counts link to
    them) only select options. Hostile unit names and a hostile query string stay text; the home and print pages too."""
    from urllib.parse import quote

    page.goto(hostile_server + "scoreboard/?unit=" + quote(IMG) + "&status=" + quote('"><script>alert(2)</script>'))
    page.wait_for_selector("[data-hb-board] select[name=unit]")
    labels = page.evaluate("() => [...document.querySelectorAll('[data-hb-board] select[name=unit] option')]"
                           ".map(o => o.textContent)")
    assert len(labels) > 1 and all(SCRIPT in t for t in labels[1:]), labels
    assert page.evaluate("() => document.querySelector('[data-hb-board] select[name=unit]').value") == ""
    page.select_option("[data-hb-board] select[name=unit]", index=1)
    page.select_option("[data-hb-board] select[name=status]", "on-track")
    assert "Showing" in page.locator("[data-hb-board] output").inner_text()
    assert page.dialogs == [] and _injected(page) == []
    for rel in ("", "onboarding/print/"):
        page.goto(hostile_server + rel)
        page.wait_for_load_state("load")
        assert page.dialogs == [], rel
        assert _injected(page) == [], rel
    assert page.dialogs == []
    assert page.errors == []
