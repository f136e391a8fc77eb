"""The command line as users and CI call it: exit codes, messages, no tracebacks, JSON shape."""

from __future__ import annotations

import json
import math
import re

import pytest

from conftest import ROOT, run_cli
from macros.derive import TeamStatus
from macros.model import Status
from orgs import base_org, monthly, write_org

STATUSES = {"met", "on track", "at risk", "off track", "no data", "stale"}


def test_check_accepts_the_sample(sample_data):
    result = run_cli("check", data=sample_data)
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
    result = run_cli("check", data=write_org(tmp_path, org), cwd=tmp_path)  # paths relative to the folder used
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


def test_status_json_on_the_sample_covers_every_status_kind(sample_data):
    result = run_cli("status", "--json", data=sample_data)
    rows = json.loads(result.stdout)
    kinds = {r["status"] for r in rows}
    assert kinds <= STATUSES
    assert {"met", "on track", "at risk", "off track", "stale"} <= kinds
    assert any(r["distortions"] for r in rows)
    for r in rows:
        assert isinstance(r["distortions"], list)


def test_status_table_lists_every_pair(sample_data):
    result = run_cli("status", data=sample_data)
    json_rows = json.loads(run_cli("status", "--json", data=sample_data).stdout)
    lines = result.stdout.strip().splitlines()
    assert lines[0].split()[:3] == ["target", "team", "period"]
    assert len(lines) - 1 == len(json_rows)


def test_status_fails_cleanly_on_bad_data(tmp_path):
    org = base_org()
    org["indicators.yml"][0]["better"] = "down"
    result = run_cli("status", "--json", data=write_org(tmp_path, org))
    assert result.returncode == 1 and result.stdout == "" and "field 'better'" in result.stderr


# --- the command line's options and formats ------------------------------------------------------------------


def test_data_option_after_the_subcommand(tmp_path, sample_data):
    org = base_org()
    org["teams.yml"][0]["colour"] = "red"
    data = write_org(tmp_path / "org", org)
    (tmp_path / "elsewhere").mkdir()
    for args in (["check", "--data", "org/data"], ["--data", "org/data", "check"]):
        result = run_cli(*args, data=tmp_path / "elsewhere", cwd=tmp_path)  # the option wins over $HANDBOOK_DATA
        assert result.returncode == 1, result.stderr
        # Paths are named under the folder actually used, as given.
        assert "  org/data/teams.yml:4: team 'alpha', field 'colour'" in result.stderr
    ok = run_cli("status", "--json", "--data", str(sample_data))
    assert ok.returncode == 0 and json.loads(ok.stdout)
    assert run_cli("check", "--data", str(data.parent / "nowhere")).returncode == 1


def test_github_format_annotates_the_line_of_a_bad_reference(tmp_path):
    org = base_org()
    org["targets.yml"][0]["teams"] = ["alpha", "betta"]
    write_org(tmp_path, org)
    for env, args in (({"GITHUB_ACTIONS": "true"}, ["check"]), ({}, ["check", "--format", "github"])):
        result = run_cli(*args, cwd=tmp_path, env={"HANDBOOK_DATA": "data", **env})
        assert result.returncode == 1
        assert result.stdout.splitlines() == [
            "::error file=data/targets.yml,line=7,title=target 'faster'%2C field 'teams'::target 'faster', field "
            "'teams': expected a team id from data/teams.yml, found 'betta' (unknown team; did you mean 'beta'?)."
        ]
        assert result.stderr.splitlines()[1].startswith("  data/targets.yml:7: target 'faster', field 'teams'")
    plain = run_cli("check", cwd=tmp_path, env={"HANDBOOK_DATA": "data"})
    assert plain.returncode == 1 and plain.stdout == ""  # no workflow commands outside GitHub Actions


def test_text_from_data_cannot_forge_a_workflow_command_or_a_terminal_sequence(tmp_path):
    org = base_org()
    forged = "x\n::error file=README.md,line=1::forged\r\n::add-mask::secret\x1b]8;;https://evil.example\x07\u202e"
    org["teams.yml"][0]["id"] = forged
    org["teams.yml"][1]["unit\n::warning::key"] = "x"
    org["targets.yml"][0]["teams"] = ["beta", "gamma\n::error::ref"]
    write_org(tmp_path, org)
    for fmt in ("text", "github", "json"):
        result = run_cli("check", "--format", fmt, cwd=tmp_path, env={"HANDBOOK_DATA": "data"})
        assert result.returncode == 1 and "Traceback" not in result.stderr
        out = result.stdout + result.stderr
        assert not any(c in out for c in "\x1b\x07\r\u202e"), fmt
        if fmt == "json":
            problems = json.loads(result.stdout)["problems"]
            assert any(p["record"] == f"team '{forged}'" for p in problems)  # JSON keeps the text, escaped by JSON
            continue
        commands = [line for line in out.splitlines() if line.lstrip().startswith(("::", "##["))]
        if fmt == "text":
            assert commands == []
        else:
            # Only the annotations, one per problem, each on its own line, the data inside escaped.
            n = int(result.stderr.split()[0])
            assert len(commands) == n >= 3 and all(c.startswith("::error file=data/") for c in commands)
            # Properties hold no raw `:` or `,` (a `::` in the message after them is text, by GitHub's rules).
            assert all(re.fullmatch(r"::error file=[^:,]+(,line=\d+)?,title=[^:,]*(%2C[^:,]*)*::.+", c) for c in commands), commands
        assert "team 'x\\n::error file=README.md,line=1::forged\\r\\n::add-mask::secret\\x1b]8;;https" in out
        assert "field 'unit\\n::warning::key'" in out


