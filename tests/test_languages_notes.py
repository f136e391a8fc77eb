"""Figure notes translated (issue 26): data/translations/<language>.yml's `measurements` section, by figure
(<team>/<indicator>/<period>), field `note`.

- A translated note shows in French on the French team page, under the chart, as plain (unmarked) text.
- An untranslated note shows in its original language, inside an element with lang="en".
- A translation for a figure that has no note, or does not exist, is an error naming file, line, figure and field;
  an untranslated note is a warning at its CSV line.
- The JSON Schema of translation files accepts the section, and refuses a field other than note.
- capacity.yml's resources, by team: translated item for item, else marked; errors and warnings as for other files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, run_cli
from macros import generate, i18n
from macros.i18n import Original
from macros.languages import translate
from macros.site import load_site
from macros.team_pages import team_page
from macros.validate import validate_data
from orgs import bilingual_org, write_org

TR = "data/translations/fr.yml"


@pytest.fixture(autouse=True)
def english_after():
    """load_site writes pages in the build's language: English again after each test, whatever happens."""
    try:
        yield
    finally:
        i18n.use("en")


def noted_org() -> dict:
    """bilingual_org with two notes on alpha's figures: 2024-03 translated into French, 2024-07 not."""
    org = bilingual_org()
    rows = [list(r) for r in org["measurements"]["figures.csv"]]
    for row in rows:
        if row[0] == "alpha" and row[2] == "2024-03":
            row.append("Storm week: crews on emergency duty")
        if row[0] == "alpha" and row[2] == "2024-07":
            row.append("New booking system went live")
    org["measurements"] = {"figures.csv": [tuple(r) for r in rows]}
    org["translations/fr.yml"]["measurements"] = {
        "alpha/wait-days/2024-03": {"note": "Semaine de tempête : équipes mobilisées en urgence"}}
    return org


def _team_page(data: Path, language: str, team: str) -> BeautifulSoup:
    site = load_site(data, "", language=language)
    src = next(s for s, call in generate.plan_pages(site).items() if call == ("team_page", team))
    return BeautifulSoup(team_page(site, site.links(src), team), "html.parser")


def _notes_under_charts(page: BeautifulSoup) -> list:
    return [li for box in page.select(".hb-chart__notes") for li in box.select("li")]


def test_translate_applies_the_notes_of_figures(tmp_path):
    data = write_org(tmp_path, noted_org())
    hb = validate_data(data)
    fr = translate(hb, data, "fr")
    notes = [n for n in fr.series[("alpha", "wait-days")].notes if n]
    assert notes == ["Semaine de tempête : équipes mobilisées en urgence", "New booking system went live"]
    assert not isinstance(notes[0], Original)
    assert isinstance(notes[1], Original) and notes[1].lang == "en"
    assert all(n == "" for n in fr.series[("beta", "wait-days")].notes)  # no note: nothing to mark
    assert translate(hb, data, "en") is hb


def test_the_french_team_page_shows_the_translated_note_under_the_chart(tmp_path):
    data = write_org(tmp_path, noted_org())
    page = _team_page(data, "fr", "alpha")
    items = _notes_under_charts(page)
    texts = [li.get_text(" ", strip=True) for li in items]
    assert any("Semaine de tempête : équipes mobilisées en urgence" in t for t in texts), texts
    translated = next(li for li in items if "Semaine de tempête" in li.get_text())
    assert translated.find(attrs={"lang": True}) is None  # in the page's language: not marked
    assert "Storm week" not in str(page)
    # The chart's data table (note column) has the French note too.
    cells = [td.get_text(strip=True) for td in page.select("td.hb-chart__text")]
    assert "Semaine de tempête : équipes mobilisées en urgence" in cells


def test_an_untranslated_note_shows_in_its_language(tmp_path):
    data = write_org(tmp_path, noted_org())
    page = _team_page(data, "fr", "alpha")
    items = _notes_under_charts(page)
    original = next(li for li in items if "New booking system went live" in li.get_text())
    marked = original.find(attrs={"lang": "en"})
    assert marked is not None and marked.get_text() == "New booking system went live"


def test_the_english_team_page_keeps_the_original_notes(tmp_path):
    data = write_org(tmp_path, noted_org())
    page = _team_page(data, "en", "alpha")
    text = page.get_text(" ")
    assert "Storm week: crews on emergency duty" in text and "Semaine de tempête" not in text
    assert not page.select(".hb-chart__notes [lang]")


def _problems(tmp_path: Path, org: dict) -> list[str]:
    done = run_cli("check", "--docs", str(ROOT / "docs"), data=write_org(tmp_path, org))
    assert done.returncode == 1, done.stderr
    return [line.strip().replace(str(tmp_path) + "/", "") for line in done.stderr.splitlines()[1:] if line.strip()]


