"""Engine glue: the only module that knows MkDocs and mkdocs-macros.

`load_site` validates data once per build; `define_env` registers the macros pages call by id; the hooks in
`macros/hooks.py` add one page per team, target and practice, and their navigation.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import CheckResult, run_checks
from .derive import Analysis, derive_analysis
from .model import Handbook
from .render.links import Links, unit_slugs
from .validate import validate_data

log = logging.getLogger("mkdocs.hooks.handbook")


@dataclass
class Site:
    """What a build knows: the validated data, everything derived from it, and a few settings."""

    hb: Handbook
    analysis: Analysis
    checks: dict[str, CheckResult]
    data_dir: Path
    edit_base: str = ""
    unit_slug: dict[str, str] = field(default_factory=dict)
    directory_urls: bool = True
    cache: dict[str, Any] = field(default_factory=dict)
    slots: dict[str, list[str]] = field(default_factory=dict)  # page src -> HTML held back from Markdown
    tocs: dict[str, list[dict]] = field(default_factory=dict)  # page src -> TOC tokens of a page held as HTML
    generated: dict[str, tuple] = field(default_factory=dict)  # page src -> (macro name, *args) of a generated page
    deferred: dict[str, tuple] = field(default_factory=dict)  # page src -> (call, skeleton) of a page to complete

    def links(self, src: str) -> Links:
        return Links(src, self.unit_slug, self.directory_urls)

    def hold_raw_html(self, src: str, markdown: str) -> str:
        """Swap each marked raw-HTML block of a macro's output for a placeholder, kept for `fill_slots`.

        Python-Markdown, MkDocs' link checker and the search indexer each parse a page's HTML again; chart data and
        data tables are finished HTML that none of them needs to read. Holding them back keeps a build with 1,000
        team pages close to a plain build's time.
        """
        if _RAW_OPEN not in markdown:
            return markdown
        held = self.slots.setdefault(src, [])
        out, pos = [], 0
        while (start := markdown.find(_RAW_OPEN, pos)) >= 0:
            end = markdown.find(_RAW_CLOSE, start)
            if end < 0:
                break
            out.append(markdown[pos:start])
            held.append(markdown[start + len(_RAW_OPEN):end])
            out.append(slot_div(len(held) - 1))
            pos = end + len(_RAW_CLOSE)
        out.append(markdown[pos:])
        return "".join(out)

    def hold_page(self, src: str, markdown: str) -> str:
        """Hold back everything but a page's title, keeping its headings for the table of contents."""
        from .render.common import split_page_html

        title, body, toc = split_page_html(markdown)
        self.tocs[src] = toc
        return title + "\n" + body + "\n"

    def prerender(self, calls: list[tuple[str, str, tuple]], site_dir: Path) -> None:
        """Start rendering these macro calls (page src, macro, arguments) in a second process, then the downloads.

        The worker (see worker.py) renders them in the order given, while MkDocs builds; the build takes each
        result from it, or renders it itself when the worker has not reached it. The downloads come last, in
        chunks that the build writes itself at its end if the worker has not got to them.
        """
        from .worker import PageWorker

        items: dict[tuple, Any] = {("page", src, name, tuple(args)): None for src, name, args in calls}
        chunks = {("downloads", i): chunk for i, chunk in enumerate(download_chunks(self))}
        clean = multiprocessing.get_context("fork").Event()  # set once MkDocs has cleaned the site folder

        def work(key: tuple, arg: Any) -> Any:
            if key[0] == "downloads":
                clean.wait()
            return _work_item(key, arg, site_dir)

        self.cache.update(download_chunks=chunks, site_clean=clean)
        self.cache["worker"] = PageWorker({**items, **chunks}, work, lambda: None)

    def release_downloads(self) -> None:
        """Let the worker write downloads: MkDocs has cleaned the site folder (it does so after `on_config`)."""
        clean = self.cache.get("site_clean")
        if clean is not None:
            clean.set()

    def take_prerendered(self, src: str, name: str, args: tuple | list) -> str | None:
        """Return a macro's output the worker has rendered (installing its held HTML and TOC), or None."""
        worker = self.cache.get("worker")
        if worker is None:
            return None
        ok, done = worker.take(("page", src, name, tuple(args)))
        if not ok:
            return None
        markdown, slots, toc = done
        held = self.slots.setdefault(src, [])
        if slots:
            # The worker numbered this call's held blocks from 0; follow on from what the page holds already.
            offset = len(held)
            if offset:
                markdown = _SLOT.sub(lambda m: slot_div(int(m.group(1)) + offset), markdown)
            held.extend(slots)
        if toc is not None:
            self.tocs[src] = toc
        return markdown

    def defer(self, src: str, call: tuple) -> str | None:
        """Return a generated page's skeleton, its body to come later (`complete`), or None if it cannot wait.

        With a worker rendering pages, a team page need not be ready when MkDocs converts its Markdown: only its
        title, facts and description go through Markdown, and those come from the data directly. Its body and table
        of contents are needed only when the theme renders the page, later in the build, by which time the worker
        has usually rendered it.
        """
        name, *args = call
        skeleton = SKELETONS.get(name)
        worker = self.cache.get("worker")
        if skeleton is None or worker is None:
            return None
        # The worker's Markdown for the page, if it has arrived, is the skeleton (`complete` checks they agree).
        done = worker.peek(("page", src, name, tuple(args)))
        markdown = done[0] if done is not None else skeleton(self, *args)
        self.deferred[src] = (call, markdown)
        return markdown

    def complete(self, src: str) -> list[dict] | None:
        """Fetch or render a deferred page's body (held for `fill_slots`); return its TOC tokens, or None."""
        pending = self.deferred.pop(src, None)
        if pending is None:
            return None
        (name, *args), skeleton = pending
        markdown = self.take_prerendered(src, name, args)
        if markdown is None:
            markdown = _render(self, name, src, args)
        if markdown != skeleton:
            raise RuntimeError(f"{src}: the page's title and prose differ from its skeleton (a bug in SKELETONS)")
        return self.tocs.pop(src, None)

    def finish_prerender(self, site_dir: Path) -> bool:
        """Write the download chunks the worker has not reached, wait for the rest, and stop it.

        Returns False when there was no worker (the caller writes the downloads).
        """
        worker = self.cache.pop("worker", None)
        if worker is None:
            return False
        for key, chunk in self.cache.pop("download_chunks").items():
            ok, _ = worker.take(key)
            if not ok:
                write_download_chunk(self, site_dir, chunk)
        worker.finish()
        log.info("The worker rendered %d pages and download chunks; the build did %d itself.",
                 worker.taken, worker.rendered_here)
        return True

    def fill_slots(self, src: str, html: str) -> str:
        """Put the held-back HTML of a page back in place of its placeholders."""
        held = self.slots.pop(src, None)
        if not held:
            return html
        return _SLOT.sub(lambda m: held[int(m.group(1))], html)


