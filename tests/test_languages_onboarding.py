"""The onboarding and practice pages in French (issue 26): the reading path, glossary, status and projection rules,
how-tos, editions page, data reference, practice pages with their checklist results, and the print handbook.

Each page macro is called directly (as tests/test_goldens.py does) on a copy of the sample data and on the messy
fixture organization, in French; the page must hold French text and none of this area's English messages (the
English goldens pin the English pages). The catalogue onboarding.po must translate every message of the area,
the data contract's field descriptions included (the reference page translates them; the JSON Schemas stay English).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from macros import contract, i18n
from macros.checks import run_checks
from macros.registry import load_macros
from macros.site import load_site
from orgs import base_org, messy_org, write_org

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "macros" / "locale" / "fr" / "LC_MESSAGES" / "onboarding.po"
# The code whose sentences this area translates.
AREA = ["macros/render/onboarding.py", "macros/render/practices.py", "macros/render/reference.py",
        "macros/render/editions.py", "macros/render/handbook.py", "macros/render/page_text.py", "macros/checks.py",
        "macros/edition.py"]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
EDIT_BASE = "https://git.example/handbook/edit/main/"
# (page src, macro, arguments): every page of this area.
CALLS = [
    ("onboarding/index.md", "page_heading", "start-here"), ("onboarding/index.md", "onboarding_path"),
    ("onboarding/glossary.md", "page_heading", "glossary"), ("onboarding/glossary.md", "glossary"),
    ("onboarding/status.md", "page_heading", "status"), ("onboarding/status.md", "status_rules"),
    ("onboarding/status.md", "projection_rules"),
    ("onboarding/propose-a-change.md", "page_heading", "propose-a-change"),
    ("onboarding/propose-a-change.md", "change_procedure"), ("onboarding/propose-a-change.md", "change_example"),
    ("onboarding/add-figures.md", "page_heading", "add-figures"), ("onboarding/add-figures.md", "figures_procedure"),
    ("onboarding/editions.md", "page_heading", "editions"), ("onboarding/editions.md", "editions"),
    ("onboarding/data-reference.md", "page_heading", "data-reference"),
    ("onboarding/data-reference.md", "data_reference"),
    ("practices/index.md", "page_heading", "practices"), ("practices/index.md", "practices_index"),
    *[(f"practices/practice-{n}.md", "practice_page", n) for n in range(1, 12)],
    ("onboarding/print.md", "print_onboarding"),
]


def _contract_texts() -> list[str]:
    """Every description of the data contract, as the reference page shows it (files, fields, kinds, the handle rule)."""
    def walk(fields):
        for f in fields:
            yield f.doc
            yield from walk(f.fields)

    texts = [contract.HANDLE_RULE, *contract.KINDS.values()]
    for spec in contract.FILES:
        texts += [spec.doc, *walk(spec.fields)]
    return texts + list(walk(contract.MEASUREMENT_FIELDS))


def _area_messages() -> list[tuple[str | None, str | tuple[str, str]]]:
    found = []
    for path in AREA:
        for _line, message, _comments, context in extract_from_file("python", str(ROOT / path), keywords=KEYWORDS):
            found.append((context, message))
    return found + [(None, text) for text in _contract_texts()]


def _fragments(message: str) -> list[str]:
    """The English text of a message a reader would see: a message of three words or more, or, in a message with
    placeholders, its parts between them of four words or more (a shorter part, "the target is", also occurs in
    the sample's own English text)."""
    parts = re.split(r"\{[a-z_]*\}", message)
    least = 3 if len(parts) == 1 else 4
    found = []
    for part in parts:
        part = part.strip(" \n-*.:;,()")
        if len(re.findall(r"[A-Za-z]{2,}", part)) >= least:
            found.append(part)
    return found


def _render(data: Path, edition: str = "intranet") -> dict[str, str]:
    site = load_site(data, EDIT_BASE, edition=edition)  # after use("fr"): the checks' results are French too
    macros = load_macros()
    pages = {}
    for src, name, *args in CALLS:
        if edition == "public" and src.startswith(("onboarding/propose", "onboarding/add", "onboarding/data",
                                                    "onboarding/editions")):
            continue
        pages[f"{src} {name}"] = macros[name](site, site.links(src), *args)
    return pages


def _sample(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT / "data", tmp_path / "data"))


@pytest.fixture(params=["sample", "sample-public", "messy"])
def french_pages(request, tmp_path, french):
    if request.param == "messy":
        return _render(write_org(tmp_path, messy_org()))
    return _render(_sample(tmp_path), "public" if request.param == "sample-public" else "intranet")


