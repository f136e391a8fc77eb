"""The differential live preview: under `mkdocs serve`, a rebuild reuses what the previous rebuild made.

`mkdocs serve` rebuilds the whole site into its folder on every save (it empties the folder first): MkDocs has no
incremental build. The serving process keeps, per page, what the last rebuild made, and reuses it:

1. **A generated page's macro output** (team and target pages, the bulk of a large organization) when the inputs it
   is drawn from are unchanged: its digest (`page_inputs`) covers the data files other than the figures (byte for
   byte), what is derived from all figures that any page shows (the newest period, the expected periods, the
   checks' results), and the page's own slice: the rows of its teams' figures (file and line included), their
   statuses, projections, freshness, check failures and the file their figures go in. Any other macro is rendered.
2. **A page's finished HTML** (no Markdown conversion, no theme template) when its Markdown after macros, its held
   HTML and table of contents, its front matter and the site-wide signature are unchanged. The signature covers the
   configuration file, the navigation the hooks made and every page's title in it, the list of files, the theme's
   overrides, the environment settings the handbook reads and the footer's living signals (figures last changed,
   newest period, the banner), so a change to any of them renders every page's template again. Its search-index
   entries, title, table of contents and anchors are reused with it.

Every page is still written (MkDocs empties the folder), and the search index, sitemap and downloads are made
again, so the served folder is the same as a full build's (tests/test_preview.py compares them file by file).
Outside `serve`, nothing here runs.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.plugins import CombinedEvent, event_priority

# Environment settings the handbook's pages depend on: a change renders everything again.
_ENV = ("HANDBOOK_EDITION", "HANDBOOK_TODAY", "HANDBOOK_NAV_CACHE", "HANDBOOK_DATA")
TEMPLATE = "hb-preview-reused.html"  # an empty template: a reused page's HTML is put back after it renders


def _digest(*parts: object) -> bytes:
    """A digest of values: bytes as they are, anything else pickled (records are frozen dataclasses of plain values;
    two equal values that pickle differently only cost a render)."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part if isinstance(part, bytes) else pickle.dumps(part, protocol=5)
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


def _tree_digest(root: Path, skip: str | None = None) -> bytes:
    """The digest of every file under root (names and bytes), leaving out the folder `skip` directly under it."""
    h = hashlib.blake2b(digest_size=20)
    if not root.is_dir():
        return h.digest()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if skip is not None and rel.parts and rel.parts[0] == skip:
            continue
        if path.is_file():
            h.update(str(rel).encode("utf-8", "surrogateescape") + b"\0")
            h.update(path.read_bytes())
            h.update(b"\1")
    return h.digest()


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

    key: bytes
    output: str  # the HTML written
    content: str  # page.content after conversion (what search indexes and the template shows)
    toc: Any
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None
    entries: list[dict] = field(default_factory=list)  # its search-index entries


@dataclass
class Memo:
    """A generated page's macro output, and what it held back, by the digest of its inputs."""

    digest: bytes
    markdown: str
    slots: list[str]
    toc: list[dict] | None


class Preview:
    """What the serving process keeps between rebuilds."""

    def __init__(self) -> None:
        self.pages: dict[str, Entry] = {}
        self.memos: dict[str, Memo] = {}
        self.signature: bytes | None = None  # the previous rebuild's site-wide signature
        self.bytecode = _Bytecode()  # the theme's compiled templates, by name and source
        self.csvs: dict[str, tuple[bytes, str]] = {}  # team -> (its figures' digest, its figures CSV)
        self.stats = {"macro_reused": 0, "macro_rendered": 0, "html_reused": 0, "html_rendered": 0}


STATE = Preview()


def reset() -> None:
    """Forget everything (tests; a new serving session)."""
    global STATE
    STATE = Preview()


class _Bytecode:
    """Jinja's compiled templates kept in memory (jinja2 checks each against its template's source)."""

    def __new__(cls):
        import jinja2

        class Cache(jinja2.BytecodeCache):
            def __init__(self) -> None:
                self.kept: dict[str, bytes] = {}

            def load_bytecode(self, bucket) -> None:
                code = self.kept.get(bucket.key)
                if code is not None:
                    bucket.bytecode_from_string(code)

            def dump_bytecode(self, bucket) -> None:
                self.kept[bucket.key] = bucket.bytecode_to_string()

        return Cache()


# ---------------------------------------------------------------------------------------------------------------
# 1. The inputs of a generated page.

