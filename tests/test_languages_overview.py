"""The overview pages in French (issue 26): home and the glance, scoreboard, figures due, indicators, deficits,
learning, the print handbook and the briefing book.

Each page macro is called directly (as tests/test_goldens.py does) on a copy of the sample data and on the messy
fixture organization, with the build's language set to French; the language goes back to English after each test.
The English text of every message of the overview's code (extracted as Babel extracts it) must not appear in the
French pages, and the French catalogue (overview.po) must translate each of them.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from macros import i18n
from macros.registry import load_macros
from macros.site import load_site
from orgs import messy_org, today_for, write_org

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "macros" / "locale" / "fr" / "LC_MESSAGES" / "overview.po"
# The overview's code: every message of these files is this area's (overview.po translates them).
AREA = [
    "macros/render/home.py", "macros/render/scoreboard.py", "macros/render/due.py", "macros/render/indicators.py",
    "macros/render/deficits.py", "macros/render/learning.py", "macros/render/editions.py",
    "macros/render/handbook.py", "macros/render/briefing.py", "macros/render/broken.py", "macros/calendar.py",
    "macros/fairness.py", "macros/pdf.py", "macros/edition.py",
]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
# page src -> macro name: the overview pages (hand-written pages of docs/ call these macros once each)
PAGES = {
    "index.md": "home", "scoreboard.md": "scoreboard", "figures-due.md": "figures_due",
    "indicators.md": "indicators_page", "deficits.md": "deficits_page", "learning.md": "learning_page",
    "onboarding/print.md": "print_onboarding", "briefing.md": "briefing_book", "onboarding/editions.md": "editions",
}
NBSP = "\u00a0"
# Pages that hold other areas' text too (the onboarding pages, team pages): checked for their own French parts.
EMBEDDING = {"onboarding/print.md", "briefing.md"}


def area_messages() -> list[tuple[str | None, str]]:
    """(context, English text) of every message in the overview's code; both forms of a plural."""
    out = []
    for file in AREA:
        for _line, message, _comments, context in extract_from_file("python", ROOT / file, keywords=KEYWORDS):
            for text in (message,) if isinstance(message, str) else message:
                out.append((context, text))
    return out


def english_fragments(text: str) -> list[str]:
    """The runs of three words or more of an English message, without its placeholders, tags, code and links."""
    plain = re.sub(r"\{[a-z_]*\}|<[^>]+>|`[^`]*`|\]\([^)]*\)|\*\*", "|", text)
    pieces = re.split(r"[|:;()\[\],.?!·]", plain)
    return [p.strip() for p in pieces if len(re.findall(r"[A-Za-z']+", p)) >= 3]


def without_data_text(page: str) -> str:
    """A page without the text written in the data (its Markdown blocks: the big picture, descriptions, notes),
    without the data attributes other tools read (they stay English by design), and without the text other areas
    write into these pages (charts and their summaries, a projection's words: tests/test_languages_pages.py's
    business): this area's own text is left."""
    page = re.sub(r'<div class="hb-md[^"]*"[^>]*>.*?</div>', "", page, flags=re.S)
    page = re.sub(r'<span lang="en">[^<]*</span>', "", page)  # the data's text left in its own language, marked so
    page = re.sub(r"<figure.*?</figure>|<div class=\"hb-chart\".*?</div>", "", page, flags=re.S)
    page = re.sub(r'<span class="hb-pace[^>]*><span aria-hidden="true">[^<]*</span>[^<]*</span>', "", page)
    return re.sub(r'data-[a-z-]+="[^"]*"', "", page)


def _pages(data: Path, edition: str = "intranet") -> dict[str, str]:
    """The overview pages' Markdown, on the data's own today (the sample's: the suite's; a fixture's: its own)."""
    import os

    before = os.environ.get("HANDBOOK_TODAY")
    os.environ["HANDBOOK_TODAY"] = today_for(data, {})["HANDBOOK_TODAY"]
    try:
        site = load_site(data, "https://git.example/handbook/edit/main/", edition=edition)
    finally:
        if before is None:
            os.environ.pop("HANDBOOK_TODAY", None)
        else:
            os.environ["HANDBOOK_TODAY"] = before
    macros = load_macros()
    return {src: macros[name](site, site.links(src)) for src, name in PAGES.items()}


@pytest.fixture(scope="module")
def sample_data(tmp_path_factory) -> Path:
    return Path(shutil.copytree(ROOT / "data", tmp_path_factory.mktemp("sample") / "data"))


@pytest.fixture(scope="module")
def messy_data(tmp_path_factory) -> Path:
    return write_org(tmp_path_factory.mktemp("messy"), messy_org())


