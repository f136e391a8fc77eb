"""Incremental rebuilds: what a generated page's macro reads, as a digest, and the outputs kept by it.

Plain Python, no engine: the live preview (macros/engines/preview.py) asks `render_generated` for a team or target
page's Markdown and `write_downloads` for the downloads, and gets the last rebuild's output whenever the digest of
the inputs is unchanged. A page's digest (`page_inputs`) covers the data files other than the figures (byte for
byte), what is derived from all figures that any such page shows (the newest period, the expected periods, the
checks' results), and the page's own slice: the rows of its teams' figures (file and line included), their
statuses, projections, freshness, check failures and the file their figures go in. Every other macro renders
every time. `HANDBOOK_PREVIEW_VERIFY=1` (the tests) renders each reused page again and fails if it differs.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import downloads as D
from .due import derive_dues
from .site import download_chunks, write_download_chunk


def digest(*parts: object) -> bytes:
    """A digest of values: bytes as they are, anything else pickled (records are frozen dataclasses of plain values;
    two equal values that pickle differently only cost a render)."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        if isinstance(part, bytes):
            data = part
        else:
            try:
                data = pickle.dumps(part, protocol=5)
            except (pickle.PicklingError, TypeError, AttributeError):  # an object pickle refuses: its repr
                data = repr(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


def tree_digest(root: Path, skip: tuple[str, ...] = (), keep: tuple[str, ...] | None = None) -> bytes:
    """The digest of the files under root (names and bytes), leaving out those under the names in `skip` directly
    under it (or keeping only those under the names in `keep`)."""
    h = hashlib.blake2b(digest_size=20)
    if not root.is_dir():
        return h.digest()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        top = rel.parts[0] if rel.parts else ""
        if top in skip or (keep is not None and top not in keep):
            continue
        if path.is_file():
            h.update(str(rel).encode("utf-8", "surrogateescape") + b"\0")
            h.update(path.read_bytes())
            h.update(b"\1")
    return h.digest()


@dataclass
class Memo:
    """A generated page's macro output, and what it held back, by the digest of its inputs."""

    digest: bytes
    markdown: str
    slots: list[str]
    toc: list[dict] | None
    anchors: frozenset[str]  # the ids in `slots`


@dataclass
class Kept:
    """What a serving process keeps between rebuilds."""

    memos: dict[str, Memo] = field(default_factory=dict)  # page src -> its macro output
    csvs: dict[str, tuple[bytes, str | None]] = field(default_factory=dict)  # team -> (its figures' key, its CSV)
    statuses: dict = field(default_factory=dict)  # each status's downloads (downloads.status_items)
    # page src -> the digest of its macro's inputs in this rebuild (a team or target page): it stands for the
    # page's Markdown, held HTML and table of contents, which it determines (engines/preview.py keys pages by it).
    inputs: dict[str, bytes] = field(default_factory=dict)
    left: set[Path] = field(default_factory=set)  # downloads this rebuild left as the last one wrote them
    stats: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("macro_reused", "macro_rendered", "html_reused", "html_rendered"), 0))


KEPT = Kept()


def forget(pages: set[str], teams: set[str]) -> None:
    """Drop what belongs to pages and teams that are gone."""
    for src in [s for s in KEPT.memos if s not in pages]:
        del KEPT.memos[src]
    for team in [t for t in KEPT.csvs if t not in teams]:
        del KEPT.csvs[team]


class Inputs:
    """The digests one build's generated pages are compared by, computed once per build."""

    def __init__(self, site) -> None:
        self.site = site
        hb, a = site.hb, site.analysis
        self.ix = site.team_index
        checks = site.checks
        self.unpublished: dict[str, list] = {}
        for name, result in checks.items():
            for f in result.unpublished:
                self.unpublished.setdefault(f.id, []).append((name, f))
        indicators = {i: hb.expected_period(i) for i in hb.indicators}
        # Team pages read the targets a team carries whole, and of the others what names and places them: an edit
        # to one target's values renders again only the pages of the teams that carry it.
        self.carried: dict[str, list] = {}
        for target in hb.targets.values():
            for team in target.teams:
                self.carried.setdefault(team, []).append(target)
        identities = [(t.id, t.title, t.deficit, t.indicator, t.teams, t.visibility) for t in hb.targets.values()]
        self.common = digest(
            tree_digest(Path(site.data_dir), skip=("measurements", "targets.yml")), identities,
            hb.as_of, hb.today, hb.latest_period, a.expected_period, a.reference_date, indicators, hb.frequency,
            site.edition, site.language, site.edit_base, site.directory_urls, sorted(site.unit_slug.items()),
            [(name, r.unstated) for name, r in checks.items()], sorted(self.ix.check_items.items()),
            site.raw_links_from_source,
        )
        self.rows = _team_rows(hb.measurements)
        self.dues = derive_dues(hb)

    def team(self, team_id: str) -> bytes:
        a, ix = self.site.analysis, self.ix
        statuses = a.by_team.get(team_id, [])
        td = self.dues.teams.get(team_id)
        return digest(
            self.common, "team", team_id, self.rows.get(team_id, b""), statuses, a.freshness.get(team_id),
            a.latest_by_team.get(team_id), [a.projections.get((s.target, team_id)) for s in statuses],
            ix.failures.get(team_id), ix.indicators.get(team_id), ix.files.get(team_id),
            self.unpublished.get(team_id), (td.file, td.file_exists) if td is not None else None,
            self.carried.get(team_id, []), [self.site.hb.targets.get(s.target) for s in statuses],
        )

    def target(self, target_id: str) -> bytes:
        a = self.site.analysis
        statuses = a.by_target.get(target_id, [])
        target = self.site.hb.targets.get(target_id)
        teams = list(dict.fromkeys([*(s.team for s in statuses), *(target.teams if target is not None else ())]))
        # Its own record whole (of the others, what names and places them: `common`): an edit to one target's
        # values renders again its page and its teams' pages, not every target's.
        return digest(
            self.common, target, "target", target_id, statuses, [a.projections.get((target_id, t)) for t in teams],
            [(t, self.rows.get(t, b"")) for t in teams],
        )