_RAW_OPEN, _RAW_CLOSE = "<!--hb:raw-->", "<!--/hb:raw-->"
_SLOT = re.compile(r'<div data-hb-slot="(\d+)"></div>')


def slot_div(number: int) -> str:
    """The placeholder a held-back block leaves in a page's Markdown (and HTML) until `fill_slots`."""
    return f'<div data-hb-slot="{number}"></div>'


_SITE: Site | None = None


def data_dir_for(config_dir: Path) -> Path:
    """Return the data folder: $HANDBOOK_DATA if set, else data/ beside mkdocs.yml."""
    env = os.environ.get("HANDBOOK_DATA")
    return Path(env) if env else config_dir / "data"


def load_site(data_dir: Path, edit_base: str = "", directory_urls: bool = True) -> Site:
    """Validate data and derive everything once; raise DataError on bad data."""
    global _SITE
    hb = validate_data(data_dir)
    analysis = derive_analysis(hb)
    site = Site(
        hb, analysis, run_checks(analysis), data_dir, edit_base,
        unit_slugs(list(hb.units())), directory_urls,
    )
    _SITE = site
    return site


def current_site() -> Site:
    if _SITE is None:
        raise RuntimeError("the handbook's data is not loaded: is macros/hooks.py listed under hooks in mkdocs.yml?")
    return _SITE


# Macros pages may call: name -> function(site, links, *args) returning Markdown.
MACROS: dict[str, Callable[..., str]] = {}
# For macros whose pages may be completed late (Site.defer): name -> function(site, *args) returning the Markdown
# the macro returns with its held-back HTML left out (the slots are filled from the full render).
SKELETONS: dict[str, Callable[..., str]] = {}


def macro(name: str):
    def register(fn):
        MACROS[name] = fn
        return fn

    return register


@macro("home")
def _home(site: Site, links: Links) -> str:
    """The home page: mission, big picture, the organization at a glance, where to start."""
    from .render.home import render_home

    return render_home(site.analysis, links, site.checks)


def render_macro(name: str, src: str, *args) -> str:
    """Render a macro for the page at src (its source path under docs/), holding back its finished HTML."""
    site = current_site()
    done = site.take_prerendered(src, name, args)
    return done if done is not None else _render(site, name, src, args)


def _render(site: Site, name: str, src: str, args: tuple | list) -> str:
    return site.hold_raw_html(src, MACROS[name](site, site.links(src), *args))


