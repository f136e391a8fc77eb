"""One test per validation rule, pinning the exact message a pull-request author reads."""

from __future__ import annotations

import pytest

from macros.errors import DataError
from macros.validate import validate_data
from orgs import base_org, monthly, write_org


def problems(tmp_path, mutate=None, files: dict[str, str] | None = None) -> list[str]:
    """Write the base organization changed by `mutate` (dict edits) and `files` (raw text, None to delete, or a
    function of the path), return messages."""
    org = base_org()
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4])
    if mutate:
        mutate(org)
    data = write_org(tmp_path, org, own_today=False)  # files added below may hold later periods: the suite's today
    for name, text in (files or {}).items():
        path = data / name
        if text is None:
            path.unlink()
        elif callable(text):  # makes the path into something else: a folder, a link, a pipe
            text(path)
        else:
            path.write_bytes(text.encode("utf-8")) if isinstance(text, str) else path.write_bytes(text)
    with pytest.raises(DataError) as info:
        validate_data(data)
    return [str(p) for p in info.value.problems]


def test_base_org_is_valid(tmp_path):
    org = base_org()
    validate_data(write_org(tmp_path, org))


CASES = {
    "duplicate yaml key": (
        None, {"teams.yml": "- id: alpha\n  name: A\n  name: B\n  unit: U\n- id: beta\n  name: B\n  unit: U\n- id: gamma\n  name: G\n  unit: U\n"},
        "data/teams.yml:3: field 'name': expected each key once per record (first at line 2), found a duplicate key.",
    ),
    "tab indentation": (
        None, {"teams.yml": "- id: alpha\n\tname: A\n"},
        "data/teams.yml:2: expected indentation with spaces, found a tab (YAML forbids tabs for indentation).",
    ),
    "yaml syntax error": (
        None, {"indicators.yml": "- id: x\n  name: [unclosed\n"},
        "data/indicators.yml:3: expected valid YAML, found a syntax error (while parsing a flow sequence did not find expected ',' or ']').",
    ),
    "unknown key": (
        lambda o: o["teams.yml"][0].update(nmae="x"),
        None,
        "data/teams.yml:4: team 'alpha', field 'nmae': expected only the fields contacts, description, id, lead, name, unit, visibility, found the unknown field 'nmae' (did you mean 'name'?).",
    ),
    "missing required field": (
        lambda o: o["teams.yml"][0].pop("unit"), None,
        "data/teams.yml:1: team 'alpha', field 'unit': expected a value (this field is required), found no such field.",
    ),
    "wrong type": (
        lambda o: o["indicators.yml"][0].update(decimals="two"), None,
        "data/indicators.yml:6: indicator 'wait-days', field 'decimals': expected a whole number from 0 to 6, found 'two'.",
    ),
    "boolean where text expected": (
        lambda o: o["teams.yml"][2].update(lead=True), None,
        "data/teams.yml:12: team 'gamma', field 'lead': expected text, found the boolean true (quote it).",
    ),
    "bad enum": (
        lambda o: o["indicators.yml"][0].update(stage="outputs"), None,
        "data/indicators.yml:4: indicator 'wait-days', field 'stage': expected one of input, process, output, outcome, found 'outputs'.",
    ),
    "bad id": (
        lambda o: o["teams.yml"][2].update(id="Gamma_1"), None,
        "data/teams.yml:8: team 'Gamma_1', field 'id': expected a lowercase id of letters, digits and hyphens like 'road-repairs', found 'Gamma_1'.",
    ),
    "bad period": (
        lambda o: o["targets.yml"][0]["target"].update(period="2024-13"), None,
        "data/targets.yml:12: target 'faster', field 'target.period': expected a monthly period like 2025-03, found '2024-13'.",
    ),
    "monthly period in a quarterly organization": (
        lambda o: (o["organization.yml"]["reporting"].update(frequency="quarterly"), o["targets.yml"][0]["target"].update(period="2025-Q4"),
                   o["measurements"].update({"figures.csv": []})),
        None,
        "data/targets.yml:10: target 'faster', field 'baseline.period': expected a quarterly period like 2025-Q1, found '2024-01' (a monthly period, but organization.yml reports quarterly).",
    ),
    "invalid date": (
        lambda o: o.update({"recognition.yml": [{"date": "2026-13-01", "team": "alpha", "kind": "esteem", "title": "Talk"}]}), None,
        "data/recognition.yml:1: entry 1, field 'date': expected a date YYYY-MM-DD like 2025-03-31, found '2026-13-01' (not a calendar date).",
    ),
    "unknown reference": (
        lambda o: o["targets.yml"][0].update(teams=["alpha", "delta"]), None,
        "data/targets.yml:7: target 'faster', field 'teams': expected a team id from data/teams.yml, found 'delta' (unknown team).",
    ),
    "unknown id close to a known one": (
        lambda o: o["targets.yml"][0].update(teams=["alpha", "betta"]), None,
        "data/targets.yml:7: target 'faster', field 'teams': expected a team id from data/teams.yml, found 'betta' (unknown team; did you mean 'beta'?).",
    ),
    "unknown deficit close to a known one": (
        lambda o: o["targets.yml"][0].update(deficit="slwo"), None,
        "data/targets.yml:3: target 'faster', field 'deficit': expected a deficit id from data/deficits.yml, found 'slwo' (unknown deficit; did you mean 'slow'?).",
    ),
    "unknown indicator in a guardrail": (
        lambda o: o["targets.yml"][0]["guardrails"][0].update(indicator="speed"), None,
        "data/targets.yml:20: target 'faster', field 'guardrails[1].indicator': expected an indicator id from data/indicators.yml, found 'speed' (unknown indicator).",
    ),
    "duplicate id": (
        lambda o: o["teams.yml"][1].update(id="alpha"), None,
        "data/teams.yml:4: team 'alpha', field 'id': expected a unique id (already used at line 1), found 'alpha'.",
    ),
    "deadline before baseline": (
        lambda o: o["targets.yml"][0]["target"].update(period="2023-12"), None,
        "data/targets.yml:12: target 'faster', field 'target.period': expected a deadline after the baseline period 2024-01, found '2023-12'.",
    ),
    "negative tolerance": (
        lambda o: o["targets.yml"][0]["guardrails"][0].update(tolerance=-1), None,
        "data/targets.yml:21: target 'faster', field 'guardrails[1].tolerance': expected a tolerance of zero or more (how much worse, in the indicator's unit), found the number -1.0.",
    ),
    "missing required file": (
        None, {"indicators.yml": None},
        "data/indicators.yml: expected this required file, found no such file.",
    ),
    "empty required file": (
        None, {"teams.yml": "# nothing yet\n"},
        "data/teams.yml: expected content (this file is required), found an empty file.",
    ),
    "empty list in a required file": (
        None, {"practices.yml": "[]\n"},
        "data/practices.yml:1: expected at least one record (this file is required), found an empty list.",
    ),
    "file that is not a list": (
        None, {"deficits.yml": "id: slow\ntitle: x\n"},
        "data/deficits.yml:1: expected a list of records, each starting with '- ', found a mapping.",
    ),
    "organization that is not a mapping": (
        None, {"organization.yml": "- name: x\n"},
        "data/organization.yml:1: expected a mapping with name and mission, found a list.",
    ),
    "missing practice": (
        lambda o: o["practices.yml"].pop(), None,
        "data/practices.yml: field 'number': expected all eleven practices, numbered 1 to 11, found no practice 11.",
    ),
    "unknown automated check": (
        lambda o: o["practices.yml"][0]["checklist"].append({"id": "p1-auto", "text": "x", "check": "mission-stated-x"}), None,
        "data/practices.yml:",  # checked separately below: the message lists every check name
    ),
    "duplicate measurement across files": (
        lambda o: o["measurements"].update({"more.csv": [("alpha", "wait-days", "2024-02", 9)]}), None,
        "data/measurements/more.csv:2: row for team 'alpha', field 'period': expected one figure per team, indicator and period (already at data/measurements/figures.csv:3), found a second figure for wait-days in 2024-02.",
    ),
    "missing csv column": (
        None, {"measurements/bad.csv": "team,indicator,period,value\nalpha,wait-days,2024-05,3\n"},
        "data/measurements/bad.csv:1: expected the header team,indicator,period,value,note, found missing note.",
    ),
    "non-numeric value": (
        None, {"measurements/bad.csv": "team,indicator,period,value,note\nalpha,wait-days,2024-05,3 days,\n"},
        "data/measurements/bad.csv:2: row for team 'alpha', field 'value': expected a number like 12.5 (no units or thousands separators), found '3 days'.",
    ),
    "unknown team in a csv": (
        None, {"measurements/bad.csv": "team,indicator,period,value,note\nomega,wait-days,2024-05,3,\n"},
        "data/measurements/bad.csv:2: row for team 'omega', field 'team': expected a team id from data/teams.yml, found 'omega' (unknown team).",
    ),
    "unknown indicator in a csv close to a known one": (
        None, {"measurements/bad.csv": "team,indicator,period,value,note\nalpha,wait-day,2024-05,3,\nbeta,wait-day,2024-05,3,\n"},
        "data/measurements/bad.csv:3: row for team 'beta', field 'indicator': expected an indicator id from data/indicators.yml, found 'wait-day' (unknown indicator; did you mean 'wait-days'?).",
    ),
    "bad period in a csv": (
        None, {"measurements/bad.csv": "team,indicator,period,value,note\nalpha,wait-days,2024-5,3,\n"},
        "data/measurements/bad.csv:2: row for team 'alpha', field 'period': expected a monthly period like 2025-03, found '2024-5'.",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_rule_message(tmp_path, case):
    mutate, files, expected = CASES[case]
    found = problems(tmp_path, mutate, files)
    if expected.endswith(":"):
        assert any(m.startswith(expected) for m in found), found
    else:
        assert expected in found, "\n".join(found)


def test_unknown_check_lists_valid_names(tmp_path):
    found = problems(tmp_path, lambda o: o["practices.yml"][0]["checklist"].append(
        {"id": "p1-auto", "text": "x", "check": "mission-stated-x"}))
    (msg,) = found
    assert msg.startswith("data/practices.yml:")
    assert "field 'checklist[2].check'" in msg and "found 'mission-stated-x'" in msg
    assert "mission-stated," in msg and "learning-recent" in msg


def test_every_problem_is_reported_at_once(tmp_path):
    def mutate(o):
        o["teams.yml"][0].update(nmae="x")
        o["indicators.yml"][1].update(better="up")
        o["targets.yml"][0]["guardrails"][0].update(tolerance=-3)
    found = problems(tmp_path, mutate, {"measurements/bad.csv": "team,indicator,period,value,note\nalpha,wait-days,2024-07,n/a,\n"})
    files = sorted({m.split(":")[0] for m in found})
    assert files == ["data/indicators.yml", "data/measurements/bad.csv", "data/targets.yml", "data/teams.yml"]


def test_broken_file_does_not_cascade_into_unknown_references(tmp_path):
    found = problems(tmp_path, None, {"teams.yml": "- id: alpha\n  name: [A\n"})
    assert len(found) == 1 and found[0].startswith("data/teams.yml:")


def test_yaml_dates_and_booleans_stay_text(tmp_path):
    org = base_org()
    org["teams.yml"][2]["name"] = "NO"  # YAML 1.1 would read this as False
    data = write_org(tmp_path, org)
    (data / "teams.yml").write_text((data / "teams.yml").read_text().replace("'NO'", "NO"))
    hb = validate_data(data)
    assert hb.teams["gamma"].name == "NO"


def test_csv_with_bom_crlf_and_blank_lines(tmp_path):
    org = base_org()
    data = write_org(tmp_path, org)
    text = "\ufeffteam,indicator,period,value,note\r\nalpha,wait-days,2024-01,6,\r\n\r\nalpha,wait-days,2024-02,x,\r\n"
    (data / "measurements" / "figures.csv").write_bytes(text.encode("utf-8"))
    with pytest.raises(DataError) as info:
        validate_data(data)
    (p,) = info.value.problems
    assert (p.file, p.line, p.field) == ("data/measurements/figures.csv", 4, "value")


def test_optional_files_may_be_absent_or_empty(tmp_path):
    org = base_org()
    org["targets.yml"] = None
    org["deficits.yml"] = "# none yet\n"
    data = write_org(tmp_path, org)
    hb = validate_data(data)
    assert hb.targets == {} and hb.deficits == {}
