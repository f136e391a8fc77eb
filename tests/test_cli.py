"""The command line as users and CI call it: exit codes, messages, no tracebacks, JSON shape."""

from __future__ import annotations

import json

from conftest import ROOT, run_cli
from orgs import base_org, monthly, write_org

STATUSES = {"met", "on track", "at risk", "off track", "no data", "stale"}


def test_check_accepts_the_sample():
    result = run_cli("check", data=ROOT / "data")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_check_accepts_a_quarterly_org_with_teams_without_targets(tmp_path):
    org = base_org("quarterly")
    org["measurements"]["figures.csv"] = [("alpha", "wait-days", "2024-Q1", 6), ("gamma", "staff-hours", "2024-Q2", 100)]
    result = run_cli("check", data=write_org(tmp_path, org))
    assert result.returncode == 0, result.stderr


def test_check_reports_every_problem_without_traceback(tmp_path):
    org = base_org()
    org["teams.yml"][0]["colour"] = "red"
    org["targets.yml"][0]["guardrails"][0]["tolerance"] = -1
    result = run_cli("check", data=write_org(tmp_path, org))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "2 problems in the handbook data:"
    assert lines[1].strip().startswith("data/targets.yml:21: target 'faster', field 'guardrails[1].tolerance'")
    assert lines[2].strip().startswith("data/teams.yml:4: team 'alpha', field 'colour'")


def test_check_on_a_missing_folder(tmp_path):
    result = run_cli("check", data=tmp_path / "nowhere")
    assert result.returncode == 1 and "no such folder" in result.stderr and "Traceback" not in result.stderr


def test_status_json_shape_and_values(tmp_path):
    org = base_org()
    org["measurements"]["figures.csv"] = (
        monthly("alpha", "wait-days", (2024, 1), [6, 5, 4]) + monthly("alpha", "rework", (2024, 1), [1, 2, 9])
    )
    result = run_cli("status", "--json", data=write_org(tmp_path, org))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    by_team = {r["team"]: r for r in rows}
    assert set(by_team) == {"alpha", "beta"}
    alpha = by_team["alpha"]
    assert {"target", "team", "period", "value", "expected", "status", "distortions"} <= set(alpha)
    assert (alpha["target"], alpha["period"], alpha["value"], alpha["status"]) == ("faster", "2024-03", 4.0, "on track")
    assert alpha["distortions"] == ["rework"]
    assert by_team["beta"]["status"] == "no data" and by_team["beta"]["value"] is None


def test_status_json_on_the_sample_covers_every_status_kind():
    result = run_cli("status", "--json", data=ROOT / "data")
    rows = json.loads(result.stdout)
    kinds = {r["status"] for r in rows}
    assert kinds <= STATUSES
    assert {"met", "on track", "at risk", "off track", "stale"} <= kinds
    assert any(r["distortions"] for r in rows)
    for r in rows:
        assert isinstance(r["distortions"], list)


def test_status_table_lists_every_pair():
    result = run_cli("status", data=ROOT / "data")
    json_rows = json.loads(run_cli("status", "--json", data=ROOT / "data").stdout)
    lines = result.stdout.strip().splitlines()
    assert lines[0].split()[:3] == ["target", "team", "period"]
    assert len(lines) - 1 == len(json_rows)


def test_status_fails_cleanly_on_bad_data(tmp_path):
    org = base_org()
    org["indicators.yml"][0]["better"] = "down"
    result = run_cli("status", "--json", data=write_org(tmp_path, org))
    assert result.returncode == 1 and result.stdout == "" and "field 'better'" in result.stderr
