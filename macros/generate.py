"""Every page made from data, and the navigation that lists them, decided once for every engine.

`plan_pages` says which pages a build generates (practices, targets, units, teams: each a macro called by id) and
`expand_nav` the navigation with them. The MkDocs hooks use both in memory; `python -m macros generate DIR` writes
them to files, for an engine that runs no hooks (Zensical): a page per file, holding only its macro call by id,
and a configuration that adds the navigation to mkdocs.yml.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .i18n import N_, _
from .render import links as L

if TYPE_CHECKING:
    from .site import Site

# Above this many teams (or targets), their pages leave the navigation and are reached from index and unit pages:
# Material writes the whole visible navigation into every page, so a long list costs time and weight on each.
NAV_LIMIT = 60
# Above this many units, units leave the navigation too (the teams index lists them all), whatever nav_limit says.
UNIT_NAV_LIMIT = 60
PHASES = {"framework": N_("Creating the framework"), "driving": N_("Driving performance"),
          "learning": N_("Learning and ratcheting up")}


def left_out(site: Site) -> frozenset[str]:
    """The hand-written pages this edition leaves out (the contributor pages in the public edition)."""
    return frozenset(L.CONTRIBUTOR_PAGES) if site.edition == "public" else frozenset()


def plan_pages(site: Site) -> dict[str, tuple]:
    """Page src -> (macro, *arguments) of each page made from data: practices, targets, units, teams."""
    hb = site.hb
    pages: dict[str, tuple] = {}
    for p in hb.practices:
        pages[L.practice_src(p.number)] = ("practice_page", p.number)
    for t in hb.targets:
        pages[L.target_src(t)] = ("target_page", t)
    for slug in site.unit_slug.values():
        pages[L.unit_src(slug)] = ("unit_page", slug)
    for t in hb.teams:
        pages[L.team_src(t)] = ("team_page", t)
    return pages


def nav_title(text: str) -> str:
    """A navigation title from data: HTML escaped (themes print it raw), braces as entities (no template syntax)."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    return escaped.replace("{", "&#123;").replace("}", "&#125;")


def expand_nav(nav: list | None, site: Site, limit: int = NAV_LIMIT, unit_limit: int | None = None) -> list | None:
    """Replace the placeholder entries for practices, targets and teams with their generated pages."""
    if not nav:
        return nav
    hb = site.hb
    practices: list = [L.PRACTICES_INDEX]
    for phase, label in PHASES.items():
        items = [{nav_title(f"{p.number}. {p.title}"): L.practice_src(p.number)} for p in hb.practices if p.phase == phase]
        if items:
            practices.append({_(label): items})
    targets: list = [L.TARGETS_INDEX]
    if len(hb.targets) <= limit:
        targets += [{nav_title(t.title): L.target_src(t.id)} for t in hb.targets.values()]
    teams: list = [L.TEAMS_INDEX]
    units = hb.units()
    # Units beyond the limit leave the sidebar too (the teams index lists them all): 1,000 teams in 1,000 units
    # built in 107 s and 355 MB with a nav entry each, against 7.7 s in 10 units.
    for unit, members in units.items() if len(units) <= (UNIT_NAV_LIMIT if unit_limit is None else unit_limit) else ():
        unit_page = L.unit_src(site.unit_slug[unit])
        if len(hb.teams) <= limit:
            teams.append({nav_title(unit): [unit_page] + [{nav_title(t.name): L.team_src(t.id)} for t in members]})
        else:
            teams.append({nav_title(unit): unit_page})
    expansions = {L.PRACTICES_INDEX: practices, L.TARGETS_INDEX: targets, L.TEAMS_INDEX: teams}
    dropped = left_out(site)

    def walk(items: list) -> list:
        out = []
        for item in items:
            src = item if isinstance(item, str) else next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else None
            if isinstance(src, str) and src in dropped:
                continue
            if isinstance(item, dict) and len(item) == 1:
                (title, value), = item.items()
                if isinstance(value, str) and value in expansions:
                    out.append({title: expansions[value]})
                elif isinstance(value, list):
                    out.append({title: walk(value)})
                else:
                    out.append(item)
            else:
                out.append(item)
        return out

    return walk(nav)


def worker_calls(site: Site, docs_dir: Path, macros: dict[str, Any]) -> list[tuple[str, str, tuple]]:
    """The macro calls for the page worker, in the order that shares them best with the build.

    The build converts the hand-written pages first, in file order, then the generated ones. The worker takes the
    hand-written pages' calls from the last, so the two meet in the middle, then the generated pages in the build's
    order (team pages are needed last: only when the theme renders them). A page written by hand under docs/
    replaces a generated one of the same path.
    """
    from .pagecheck import page_macro_calls

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


def macro_call(call: tuple) -> str:
    """The page text that calls a generated page's macro by id: `{{ team_page("lab") }}`."""
    name, *args = call
    return "{{ " + name + "(" + ", ".join(json.dumps(a) for a in args) + ") }}\n"


ENGINES = ("zensical", "mkdocs")


class RefusedFiles(ValueError):
    """A file under docs/ or overrides/ that no engine may read, or template code in a page: nothing is written."""

SHIM = "handbook_engine"  # the macros module a generated configuration names (mkdocs-macros, Zensical)


def write_generated(site: Site, out: Path, config_file: Path, engine: str = "zensical") -> dict[str, tuple]:
    """Write a project an engine without hooks builds: the pages (each generated one only its macro call by id)
    and its configuration (mkdocs.yml, the navigation expanded). Return the generated pages (src -> call).

    out/docs/ holds the contributor pages and the generated ones, out/mkdocs.yml the project's configuration with
    the navigation expanded, no hooks, the macros module out/handbook_engine.py (which imports this package) and
    the Markdown extension that puts back held HTML; the site is built in out/site/ (Zensical wants it inside).
    For Zensical, links in raw HTML stay relative to the page's source file (it rewrites them) and the theme
    overrides leave out Material's search partial (its own search differs).
    """
    import shutil

    import yaml

    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    root = config_file.resolve().parent
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    docs_src = root / str(config.get("docs_dir") or "docs")
    docs = out / "docs"
    mine, theirs = docs.resolve(), docs_src.resolve()
    if out.resolve() == root or mine == theirs or mine in theirs.parents or theirs in mine.parents:
        raise ValueError(f"{out}: write the generated project to a folder of its own (e.g. generated/), not over "
                         "the project or its pages")
    theme = dict(config.get("theme") or {})
    overrides = root / str(theme["custom_dir"]) if theme.get("custom_dir") else None
    from .pagecheck import check_pages, report

    # Before a file is copied: a link would be copied as what it points to, a name or page run by the engine.
    if found := check_pages(docs_src, overrides, site.data_dir, site.edition == "public"):
        raise RefusedFiles(report(found))
    shutil.rmtree(docs, ignore_errors=True)
    shutil.rmtree(out / ".cache", ignore_errors=True)  # Zensical's cache of rendered pages: their data may have changed
    shutil.copytree(docs_src, docs, symlinks=True)  # a link stays a link, and the build's own check refuses it
    for src in left_out(site):
        (docs / src).unlink(missing_ok=True)
    pages = {src: call for src, call in plan_pages(site).items() if not (docs_src / src).is_file()}
    for src, call in pages.items():
        path = docs / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(macro_call(call), encoding="utf-8")
    from .site import write_downloads

    write_downloads(site, docs)  # published beside the pages: any engine copies them as they are
    rel = lambda p: os.path.relpath(p, out.resolve())  # noqa: E731
    handbook = dict((config.get("extra") or {}).get("handbook") or {})
    handbook["data_dir"] = rel(site.data_dir.resolve())
    handbook["edition"] = site.edition
    if engine == "zensical":
        handbook["raw_links"] = "source"
    if overrides is not None:
        if engine == "zensical":
            theme.setdefault("variant", "classic")  # Material's look, as MkDocs builds it
            shutil.rmtree(out / "overrides", ignore_errors=True)
            shutil.copytree(overrides, out / "overrides", ignore=shutil.ignore_patterns("search.html"), symlinks=True)
            theme["custom_dir"] = "overrides"
        else:
            theme["custom_dir"] = rel(overrides)
    plugins = []
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "macros" in plugin:
            plugin = {"macros": {**(plugin["macros"] or {}), "module_name": SHIM}}
        plugins.append(plugin)
    extensions = list(config.get("markdown_extensions") or []) + ["macros.mdext"]
    limit = int(handbook.get("nav_limit", NAV_LIMIT))
    from html import escape

    from .naming import derive_site_name, edition_site_name

    # As the hooks do for MkDocs: the organization's name first, escaped (themes print site_name as it is, also
    # inside attributes: Material's logo has aria-label="{{ config.site_name }}", so quotes are escaped too).
    site_name = escape(edition_site_name(derive_site_name(config.get("site_name"), site.hb.organization.name),
                                         site.edition), quote=True)
    config = {**config, "site_name": site_name, "docs_dir": "docs", "site_dir": "site", "theme": theme, "plugins": plugins,
              "markdown_extensions": extensions, "extra": {**(config.get("extra") or {}), "handbook": handbook},
              "nav": expand_nav(config.get("nav"), site, limit)}
    for key in ("hooks", "watch"):
        config.pop(key, None)
    header = "# Written by `python -m macros generate`: do not edit; edit the project's mkdocs.yml and data/.\n"
    (out / "mkdocs.yml").write_text(header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (out / f"{SHIM}.py").write_text(
        '"""Written by `python -m macros generate`: the handbook\'s macros, for an engine that builds this folder."""\n\n'
        "import sys\nfrom pathlib import Path\n\n"
        f"_ROOT = str((Path(__file__).resolve().parent / {rel(root)!r}).resolve())\n"
        "if _ROOT not in sys.path:\n    sys.path.insert(0, _ROOT)\n\n"
        "from macros import define_env  # noqa: E402, F401\n",
        encoding="utf-8",
    )
    return pages
