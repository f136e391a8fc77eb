"""Downloads: statuses as JSON (the CLI's shape) and CSV, each team's figures as CSV, published with the site."""

from __future__ import annotations

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup
from pages import page_soup, site_of
from test_team_pages import org_with_figures

from conftest import build_ok, run_cli
from macros.derive import derive_analysis, derive_statuses
from macros.downloads import (
    FIGURES_HEADER,
    STATUS_HEADER,
    _note_cell,
    render_status_csv,
    render_status_json,
    render_team_csvs,
    team_csv_path,
)
from macros.site import write_downloads
from macros.validate import validate_data
from orgs import odd_org, write_org


@pytest.fixture
def data(tmp_path):
    org = org_with_figures()
    org["measurements"]["notes.csv"] = [("gamma", "rework", "2024-10", 4, "=HYPERLINK(\"http://x\")"),
                                         ("gamma", "satisfaction", "2024-10", 80, "Survey, \"autumn\" wave")]
    return write_org(tmp_path, org)


def test_status_json_is_what_the_cli_prints(data):
    hb = validate_data(data)
    a = derive_analysis(hb)  # the statuses and their projections (macros/projection.py), as the CLI prints them
    text = render_status_json(a.statuses, hb.frequency, a.projections)
    cli = run_cli("status", "--json", data=data)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(text) == json.loads(cli.stdout)
    rows = json.loads(text)
    assert {(r["target"], r["team"], r["status"]) for r in rows} == {("faster", "alpha", "on track"), ("faster", "beta", "stale")}
    alpha = next(r for r in rows if r["team"] == "alpha")
    assert alpha["distortions"] == ["rework"]


def test_status_json_is_written_as_json_dumps_writes_it_and_kept_items_are_reused(data):
    import dataclasses

    from macros.downloads import status_csv_text, status_items, status_row
    hb = validate_data(data)
    a = derive_analysis(hb)
    rows = [status_row(s, hb.frequency, a.projections) for s in a.statuses]
    assert render_status_json(a.statuses, hb.frequency, a.projections) == json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    assert render_status_json([], hb.frequency) == "[]\n"
    kept: dict = {}
    first = status_items(a.statuses, hb.frequency, a.projections, kept)
    again = status_items(a.statuses, hb.frequency, a.projections, kept)
    assert len(first) == len(a.statuses) >= 2 and all(x is y for x, y in zip(first, again, strict=True))
    # One status changes (as after a figure edit): only its item is made again, from its new record.
    changed = [dataclasses.replace(a.statuses[0], value=123.5), *a.statuses[1:]]
    third = status_items(changed, hb.frequency, a.projections, kept)
    assert third[0] is not first[0] and '"value": 123.5' in third[0][0] and third[0][1][4] == "123.5"
    assert all(x is y for x, y in zip(first[1:], third[1:], strict=True))
    assert len(kept) == len(changed)  # only this call's items are kept
    assert render_status_csv(changed, hb.frequency, a.projections) == status_csv_text(third)
    # A value equal to the last one but written differently (-0.0 for 0.0) is made again, as a clean build writes it.
    signed = [dataclasses.replace(changed[0], value=-0.0)]
    status_items([dataclasses.replace(changed[0], value=0.0)], hb.frequency, a.projections, kept)
    assert '"value": -0.0' in status_items(signed, hb.frequency, a.projections, kept)[0][0]


def test_status_csv_has_one_row_per_target_and_team(data):
    hb = validate_data(data)
    statuses = derive_statuses(hb)
    rows = list(csv.DictReader(io.StringIO(render_status_csv(statuses, hb.frequency))))
    assert list(rows[0]) == STATUS_HEADER
    by_team = {r["team"]: r for r in rows}
    assert by_team["alpha"]["period"] == "2024-10"
    assert float(by_team["alpha"]["value"]) == 2.6
    assert float(by_team["alpha"]["expected"]) == pytest.approx(6.0 - 4.0 * 9 / 11, abs=1e-6)
    assert by_team["alpha"]["status"] == "on track"
    assert by_team["alpha"]["distortions"] == "rework"
    assert by_team["alpha"]["baseline_period"] == "2024-01" and by_team["alpha"]["deadline"] == "2024-12"
    assert by_team["beta"]["status"] == "stale" and by_team["beta"]["periods_behind"] == "5"


def test_team_csv_holds_only_that_teams_figures_in_the_data_contracts_shape(data):
    hb = validate_data(data)
    texts = render_team_csvs(hb)
    assert set(texts) == {"alpha", "beta", "gamma"}
    alpha = list(csv.reader(io.StringIO(texts["alpha"])))
    assert alpha[0] == FIGURES_HEADER
    assert {r[0] for r in alpha[1:]} == {"alpha"}
    assert len(alpha) == 1 + 40
    waits = [r for r in alpha[1:] if r[1] == "wait-days"]
    assert [r[2] for r in waits][:3] == ["2024-01", "2024-02", "2024-03"]  # by indicator, then period
    assert [float(r[3]) for r in waits][:3] == [6.0, 5.6, 5.0]


