"""The handbook in the organization's language (issue 26): catalogues, a French organization, a bilingual one.

- Every message of the handbook's own text (extracted from macros/ as Babel does) has a French translation, and the
  catalogue files agree with each other.
- A French fixture organization (tests/orgs.py, french_org) builds strictly, in French: status words, numbers,
  months, `lang="fr"`, and no English sentence of the handbook's own text on any page.
- A bilingual fixture (bilingual_org: English data, languages [en, fr], data/translations/fr.yml translating part
  of it) builds both languages, the French one under fr/; the switcher keeps the page; untranslated text carries
  its language.
- The public edition in French leaks nothing internal, the translations of internal records included.
- Translation files: every error and warning with its exact message.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from conftest import ROOT, build_ok, run_cli
from macros import i18n
from macros.i18n import Original
from macros.languages import LanguageError, build_language, folder_of, translate
from macros.render.text import esc, inline, md_block
from macros.validate import validate_data
from orgs import bilingual_org, clone, french_org, write_org

LOCALE = ROOT / "macros" / "locale"
KEYWORDS = {"_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture
def french():
    """Write pages in French for one test; English again after it, whatever happens."""
    i18n.use("fr")
    try:
        yield
    finally:
        i18n.use("en")


def _messages() -> list[tuple[str, int, str | tuple, str | None]]:
    """Every message of the handbook's own text: (file, line, msgid or (singular, plural), context)."""
    return [(f, line, msg, ctx) for f, line, msg, _c, ctx in
            extract_from_dir(str(ROOT / "macros"), method_map=[("**.py", "python")], keywords=KEYWORDS)]


def _po_files(language: str = "fr") -> list[Path]:
    return sorted((LOCALE / language / "LC_MESSAGES").glob("*.po"))


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale=path.parent.parent.name)


# ---- (a) the catalogues ---------------------------------------------------------------------------------------


def test_babel_finds_the_handbooks_messages():
    found = {m if isinstance(m, str) else m[0] for _f, _l, m, _c in _messages()}
    # The core's own: the navigation of mkdocs.yml, the palette toggle, the site's name.
    assert {"Home", "Glossary", "Switch to dark mode", "Performance handbook", "Public edition"} <= found


def test_every_message_has_a_french_translation():
    translated: dict[tuple[str, str | None], tuple] = {}
    for path in _po_files():
        for message in _read(path):
            if message.id and message.string and not message.fuzzy:
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if all(s.strip() for s in strings):
                    translated[(message.id if isinstance(message.id, str) else message.id[0], message.context)] = strings
    missing = []
    for file, line, msg, ctx in _messages():
        key = (msg if isinstance(msg, str) else msg[0], ctx)
        if key not in translated:
            missing.append(f"macros/{file}:{line}: {key[0]!r}" + (f" (context {ctx!r})" if ctx else ""))
    assert missing == [], f"{len(missing)} messages without a French translation:\n" + "\n".join(missing)


def test_a_message_in_two_catalogue_files_has_one_translation():
    seen: dict[tuple, tuple[str, object]] = {}
    clashes = []
    for path in _po_files():
        for message in _read(path):
            if not message.id:
                continue
            key = (message.id if isinstance(message.id, str) else tuple(message.id), message.context)
            if key in seen and seen[key][1] != message.string:
                clashes.append(f"{key}: {seen[key][0]} says {seen[key][1]!r}, {path.name} says {message.string!r}")
            seen.setdefault(key, (path.name, message.string))
    assert clashes == []


def test_french_puts_a_no_break_space_before_a_double_mark_and_inside_guillemets():
    # French sets a space before : ; ? ! » and after «, one the line cannot break at (the catalogues use U+00A0): a
    # plain one lets a narrow screen start a line with the mark alone.
    plain = []
    for path in _po_files():
        for message in _read(path):
            for text in message.string if isinstance(message.string, tuple) else (message.string,):
                if text and re.search(r" [:;?!»]|« ", text):
                    plain.append(f"{path.name}: {text[:70]!r}")
    assert plain == [], f"{len(plain)} translations with a plain space:\n" + "\n".join(plain)


