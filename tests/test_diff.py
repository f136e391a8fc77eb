"""`python -m macros diff BASE` on temporary git repositories."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from conftest import run_cli
from macros.diff import WORD_JOINER, direction, inline
from macros.model import Better, Indicator, Stage
from orgs import base_org, clone, monthly, write_org

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=True
    )
    return done.stdout


def make_repo(root: Path, org: dict) -> Path:
    """A git repository with one commit holding the organization under data/; returns the data folder."""
    git(root, "init", "-q")
    data = write_org(root, org)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return data


def rewrite(root: Path, org: dict) -> Path:
    """Replace the working tree's data/ with an organization (removing files it no longer has)."""
    for path in sorted((root / "data").rglob("*"), reverse=True):
        if path.is_file():
            path.unlink()
    return write_org(root, org)


def diff(root: Path, base: str = "HEAD", data: Path | None = None) -> subprocess.CompletedProcess:
    return run_cli("diff", base, data=data or root / "data", cwd=root)


def target(org: dict, t_id: str = "faster") -> dict:
    return next(t for t in org["targets.yml"] if t["id"] == t_id)


@pytest.fixture
def repo(tmp_path):
    make_repo(tmp_path, base_org())
    return tmp_path


def test_unchanged_tree_says_so(repo):
    result = diff(repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "No target changes since HEAD."


def test_a_change_outside_targets_is_no_target_change(repo):
    org = base_org()
    org["teams.yml"].append({"id": "delta", "name": "Delta Team", "unit": "Support"})
    rewrite(repo, org)
    result = diff(repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "No target changes since HEAD."


def test_raised_target_value(repo):
    org = base_org()
    target(org)["target"]["value"] = 1.5  # wait-days: lower is better
    rewrite(repo, org)
    result = diff(repo)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("## Target changes since HEAD\n")
    assert "### Changed" in out and "### Added" not in out and "### Removed" not in out
    assert "#### `faster`: Cut waiting to 2 days" in out
    assert "| Target value | 2.0 days | 1.5 days (**raised the bar**) |" in out
    # Changing the value without a revision entry is called out.
    assert "No revision entry was added" in out


def test_lowered_target_value(repo):
    org = base_org()
    target(org)["target"]["value"] = 3.0
    rewrite(repo, org)
    out = diff(repo).stdout
    assert "| Target value | 2.0 days | 3.0 days (**lowered the bar**) |" in out


def test_direction_follows_the_better_direction():
    lower = Indicator("d", "Days", "days", Stage.OUTPUT, Better.LOWER)
    higher = Indicator("s", "Satisfaction", "%", Stage.OUTCOME, Better.HIGHER)
    assert direction(3.0, 2.0, lower) == "raised the bar"
    assert direction(2.0, 3.0, lower) == "lowered the bar"
    assert direction(80.0, 90.0, higher) == "raised the bar"
    assert direction(90.0, 80.0, higher) == "lowered the bar"
    assert direction(2.0, 2.0, lower) == ""
    assert direction(None, 2.0, lower) == ""


def test_moved_deadline(repo):
    org = base_org()
    target(org)["target"]["period"] = "2025-06"
    rewrite(repo, org)
    out = diff(repo).stdout
    assert "| Deadline | 2024-12 | 2025-06 (later) |" in out
    assert "Target value" not in out


def test_added_and_removed_targets(repo):
    org = base_org()
    new = clone(target(org))
    new.update(id="quicker", title="Answer within a day", teams=["beta"], owner="Deputy")
    org["targets.yml"] = [new]
    rewrite(repo, org)
    result = diff(repo)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "1 added, 1 removed, 0 changed." in out
    added = out.split("### Added", 1)[1].split("###", 1)[0]
    removed = out.split("### Removed", 1)[1].split("###", 1)[0]
    assert "**`quicker`: Answer within a day**" in added
    assert "2.0 days by 2024-12" in added and "teams beta" in added and "owner Deputy" in added
    assert "**`faster`: Cut waiting to 2 days**" in removed
    assert "teams alpha, beta" in removed


def test_teams_owner_guardrails_and_theory(repo):
    org = base_org()
    t = target(org)
    t["teams"] = ["alpha", "gamma"]
    t["owner"] = "Chief"
    t["guardrails"] = [{"indicator": "rework", "tolerance": 3}]
    t["theory"]["chain"] = ["Faster service", "Trust", "Happier residents"]
    t["baseline"]["value"] = 6.5
    rewrite(repo, org)
    out = diff(repo).stdout
    assert "| Teams | alpha, beta | alpha, gamma (added gamma; removed beta) |" in out
    assert "| Owner | Director | Chief |" in out
    assert "| Guardrails | rework (tolerance 2 points) | rework (tolerance 3 points) |" in out
    assert "| Theory chain | Faster service → Happier residents | Faster service → Trust → Happier residents |" in out
    assert "| Baseline value | each team's own figure | 6.5 days |" in out


def test_revision_reason_shown(repo):
    org = base_org()
    t = target(org)
    t["target"] = {"period": "2024-12", "value": 1.5}
    t["revisions"] = [{"date": "2024-06-01", "was": {"period": "2024-12", "value": 2.0}, "reason": "Met 2.0 early; raised the bar."}]
    rewrite(repo, org)
    out = diff(repo).stdout
    assert "Revisions added:" in out
    assert "- 2024-06-01: **Raised the bar**: 2.0 days by 2024-12 → 1.5 days by 2024-12. Reason: Met 2\\.0 early; raised the bar\\." in out
    assert "No revision entry was added" not in out


def test_every_kind_of_revision_is_labelled(tmp_path):
    from orgs import messy_org

    org = messy_org()
    claims = target(org, "fewer-claims")
    revisions = claims.pop("revisions")
    make_repo(tmp_path, org)
    claims["revisions"] = revisions  # five revisions added at once: raised, lowered, later, earlier, raised and later
    rewrite(tmp_path, org)
    out = diff(tmp_path).stdout
    lines = [line for line in out.splitlines() if line.startswith("- 2024-")]
    assert [line.split("**")[1] for line in lines] == [
        "Raised the bar", "Lowered the bar", "Moved the deadline later", "Moved the deadline earlier",
        "Raised the bar and moved the deadline later"]
    assert lines[1] == "- 2024-03-01: **Lowered the bar**: 25 claims by 2025-06 → 28 claims by 2025-06. Reason: Too hard."
    assert "(tolerance 0.5 points)" not in out  # guardrails did not change, so they are not listed


def test_a_fine_tolerance_on_a_percentage_reads_in_points_at_its_precision(tmp_path):
    from orgs import messy_org

    org = messy_org()
    make_repo(tmp_path, org)
    target(org, "late-under-5")["guardrails"][0]["tolerance"] = 0.25
    rewrite(tmp_path, org)
    out = diff(tmp_path).stdout
    assert "| Guardrails | satisfaction (tolerance 0.5 points) | satisfaction (tolerance 0.25 points) |" in out


def test_only_revisions_new_since_base_are_listed(tmp_path):
    org = base_org()
    target(org)["revisions"] = [{"date": "2024-03-01", "was": {"period": "2024-12", "value": 3.0}, "reason": "Old reason"}]
    make_repo(tmp_path, org)
    org = clone(org)
    t = target(org)
    t["target"]["value"] = 1.5
    t["revisions"].append({"date": "2024-07-01", "was": {"period": "2024-12", "value": 2.0}, "reason": "New reason"})
    rewrite(tmp_path, org)
    out = diff(tmp_path).stdout
    assert "New reason" in out and "Old reason" not in out
    assert "2024-07-01: **Raised the bar**: 2.0 days by 2024-12 → 1.5 days by 2024-12" in out


def test_base_may_be_an_older_commit(repo):
    org = base_org()
    target(org)["target"]["value"] = 1.5
    rewrite(repo, org)
    git(repo, "commit", "-q", "-am", "raise")
    assert diff(repo, "HEAD").stdout.strip() == "No target changes since HEAD."
    assert "raised the bar" in diff(repo, "HEAD~1").stdout


def test_unknown_revision(repo):
    result = diff(repo, "no-such-rev")
    assert result.returncode == 2
    assert "unknown git revision 'no-such-rev'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_option_like_revision_is_not_passed_to_git(repo):
    result = run_cli("diff", "--", "--output=/tmp/x", data=repo / "data", cwd=repo)
    assert result.returncode == 2
    assert "unknown git revision '--output=/tmp/x'" in result.stderr


def test_not_a_git_repository(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    data = write_org(tmp_path, base_org())
    result = run_cli("diff", "HEAD", data=data, cwd=tmp_path)
    assert result.returncode == 2
    assert "not in a git repository" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_working_tree_is_a_data_error(repo):
    org = base_org()
    target(org)["deadline"] = "2025-01"  # unknown key
    rewrite(repo, org)
    result = diff(repo)
    assert result.returncode == 1
    assert "data/targets.yml" in result.stderr and "deadline" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_data_at_base_falls_back_to_raw_records(tmp_path):
    org = base_org()
    target(org)["owner"] = ""  # invalid: owner must not be empty
    make_repo(tmp_path, org)
    org = base_org()
    target(org)["target"]["value"] = 1.5
    rewrite(tmp_path, org)
    result = diff(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "does not pass `check`" in result.stdout
    assert "| Target value | 2.0 days | 1.5 days (**raised the bar**) |" in result.stdout
    assert "| Owner | – | Director |" in result.stdout


def test_no_data_at_base_means_every_target_is_added(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "README.md").write_text("hello\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "empty")
    write_org(tmp_path, base_org())
    out = diff(tmp_path).stdout
    assert "1 added, 0 removed, 0 changed." in out and "`faster`" in out


def test_data_folder_in_a_subfolder_given_relatively(tmp_path):
    git(tmp_path, "init", "-q")
    write_org(tmp_path / "handbook", base_org())
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    org = base_org()
    target(org)["target"]["period"] = "2025-03"
    write_org(tmp_path / "handbook", org)
    result = run_cli("diff", "HEAD", data=Path("handbook/data"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "| Deadline | 2024-12 | 2025-03 (later) |" in result.stdout
    # Also from inside the data folder, via --data.
    inside = run_cli("--data", ".", "diff", "HEAD", cwd=tmp_path / "handbook" / "data")
    assert inside.returncode == 0, inside.stderr
    assert "| Deadline | 2024-12 | 2025-03 (later) |" in inside.stdout


def test_markdown_from_data_is_escaped(repo):
    org = base_org()
    t = target(org)
    t["title"] = "Cut | waiting <b>now</b>"
    t["owner"] = "<script>alert(1)</script>"
    t["target"]["value"] = 1.5
    t["revisions"] = [{"date": "2024-06-01", "was": {"period": "2024-12", "value": 2.0}, "reason": "[click](javascript:x) | *bold*"}]
    rewrite(repo, org)
    out = diff(repo).stdout
    assert "<b>" not in out and "<script>" not in out
    assert "Cut \\| waiting &lt;b&gt;now&lt;/b&gt;" in out
    html = markdown.markdown(out, extensions=["tables"])
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("b") is None and soup.find("script") is None and soup.find("a") is None
    assert soup.find("em") is None
    rows = soup.find_all("tr")
    assert rows and all(len(r.find_all(["td", "th"])) == 3 for r in rows)
    title_row = next(r for r in rows if r.find("td") and r.find("td").get_text() == "Title")
    assert title_row.find_all("td")[2].get_text() == "Cut | waiting <b>now</b>"
    assert "<script>alert(1)</script>" in soup.get_text()
    assert "[click](javascript:x) | *bold*" in soup.get_text()


# --- the statuses a change moves --------------------------------------------------------------------------------


def test_a_month_of_figures_that_moves_one_status(tmp_path):
    org = base_org()
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4])
    make_repo(tmp_path, org)
    org = clone(org)
    # April: 5.9 days is worse than the trajectory (4.9 expected) but better than the baseline (6): at risk.
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4, 5.9])
    rewrite(tmp_path, org)
    result = diff(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("No target changes since HEAD.\n")
    section = result.stdout.split("## Status changes since HEAD", 1)[1]
    assert section.strip().splitlines() == [
        "1 team's status on a target moves with this change.",
        "",
        "- Alpha Team, Cut waiting to 2 days: on track -> **at risk** (5.9 days in 2024-04)",
    ]


def test_a_target_change_that_moves_statuses_says_so(tmp_path):
    org = base_org()
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4])
    make_repo(tmp_path, org)
    org = clone(org)
    target(org)["target"]["period"] = "2024-04"  # a steeper trajectory: 4 days in March is now behind it (3.3)
    rewrite(tmp_path, org)
    out = diff(tmp_path).stdout
    assert "### Changed" in out
    assert out.rstrip().endswith(
        "- Alpha Team, Cut waiting to 2 days: on track -> **at risk** (4.0 days in 2024-03; the target changed)"
    )
    assert "Beta Team" not in out.split("## Status changes", 1)[1]  # no data before and after: not moved


def test_no_status_section_when_nothing_moves_or_the_base_is_broken(tmp_path):
    org = base_org()
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4])
    make_repo(tmp_path, org)
    org = clone(org)
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4, 3.5])  # still on track
    rewrite(tmp_path, org)
    assert "Status changes" not in diff(tmp_path).stdout
    broken = clone(org)
    broken["teams.yml"][0]["colour"] = "red"
    rewrite(tmp_path, broken)
    git(tmp_path, "commit", "-qam", "broken")
    rewrite(tmp_path, org)
    out = diff(tmp_path).stdout
    assert "_The data at the base revision does not pass `check`: the statuses it moves cannot be compared._" in out


