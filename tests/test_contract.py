"""The data contract is declared once (macros/contract.py): the validator, the editors' JSON Schemas and the data
reference page all come from it, and agree."""

from __future__ import annotations

import copy
import json

import pytest
import yaml
from bs4 import BeautifulSoup
from jsonschema import Draft202012Validator

from conftest import ROOT
from macros import contract, validate
from macros.checks import CHECKS
from macros.errors import DataError
from macros.load import load_yaml
from macros.model import Better, Stage
from orgs import base_org, write_org

SCHEMAS = ROOT / "docs" / "schemas"


def _schema(file: str) -> Draft202012Validator:
    spec = contract.BY_FILE[file]
    schema = json.loads((SCHEMAS / contract.schema_file(spec)).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _plain(value):
    """A loaded YAML value as JSON-like data (the handbook's loader keeps dates as text, as YAML 1.2 does)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _load(path):
    problems = []
    data = load_yaml(path, path.name, problems)
    assert not problems, problems
    return _plain(data)


def test_committed_schemas_are_the_contract():
    import importlib.util

    spec = importlib.util.spec_from_file_location("write_schemas", ROOT / "scripts" / "write_schemas.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.render_schemas()
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(expected)
    for name, text in expected.items():
        assert (SCHEMAS / name).read_text(encoding="utf-8") == text, f"{name}: run python scripts/write_schemas.py"


def test_every_sample_data_file_names_its_schema_and_passes_it(sample_data):
    for spec in contract.FILES:
        path = sample_data / spec.name
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == contract.schema_comment(spec), spec.name
        errors = list(_schema(spec.name).iter_errors(_load(path)))
        assert errors == [], (spec.name, [e.message for e in errors[:3]])


def test_the_fixture_organization_passes_the_schemas(tmp_path):
    data = write_org(tmp_path, base_org())
    for spec in contract.FILES:
        if (data / spec.name).exists():
            assert list(_schema(spec.name).iter_errors(_load(data / spec.name))) == [], spec.name


# Bad input that a JSON Schema can express: (file, change to the fixture organization). The validator and the schema
# must both refuse each one.
def _set(file, path, value):
    def change(org):
        node = org[file]
        *parents, last = path
        for key in parents:
            node = node[key]
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value
    return change


_DELETE = object()
BAD = {
    "unknown team field": ("teams.yml", _set("teams.yml", [0, "nmae"], "Typo")),
    "missing team name": ("teams.yml", _set("teams.yml", [0, "name"], _DELETE)),
    "blank team name": ("teams.yml", _set("teams.yml", [0, "name"], "   ")),
    "team id with capitals": ("teams.yml", _set("teams.yml", [0, "id"], "Alpha")),
    "team id too long": ("teams.yml", _set("teams.yml", [0, "id"], "a" * 65)),
    "unknown stage": ("indicators.yml", _set("indicators.yml", [0, "stage"], "outputs")),
    "unknown better": ("indicators.yml", _set("indicators.yml", [0, "better"], "up")),
    "decimals too many": ("indicators.yml", _set("indicators.yml", [0, "decimals"], 9)),
    "decimals as text": ("indicators.yml", _set("indicators.yml", [0, "decimals"], "two")),
    "frequency unknown": ("organization.yml", _set("organization.yml", ["reporting", "frequency"], "weekly")),
    "stale_after negative": ("organization.yml", _set("organization.yml", ["reporting", "stale_after"], -1)),
    "mission missing": ("organization.yml", _set("organization.yml", ["mission"], _DELETE)),
    "unknown organization field": ("organization.yml", _set("organization.yml", ["mision"], "x")),
    "target value as text": ("targets.yml", _set("targets.yml", [0, "target", "value"], "two")),
    "target period malformed": ("targets.yml", _set("targets.yml", [0, "target", "period"], "2025/12")),
    "target teams empty": ("targets.yml", _set("targets.yml", [0, "teams"], [])),
    "theory chain empty": ("targets.yml", _set("targets.yml", [0, "theory", "chain"], [])),
    "tolerance negative": ("targets.yml", _set("targets.yml", [0, "guardrails", 0, "tolerance"], -1)),
    "guardrail field typo": ("targets.yml", _set("targets.yml", [0, "guardrails", 0, "tolerence"], 1)),
    "practice number 12": ("practices.yml", _set("practices.yml", [0, "number"], 12)),
    "phase unknown": ("practices.yml", _set("practices.yml", [0, "phase"], "doing")),
    "check unknown": ("practices.yml", _set("practices.yml", [0, "checklist", 0, "check"], "no-such-check")),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_schema_and_validator_both_refuse(case, tmp_path):
    file, change = BAD[case]
    org = copy.deepcopy(base_org())
    change(org)
    data = write_org(tmp_path, org)
    with pytest.raises(DataError) as caught:
        validate.validate_data(data)
    assert any(p.file == f"data/{file}" for p in caught.value.problems), caught.value.report()
    assert list(_schema(file).iter_errors(_load(data / file))), f"the schema accepts {case}"


def _record_reads(monkeypatch):
    """Record, for every Reader with a declaration, which fields the validator read against those declared."""
    seen = []
    finish = validate.Reader.finish

    def recording(self):
        if self.spec is not None:
            seen.append((self.file, self.prefix, set(self.used), set(self.spec)))
        return finish(self)

    monkeypatch.setattr(validate.Reader, "finish", recording)
    return seen


def test_the_validator_reads_exactly_the_declared_fields(monkeypatch, tmp_path, sample_data):
    seen = _record_reads(monkeypatch)
    validate.validate_data(sample_data)
    validate.validate_data(write_org(tmp_path, base_org()))
    assert seen
    covered: dict[tuple[str, str], set] = {}
    for file, prefix, used, declared in seen:
        assert used == declared, (file, prefix, used ^ declared)
        covered.setdefault((file, prefix.split("[")[0].rstrip(".")), set()).update(used)
    # Every declared file and every nested mapping was read at least once.
    for spec in contract.FILES:
        assert (f"data/{spec.name}", "") in covered, spec.name


def test_a_field_the_contract_does_not_declare_cannot_be_read():
    from macros.load import Mapping

    node = Mapping(name="x")
    node.line, node.key_lines = 1, {"name": 1}
    reader = validate.Reader(node, "data/teams.yml", "team 1", [], spec=contract.TEAMS.fields)
    with pytest.raises(RuntimeError, match="does not declare"):
        reader.text("nickname")
    with pytest.raises(RuntimeError, match="is required in macros/contract.py"):
        reader.text("name", required=False)


def test_required_and_allowed_values_come_from_the_contract(tmp_path):
    org = base_org()
    org["learning.yml"] = [{"date": "2025-01-01", "kind": "lesson", "title": "T", "finding": "F"}]
    with pytest.raises(DataError) as caught:
        validate.validate_data(write_org(tmp_path, org))
    assert "field 'kind': expected " + "one of " + ", ".join(contract.LEARNING_KINDS) in caught.value.report()


def test_model_enums_match_the_contract():
    assert tuple(s.value for s in Stage) == contract.STAGES
    assert tuple(b.value for b in Better) == contract.BETTER
    assert set(contract.BY_FILE) == set(validate.LIST_FILES) | {"organization.yml"}


def _paths(fields, prefix=""):
    for f in fields:
        path = prefix + f.name
        yield path
        if f.fields:
            yield from _paths(f.fields, path + ("[]." if f.kind == "mappings" else "."))


def test_the_reference_page_lists_every_field_of_the_contract(sample_site):
    soup = BeautifulSoup((sample_site / "onboarding" / "data-reference" / "index.html").read_text(encoding="utf-8"), "html.parser")
    sections = {}
    for table in soup.select("article table"):
        heading = table.find_previous("h2")
        rows = [tr.select("td") for tr in table.select("tbody tr")]
        sections[heading.select_one("code").get_text()] = {
            cells[0].get_text(): (cells[1].get_text(), cells[2].get_text(), cells[3].get_text()) for cells in rows
        }
    for spec in contract.FILES:
        listed = sections[f"data/{spec.name}"]
        assert list(listed) == list(_paths(spec.fields)), spec.name
        for path in _paths(spec.fields):
            f = contract.field_at(spec.name, path.replace("[]", ""))
            kind, required, allowed = listed[path]
            assert required == ("required" if f.required else "optional"), path
            assert kind.startswith(contract.KINDS[f.kind]), path
            for choice in f.choices:
                assert choice in allowed, (path, choice)
    assert list(sections["data/measurements/*.csv"]) == ["team", "indicator", "period", "value", "note"]
    checks = sections["data/practices.yml"]["checklist[].check"][2]
    assert all(name in checks for name in CHECKS)
    # The schemas are published with the site, and the page links each one.
    links = {a["href"] for a in soup.select("article a[href$='.schema.json']")}
    assert len(links) == len(contract.FILES)
    for spec in contract.FILES:
        published = sample_site / "schemas" / contract.schema_file(spec)
        assert json.loads(published.read_text(encoding="utf-8"))["title"].startswith(f"data/{spec.name}")


def test_schemas_flag_a_typo_the_way_an_editor_shows_it():
    bad = yaml.safe_load("- id: alpha\n  name: Alpha\n  unit: Ops\n  laed: Someone\n")
    errors = list(_schema("teams.yml").iter_errors(bad))
    assert len(errors) == 1 and "laed" in errors[0].message and errors[0].validator == "additionalProperties"