def _team_rows(frame) -> dict[str, bytes]:
    """The digest of each team's rows of figures (every column, file and line included)."""
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
    inputs = site.__dict__.get("_incremental_inputs")  # once per build: kept on its Site, like its cached properties
    if inputs is None:
        inputs = site.__dict__["_incremental_inputs"] = Inputs(site)
    return inputs


def page_inputs(site, name: str, args: tuple) -> bytes | None:
    """The digest of what a generated page's macro reads, or None for a macro rendered every time."""
    if name not in ("team_page", "target_page") or len(args) != 1:
        return None
    inputs = _inputs(site)
    return inputs.team(args[0]) if name == "team_page" else inputs.target(args[0])


def write_downloads(site, out: Path) -> None:
    """Write the downloads as `macros.site.write_downloads` does, each team's figures CSV made again only when the
    team's rows of figures changed, and written only when changed or missing (`out` may hold the last rebuild's
    files); the files left as they were go in `KEPT.left`."""
    rows = _inputs(site).rows
    indicators = site.team_indicators
    left = KEPT.left
    left.clear()
    for chunk in download_chunks(site):
        if chunk[0] != "teams":
            write_download_chunk(site, out, chunk, KEPT.statuses)
            continue
        for team in chunk[1]:
            inds = indicators.get(team, [])
            key = _csv_key(site, rows, team)
            kept = KEPT.csvs.get(team)
            path = out / D.team_csv_path(team)
            if kept is not None and kept[0] == key and path.is_file():  # the file the last rebuild wrote
                left.add(path)
                continue
            if kept is None or kept[0] != key or kept[1] is None:
                kept = (key, D.render_team_csv(site.hb, team, inds))
            KEPT.csvs.pop(team, None)  # known to be on disk only once it is written
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(kept[1], encoding="utf-8")
            KEPT.csvs[team] = kept


def _csv_key(site, rows: dict[str, bytes], team: str) -> bytes:
    return digest(rows.get(team, b""), site.hb.frequency, site.team_indicators.get(team, []))


def note_downloads(site) -> None:
    """Record each team's figures CSV as written, by its key alone, after a build whose page worker wrote them: the
    next rebuild then leaves the unchanged ones alone, as it does after a rebuild that wrote them itself."""
    rows = _inputs(site).rows
    for team in site.hb.teams:
        KEPT.csvs[team] = (_csv_key(site, rows, team), None)


def render_generated(site, src: str, name: str, args: tuple, render) -> str:
    """Return a generated page's Markdown: the last rebuild's when its inputs are unchanged, else `render()`'s."""
    inputs = page_inputs(site, name, tuple(args))
    if inputs is not None:
        KEPT.inputs[src] = inputs
    memo = KEPT.memos.get(src)
    if inputs is not None and memo is not None and memo.digest == inputs:
        KEPT.stats["macro_reused"] += 1
        site.held.slots[src] = list(memo.slots)
        site.held.found[src] = memo.anchors
        if memo.toc is not None:
            site.held.tocs[src] = memo.toc
        if os.environ.get("HANDBOOK_PREVIEW_VERIFY") == "1":  # tests: the reused output is what a render makes
            again = _render_aside(site, src, render)
            if again != (memo.markdown, memo.slots, memo.toc):
                raise AssertionError(f"{src}: the live preview reused a page whose macro output changed")
        return memo.markdown
    KEPT.stats["macro_rendered"] += 1
    markdown = render()
    if inputs is None:
        KEPT.memos.pop(src, None)
    else:
        KEPT.memos[src] = Memo(inputs, markdown, list(site.held.slots.get(src, [])), site.held.tocs.get(src),
                               site.held.anchors(src))
    return markdown


def _render_aside(site, src: str, render) -> tuple:
    slots, toc = site.held.slots.pop(src, None), site.held.tocs.pop(src, None)
    try:
        markdown = render()
        return markdown, list(site.held.slots.get(src, [])), site.held.tocs.get(src)
    finally:
        site.held.slots[src] = slots if slots is not None else []
        if toc is not None:
            site.held.tocs[src] = toc
        else:
            site.held.tocs.pop(src, None)


def remove_older(site_dir: Path, written_after: int, left: set[Path]) -> None:
    """Remove the files under site_dir last written strictly before `written_after` (a modification time in ns, read
    from a file made on the same file system), except `left` (kept on purpose), and the folders that leaves empty:
    what the rebuild before made and this one did not (a removed team's page and figures, a deleted page). Every
    page and asset a rebuild has is written again after that moment; a file of the last rebuild that a coarse clock
    stamps with the same time is kept (a leftover, never a loss)."""
    for folder, dirs, names in os.walk(site_dir, topdown=False):
        for name in names:
            path = Path(folder, name)
            if path not in left and path.stat().st_mtime_ns < written_after:
                path.unlink()
        for name in dirs:
            try:
                os.rmdir(Path(folder, name))  # only when empty
            except OSError:
                pass
