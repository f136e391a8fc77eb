"""French team and target pages, charts and the words numbers need (issue 26): numbers formatted by Babel, counts
with the language's plural rule, status words and chart text from the catalogue (macros/locale/fr/.../pages.po)."""

from __future__ import annotations

import decimal
import html
import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from macros import generate, i18n, words
from macros.model import Better, Indicator, Stage
from macros.registry import load_macros
from macros.site import load_site

DAYS = Indicator("wait-days", "Days waiting", "days", Stage.OUTPUT, Better.LOWER, decimals=1)
JOURS = Indicator("attente", "Jours d'attente", "jours", Stage.OUTPUT, Better.LOWER, decimals=1)
SAT = Indicator("satisfaction", "Satisfaction", "%", Stage.OUTCOME, Better.HIGHER)
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture
def french():
    """The build's language is French for the test, and English again after it (other tests read English)."""
    assert i18n.use("fr") == "fr"
    try:
        yield
    finally:
        i18n.use("en")


def test_words_in_english_keep_their_hand_written_shape():
    assert i18n.current() == "en"
    assert words.fmt_number(DAYS, 1234.5) == "1,234.5"
    assert words.fmt_data_value(SAT, 12.5) == "12.5 %"
    assert words.fmt_data_value(DAYS, 1.0) == "1.0 days"
    assert words.fmt_data_value(Indicator("c", "C", "claims", Stage.OUTPUT, Better.LOWER), 1) == "1 claim"
    assert words.fmt_difference(SAT, -1.0) == "1 point"
    assert words.fmt_difference(SAT, 1.5) == "1.5 points"
    assert words.fmt_difference(SAT, 0.96, 80.0, 80.96) == "0.96 points"
    assert words.fmt_difference(DAYS, 2.25, 3.0, 5.25) == "2.25 days"
    assert words.fmt_expected(DAYS, 1234.567, 4.55) == "1,234.57 days"
    assert words.fmt_threshold(SAT, 0.5) == "0.5 points"
    assert words.join_words(["a", "b", "c"]) == "a, b and c"
    assert words.join_words(["a", "b"], "or") == "a or b"
    assert words.describe_revision(["raised the bar", "moved the deadline later"]) == \
        "Raised the bar and moved the deadline later"
    assert words.describe_revision([]) == "No change to the value or the deadline"
    assert words.plural(1234, "team") == "1,234 teams"


def test_words_in_french(french):
    assert words.fmt_number(DAYS, 1234.5) == f"1{NNBSP}234,5"
    assert words.fmt_number(DAYS, -0.25) == "-0,25"
    assert words.fmt_data_value(SAT, 12.5) == f"12,5{NNBSP}%"
    # A unit from the data stays as written in French: no English singular after one.
    assert words.fmt_data_value(JOURS, 1.0) == f"1,0{NBSP}jours"
    assert words.fmt_data_value(Indicator("c", "C", "claims", Stage.OUTPUT, Better.LOWER), 1) == f"1{NBSP}claims"
    # French says one point below two, the plural from two on.
    assert words.fmt_difference(SAT, -1.0) == "1 point"
    assert words.fmt_difference(SAT, 1.5) == "1,5 point"
    assert words.fmt_difference(SAT, 0.5) == "0,5 point"
    assert words.fmt_difference(SAT, 2.0) == "2 points"
    assert words.fmt_difference(SAT, 12.25, 80.0, 92.25) == "12,25 points"
    assert words.fmt_difference(JOURS, 1234.25, 3.0, 1237.25) == f"1{NNBSP}234,25{NBSP}jours"
    assert words.fmt_expected(SAT, 12.345, 4.55) == f"12,35{NNBSP}%"
    assert words.fmt_threshold(SAT, 3) == "3 points"
    assert words.join_words(["a", "b", "c"]) == "a, b et c"
    assert words.describe_revision(["lowered the bar", "moved the deadline earlier"]) == \
        "Cible abaissée et échéance avancée"
    assert words.describe_revision([]) == "Ni la valeur ni l’échéance ne changent"
    assert words.fmt_data_value(SAT, None) == "–"


def test_plural_count_follows_each_language():
    assert [words.plural_count(a) for a in (0, 1, 1.0, 1.5, 0.5, 2.5)] == [0, 1, 1, 2, 2, 2]
    i18n.use("fr")
    try:
        assert [words.plural_count(a) for a in (0, 1, 1.5, 0.5, 2.5, -1.5)] == [0, 1, 1, 1, 2, 1]
    finally:
        i18n.use("en")


