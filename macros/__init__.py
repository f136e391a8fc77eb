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
    from .engine import pre_page_macros

    pre_page_macros(env)
