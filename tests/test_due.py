"""Figures on time: what each team owes (macros/due.py), `python -m macros due`, the Figures due page, the home tile,
a team page's "Report this period", contacts, notes_required and the CSV messages that help."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from conftest import run_cli
from macros.due import derive_dues
from macros.errors import DataError
from macros.registry import MACROS, load_macros
from macros.render.due import render_report_block
from macros.render.home import render_glance
from macros.render.links import Links
from macros.site import edit_base_of, load_site
from macros.validate import validate_data
from orgs import base_org, monthly, quarterly, write_org

TODAY = "2026-12-20"  # monthly: the last period ended is 2026-11; 2026-10 is due 2026-11-30


def fixture_org() -> dict:
    """Five teams: alpha and beta carry a target (beta started in 2026-06), gamma reports one indicator whose
    figures are due 60 days after a period, delta left in 2025, eps is internal (with contacts)."""
    org = base_org()
    org["organization.yml"]["default_visibility"] = "public"
    org["teams.yml"] = [
        {"id": "alpha", "name": "Alpha Team", "unit": "Operations", "contacts": ["@alice", "bob-b"]},
        {"id": "beta", "name": "Beta Team", "unit": "Operations"},
        {"id": "gamma", "name": "Gamma Team", "unit": "Support"},
        {"id": "delta", "name": "Delta Team", "unit": "Support"},
        {"id": "eps", "name": "Eps Team", "unit": "Support", "visibility": "internal", "contacts": ["eve"]},
    ]
    org["indicators.yml"][2]["due_days"] = 60  # satisfaction
    target = org["targets.yml"][0]
    target["teams"] = ["alpha", "beta"]
    target["target"] = {"period": "2027-06", "value": 2.0}
    org["targets.yml"].append({**target, "id": "eps-faster", "teams": ["eps"], "visibility": "internal"})
    org["deficits.yml"][0]["teams"] = ["alpha"]
    months_to = lambda y, m: (y - 2024) * 12 + m  # noqa: E731 - figures from 2024-01 up to (y, m)
    org["measurements"] = {
        "operations.csv": (
            monthly("alpha", "wait-days", (2024, 1), [5.0] * months_to(2026, 10))
            + monthly("alpha", "rework", (2024, 1), [3.0] * months_to(2026, 8))
            + [r for r in monthly("beta", "wait-days", (2026, 6), [4.0] * 5) if r[2] != "2026-08"]
            + monthly("beta", "rework", (2026, 6), [3.0] * 5)
        ),
        "support.csv": (
            monthly("gamma", "satisfaction", (2025, 1), [80.0] * 20)  # to 2026-08
            + monthly("delta", "staff-hours", (2024, 1), [100.0] * 15)  # to 2025-03
            + monthly("eps", "wait-days", (2024, 1), [5.0] * months_to(2026, 9))
            + monthly("eps", "rework", (2024, 1), [3.0] * months_to(2026, 10))
        ),
    }
    return org


# Worked out by hand from the rules: (team, indicator, period, due date, days late), most late first.
EXPECTED_LATE = [
    ("beta", "wait-days", "2026-08", "2026-09-30", 81),
    ("alpha", "rework", "2026-09", "2026-10-30", 51),
    ("gamma", "satisfaction", "2026-09", "2026-11-29", 21),
    ("alpha", "rework", "2026-10", "2026-11-30", 20),
    ("eps", "wait-days", "2026-10", "2026-11-30", 20),
]
ALPHA_ROWS = [
    "alpha,rework,2026-09,,", "alpha,rework,2026-10,,", "alpha,rework,2026-11,,", "alpha,wait-days,2026-11,,",
]


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_TODAY", TODAY)
    return write_org(tmp_path, fixture_org())


def _late(rows: list[dict]) -> list[tuple]:
    return [(r["team"], r["indicator"], r["period"], r["due_date"], r["days_late"]) for r in rows]


def test_due_lists_exactly_the_late_figures(data):
    dues = derive_dues(validate_data(data))
    assert _late(dues.as_json()) == EXPECTED_LATE
    assert dues.teams["delta"].owed == ()  # left: nothing in over a year, no target ahead
    # beta started in 2026-06: nothing owed before, though the target's baseline is 2024-01
    assert min(o.period for o in dues.teams["beta"].owed) == 2026 * 12 + 7
    # gamma's satisfaction is due 60 days after a period: 2026-10 is open, not late
    assert [(o.period, o.late) for o in dues.teams["gamma"].owed] == [(2026 * 12 + 8, True), (2026 * 12 + 9, False),
                                                                      (2026 * 12 + 10, False)]
    assert dues.teams["alpha"].contacts == ("alice", "bob-b")
    assert dues.teams["alpha"].file == "data/measurements/operations.csv"
    assert dues.teams["alpha"].rows("monthly").splitlines() == ALPHA_ROWS


def test_late_lists_are_kept_per_derivation_and_each_call_gets_its_own(data):
    """The late figures and teams are computed once (a build asks for them from several pages): every call answers
    the same, a caller changing its list changes nobody else's, and one team's late figures are the whole list's."""
    dues = derive_dues(validate_data(data))
    whole, teams = dues.late(), dues.late_teams()
    assert whole and teams
    whole.clear()
    teams.clear()
    assert _late(dues.as_json()) == EXPECTED_LATE
    assert dues.late_teams() == sorted((t for t in dues.teams.values() if t.late), key=lambda t: (-t.most_late, t.team))
    for team in dues.teams:
        assert dues.late(team) == [(t, o) for t, o in dues.late() if t.team == team]
        assert dues.teams[team].late == tuple(o for o in dues.teams[team].owed if o.days_late >= 0)
    assert dues.late("no-such-team") == []


