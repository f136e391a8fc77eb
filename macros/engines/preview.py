"""The differential live preview: under `mkdocs serve`, a rebuild reuses what the previous rebuild made (README,
"The live preview at scale"): a team or target page's macro output when its inputs are unchanged
(macros/incremental.py), and any page's finished HTML, search entries, title, table of contents and anchors when
its Markdown after macros, held HTML, front matter and the site-wide signature (configuration, navigation and its
titles, files, overrides/, environment, the footer's living signals) are unchanged. The last rebuild's files stay in
the served folder: every page whose HTML changed is written over its old copy, a reused page and a team's unchanged
figures CSV left alone, and what the rebuild no longer has removed, so the served folder is a full build's (tests/test_preview.py). Outside `serve`,
nothing here runs.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import tempfile
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import watchdog.observers.polling
from mkdocs.plugins import CombinedEvent, event_priority

from .. import incremental
from ..incremental import digest as _digest
from ..incremental import note_downloads, render_generated, tree_digest, write_downloads  # noqa: F401 - the hooks call them here
from ..signals import site_signals
from ..site import cancel_collection

# Environment settings the handbook's pages depend on: a change renders everything again.
_ENV = ("HANDBOOK_EDITION", "HANDBOOK_TODAY", "HANDBOOK_NAV_CACHE", "HANDBOOK_DATA", "HANDBOOK_DOCS")
POLL_S = 0.2  # how often `serve` looks for saved files (MkDocs: 0.5 s); idle, a poll costs about 7 ms
TEMPLATE = "hb-preview-reused.html"  # an empty template: a reused page's HTML is put back after it renders


class _Bytecode(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in memory (jinja2 checks each against its template's source)."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.kept.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


@dataclass
class Entry:
    """What the last rebuild made of one page."""

    key: bytes  # the digest of its Markdown, held HTML, table of contents and front matter
    small: bytes | None  # ... or of its macro's inputs, which stand for them (a team or target page)
    output: str  # the HTML written
    content: bytes  # page.content after conversion, zlib-compressed: needed only when the signature changed
    toc: Any
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None
    entries: list[dict] = field(default_factory=list)  # its search-index entries


class Preview:
    """What the serving process keeps between rebuilds (with incremental.KEPT)."""

    def __init__(self) -> None:
        self.pages: dict[str, Entry] = {}
        self.signature: bytes | None = None  # the previous rebuild's site-wide signature
        self.bytecode = _Bytecode()  # the theme's compiled templates, by name and source
        self.theme_files: tuple[bytes, list[str]] | None = None  # (configuration digest, the theme's static files)
        # Whether the served folder holds what the last rebuild wrote: not after a failed rebuild, nor after one that
        # served the data error's page in place of every page (engines/hooks.py calls `starting` first of all).
        self.completed = False
        self.on_disk = False
        self.kept = incremental.KEPT

    @property
    def stats(self) -> dict[str, int]:
        return self.kept.stats


STATE = Preview()


def reset() -> Preview:
    """Forget everything (a new serving session; tests); return what was kept, for `restore`."""
    global STATE
    before = STATE
    incremental.KEPT = incremental.Kept()
    STATE = Preview()
    return before


def starting() -> None:
    """A serve build starts: whether its pages may be left on disk depends on how the one before ended."""
    STATE.on_disk, STATE.completed = STATE.completed, False
    cancel_collection()  # not in the middle of this rebuild: it asks for the pass again when it ends


def first_build() -> bool:
    """True the first time it is asked in a serving process (its first build, before the file watcher starts)."""
    global _STARTED
    first, _STARTED = not _STARTED, True
    return first


_STARTED = False


def restore(state: Preview) -> None:
    global STATE
    STATE = state
    incremental.KEPT = state.kept


class PreviewPlugin:
    """MkDocs events of the differential preview (not a BasePlugin: only these events are registered)."""

    def __init__(self, config, site) -> None:
        self.site = site
        self.early = b""
        self.nav = None
        self.listed: set[str] = set()
        self.keys: dict[str, tuple[bytes, bytes | None]] = {}  # page src -> its keys this build (Entry)
        self.candidates: dict[str, Entry] = {}  # pages whose Markdown is unchanged: content restored
        self.reused: set[str] = set()  # ... and whose HTML is reused (the site-wide signature is unchanged)
        self.search_at: dict[str, int] = {}
        self.search_entries: dict[str, list[dict]] = {}
        self.contents: dict[str, str] = {}
        self.aside: Path | None = None  # the last rebuild's files while MkDocs empties the folder
        self.restored_at: int | None = None  # when they came back (a file's modification time, ns)
        self.unwritten: set[Path] = set()  # reused pages left on disk as the last rebuild wrote them
        incremental.KEPT.inputs.clear()  # filled again as this rebuild renders its generated pages
        incremental.KEPT.left.clear()  # ... and as it writes its downloads
        self.config_digest = _digest(
            Path(config.config_file_path).read_bytes() if config.config_file_path else b"",
            [(k, os.environ.get(k)) for k in _ENV], str(config.get("site_name")), config.get("site_url"),
            repr(config.get("nav")), _overrides_digest(config),
        )
        _list_theme_files_once(config.theme, self.config_digest)

    @staticmethod
    def _search(config):
        plugin = config.plugins.get("material/search") or config.plugins.get("search")
        return getattr(plugin, "search_index", None)

    def on_nav(self, nav, config, files):
        listed = [(f.src_uri, f.dest_uri, f.url, f.inclusion.name) for f in files]
        self.listed = {f.src_uri for f in files}
        self.early = _digest(self.config_digest, listed)
        self.nav = nav
        return nav

    @event_priority(-100)
    def on_pre_build(self, config):
        """Move the last rebuild's files aside: MkDocs empties the folder next, one file and folder at a time (a
        second at 1,000 teams on a busy disk), while the browser waits. They come back once it has (`on_files`)."""
        site_dir = Path(config.site_dir)
        children = list(site_dir.iterdir()) if site_dir.is_dir() and not _DIRTY else []
        if not children:  # (`serve --dirty` writes only changed pages: MkDocs leaves the folder as it is)
            return
        self.aside = Path(tempfile.mkdtemp(prefix=".hb-preview-old-", dir=site_dir.parent))
        for child in children:
            os.rename(child, self.aside / child.name)

    @event_priority(-100)
    def on_files(self, files, config):
        """Put the last rebuild's files back in the emptied folder: each page is then written over its old copy (no
        folder to make again: writing a thousand pages into new folders costs half a second more), a team's figures
        CSV left as it is when unchanged, and whatever this rebuild does not write again removed at its end."""
        if self.aside is None:
            return files
        site_dir = Path(config.site_dir)
        for child in self.aside.iterdir():
            os.rename(child, site_dir / child.name)
        os.rmdir(self.aside)
        self.aside = None
        # The moment they came back, on the file system's own clock and at its own granularity: a file this rebuild
        # writes is not older than this, whatever the file system rounds its times to.
        handle, marker = tempfile.mkstemp(prefix=".hb-preview-now-", dir=site_dir.parent)
        os.close(handle)
        self.restored_at = os.stat(marker).st_mtime_ns
        os.unlink(marker)
        return files

    @event_priority(-100)  # after mkdocs-macros (0) and the hooks (100): the Markdown as it is converted
    def on_page_markdown(self, markdown, page, config, files):
        src = page.file.src_uri
        entry = STATE.pages.get(src)
        # A team or target page: the digest of what its macro read stands for what it made (some 78 KB of Markdown
        # and held HTML to hash otherwise), when it read the same as last time.
        inputs = incremental.KEPT.inputs.get(src)
        small = _digest(self.early, src, page.meta, b"macro inputs", inputs) if inputs is not None else None
        if entry is not None and small is not None and entry.small == small:
            key = entry.key
        else:
            key = _digest(self.early, src, markdown, page.meta, self.site.held.slots.get(src), self.site.held.tocs.get(src))
        self.keys[src] = (key, small)
        if entry is None or entry.key != key:
            return markdown
        self.candidates[src] = entry
        # No conversion: this page's `render` (which MkDocs calls next) puts back what the last one made.
        page.render = lambda config, files, page=page, entry=entry: _restore(page, entry, files)
        self.site.held.tocs.pop(src, None)  # the entry's table of contents has them already (its held blocks: filled later)
        return markdown

    @event_priority(-100)
    def on_page_content(self, html_text, page, config, files):
        self.contents[page.file.src_uri] = html_text
        return html_text


    @event_priority(-100)
    def on_env(self, env, config, files):
        """Decide, now that every page's title is known, whether the pages with unchanged Markdown keep their HTML."""
        pages = [f.page for f in files.documentation_pages() if f.page is not None]
        # Every page shows the navigation's titles (a page outside it shows its own title alone).
        listed = [(p.file.src_uri, p.title) for p in self.nav.pages] if self.nav is not None else None
        signature = _digest(self.early, listed, site_signals(self.site))
        if signature == STATE.signature:
            self.reused = set(self.candidates)
        for page in pages:
            src = page.file.src_uri
            if src in self.reused:
                page.meta["template"] = TEMPLATE
            elif src in self.candidates:
                page.content = zlib.decompress(self.candidates[src].content).decode("utf-8")
        STATE.signature = signature
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({TEMPLATE: ""}), env.loader])
        env.bytecode_cache = STATE.bytecode  # each rebuild makes a new environment: compile each template once
        return env

    @event_priority(100)  # before the search plugin indexes the page
    def _context_first(self, context, page, config, nav):
        index = self._search(config)
        if index is not None:
            self.search_at[page.file.src_uri] = len(index.entries)
        if page.file.src_uri in self.reused:
            page.content = ""  # nothing for the indexer to parse: its entries are put back below
        return context

    @event_priority(-100)
    def _context_last(self, context, page, config, nav):
        src = page.file.src_uri
        index = self._search(config)
        if index is None or src not in self.search_at:
            return context
        start = self.search_at[src]
        if src in self.reused:
            del index.entries[start:]
            index.entries.extend(self.candidates[src].entries)
        else:
            self.search_entries[src] = list(index.entries[start:])
        return context

    on_page_context = CombinedEvent(_context_first, _context_last)

    @event_priority(-100)  # after every other page event: the HTML as written
    def on_post_page(self, output, page, config):
        src = page.file.src_uri
        if src in self.reused:
            incremental.KEPT.stats["html_reused"] += 1
            dest = Path(page.file.abs_dest_path)
            if STATE.on_disk and self.restored_at is not None and dest.is_file():
                # The last rebuild wrote this very HTML there and it is back in place: writing a thousand unchanged
                # pages again costs a quarter of a second. MkDocs writes nothing for an empty output (and says so at
                # INFO level, which `_Unwritten` keeps quiet); `remove_older` keeps the file.
                self.unwritten.add(dest)
                _UNWRITTEN.messages.add(f"Page skipped: '{src}'. Generated empty output.")
                return ""
            return self.candidates[src].output
        incremental.KEPT.stats["html_rendered"] += 1
        key, small = self.keys.get(src, (None, None))
        if key is not None:
            links = page.links_to_anchors
            STATE.pages[src] = Entry(
                key, small, output, self.candidates[src].content if src in self.candidates
                else zlib.compress(self.contents.get(src, "").encode("utf-8"), 1), page.toc, page._title_from_render,
                set(page.present_anchor_ids) if page.present_anchor_ids is not None else None,
                {f.src_uri: dict(v) for f, v in links.items()} if links is not None else None,
                self.search_entries.get(src, []),
            )
        return output

    @event_priority(-100)  # after the hooks have written the downloads and the search plugin its index
    def on_post_build(self, config):
        """Remove the last rebuild's files that this one did not write again; forget the pages it no longer has."""
        if self.restored_at is not None:
            incremental.remove_older(Path(config.site_dir), self.restored_at, incremental.KEPT.left | self.unwritten)
        for src in [s for s in STATE.pages if s not in self.listed]:
            del STATE.pages[src]
        incremental.forget(self.listed, set(self.site.hb.teams))
        _UNWRITTEN.messages.clear()
        STATE.completed = True
        # What is kept is frozen: the collector's automatic full passes, several per rebuild, need not scan it again
        # and again. The last build's data, dropped by this one, is collected shortly after (hooks.on_post_build).
        gc.freeze()

    def on_build_error(self, error):
        _UNWRITTEN.messages.clear()
        STATE.signature = None  # a failed rebuild may have stopped half-way: compare nothing with it
        if self.aside is not None:  # it stopped before its files were put back: MkDocs made the folder again
            threading.Thread(target=shutil.rmtree, args=(self.aside,), kwargs={"ignore_errors": True}, daemon=True).start()
            self.aside = None


