"""The table of page macros: the macros pages call by id (the skeletons of late pages are in macros/engines/).

Plain Python above the page macros (site_pages.py, team_pages.py), whose functions it lists; no engine here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from . import site_pages, team_pages
from .macrocall import CALL, MacroCallError, literal_args  # noqa: F401 - MacroCallError and literal_args by their old address too
from .pagesite import PageSite

# The page macros, in one plain table: name -> function(site, links, *args) returning Markdown. Each is marked with
# its name (macrocall.macro) where it is defined; nothing registers itself when imported.
MACROS: dict[str, Callable[..., str]] = {
    fn.macro_name: fn for module in (site_pages, team_pages) for fn in vars(module).values()
    if callable(fn) and getattr(fn, "__module__", None) == module.__name__ and hasattr(fn, "macro_name")
}
# For macros whose arguments name something in the data or a size: name -> function(site, *args) returning None
# or (argument, expected, found) for an argument out of range. Checked before a macro renders (see check_call).
ARG_CHECKS: dict[str, Callable[..., tuple[str, str, str] | None]] = {
    name: fn.arg_check for name, fn in MACROS.items() if fn.arg_check is not None
}
_SIGNATURES: dict[str, Any] = {}


def check_call(site: PageSite, name: str, args: tuple | list) -> str | None:
    """Say what is wrong with calling macro `name` with `args` (their number, or one out of range), or None."""
    signature = _SIGNATURES.get(name)
    if signature is None:
        signature = _SIGNATURES[name] = inspect.signature(MACROS[name])
    try:
        signature.bind(site, None, *args)
    except TypeError as exc:
        return f"{name}({_show_args(args)}): expected the macro's arguments, found {exc}"
    check = ARG_CHECKS.get(name)
    found = check(site, *args) if check is not None else None
    if found is None:
        return None
    argument, expected, what = found
    return f"{name}({_show_args(args)}), argument '{argument}': expected {expected}, found {what}"


def _show_args(args: tuple | list) -> str:
    text = ", ".join(repr(a) for a in args)
    return text if len(text) <= 80 else text[:77] + "..."


def macro_calls_report(site: PageSite, markdown: str, src: str) -> str | None:
    """The report on a page's macro calls with arguments they cannot take, naming page, line and argument; or None."""
    found = page_macro_call_problems(site, markdown, src)
    return "a macro called with arguments it cannot take:\n" + "\n".join(f"  {f}" for f in found) if found else None


def page_macro_call_problems(site: PageSite, markdown: str, src: str) -> list[str]:
    """Each macro call of a page with arguments it cannot take, as `docs/page.md:line: problem.`"""
    found = []
    for number, line in enumerate(markdown.splitlines(), 1):
        for m in CALL.finditer(line):
            if m.group(1) not in MACROS:
                continue
            try:
                problem = check_call(site, m.group(1), literal_args(m.group(2)))
            except MacroCallError as exc:
                problem = f"{m.group(1)}(...): expected {exc}"
            if problem:
                found.append(f"docs/{src}:{number}: {problem}.")
    return found


def load_macros() -> dict[str, Callable[..., str]]:
    """The table of page macros (kept for the engines' glue, which asks for it by this name)."""
    return MACROS


def render_call(site: PageSite, name: str, src: str, args: tuple | list) -> str:
    """Render macro `name` for the page at src (its source path under docs/), holding back its finished HTML.

    Arguments out of range stop here (MacroCallError), before the macro can allocate or loop on them."""
    problem = check_call(site, name, args)
    if problem:
        raise MacroCallError(f"docs/{src}: {problem}.")
    return site.held.hold_raw_html(src, MACROS[name](site, site.links(src), *args))