def _work_item(key: tuple, arg: Any, site_dir: Path) -> Any:
    """Do one item in the forked worker (which shares the parent's loaded Site): a macro call, or downloads."""
    site = current_site()
    if key[0] == "downloads":
        write_download_chunk(site, site_dir, arg)
        return None
    _, src, name, args = key
    markdown = _render(site, name, src, args)
    return markdown, site.slots.pop(src, []), site.tocs.pop(src, None)


DOWNLOAD_CHUNK = 25  # teams per chunk of figures CSVs


def download_chunks(site: Site) -> list[tuple]:
    """Split the downloads into independent chunks: the statuses, then the teams' figures a few teams at a time."""
    teams = list(site.hb.teams)
    return [("status",)] + [("teams", teams[i:i + DOWNLOAD_CHUNK]) for i in range(0, len(teams), DOWNLOAD_CHUNK)]


def write_download_chunk(site: Site, out: Path, chunk: tuple) -> None:
    """Write one chunk of the downloads under the site folder."""
    from . import downloads as D

    if chunk[0] == "status":
        freq = site.hb.frequency
        files = {D.STATUS_JSON: D.render_status_json(site.analysis.statuses, freq),
                 D.STATUS_CSV: D.render_status_csv(site.analysis.statuses, freq)}
    else:
        indicators = site.cache.get("team_indicators")
        if indicators is None:
            indicators = site.cache["team_indicators"] = D.team_indicators(site.hb)
        files = {D.team_csv_path(t): D.render_team_csv(site.hb, t, indicators.get(t, [])) for t in chunk[1]}
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def write_downloads(site: Site, out: Path) -> None:
    """Write the statuses (JSON, CSV) and each team's figures (CSV) under the site folder."""
    for chunk in download_chunks(site):
        write_download_chunk(site, out, chunk)


def page_macro_calls(markdown: str) -> list[tuple[str, tuple]]:
    """Return the registered macro calls (name, literal arguments) a hand-written page makes, in order."""
    import ast

    from .pagecheck import CALL

    calls = []
    for m in CALL.finditer(markdown):
        if m.group(1) in MACROS:
            text = m.group(2).strip().rstrip(",")
            calls.append((m.group(1), ast.literal_eval(f"({text},)") if text else ()))
    return calls


def find_template_code(markdown: str) -> list[tuple[int, str]]:
    """Return (line, text) for template code in a page beyond calls of registered macros with literal arguments."""
    from .pagecheck import find_template_code as find

    return find(markdown, MACROS)


def check_page_template_code(markdown: str, src: str, meta: dict | None = None, title: object = None) -> None:
    """Stop the build when a page (its text, front matter or title) holds template code beyond the allowed calls."""
    from .pagecheck import find_template_code as find
    from .pagecheck import report, template_code_in_title

    found = [f"docs/{src}:{n}: {text}" for n, text in find(markdown, MACROS)]
    found += [f"docs/{src}: front matter: {text}" for text in _template_values(meta or {})]
    if template_code_in_title(title) and not found:
        found.append(f"docs/{src}: title: {' '.join(str(title).split())}")
    if found:
        from mkdocs.exceptions import PluginError

        raise PluginError(report(found, sorted(MACROS)))


def check_docs_template_code(docs_dir: Path, skip: list[str]) -> None:
    """Stop the build before any page renders when a page under docs/ holds template code (as `check` does)."""
    from .pagecheck import check_pages, report

    found = check_pages(docs_dir, skip)
    if found:
        from mkdocs.exceptions import PluginError

        raise PluginError(report(found))


def _template_values(value: Any) -> list[str]:
    """Every key or value of parsed front matter that would run as a template."""
    from .pagecheck import TEMPLATE

    found, stack, seen = [], [value], set()
    while stack:
        item = stack.pop()
        if isinstance(item, (dict, list, tuple, set)):
            if id(item) in seen:
                continue
            seen.add(id(item))
            stack += [*item.keys(), *item.values()] if isinstance(item, dict) else list(item)
        elif isinstance(item, str) and TEMPLATE.search(item):
            found.append(" ".join(item.split())[:80])
    return found


def define_env(env) -> None:
    """Register every macro with mkdocs-macros; each renders from the current build's validated data."""
    from . import site_pages, team_pages  # noqa: F401 - importing registers their macros

    def bind(name: str, fn: Callable[..., str]):
        def call(*args):
            src = env.page.file.src_uri if getattr(env, "page", None) is not None else "index.md"
            return render_macro(name, src, *args)

        call.__name__ = name
        call.__doc__ = fn.__doc__
        return call

    for name, fn in MACROS.items():
        env.macro(bind(name, fn), name)