def test_every_catalogue_file_declares_the_same_plural_rule_and_language():
    headers = {}
    for path in _po_files():
        text = path.read_text(encoding="utf-8")
        plural = re.search(r'"Plural-Forms: ([^"\\]*)\\n"', text)
        language = re.search(r'"Language: ([^"\\]*)\\n"', text)
        headers[path.name] = (plural.group(1) if plural else None, language.group(1) if language else None)
    assert set(headers.values()) == {("nplurals=2; plural=(n > 1);", "fr")}, headers


def test_plurals_follow_the_french_rule(french):
    plural = i18n._translations("fr").plural  # the translators' rule: 0 and 1 take the singular in French
    assert [plural(n) for n in (0, 1, 2, 10)] == [0, 0, 1, 1]
    assert i18n.fmt_int(1084) == f"1{NNBSP}084"
    assert i18n.fmt_decimal(12.5, 1) == "12,5"
    assert i18n.fmt_month(2025, 12) == "décembre 2025"


# ---- the data's text in another language ----------------------------------------------------------------------


def test_untranslated_text_is_marked_with_its_language():
    name = Original("Beta Team", "en")
    assert esc(name) == '<span lang="en">Beta Team</span>'
    assert inline(name) == '<span lang="en">Beta Team</span>'
    assert esc("Équipe Alpha") == "Équipe Alpha" and inline("Équipe Alpha") == "Équipe Alpha"
    assert md_block(Original("We *serve*.", "en")) == '\n<div class="hb-md" lang="en">\n<p>We <em>serve</em>.</p>\n</div>\n'
    assert esc(Original("<b>", "en")) == '<span lang="en">&lt;b&gt;</span>'  # still escaped


def test_translate_applies_the_file_and_marks_the_rest(tmp_path):
    data = write_org(tmp_path, bilingual_org())
    hb = validate_data(data)
    fr = translate(hb, data, "fr")
    assert fr.teams["alpha"].name == "Équipe Alpha" and not isinstance(fr.teams["alpha"].name, Original)
    assert isinstance(fr.teams["beta"].name, Original) and fr.teams["beta"].name.lang == "en"
    assert fr.targets["faster"].title == "Ramener l'attente à 2 jours"
    assert fr.targets["faster"].theory.chain == ("Service plus rapide", "Habitants satisfaits")
    assert isinstance(fr.targets["faster"].theory.link, Original)
    assert fr.practices[0].title == "Énoncer la mission" and fr.practices[0].checklist[0].text == "Point à cocher"
    assert fr.indicators["rework"].unit == "%" and not isinstance(fr.indicators["rework"].unit, Original)
    assert translate(hb, data, "en") is hb  # the data's own language: as it is


def test_build_language_and_folders(tmp_path):
    hb = validate_data(write_org(tmp_path, bilingual_org()))
    org = hb.organization
    assert build_language(org, {}) == "en" and build_language(org, {"HANDBOOK_LANGUAGE": "fr"}) == "fr"
    assert folder_of(org, "en") == "" and folder_of(org, "fr") == "fr/"
    with pytest.raises(LanguageError, match=r"HANDBOOK_LANGUAGE is 'xx': expected a language the handbook's text is "
                                            r"written in \(en, fr\) as a BCP 47 code, e\.g\. fr"):
        build_language(org, {"HANDBOOK_LANGUAGE": "xx"})


# ---- (g) translation files and languages: exact messages ------------------------------------------------------

TR = "data/translations/fr.yml"


def _problems(tmp_path: Path, org: dict) -> list[str]:
    done = run_cli("check", "--docs", str(ROOT / "docs"), data=write_org(tmp_path, org))
    assert done.returncode == 1, done.stderr
    return [line.strip().replace(str(tmp_path) + "/", "") for line in done.stderr.splitlines()[1:] if line.strip()]