def test_every_message_of_the_area_has_a_french_translation():
    catalogue = i18n.catalogue("fr")
    missing = []
    for context, message in _area_messages():
        key = message if isinstance(message, str) else message[0]
        found = catalogue.get(key, context=context)
        strings = [] if found is None else ([found.string] if isinstance(found.string, str) else list(found.string))
        if found is None or not all(strings) or found.fuzzy:
            missing.append(key)
    assert not missing, f"no French in onboarding.po for: {missing[:10]} ({len(missing)} in all)"
    assert len(_area_messages()) > 450  # the area's messages were found (extraction works), contract included


def test_translations_keep_their_placeholders_and_markup():
    with PO.open("rb") as handle:
        from babel.messages.pofile import read_po

        catalogue = read_po(handle, locale="fr")
    placeholder = re.compile(r"\{[a-z_]*\}")
    wrong = []
    for m in catalogue:
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        for en, fr in zip([ids[0], ids[-1]], [strings[0], strings[-1]], strict=True):
            same = (set(placeholder.findall(en)) == set(placeholder.findall(fr)) and en.count("`") == fr.count("`")
                    and sorted(re.findall(r"</?[a-z]+", en)) == sorted(re.findall(r"</?[a-z]+", fr))
                    and en.count("](") == fr.count("](") and (en.startswith("\n") == fr.startswith("\n"))
                    and (en.endswith("\n") == fr.endswith("\n")))
            if not same:
                wrong.append(en[:60])
    assert not wrong, wrong
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in PO.read_text(encoding="utf-8")


def test_the_pages_are_french_with_no_english_message_of_the_area(french_pages):
    fragments = {f for _c, m in _area_messages() for text in ([m] if isinstance(m, str) else m) for f in _fragments(text)}
    assert len(fragments) > 300
    for key, page in french_pages.items():
        shown = page.replace("&#x27;", "'").replace("&quot;", '"').replace("\\", "")
        # A sentence quoted from another area's text (the pace sentence a team page shows) is that area's to translate.
        shown = re.sub(r"«[^»]*»", "", shown)
        shown = re.sub(r"`[^`\n]*`", "", shown)  # code (values of `status --json`, file names) stays as it is
        # Text from the data left in its own language is marked so (the data's English, here): not the handbook's.
        shown = re.sub(r'<span lang="en">[^<]*</span>', "", shown)
        # A checklist item's own text is data (practices.yml, here in English), whatever check it names.
        shown = re.sub(r'(id="check-(?!auto-)[^"]*"[^>]*>(?:(?!</li>).)*?<span class="hb-check__text">)[^<]*', r"\1",
                       shown)
        # The print handbook repeats the deficits register, another area's page, whole.
        deficits, targets = i18n._("The key failures we are closing"), i18n._("The targets and their theories")
        shown = re.sub(f"## {re.escape(deficits)}.*?## {re.escape(targets)}", "", shown, flags=re.S)
        english = sorted(f for f in fragments if f in shown)
        assert not english, f"{key}: English left: {english[:5]}"
    joined = "\n".join(french_pages.values())
    for french_text in ("# Pour commencer", "# Glossaire", "Bienvenue. Voici le manuel de la performance",
                        "Valeur de référence", "La première règle qui s’applique donne le statut",
                        "Les onze pratiques", "Liste de contrôle", "Y arriverons-nous\u00a0? La projection"):
        assert french_text in joined, french_text


def test_glossary_in_french_sorted_as_a_french_reader_expects(french, tmp_path):
    pages = _render(_sample(tmp_path))
    glossary = pages["onboarding/glossary.md glossary"]
    terms = re.findall(r'<dt id="term-[a-z-]+">([^<]+)</dt>', glossary)
    assert "Échéance" in terms and "Valeur de référence" in terms and "Garde-fou" in terms
    # Accents aside: "Échéance" sits among the E, after "Distorsion", before "Effet cliquet".
    assert terms.index("Distorsion") < terms.index("Échéance") < terms.index("Effet cliquet")
    # The anchors stay English: a link to glossary.md#term-deadline works in every language.
    assert '<dt id="term-deadline">Échéance</dt>' in glossary
    # French typography: a no-break space before a colon, "2 mois" for the organization's limit of 2 periods.
    assert "\u00a0: le statut d’une cible pour une équipe" in glossary
    assert "plus de 2 mois de retard" in glossary