def test_a_translation_for_an_unknown_figure_is_an_error(tmp_path):
    org = noted_org()
    org["translations/fr.yml"] = (
        "measurements:\n"
        "  alpha/wait-days/2024-03:\n"
        "    note: Semaine de tempête\n"
        "  alpha/wait-days/2024-04:\n"      # a figure with no note
        "    note: Rien\n"
        "  alpha/wait-days/2024-3:\n"       # not how the handbook writes the period
        "    note: Tempête\n"
        "  alpha/wait-days/2024-07:\n"
        "    value: 3\n"                    # only the note is translated
    )
    assert _problems(tmp_path, org) == [
        f"{TR}:4: alpha/wait-days/2024-04, expected a figure with a note in data/measurements, as "
        "<team>/<indicator>/<period>, found 'alpha/wait-days/2024-04', which is not a figure with a note; did you "
        "mean 'alpha/wait-days/2024-07'?.",
        f"{TR}:6: alpha/wait-days/2024-3, expected a figure with a note in data/measurements, as "
        "<team>/<indicator>/<period>, found 'alpha/wait-days/2024-3', which is not a figure with a note; did you "
        "mean 'alpha/wait-days/2024-03'?.",
        f"{TR}:9: alpha/wait-days/2024-07, field 'value': expected one of the translated fields note, found the "
        "unknown field 'value'.",
    ]


def test_an_untranslated_note_is_a_warning_at_its_csv_line(tmp_path):
    done = run_cli("check", "--docs", str(ROOT / "docs"), data=write_org(tmp_path, noted_org()))
    assert done.returncode == 0, done.stderr
    lines = [line.strip().replace(str(tmp_path) + "/", "") for line in done.stderr.splitlines()]
    expected = "expected a translation into fr in data/translations/fr.yml, found none: the fr pages show the en text."
    notes = [line for line in lines if "field 'note'" in line]
    # figures.csv: a header, then alpha's twelve months from 2024-01: 2024-07 is line 8.
    assert notes == [f"warning: data/measurements/figures.csv:8: alpha/wait-days/2024-07, field 'note': {expected}"]
    count = int(re.match(r"(\d+) warnings", lines[0]).group(1))
    without = run_cli("check", "--docs", str(ROOT / "docs"), data=write_org(tmp_path / "plain", bilingual_org()))
    assert count == int(re.match(r"(\d+) warnings", without.stderr.strip()).group(1)) + 1


def test_the_schema_accepts_the_measurements_section():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "docs" / "schemas" / "translations.schema.json").read_text(encoding="utf-8"))
    good = {"measurements": {"alpha/wait-days/2024-03": {"note": "Semaine de tempête"}},
            "teams.yml": {"alpha": {"name": "Équipe Alpha"}}}
    jsonschema.validate(good, schema)
    for bad in ({"measurements": {"alpha/wait-days/2024-03": {"value": "3"}}},
                {"measurements": {"alpha-2024-03": {"note": "x"}}},
                {"measurements": {"alpha/wait-days/2024-03": {"note": ""}}}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


# ---- capacity.yml's resources, by team (recognition.yml and learning.yml have no record id: not translated) -----


def capacity_org() -> dict:
    org = bilingual_org()
    org["capacity.yml"] = [{"team": "alpha", "staff": 4, "resources": ["Two repair trucks", "A depot"]},
                           {"team": "beta", "staff": 3, "resources": ["One van"]}]
    org["translations/fr.yml"]["capacity.yml"] = {"alpha": {"resources": ["Deux camions de réparation", "Un dépôt"]}}
    return org


def test_capacity_resources_are_translated_item_for_item(tmp_path):
    data = write_org(tmp_path, capacity_org())
    alpha = _team_page(data, "fr", "alpha")
    items = [li for li in alpha.select("li") if li.get_text(strip=True) in ("Deux camions de réparation", "Un dépôt")]
    assert len(items) == 2 and not any(li.find(attrs={"lang": True}) for li in items)
    assert "Two repair trucks" not in str(alpha)
    beta = _team_page(data, "fr", "beta")
    marked = beta.find("span", attrs={"lang": "en"}, string="One van")
    assert marked is not None


def test_capacity_translation_errors_and_warnings(tmp_path):
    org = capacity_org()
    org["translations/fr.yml"] = (
        "capacity.yml:\n"
        "  alpha:\n"
        "    resources: [Deux camions]\n"   # the original has two
        "    needs: [x]\n"                  # not translated
    )
    assert _problems(tmp_path, org) == [
        f"{TR}:3: alpha, field 'resources': expected a list of 2 texts, one for each item of the original, found "
        "1 item.",
        f"{TR}:4: alpha, field 'needs': expected one of the translated fields resources, found the unknown field "
        "'needs'.",
    ]
    done = run_cli("check", "--docs", str(ROOT / "docs"), data=write_org(tmp_path / "ok", capacity_org()))
    assert done.returncode == 0, done.stderr
    lines = [line.strip().replace(str(tmp_path / "ok") + "/", "") for line in done.stderr.splitlines()]
    assert [line for line in lines if "capacity.yml" in line] == [
        "warning: data/capacity.yml:8: beta, field 'resources': expected a translation into fr in "
        "data/translations/fr.yml, found none: the fr pages show the en text."]