def test_hostile_names_in_a_status_change_stay_plain_text(tmp_path):
    """The status section quotes team names, target titles and units: no markup, no links, no workflow command."""
    from macros.diff import WORD_JOINER

    hostile = "<b>x</b> | [l](javascript:alert(1)) https://evil.example/ www.evil.example boss@evil.example *em*"
    org = base_org()
    org["teams.yml"][0]["name"] = f"Alpha {hostile}"
    target(org)["title"] = f"Cut {hostile}"
    for i in org["indicators.yml"]:
        i["unit"] = f"u {hostile}"
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4])
    make_repo(tmp_path, org)
    org = clone(org)
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4, 5.9])
    rewrite(tmp_path, org)
    result = diff(tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    section = out.split("## Status changes since HEAD", 1)[1]
    assert "<b>" not in section and "https://" not in section and "www.evil" not in section
    # The word joiner that keeps addresses from becoming links is invisible: not printed as the text `\u2060`.
    assert "\\u2060" not in out
    assert f"https{WORD_JOINER}:" in section and f"www{WORD_JOINER}" in section
    soup = BeautifulSoup(markdown.markdown(out, extensions=["tables"]), "html.parser")
    assert [t.get_text() for t in soup.find_all(["a", "b", "em", "strong", "code"])] == ["at risk"]
    text = soup.get_text().replace(WORD_JOINER, "")
    assert f"Alpha {hostile}, Cut {hostile}: on track -> at risk (5.9 u {hostile} in 2024-04)" in text


def test_the_target_change_report_turns_no_data_into_links():
    j = WORD_JOINER
    assert inline("see www.evil.example") == f"see www{j}.evil.example"
    assert inline("mail boss@evil.example") == f"mail boss@{j}evil\\.example"
    assert inline("https://evil.example/x") == f"https{j}://evil\\.example/x"
    assert inline("write to mailto:x") == f"write to mailto{j}:x"
    assert inline("Cut waiting to 2 days") == "Cut waiting to 2 days"