def test_translation_errors_name_file_line_record_and_field(tmp_path):
    org = bilingual_org()
    org["translations/fr.yml"] = (
        "teams.yml:\n"
        "  alpha:\n"
        "    name: Équipe Alpha\n"
        "    unit: Opérations\n"          # units are not translated
        "  delta:\n"                      # no such team
        "    name: Équipe Delta\n"
        "  beta:\n"
        "    name: ['a', 'b']\n"          # not text
        "targets.yml:\n"
        "  faster:\n"
        "    theory:\n"
        "      chain: [Un seul]\n"        # the original has two steps
        "      because: Parce que\n"      # no such field
        "recognition.yml:\n"              # not translatable (its records have no id)
        "  alpha: {title: x}\n"
        "practices.yml:\n"
        "  1:\n"
        "    checklist: {p1-nothing: Rien}\n"
    )
    assert _problems(tmp_path, org) == [
        f"{TR}:4: alpha, field 'unit': expected one of the translated fields description, lead, name, found the "
        "unknown field 'unit'.",
        f"{TR}:5: delta, expected the id of a record in teams.yml, found 'delta', which no record "
        "has.",
        f"{TR}:8: beta, field 'name': expected non-empty text, found a list.",
        f"{TR}:12: faster, field 'theory.chain': expected a list of 2 texts, one for each item of the original, found "
        "1 item.",
        f"{TR}:13: faster, field 'theory.because': expected one of the translated fields assumptions, chain, link, "
        "found the unknown field 'because'.",
        f"{TR}:14: expected one of the files organization.yml, teams.yml, indicators.yml, deficits.yml, targets.yml, "
        "practices.yml, capacity.yml, measurements, found the unknown file 'recognition.yml'.",
        f"{TR}:18: 1, field 'checklist.p1-nothing': expected the id of one of the practice's checklist items "
        "(p1-manual), found 'p1-nothing', which no item has.",
    ]


def test_a_translation_keeps_the_rules_of_the_text_it_translates(tmp_path):
    """A translation is refused where the original would be: a line break in a one-line field, Markdown nested too
    deep (a RecursionError in the build) or brackets too costly to read (minutes of build), each at its line."""
    org = bilingual_org()
    org["translations/fr.yml"] = (
        "teams.yml:\n"
        "  alpha:\n"
        "    name: \"Équipe\\nAlpha\"\n"
        "    description: \"" + "- " * 600 + "x\"\n"
        "  beta:\n"
        "    description: \"" + "[" * 20000 + "\"\n"
        "targets.yml:\n"
        "  faster:\n"
        "    theory:\n"
        "      chain: [Un, \"Deux\\ntrois\"]\n"
    )
    problems = _problems(tmp_path, org)
    assert [p.split(": expected")[0] for p in problems] == [
        f"{TR}:3: alpha, field 'name'", f"{TR}:4: alpha, field 'description'", f"{TR}:6: beta, field 'description'",
        f"{TR}:10: faster, field 'theory.chain'"]
    assert "expected text on one line, found a line break" in problems[0]
    assert "expected Markdown nested at most 30 levels deep" in problems[1] and "600 levels" in problems[1]
    assert "expected Markdown whose brackets the renderer can read within 500,000 characters" in problems[2]
    assert "found a line break (only descriptions and explanations may span lines) at item 2" in problems[3]


def test_a_translations_file_where_the_folder_belongs_is_an_error(tmp_path):
    org = bilingual_org()
    data = write_org(tmp_path, org)
    shutil.rmtree(data / "translations")
    (data / "translations").write_text("teams.yml: {}\n", encoding="utf-8")
    done = run_cli("check", "--docs", str(ROOT / "docs"), data=data)
    assert done.returncode == 1, done.stderr
    assert "translations: expected a folder of translation files named by language, e.g. fr.yml, found a file." \
        in done.stderr


def test_a_translation_into_a_language_the_organization_does_not_list(tmp_path):
    org = bilingual_org()
    org["translations/de.yml"] = {"teams.yml": {"alpha": {"name": "Alpha-Team"}}}
    org["translations/en.yml"] = {"teams.yml": {"alpha": {"name": "Alpha"}}}
    assert _problems(tmp_path, org) == [
        "data/translations/de.yml: expected a translation into another of the organization's languages (fr), found "
        "a file for de.",
        "data/translations/en.yml: expected a translation into another of the organization's languages (fr), found "
        "a file for en, the data's own language.",
    ]