def test_team_csv_neutralizes_formulas_and_quotes_notes(data):
    hb = validate_data(data)
    gamma = list(csv.reader(io.StringIO(render_team_csvs(hb)["gamma"])))
    notes = {r[1]: r[4] for r in gamma[1:]}
    assert notes["rework"] == "'=HYPERLINK(\"http://x\")"
    assert notes["satisfaction"] == 'Survey, "autumn" wave'


def test_team_without_figures_gets_a_header_only_csv(tmp_path):
    hb = validate_data(write_org(tmp_path, org_with_figures()))
    assert render_team_csvs(hb)["gamma"] == ",".join(FIGURES_HEADER) + "\n"


@pytest.mark.build
def test_build_publishes_downloads_linked_from_pages(data, tmp_path):
    site = build_ok(data, tmp_path / "site")
    status = json.loads((site / "downloads" / "status.json").read_text(encoding="utf-8"))
    assert len(status) == 2
    for team in ("alpha", "beta", "gamma"):
        assert (site / team_csv_path(team)).is_file()
    for page in ("teams/alpha/index.html", "scoreboard/index.html"):
        doc = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        links = [a["href"] for a in doc.select("article a[download]")]
        assert links, page
        for href in links:
            assert ((site / page).parent / href).resolve().is_file(), (page, href)
    team_links = [a["href"] for a in BeautifulSoup((site / "teams/alpha/index.html").read_text(encoding="utf-8"),
                                                    "html.parser").select("article a[download]")]
    assert "../../downloads/teams/alpha.csv" in team_links


def test_team_csv_values_read_back_exactly_and_whole_numbers_drop_the_point(tmp_path):
    import random

    rng = random.Random(3)
    values = [5.0, 5.5, -2.0, 0.1, 1e20, -3e17, 0.0, 12.345, 1 / 3] + [round(rng.uniform(-1e6, 1e6), rng.randint(0, 4)) for _ in range(300)]
    org = org_with_figures()
    org["measurements"]["figures.csv"] = "team,indicator,period,value,note\n" + "".join(
        f"alpha,wait-days,{2000 + i // 12}-{i % 12 + 1:02d},{v!r},\n" for i, v in enumerate(values))
    hb = validate_data(write_org(tmp_path, org))
    rows = list(csv.reader(io.StringIO(render_team_csvs(hb, ["alpha"])["alpha"])))[1:]
    cells = [r[3] for r in rows if r[1] == "wait-days"]
    assert [float(c) for c in cells] == values
    assert cells[:9] == ["5", "5.5", "-2", "0.1", "100000000000000000000", "-300000000000000000", "0", "12.345", repr(1 / 3)]


@pytest.mark.parametrize("note", ["=1+1", "  =1+1", "\u00a0=HYPERLINK(x)", "\uff1dcmd", "\uff0b1", "\uff0d1",
                                  "\uff201", "\u3000\u200b@SUM(A1)", "\t=x", "-1"])
def test_csv_downloads_neutralize_formulas_after_blanks_and_full_width_signs(note):
    cell = _note_cell(note)
    assert cell.strip('"').startswith("'") and cell.strip('"')[1:] == note


def test_csv_downloads_leave_other_notes_alone():
    assert _note_cell("Storm week - crews moved") == "Storm week - crews moved"
    assert _note_cell("a = b") == "a = b"


def test_bom_crlf_csv_and_blank_trailing_lines_reach_the_page_and_the_download(tmp_path):
    data = write_org(tmp_path, odd_org())
    site = site_of(data)
    article = page_soup(site, "team_page", "teams/hebrew.md", "hebrew")
    cells = [" ".join(td.get_text().split()) for td in article.select("details.hb-chart__data td")]
    assert "4.5" in cells, cells
    # The team's downloadable figures: the rows of the BOM, CRLF file, the note and its comma intact, no blank rows.
    write_downloads(site, tmp_path / "site")
    text = (tmp_path / "site" / "downloads" / "teams" / "hebrew.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["period"], r["value"], r["note"]) for r in rows] == [
        ("2024-01", "5", "הערה"), ("2024-02", "4.5", "note, with comma 🚧")]
    assert (data / "measurements" / "windows.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_team_csv_refuses_a_series_whose_notes_do_not_match_its_figures():
    """Each row writes a figure and its note: a series built with fewer notes than figures is a bug, not a blank."""
    from types import SimpleNamespace

    from macros.downloads import render_team_csv
    from macros.model import Series

    ok = SimpleNamespace(frequency="monthly", series={("t", "i"): Series((24000, 24001), (1.0, 2.5), ("", "=x"))})
    assert render_team_csv(ok, "t", ["i"]).splitlines()[1:] == ["t,i,2000-01,1,", "t,i,2000-02,2.5,'=x"]
    for notes in ((), ("",)):
        bad = SimpleNamespace(frequency="monthly", series={("t", "i"): Series((24000, 24001), (1.0, 2.5), notes)})
        with pytest.raises(ValueError):
            render_team_csv(bad, "t", ["i"])