def test_catalogue_translates_every_message_of_the_area():
    """Every message the overview's code says has a French translation in overview.po (both plural forms)."""
    with PO.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    header = PO.read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in header and '"Language: fr\\n"' in header
    missing = []
    for file in AREA:
        for line, message, _comments, context in extract_from_file("python", ROOT / file, keywords=KEYWORDS):
            key = message if isinstance(message, str) else message[0]
            entry = catalogue.get(key, context=context)
            strings = [] if entry is None else [entry.string] if isinstance(entry.string, str) else list(entry.string)
            if not strings or not all(strings):
                missing.append(f"{file}:{line}: {key!r}")
    assert len(area_messages()) > 250
    assert not missing, "\n".join(missing)


def test_translations_keep_their_placeholders():
    """A translation names the same {placeholders} as its English message (a plural form may leave out {n})."""
    with PO.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    wrong = []
    for m in catalogue:
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        english = set(re.findall(r"\{[a-z_]*\}", ids[-1]))
        for s in strings:
            found = set(re.findall(r"\{[a-z_]*\}", s))
            if found - english or (english - found) - {"{n}"}:
                wrong.append((ids[0], s))
    assert not wrong


@pytest.mark.parametrize("org", ["sample", "messy"])
def test_overview_pages_in_french_say_no_english_sentence(org, french, sample_data, messy_data):
    pages = _pages(sample_data if org == "sample" else messy_data)
    fragments = {f for _context, text in area_messages() for f in english_fragments(text)}
    assert len(fragments) > 150
    for src, text in pages.items():
        if src in EMBEDDING:
            continue
        plain = html.unescape(without_data_text(text))
        found = sorted(f for f in fragments if f in plain)
        assert not found, f"{src} keeps English text of the handbook: {found}"


def test_home_in_french(french, sample_data):
    home = html.unescape(_pages(sample_data)["index.md"])
    assert "## En un coup d’œil { #at-a-glance" in home
    assert "Notre mission" in home and "## Par où commencer { #where-to-start }" in home
    # the counts agree with their words, in French: the sample has 13 teams, 4 units, 10 targets and 20 indicators
    for n, words in ((13, "équipes"), (4, "unités"), (10, "cibles"), (20, "indicateurs")):
        assert f'<span class="hb-tile__n">{n}</span><span class="hb-tile__label">{words}</span>' in home
    # the attribute other tools read stays English
    assert 'data-fact="teams late with figures"' in home
    note = re.search(r'<p class="hb-glance-note">Où en est chaque équipe.*?</p>', home).group(0)
    assert f"<strong>2026-10</strong>{NBSP}: <strong>15</strong> résultats d’équipe sur 10 cibles" in note
    assert f"Vérifications automatiques des pratiques réussies{NBSP}:" in home


def test_scoreboard_and_due_in_french(french, sample_data):
    pages = {k: html.unescape(v) for k, v in _pages(sample_data).items()}
    board = pages["scoreboard.md"]
    assert "## Toutes les équipes, toutes les cibles { #all }" in board
    assert "## Classements { #leagues }" in board
    assert '<th scope="col">Équipe</th>' in board and "Plus c’est bas, mieux c’est" in board
    due = pages["figures-due.md"]
    late = re.search(r'data-late-teams="(\d+)" data-late-figures="(\d+)">(.*?)</p>', due)
    teams, figures = int(late.group(1)), int(late.group(2))
    assert teams >= 2
    assert late.group(3).startswith(f"Au 2026-12-05, <strong>{teams} équipes en retard pour leurs chiffres</strong>{NBSP}: ")
    word = "chiffre attendu et non reçu" if figures == 1 else "chiffres attendus et non reçus"
    assert f"{figures} {word}" in late.group(3)
    assert "## Ce qui est attendu, et quand { #due-rules }" in due and "<strong>Ce que doit une équipe.</strong> Chaque mois" in due


def test_league_total_in_french(french, messy_data):
    board = html.unescape(_pages(messy_data)["scoreboard.md"])
    total = re.search(r'<tr class="hb-league__total"><td colspan="\d">(.*?)</td>', board).group(1)
    assert re.fullmatch(r"(Total|Moyenne) des \d+ équipes ayant renseigné \d{4}-\d\d", total), total


def test_indicators_deficits_learning_in_french(french, sample_data):
    pages = {k: html.unescape(v) for k, v in _pages(sample_data).items()}
    ind = pages["indicators.md"]
    assert "## Couverture des quatre étapes { #coverage }" in ind
    assert "| Étape | Ce qu’elle mesure | Indicateurs |" in ind
    assert "## Moyens { #stage-input }" in ind and "## Effets { #stage-outcome }" in ind
    assert "<dt>Sens</dt>" in ind and "<strong>Renseigné par" in ind
    deficits = pages["deficits.md"]
    assert "## Vue d’ensemble { #overview }" in deficits and f"<strong>Preuve{NBSP}:</strong>" in deficits
    learning = pages["learning.md"]
    assert "## Journal d’apprentissage { #learning-log }" in learning
    count = re.search(r"Le journal compte \*\*(\d+)\*\* (entrées?) ", learning)
    assert count and count.group(2) == ("entrée" if int(count.group(1)) <= 1 else "entrées")