def test_bad_language_fields(tmp_path):
    org = bilingual_org()
    org.pop("translations/fr.yml")
    org["organization.yml"]["language"] = "french"
    org["organization.yml"]["languages"] = ["en", "xx", "en"]
    assert _problems(tmp_path, org) == [
        "data/organization.yml:9: organization, field 'languages': expected a language the handbook's text is written "
        "in (en, fr) as a BCP 47 code for every item, found 'xx' at item 2.",
        "data/organization.yml:10: organization, field 'languages': expected each language once, found 'en' again at "
        "item 3.",
        "data/organization.yml:11: organization, field 'language': expected a language the handbook's text is written "
        "in (en, fr) as a BCP 47 code, e.g. fr or fr-CA, found 'french'.",
    ]
    org["organization.yml"]["language"] = "fr"
    org["organization.yml"]["languages"] = ["en"]
    assert _problems(tmp_path / "two", org) == [
        "data/organization.yml:7: organization, field 'languages': expected the organization's language (fr) among "
        "them, found en.",
    ]


def test_check_warns_of_each_missing_translation_at_its_line(tmp_path):
    done = run_cli("check", "--docs", str(ROOT / "docs"), data=write_org(tmp_path, bilingual_org()))
    assert done.returncode == 0, done.stderr
    lines = [line.strip().replace(str(tmp_path) + "/", "") for line in done.stderr.splitlines()]
    assert lines[0] == "45 warnings (not errors: the data is valid):"
    expected = "expected a translation into fr in data/translations/fr.yml, found none: the fr pages show the en text."
    assert f"warning: data/teams.yml:5: beta, field 'name': {expected}" in lines
    assert f"warning: data/teams.yml:7: beta, field 'lead': {expected}" in lines
    assert f"warning: data/organization.yml:3: field 'big_picture': {expected}" in lines
    assert f"warning: data/targets.yml:15: faster, field 'theory.link': {expected}" in lines
    # Translated text and text without words (a unit of %) is not asked for.
    assert not [line for line in lines if "alpha, field 'name'" in line or "field 'unit'" in line and "rework" in line]
    assert not [line for line in lines if "theory.chain" in line or "field 'mission'" in line]


def test_a_monolingual_organization_gets_no_translation_warning(tmp_path):
    done = run_cli("check", "--docs", str(ROOT / "docs"), data=write_org(tmp_path, french_org()))
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr


# ---- (b), (c) the French organization, built -------------------------------------------------------------------


