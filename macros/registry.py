"""The macro registry: the macros pages call by id, and the skeletons of pages that may be completed late.

Plain Python below the page macros (site_pages.py, team_pages.py) and the build context (site.py); no engine here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .site import Site

# Macros pages may call: name -> function(site, links, *args) returning Markdown.
MACROS: dict[str, Callable[..., str]] = {}
# For macros whose pages may be completed late (Site.defer): name -> function(site, *args) returning the Markdown
# the macro returns with its held-back HTML left out (the slots are filled from the full render).
SKELETONS: dict[str, Callable[..., str]] = {}


# For macros whose arguments name something in the data or a size: name -> function(site, *args) returning None
# or (argument, expected, found) for an argument out of range. Checked before a macro renders (see check_call).
ARG_CHECKS: dict[str, Callable[..., tuple[str, str, str] | None]] = {}
_SIGNATURES: dict[str, Any] = {}


class MacroCallError(ValueError):
    """A page calls a macro with arguments it cannot take (an unknown id, a number out of range)."""


def macro(name: str, check: Callable[..., tuple[str, str, str] | None] | None = None):
    """Register a function(site, links, *args) -> Markdown as the macro `name`; `check` bounds its arguments."""
    def register(fn):
        MACROS[name] = fn
        if check is not None:
            ARG_CHECKS[name] = check
        return fn

    return register


def check_call(site: Site, name: str, args: tuple | list) -> str | None:
    """Say what is wrong with calling macro `name` with `args` (their number, or one out of range), or None."""
    import inspect

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


def literal_args(text: str) -> tuple:
    """The literal arguments of a call matched by pagecheck.CALL (quoted ids and paths, whole numbers)."""
    import ast

    text = text.strip().rstrip(",")
    try:
        return ast.literal_eval(f"({text},)") if text else ()
    except (ValueError, SyntaxError, MemoryError, RecursionError):  # e.g. a number of 5,000 digits, or in another script
        raise MacroCallError(f"arguments written as plain literals (ids in quotes, whole numbers in 0-9), found ({text[:80]})") from None


def macro_calls_report(site: Site, markdown: str, src: str) -> str | None:
    """The report on a page's macro calls with arguments they cannot take, naming page, line and argument; or None."""
    found = page_macro_call_problems(site, markdown, src)
    return "a macro called with arguments it cannot take:\n" + "\n".join(f"  {f}" for f in found) if found else None


def page_macro_call_problems(site: Site, markdown: str, src: str) -> list[str]:
    """Each macro call of a page with arguments it cannot take, as `docs/page.md:line: problem.`"""
    from .pagecheck import CALL

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
    """Import the page macros (importing registers them) and return the registry."""
    from . import site_pages, team_pages  # noqa: F401

    return MACROS


def render_call(site: Site, name: str, src: str, args: tuple | list) -> str:
    """Render macro `name` for the page at src (its source path under docs/), holding back its finished HTML.

    Arguments out of range stop here (MacroCallError), before the macro can allocate or loop on them."""
    problem = check_call(site, name, args)
    if problem:
        raise MacroCallError(f"docs/{src}: {problem}.")
    return site.hold_raw_html(src, MACROS[name](site, site.links(src), *args))
