"""The build context: what a build knows (`Site`), loaded once per build, and the work it hands a page worker.

Plain Python: no engine here. The MkDocs hooks (macros/hooks.py), mkdocs-macros' `define_env` and
`python -m macros generate` all load the same `Site` and render the same macros (macros/registry.py).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import CheckResult, reconcile_public, run_checks
from .derive import Analysis, derive_analysis
from .held import RAW_CLOSE as _RAW_CLOSE
from .held import RAW_OPEN as _RAW_OPEN
from .held import SLOT as _SLOT
from .held import slot_div
from .model import Handbook
from .pagecheck import check_pages, report
from .registry import SKELETONS, render_call
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
    edition: str = "intranet"  # or "public": hb then holds the public records alone (macros/edition.py)
    language: str = "en"  # the language the pages are written in (macros/languages.py)
    # Built by an engine that runs no MkDocs hooks (from `python -m macros generate`): held HTML is put back by the
    # Markdown extension (macros/mdext.py).
    without_hooks: bool = False
    # The engine rewrites links in raw HTML (Zensical): they stay relative to the page's source file.
    raw_links_from_source: bool = False

    def links(self, src: str) -> Links:
        return Links(src, self.unit_slug, self.directory_urls, source_relative=self.raw_links_from_source)

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
            markdown = render_call(self, name, src, args)
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

    def fill_slots(self, src: str, html: str, wrap: str = "{}") -> str:
        """Put the held-back HTML of a page back in place of its placeholders (each block formatted into `wrap`)."""
        held = self.slots.pop(src, None)
        if not held:
            return html
        return _SLOT.sub(lambda m: wrap.replace("{}", held[int(m.group(1))]), html)


_SITE: Site | None = None


def data_dir_for(config_dir: Path) -> Path:
    """Return the data folder: $HANDBOOK_DATA if set, else data/ beside mkdocs.yml."""
    env = os.environ.get("HANDBOOK_DATA")
    return Path(env) if env else config_dir / "data"


def edit_base_of(conf: dict) -> str:
    """The address data files are edited at: `extra.handbook.edit_base`, else `repo_url` with `edit_uri`.

    MkDocs' `edit_uri` leads to the pages' folder (`edit/main/docs/`); the data sits beside it, so the folder's name
    is dropped: repo_url `https://github.com/org/handbook` and edit_uri `edit/main/docs/` edit
    `data/measurements/x.csv` at `https://github.com/org/handbook/edit/main/data/measurements/x.csv`.
    """
    from urllib.parse import urljoin

    handbook = (conf.get("extra") or {}).get("handbook") or {}
    if handbook.get("edit_base"):
        return str(handbook["edit_base"])
    repo, uri = str(conf.get("repo_url") or ""), str(conf.get("edit_uri") or "")
    if not repo or not uri or "?" in uri or "#" in uri:
        return ""
    docs = Path(str(conf.get("docs_dir") or "docs")).name
    uri = uri.rstrip("/")
    if uri.endswith("/" + docs):
        uri = uri[: -len(docs) - 1]
    elif uri == docs:
        uri = ""
    return urljoin(repo.rstrip("/") + "/", uri).rstrip("/")


def load_site(data_dir: Path, edit_base: str = "", directory_urls: bool = True, edition: str | None = None,
              language: str | None = None) -> Site:
    """Validate data and derive everything once, for an edition ($HANDBOOK_EDITION by default) and a language
    ($HANDBOOK_LANGUAGE, else organization.yml's); raise DataError on bad data, EditionError on an unknown edition,
    LanguageError on a language the build cannot write. Every page rendered after this is in that language."""
    from . import i18n
    from .edition import edition_from_env, for_edition, parse_edition
    from .languages import build_language, translate

    global _SITE
    edition = edition_from_env() if edition is None else parse_edition(edition, "edition")
    # The public edition is the public records alone, cut before anything is derived (macros/edition.py).
    whole = validate_data(data_dir)
    language = build_language(whole.organization, None if language is None else {"HANDBOOK_LANGUAGE": language})
    i18n.use(language)
    whole = translate(whole, data_dir, language)  # the data's text in that language, or marked as the original
    hb = for_edition(whole, edition)
    analysis = derive_analysis(hb)
    checks = run_checks(analysis)
    if hb is not whole:  # the public edition states only what is true of the whole organization (checks.py)
        checks = reconcile_public(checks, run_checks(derive_analysis(whole)), {
            "team": set(hb.teams), "target": set(hb.targets), "deficit": set(hb.deficits),
            "indicator": set(hb.indicators),
        })
    site = Site(
        hb, analysis, checks, data_dir, edit_base,
        unit_slugs(list(hb.units())), directory_urls, edition=edition, language=language,
    )
    _SITE = site
    return site


def current_site() -> Site:
    if _SITE is None:
        raise RuntimeError("the handbook's data is not loaded: is macros/hooks.py listed under hooks in mkdocs.yml, "
                           "or the macros plugin (module_name: macros) configured?")
    return _SITE


RENDERING = threading.local()  # .src: the page whose macros this thread renders (for macros/mdext.py)


def render_macro(name: str, src: str, *args) -> str:
    """Render a macro for the page at src (its source path under docs/), holding back its finished HTML."""
    site = current_site()
    RENDERING.src = src
    done = site.take_prerendered(src, name, args)
    return done if done is not None else render_call(site, name, src, args)


def _work_item(key: tuple, arg: Any, site_dir: Path) -> Any:
    """Do one item in the forked worker (which shares the parent's loaded Site): a macro call, or downloads."""
    site = current_site()
    if key[0] == "downloads":
        write_download_chunk(site, site_dir, arg)
        return None
    _, src, name, args = key
    markdown = render_call(site, name, src, args)
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
        proj = site.analysis.projections
        files = {D.STATUS_JSON: D.render_status_json(site.analysis.statuses, freq, proj),
                 D.STATUS_CSV: D.render_status_csv(site.analysis.statuses, freq, proj)}
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


_LOAD_LOCK = threading.Lock()


def load_without_hooks(conf: dict) -> Site | None:
    """Under an engine without MkDocs hooks (Zensical), load the site from its configuration, once; else None.

    Under MkDocs the hooks load it at `on_config`, after mkdocs-macros' `define_env` calls this. Without them,
    only the project `generate` wrote has every page: building the plain mkdocs.yml would leave out every page
    made from data, and say nothing.
    """
    hooks = conf.get("hooks")
    if isinstance(hooks, dict) and any(hasattr(m, "plan_pages") for m in hooks.values()):
        return None  # macros/hooks.py runs: it loads the data at on_config
    if not ((conf.get("extra") or {}).get("handbook") or {}).get("data_dir"):
        raise SystemExit("This engine runs no MkDocs hooks, so the pages made from data would be missing: build "
                         "the project `python -m macros generate DIR` writes (see the README, Engines).")
    return load_site_once(conf)


def load_site_once(conf: dict) -> Site:
    """Return the loaded site, or load it from an engine's configuration when no MkDocs hook has (Zensical).

    Such an engine runs neither `on_config` nor `on_pre_page_macros`: the pages are checked for template code and
    the data validated here, before the first page renders; either failing stops the build with the same report
    as `python -m macros check`. It rewrites the links in raw HTML itself, and fills no slot after Markdown: the
    site says so to the links (relative to the page's source) and the held-HTML Markdown extension (macros/mdext.py).
    """
    with _LOAD_LOCK:
        if _SITE is not None:
            return _SITE
        from .errors import DataError, safe_lines

        root = Path(conf.get("root_dir") or conf.get("config_file_path") or ".").resolve()
        if root.is_file():
            root = root.parent
        from .edition import PUBLIC
        from .filecheck import overrides_of

        docs = root / str(conf.get("docs_dir") or "docs")
        handbook = (conf.get("extra") or {}).get("handbook") or {}
        # The data `generate` wrote the pages from (its configuration says where), else as for MkDocs.
        data_dir = root / str(handbook["data_dir"]) if handbook.get("data_dir") else data_dir_for(root)
        found = check_pages(docs, overrides_of(root, conf), data_dir, handbook.get("edition") == PUBLIC) \
            if docs.is_dir() or docs.is_symlink() else []
        if found:
            raise SystemExit(safe_lines(report(found)))
        try:
            site = load_site(data_dir, edit_base_of(conf), bool(conf.get("use_directory_urls", True)),
                             handbook.get("edition"))  # the edition `generate` wrote the pages for
        except DataError as exc:
            raise SystemExit(exc.report()) from None
        site.without_hooks = True
        site.raw_links_from_source = handbook.get("raw_links") == "source"
        return site
