"""scripts/remind.py against a fake `gh` on PATH: three simulated days open, update and close one issue; a second
run the same day changes nothing; the dry runs write nothing; text from data cannot forge a mention or a link."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from orgs import base_org, monthly, write_org

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "remind.py"

FAKE_GH = '''#!{python}
"""A fake GitHub CLI: records each call, serves and changes a JSON state of labels and issues."""
import json, os, sys

args = sys.argv[1:]
stdin = sys.stdin.read() if "--body-file" in args else None
with open(os.environ["FAKE_GH_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps({{"args": args, "stdin": stdin}}) + "\\n")
path = os.environ["FAKE_GH_STATE"]
with open(path, encoding="utf-8") as fh:
    state = json.load(fh)


def opt(name):
    return args[args.index(name) + 1]


verb = args[:2]
if verb == ["label", "list"]:
    print(json.dumps([{{"name": n}} for n in state["labels"]]))
elif verb == ["label", "create"]:
    state["labels"].append(args[2])
elif verb == ["issue", "list"]:
    found = [i for i in state["issues"] if opt("--label") in i["labels"]]
    if opt("--state") != "all":
        found = [i for i in found if i["state"] == opt("--state").upper()]
    fields = opt("--json").split(",")
    print(json.dumps([{{k: i[k] for k in fields}} for i in found]))
elif verb == ["issue", "create"]:
    if opt("--label") not in state["labels"]:
        sys.exit("label not found")
    number = len(state["issues"]) + 1
    state["issues"].append({{"number": number, "title": opt("--title"), "body": stdin, "state": "OPEN",
                            "labels": [opt("--label")], "comments": []}})
    print(f"https://github.example/o/r/issues/{{number}}")
elif verb == ["issue", "edit"]:
    issue = state["issues"][int(args[2]) - 1]
    issue["body"] = stdin
elif verb == ["issue", "close"]:
    issue = state["issues"][int(args[2]) - 1]
    issue["state"] = "CLOSED"
    issue["comments"].append(opt("--comment"))
else:
    sys.exit("fake gh: unknown command " + " ".join(args))
with open(path, "w", encoding="utf-8") as fh:
    json.dump(state, fh)
'''

WRITES = {("label", "create"), ("issue", "create"), ("issue", "edit"), ("issue", "close")}


class FakeGh:
    def __init__(self, root: Path):
        self.bin = root / "bin"
        self.bin.mkdir()
        gh = self.bin / "gh"
        gh.write_text(FAKE_GH.format(python=sys.executable), encoding="utf-8")
        gh.chmod(0o755)
        self.state_path, self.log_path = root / "state.json", root / "calls.jsonl"
        self.state_path.write_text(json.dumps({"labels": [], "issues": []}), encoding="utf-8")
        self.log_path.write_text("", encoding="utf-8")

    @property
    def state(self) -> dict:
        return json.loads(self.state_path.read_text(encoding="utf-8"))

    def calls(self) -> list[dict]:
        return [json.loads(line) for line in self.log_path.read_text(encoding="utf-8").splitlines()]

    def writes(self) -> list[list[str]]:
        return [c["args"] for c in self.calls() if tuple(c["args"][:2]) in WRITES]

    def run(self, data: Path, today: str, *args: str) -> subprocess.CompletedProcess:
        self.log_path.write_text("", encoding="utf-8")
        env = {**{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))},
               "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}", "HANDBOOK_TODAY": today,
               "FAKE_GH_STATE": str(self.state_path), "FAKE_GH_LOG": str(self.log_path),
               "GITHUB_SERVER_URL": "https://github.example", "GITHUB_REPOSITORY": "city/handbook",
               "GITHUB_REF_NAME": "main"}
        done = subprocess.run([sys.executable, str(SCRIPT), "--data", str(data), *args], env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done


HOSTILE = "Alpha @evil [x](https://evil.example) #12 <b>bold</b> ``` | *em*"


def org_with_a_late_figure() -> dict:
    org = base_org()
    org["teams.yml"][0]["contacts"] = ["@alice", "bob-b"]
    org["teams.yml"][0]["name"] = HOSTILE
    org["targets.yml"][0]["target"] = {"period": "2027-06", "value": 2.0}
    months = 34  # 2024-01 to 2026-10
    org["measurements"]["figures.csv"] = (
        monthly("alpha", "wait-days", (2024, 1), [5.0] * (months - 1))  # 2026-10 missing
        + monthly("alpha", "rework", (2024, 1), [3.0] * months)
        + monthly("beta", "wait-days", (2024, 1), [5.0] * months)
        + monthly("beta", "rework", (2024, 1), [3.0] * months)
    )
    return org


@pytest.fixture
def setup(tmp_path):
    return FakeGh(tmp_path), write_org(tmp_path / "repo", org_with_a_late_figure())


def test_three_days_open_update_close_and_twice_a_day_changes_nothing(setup):
    gh, data = setup
    # Day 1: alpha's 2026-10 wait-days figure was due 2026-11-30: 5 days late. One issue opened.
    gh.run(data, "2026-12-05")
    assert gh.writes() == [
        ["label", "create", "figures-late", "--color", "d93f0b", "--description",
         "Figures late (opened by the handbook's reminders)"],
        ["issue", "create", "--title", "Figures late: alpha, 2026-10", "--label", "figures-late", "--body-file", "-"],
    ]
    [issue] = gh.state["issues"]
    body = issue["body"]
    assert issue["state"] == "OPEN" and issue["title"] == "Figures late: alpha, 2026-10"
    assert "<!-- handbook-reminder team=alpha period=2026-10 -->" in body
    assert "```csv\nalpha,wait-days,2026-10,,\n```" in body
    assert "are 5 days late (1 figure missing)" in body
    assert "For: @alice @bob-b" in body
    assert "Edit the file: https://github.example/city/handbook/edit/main/data/measurements/figures.csv" in body
    # The same day again: nothing written.
    gh.run(data, "2026-12-05")
    assert gh.writes() == [] and gh.state["issues"][0]["body"] == body
    # Day 2: still late; the issue is updated (6 days), not opened again.
    gh.run(data, "2026-12-06")
    assert gh.writes() == [["issue", "edit", "1", "--body-file", "-"]]
    assert len(gh.state["issues"]) == 1 and "are 6 days late" in gh.state["issues"][0]["body"]
    gh.run(data, "2026-12-06")
    assert gh.writes() == []
    # Day 3: the figure lands on main; the issue is closed with a comment.
    csv = data / "measurements" / "figures.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "alpha,wait-days,2026-10,4.5,\n", encoding="utf-8")
    gh.run(data, "2026-12-07")
    assert [w[:3] for w in gh.writes()] == [["issue", "close", "1"]]
    issue = gh.state["issues"][0]
    assert issue["state"] == "CLOSED" and len(gh.state["issues"]) == 1
    assert issue["comments"] == ["The figures for 2026-10 from `alpha` are in on the default branch as of 2026-12-07 "
                                 "(or no longer owed). Closing this reminder."]
    gh.run(data, "2026-12-07")
    assert gh.writes() == []


def test_an_issue_closed_by_hand_while_late_is_not_opened_again(setup):
    gh, data = setup
    gh.run(data, "2026-12-05")
    state = gh.state
    state["issues"][0]["state"] = "CLOSED"
    gh.state_path.write_text(json.dumps(state), encoding="utf-8")
    gh.run(data, "2026-12-06")
    assert gh.writes() == [] and len(gh.state["issues"]) == 1


def test_the_dry_runs_write_nothing(setup):
    gh, data = setup
    gh.run(data, "2026-12-05")
    before = gh.state_path.read_text(encoding="utf-8")
    dry = gh.run(data, "2026-12-06", "--dry-run")
    assert gh.writes() == [] and gh.state_path.read_text(encoding="utf-8") == before
    assert {tuple(c["args"][:2]) for c in gh.calls()} == {("issue", "list"), ("label", "list")}  # reads only
    assert "would update #1: Figures late: alpha, 2026-10" in dry.stdout and "nothing written" in dry.stdout
    offline = gh.run(data, "2026-12-06", "--offline")
    assert gh.calls() == [] and gh.state_path.read_text(encoding="utf-8") == before
    assert "would open: Figures late: alpha, 2026-10" in offline.stdout


def test_text_from_data_forges_no_mention_link_or_markup(setup):
    gh, data = setup
    gh.run(data, "2026-12-05")
    body = gh.state["issues"][0]["body"]
    cmark = pytest.importorskip("cmarkgfm")
    from cmarkgfm.cmark import Options

    html = cmark.github_flavored_markdown_to_html(body, options=Options.CMARK_OPT_UNSAFE)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("b") is None and soup.find("em") is None
    assert [a["href"] for a in soup.find_all("a")] == [
        "https://github.example/city/handbook/edit/main/data/measurements/figures.csv"]
    assert "@evil" not in body and "#12" not in body  # a word joiner after @ and # keeps GitHub from linking them
    assert re.findall(r"@[A-Za-z0-9]", body) == ["@a", "@b"]  # the contacts' mentions, and only them
    assert "For: @alice @bob-b" in body
    assert body.count("```") == 2  # the name's fence cannot close the rows' block


def test_an_issue_whose_marker_was_edited_away_is_found_by_its_title(setup):
    gh, data = setup
    gh.run(data, "2026-12-05")
    state = gh.state
    state["issues"][0]["body"] = "We are on it."
    gh.state_path.write_text(json.dumps(state), encoding="utf-8")
    gh.run(data, "2026-12-06")
    assert gh.writes() == [["issue", "edit", "1", "--body-file", "-"]] and len(gh.state["issues"]) == 1
    assert "<!-- handbook-reminder team=alpha period=2026-10 -->" in gh.state["issues"][0]["body"]
