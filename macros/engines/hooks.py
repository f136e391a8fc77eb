"""MkDocs hooks (listed under `hooks:` in mkdocs.yml): validate data once, add generated pages and their navigation.

Thin: which pages and what navigation come from data is decided in macros/generate.py (which `python -m macros
generate` writes to files for an engine without hooks), everything a build knows in macros/site.py.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent.parent
if str(_ROOT) not in sys.path:  # MkDocs loads hooks by file path, not as part of the package
    sys.path.insert(0, str(_ROOT))

import logging  # noqa: E402

from markupsafe import escape  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from macros.edition import PUBLIC, EditionError  # noqa: E402
from macros.engines import direct, preview  # noqa: E402
from macros.engines import macros_plugin as engine  # noqa: E402
from macros.engines.prerender import current_build, render_macro, worker_calls  # noqa: E402
from macros.engines.worker import can_fork, usable_cpus  # noqa: E402
from macros.errors import DataError, folder_label, guard_logs  # noqa: E402
from macros.filecheck import overrides_of  # noqa: E402
from macros.generate import NAV_LIMIT, expand_nav, left_out, plan_pages  # noqa: E402
from macros.languages import configure_build, translate_page_title  # noqa: E402
from macros.naming import derive_site_name, edition_site_name  # noqa: E402
from macros.registry import MACROS  # noqa: E402
from macros.render.broken import render_error_page  # noqa: E402
from macros.signals import site_signals  # noqa: E402
from macros.site import collect_later, current_site, data_dir_for, edit_base_of, load_site, write_downloads  # noqa: E402

log = logging.getLogger("mkdocs.hooks.handbook")


@event_priority(100)  # before the search plugin, which takes its language from the theme's (set here)
def on_config(config):
    """Load and validate data/ for this build; a data error stops the build with the same report as `check`."""
    config_dir = Path(config.config_file_path).resolve().parent
    global _BROKEN
    _BROKEN = None
    first = _COMMAND == "build" or (_COMMAND == "serve" and preview.first_build())
    if _COMMAND == "serve":
        preview.starting()
    # First of all, before any page renders: no template code in contributor pages, front matter included.
    try:
        engine.check_docs_template_code(Path(config["docs_dir"]), overrides_of(config_dir, config),
                                        data_dir_for(config_dir), os.environ.get("HANDBOOK_EDITION", "").strip() == PUBLIC)
    except PluginError as exc:
        if _COMMAND != "serve":
            raise
        return _serve_broken(config, str(exc), "docs")  # the preview shows it; no page renders meanwhile
    extra = config.get("extra") or {}
    handbook = extra.get("handbook") or {}
    # Another build in this process: the previous build's data is collected below; under `serve`, after the rebuild
    # (site.collect_later), not on the way of an edit to its page.
    rebuild = gc.get_freeze_count() > 0 and _COMMAND != "serve"
    if rebuild:
        gc.unfreeze()
    data_dir = data_dir_for(config_dir)
    try:
        site = load_site(data_dir, edit_base=edit_base_of(config),
                         directory_urls=bool(config.get("use_directory_urls", True)))
    except DataError as exc:
        report = exc.report(folder_label(data_dir))
        if _COMMAND != "serve":
            raise PluginError(report) from None  # a built site is never published half-made
        return _serve_broken(config, report, folder_label(data_dir))
    except EditionError as exc:
        raise PluginError(str(exc)) from None
    # The loaded data lives for the whole build: keep the garbage collector from scanning its objects again and
    # again, here and in the page worker (where a scan would also copy the shared memory it reads). At 1,000 teams
    # this cuts the build's time in collections from 0.40-0.47 s to 0.25-0.27 s. Frozen at once: the collector,
    # paused while loading, would otherwise scan all of it at its first pass (0.07-0.1 s).
    if rebuild:  # once this build's site replaced it (not before: the old one was still current)
        current_build()
        gc.collect()
    gc.freeze()
    # Theme templates print site_name unescaped: the organization's name comes from data, so it goes in as Markup.
    configure_build(config, site.hb.organization, site.language)  # theme, search, navigation in the build's language
    config["site_name"] = escape(edition_site_name(derive_site_name(config.get("site_name"), site.hb.organization.name),
                                                   site.edition))
    config["nav"] = expand_nav(config.get("nav"), site, int(handbook.get("nav_limit", NAV_LIMIT)))
    minimum = int(handbook.get("prerender_min", PRERENDER_MIN))
    # Under `serve`, the first build only: the file watcher's threads start after it (a fork would copy them).
    if first and len(site.hb.teams) >= minimum and usable_cpus() > 1 and can_fork():
        # Forked now, so it starts while MkDocs cleans the site folder and gathers the files; it writes no
        # download before `on_files` says the folder is clean.
        calls = worker_calls(site, Path(config["docs_dir"]), MACROS)
        log.info("Rendering %d pages on a second CPU core as well.", len(calls))
        current_build().prerender(calls, Path(config["site_dir"]))
    if _COMMAND == "serve":  # the differential live preview: reuse what the last rebuild made (engines/preview.py)
        preview.add_to(config, site)
    return config


# Generated pages carry no template and no data, not even front matter (a YAML parse fewer for each of a thousand
# team pages). Their content comes from `on_page_markdown` below, which calls the page's macro by id and, running
# before mkdocs-macros, tells it to leave the page alone: nothing from data is ever a template.
GENERATED_PAGE = ""


def on_files(files, config):
    """Add a page per practice, target, unit and team; each is rendered by its macro, called by id."""
    if _BROKEN:
        for page in list(files.documentation_pages()):  # no page renders from data that does not pass check
            files.remove(page)
        return files
    build = current_build()
    site = build.site
    for page in filter(None, map(files.get_file_from_path, left_out(site))):  # public edition: no contributor pages
        files.remove(page)
    for src, call in plan_pages(site).items():
        if files.get_file_from_path(src) is None:
            files.append(File.generated(config, src, content=GENERATED_PAGE))
            build.generated[src] = call
    build.release_downloads()
    if _COMMAND == "serve":
        _PAGE_URLS[:] = [page.dest_uri for page in files.documentation_pages()]
    return files


# ---------------------------------------------------------------------------------------------------------------
# `mkdocs serve` on a data error: every page of the preview shows the report until the data is fixed.

_BROKEN: tuple[str, str] | None = None  # (report, data folder) while the data being served does not pass check
_PAGE_URLS: list[str] = []  # the pages of the last good serve build: an open tab on any of them shows the error


def _serve_broken(config, report: str, folder: str):
    """Make this serve build a site of error pages instead of failing (which leaves the browser on the old page)."""
    global _BROKEN
    _BROKEN = (report, folder)
    config["nav"] = []
    config["theme"].static_templates.discard("404.html")  # written by on_post_build, with its own reload
    # Not through MkDocs' logger: under `strict`, an error logged there would abort this build too.
    print(f"\nERROR    -  the live preview shows this in the browser until it is fixed:\n{report}\n", file=sys.stderr, flush=True)
    return config


def _write_error_pages(config) -> None:
    report, folder = _BROKEN
    site_dir = Path(config["site_dir"])
    name = str(config.get("site_name") or "")
    page = render_error_page(report, name, folder)
    for uri in {"index.html", *_PAGE_URLS}:
        path = site_dir / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
    (site_dir / "404.html").write_text(render_error_page(report, name, folder, poll=True), encoding="utf-8")


# A large organization's team pages are rendered on a second core during `mkdocs build` (not `serve`, whose file
# watcher runs threads that a fork would copy).
PRERENDER_MIN = 200
_COMMAND = "build"


def on_startup(command, dirty):
    """Remember whether this is a build or a serve; keep the log to one line a build unless `--verbose`."""
    global _COMMAND
    _COMMAND = command
    preview.serving(dirty)
    _quiet_logs()


# What MkDocs and mkdocs-macros say on every build (its module, functions, variables, macros and filters, even with
# `verbose: false`): noise that hides the line that matters. Shown again with `mkdocs serve -v` / `build -v`.
_CHATTER = ("Building documentation", "Cleaning site directory", "Detected file changes", "Reloading browsers")


class _Quiet(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        if record.name.startswith("mkdocs.plugins.mkdocs_macros"):
            return False
        return not str(record.msg).startswith(_CHATTER)


def _quiet_logs() -> None:
    root = logging.getLogger("mkdocs")
    guard_logs("mkdocs", "properdocs")  # the engine's messages quote file names: escaped (ProperDocs' name too)
    if root.getEffectiveLevel() < logging.INFO:  # --verbose: the user asked for everything
        return
    for handler in root.handlers:
        if not any(isinstance(f, _Quiet) for f in handler.filters):
            handler.addFilter(_Quiet())


@event_priority(100)  # before mkdocs-macros, which must see `render_macros: false`
def on_page_markdown(markdown, page, config, files):
    """Render a generated page from its macro, and mark it for mkdocs-macros to leave alone."""
    build = current_build()
    call = build.generated.get(page.file.src_uri)
    if call is None:
        return translate_page_title(markdown, page.meta)  # a shipped page's title in the build's language
    page.meta["render_macros"] = False
    direct.use(page)  # a title and finished HTML: no Python-Markdown run of its own (engines/direct.py)
    skeleton = build.defer(page.file.src_uri, call) if _COMMAND != "serve" else None  # the preview keeps it whole
    if skeleton is not None:
        return skeleton
    name, *args = call
    if _COMMAND == "serve":
        return preview.render_generated(build.site, page.file.src_uri, name, args,
                                        lambda: render_macro(name, page.file.src_uri, *args))
    return render_macro(name, page.file.src_uri, *args)


def on_page_context(context, page, config, nav):
    """Complete a deferred page; give every page the living signals (data last changed, latest period)."""
    build = current_build()
    site = build.site
    src = page.file.src_uri
    _add_toc(page, build.complete(src))
    # The anchors of its held-back HTML (a deferred page's body has come by now) are its too: MkDocs checks the
    # links into it once every page is built.
    if src in site.held.slots and page.present_anchor_ids is not None:
        page.present_anchor_ids |= site.held.anchors(src)
    context["hb_signals"] = site_signals(site)
    outside = not _in_nav(build, page, nav)
    context["hb_nav_key"] = _nav_key(page) if outside else None
    context["hb_toc_key"] = _toc_key(page.toc)
    # A team or target page left out of the navigation still belongs to its folder's section: the theme marks that
    # tab as current. (Not the sidebar: it would list the section's pages, which grow with the organization, on
    # every one of its thousand pages.)
    context["hb_tab_section"] = _folder_section(build, page, nav) if outside else None
    return context


def on_env(env, config, files):
    """Let the theme reuse the navigation it rendered for one page on the pages it would render identically."""
    env.globals["hb_fragment"] = _fragment
    env.globals["hb_titled_fragment"] = _titled_fragment
    return env


def _fragment(key, current=None, caller=None):
    """Return the block's HTML rendered once per key and build (`{% call hb_fragment(key) %}` in overrides/).

    `current`: a navigation section to mark as current while the block renders (for a page outside the navigation).
    """
    current = current or None  # undefined on pages the hooks do not see (404)
    if current is not None:
        current.active = True
    try:
        if not key:
            return caller()
        cache = current_build().cache.setdefault("fragments", {})
        if key not in cache:
            cache[key] = caller()
        return cache[key]
    finally:
        if current is not None:
            current.active = False


# Where Material's header shows the page's title: the text of the span that follows this marker.
_TOPIC = re.compile(r'(data-md-component="header-topic">\s*<span class="md-ellipsis">\s*)(.*?)(\s*</span>)', re.S)


def _titled_fragment(key, title, caller=None):
    """Return the block's HTML rendered once per key and build, with this page's title where the first page's was
    (`{% call hb_titled_fragment(key, title) %}`: Material's header, the same for every page of a folder outside the
    navigation but for the title it shows). Rendered for each page when the title cannot be found in it."""
    if not key:
        return caller()
    cache = current_build().cache.setdefault("fragments", {})
    parts = cache.get(key)
    if parts is None:
        html = caller()
        m = _TOPIC.search(html)
        cache[key] = (html[:m.end(1)], html[m.start(3):]) if m and m.group(2) and m.group(2) == str(title) else False
        return html
    if parts is False:
        return caller()
    return parts[0] + str(title) + parts[1]


def _in_nav(build, page, nav) -> bool:
    listed = build.cache.get("nav_pages")
    if listed is None or listed[0] is not nav:
        listed = build.cache["nav_pages"] = (nav, {id(p) for p in nav.pages})
    return id(page) in listed[1]


def _folder(page) -> str:
    return page.url.rstrip("/").rpartition("/")[0]


def _folder_section(build, page, nav):
    """The top-level section whose index page is the index of the page's folder (Teams for teams/x/), or None."""
    sections = build.cache.get("folder_sections")
    if sections is None or sections[0] is not nav:
        found = {}
        for item in nav.items:
            for child in getattr(item, "children", None) or []:
                if getattr(child, "is_page", False) and child.file.src_uri.endswith("/index.md"):
                    found.setdefault(child.file.src_uri[: -len("/index.md")], item)
        sections = build.cache["folder_sections"] = (nav, found)
    return sections[1].get(_folder(page))


