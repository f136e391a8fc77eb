"""The contract reads the data: a bound, a default and an allowed value changed in (a copy of) macros/contract.py
change what `check` accepts, the JSON Schema and the data reference page, with no other edit."""

from __future__ import annotations

import dataclasses
import importlib.util
import json

import pytest

from conftest import ROOT
from macros import cli, contract
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
