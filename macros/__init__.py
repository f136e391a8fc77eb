"""The handbook's Python: load and validate data/, derive statuses, render pages, and the engine glue.

mkdocs-macros imports this package and calls `define_env`; everything else is plain Python.
"""

from __future__ import annotations


def define_env(env):  # pragma: no cover - thin adapter, exercised by the build tests
    """Register the handbook's macros with mkdocs-macros."""
    from .engine import define_env as _define_env

    _define_env(env)


def on_pre_page_macros(env):  # pragma: no cover - thin adapter, exercised by the build tests
    """Refuse template code in a page (body, front matter, title) beyond the allowed calls, before anything renders it."""
    from . import site_pages, team_pages  # noqa: F401 - the registered macros are the allowed calls
    from .engine import check_page_template_code, current_site

    if env.page.file.src_uri in current_site().generated:
        return  # made from data by the hooks, and never rendered as a template (`render_macros: false`)
    page = env.page
    check_page_template_code(env.markdown, page.file.src_uri, getattr(page, "meta", None), getattr(page, "title", None))