def test_due_the_day_figures_land(data):
    rows = (data / "measurements" / "operations.csv").read_text()
    rows += "beta,wait-days,2026-08,4.0,\n"
    (data / "measurements" / "operations.csv").write_text(rows)
    assert [r[0] for r in _late(derive_dues(validate_data(data)).as_json())] == ["alpha", "gamma", "alpha", "eps"]


def test_a_team_that_left_owes_while_it_carries_a_target_ahead(data, tmp_path):
    org = fixture_org()
    org["targets.yml"][0]["teams"].append("delta")
    hb = validate_data(write_org(tmp_path / "b", org))
    owed = derive_dues(hb).teams["delta"].owed
    # it carries a target whose deadline is ahead: its indicator and guardrail, for the year of periods due
    # (2025-11 to 2026-10) and the period ended but not yet due (2026-11)
    assert {o.indicator for o in owed} == {"wait-days", "rework"} and len(owed) == 2 * 13
    assert sum(o.late for o in owed) == 2 * 12


def test_when_the_whole_feed_stops_every_team_stays_late(tmp_path):
    # A feed that stopped for everyone two years ago: no team "left" (none stopped while others carried on), so
    # the teams still owe the last year of figures on their targets' indicators, past deadline or not.
    from datetime import date

    org = base_org()
    org["measurements"]["figures.csv"] = (monthly("alpha", "wait-days", (2024, 1), [5.0] * 10)
                                          + monthly("beta", "wait-days", (2024, 1), [5.0] * 10))
    hb = validate_data(write_org(tmp_path, org, own_today=False), today=date(2026, 12, 5))
    dues = derive_dues(hb)
    for team in ("alpha", "beta"):
        late = [o for o in dues.teams[team].owed if o.late]
        assert {o.indicator for o in late} == {"wait-days", "rework"} and len(late) == 2 * 12
    # The same data with a third team still reporting: the two that stopped a year before it have left.
    org["measurements"]["figures.csv"] += monthly("gamma", "wait-days", (2024, 1), [5.0] * 34)  # to 2026-10
    hb = validate_data(write_org(tmp_path / "b", org, own_today=False), today=date(2026, 12, 5))
    assert not derive_dues(hb).teams["alpha"].owed and not derive_dues(hb).teams["alpha"].owes
    html = render_report_block(hb, "alpha", Links("teams/alpha.md"))
    assert "this team owes no figures" in html and "are due by" not in html  # no next figures promised


def test_when_the_whole_feed_stops_a_team_without_a_target_stays_late_too(tmp_path):
    """A team that carries no target owes the indicators it reported in the year before the feed stopped: its page
    does not say it owes nothing, nor promise next figures that no rule would ask for."""
    from datetime import date

    org = base_org()
    org["measurements"]["figures.csv"] = (monthly("alpha", "wait-days", (2024, 1), [5.0] * 10)
                                          + monthly("gamma", "satisfaction", (2024, 1), [70.0] * 10))
    hb = validate_data(write_org(tmp_path, org, own_today=False), today=date(2026, 12, 5))
    gamma = derive_dues(hb).teams["gamma"]
    assert gamma.owes and {o.indicator for o in gamma.owed if o.late} == {"satisfaction"}
    assert len([o for o in gamma.owed if o.late]) == 12
    assert "Nothing to report" not in render_report_block(hb, "gamma", Links("teams/gamma.md"))