def _soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def _text(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


@pytest.fixture(scope="module")
def french_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("french")
    data = write_org(root, french_org())
    return data, build_ok(data, root / "site")


def test_the_french_organization_builds_in_french(french_site):
    _data, site = french_site
    home = _soup(site, ".")
    assert home.html["lang"] == "fr"
    assert home.select_one("title").get_text().endswith("Agence des services · Guide de la performance")
    tabs = [a.get_text(" ", strip=True) for a in home.select(".md-tabs__link")]
    assert tabs[:3] == ["Accueil", "Prise en main", "Pratiques"], tabs
    toggle = home.select_one("[data-md-component=palette] label")
    assert toggle["title"] == "Passer au mode sombre"
    assert '"lang":["fr"]' in (site / "search" / "search_index.json").read_text(encoding="utf-8")[:200]
    # Material's own words are French too (its search box).
    assert home.select_one("input.md-search__input")["placeholder"] == "Rechercher"


def _french_pages(site: Path) -> dict[str, str]:
    return {page: _text(_soup(site, page)) for page in ("targets/faster", "teams/alpha", "scoreboard", "indicators")}


# The status words, numbers and months come from the pages' helpers (words.py, the page renderers): these four tests
# pass once their translations land.
def test_the_french_pages_show_french_status_words(french_site):
    pages = _french_pages(french_site[1])
    for page in ("targets/faster", "teams/alpha", "scoreboard"):
        assert re.search(r"\ben bonne voie\b|\bhors trajectoire\b|\batteinte\b|\bmanquée\b|\bpas à jour\b|\bà risque\b",
                         pages[page], re.IGNORECASE), page
        assert not re.search(r"\b(on track|off track|at risk|no data)\b", pages[page], re.IGNORECASE), page


def test_the_french_pages_write_decimals_with_a_comma(french_site):
    target = _french_pages(french_site[1])["targets/faster"]
    assert re.search(r"\b2,5\b", target), "a figure with one decimal in French (2,5)"
    assert not re.search(r"\b[0-9]+\.[0-9]\b", target), "a figure with an English decimal point"


def test_the_french_pages_group_thousands_the_french_way(french_site):
    pages = _french_pages(french_site[1])
    assert re.search(rf"\b1[{NNBSP}{NBSP} ]5[0-9][0-9]\b", pages["teams/alpha"] + pages["indicators"])
    assert not re.search(r"\b1,5[0-9][0-9]\b", pages["teams/alpha"] + pages["indicators"])


def test_the_french_pages_write_no_english_date(french_site):
    """Periods stay codes (2024-12) in both languages; a date or month in words is French (i18n.fmt_month)."""
    months = ("January|February|March|April|May|June|July|August|September|October|November|December|"
              "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
    site = french_site[1]
    for path in _pages(site):
        text = _text(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"))
        assert not re.search(rf"\b({months})\.? ([0-9]{{1,2}}, )?[0-9]{{4}}\b|\b[0-9]{{1,2}} ({months}) [0-9]{{4}}\b",
                             text), path.relative_to(site)


# English fragments to look for: every message of the handbook's own text, split at its placeholders and markup,
# kept when at least three words long (shorter ones are words both languages share, or names).
def _english_fragments() -> set[str]:
    out = set()
    for _f, _l, msg, _c in _messages():
        for text in ([msg] if isinstance(msg, str) else list(msg)):
            for part in re.split(r"\{[^}]*\}|<[^>]*>|%\(?\w*\)?[sd]?|\n", text):
                part = " ".join(part.split()).strip(" .,:;()*_`[]|-")
                if len(re.findall(r"[A-Za-z]+(?:'[a-z]+)?", part)) >= 3 and " " in part:  # words, not a key
                    out.add(part)
    return out


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_no_english_sentence_of_the_handbooks_text_in_the_french_site(french_site):
    """Every page of the French site (home, practices, deficits, targets, scoreboard, figures due, teams, units,
    indicators, learning, onboarding pages, briefing book): no fragment of three words or more of any message."""
    _data, site = french_site
    fragments = _english_fragments()
    assert {"Switch to dark mode", "How to propose a change"} <= fragments
    found = {}
    for path in _pages(site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for node in soup.select("script, style, code, pre"):  # code (config keys, `status --json` values) stays as is
            node.decompose()
        text = _text(soup)
        hits = sorted(f for f in fragments if f in text)
        if hits:
            found[path.relative_to(site).as_posix()] = hits
    report = "\n".join(f"{page}: {hits[:6]}{' ...' if len(hits) > 6 else ''}" for page, hits in found.items())
    assert found == {}, f"English text in {len(found)} French pages:\n{report}"


# Words no French sentence holds: English text that was never wrapped in _() (so is in no catalogue) shows by them.
ENGLISH_WORDS = re.compile(r"\b(the|and|with|which|this|these|that|are|is|was|were|of|to|for|from|has|have|by|"
                           r"its|their|your|you|not|no longer|each|every|any)\b")


def test_no_english_words_in_the_french_site(french_site):
    """Every page of the French site, its visible text less code and text marked as another language (the data of
    the French organization is French): no English function word."""
    _data, site = french_site
    found = {}
    for path in _pages(site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for node in soup.select("script, style, code, pre, [lang]:not(html)"):
            node.decompose()
        text = _text(soup)
        hits = [text[max(m.start() - 30, 0):m.end() + 30] for m in ENGLISH_WORDS.finditer(text)]
        if hits:
            found[path.relative_to(site).as_posix()] = (len(hits), hits[:2])
    report = "\n".join(f"{page}: {n} English words, e.g. {hits}" for page, (n, hits) in sorted(found.items()))
    assert found == {}, f"English words in {len(found)} French pages:\n{report}"


# ---- (d) the bilingual organization ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bilingual_site(tmp_path_factory):
    """Both languages, as `make build` lays them out: English at the root, French under fr/."""
    root = tmp_path_factory.mktemp("bilingual")
    data = write_org(root, bilingual_org())
    site = build_ok(data, root / "site")
    build_ok(data, site / "fr", "fr")
    return data, site


def test_both_languages_build_with_the_same_pages(bilingual_site):
    _data, site = bilingual_site
    english = {p.relative_to(site).as_posix() for p in _pages(site) if not p.relative_to(site).as_posix().startswith("fr/")}
    french = {p.relative_to(site / "fr").as_posix() for p in _pages(site / "fr")}
    assert english == french and "teams/alpha/index.html" in french
    assert _soup(site, "teams/alpha").html["lang"] == "en" and _soup(site, "fr/teams/alpha").html["lang"] == "fr"
    # The English site is where it always was (site_url unchanged), the French one has its own address.
    assert "<loc>http://localhost:8000/teams/alpha/</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>http://localhost:8000/fr/teams/alpha/</loc>" in (site / "fr" / "sitemap.xml").read_text(encoding="utf-8")


def test_the_switcher_links_each_language(bilingual_site):
    _data, site = bilingual_site
    for page, links in (("teams/alpha", {"en": "../../", "fr": "../../fr/"}),
                        ("fr/teams/alpha", {"en": "../../../", "fr": "../../../fr/"})):
        soup = _soup(site, page)
        found = {a["hreflang"]: a["href"] for a in soup.select("a.md-select__link[hreflang]")}
        assert found == links, page
        assert [a.get_text(strip=True) for a in soup.select("a.md-select__link")] == ["English", "Français"]
        assert soup.select_one('script[src$="assets/js/languages.js"]') is not None


def test_untranslated_data_text_carries_its_language(bilingual_site):
    _data, site = bilingual_site
    beta = _soup(site, "fr/teams/beta")
    h1 = beta.select_one("article h1")
    assert h1.select_one('span[lang="en"]').get_text() == "Beta Team"
    alpha = _soup(site, "fr/teams/alpha").select_one("article h1")
    assert alpha.get_text(strip=True).startswith("Équipe Alpha") and alpha.select_one("[lang]") is None
    # The English site marks nothing: its text is in the page's language.
    assert _soup(site, "teams/beta").select("article [lang]") == []


def test_a_monolingual_site_has_no_switcher(french_site):
    _data, site = french_site
    soup = _soup(site, ".")
    assert soup.select("a.md-select__link") == [] and soup.select_one('script[src$="languages.js"]') is None


@pytest.mark.browser
def test_switching_language_on_a_team_page_lands_on_the_same_team(bilingual_site, browser):
    from browser import serve, watch

    _data, site = bilingual_site
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        watch(pg)
        try:
            pg.goto(base + "teams/alpha/")
            pg.locator(".md-header .md-select").hover()
            pg.locator('a.md-select__link[hreflang="fr"]').click()
            pg.wait_for_url(base + "fr/teams/alpha/", timeout=10000)
            assert pg.evaluate("() => document.documentElement.lang") == "fr"
            assert pg.locator("article h1").inner_text().startswith("Équipe Alpha")
            pg.goto(base + "fr/teams/beta/")
            pg.locator(".md-header .md-select").hover()
            pg.locator('a.md-select__link[hreflang="en"]').click()
            pg.wait_for_url(base + "teams/beta/", timeout=10000)
            assert pg.evaluate("() => document.documentElement.lang") == "en"
            assert pg.errors == []
        finally:
            context.close()


# ---- (e) accessibility of the French site ---------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("which, page", [("french", ""), ("french", "teams/alpha/"), ("bilingual", "fr/teams/beta/")])
def test_axe_passes_on_the_french_home_and_team_page(french_site, bilingual_site, browser, which, page):
    """The French organization's home and a team page; a bilingual team page in French (its switcher, an English
    name marked as such)."""
    from axe_playwright_python.sync_playwright import Axe

    from browser import serve, wait_charts_drawn, watch

    _data, site = french_site if which == "french" else bilingual_site
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        watch(pg)
        try:
            pg.goto(base + page)
            assert pg.evaluate("() => document.documentElement.lang") == "fr"
            if pg.locator(".hb-chart").count():
                wait_charts_drawn(pg)
                # plotly's French locale, from the site: its mode bar and formats are French.
                assert pg.evaluate("() => document.querySelector('.hb-chart')._context.locale") == "fr"
            violations = Axe().run(pg).response["violations"]
            blocking = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:5]]}"
                        for v in violations if v["impact"] in ("serious", "critical")]
            assert blocking == []
            assert pg.errors == []
        finally:
            context.close()


# ---- (f) the public edition, per language ---------------------------------------------------------------------


def test_the_public_edition_leaks_nothing_in_either_language(tmp_path):
    from test_editions import INTERNAL_IDS, _markers, _site_texts, marked_org

    org = marked_org()
    org["organization.yml"]["languages"] = ["en", "fr"]
    # Translations of internal records hold markers of their own; the public records' translations too.
    org["translations/fr.yml"] = {
        "teams.yml": {"alpha": {"name": "QZPUBtralpha"}, "qzint-team": {"name": "QZINTtrteam", "lead": "QZINTtrlead"}},
        "targets.yml": {"qzint-target": {"title": "QZINTtrtarget"}, "faster": {"title": "QZPUBtrtarget"}},
        "indicators.yml": {"qzint-indicator": {"name": "QZINTtrindicator"}},
        "deficits.yml": {"qzint-deficit": {"description": "QZINTtrdeficit"}},
    }
    data = write_org(tmp_path, org)
    internal = {m.lower() for m in _markers(org, "QZINT")} | set(INTERNAL_IDS)
    for language in ("en", "fr"):
        public = build_ok(data, tmp_path / f"public-{language}", language, "public")
        texts = _site_texts(public)
        leaks = {m: [p for p, text in texts.items() if m in text] for m in internal}
        assert {m: files for m, files in leaks.items() if files} == {}, language
    french = "\n".join(_site_texts(tmp_path / "public-fr").values())
    assert "qzpubtralpha" in french and "qzpubtrtarget" in french  # the French public edition is translated
    intranet = "\n".join(_site_texts(build_ok(data, tmp_path / "intranet-fr", "fr")).values())
    assert [m for m in ("qzinttrteam", "qzinttrtarget", "qzinttrindicator") if m not in intranet] == []


def test_an_unknown_build_language_fails_the_build(tmp_path):
    data = write_org(tmp_path, clone(bilingual_org()))
    env = dict(os.environ, HANDBOOK_DATA=str(data), NO_MKDOCS_2_WARNING="1", HANDBOOK_LANGUAGE="de")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                           "-d", str(tmp_path / "site")], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert "HANDBOOK_LANGUAGE is 'de': expected a language the handbook's text is written in (en, fr)" in done.stderr