class Inputs:
    """The digests one build's generated pages are compared by, computed once per build."""

    def __init__(self, site) -> None:
        from .team_pages import team_index

        self.site = site
        hb, a = site.hb, site.analysis
        self.ix = team_index(site)
        checks = site.checks
        self.unpublished: dict[str, list] = {}
        for name, result in checks.items():
            for f in result.unpublished:
                self.unpublished.setdefault(f.id, []).append((name, f))
        indicators = {i: hb.expected_period(i) for i in hb.indicators}
        self.common = _digest(
            _tree_digest(Path(site.data_dir), skip="measurements"),
            hb.as_of, hb.today, hb.latest_period, a.expected_period, a.reference_date, indicators, hb.frequency,
            site.edition, site.edit_base, site.directory_urls, sorted(site.unit_slug.items()),
            [(name, r.unstated) for name, r in checks.items()], sorted(self.ix.check_items.items()),
            site.without_hooks, site.raw_links_from_source,
        )
        self.rows = _team_rows(hb.measurements)
        from .due import derive_dues

        self.dues = derive_dues(hb)

    def team(self, team_id: str) -> bytes:
        a, ix = self.site.analysis, self.ix
        statuses = a.by_team.get(team_id, [])
        td = self.dues.teams.get(team_id)
        return _digest(
            self.common, "team", team_id, self.rows.get(team_id, b""), statuses, a.freshness.get(team_id),
            a.latest_by_team.get(team_id), [a.projections.get((s.target, team_id)) for s in statuses],
            ix.failures.get(team_id), ix.indicators.get(team_id), ix.files.get(team_id),
            self.unpublished.get(team_id), (td.file, td.file_exists) if td is not None else None,
        )

    def target(self, target_id: str) -> bytes:
        a = self.site.analysis
        statuses = a.by_target.get(target_id, [])
        target = self.site.hb.targets.get(target_id)
        teams = list(dict.fromkeys([*(s.team for s in statuses), *(target.teams if target is not None else ())]))
        return _digest(
            self.common, "target", target_id, statuses, [a.projections.get((target_id, t)) for t in teams],
            [(t, self.rows.get(t, b"")) for t in teams],
        )


def _team_rows(frame) -> dict[str, bytes]:
    """The digest of each team's rows of figures (every column, file and line included)."""
    import numpy as np
    import pandas as pd

    if not len(frame):
        return {}
    hashed = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    codes = frame["team"].cat.codes.to_numpy()
    order = np.argsort(codes, kind="stable")
    codes, hashed = codes[order], hashed[order]
    bounds = np.flatnonzero(np.diff(codes)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [len(codes)]))
    names = frame["team"].cat.categories
    return {str(names[codes[s]]): hashlib.blake2b(hashed[s:e].tobytes(), digest_size=16).digest()
            for s, e in zip(starts, ends, strict=True) if codes[s] >= 0}


def _inputs(site) -> Inputs:
    inputs = site.cache.get("preview_inputs")
    if inputs is None:
        inputs = site.cache["preview_inputs"] = Inputs(site)
    return inputs


def page_inputs(site, name: str, args: tuple) -> bytes | None:
    """The digest of what a generated page's macro reads, or None for a macro rendered every time."""
    if name not in ("team_page", "target_page") or len(args) != 1:
        return None
    inputs = _inputs(site)
    return inputs.team(args[0]) if name == "team_page" else inputs.target(args[0])


def write_downloads(site, out: Path) -> None:
    """Write the downloads as `macros.site.write_downloads` does, each team's figures CSV made again only when the
    team's rows of figures changed."""
    from . import downloads as D
    from .site import download_chunks, write_download_chunk

    rows = _inputs(site).rows
    indicators = D.team_indicators(site.hb)
    for chunk in download_chunks(site):
        if chunk[0] != "teams":
            write_download_chunk(site, out, chunk)
            continue
        for team in chunk[1]:
            inds = indicators.get(team, [])
            key = _digest(rows.get(team, b""), site.hb.frequency, inds)
            kept = STATE.csvs.get(team)
            if kept is None or kept[0] != key:
                kept = STATE.csvs[team] = (key, D.render_team_csv(site.hb, team, inds))
            path = out / D.team_csv_path(team)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(kept[1], encoding="utf-8")


def render_generated(site, src: str, name: str, args: tuple, render) -> str:
    """Return a generated page's Markdown: the last rebuild's when its inputs are unchanged, else `render()`'s."""
    digest = page_inputs(site, name, tuple(args))
    memo = STATE.memos.get(src)
    if digest is not None and memo is not None and memo.digest == digest:
        STATE.stats["macro_reused"] += 1
        site.slots[src] = list(memo.slots)
        if memo.toc is not None:
            site.tocs[src] = memo.toc
        if os.environ.get("HANDBOOK_PREVIEW_VERIFY") == "1":  # tests: the reused output is what a render makes
            again = _render_aside(site, src, render)
            if again != (memo.markdown, memo.slots, memo.toc):
                raise AssertionError(f"{src}: the live preview reused a page whose macro output changed")
        return memo.markdown
    STATE.stats["macro_rendered"] += 1
    markdown = render()
    if digest is None:
        STATE.memos.pop(src, None)
    else:
        STATE.memos[src] = Memo(digest, markdown, list(site.slots.get(src, [])), site.tocs.get(src))
    return markdown