def test_quarterly_reporting(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_TODAY", TODAY)  # 2026-Q3 ended 2026-09-30, due 2026-10-30; Q4 has not ended
    org = base_org("quarterly")
    org["targets.yml"][0]["target"] = {"period": "2027-Q2", "value": 2.0}
    org["measurements"]["figures.csv"] = (quarterly("alpha", "wait-days", (2024, 1), [5.0] * 10)  # to 2026-Q2
                                          + quarterly("alpha", "rework", (2024, 1), [3.0] * 11)  # to 2026-Q3
                                          + quarterly("beta", "wait-days", (2024, 1), [5.0] * 11)
                                          + quarterly("beta", "rework", (2024, 1), [3.0] * 11))
    result = run_cli("due", "--json", data=write_org(tmp_path, org))
    assert result.returncode == 0, result.stderr
    assert _late(json.loads(result.stdout)) == [("alpha", "wait-days", "2026-Q3", "2026-10-30", 51)]


def test_due_command_json_text_rows_and_editions(data):
    result = run_cli("due", "--json", data=data)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert _late(found) == EXPECTED_LATE
    assert found[1]["contacts"] == ["alice", "bob-b"] and found[1]["file"] == "data/measurements/operations.csv"
    public = json.loads(run_cli("due", "--json", "--edition", "public", data=data).stdout)
    assert _late(public) == [r for r in EXPECTED_LATE if r[0] != "eps"]
    assert all(r["contacts"] == [] for r in public)  # contacts are never in the public edition
    text = run_cli("due", data=data)
    assert text.returncode == 0 and "@alice @bob-b" in text.stdout and "5 figures late from 4 teams" in text.stdout
    rows = run_cli("due", "--rows", "--team", "alpha", data=data)
    assert rows.returncode == 0 and rows.stdout.splitlines() == ALPHA_ROWS
    assert "data/measurements/operations.csv" in rows.stderr
    one = json.loads(run_cli("due", "--json", "--team", "gamma", data=data).stdout)
    assert _late(one) == [EXPECTED_LATE[2]]
    assert run_cli("due", "--team", "eps", "--edition", "public", data=data).returncode == 2


def _soup(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(markdown, "html.parser")


@pytest.mark.parametrize("edition", ["intranet", "public"])
def test_page_tile_and_team_rows_agree_with_due(data, edition):
    load_macros()
    site = load_site(data, edition=edition)
    expected = [r for r in EXPECTED_LATE if edition == "intranet" or r[0] != "eps"]
    page = _soup(MACROS["figures_due"](site, site.links("figures-due.md")))
    names = {t.name: t.id for t in site.hb.teams.values()}
    figures = [[td.get_text() for td in tr.find_all("td")] for tr in page.select("table.hb-due-figures tbody tr")]
    assert [(names[f[0]], f[1].split("(")[-1].rstrip(")"), f[2], f[3], int(f[4])) for f in figures] == expected
    teams = [names[tr.find("td").get_text()] for tr in page.select("table.hb-due-teams tbody tr")]
    assert teams == ["beta", "alpha", "gamma"] + (["eps"] if edition == "intranet" else [])  # most late first
    headers = [th.get_text() for th in page.select("table.hb-due-teams th")]
    assert ("Contacts" in headers) == (edition == "intranet")
    if edition == "public":
        assert "@" not in page.get_text() and "Eps" not in page.get_text()
    else:
        assert "@alice, @bob-b" in page.get_text() and "@eve" in page.get_text()
    glance = _soup(render_glance(site.analysis, site.links("index.md")))
    tile = glance.select_one('[data-fact="teams late with figures"]')
    assert int(tile.select_one(".hb-tile__n").get_text()) == len(teams)
    assert tile.find("a")["href"] == "figures-due/"
    for team in site.hb.teams:
        block = _soup(render_report_block(site.hb, team, site.links(f"teams/{team}.md")))
        code = block.select_one(f"code#hb-rows-{team}")
        owed = derive_dues(site.hb).teams[team]
        if not owed.owed:  # nothing owed now: when the next figures are due, or that the team owes none at all
            assert code is None
            assert ("Nothing to report now" if owed.owes else "this team owes no figures") in block.get_text()
            continue
        lines = code.get_text().splitlines()
        assert lines == owed.rows("monthly").splitlines()
        late = [r for r in expected if r[0] == team]
        assert [line for line in lines if tuple(line.split(",")[1:3]) in {(r[1], r[2]) for r in late}] == \
            [f"{team},{r[1]},{r[2]},," for r in sorted(late, key=lambda r: (r[2], r[1]))]
    assert ("eps" in site.hb.teams) == (edition == "intranet")


def test_report_block_edit_link_from_repo_url_and_edit_uri(data):
    conf = {"repo_url": "https://github.com/org/handbook", "edit_uri": "edit/main/docs/", "docs_dir": "/x/docs"}
    base = edit_base_of(conf)
    assert base == "https://github.com/org/handbook/edit/main"
    hb = validate_data(data)
    block = _soup(render_report_block(hb, "alpha", load_site(data).links("teams/alpha.md"), base))
    assert block.select_one("a.hb-edit")["href"] == base + "/data/measurements/operations.csv"
    assert block.select_one("button[data-hb-copy]")["data-hb-copy"] == "hb-rows-alpha"
    assert edit_base_of({"repo_url": "https://github.com/org/handbook"}) == ""
    assert edit_base_of({"extra": {"handbook": {"edit_base": "https://git.example/e"}}, **conf}) == "https://git.example/e"
    none = _soup(render_report_block(hb, "alpha", load_site(data).links("teams/alpha.md"), ""))
    assert none.select_one("a.hb-edit") is None


def test_a_new_team_gets_a_file_of_its_unit_or_its_own(data, tmp_path):
    org = fixture_org()
    org["teams.yml"].append({"id": "zeta", "name": "Zeta", "unit": "Field"})
    org["teams.yml"].append({"id": "theta", "name": "Theta", "unit": "Support"})
    org["targets.yml"][0]["teams"] += ["zeta", "theta"]
    dues = derive_dues(validate_data(write_org(tmp_path / "n", org)))
    assert (dues.teams["zeta"].file, dues.teams["zeta"].file_exists) == ("data/measurements/zeta.csv", False)
    assert dues.teams["zeta"].rows("monthly").splitlines()[0] == "team,indicator,period,value,note"
    assert dues.teams["theta"].file == "data/measurements/support.csv"


# ---------------------------------------------------------------------------------------------------------------
# contacts and notes_required


def _messages(tmp_path, org) -> list[str]:
    try:
        validate_data(write_org(tmp_path, org))
    except DataError as exc:
        return [p.render() for p in exc.problems]
    return []


@pytest.mark.parametrize("handle", ["alice", "@alice", "a-b-c", "A1", "x" * 39])
def test_contacts_are_github_handles(tmp_path, handle):
    """Handles refused, and their message: test_validation_messages.MESSAGES["teams.yml"]."""
    org = fixture_org()
    org["teams.yml"][1]["contacts"] = [handle]
    assert _messages(tmp_path, org) == []


def test_notes_required_points_at_the_csv_line_and_a_note_fixes_it(tmp_path):
    org = fixture_org()
    org["organization.yml"]["reporting"]["notes_required"] = ["off track", "at risk"]
    org["targets.yml"][0]["baseline"] = {"period": "2024-01", "value": 5.0}
    found = _messages(tmp_path / "a", org)
    # alpha's, beta's and eps's newest wait-days (5.0, 4.0, 5.0) leave them off track, at risk, off track
    csv_lines = (tmp_path / "a" / "data" / "measurements" / "operations.csv").read_text().splitlines()
    alpha = csv_lines.index("alpha,wait-days,2026-10,5.0,") + 1
    beta = csv_lines.index("beta,wait-days,2026-10,4.0,") + 1
    assert f"data/measurements/operations.csv:{alpha}: row for team 'alpha', 'wait-days' 2026-10, field 'note': " \
        "expected a note (this newest figure leaves the team off track, and reporting.notes_required in " \
        "organization.yml lists off track, at risk: add a note saying why), found an empty note." in found
    assert any(m.startswith(f"data/measurements/operations.csv:{beta}: ") and "leaves the team at risk" in m for m in found)
    assert len(found) == 3
    for team in ("alpha", "beta", "eps"):
        rows = org["measurements"]["operations.csv" if team != "eps" else "support.csv"]
        i = next(i for i, r in enumerate(rows) if r[:3] == (team, "wait-days", "2026-10" if team != "eps" else "2026-09"))
        rows[i] = (*rows[i][:4], "Ice, snow closed the depot")
    assert _messages(tmp_path / "b", org) == []
    # A status it does not know: test_validation_messages.MESSAGES["organization.yml"].


def test_the_status_change_report_quotes_the_note_beside_its_move(tmp_path, monkeypatch):
    from test_diff import diff, make_repo, rewrite

    monkeypatch.setenv("HANDBOOK_TODAY", "2024-06-15")
    org = base_org()
    org["organization.yml"]["reporting"]["notes_required"] = ["at risk"]
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4])
    make_repo(tmp_path, org)
    org["measurements"]["figures.csv"] = (monthly("alpha", "wait-days", (2024, 1), [6, 5, 4])
                                          + [("alpha", "wait-days", "2024-04", 5.9, "Ice, snow | *closed* the depot")])
    rewrite(tmp_path, org)
    result = diff(tmp_path)
    assert result.returncode == 0, result.stderr
    assert ("- Alpha Team, Cut waiting to 2 days: on track -> **at risk** (5.9 days in 2024-04; note: "
            "“Ice, snow \\| \\*closed\\* the depot”") in result.stdout