# --- Team, unit and target pages of the sample organization, in French ---------------------------------------------

PO = Path(__file__).resolve().parent.parent / "macros" / "locale" / "fr" / "LC_MESSAGES" / "pages.po"
ENGLISH_TRACES = {"Actual", "Trajectory", "Target", "Baseline", "Limit", "Start", "Range at this pace", "At this pace"}
FRENCH_TRACES = {"Réel", "Trajectoire", "Cible", "Valeur de référence", "Limite", "Départ", "Fourchette à ce rythme",
                 "À ce rythme", "Note"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """A copy of the sample data and its site (English: the language is set per test)."""
    data = Path(shutil.copytree(Path(__file__).resolve().parent.parent / "data", tmp_path_factory.mktemp("fr") / "data"))
    return data, load_site(data, "https://git.example/edit/", edition="intranet")


def _render(site) -> dict[str, str]:
    """Every team, unit and target page and the teams index, by page src, in the build's language."""
    macros = load_macros()
    pages = {src: macros[name](site, site.links(src), *args) for src, (name, *args) in generate.plan_pages(site).items()
             if name in ("team_page", "unit_page", "target_page")}
    pages["teams/index.md"] = macros["teams_index"](site, site.links("teams/index.md"))
    return pages


def _figures(text: str) -> list[dict]:
    return [json.loads(html.unescape(f)) for f in re.findall(r"data-figure='([^']*)'", text)]


def _english_fragments(data: Path) -> set[str]:
    """The English text (3 words or more) of every message of pages.po, split at its placeholders, leaving out what the
    data itself says (a note or a checklist item may quote a message's words)."""
    with PO.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    from_data = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in data.rglob("*") if p.is_file())
    out = set()
    for message in catalogue:
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            for part in re.split(r"\{\w*\}", text):
                part = part.strip(" .,;:()·–")
                if len(part.split()) >= 3 and part not in from_data:
                    out.add(part)
    return out


def test_team_and_target_pages_in_french(sample, french):
    data, site = sample
    pages = _render(site)
    text = html.unescape("\n".join(pages.values()))
    # Status words, deadline and freshness sentences, headings and facts.
    for phrase in ("En bonne voie", "Pas à jour", "Hors trajectoire", "Échéance passée (", "Où en est cette équipe",
                  "Garde-fous", "Moyens", "Effectifs", "Statut par équipe", "Historique des révisions", "Téléchargements",
                  "plus c’est bas, mieux c’est", f"Modifier ces données{NBSP}:", f"Cibles{NBSP}:"):
        assert phrase in text, phrase
    # Numbers: a decimal comma and a narrow no-break space before "%" and between thousands, never "12.5" in a cell.
    assert re.search(rf"\d+,\d+{NNBSP}%", text)
    assert re.search(rf"\d{{1,3}}(?:{NNBSP}\d{{3}})+", text)
    cells = re.findall(r"<td>([^<]*)</td>", text)
    assert any(re.fullmatch(r"-?\d+,\d+", c) for c in cells)
    assert not [c for c in cells if re.fullmatch(r"-?[\d,]*\d\.\d+", c)]
    # No English sentence of this area's catalogue is left (data text aside).
    left = sorted(f for f in _english_fragments(data) if f in text)
    assert not left, left


def test_charts_in_french(sample, french):
    _, site = sample
    pages = _render(site)
    figures = [f for text in pages.values() for f in _figures(text)]
    names = {t.get("name") for f in figures for t in f["data"]}
    assert {"Réel", "Trajectoire", "Cible", "Valeur de référence", "Limite", "À ce rythme"} <= names
    assert not names & ENGLISH_TRACES
    assert all(f["layout"]["separators"] == f",{NNBSP}" for f in figures)
    annotations = {a["text"] for f in figures for a in f["layout"].get("annotations", [])}
    assert annotations == {"Échéance"}
    templates = {t["hovertemplate"] for f in figures for t in f["data"] if "hovertemplate" in t}
    assert templates and all(t.endswith("<extra>Limite</extra>") for t in templates)
    hovers = [h for f in figures for t in f["data"] for h in t.get("hovertext", []) if h]
    assert hovers and all(h.startswith(f"Note{NBSP}:") for h in hovers)
    # Text alternatives (the summary under each chart and its aria-label) and the data table's head.
    text = html.unescape("\n".join(pages.values()))
    summaries = re.findall(r'role="img" aria-label="([^"]*)"', "\n".join(pages.values()))
    assert summaries and any("en bonne voie pour atteindre" in html.unescape(s) for s in summaries)
    assert "<th scope=\"col\">Période</th>" in text and "Données" in text
    assert "Fourchette à ce rythme" in names
    # The words charts.js needs to build a table in the browser: a missing figure, and which column holds notes.
    raw = "\n".join(pages.values())
    assert 'data-missing="aucun chiffre"' in raw and 'data-note-column="3"' in raw