# ---- the benchmark's second language ---------------------------------------------------------------------------


def test_the_benchmark_measures_a_second_language(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_build

    data = bench_build.generate_org(tmp_path / "org", teams=20, months=13)
    bench_build.make_bilingual(data, 20)
    hb = validate_data(data)  # the translation file it writes is valid
    assert hb.organization.languages == ("en", "fr")
    fr = translate(hb, data, "fr")
    assert fr.teams["team-0000"].name == "Équipe 0000" and isinstance(fr.teams["team-0001"].name, Original)
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_build.py"), "--teams", "13", "--months",
                           "13", "--repeat", "1", "--languages", "--keep", str(tmp_path / "work")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"13 teams, bilingual fr: build [\d.]+ s", done.stdout)
    assert re.search(r"a second language: [\d.]+ s more, the bilingual site took [\d.]+ times the monolingual build",
                     done.stdout)
    assert (tmp_path / "work" / "site-en-fr-fr" / "teams" / "team-0000" / "index.html").read_text(
        encoding="utf-8").count("Équipe 0000") >= 1


def test_check_refuses_a_build_language_the_organization_does_not_write(tmp_path):
    data = write_org(tmp_path, bilingual_org())
    done = run_cli("check", "--docs", str(ROOT / "docs"), data=data, env={"HANDBOOK_LANGUAGE": "es"})
    assert done.returncode == 2
    assert done.stderr.strip() == ("error: HANDBOOK_LANGUAGE is 'es': expected a language the handbook's text is "
                                   "written in (en, fr) as a BCP 47 code, e.g. fr")
    french = write_org(tmp_path / "fr", french_org())
    done = run_cli("check", "--docs", str(ROOT / "docs"), data=french, env={"HANDBOOK_LANGUAGE": "en"})
    assert done.returncode == 0, done.stderr  # a monolingual organization may still be built in English


