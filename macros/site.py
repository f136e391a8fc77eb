"""The build context: what a build knows (`Site`), loaded once per build, and the downloads it writes.

Plain Python: no engine here. The MkDocs hooks and mkdocs-macros' `define_env` (macros/engines/) and
`python -m macros generate` all load the same `Site` and render the same macros (macros/registry.py); what an
engine run knows beyond it (generated and deferred pages, the page worker) is in macros/engines/prerender.py.
"""

from __future__ import annotations

import os
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
from .render.links import Links, unit_slugs
from .validate import validate_data


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
    edition: str = "intranet"  # or "public": hb then holds the public records alone (macros/edition.py)
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


def load_site(data_dir: Path, edit_base: str = "", directory_urls: bool = True, edition: str | None = None) -> Site:
    """Validate data and derive everything once, for an edition ($HANDBOOK_EDITION by default); raise DataError on
    bad data, EditionError on an unknown edition."""
    from .edition import edition_from_env, for_edition, parse_edition

    global _SITE
    edition = edition_from_env() if edition is None else parse_edition(edition, "edition")
    # The public edition is the public records alone, cut before anything is derived (macros/edition.py).
    whole = validate_data(data_dir)
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
        unit_slugs(list(hb.units())), directory_urls, edition=edition,
    )
    _SITE = site
    return site


def current_site() -> Site:
    if _SITE is None:
        raise RuntimeError("the handbook's data is not loaded: is macros/engines/hooks.py listed under hooks in "
                           "mkdocs.yml, or the macros plugin (module_name: macros/engines/macros_plugin) configured?")
    return _SITE


def loaded_site() -> Site | None:
    """The site the last `load_site` loaded, or None."""
    return _SITE


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
