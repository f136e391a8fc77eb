"""A page as the build makes it, without a build: a page macro called on a Site, its Markdown converted with the
extensions of mkdocs.yml and its held-back HTML put back (what the MkDocs hooks do). Feature tests read pages this
way; a few end-to-end builds remain (tests/test_build.py, test_messy_site.py, test_escaping.py, test_engines.py)."""

from __future__ import annotations

from pathlib import Path

import markdown
import yaml
from bs4 import BeautifulSoup

from macros.registry import load_macros, render_call
from macros.site import Site, load_site

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
    load_macros()
    return load_site(data, edition=edition)


def page_html(site: Site, name: str, src: str, *args) -> str:
    """The HTML of the page `src` whose Markdown is the page macro `name(*args)`."""
    names, configs = _extensions()
    text = render_call(site, name, src, args)
    html = markdown.markdown(text, extensions=names, extension_configs=configs)
    return site.fill_slots(src, html)


def page_soup(site: Site, name: str, src: str, *args) -> BeautifulSoup:
    return BeautifulSoup(page_html(site, name, src, *args), "html.parser")
