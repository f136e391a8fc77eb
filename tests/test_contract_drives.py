"""The contract reads the data: a bound, a default and an allowed value changed in (a copy of) macros/contract.py
change what `check` accepts, the JSON Schema and the data reference page, with no other edit; single-line-ness is
the contract's too; and an optional field added in three places (contract, model, render) is checked, in the
schema and the reference page, shown, and reported by `diff`."""

from __future__ import annotations

import dataclasses
import importlib.util
import json

import pytest

from conftest import ROOT
from macros import cli, contract
from macros.edition import public_view
from macros.errors import DataError
from macros.render import reference
from macros.validate import validate_data
from orgs import base_org, write_org


def _schemas_module():
    spec = importlib.util.spec_from_file_location("write_schemas_copy", ROOT / "scripts" / "write_schemas.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _replace(fields: tuple, path: list[str], changes: dict) -> tuple:
    out = []
    for f in fields:
        if f.name == path[0]:
            f = dataclasses.replace(f, **changes) if len(path) == 1 else dataclasses.replace(
                f, fields=_replace(f.fields, path[1:], changes))
        out.append(f)
    assert out != list(fields), f"no field {path}"
    return tuple(out)


def change_contract(monkeypatch, schemas, file: str, path: str, **changes) -> None:
    """Change one field's declaration in the contract everyone reads (monkeypatched back after the test)."""
    spec = contract.BY_FILE[file]
    new = dataclasses.replace(spec, fields=_replace(spec.fields, path.split("."), changes))
    files = tuple(new if f.name == file else f for f in contract.FILES)
    monkeypatch.setitem(contract.BY_FILE, file, new)
    for module in (contract, reference, schemas):
        monkeypatch.setattr(module, "FILES", files)


def _org() -> dict:
    org = base_org()
    org["indicators.yml"][0]["decimals"] = 5
    org["learning.yml"] = [{"date": "2024-03-01", "kind": "insight", "title": "Waits fall on Mondays",
                            "finding": "Fewer calls."}]
    org["capacity.yml"] = [{"team": "alpha", "needs": [{"need": "A room", "kind": "space", "status": "requested"}]}]
    return org


def _check(data, capsys) -> tuple[int, list[str]]:
    code = cli.main(["check", "--data", str(data), "--docs", str(data.parent / "no-docs"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return code, [p["message"].replace(str(data), "data") for p in report["problems"]]


def _field_schema(schemas, file: str) -> dict:
    return json.loads(schemas.render_schemas()[contract.schema_file(contract.BY_FILE[file])])


def _reference_row(file: str, field: str) -> str:
    page = reference.render_reference(("mission-stated",), "schemas/")
    section = page.split(f"## `data/{file}`", 1)[1].split("\n## ", 1)[0]
    return next(line for line in section.splitlines() if line.startswith(f"| `{field}`"))


def test_check_the_schema_and_the_reference_follow_the_contract(monkeypatch, tmp_path, capsys):
    schemas = _schemas_module()
    data = write_org(tmp_path, _org())

    code, problems = _check(data, capsys)  # the contract as it is: decimals up to 6, needs of six kinds
    assert code == 1
    assert len(problems) == 1 and "field 'needs[1].kind'" in problems[0] and "found 'space'" in problems[0], problems
    assert _field_schema(schemas, "indicators.yml")["items"]["properties"]["decimals"]["maximum"] == 6
    assert "from 0 to 6" in _reference_row("indicators.yml", "decimals")

    change_contract(monkeypatch, schemas, "indicators.yml", "decimals", maximum=4)
    change_contract(monkeypatch, schemas, "learning.yml", "status", default="done")
    change_contract(monkeypatch, schemas, "capacity.yml", "needs.kind", choices=(*contract.NEED_KINDS, "space"))

    code, problems = _check(data, capsys)
    assert code == 1
    assert problems == ["data/indicators.yml:6: indicator 'wait-days', field 'decimals': expected a whole number "
                        "from 0 to 4, found the number 5."], problems
    org = _org()
    org["indicators.yml"][0]["decimals"] = 4
    hb = validate_data(write_org(tmp_path / "ok", org))
    assert [entry.status for entry in hb.learning] == ["done"]  # the default, read from the contract
    assert hb.capacity["alpha"].needs[0].kind == "space"

    indicators = _field_schema(schemas, "indicators.yml")["items"]["properties"]
    assert indicators["decimals"]["maximum"] == 4
    learning = _field_schema(schemas, "learning.yml")["items"]["properties"]
    assert learning["status"]["default"] == "done"
    capacity = _field_schema(schemas, "capacity.yml")["items"]["properties"]
    assert capacity["needs"]["items"]["properties"]["kind"]["enum"][-1] == "space"

    assert "from 0 to 4" in _reference_row("indicators.yml", "decimals")
    assert "default `done`" in _reference_row("learning.yml", "status")
    assert "`space`" in _reference_row("capacity.yml", "needs[].kind")


@pytest.mark.parametrize("file, path, fact", [("indicators.yml", "decimals", "maximum"),
                                              ("capacity.yml", "staff", "minimum"),
                                              ("organization.yml", "reporting.stale_after", "default")])
def test_the_validator_repeats_no_bound_or_default(file, path, fact):
    """A bound or default passed by the validator that the contract declares otherwise is a bug caught at once."""
    import inspect

    from macros import validate

    source = inspect.getsource(validate)
    name = path.split(".")[-1]
    assert not [line for line in source.splitlines() if f'"{name}"' in line and f"{fact}=" in line], (file, path)


# ---------------------------------------------------------------------------------------------------------------
# Adding an optional field takes three source places: the contract, the model and the render line.

# The three edits, each an (anchor line, line added after it) in one source file of a copy of the package.
_ADD_PRIORITY = {
    "macros/contract.py": ('        _req("owner", "text", "Who answers for the target."',
                           '        F("priority", "integer", "How urgent the target is: 1 (most) to 5.", minimum=1, '
                           'maximum=5, example=2),'),
    "macros/model.py": ("    revisions: tuple[Revision, ...] = ()", "    priority: int | None = None"),
    "macros/render/targets.py": ('        (_("Owner"), esc(" ".join(t.owner.split()))),',
                                 '        *([(_("Priority"), esc(str(t.priority)))] if t.priority is not None else []),'),
}

_PROBE = """
import json, sys
from pathlib import Path
from macros import contract
from macros.derive import derive_analysis
from macros.render.links import Links
from macros.render.reference import render_reference
from macros.render.targets import render_target_page
from macros.edition import public_view
from macros.errors import DataError
from macros.validate import validate_data
hb = validate_data(Path(sys.argv[1]))
t = hb.targets["faster"]
print(json.dumps({
    "priority": t.priority,
    "schema": contract.json_schema(contract.BY_FILE["targets.yml"])["items"]["properties"]["priority"],
    "reference": [r for r in render_reference((), "schemas/").splitlines() if r.startswith("| `priority`")],
    "page": render_target_page(derive_analysis(hb), t, Links("targets/faster.md", {})),
}))
"""


def _with_priority(value) -> dict:
    org = base_org()
    next(t for t in org["targets.yml"] if t["id"] == "faster")["priority"] = value
    return org


def test_an_optional_field_takes_three_source_places(tmp_path):
    """In a copy of the package, one optional field added to targets in the contract, the model and the target page
    is validated by `check` (its bounds), carried by the JSON Schema, listed on the reference page, shown on the
    target page and reported by `diff`, with no other edit."""
    import os
    import shutil
    import subprocess
    import sys

    project = tmp_path / "project"
    shutil.copytree(ROOT / "macros", project / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    for file, (anchor, added) in _ADD_PRIORITY.items():
        path = project / file
        lines = path.read_text(encoding="utf-8").split("\n")
        at = [i for i, line in enumerate(lines) if line.startswith(anchor)]
        assert len(at) == 1, (file, anchor)
        lines.insert(at[0] + 1, added)
        path.write_text("\n".join(lines), encoding="utf-8")
    changed = sorted(str(p.relative_to(project)) for p in (project / "macros").rglob("*.py")
                     if p.read_bytes() != (ROOT / p.relative_to(project)).read_bytes())
    assert changed == sorted(_ADD_PRIORITY)

    env = {**os.environ, "PYTHONPATH": str(project), "PYTHONDONTWRITEBYTECODE": "1"}

    def run(*args: str, cwd=project) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True)

    # check: the contract's bounds, in the validator's words.
    for value, found in ((9, "the number 9"), ("high", "'high'")):
        bad = write_org(tmp_path / f"bad-{value}", _with_priority(value))
        done = run("-m", "macros", "check", "--data", str(bad), "--docs", str(tmp_path / "no-docs"))
        assert done.returncode == 1, done.stdout + done.stderr
        assert (f"target 'faster', field 'priority': expected a whole number from 1 to 5, found {found}."
                in done.stdout + done.stderr), done.stdout + done.stderr

    # The record, the schema, the reference page and the target page.
    repo = tmp_path / "repo"
    repo.mkdir()
    data = write_org(repo, _with_priority(2))
    done = run("-c", _PROBE, str(data))
    assert done.returncode == 0, done.stderr
    probe = json.loads(done.stdout)
    assert probe["priority"] == 2
    assert (probe["schema"]["type"], probe["schema"]["minimum"], probe["schema"]["maximum"]) == ("integer", 1, 5)
    assert len(probe["reference"]) == 1 and "from 1 to 5" in probe["reference"][0]
    assert '<th scope="row">Priority</th><td>2</td>' in probe["page"]

    # diff: a change of the field is a row of the target-change report.
    git_env = {**env, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
               "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=repo, env=git_env, check=True, capture_output=True)
    write_org(repo, _with_priority(3))
    done = subprocess.run([sys.executable, "-m", "macros", "diff", "HEAD"], cwd=repo,
                          env={**env, "HANDBOOK_DATA": str(data)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "| Priority | 2 | 3 |" in done.stdout.splitlines(), done.stdout


def test_single_line_fields_are_the_contracts(monkeypatch, tmp_path):
    """Whether a text may span lines is the contract's `one_line`, read by the validator and nowhere else."""
    schemas = _schemas_module()
    org = base_org()
    org["teams.yml"][0]["name"] = "Alpha\nTeam"
    org["indicators.yml"][0]["description"] = "Counted\nfrom the call."
    data = write_org(tmp_path, org)
    with pytest.raises(DataError) as caught:
        validate_data(data)
    assert [(p.record, p.field, p.expected) for p in caught.value.problems] == [
        ("team 'alpha'", "name", "text on one line")]

    assert "\\n" in _field_schema(schemas, "teams.yml")["items"]["properties"]["name"]["pattern"]
    assert "pattern" not in _field_schema(schemas, "indicators.yml")["items"]["properties"]["description"]

    change_contract(monkeypatch, schemas, "teams.yml", "name", one_line=False)
    change_contract(monkeypatch, schemas, "indicators.yml", "description", one_line=True)
    with pytest.raises(DataError) as caught:
        validate_data(data)
    assert [(p.record, p.field, p.expected) for p in caught.value.problems] == [
        ("indicator 'wait-days'", "description", "text on one line")]
    assert _field_schema(schemas, "teams.yml")["items"]["properties"]["name"]["pattern"] == r"\S"
    assert "\\n" in _field_schema(schemas, "indicators.yml")["items"]["properties"]["description"]["pattern"]


def test_the_validator_names_no_field_of_a_record():
    """Records are read field by field from the contract: the functions reading the files name no field they read,
    save those with a rule across fields or records (ids, the deadline after the baseline, practice numbers)."""
    import inspect
    import re

    from macros import validate

    readers = "".join(inspect.getsource(getattr(validate, name)) for name in dir(validate)
                      if name.startswith("_validate_") and name != "_validate_measurements" and name != "_validate_data")
    named = set(re.findall(r"""\br\.\w+\("(\w+)"|values\["(\w+)"\]""", readers))
    assert {a or b for a, b in named} <= {"id", "team", "baseline", "target", "checklist"}, named


def test_references_are_the_contracts_refers_to(monkeypatch, tmp_path):
    """The unknown-reference check, the editions' rules and the public edition's cut all follow `refers_to`: a
    reference the contract no longer declares is checked and cut by none; declared, by all three."""
    schemas = _schemas_module()
    org = base_org()
    org["organization.yml"]["default_visibility"] = "public"
    next(t for t in org["teams.yml"] if t["id"] == "beta")["visibility"] = "internal"
    org["deficits.yml"][0]["teams"] = ["alpha", "beta", "omega"]  # an internal team and an unknown one
    next(t for t in org["targets.yml"] if t["id"] == "faster")["teams"] = ["alpha"]
    data = write_org(tmp_path, org)
    with pytest.raises(DataError) as caught:
        validate_data(data)
    assert sorted((p.field, p.expected.split(",")[0], p.found.split(" (")[0]) for p in caught.value.problems) == [
        ("teams", "a public team", "team 'beta'"),
        ("teams", "a team id from data/teams.yml", "'omega'"),
    ]

    change_contract(monkeypatch, schemas, "deficits.yml", "teams", refers_to="")
    hb = validate_data(data)  # neither check walks a reference the contract does not declare
    assert public_view(hb).deficits["slow"].teams == ("alpha", "beta", "omega")  # nor the public edition's cut
    monkeypatch.undo()
    assert public_view(hb).deficits["slow"].teams == ("alpha",)  # declared: cut to the public teams


def test_a_field_added_inside_a_list_of_a_target_is_reported_by_diff(monkeypatch):
    """A field added to the items of a list the report words itself (guardrails, revisions) leaves that wording as it
    is, and a change in it alone still gets its row."""
    from macros.diff import Side, raw_views, report

    schemas = _schemas_module()
    guard = contract.TARGETS.child("guardrails")
    revision = contract.TARGETS.child("revisions")
    change_contract(monkeypatch, schemas, "targets.yml", "guardrails",
                    fields=(*guard.fields, contract.F("why", "text", "Why this guardrail.")))
    change_contract(monkeypatch, schemas, "targets.yml", "revisions",
                    fields=(*revision.fields, contract.F("approved_by", "text", "Who approved it.")))

    def side(why: str, approved: str) -> Side:
        record = {**base_org()["targets.yml"][0]}
        record["guardrails"] = [{"indicator": "rework", "tolerance": 2, "why": why}]
        record["revisions"] = [{"date": "2025-01-15", "was": {"period": "2025-12", "value": 3.0}, "reason": "Met early.",
                                "approved_by": approved}]
        return Side(raw_views([record]), {})

    text = report("main", side("Rushing causes rework.", "Director"), side("Rework costs more.", "Council"))
    assert "| Guardrails | rework, 2, Rushing causes rework. | rework, 2, Rework costs more. |" in text, text
    assert ("| Revisions | 2025-01-15, 2025-12, 3, Met early., Director | 2025-01-15, 2025-12, 3, Met early., Council |"
            in text), text
    assert "Revisions added" not in text  # the same revision: only its new field changed
    same = report("main", side("Rushing causes rework.", "Director"), side("Rushing causes rework.", "Director"))
    assert same == "No target changes since main.\n"