def poll_often(server):
    """Have `serve` look for saved files every POLL_S seconds instead of MkDocs' half second (a save waited 0.25 s on
    average before its rebuild began, now 0.1 s; the idle server's CPU goes from about 1 % of a core to 2 %): set on
    the file watcher before it starts, for the paths watched so far (their emitters) and those watched after this
    event (`watch:` in mkdocs.yml, from the watcher's own setting). Every handler stays, a plugin's own included.
    A watcher not shaped as watchdog's polling one, or already running, is left as it is."""
    observer = getattr(server, "observer", None)
    if not isinstance(observer, watchdog.observers.polling.PollingObserver) or observer.is_alive():
        return server
    emitters = list(observer.emitters)
    if not hasattr(observer, "_timeout") or not all(hasattr(e, "_timeout") for e in emitters):
        return server
    observer._timeout = POLL_S
    for emitter in emitters:
        emitter._timeout = POLL_S
    return server


def _restore(page, entry: Entry, files) -> None:
    """Do what `Page.render` does, from what the last rebuild's conversion of the same Markdown made."""
    page.content = ""  # put back in on_env if the page's template must render again (else its HTML is reused)
    page.toc = entry.toc
    page._title_from_render = entry.title
    page.present_anchor_ids = set(entry.anchors) if entry.anchors is not None else None
    if entry.links_to_anchors is not None:
        page.links_to_anchors = {f: dict(links) for uri, links in entry.links_to_anchors.items()
                                 if (f := files.get_file_from_path(uri)) is not None}