def test_workflow_command_escaping_follows_github_rules():
    from macros.errors import safe_lines, workflow_command

    line = workflow_command("error", "100% done\r\nnext", file="data/a,b:c.yml", line=3, title="t: x, y")
    assert line == "::error file=data/a%2Cb%3Ac.yml,line=3,title=t%3A x%2C y::100%25 done\\r\\nnext"
    assert workflow_command("error", "m", file="f", line=None) == "::error file=f::m"
    assert safe_lines("ok\n::error::x\n  ::warning::y\n##[error]z") == "ok\n\\::error::x\n  \\::warning::y\n\\##[error]z"


def test_check_json_format(tmp_path, sample_data):
    org = base_org()
    org["teams.yml"][0]["colour"] = "red"
    write_org(tmp_path, org)
    result = run_cli("check", "--format", "json", cwd=tmp_path, env={"HANDBOOK_DATA": "data"})
    assert result.returncode == 1 and result.stderr == ""
    (problem,) = json.loads(result.stdout)["problems"]
    assert {k: problem[k] for k in ("file", "line", "record", "field")} == {
        "file": "data/teams.yml", "line": 4, "record": "team 'alpha'", "field": "colour",
    }
    assert problem["found"] == "the unknown field 'colour'"
    assert problem["message"].startswith("data/teams.yml:4: team 'alpha', field 'colour': expected only the fields")
    ok = json.loads(run_cli("check", "--format", "json", data=sample_data).stdout)
    assert ok["valid"] is True and ok["problems"] == [] and ok["counts"]["teams"] > 0


def test_pre_commit_hook_runs_check_on_data_changes():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    (hook,) = repo["hooks"]
    assert repo["repo"] == "local" and hook["language"] == "system" and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("data/teams.yml") and files.search("data/measurements/2026.csv")
    assert not files.search("docs/index.md") and not files.search("macros/data.py")
    *make, target = hook["entry"].split()
    assert make[0] == "make" and target == "check"
    assert re.search(r"^check:.*\n\t\$\(BIN\)/python -m macros check$", (ROOT / "Makefile").read_text(), re.M)


def test_github_format_annotates_template_code_in_a_page(tmp_path):
    write_org(tmp_path, base_org())
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.md").write_text("# Notes\n\nOur site is {{ config.site_name }}.\n", encoding="utf-8")
    result = run_cli("check", "--format", "github", cwd=tmp_path, env={"HANDBOOK_DATA": "data"})
    assert result.returncode == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith("::error file=docs/notes.md,line=3,title=Template code in a page::docs/notes.md:3: ")
    assert "template code outside the allowed macro calls" in result.stderr


def test_a_page_whose_name_holds_a_colon_is_reported_by_its_whole_name(tmp_path):
    """The page checks hand their findings over with file, line and text apart: no parsing of a message again."""
    write_org(tmp_path, base_org())
    (tmp_path / "docs" / "drafts").mkdir(parents=True)
    (tmp_path / "docs" / "drafts" / "notes: 2: draft.md").write_text("# Notes\n\n{{ config }}\n", encoding="utf-8")
    (tmp_path / "docs" / "drafts" / "bad: name.md").symlink_to("notes: 2: draft.md")
    result = run_cli("check", "--format", "json", cwd=tmp_path, env={"HANDBOOK_DATA": "data"})
    assert result.returncode == 1
    found = {(p["file"], p["line"], p["found"]) for p in json.loads(result.stdout)["problems"]}
    assert found == {
        ("docs/drafts/notes: 2: draft.md", 3, "{{ config }}"),
        ("docs/drafts/bad: name.md", None, "a symbolic link (to notes: 2: draft.md): the engine would publish "
                                           "whatever it points to; put the file itself here, or link to the page "
                                           "instead"),
    }


def test_a_closed_pipe_ends_the_output_quietly(sample_data):
    import subprocess
    import sys

    from conftest import ROOT

    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT), "HANDBOOK_DATA": str(sample_data)}
    with subprocess.Popen([sys.executable, "-m", "macros", "status", "--json"], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env) as proc:
        proc.stdout.read(10)
        proc.stdout.close()  # as `| head -c 10` does
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_status_json_never_holds_nan_or_infinity(tmp_path):
    status = TeamStatus("faster", "alpha", "wait-days", Status.ON_TRACK, period=24290, value=math.nan,
                        expected=math.inf, baseline_period=24288, baseline_value=-math.inf, target_period=24299,
                        target_value=math.nan)
    text = json.dumps(status.as_dict("monthly"), allow_nan=False)  # raises on NaN or Infinity
    assert json.loads(text)["value"] is None and json.loads(text)["expected"] is None
    org = base_org()
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4])
    result = run_cli("status", "--json", data=write_org(tmp_path, org))
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout, parse_constant=lambda name: pytest.fail(f"status --json printed {name}"))


def test_a_team_with_no_figures_has_no_data_status(tmp_path):
    org = base_org()
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5])
    data = write_org(tmp_path, org)
    result = run_cli("status", "--json", data=data)
    assert result.returncode == 0, result.stderr
    beta = [r for r in json.loads(result.stdout) if r["team"] == "beta"]
    assert beta and all(r["status"] == "no data" for r in beta)
