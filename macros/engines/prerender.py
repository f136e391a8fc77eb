"""The build's engine state and the page worker's plumbing: what an engine does with the build context (Site).

`Build` holds what one engine run knows beyond the data: the pages it generates, the pages whose body comes late
(skeletons), the page worker's handle, the theme's cached navigation. `Site` (macros/site.py) holds the data and
settings alone. `render_macro` is how the engines render a macro call: the worker's result if it has one, else
the macro itself (macros/registry.py).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from macros.generate import plan_pages
from macros.held import SLOT, slot_div
from macros.pagecheck import page_macro_calls
from macros.registry import render_call
from macros.site import Site, current_site, download_chunks, write_download_chunk
from macros.team_pages import team_page_skeleton

from .worker import PageWorker

log = logging.getLogger("mkdocs.hooks.handbook")

# For macros whose pages may be completed late (Build.defer): name -> function(site, *args) returning the Markdown
# the macro returns with its held-back HTML left out (the slots are filled from the full render).
SKELETONS: dict[str, Callable[..., str]] = {"team_page": team_page_skeleton}


@dataclass
class Build:
    """One engine run over a loaded Site: its generated and deferred pages, the page worker, cached theme parts."""

    site: Site
    generated: dict[str, tuple] = field(default_factory=dict)  # page src -> (macro name, *args) of a generated page
    deferred: dict[str, tuple] = field(default_factory=dict)  # page src -> (call, skeleton) of a page to complete
    # Built by an engine that runs no MkDocs hooks (from `python -m macros generate`): held HTML is put back by the
    # Markdown extension (macros/engines/mdext.py).
    without_hooks: bool = False
    worker: Any = None  # the PageWorker (worker.py) while one renders pages
    download_chunks: dict[tuple, tuple] = field(default_factory=dict)
    site_clean: Any = None  # set once MkDocs has cleaned the site folder (the worker then writes downloads)
    site_dir: Path | None = None  # where the downloads go
    spare_met: bool = False  # the build's spare items (from the last) have met the worker's (from the first)
    cache: dict[str, Any] = field(default_factory=dict)  # the hooks' navigation and fragments, per build

    def prerender(self, calls: list[tuple[str, str, tuple]], site_dir: Path) -> None:
        """Start rendering these macro calls (page src, macro, arguments) in a second process, then the downloads.

        The worker (see worker.py) renders them in the order given, while MkDocs builds; the build takes each
        result from it, or renders it itself when the worker has not reached it. The downloads come last, in
        chunks. Whenever the build would wait on the worker for a page, it does items from the last one back
        (`_spare`: downloads, then pages, kept until needed), and at its end the chunks left, until the two meet.
        """
        items: dict[tuple, Any] = {("page", src, name, tuple(args)): None for src, name, args in calls}
        chunks = {("downloads", i): chunk for i, chunk in enumerate(download_chunks(self.site))}
        clean = multiprocessing.get_context("fork").Event()  # set once MkDocs has cleaned the site folder

        def work(key: tuple, arg: Any) -> Any:
            if key[0] == "downloads":
                clean.wait()
            return _work_item(key, arg, site_dir)

        self.download_chunks, self.site_clean, self.site_dir = chunks, clean, site_dir
        self.worker = PageWorker({**items, **chunks}, work, lambda: None)

    def release_downloads(self) -> None:
        """Let the worker write downloads: MkDocs has cleaned the site folder (it does so after `on_config`)."""
        if self.site_clean is not None:
            self.site_clean.set()

    def take_prerendered(self, src: str, name: str, args: tuple | list) -> str | None:
        """Return a macro's output the worker has rendered (installing its held HTML and TOC), or None."""
        if self.worker is None:
            return None
        ok, done = self.worker.take(("page", src, name, tuple(args)), self._spare)
        if not ok:
            return None
        markdown, slots, toc, anchors = done
        offset = self.site.held.append(src, slots)
        if slots and offset:  # the worker numbered this call's held blocks from 0: follow on from the page's
            markdown = SLOT.sub(lambda m: slot_div(int(m.group(1)) + offset), markdown)
        elif slots:  # the page's only held blocks: their ids, found where they were made (not on the build's turn)
            self.site.held.found[src] = anchors
        if toc is not None:
            self.site.held.tocs[src] = toc
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
        if skeleton is None or self.worker is None:
            return None
        # The worker's Markdown for the page, if it has arrived, is the skeleton (`complete` checks they agree).
        done = self.worker.peek(("page", src, name, tuple(args)))
        markdown = done[0] if done is not None else skeleton(self.site, *args)
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
            markdown = render_call(self.site, name, src, args)
        if markdown != skeleton:
            raise RuntimeError(f"{src}: the page's title and prose differ from its skeleton (a bug in SKELETONS)")
        return self.site.held.tocs.pop(src, None)

    def _spare(self) -> bool:
        """While the build waits on the worker: do the last item nobody has claimed (a download chunk, else a
        page's macro call, kept for when the build needs it), as the worker goes from the first; False once the two
        have met (what is left is the worker's, or `finish_prerender`'s if it fails)."""
        if self.spare_met or self.site_clean is None or not self.site_clean.is_set() or self.site_dir is None:
            return False
        key = self.worker.claim_last()
        if key is None:
            self.spare_met = True
            return False
        if key[0] == "downloads":
            write_download_chunk(self.site, self.site_dir, self.download_chunks.pop(key))
            return True
        try:
            self.worker.keep(key, _work_item(key, None, self.site_dir))
        except Exception:  # noqa: BLE001 - said when the build renders that page itself, with the page's own report
            self.site.held.slots.pop(key[1], None)
            self.site.held.tocs.pop(key[1], None)
        return True

    def finish_prerender(self, site_dir: Path) -> bool:
        """Write the download chunks the worker has not reached, wait for the rest, and stop it.

        Returns False when there was no worker (the caller writes the downloads).
        """
        worker, self.worker = self.worker, None
        if worker is None:
            return False
        # From the last chunk back, as `_spare`: taken in the worker's order, each would be the worker's.
        for key, chunk in reversed(self.download_chunks.items()):
            ok, _ = worker.take(key)
            if not ok:
                write_download_chunk(self.site, site_dir, chunk)
        self.download_chunks = {}
        worker.finish()
        log.info("The worker rendered %d pages and download chunks; the build did %d itself.",
                 worker.taken, worker.rendered_here)
        return True