def _list_theme_files_once(theme, key: bytes) -> None:
    """Keep the list of the theme's static files between rebuilds of the same configuration (and overrides/).

    MkDocs lists every file of the theme's folders on each build, and matches each name against its patterns: some
    ten thousand names (the theme's icons among them), a tenth of a second a rebuild, for the same answer.
    """
    get_env = theme.get_env

    def get_env_listing_once():
        env = get_env()
        list_templates = env.list_templates

        def listed(extensions=None, filter_func=None):
            # Only MkDocs' listing of theme files (Files.add_files_from_theme), whose patterns the key covers.
            if extensions is not None or getattr(filter_func, "__qualname__", "") != "Files.add_files_from_theme.<locals>.filter":
                return list_templates(extensions, filter_func)
            if STATE.theme_files is None or STATE.theme_files[0] != key:
                STATE.theme_files = (key, list_templates(filter_func=filter_func))
            return list(STATE.theme_files[1])

        env.list_templates = listed
        return env

    theme.get_env = get_env_listing_once


def _overrides_digest(config) -> bytes:
    custom = getattr(config.theme, "custom_dir", None) or getattr(config.theme, "_custom_dir", None)
    return tree_digest(Path(custom)) if custom else b""


_DIRTY = False  # `mkdocs serve --dirty`


def serving(dirty: bool) -> None:
    """Note how `mkdocs serve` was started (the hooks' `on_startup`)."""
    global _DIRTY
    _DIRTY = dirty


class _Unwritten(logging.Filter):
    """Keeps quiet MkDocs' "Page skipped" line for each reused page the preview left on disk (not a skipped page)."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        return not self.messages or str(record.msg) not in self.messages


_UNWRITTEN = _Unwritten()


def add_to(config, site) -> None:
    """Add the preview's events to this rebuild's plugins (a new configuration is loaded for every rebuild)."""
    builder = logging.getLogger("mkdocs.commands.build")
    if _UNWRITTEN not in builder.filters:
        builder.addFilter(_UNWRITTEN)
    config.plugins["handbook/preview"] = PreviewPlugin(config, site)
