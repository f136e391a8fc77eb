"""Text from data in a Markdown report for GitHub (`diff` and its status section): escaped, never a link.

Plain functions below macros/diff.py and macros/status_diff.py, so that neither imports the other for them.
"""

from __future__ import annotations

import re

from .errors import terminal_safe
from .model import Indicator
from .render.text import inline as _inline
from .words import unit_for

_PLAIN = re.compile(r"[A-Za-z0-9 ,.:-]*")


# GitHub's Markdown turns `www.` addresses, e-mail addresses and `http:`, `https:`, `ftp:`, `mailto:` and `xmpp:`
# addresses into links even without brackets (its autolink extension). A word joiner (U+2060, invisible) after `www`,
# after `@` and before the scheme's `:` breaks each pattern, so text from data stays plain text. Whatever precedes
# them: GitHub links `1https://...` and `_https://...` too (checked with cmarkgfm, GitHub's renderer, in the tests).
_AUTOLINK = re.compile(r"(?i)www(?=\\?\.)|@|(?:https?|ftp|mailto|xmpp)(?=\\?:)")
WORD_JOINER = "\u2060"


def inline(text: str) -> str:
    """Escape data text for Markdown, leaving plain words, numbers, ids and periods readable as they are.

    Nothing becomes a link: addresses that GitHub would autolink get an invisible word joiner.
    """
    # Data's own control and format characters are shown as escapes here: the word joiners added below are the
    # only ones the report prints as they are (run_diff keeps them).
    flat = terminal_safe(" ".join(str(text).split()))
    out = flat if _PLAIN.fullmatch(flat) else _inline(flat)
    return _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, out)


def _num(value: float | None, indicator: Indicator | None = None) -> str:
    if value is None:
        return ""
    decimals = indicator.decimals if indicator else 0
    if abs(round(value, decimals) - value) > 1e-9:
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return text if abs(value) < 1000 else f"{value:,.6f}".rstrip("0").rstrip(".")
    return f"{value:,.{decimals}f}"


def _value(value: float | None, indicator: Indicator | None, missing: str = "–") -> str:
    if value is None:
        return missing
    number = _num(value, indicator)
    unit = f" {inline(unit_for(indicator.unit, number))}" if indicator and indicator.unit else ""
    return inline(number) + unit
