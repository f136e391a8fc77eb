"""Deadlines (issue 11): whether a passed deadline was met, in `status`, on team, target and scoreboard pages, on the
messy fixture organization (orgs.messy_org: deadlines met, not met, met only after the deadline, judged on an older
figure, still ahead). Pages by direct macro calls (tests/pages.py); the published status downloads through one real
build of the messy organization (its end-to-end build).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pages import article, facts, site_of, text

from conftest import build_ok, run_cli
from orgs import messy_org, write_org


@pytest.fixture(scope="module")
def status_rows(messy_data: Path) -> dict[tuple[str, str], dict]:
    result = run_cli("status", "--json", data=messy_data)
    assert result.returncode == 0, result.stderr
    return {(r["target"], r["team"]): r for r in json.loads(result.stdout)}


def target_facts(page, target: str) -> dict[str, str]:
    return facts(page.select_one(f"#target-{target}").find_next("dl"))


def test_status_json_keeps_its_fields_and_adds_the_deadline(status_rows):
    north = status_rows[("late-under-5", "north")]
    for key in ("target", "team", "indicator", "period", "value", "expected", "status", "baseline", "target_value",
                "deadline", "periods_behind", "distortions"):
        assert key in north
    # met at the deadline: 4 % in 2024-06 against 5 %
    assert (north["deadline"], north["deadline_passed"], north["met_at_deadline"], north["value_at_deadline"],
            north["period_at_deadline"]) == ("2024-06", True, True, 4.0, "2024-06")
    # met only after the deadline: 7 % at the deadline, 4 % now; its status is met, its deadline was not
    south = status_rows[("late-under-5", "south")]
    assert (south["status"], south["met_at_deadline"], south["value_at_deadline"], south["value"]) == ("met", False, 7.0, 4.0)
    # no figure for the deadline period: judged on the last one before it, named with its period
    east = status_rows[("late-under-5", "east")]
    assert (east["met_at_deadline"], east["value_at_deadline"], east["period_at_deadline"]) == (False, 8.0, "2024-05")
    # a deadline ahead is not judged
    west = status_rows[("fast-response", "west")]
    assert (west["deadline_passed"], west["met_at_deadline"], west["value_at_deadline"], west["period_at_deadline"]) == (
        False, None, None, None)


def test_a_deadline_figure_too_old_is_not_judged(tmp_path):
    org = messy_org()
    # east's last figure before the 2024-06 deadline is now 2024-02: four periods before it, more than stale_after
    org["measurements"]["figures.csv"] = [
        r for r in org["measurements"]["figures.csv"] if not (r[0] == "east" and r[1] == "late-rate" and "2024-03" <= r[2] <= "2024-06")]
    rows = {(r["target"], r["team"]): r for r in json.loads(run_cli("status", "--json", data=write_org(tmp_path, org)).stdout)}
    east = rows[("late-under-5", "east")]
    assert (east["deadline_passed"], east["met_at_deadline"], east["value_at_deadline"]) == (True, None, None)


def test_status_text_output_says_whether_a_passed_deadline_was_met(messy_data):
    lines = run_cli("status", data=messy_data).stdout.splitlines()
    assert lines[0].split() == ["target", "team", "period", "value", "expected", "status", "distortions", "deadline"]
    by = {tuple(line.split()[:2]): line.rstrip() for line in lines[1:]}
    assert by[("late-under-5", "north")].endswith("  2024-06 passed, met")
    assert by[("late-under-5", "south")].endswith("  2024-06 passed, not met")
    assert by[("fast-response", "west")].endswith("  2025-06")


def test_team_pages_say_the_deadline_passed_and_whether_it_was_met(messy):
    assert target_facts(article(messy, "teams/north"), "late-under-5")["Deadline"] == "Deadline passed (2024-06): met, 4 % against 5 %"
    assert target_facts(article(messy, "teams/south"), "late-under-5")["Deadline"] == (
        "Deadline passed (2024-06): not met, 7 % against 5 %; met since, 4 % in 2024-12")
    assert target_facts(article(messy, "teams/east"), "late-under-5")["Deadline"] == (
        "Deadline passed (2024-06): not met, 8 % in 2024-05 against 5 %")
    assert "Deadline" not in target_facts(article(messy, "teams/west"), "fast-response")  # still ahead
    assert target_facts(article(messy, "teams/east"), "late-under-5")["Target"] == "5 % by 2024-06 (passed)"
    assert target_facts(article(messy, "teams/west"), "fast-response")["Target"] == "8.0 minutes by 2025-06"


def test_after_the_deadline_no_sentence_speaks_of_it_as_ahead(messy):
    east = article(messy, "teams/east")
    summary = text(east.select_one("#target-late-under-5").find_next("figcaption"))
    assert summary == "9 % in 2024-12. Deadline passed (2024-06): not met, 8 % in 2024-05 against 5 %. 1 month missing (2024-06)."
    south = text(article(messy, "teams/south").select_one("#target-late-under-5").find_next("figcaption"))
    assert "met the target" not in south and "met since, 4 % in 2024-12" in south
    said = [text(f) for f in article(messy, "targets/late-under-5").select(".hb-chart__summary")]
    said += [text(article(messy, f"teams/{t}").select_one("#target-late-under-5").find_next("figcaption"))
             for t in ("north", "south", "east")]
    assert len(said) == 6
    for line in said:
        assert not [w for w in ("at risk of missing", "on track for", "off track for", "met the target of") if w in line]


def test_target_page_lists_each_team_at_the_deadline(messy):
    page = article(messy, "targets/late-under-5")
    # Row headers name the facts (no "Fact / Value" header row since the glance issue).
    fact = {text(r.find("th")): text(r.find("td")) for r in page.find("table").select("tbody tr")}
    assert fact["Deadline"] == "2024-06 (passed: its figures were due by 2024-07-30)"
    table = page.find(id="status").find_next("table")
    assert text(table.select("thead th")[-1]) == "At the deadline"
    got = {text(r.find_all("td")[0]): r.select_one(".hb-deadline")["data-met"] for r in table.select("tbody tr")}
    assert got == {"North Depot": "yes", "South Depot": "no", "East Depot": "no"}
    # The targets index's "Goal" column: the target value by its deadline, "(passed)" once the deadline is behind.
    index = article(messy, "targets").select("table tbody tr")
    deadlines = {text(r.find("td").strong): text(r.find_all("td")[1]).split(" by ")[1].split(" from ")[0] for r in index}
    assert deadlines == {"Late repairs under 5 %": "2024-06 (passed)", "Respond within 8 minutes": "2025-06",
                         "Fewer claims": "2025-12"}


def test_scoreboard_shows_the_passed_deadline_beside_the_status(messy):
    # The sortable table under the grid has no unit column since the glance issue: team, target, status...
    rows = article(messy, "scoreboard").select("table.hb-scoreboard tbody tr")
    cells = {(text(r.find_all("td")[0]), text(r.find_all("td")[1])): r.find_all("td")[2] for r in rows}
    south = cells[("South Depot", "Late repairs under 5 %")]
    assert south.select_one(".hb-status")["data-status"] == "met"
    assert text(south.select_one(".hb-deadline")) == "Deadline passed (2024-06): not met, 7 % against 5 %; met since, 4 % in 2024-12"
    assert cells[("West Depot", "Respond within 8 minutes")].select_one(".hb-deadline") is None


def test_target_titles_in_the_new_sentences_stay_text(tmp_path):
    org = messy_org()
    org["targets.yml"][1]["title"] = "<script>alert(1)</script> {{ 7 * 7 }}"  # fast-response: stale for north
    org["targets.yml"][0]["title"] = "<b>late</b>"  # late-under-5: deadline passed
    messy = site_of(write_org(tmp_path, org))
    north = article(messy, "teams/north")
    box = north.select_one(".hb-freshness")
    assert box.find("script") is None and "<script>alert(1)</script> {{ 7 * 7 }} (latest figure 2024-06" in box.get_text()
    assert north.find("script") is None and north.find("b") is None
    assert "49" not in box.get_text()


def test_the_sample_shows_a_passed_deadline(sample_data):
    result = run_cli("status", "--json", data=sample_data)
    rows = [r for r in json.loads(result.stdout) if r["deadline_passed"]]
    assert {r["met_at_deadline"] for r in rows} >= {True, False}


# ---- end to end: one build of the messy organization ------------------------------------------------------------


@pytest.fixture(scope="module")
def built(messy_data: Path) -> Path:
    return build_ok(messy_data, messy_data.parent / "site")


def test_downloaded_status_json_is_the_cli_output(built, status_rows):
    published = json.loads((built / "downloads" / "status.json").read_text(encoding="utf-8"))
    assert {(r["target"], r["team"]): r for r in published} == status_rows


def test_downloaded_status_csv_adds_the_deadline_columns_at_the_end(built):
    import csv

    with (built / "downloads" / "status.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # After the v1 columns; the projection's columns (macros/projection.py) come after these.
    assert list(rows[0])[13:17] == ["deadline_passed", "met_at_deadline", "value_at_deadline", "period_at_deadline"]
    assert list(rows[0])[:3] == ["target", "team", "indicator"]
    east = next(r for r in rows if r["target"] == "late-under-5" and r["team"] == "east")
    assert [east[k] for k in list(rows[0])[13:17]] == ["true", "false", "8", "2024-05"]
    west = next(r for r in rows if r["target"] == "fast-response" and r["team"] == "west")
    assert [west[k] for k in list(rows[0])[13:17]] == ["false", "", "", ""]
