"""A count in a sentence, in the build's language: English keeps the digits it always wrote ("1084"), other
languages group them as their locale does ("1 084"). Where the English text already grouped ("1,084"), call
`i18n.fmt_int` instead."""

from __future__ import annotations

from ..i18n import DEFAULT, current, fmt_int


def num(n: int) -> str:
    """Return a whole number as a page's sentence says it: "1084" in English (as before), "1 084" in French."""
    return str(n) if current() == DEFAULT else fmt_int(n)