def _toc_key(toc) -> tuple | None:
    """A key for a page's table of contents as the theme renders it (partials/toc.html reads each heading's level,
    address, title and `typeset`, nothing else of the page): pages with the same headings share one rendering."""
    if os.environ.get("HANDBOOK_NAV_CACHE") == "0" or not toc:
        return None
    items = list(toc)
    if items[0].level == 1:  # as the template does: a page's title stands for the page, its children are listed
        items = items[0].children
    return ("toc", _toc_items(items))


def _toc_items(items) -> tuple:
    return tuple((t.level, t.url, str(t.title), repr(getattr(t, "typeset", None)), _toc_items(t.children))
                 for t in items)


def _nav_key(page) -> str | None:
    """A key for the navigation HTML of a page outside the navigation, shared by the pages that render it the same.

    Material marks the current page and its sections in the navigation and tabs; a page outside the navigation
    (the team and target pages of a large organization) has nothing of its own marked, only its folder's section,
    and its links are relative to its folder. So every such page in one folder gets the same navigation: render it
    once, not a thousand times.
    """
    if os.environ.get("HANDBOOK_NAV_CACHE") == "0":
        return None
    return "outside:" + _folder(page)


def on_post_build(config):
    """Publish the downloads beside the pages (unless the page worker already wrote them)."""
    if _COMMAND == "serve":  # the builds' frozen data is collected half a second after each one (macros/site.py)
        collect_later()
    if _BROKEN:
        _write_error_pages(config)
        return
    build = current_build()
    direct.forget()  # its converter holds this build's configuration
    if build.finish_prerender(Path(config["site_dir"])):
        if _COMMAND == "serve":  # the worker wrote the downloads: the next rebuild keeps the unchanged ones
            preview.note_downloads(build.site)
        return
    if _COMMAND == "serve":
        preview.write_downloads(build.site, Path(config["site_dir"]))  # a team's figures CSV made again when they changed
    else:
        write_downloads(build.site, Path(config["site_dir"]))


def on_serve(server, config, builder):
    """`serve` looks for saved files more often than MkDocs' half second (engines/preview.py), broken data or not."""
    return preview.poll_often(server)


def on_build_error(error):
    """Under `serve`, a failed rebuild's data is frozen too: the pass after it collects it (macros/site.py)."""
    if _COMMAND == "serve":
        collect_later()


def on_page_content(html_text, page, config, files):
    """Give a page held as HTML the table of contents of its headings."""
    _add_toc(page, current_site().held.tocs.pop(page.file.src_uri, None))
    return html_text


def _add_toc(page, tokens) -> None:
    if tokens:
        from mkdocs.structure.toc import get_toc

        extra = get_toc(tokens).items
        if page.toc.items and page.toc.items[0].level == 1:
            page.toc.items[0].children.extend(extra)
        else:
            page.toc.items.extend(extra)


def on_post_page(output, page, config):
    """Put back the finished HTML (charts, data tables) that the engine held back from Markdown and search."""
    return current_site().held.fill_slots(page.file.src_uri, output)
