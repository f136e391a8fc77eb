"""Navigation: teams grouped by unit; above nav_limit, team and target pages leave the navigation."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from test_build import build_project, copy_project

from conftest import ROOT, build_ok
from orgs import (
    ACCENTS,
    ARABIC,
    EMOJI,
    HEBREW,
    LONG_TEAM,
    LONG_UNIT,
    UNIT_EMOJI,
    UNIT_RTL,
    base_org,
    odd_org,
    write_org,
)


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory):
    """One build of orgs.odd_org(): the base organization's teams and units plus Unicode and 300-character names."""
    root = tmp_path_factory.mktemp("odd")
    return build_ok(write_org(root, odd_org()), root / "site")


def squash(text: str) -> str:
    return " ".join(text.split())


def nav_links(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [a["href"] for a in soup.select("nav.md-nav--primary a.md-nav__link[href]")]


def test_small_org_lists_teams_under_their_unit(odd_site):
    soup = BeautifulSoup((odd_site / "teams" / "alpha" / "index.html").read_text(encoding="utf-8"), "html.parser")
    active = soup.select_one("nav.md-nav--primary li.md-nav__item--active.md-nav__item--nested")
    assert active is not None
    labels = [a.get_text(" ", strip=True) for a in soup.select("nav.md-nav--primary a.md-nav__link")]
    assert "Alpha Team" in labels and "Beta Team" in labels


def test_large_org_keeps_teams_out_of_every_page_nav(tmp_path):
    project = copy_project(tmp_path / "project")
    config = (project / "mkdocs.yml").read_text().replace("nav_limit: 60", "nav_limit: 1")
    assert "nav_limit: 1\n" in config
    (project / "mkdocs.yml").write_text(config)
    org = base_org()
    org["teams.yml"][2]["name"] = "Gamma {{ config.site_name }} <b>x</b>"
    result = build_project(project, write_org(project, org))
    assert result.returncode == 0, result.stderr[-3000:]
    site = project / "site"
    team_html = (site / "teams" / "alpha" / "index.html").read_text(encoding="utf-8")
    links = nav_links(team_html)
    assert not any("teams/alpha" in h or "teams/beta" in h for h in links)
    assert not any("targets/faster" in h for h in links)
    unit_html = (site / "units" / "operations" / "index.html").read_text(encoding="utf-8")
    assert "../support/" in nav_links(unit_html)
    # Reached from the unit page instead, with the title from data shown as text.
    soup = BeautifulSoup((site / "units" / "support" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert any(a["href"].rstrip("/").endswith("teams/gamma") for a in soup.select("article a[href]"))
    gamma = BeautifulSoup((site / "teams" / "gamma" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert gamma.title.get_text().startswith("Gamma {{ config.site_name }} <b>x</b>")
    assert gamma.select("article b") == [] or all(b.get_text() != "x" for b in gamma.select("article b"))


def test_nav_limit_is_documented_in_mkdocs_yml():
    assert "nav_limit:" in (ROOT / "mkdocs.yml").read_text()


def test_pages_outside_the_nav_share_one_rendering_of_it_and_every_link_still_resolves(tmp_path):
    """The navigation and tabs of pages outside the navigation are rendered once per folder and reused."""
    import os
    import posixpath

    outputs = {}
    for cache in ("1", "0"):
        project = copy_project(tmp_path / f"cache-{cache}")
        config = (project / "mkdocs.yml").read_text().replace("nav_limit: 60", "nav_limit: 1")
        (project / "mkdocs.yml").write_text(config)
        os.environ["HANDBOOK_NAV_CACHE"] = cache
        try:
            result = build_project(project, write_org(project, base_org()))
        finally:
            del os.environ["HANDBOOK_NAV_CACHE"]
        assert result.returncode == 0, result.stderr[-3000:]
        outputs[cache] = project / "site"
    pages = sorted(p.relative_to(outputs["0"]) for p in outputs["0"].rglob("index.html"))
    assert len(pages) > 20
    for rel in pages:  # reusing the navigation changes nothing in any page
        assert (outputs["1"] / rel).read_text(encoding="utf-8") == (outputs["0"] / rel).read_text(encoding="utf-8"), rel
    site = outputs["1"]
    checked = 0
    for rel in ("teams/alpha/index.html", "teams/beta/index.html", "targets/faster/index.html"):
        soup = BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")
        links = soup.select("nav.md-nav--primary a.md-nav__link[href], nav.md-tabs a[href]")
        assert links
        for a in links:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), a["href"].split("#")[0]))
            assert (site / target / "index.html").is_file() or (site / target).is_file(), (rel, a["href"])
            checked += 1
    assert checked > 20


def test_pages_outside_the_nav_mark_their_section_s_tab_and_only_theirs(tmp_path):
    project = copy_project(tmp_path / "project")
    config = (project / "mkdocs.yml").read_text().replace("nav_limit: 60", "nav_limit: 1")
    (project / "mkdocs.yml").write_text(config)
    result = build_project(project, write_org(project, base_org()))
    assert result.returncode == 0, result.stderr[-3000:]
    site = project / "site"

    def active_tabs(rel):
        soup = BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")
        return [a.get_text(strip=True) for a in soup.select("li.md-tabs__item--active > a")], soup

    tabs, soup = active_tabs("teams/alpha/index.html")
    assert tabs == ["Teams"]
    sidebar = [a["href"] for a in soup.select("nav.md-nav--primary a.md-nav__link[href]")]
    assert not any("units/" in h for h in sidebar)  # not the section's pages: they grow with the organization
    assert active_tabs("targets/faster/index.html")[0] == ["Targets"]
    # The mark does not outlive the page: every page has one current tab at most, its own.
    for page in site.rglob("index.html"):
        rel = page.relative_to(site).as_posix()
        tabs = active_tabs(rel)[0]
        assert len(tabs) <= 1, rel
    assert active_tabs("scoreboard/index.html")[0] == ["Scoreboard"]
    assert active_tabs("index.html")[0] == ["Home"]
    assert active_tabs("404.html")[0] == []  # rendered after every page


UNICODE_TEAMS = {"accents": ACCENTS, "arabic": ARABIC, "hebrew": HEBREW, "emoji": EMOJI, "long": LONG_TEAM}


@pytest.mark.build
@pytest.mark.parametrize("team", list(UNICODE_TEAMS))
def test_unicode_and_long_team_names_get_their_page_and_nav_entry(odd_site, team):
    site = odd_site
    name = UNICODE_TEAMS[team]
    soup = BeautifulSoup((site / "teams" / team / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert squash(soup.select_one("article h1").get_text(" ", strip=True)).startswith(squash(name))
    assert squash(name) in squash(soup.title.get_text())
    nav = squash(" ".join(a.get_text(" ", strip=True) for a in soup.select("nav.md-nav a, nav.md-nav label")))
    # The team is reachable from the navigation: by its own entry or its unit's.
    unit = {"accents": "Opérations spéciales", "arabic": UNIT_RTL, "hebrew": UNIT_RTL, "emoji": UNIT_EMOJI,
            "long": LONG_UNIT}[team]
    assert squash(name) in nav or squash(unit) in nav, f"{team}: neither the team nor its unit is in the nav"
    index = BeautifulSoup((site / "teams" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert squash(name) in squash(index.select_one("article").get_text(" ", strip=True))


def test_a_folder_s_header_is_rendered_once_with_each_page_s_title_in_it(monkeypatch):
    from macros.engines import hooks

    class Build:
        cache: dict = {}

    monkeypatch.setattr(hooks, "current_build", lambda: Build)

    def header(title):
        return ('<header><a title="Agency">Agency</a><div class="md-header__topic" data-md-component="header-topic">\n'
                f'  <span class="md-ellipsis">\n    {title}\n  </span></div><form>search</form></header>')

    calls = []

    def caller(title):
        def render():
            calls.append(title)
            return header(title)
        return render

    first = hooks._titled_fragment("header:teams", "Team A &amp; B", caller=caller("Team A &amp; B"))
    assert first == header("Team A &amp; B")
    # The next pages of the folder: not rendered again, their own title in the same place (text with regex and
    # backslash characters put in as it is).
    for title in ("Team C", r"Team \1 $0 (x)", "Agency"):
        assert hooks._titled_fragment("header:teams", title, caller=caller(title)) == header(title)
    assert calls == ["Team A &amp; B"]
    # No key (a page in the navigation), or a header whose title is not where expected: rendered for each page.
    assert hooks._titled_fragment(None, "Home", caller=caller("Home")) == header("Home")
    odd = hooks._titled_fragment("header:odd", "Shown", caller=lambda: "<header>Elsewhere</header>")
    assert odd == "<header>Elsewhere</header>"
    assert hooks._titled_fragment("header:odd", "Other", caller=lambda: "<header>Other one</header>") == "<header>Other one</header>"
    assert calls == ["Team A &amp; B", "Home"]
    # A first page without a title: nothing to put another title in place of; each page renders its own.
    assert hooks._titled_fragment("header:empty", "", caller=caller("")) == header("")
    assert hooks._titled_fragment("header:empty", "Next", caller=caller("Next")) == header("Next")
    assert calls == ["Team A &amp; B", "Home", "", "Next"]
