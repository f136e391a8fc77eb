"""The handbook's language: gettext catalogues read with Babel, plural rules, numbers and dates for the locale.

One language per build (a site is built in one language; a bilingual organization builds one site per language).
`use(code)` sets it before anything renders; English needs no catalogue (the messages are the English text).

Rules for the code that writes sentences:

- Wrap every sentence of the handbook's own text in `_()`, with named placeholders filled *after* translation:
  `_("{n} of {total} targets on track").format(n=..., total=...)`. Never build a sentence from pieces a translator
  cannot reorder, and never translate text from the data.
- Counts go through `ngettext(singular, plural, n)` (French says "0 équipe", English "0 teams").
- Module-level text (tables of labels) is marked with `N_()` and translated with `_()` where it is used, because
  the language is set after the modules are imported.
- Numbers, percentages and months are formatted here (`fmt_decimal`, `fmt_int`, `fmt_month`), by Babel, for the
  build's locale.

Catalogues live in `macros/locale/<language>/LC_MESSAGES/*.po` (several files per language are read as one
catalogue; each area of the code keeps its own file).
"""

from __future__ import annotations

import datetime
import decimal
import io
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "en"
DOMAIN = "handbook"


def languages() -> tuple[str, ...]:
    """The languages the handbook's own text is written in: English and every language with a catalogue."""
    found = sorted(p.name for p in LOCALE_DIR.glob("*") if p.is_dir() and any((p / "LC_MESSAGES").glob("*.po")))
    return (DEFAULT, *[c for c in found if c != DEFAULT])


@cache
def catalogue(language: str) -> Catalog:
    """Every message of a language's .po files, read as one catalogue (empty for English).

    The first file's header gives the plural rule (`Plural-Forms`, as translators write it: French has two forms,
    where Babel's CLDR data would give three); every file of a language must declare the same rule (a test checks).
    """
    merged = Catalog(locale=language, domain=DOMAIN)
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    for index, path in enumerate(sorted(folder.glob("*.po")) if language != DEFAULT else ()):
        with path.open("rb") as handle:
            read = read_po(handle, locale=language, domain=DOMAIN)
        if index == 0:
            merged = read
            continue
        for message in read:
            if message.id and message.string and not message.fuzzy:
                merged.add(message.id, message.string, context=message.context)
    return merged


@cache
def _translations(language: str) -> NullTranslations:
    if language == DEFAULT:
        return NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, catalogue(language))
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


class _State:
    language: str = DEFAULT
    translations: NullTranslations = NullTranslations()


def use(language: str | None) -> str:
    """Set the build's language (a BCP 47 code such as "fr" or "fr-CA"; None or unknown: English) and return the
    code in use. A regional code falls back to its language's catalogue ("fr-CA" reads "fr")."""
    code = (language or DEFAULT).replace("_", "-")
    base = code.split("-")[0].lower()
    chosen = code if code in languages() else base if base in languages() else DEFAULT
    _State.language = chosen
    _State.translations = _translations(chosen)
    return chosen


def current() -> str:
    """The language pages are being written in."""
    return _State.language


