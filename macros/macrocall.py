"""A page's macro call as text: the one form a page may use, its literal arguments, and the mark of a page macro.

Plain Python at the bottom of the page machinery: the page macros (site_pages.py, team_pages.py) mark themselves
with `macro`, the table of macros (registry.py) collects them, and the page checks (pagecheck.py) read calls with
CALL and `literal_args`. Nothing here imports another module of the package.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

# A page may call a registered macro with literal arguments (ids, numbers, file paths), and nothing else: a page's
# Jinja is not sandboxed, so anything more could read the build's environment or run code.
CALL = re.compile(r"""\{\{-?\s*([a-z_][a-z0-9_]*)\(\s*((?:(?:"[\w./-]*"|'[\w./-]*'|\d+)\s*,?\s*)*)\)\s*-?\}\}""")


class MacroCallError(ValueError):
    """A page calls a macro with arguments it cannot take (an unknown id, a number out of range)."""


def macro(name: str, check: Callable[..., tuple[str, str, str] | None] | None = None):
    """Mark a function(site, links, *args) -> Markdown as the page macro `name`; `check` bounds its arguments.

    Marking registers nothing: macros/registry.py lists the marked functions of site_pages.py and team_pages.py."""
    def mark(fn):
        fn.macro_name, fn.arg_check = name, check
        return fn

    return mark


def literal_args(text: str) -> tuple:
    """The literal arguments of a call matched by CALL (quoted ids and paths, whole numbers)."""
    text = text.strip().rstrip(",")
    try:
        return ast.literal_eval(f"({text},)") if text else ()
    except (ValueError, SyntaxError, MemoryError, RecursionError):  # e.g. a number of 5,000 digits, or in another script
        raise MacroCallError(f"arguments written as plain literals (ids in quotes, whole numbers in 0-9), found ({text[:80]})") from None