def test_status_rules_and_projection_in_french_numbers(french, tmp_path):
    pages = _render(_sample(tmp_path))
    rules = pages["onboarding/status.md status_rules"]
    assert "attendus 30 jours après sa fin" in rules  # the organization's reporting.due_days
    assert "avec une remontée mensuelle et une limite de 2" in rules
    projection = pages["onboarding/status.md projection_rules"]
    band = re.search(r"environ (\d+)\u00a0% des chiffres réels", projection)
    assert band is not None, projection[:800]  # French writes "80 %", with a no-break space


def test_checklist_results_in_french(french, tmp_path):
    data = write_org(tmp_path, messy_org())
    site = load_site(data, EDIT_BASE)
    failing = [f.reason for r in run_checks(site.analysis).values() for f in r.failures]
    assert failing, "the messy organization fails some checks"
    english = ("no target", "no guardrail", "stale on", "no capacity record", "without recognition", "reports ")
    assert not [r for r in failing if r.startswith(english)], failing
    page = load_macros()["practice_page"](site, site.links("practices/practice-5.md"), 5)
    assert "Échec" in page or "Réussi" in page
    assert "automatisé" in page


def test_reference_translates_descriptions_and_schemas_stay_english(french, tmp_path):
    pages = _render(_sample(tmp_path))
    reference = pages["onboarding/data-reference.md data_reference"]
    assert "Le nom de l’organisation, affiché dans le titre de chaque page." in reference.replace("&#x27;", "'")
    assert "| Champ | Type | Obligatoire | Valeurs admises | Exemple | Contenu |" in reference
    name = contract.ORGANIZATION.child("name").doc
    assert name not in reference
    schema = json.loads((ROOT / "docs" / "schemas" / "organization.schema.json").read_text(encoding="utf-8"))
    assert name in json.dumps(schema)  # the JSON Schemas keep the contract's English


def test_english_is_back_after_french(tmp_path):
    i18n.use("fr")
    i18n.use("en")
    site = load_site(_sample(tmp_path), EDIT_BASE)
    page = load_macros()["page_heading"](site, site.links("onboarding/glossary.md"), "glossary")
    assert page == "# Glossary\n\nThe words this handbook uses in a precise sense, then the status names.\n"


def test_page_heading_takes_only_the_handbooks_own_pages(tmp_path):
    from macros.registry import check_call

    site = load_site(_sample(tmp_path), EDIT_BASE)
    assert check_call(site, "page_heading", ("glossary",)) is None
    problem = check_call(site, "page_heading", ("no-such-page",))
    assert problem is not None and "'no-such-page'" in problem and '"glossary"' in problem
    # The shipped pages call it on their first line and hold no English heading or sentence of their own.
    for page in [*(ROOT / "docs" / "onboarding").glob("*.md"), ROOT / "docs" / "practices" / "index.md"]:
        text = page.read_text(encoding="utf-8")
        if page.name == "print.md":  # its front matter's YAML comment aside, the macro writes the whole page
            assert text.rstrip().endswith("\n{{ print_onboarding() }}"), page
            continue
        assert text.startswith("{{ page_heading("), page
        assert not re.search(r"^#+ ", text, re.M), page


def test_the_statuses_a_note_is_required_for_are_listed_in_french(french, tmp_path):
    import dataclasses

    from macros.render.onboarding import render_figures_procedure

    site = load_site(_sample(tmp_path), EDIT_BASE)
    a = site.analysis
    org = dataclasses.replace(a.hb.organization, notes_required=("off track", "stale"))
    a = dataclasses.replace(a, hb=dataclasses.replace(a.hb, organization=org))
    links = site.links("onboarding/add-figures.md")
    assert ("place une équipe en statut hors trajectoire ou pas à jour (`reporting.notes_required`)"
            in render_figures_procedure(a, links))
    i18n.use("en")
    assert "when it leaves a team off track or stale (`reporting.notes_required`)" in render_figures_procedure(a, links)


def test_a_quarterly_organization_reads_quarters_in_french(french, tmp_path):
    site = load_site(write_org(tmp_path, base_org("quarterly")), EDIT_BASE)
    macros = load_macros()
    rules = macros["status_rules"](site, site.links("onboarding/status.md"))
    assert "avec une remontée trimestrielle et une limite de 2" in rules and "3 trimestres de retard" in rules
    assert "Un trimestre sans chiffre" in rules and "mois" not in rules.split("Un trimestre sans chiffre")[1][:400]
    glossary = macros["glossary"](site, site.links("onboarding/glossary.md"))
    assert "plus de 2 trimestres de retard" in glossary
    procedure = macros["figures_procedure"](site, site.links("onboarding/add-figures.md"))
    assert "ajouter les chiffres du trimestre" in procedure and "`YYYY-Qn`, par exemple `2025-Q1`" in procedure