def test_english_pages_come_back_after_french(sample):
    _, site = sample
    before = _render(site)
    i18n.use("fr")
    try:
        french = _render(site)
    finally:
        i18n.use("en")
    assert _render(site) == before
    assert french.keys() == before.keys() and all(french[k] != before[k] for k in before)
    figures = [f for text in before.values() for f in _figures(text)]
    assert not any("separators" in f["layout"] for f in figures)
    assert "data-missing=" not in "".join(before.values())
    assert {"Actual", "Trajectory", "Target"} <= {t.get("name") for f in figures for t in f["data"]}


def test_pages_catalogue_is_complete_and_keeps_placeholders():
    """Every message of pages.po is translated, keeps the English placeholders (a singular may drop {n}: "la période
    précédente"), and writes a no-break space before a colon and a narrow one before "%"."""
    with PO.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    assert catalogue.plural_forms == "nplurals=2; plural=(n > 1);"
    placeholders = lambda text: set(re.findall(r"\{(\w*)\}", text))  # noqa: E731
    messages = [m for m in catalogue if m.id]
    assert len(messages) > 300
    for m in messages:
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(strings), m.id
        for i, text in enumerate(strings):
            english = placeholders(ids[min(i, len(ids) - 1)])
            assert placeholders(text) <= english and english - placeholders(text) <= ({"n"} if i == 0 else set()), m.id
            assert " :" not in text and " %" not in text, text


@pytest.mark.parametrize("language", ["fr", "de", "hi", "sv"])
def test_numbers_are_what_babel_writes(language):
    """i18n.fmt_decimal and fmt_int swap Python's signs for the locale's where that is exactly Babel's result (ten times
    faster: a team page writes hundreds of figures), else call Babel: either way, Babel's text."""
    import random

    from babel.numbers import format_decimal

    rng = random.Random(26)
    values = [rng.uniform(-1e7, 1e7) for _ in range(400)] + [rng.uniform(-2, 2) for _ in range(400)] + [-0.04, 2.675]
    i18n.use("fr")
    i18n._State.language = language  # a locale without a catalogue yet: its numbers all the same
    try:
        locale = i18n._locale(language)
        for v in values:
            d = rng.randint(0, 4)
            pattern = "#,##0" + ("." + "0" * d if d else "")
            assert i18n.fmt_decimal(v, d) == format_decimal(decimal.Decimal(v), format=pattern, locale=locale,
                                                            decimal_quantization=True), (v, d)
        for n in (0, 7, 999, 1000, 1084, -1234567):
            assert i18n.fmt_int(n) == format_decimal(n, format="#,##0", locale=locale)
    finally:
        i18n.use("en")


@pytest.mark.parametrize("language", ["en", "fr", "hi"])
def test_many_numbers_are_each_written_as_one_is_kept_texts_included(language, monkeypatch):
    """i18n.fmt_decimals keeps each number's text per language and decimals: a column written twice, with repeats,
    zero and minus zero, gaps, and the same numbers in another language or with other decimals, is each time what
    fmt_decimal writes for each number (hi: Babel's own formatting, no shortcut)."""
    import random

    rng = random.Random(6)
    column = [round(rng.uniform(-50, 50), 1) for _ in range(300)] + [0.0, -0.0, None, 1e15, -0.04, 2.675, 12, 12.0]
    column += column[:100]  # repeats
    monkeypatch.setattr(i18n, "_FORMATTED_MAX", 250)  # also starts again when full
    try:
        for lang in (language, "en", language):
            i18n.use("fr")
            i18n._State.language = lang  # hi: a locale without a catalogue, its numbers all the same
            for decimals in (1, 0, 2, 1):
                for _ in range(2):
                    assert i18n.fmt_decimals(column, decimals, "–") == [
                        "–" if v is None else i18n.fmt_decimal(v, decimals) for v in column], (lang, decimals)
        assert i18n.fmt_decimals([-0.0, 0.0], 1, "") == (["-0,0", "0,0"] if language == "fr" else
                                                          ["-0.0", "0.0"] if language == "en" else
                                                          [i18n.fmt_decimal(-0.0, 1), i18n.fmt_decimal(0.0, 1)])
    finally:
        i18n.use("en")