def _render_aside(site, src: str, render) -> tuple:
    slots, toc = site.slots.pop(src, None), site.tocs.pop(src, None)
    try:
        markdown = render()
        return markdown, list(site.slots.get(src, [])), site.tocs.get(src)
    finally:
        site.slots[src] = slots if slots is not None else []
        if toc is not None:
            site.tocs[src] = toc
        else:
            site.tocs.pop(src, None)


# ---------------------------------------------------------------------------------------------------------------
# 2. Finished pages: an engine plugin added to MkDocs' plugins for `serve` (macros/hooks.py, on_config).

class PreviewPlugin:
    """MkDocs events of the differential preview (not a BasePlugin: only these events are registered)."""

    def __init__(self, config, site) -> None:
        self.site = site
        self.early = b""
        self.nav = None
        self.listed: set[str] = set()
        self.keys: dict[str, bytes] = {}  # page src -> its key this build
        self.candidates: dict[str, Entry] = {}  # pages whose Markdown is unchanged: content restored
        self.reused: set[str] = set()  # ... and whose HTML is reused (the site-wide signature is unchanged)
        self.search_at: dict[str, int] = {}
        self.search_entries: dict[str, list[dict]] = {}
        self.contents: dict[str, str] = {}
        self.config_digest = _digest(
            Path(config.config_file_path).read_bytes() if config.config_file_path else b"",
            [(k, os.environ.get(k)) for k in _ENV], str(config.get("site_name")), config.get("site_url"),
            repr(config.get("nav")), _overrides_digest(config),
        )

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

    @event_priority(-100)  # after mkdocs-macros (0) and the hooks (100): the Markdown as it is converted
    def on_page_markdown(self, markdown, page, config, files):
        src = page.file.src_uri
        key = _digest(self.early, src, markdown, page.meta, self.site.slots.get(src), self.site.tocs.get(src))
        self.keys[src] = key
        entry = STATE.pages.get(src)
        if entry is None or entry.key != key:
            return markdown
        self.candidates[src] = entry
        # No conversion: this page's `render` (which MkDocs calls next) puts back what the last one made.
        page.render = lambda config, files, page=page, entry=entry: _restore(page, entry, files)
        self.site.tocs.pop(src, None)  # the entry's table of contents has them already (its held blocks: filled later)
        return markdown

    @event_priority(-100)
    def on_page_content(self, html_text, page, config, files):
        self.contents[page.file.src_uri] = html_text
        return html_text


    @event_priority(-100)
    def on_env(self, env, config, files):
        """Decide, now that every page's title is known, whether the pages with unchanged Markdown keep their HTML."""
        from .signals import site_signals

        pages = [f.page for f in files.documentation_pages() if f.page is not None]
        # Every page shows the navigation's titles (a page outside it shows its own title alone).
        listed = [(p.file.src_uri, p.title) for p in self.nav.pages] if self.nav is not None else None
        signature = _digest(self.early, listed, site_signals(self.site))
        if signature == STATE.signature:
            self.reused = set(self.candidates)
            for page in pages:
                if page.file.src_uri in self.reused:
                    page.meta["template"] = TEMPLATE
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
            STATE.stats["html_reused"] += 1
            return self.candidates[src].output
        STATE.stats["html_rendered"] += 1
        key = self.keys.get(src)
        if key is not None:
            links = page.links_to_anchors
            STATE.pages[src] = Entry(
                key, output, self.contents.get(src, ""), page.toc, page._title_from_render,
                set(page.present_anchor_ids) if page.present_anchor_ids is not None else None,
                {f.src_uri: dict(v) for f, v in links.items()} if links is not None else None,
                self.search_entries.get(src, []),
            )
        return output

    def on_post_build(self, config):
        """Forget the pages this rebuild no longer has."""
        for kept in (STATE.pages, STATE.memos):
            for src in [s for s in kept if s not in self.listed]:
                del kept[src]
        teams = set(self.site.hb.teams)
        for team in [t for t in STATE.csvs if t not in teams]:
            del STATE.csvs[team]

    def on_build_error(self, error):
        STATE.signature = None  # a failed rebuild may have stopped half-way: compare nothing with it


def _restore(page, entry: Entry, files) -> None:
    """Do what `Page.render` does, from what the last rebuild's conversion of the same Markdown made."""
    page.content = entry.content
    page.toc = entry.toc
    page._title_from_render = entry.title
    page.present_anchor_ids = set(entry.anchors) if entry.anchors is not None else None
    if entry.links_to_anchors is not None:
        page.links_to_anchors = {f: dict(links) for uri, links in entry.links_to_anchors.items()
                                 if (f := files.get_file_from_path(uri)) is not None}


def _overrides_digest(config) -> bytes:
    custom = getattr(config.theme, "custom_dir", None) or getattr(config.theme, "_custom_dir", None)
    return _tree_digest(Path(custom)) if custom else b""


def add_to(config, site) -> None:
    """Add the preview's events to this rebuild's plugins (a new configuration is loaded for every rebuild)."""
    config.plugins["handbook/preview"] = PreviewPlugin(config, site)
