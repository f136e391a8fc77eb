"""The Zensical adapter: the project `python -m macros generate` writes for an engine without MkDocs hooks, and
how such an engine loads the data (`load_without_hooks`, called by the mkdocs-macros adapter's `define_env`).

The pages and navigation come from macros/generate.py (the same the MkDocs hooks use in memory); this module writes
them as files with a configuration that names the adapters here (macros_plugin.py through a small module, mdext.py).
"""

from __future__ import annotations

import os
import shutil
import threading
from html import escape
from pathlib import Path

import yaml

from macros.edition import PUBLIC
from macros.errors import DataError, safe_lines
from macros.filecheck import overrides_of
from macros.generate import NAV_LIMIT, expand_nav, left_out, macro_call, plan_pages
from macros.languages import translate_nav
from macros.naming import derive_site_name, edition_site_name
from macros.pagecheck import check_pages, report
from macros.site import Site, data_dir_for, edit_base_of, load_site, loaded_site, write_downloads

from .prerender import current_build

ENGINES = ("zensical", "mkdocs")


class RefusedFiles(ValueError):
    """A file under docs/ or overrides/ that no engine may read, or template code in a page: nothing is written."""

SHIM = "handbook_engine"  # the macros module a generated configuration names (mkdocs-macros, Zensical)
MDEXT = "macros.engines.mdext"  # the Markdown extension that puts back held HTML without hooks


def write_generated(site: Site, out: Path, config_file: Path, engine: str = "zensical") -> dict[str, tuple]:
    """Write a project an engine without hooks builds: the pages (each generated one only its macro call by id)
    and its configuration (mkdocs.yml, the navigation expanded). Return the generated pages (src -> call).

    out/docs/ holds the contributor pages and the generated ones, out/mkdocs.yml the project's configuration with
    the navigation expanded, no hooks, the macros module out/handbook_engine.py (which imports this package) and
    the Markdown extension that puts back held HTML; the site is built in out/site/ (Zensical wants it inside).
    For Zensical, links in raw HTML stay relative to the page's source file (it rewrites them) and the theme
    overrides leave out Material's search partial (its own search differs).
    """
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
    write_downloads(site, docs)  # published beside the pages: any engine copies them as they are
    rel = lambda p: os.path.relpath(p, out.resolve())  # noqa: E731
    handbook = dict((config.get("extra") or {}).get("handbook") or {})
    handbook["data_dir"] = rel(site.data_dir.resolve())
    handbook["edition"] = site.edition
    handbook["language"] = site.language  # the language `generate` wrote the pages in (macros/languages.py)
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
    extensions = list(config.get("markdown_extensions") or []) + [MDEXT]
    limit = int(handbook.get("nav_limit", NAV_LIMIT))
    # As the hooks do for MkDocs: the organization's name first, escaped (themes print site_name as it is, also
    # inside attributes: Material's logo has aria-label="{{ config.site_name }}", so quotes are escaped too).
    site_name = escape(edition_site_name(derive_site_name(config.get("site_name"), site.hb.organization.name),
                                         site.edition), quote=True)
    config = {**config, "site_name": site_name, "docs_dir": "docs", "site_dir": "site", "theme": {**theme, "language": site.language.split("-")[0]}, "plugins": plugins,
              "markdown_extensions": extensions, "extra": {**(config.get("extra") or {}), "handbook": handbook},
              "nav": expand_nav(translate_nav(config.get("nav")), site, limit)}
    for key in ("hooks", "watch"):
        config.pop(key, None)
    header = "# Written by `python -m macros generate`: do not edit; edit the project's mkdocs.yml and data/.\n"
    (out / "mkdocs.yml").write_text(header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (out / f"{SHIM}.py").write_text(
        '"""Written by `python -m macros generate`: the handbook\'s macros, for an engine that builds this folder."""\n\n'
        "import sys\nfrom pathlib import Path\n\n"
        f"_ROOT = str((Path(__file__).resolve().parent / {rel(root)!r}).resolve())\n"
        "if _ROOT not in sys.path:\n    sys.path.insert(0, _ROOT)\n\n"
        "from macros.engines.macros_plugin import define_env  # noqa: E402, F401\n",
        encoding="utf-8",
    )
    return pages


_LOAD_LOCK = threading.Lock()


def load_without_hooks(conf: dict) -> Site | None:
    """Under an engine without MkDocs hooks (Zensical), load the site from its configuration, once; else None.

    Under MkDocs the hooks load it at `on_config`, after mkdocs-macros' `define_env` calls this. Without them,
    only the project `generate` wrote has every page: building the plain mkdocs.yml would leave out every page
    made from data, and say nothing.
    """
    hooks = conf.get("hooks")
    if isinstance(hooks, dict) and any(hasattr(m, "plan_pages") for m in hooks.values()):
        return None  # macros/engines/hooks.py runs: it loads the data at on_config
    if not ((conf.get("extra") or {}).get("handbook") or {}).get("data_dir"):
        raise SystemExit("This engine runs no MkDocs hooks, so the pages made from data would be missing: build "
                         "the project `python -m macros generate DIR` writes (see the README, Engines).")
    return load_site_once(conf)


def load_site_once(conf: dict) -> Site:
    """Return the loaded site, or load it from an engine's configuration when no MkDocs hook has (Zensical).

    Such an engine runs neither `on_config` nor `on_pre_page_macros`: the pages are checked for template code and
    the data validated here, before the first page renders; either failing stops the build with the same report
    as `python -m macros check`. It rewrites the links in raw HTML itself, and fills no slot after Markdown: the
    site says so to the links (relative to the page's source) and the build to the held-HTML Markdown extension
    (macros/engines/mdext.py).
    """
    with _LOAD_LOCK:
        loaded = loaded_site()
        if loaded is not None:
            return loaded
        root = Path(conf.get("root_dir") or conf.get("config_file_path") or ".").resolve()
        if root.is_file():
            root = root.parent
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
                             handbook.get("edition"), handbook.get("language"))  # the edition and language `generate` wrote
        except DataError as exc:
            raise SystemExit(exc.report()) from None
        current_build().without_hooks = True
        site.raw_links_from_source = handbook.get("raw_links") == "source"
        return site
