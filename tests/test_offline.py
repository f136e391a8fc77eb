"""An intranet with no internet: the sample builds without a network and every page is complete from its own origin.

The site is built inside a network namespace with no network (`unshare -rn`, where the kernel allows it) and
with every HTTP proxy pointing at a closed port, so a build step that downloads anything fails the build.
Then headless Chromium opens each page type with every request outside 127.0.0.1 aborted and recorded: no
such request may be attempted, charts are drawn, the theory chain is shown, search finds a word of the
mission, and the console stays free of errors. A static check reads the built files for remote resources.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from browser import is_outside, serve, wait_charts_drawn, watch
from conftest import ROOT

DEAD_PROXY = "http://127.0.0.1:9"


def _can_unshare_network() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory, sample_data) -> Path:
    """The sample site, built with no network at all (or, failing that, with every proxy dead)."""
    out = tmp_path_factory.mktemp("offline") / "site"
    env = dict(os.environ, HANDBOOK_DATA=str(sample_data), NO_MKDOCS_2_WARNING="1")
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        env[var] = DEAD_PROXY
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)]
    if _can_unshare_network():
        cmd = ["unshare", "-rn", *cmd]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"the build needs the network:\n{result.stderr[-4000:]}"
    return out


def test_the_build_uses_no_online_plugin():
    """Material's privacy plugin downloads at build time, its offline plugin adds an unpkg URL; fonts come from Google."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config.get("plugins", [])]
    assert not {"privacy", "material/privacy", "offline", "material/offline"} & set(names), names
    assert config["theme"].get("font") == "false", "theme.font must be false: otherwise pages load Google Fonts"


# ---- in the browser, with the outside world cut off ---------------------------------------------------------

PAGES = [
    "", "onboarding/", "onboarding/glossary/", "onboarding/print/", "practices/", "practices/practice-5/", "deficits/", "targets/",
    "targets/potholes-three-days/", "scoreboard/", "teams/", "teams/street-maintenance/", "units/public-works/",
    "indicators/", "learning/",
]


@pytest.fixture(scope="module")
def server(offline_site: Path):
    with serve(offline_site) as base:
        yield base