def _(message: str) -> str:
    """Translate one message of the handbook's own text into the build's language."""
    return _State.translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count, with the language's own plural rule."""
    return _State.translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate a short message that needs a context to be translated right (a status word, a column title)."""
    return _State.translations.pgettext(context, message)


def N_(message: str) -> str:
    """Mark text for the catalogue without translating it yet (module-level tables); translate it with `_()`."""
    return message


class Original(str):
    """Text from the data shown untranslated, in the language it was written in (`lang`): macros/render/text.py
    writes it inside an element with that `lang` attribute, for screen readers and browsers."""

    lang: str

    def __new__(cls, text: str, lang: str) -> Original:
        made = super().__new__(cls, text)
        made.lang = lang
        return made

    def __reduce__(self):  # pickled (the page worker) with its language
        return (Original, (str(self), self.lang))


def lang_of(text: object) -> str | None:
    """The language of text from the data shown in a page of another language (an `Original`), else None."""
    return text.lang if isinstance(text, Original) else None


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language.replace("-", "_"))


def _babel_decimal(value: float, decimals: int, language: str) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(decimal.Decimal(value), format=pattern, locale=_locale(language), decimal_quantization=True)


_SAMPLES = ((1234.5, 1), (-1234567.891, 2), (0.5, 0), (12.0, 0), (-0.04, 1), (1084.0, 0), (2.675, 2), (999.95, 1))


@cache
def _symbols(language: str) -> dict[int, str] | None:
    """The locale's grouping, decimal and minus signs as a `str.translate` table over Python's own formatting, when
    that gives exactly what Babel gives (checked on samples; None: Babel formats every number, about ten times slower,
    which pages of thousands of figures would feel)."""
    numbers = _locale(language).number_symbols
    symbols = numbers.get("latn", numbers) if hasattr(numbers, "get") else numbers
    table = str.maketrans({",": symbols["group"], ".": symbols["decimal"], "-": symbols["minusSign"]})
    ok = all(f"{v:,.{d}f}".translate(table) == _babel_decimal(v, d, language) for v, d in _SAMPLES)
    return table if ok else None


def fmt_decimal(value: float, decimals: int) -> str:
    """A number with grouping and exactly `decimals` decimals, in the build's locale: "1,234.5", "1 234,5".

    The float's exact binary value is rounded (as Python's own formatting does), so English output is unchanged
    from `f"{value:,.1f}"`. Python formats it and the locale's signs replace its own, where that is what Babel
    writes (see `_symbols`); else Babel formats it.
    """
    language = _State.language
    if language == DEFAULT:
        return f"{value:,.{decimals}f}"
    table = _symbols(language)
    if table is None:
        return _babel_decimal(value, decimals, language)
    return f"{value:,.{decimals}f}".translate(table)


def fmt_decimals(values: Iterable[float | None], decimals: int, missing: str) -> list[str]:
    """Many numbers at once, each as `fmt_decimal` writes it, and `missing` for a None (a chart's data table: a team
    page formats thousands).

    Each number's text is kept per language and decimals: an organization's figures repeat (600,000 figures at
    1,000 teams hold a few thousand values), and looking one up is about ten times faster than formatting it. Zero
    is formatted every time (-0.0 equals 0.0 but is written "-0.0")."""
    language = _State.language
    done = _FORMATTED.get((language, decimals))
    if done is None or len(done) > _FORMATTED_MAX:
        done = _FORMATTED[(language, decimals)] = {}
    spec = f",.{decimals}f"
    if language == DEFAULT:
        def fmt(v: float) -> str:
            return format(v, spec)
    elif (table := _symbols(language)) is None:
        def fmt(v: float) -> str:
            return _babel_decimal(v, decimals, language)
    else:
        def fmt(v: float) -> str:
            return format(v, spec).translate(table)

    def first(v: float) -> str:
        text = fmt(v)
        if v:
            done[v] = text
        return text

    get = done.get
    return [(get(v) or first(v)) if v is not None else missing for v in values]


_FORMATTED: dict[tuple[str, int], dict[float, str]] = {}  # (language, decimals) -> number -> its text
_FORMATTED_MAX = 100_000  # numbers kept per language and decimals (a few MB), then started again


def fmt_int(n: int) -> str:
    """A whole number with the locale's grouping: "1,084", "1 084"."""
    language = _State.language
    if language == DEFAULT:
        return f"{n:,}"
    table = _symbols(language)
    if table is None:
        return format_decimal(n, format="#,##0", locale=_locale(language))
    return f"{n:,}".translate(table)


def fmt_month(year: int, month: int, *, short: bool = False) -> str:
    """A month in words: "December 2025", "décembre 2025" (short: "Dec 2025", "déc. 2025")."""
    return format_date(datetime.date(year, month, 1), "LLL y" if short else "LLLL y", locale=_locale(_State.language))