def test_plurals_follow_the_french_rule(french):
    """French says 0 and 1 in the singular (English: '0 teams'): the catalogue's plural rule, not English's."""
    from macros.render.due import _days

    assert _days(1) == "1 jour de retard" and _days(0) == "attendu aujourd’hui" and _days(2) == "2 jours de retard"
    assert _days(-1) == "attendu dans 1 jour"
    assert i18n.ngettext("{n} team result", "{n} team results", 0).format(n=0) == "0 résultat d’équipe"
    i18n.use("en")
    assert i18n.ngettext("{n} team result", "{n} team results", 0).format(n=0) == "0 team results"


def test_counts_group_digits_in_french_only(french):
    from macros.render.counts import num

    assert num(1084) == "1\u202f084" or num(1084) == "1\u00a0084"
    i18n.use("en")
    assert num(1084) == "1084"


def test_language_is_english_again_after_a_french_test(sample_data):
    """The fixture puts English back: a later test (and the goldens) see English pages."""
    assert i18n.current() == "en"
    assert "## At a glance { #at-a-glance" in _pages(sample_data)["index.md"]


def test_data_error_page_in_french(french):
    """The live preview's data error page: its own words in French, the page marked lang="fr", and check's report
    (English in this issue) marked lang="en" for screen readers."""
    from macros.render.broken import render_error_page

    page = render_error_page("The data has 1 problem:\n  teams.yml:3: id: <x>", "Ville & Co", "data")
    assert '<html lang="fr">' in page
    assert "<title>Erreur de données · Ville &amp; Co</title>" in page
    assert "L’aperçu en direct de <strong>Ville &amp; Co</strong> affiche cette page" in page
    assert '<pre class="hb-report" id="hb-data-errors" lang="en">teams.yml:3: id: &lt;x&gt;</pre>' in page
    i18n.use("en")
    english = render_error_page("The data has 1 problem:\n  x", "S", "data")
    assert '<html lang="en">' in english and '<pre class="hb-report" id="hb-data-errors">x</pre>' in english


def test_print_handbook_and_briefing_book_in_french(french, sample_data):
    pages = {k: html.unescape(v) for k, v in _pages(sample_data).items()}
    handbook = pages["onboarding/print.md"]
    assert f"# City of Lakemont{NBSP}: le guide de la performance" in handbook
    assert "## Les onze pratiques { #practices .hb-page }" in handbook
    assert "Imprimer ou enregistrer en PDF" in handbook
    assert re.search(r"13 équipes dans 4 unités · 10 cibles · \d+ défaillances · 20 indicateurs\. Établi", handbook)
    book = pages["briefing.md"]
    assert 'class="hb-bb-cover__title">Dossier de synthèse</p>' in book
    assert '<h2 id="bb-contents">Sommaire</h2>' in book
    statuses = re.search(r'<th scope="row">Statuts</th><td>(.*?)</td>', book).group(1)
    assert "en bonne voie" in statuses and "on track" not in statuses
    for english in ("Summary: every team and target", "Each team on each target it carries", "No narrative yet",
                    "Notes on the figures", "The key failures we are closing"):
        assert english not in without_data_text(book)


def test_newest_figures_banner_in_french(french, sample_data):
    """The site-wide banner when the newest figures are old: French words, the age agreeing with its number."""
    from datetime import date

    from macros.calendar import derive_newest_banner, describe_age
    from macros.periods import MONTHLY, parse_period
    from macros.validate import validate_data

    assert describe_age(parse_period("2026-10", MONTHLY), MONTHLY, date(2026, 11, 1)) == "il y a 1 jour"
    assert describe_age(parse_period("2026-10", MONTHLY), MONTHLY, date(2026, 11, 3)) == "il y a 3 jours"
    banner = derive_newest_banner(validate_data(sample_data, today=date(2027, 9, 15)))
    assert banner == (f"Chiffres les plus récents{NBSP}: 2026-10, il y a 10 mois{NBSP}; les chiffres de 2027-07 étaient "
                      "attendus au plus tard le 2027-08-30")