def test_configure_build_for_a_french_organization_with_an_english_site(tmp_path):
    """language fr, languages [fr, en]: French at the root, English under en/, each linking the other."""
    from macros.languages import configure_build

    org = french_org()
    org["organization.yml"]["languages"] = ["fr", "en"]
    hb = validate_data(write_org(tmp_path, org))

    def config() -> dict:
        return {"theme": {"language": "en", "palette": [{"toggle": {"name": "Switch to dark mode"}}]},
                "site_url": "https://intranet.example/handbook/", "extra": {}, "extra_javascript": [],
                "nav": [{"Home": "index.md"}, {"Onboarding": [{"Glossary": "onboarding/glossary.md"}]}],
                "mdx_configs": {"toc": {"permalink_title": "Link to this section"}},
                "site_description": "How we set targets, track performance and learn, built from the data in this "
                                    "repository."}

    try:
        english = config()
        i18n.use("en")
        configure_build(english, hb.organization, "en")
        french = config()
        i18n.use("fr")
        configure_build(french, hb.organization, "fr")
    finally:
        i18n.use("en")
    assert english["site_url"] == "https://intranet.example/handbook/en/" and english["theme"]["language"] == "en"
    assert english["extra"]["alternate"] == [{"name": "Français", "lang": "fr", "link": "../"},
                                             {"name": "English", "lang": "en", "link": "../en/"}]
    assert english["nav"][0] == {"Home": "index.md"}
    assert french["site_url"] == "https://intranet.example/handbook/" and french["theme"]["language"] == "fr"
    assert french["extra"]["alternate"] == [{"name": "Français", "lang": "fr", "link": "./"},
                                            {"name": "English", "lang": "en", "link": "./en/"}]
    assert french["nav"] == [{"Accueil": "index.md"}, {"Prise en main": [{"Glossaire": "onboarding/glossary.md"}]}]
    assert french["theme"]["palette"][0]["toggle"]["name"] == "Passer au mode sombre"
    assert french["mdx_configs"]["toc"]["permalink_title"] == "Lien vers cette section"
    assert french["site_description"].startswith("Comment nous fixons nos cibles")
    assert french["extra_javascript"] == english["extra_javascript"] == ["assets/js/languages.js"]