def test_the_due_page_lists_the_most_late_figures_up_to_a_bound(data, monkeypatch):
    import macros.render.due as render_due

    monkeypatch.setattr(render_due, "FIGURES_SHOWN", 2)
    load_macros()
    site = load_site(data)
    page = _soup(MACROS["figures_due"](site, site.links("figures-due.md")))
    rows = page.select("table.hb-due-figures tbody tr")
    assert [tr.find_all("td")[2].get_text() for tr in rows] == ["2026-08", "2026-09"]
    assert "The 2 most late of 5" in page.get_text()
    assert len(page.select("table.hb-due-teams tbody tr")) == 4  # every late team still listed


def test_a_long_list_of_owed_figures_folds_away_on_the_team_page(tmp_path):
    # A feed stopped long ago owes a year of figures on each indicator: the table of each figure folds under a
    # summary, and past a screen of them the rows to paste too, so the team's targets are not pushed pages down;
    # "Copy the rows" still copies them.
    from datetime import date

    import macros.render.due as render_due

    org = base_org()
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [5.0] * 10)
    data = write_org(tmp_path, org, own_today=False)
    hb = validate_data(data, today=date(2026, 12, 5))
    links = load_site(data).links("teams/alpha.md")
    owed = len(derive_dues(hb).teams["alpha"].owed)
    assert owed > render_due.REPORT_TABLE_OPEN
    assert owed <= render_due.REPORT_ROWS_OPEN  # these rows show open
    block = _soup(render_report_block(hb, "alpha", links))
    assert block.select_one("details.hb-report__paste") is None and block.select_one("pre.hb-report__rows code")
    render_due.REPORT_ROWS_OPEN = owed - 1  # one more than a screen: folded
    try:
        block = _soup(render_report_block(hb, "alpha", links))
    finally:
        render_due.REPORT_ROWS_OPEN = 30
    folded = block.select_one("details.hb-report__more:has(table)")
    assert folded is not None and f"({owed})" in folded.summary.get_text()
    assert len(folded.select("table tbody tr")) == owed
    paste = block.select_one("details.hb-report__paste")
    assert paste is not None and f"({owed})" in paste.summary.get_text() and "open" not in paste.attrs
    assert len(paste.select_one("pre.hb-report__rows code").get_text().splitlines()) == owed
    assert block.select_one("button[data-hb-copy]")["data-hb-copy"] == paste.select_one("code")["id"]
    render_due.REPORT_TABLE_OPEN = owed  # at the threshold the table stays open
    try:
        block = _soup(render_report_block(hb, "alpha", links))
    finally:
        render_due.REPORT_TABLE_OPEN = 8
    assert block.select_one("details.hb-report__more") is None and block.select_one("table") is not None
    assert block.select_one("details pre.hb-report__rows") is None and block.select_one("pre.hb-report__rows")