_BUILD: Build | None = None


def current_build() -> Build:
    """The engine state of the loaded site (a new one when a new site is loaded: each `serve` rebuild)."""
    global _BUILD
    site = current_site()
    if _BUILD is None or _BUILD.site is not site:
        _BUILD = Build(site)
    return _BUILD


RENDERING = threading.local()  # .src: the page whose macros this thread renders (for macros/engines/mdext.py)


def render_macro(name: str, src: str, *args) -> str:
    """Render a macro for the page at src (its source path under docs/), holding back its finished HTML."""
    build = current_build()
    RENDERING.src = src
    done = build.take_prerendered(src, name, args)
    return done if done is not None else render_call(build.site, name, src, args)


def _work_item(key: tuple, arg: Any, site_dir: Path) -> Any:
    """Do one item in the forked worker (which shares the parent's loaded Site): a macro call, or downloads."""
    site = current_site()
    if key[0] == "downloads":
        write_download_chunk(site, site_dir, arg)
        return None
    _, src, name, args = key
    markdown = render_call(site, name, src, args)
    anchors = site.held.anchors(src)  # the ids of its held HTML, for the links into it
    site.held.found.pop(src, None)
    return markdown, site.held.slots.pop(src, []), site.held.tocs.pop(src, None), anchors


def worker_calls(site: Site, docs_dir: Path, macros: dict[str, Any]) -> list[tuple[str, str, tuple]]:
    """The macro calls for the page worker, in the order that shares them best with the build.

    The build converts the hand-written pages first, in file order, then the generated ones. The worker takes the
    hand-written pages' calls from the last, so the two meet in the middle, then the generated pages in the build's
    order (team pages are needed last: only when the theme renders them). A page written by hand under docs/
    replaces a generated one of the same path.
    """
    generated = {src: call for src, call in plan_pages(site).items() if not (docs_dir / src).is_file()}
    written = []
    for folder, dirs, names in os.walk(docs_dir):
        dirs.sort()
        for filename in sorted(names, key=lambda n: (n != "index.md", n)):  # MkDocs' order: index first
            path = Path(folder, filename)
            src = path.relative_to(docs_dir).as_posix()
            if filename.endswith(".md") and src not in generated:
                text = path.read_text(encoding="utf-8-sig")
                written += [(src, name, args) for name, args in page_macro_calls(text, macros)]
    calls = [(src, name, tuple(args)) for src, (name, *args) in generated.items() if name != "unit_page"]
    return written[::-1] + calls