@pytest.mark.parametrize("workflow", ["pr.yml", "publish.yml"])
def test_the_workflows_build_every_language_of_both_editions(workflow):
    import yaml

    doc = yaml.safe_load((ROOT / ".github" / "workflows" / workflow).read_text(encoding="utf-8"))
    steps = doc["jobs"]["check"]["steps"]
    runs = [(s.get("run", ""), (s.get("env") or {}).get("HANDBOOK_EDITION")) for s in steps]
    plain = [i for i, (run, _e) in enumerate(runs) if "mkdocs build --strict" in run]
    others = [i for i, (run, _e) in enumerate(runs) if "macros.multilingual build --others" in run]
    assert [runs[i] for i in others] == [(".venv/bin/python -m macros.multilingual build --others --out site", None),
                                         (".venv/bin/python -m macros.multilingual build --others --out site-public",
                                          "public")]
    assert plain[0] < others[0] and plain[1] < others[1]  # each into the folders of its built edition


def test_the_translation_schema_accepts_the_fixture_and_refuses_what_check_refuses():
    import json

    from jsonschema import Draft202012Validator

    schema = json.loads((ROOT / "docs" / "schemas" / "translations.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    good = {**bilingual_org()["translations/fr.yml"]}
    good["practices.yml"] = {"1": good["practices.yml"][1]}  # YAML's key 1 is "1" in JSON
    assert list(validator.iter_errors(good)) == []
    for bad in ({"recognition.yml": {}}, {"teams.yml": {"alpha": {"unit": "Opérations"}}},
                {"teams.yml": {"alpha": {"name": ["a"]}}}, {"targets.yml": {"faster": {"theory": {"because": "x"}}}}):
        assert list(validator.iter_errors(bad)), bad