@pytest.fixture
def page(browser, server):
    """A page whose every request beyond 127.0.0.1 is aborted and recorded on `page.outside`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    outside: list[str] = []

    def gate(route):
        if is_outside(route.request.url):
            outside.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    context.route("**/*", gate)
    context.on("request", lambda r: outside.append(r.url) if is_outside(r.url) and r.url not in outside else None)
    pg = context.new_page()
    watch(pg)
    pg.outside = outside
    yield pg
    context.close()


@pytest.mark.browser
def test_every_page_type_is_complete_without_the_internet(page, server):
    problems = []
    for path in PAGES:
        response = page.goto(server + path, wait_until="load")
        if response is None or not response.ok:
            problems.append(f"{path}: HTTP {response and response.status}")
            continue
        if page.locator(".hb-chart").count():
            wait_charts_drawn(page)
            if page.locator(".hb-chart .main-svg").count() < page.locator(".hb-chart").count():
                problems.append(f"{path}: a chart was not drawn")
        # Material's own stylesheet and script arrived: the header is laid out and the search is wired up.
        if page.locator(".md-header").evaluate("e => getComputedStyle(e).position") not in ("sticky", "fixed"):
            problems.append(f"{path}: Material's stylesheet did not load")
        if page.evaluate("() => typeof document$ === 'undefined'"):
            problems.append(f"{path}: Material's script did not load")
        if page.outside:
            problems.append(f"{path}: requests outside the site: {page.outside}")
            page.outside.clear()
        if page.errors:
            problems.append(f"{path}: console errors: {page.errors}")
            page.errors.clear()
    page.wait_for_load_state("networkidle")
    assert page.outside == []
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_the_gate_catches_a_request_to_the_outside(page, server):
    """The harness itself: a request beyond 127.0.0.1 is recorded and fails, also from a worker."""
    page.goto(server)
    page.evaluate("() => fetch('https://unpkg.com/probe').catch(() => null)")
    page.evaluate("""() => new Promise(done => {
        const w = new Worker(URL.createObjectURL(new Blob(
          ["fetch('https://cdn.example.org/w').catch(() => null).finally(() => postMessage(1))"])));
        w.onmessage = () => done(); })""")
    assert "https://unpkg.com/probe" in page.outside
    assert "https://cdn.example.org/w" in page.outside


@pytest.mark.browser
def test_team_page_draws_every_chart(page, server):
    page.goto(server + "teams/street-maintenance/")
    wait_charts_drawn(page)
    charts = page.locator(".hb-chart")
    assert charts.count() >= 3
    # Every chart has plotted its points, not only its axes.
    drawn = page.evaluate("() => [...document.querySelectorAll('.hb-chart')]"
                          ".map(c => c.querySelectorAll('.scatterlayer .point').length)")
    assert all(n > 0 for n in drawn), drawn
    plotly = [u for u in page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
              if "plotly" in u]
    assert len(plotly) == 1 and plotly[0].startswith(server), plotly
    assert page.outside == [] and page.errors == []


@pytest.mark.browser
def test_theory_chain_is_shown(page, server, sample_data):
    page.goto(server + "targets/potholes-three-days/")
    chain = page.locator("ol.hb-chain")
    assert chain.is_visible()
    steps = chain.locator("li.hb-chain__step")
    assert steps.count() >= 3
    for i in range(steps.count()):
        box = steps.nth(i).bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0
    assert steps.first.get_attribute("class").endswith("--target")
    assert steps.last.get_attribute("class").endswith("--mission")
    mission = yaml.safe_load((sample_data / "organization.yml").read_text(encoding="utf-8"))["mission"]
    assert " ".join(mission.split()) in " ".join(steps.last.inner_text().split())
    assert page.outside == [] and page.errors == []


@pytest.mark.browser
def test_search_finds_a_word_of_the_mission(page, server, sample_data):
    mission = yaml.safe_load((sample_data / "organization.yml").read_text(encoding="utf-8"))["mission"]
    word = max(re.findall(r"[A-Za-z]{5,}", mission), key=len)
    page.goto(server + "scoreboard/")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(word, delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    assert page.locator(".md-search-result__item").count() > 0
    assert page.locator(".md-search-result mark").count() > 0
    assert word.lower() in page.locator(".md-search-result__list").inner_text().lower()
    assert page.outside == [] and page.errors == []


# ---- the built files reference nothing outside the site -----------------------------------------------------

# Remote addresses that exist in vendored code but are never requested by this site, and why.
KNOWN_DORMANT = {
    # Material's bundle: a polyfill fetched only where the browser lacks ResizeObserver (every supported one has it).
    "https://unpkg.com/resize-observer-polyfill": "material",
    # Material's bundle: Mermaid fetched only on a page with a Mermaid diagram (checked below: there is none).
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "material",
}
CDN = re.compile(r"https?://(?:[\w-]+\.)*(?:fonts\.googleapis\.com|fonts\.gstatic\.com|unpkg\.com|jsdelivr\.net|"
                 r"cdnjs\.cloudflare\.com|cdn\.[\w.-]+|ajax\.googleapis\.com|code\.jquery\.com)[^\s\"'`)]*")
LOADING_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "icon",
                "apple-touch-icon", "manifest"}


def _remote(url: str) -> bool:
    return url.strip().startswith(("http://", "https://", "//"))


def test_no_page_loads_anything_from_outside(offline_site):
    pages = [p for p in offline_site.rglob("*.html")]
    assert len(pages) > 40
    for page in pages:
        where = page.relative_to(offline_site)
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select("script[src], img[src], iframe[src], source[src], audio[src], video[src], embed[src]"):
            assert not _remote(tag["src"]), f"{where}: <{tag.name} src={tag['src']}>"
        for link in soup.select("link[href]"):
            rels = set(link.get("rel") or [])
            if rels & LOADING_RELS:
                assert not _remote(link["href"]), f"{where}: <link rel={' '.join(rels)} href={link['href']}>"
        for style in soup.select("style"):
            assert not re.search(r"(?:url\(|@import)\s*['\"]?(?:https?:)?//", style.get_text()), f"{where}: <style>"
        for tag in soup.select("[style]"):
            assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", tag["style"]), f"{where}: style={tag['style']}"
        # Material fetches Mermaid from unpkg for any Mermaid diagram: there must be none.
        assert not soup.select(".mermaid"), f"{where}: a Mermaid diagram would load Mermaid from unpkg"


def test_stylesheets_load_no_remote_fonts_or_imports(offline_site):
    sheets = list(offline_site.rglob("*.css"))
    assert sheets
    for sheet in sheets:
        text = sheet.read_text(encoding="utf-8")
        where = sheet.relative_to(offline_site)
        assert not re.search(r"@import\s+(?:url\()?\s*['\"]?(?:https?:)?//", text), f"{where}: remote @import"
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text), f"{where}: remote url()"
        assert not CDN.search(text), f"{where}: {CDN.search(text).group(0)}"


def test_scripts_name_no_cdn_but_known_dormant_ones(offline_site):
    found: dict[str, set[str]] = {}
    for script in offline_site.rglob("*.js"):
        for match in CDN.finditer(script.read_text(encoding="utf-8", errors="replace")):
            found.setdefault(match.group(0), set()).add(str(script.relative_to(offline_site)))
    unexpected = {url: where for url, where in found.items() if url not in KNOWN_DORMANT}
    assert not unexpected, f"scripts reference remote addresses: {unexpected}"
    # The dormant plotly address stays dormant: every figure on the site is a plain scatter or bar trace.
    for page in offline_site.rglob("*.html"):
        for chart in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("[data-figure]"):
            kinds = {t.get("type", "scatter") for t in json.loads(chart["data-figure"])["data"]}
            assert kinds <= {"scatter", "bar"}, f"{page}: {kinds}"


def test_the_vendored_plotly_holds_no_remote_default():
    """plotly's remote defaults (topojsonURL, plotlyServerURL) are blanked in the file; charts.js also sets one."""
    import importlib.util

    js = (ROOT / "docs" / "assets" / "js" / "charts.js").read_text(encoding="utf-8")
    config = re.search(r"var CONFIG = \{([^}]*)\}", js).group(1)
    url = re.search(r'topojsonURL:\s*"([^"]*)"', config).group(1)
    assert url and not _remote(url)
    bundle = (ROOT / "docs" / "assets" / "vendor" / "plotly" / "plotly-basic.min.js").read_text(encoding="utf-8")
    assert not CDN.findall(bundle)
    assert not re.findall(r'dflt:"(?:https?:)?//[^"]*"', bundle)  # no setting defaults to a remote address
    assert 'topojsonURL:{valType:"string",noBlank:!0,dflt:"./"}' in bundle
    spec = importlib.util.spec_from_file_location("patch_plotly", ROOT / "scripts" / "patch_plotly.py")
    patcher = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(patcher)
    assert patcher.patch(bundle) == bundle  # the committed bundle is the patched one, and patching is idempotent
    original = bundle.replace('dflt:"./"}', 'dflt:"https://cdn.plot.ly/un/"}').replace(patcher.MARK, "", 1)
    assert patcher.patch(original) == bundle
