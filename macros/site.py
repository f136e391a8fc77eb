"""The build context: what a build knows (`Site`), loaded once per build, and the downloads it writes.

Plain Python: no engine here. The MkDocs hooks and mkdocs-macros' `define_env` (macros/engines/) and
`python -m macros generate` all load the same `Site` and render the same macros (macros/registry.py); what an
engine run knows beyond it (generated and deferred pages, the page worker) is in macros/engines/prerender.py.
"""

from __future__ import annotations

import functools
import gc
import os
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import downloads as D
from . import i18n
from .checks import CheckResult, reconcile_public, run_checks
from .derive import Analysis, derive_analysis
from .edition import edition_from_env, for_edition, parse_edition
from .held import Held
from .languages import build_language, translate
from .model import Handbook, Team
from .projection import Backtest, backtest
from .render.links import Links, unit_slugs
from .signals import signals_of
from .team_index import TeamIndex, derive_team_index
from .validate import validate_data


@dataclass
class Site:
    """What a build knows: the validated data, everything derived from it, and a few settings.

    Only data and settings: what an engine run adds (generated pages, the page worker) is in macros/engines/.
    """

    hb: Handbook
    analysis: Analysis
    checks: dict[str, CheckResult]
    data_dir: Path
    edit_base: str = ""
    unit_slug: dict[str, str] = field(default_factory=dict)
    directory_urls: bool = True
    held: Held = field(default_factory=Held)  # the HTML the pages hold back from Markdown (macros/held.py)
    edition: str = "intranet"  # or "public": hb then holds the public records alone (macros/edition.py)
    language: str = "en"  # the language the pages are written in (macros/languages.py)
    # The engine rewrites links in raw HTML (Zensical): they stay relative to the page's source file.
    raw_links_from_source: bool = False

    def links(self, src: str) -> Links:
        return Links(src, self.unit_slug, self.directory_urls, source_relative=self.raw_links_from_source)

    # Derived once per build, on first use (a build that renders no team page never groups them).
    @cached_property
    def team_index(self) -> TeamIndex:
        """The per-team lookups the team pages read."""
        return derive_team_index(self.analysis, self.checks)

    @cached_property
    def units_by_slug(self) -> dict[str, tuple[str, list[Team]]]:
        """Each unit's (name, member teams) by its slug."""
        return {self.unit_slug[u]: (u, members) for u, members in self.hb.units().items()}

    @cached_property
    def backtest(self) -> Backtest:
        """The projections back-tested on the organization's own figures (macros/projection.py)."""
        return backtest(self.hb)

    @cached_property
    def team_indicators(self) -> dict[str, list[str]]:
        """The indicators each team reports, for its figures download."""
        return D.team_indicators(self.hb)

    @cached_property
    def signals(self) -> dict[str, str]:
        """The living signals: when the figures last changed, the newest period, the old-figures banner."""
        return signals_of(self.hb, self.data_dir)


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


def _collector_paused(load):
    """Run `load` with the cyclic garbage collector paused, and resume it after.

    Loading makes a few hundred thousand objects that all live as long as the build: each collection pass it set
    off scanned them all and found nothing to free (0.2 to 0.4 s of a build at 1,000 teams).
    """
    @functools.wraps(load)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return load(*args, **kwargs)
        gc.disable()
        try:
            return load(*args, **kwargs)
        finally:
            gc.enable()
    return paused


# The collector's pass over everything (0.1-0.3 s at 1,000 teams) frees the data of the build before the last. It
# runs this long after a build ends, once its pages are served, rather than at the start of the next rebuild: a
# saved edit reaches the page that much sooner. A rebuild that starts first puts the pass off until it ends.
COLLECT_AFTER_S = 0.5
_COLLECTING = threading.Lock()
_COLLECTOR: threading.Timer | None = None


def collect_later(delay: float | None = None) -> None:
    """Collect the garbage of earlier builds `delay` seconds (COLLECT_AFTER_S) from now; a pass asked for before
    and not yet run is put off to then."""
    global _COLLECTOR
    if _COLLECTOR is not None:
        _COLLECTOR.cancel()
    _COLLECTOR = threading.Timer(COLLECT_AFTER_S if delay is None else delay, collect_now)
    _COLLECTOR.daemon = True
    _COLLECTOR.name = "handbook-collector"
    _COLLECTOR.start()


def cancel_collection() -> None:
    """A serve rebuild starts: the pass asked for waits until it ends (each one asks for a pass, failed or not)."""
    if _COLLECTOR is not None:
        _COLLECTOR.cancel()


def collect_now() -> None:
    """Unfreeze what the builds froze, collect what is garbage, freeze the rest again."""
    with _COLLECTING:
        gc.unfreeze()
        gc.collect()
        gc.freeze()


@_collector_paused
def load_site(data_dir: Path, edit_base: str = "", directory_urls: bool = True, edition: str | None = None,
              language: str | None = None) -> Site:
    """Validate data and derive everything once, for an edition ($HANDBOOK_EDITION by default) and a language
    ($HANDBOOK_LANGUAGE, else organization.yml's); raise DataError on bad data, EditionError on an unknown edition,
    LanguageError on a language the build cannot write. Every page rendered after this is in that language."""
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
        raise RuntimeError("the handbook's data is not loaded: is macros/engines/hooks.py listed under hooks in "
                           "mkdocs.yml, or the macros plugin (module_name: macros/engines/macros_plugin) configured?")
    return _SITE


def loaded_site() -> Site | None:
    """The site the last `load_site` loaded, or None."""
    return _SITE


DOWNLOAD_CHUNK = 5  # teams per chunk of figures CSVs


def download_chunks(site: Site) -> list[tuple]:
    """Split the downloads into independent chunks: the statuses, then the teams' figures a few teams at a time."""
    teams = list(site.hb.teams)
    return [("status",)] + [("teams", teams[i:i + DOWNLOAD_CHUNK]) for i in range(0, len(teams), DOWNLOAD_CHUNK)]


def write_download_chunk(site: Site, out: Path, chunk: tuple, kept: dict | None = None) -> None:
    """Write one chunk of the downloads under the site folder (`kept`: see `downloads.status_items`)."""
    if chunk[0] == "status":
        freq = site.hb.frequency
        items = D.status_items(site.analysis.statuses, freq, site.analysis.projections, kept)
        files = {D.STATUS_JSON: D.status_json_text(items), D.STATUS_CSV: D.status_csv_text(items)}
    else:
        indicators = site.team_indicators
        files = {D.team_csv_path(t): D.render_team_csv(site.hb, t, indicators.get(t, [])) for t in chunk[1]}
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def write_downloads(site: Site, out: Path) -> None:
    """Write the statuses (JSON, CSV) and each team's figures (CSV) under the site folder."""
    for chunk in download_chunks(site):
        write_download_chunk(site, out, chunk)
