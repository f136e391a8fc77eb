"""A page as the build makes it, without a build: a page macro called on a Site, its Markdown converted with the
extensions of mkdocs.yml and its held-back HTML put back (what the MkDocs hooks do). Feature tests read pages this
way; a few end-to-end builds remain (tests/test_build.py, test_messy_site.py, test_escaping.py, test_engines.py)."""

from __future__ import annotations

import os
from pathlib import Path

import markdown
import yaml
from bs4 import BeautifulSoup

from macros.registry import load_macros, render_call
from macros.site import Site, load_site
from orgs import today_for

ROOT = Path(__file__).resolve().parent.parent


def _extensions() -> tuple[list, dict]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    names, configs = [], {}
    for item in config["markdown_extensions"]:
        name, conf = (item, None) if isinstance(item, str) else next(iter(item.items()))
        names.append(name)
        if conf:
            configs[name] = {k: {"true": True, "false": False}.get(v, v) for k, v in conf.items()}
    return names, configs


def site_of(data: Path, edition: str = "intranet") -> Site:
    """The build context of a data folder, on the day a build of it would take as today (orgs.today_for)."""
    load_macros()
    before = os.environ.get("HANDBOOK_TODAY")
    os.environ["HANDBOOK_TODAY"] = today_for(data, dict(os.environ))["HANDBOOK_TODAY"]
    try:
        return load_site(data, edition=edition)
    finally:
        if before is None:
            os.environ.pop("HANDBOOK_TODAY", None)
        else:
            os.environ["HANDBOOK_TODAY"] = before


def page_html(site: Site, name: str, src: str, *args) -> str:
    """The HTML of the page `src` whose Markdown is the page macro `name(*args)`."""
    names, configs = _extensions()
    text = render_call(site, name, src, args)
    html = markdown.markdown(text, extensions=names, extension_configs=configs)
    return site.held.fill_slots(src, html)


def page_soup(site: Site, name: str, src: str, *args) -> BeautifulSoup:
    return BeautifulSoup(page_html(site, name, src, *args), "html.parser")


def _hand_written(site: Site, src: str) -> str:
    """A page of docs/ with each of its macro calls replaced by the macro's Markdown (as mkdocs-macros does)."""
    from macros.macrocall import CALL, literal_args

    text = (ROOT / "docs" / src).read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text[text.index("\n---\n", 4) + 5:]
    return CALL.sub(lambda m: render_call(site, m.group(1), src, tuple(literal_args(m.group(2)))), text)


def article(site: Site, url: str) -> BeautifulSoup:
    """The article of the page at `url` ('' for the home page, 'teams/north', 'targets'), hand-written or generated,
    as the build would make it from the page's Markdown."""
    from macros.generate import plan_pages

    names, configs = _extensions()
    for src in ([f"{url}.md", f"{url}/index.md"] if url else ["index.md"]):
        if (ROOT / "docs" / src).is_file():
            text = _hand_written(site, src)
            break
        call = plan_pages(site).get(src)
        if call is not None:
            text = render_call(site, call[0], src, tuple(call[1:]))
            break
    else:
        raise AssertionError(f"no page at {url!r}")
    html = markdown.markdown(text, extensions=names, extension_configs=configs)
    return BeautifulSoup(site.held.fill_slots(src, html), "html.parser")


def text(node) -> str:
    """A node's text as a reader reads it: one space between words, none before punctuation."""
    return (" ".join(node.get_text(" ").split()).replace(" ,", ",").replace(" .", ".").replace(" :", ":")
            .replace("( ", "(").replace(" )", ")"))


def facts(dl) -> dict[str, str]:
    """A definition list's terms and their values, as text."""
    return {text(dt): text(dt.find_next("dd")) for dt in dl.find_all("dt")}


def target_facts(page, target: str) -> dict[str, str]:
    """The facts of a target's section on a team page."""
    return facts(page.select_one(f"#target-{target}").find_next("dl"))


def resolves(site: Site, page_url: str, href: str) -> bool:
    """Whether a relative link on the page at `page_url` ('scoreboard', 'teams/alpha') leads to a page of the site."""
    import posixpath

    from macros.generate import plan_pages

    path = href.partition("#")[0].partition("?")[0]
    url = posixpath.normpath(posixpath.join(page_url + "/", path)).strip("/") if path else page_url
    if url in ("", "."):
        return (ROOT / "docs" / "index.md").is_file()
    planned = plan_pages(site)
    return any((ROOT / "docs" / src).is_file() or src in planned for src in (f"{url}.md", f"{url}/index.md"))
