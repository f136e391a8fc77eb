"""mkdocs-macros glue: register the macros pages call by id. MkDocs' own hooks are in macros/engines/hooks.py.

mkdocs.yml names this file (`module_name: macros/engines/macros_plugin`); mkdocs-macros loads it by its path, not
as part of the package, so it imports the package by its absolute name. Everything a build knows lives in plain
Python below this folder: the build context (site.py), the macro registry (registry.py), the pages and navigation
made from data (generate.py), the template-code check (pagecheck.py). This module only adapts them to
mkdocs-macros (which Zensical also runs, as a Markdown extension).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

_ROOT = Path(__file__).resolve().parent.parent.parent
if str(_ROOT) not in sys.path:  # mkdocs-macros loads this module by file path, not as part of the package
    sys.path.insert(0, str(_ROOT))

from macros.engines.prerender import current_build, render_macro  # noqa: E402
from macros.engines.zensical_adapter import load_without_hooks  # noqa: E402
from macros.pagecheck import check_pages, page_template_code, report  # noqa: E402
from macros.registry import MACROS, macro_calls_report  # noqa: E402
from macros.site import current_site  # noqa: E402


def define_env(env) -> None:
    """Register every macro with mkdocs-macros; each renders from the current build's validated data."""
    load_without_hooks(getattr(env, "conf", None) or {})  # Zensical: before the first page renders

    def bind(name: str, fn: Callable[..., str]):
        def call(*args):
            return render_macro(name, _page_src(env), *args)

        call.__name__ = name
        call.__doc__ = fn.__doc__
        return call

    for name, fn in MACROS.items():
        env.macro(bind(name, fn), name)


def _page_src(env) -> str:
    """The page's source path under docs/: MkDocs' page.file.src_uri, Zensical's page.path."""
    page = getattr(env, "page", None)
    if page is None:
        return "index.md"
    file = getattr(page, "file", None)
    return file.src_uri if file is not None else str(page.path)


def pre_page_macros(env) -> None:
    """mkdocs-macros' hook before a page renders: refuse template code in it (a generated page holds none)."""
    page = env.page
    if page.file.src_uri in current_build().generated:
        return  # made from data by the hooks, and never rendered as a template (`render_macros: false`)
    check_page_template_code(env.markdown, page.file.src_uri, getattr(page, "meta", None), getattr(page, "title", None))
    if report := macro_calls_report(current_site(), env.markdown, page.file.src_uri):  # arguments out of range
        _stop(report)


on_pre_page_macros = pre_page_macros  # the name mkdocs-macros looks for


def check_page_template_code(markdown: str, src: str, meta: dict | None = None, title: object = None) -> None:
    """Stop the build when a page (its text, front matter or title) holds template code beyond the allowed calls."""
    found = page_template_code(markdown, src, meta, title, MACROS)
    if found:
        _stop(report(found, sorted(MACROS)))


def check_docs_template_code(docs_dir: Path, *more) -> None:  # more: overrides, data_dir, public (check_pages)
    """Stop the build before any page renders on a refused file or template code in a page (as `check` does)."""
    found = check_pages(docs_dir, *more)
    if found:
        _stop(report(found))


def _stop(message: str) -> NoReturn:
    """Stop a MkDocs build with a message. Imported here: Zensical runs this module without MkDocs installed."""
    from mkdocs.exceptions import PluginError

    raise PluginError(message)