def test_pdf_footer_in_the_sites_language(french):
    """The PDF's footer says what the book is and its page numbers in the built site's language (its `<html lang>`),
    which `python -m macros.pdf` reads from the built page."""
    from macros.pdf import book_title, footer, site_language

    assert site_language('<!doctype html>\n<html lang="fr" class="no-js">') == "fr"
    assert site_language("<html><body>") is None
    assert book_title("public", "Parcs & jardins") == f"Dossier de synthèse (édition publique){NBSP}: Parcs & jardins"
    text = footer("Ville <b>", book_title("intranet", None))
    assert "<span>Ville &lt;b&gt; · Dossier de synthèse</span>" in text
    assert 'Page <span class="pageNumber"></span> sur <span class="totalPages"></span>' in text
    i18n.use("en")
    assert book_title("public", "Parks") == "Briefing book (public edition): Parks"
    assert 'Page <span class="pageNumber"></span> of <span class="totalPages"></span>' in footer("A", "B")


def test_text_from_data_stays_escaped_in_french(french, tmp_path):
    """A translated sentence takes text from the data as an escaped argument: markup in a team's, unit's or
    target's name shows as text on every overview page in French."""
    data = Path(shutil.copytree(ROOT / "data", tmp_path / "data"))
    teams = (data / "teams.yml").read_text(encoding="utf-8")
    teams = teams.replace("name: Street Maintenance Crew", 'name: "<img src=x onerror=alert(1)> Crew"', 1)
    teams = teams.replace("unit: Public Works", 'unit: "Public <b>Works</b>"')
    (data / "teams.yml").write_text(teams, encoding="utf-8")
    targets = (data / "targets.yml").read_text(encoding="utf-8")
    title = re.search(r"title: (.+)", targets).group(1)
    (data / "targets.yml").write_text(targets.replace(f"title: {title}", 'title: "<script>x()</script> target"', 1),
                                      encoding="utf-8")
    pages = _pages(data)
    for src, text in pages.items():
        for raw in ("<img src=x", "<b>Works</b>", "<script>x()"):
            assert raw not in text, (src, raw)
    assert "&lt;img src=x onerror=alert(1)&gt; Crew" in pages["scoreboard.md"]
    assert "Public &lt;b&gt;Works&lt;/b&gt;" in pages["scoreboard.md"]


def test_an_upper_bound_on_the_change_date_in_french(french):
    """When git's history is shallow the date the figures changed is an upper bound: "au plus tard le" in French
    (the print handbook's cover and the briefing book say it)."""
    from datetime import date

    from macros.signals import Changed, Signals

    bound = Signals(Changed(date(2026, 11, 18), "git-shallow", exact=False), "2026-10").as_dict()
    assert bound["changed_label"] == "au plus tard le 2026-11-18"
    assert Signals(Changed(date(2026, 11, 18), "git"), "2026-10").as_dict()["changed_label"] == "2026-11-18"
    i18n.use("en")
    assert Signals(Changed(date(2026, 11, 18), "git-shallow", exact=False), "").as_dict()["changed_label"] == \
        "on or before 2026-11-18"


def test_messages_shared_with_other_areas_read_the_same():
    """A message overview.po shares with another area's catalogue has the same French there (the loader keeps one),
    and a shared singular keeps its plural: "distortion flag" is a word alone on team pages and a counted tile here."""
    def read(path: Path):
        with path.open("rb") as handle:
            return read_po(handle, locale="fr")

    mine = read(PO)
    for other in sorted(PO.parent.glob("*.po")):
        if other == PO:
            continue
        theirs = read(other)
        for m in mine:
            o = theirs.get(m.id, context=m.context) if m.id else None
            if o is None:
                continue
            if isinstance(m.id, str) == isinstance(o.id, str):
                assert o.string == m.string, (other.name, m.id)
            else:  # one is the plural of the other's word: the singulars agree
                one = m.string if isinstance(m.string, str) else m.string[0]
                assert one == (o.string if isinstance(o.string, str) else o.string[0]), (other.name, m.id)
    i18n.use("fr")
    try:
        words = [i18n.ngettext("distortion flag", "distortion flags", n) for n in (0, 1, 2)]
        assert words == ["alerte de distorsion", "alerte de distorsion", "alertes de distorsion"]
        assert i18n._("distortion flag") == "alerte de distorsion"
    finally:
        i18n.use("en")


def test_the_briefing_book_says_none_of_its_own_text_in_english(french, sample_data):
    """The briefing book holds other areas' text too (practices, team pages): here, none of the English of its own
    code's messages. (The print handbook holds the onboarding pages' text, checked by their own tests.)"""
    fragments = set()
    for file in ("macros/render/briefing.py", "macros/render/indicators.py", "macros/render/deficits.py"):
        for _line, message, _comments, _context in extract_from_file("python", ROOT / file, keywords=KEYWORDS):
            for text in (message,) if isinstance(message, str) else message:
                fragments.update(english_fragments(text))
    assert len(fragments) > 40
    plain = html.unescape(without_data_text(_pages(sample_data)["briefing.md"]))
    assert not sorted(f for f in fragments if f in plain)
