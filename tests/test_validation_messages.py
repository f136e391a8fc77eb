"""Validation messages, one table per data file: (change to the fixture organization, every message `check` gives).

Each case writes the fixture organization of tests/test_validation.py (`problems`), changes it, and pins the whole
list of problems, byte for byte, as a contributor reads them. The rules' one-message cases of the first campaign are
in test_validation.CASES; the cases here came from the hardening, odd-input and trust campaigns (issues 11, 14),
grouped by the data file they concern. A value in `files` is the file's new text (str or bytes), None to delete it,
or a function that makes the path into something else (a folder, a link, a pipe).

After the tables: how data is read (YAML numbers, anchors, BOMs, empty optional files, large files) and limits that
need more than a change to the files (time, today's date).
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import date

import pytest
from test_editions import _public, _set, _unmarked_org
from test_validation import problems

from conftest import run_cli
from macros.checks import CHECKS
from macros.errors import DataError
from macros.validate import validate_data
from orgs import ARABIC, EMOJI, LONG_TEAM, base_org, big_org, messy_org, monthly, odd_org, write_org

ORG = "name: Test Agency\nmission: Serve.\n"
HEADER = "team,indicator,period,value,note\n"
TEAMS = "- id: alpha\n  name: A\n  unit: U\n- id: beta\n  name: B\n  unit: U\n"
BOMB = ("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n")
TAG = "expected text, numbers, true/false, lists and mappings, found the YAML tag"
ONE_LINE = "expected text on one line, found a line break (only descriptions and explanations may span lines)."
NOT_FILE = "data/capacity.yml: expected a YAML file, found {}."
NOT_HANDLES = ["x" * 40, "-alice", "alice-", "a--b", "al ice", "@", "al_ice", "@@alice"]  # handles: test_due.py


def _single_line(where, field):
    def mutate(org):
        where(org)[field] = "First\n\nsecond"
    return mutate


def _capacity_need_with_a_blank_line(org):
    org["capacity.yml"] = [{"team": "alpha", "needs": [{"need": "A\n\nB", "kind": "money", "status": "requested"}]}]


def _dangling(path):
    path.symlink_to(path.parent / "nowhere.yml")


def _outside(path):
    (path.parent.parent / "secret.yml").write_text("[]\n")
    path.symlink_to(path.parent.parent / "secret.yml")


def _linked_folder_csv(path):  # data/measurements/2024/more.csv and a .gitkeep beside it
    path.mkdir()
    (path / "more.csv").write_text(HEADER)
    (path.parent / ".gitkeep").write_text("")


def _measurements_a_file(path):
    shutil.rmtree(path)
    path.write_text(HEADER)


UNKNOWN_CHECK = ("data/practices.yml:10: practice 1, field 'checklist[2].check': expected one of "
                 + ", ".join(sorted(CHECKS)) + ", found 'mission-stated-x'.")


class Rule(tuple):
    """A case of the first table: one rule, one message (test_validation_mutation.py applies them to its own
    organization, where each must still be refused)."""


def rule(mutate, files, expected) -> Rule:
    return Rule((mutate, files, expected))


# ---- the editions' rules (tests/test_editions.py builds the editions): a public record refers to internal ones

def _public_then(*edits, start=None):
    """Every record public (tests/test_editions.py), then these edits."""
    def mutate(o):
        org = _public(start() if start else o)
        for edit in edits:
            edit(org)
        o.clear()
        o.update(org)
    return mutate


def _deficit_on_satisfaction(o):
    o["deficits.yml"][0]["indicator"] = "satisfaction"  # keep the deficit itself valid


def _internal_target_of_alpha(o):
    o["targets.yml"][0].update(visibility="internal", teams=["alpha"])
    o["deficits.yml"][0]["teams"] = []
    o["learning.yml"][0]["indicators"] = ["rework"]


EDITION_CASES = {
    "a public target on an internal team": _public_then(lambda o: _set(o, "teams.yml", {"id": "beta"}, visibility="internal")),
    "a public target on an internal indicator and deficit": _public_then(
        lambda o: _set(o, "indicators.yml", {"id": "wait-days"}, visibility="internal"), _deficit_on_satisfaction,
        lambda o: _set(o, "deficits.yml", {"id": "slow"}, visibility="internal")),
    "a public deficit on an internal indicator or team": _public_then(
        lambda o: o["targets.yml"][0].update(visibility="internal"),
        lambda o: _set(o, "indicators.yml", {"id": "wait-days"}, visibility="internal"),
        lambda o: _set(o, "teams.yml", {"id": "alpha"}, visibility="internal")),
    "public capacity, recognition and learning of internal records": _public_then(
        _internal_target_of_alpha, lambda o: _set(o, "teams.yml", {"id": "alpha"}, visibility="internal"),
        lambda o: _set(o, "indicators.yml", {"id": "rework"}, visibility="internal"), start=_unmarked_org),
    "a bad visibility value": lambda o: (o["teams.yml"][0].update(visibility="secret"),
                                         o["organization.yml"].update(default_visibility="Public")),
}


# file -> case -> (change to the organization dict, files written over it, every message check gives)
MESSAGES: dict[str, dict[str, tuple]] = {
    "organization.yml": {
        "organization that is not a mapping": rule(
            None, {"organization.yml": "- name: x\n"},
            ["data/organization.yml:1: expected a mapping with name and mission, found a list."]),
        "!!set": (None, {"organization.yml": ORG + "big_picture: !!set {a, b}\n"},
                  [f"data/organization.yml:3: field 'big_picture': {TAG} !!set (remove it, or quote the value)."]),
        "!!binary in an optional field": (
            None, {"organization.yml": ORG + "big_picture: !!binary aGVsbG8=\n"},
            [f"data/organization.yml:3: field 'big_picture': {TAG} !!binary (remove it, or quote the value)."]),
        "!!timestamp where text is expected": (
            None, {"organization.yml": "name: !!timestamp 2024-01-01\nmission: Serve.\n"},
            [f"data/organization.yml:1: field 'name': {TAG} !!timestamp (remove it, or quote the value)."]),
        "python tag": (
            None, {"organization.yml": ORG + "big_picture: !!python/object/apply:os.system [ls]\n"},
            [f"data/organization.yml:3: field 'big_picture': {TAG} !!python/object/apply:os.system (remove it, or quote "
             "the value)."]),
        "integer too large for a float": (
            None, {"organization.yml": ORG + "reporting:\n  stale_after: " + "9" * 5000 + "\n"},
            ["data/organization.yml:4: field 'reporting.stale_after': expected a number of at most 100 digits, found a "
             "number of 5,000 characters."]),
        "deep nesting": (
            None, {"organization.yml": ORG + "big_picture: " + "[" * 200 + "]" * 200 + "\n"},
            ["data/organization.yml:3: field 'big_picture': expected lists and mappings nested at most 50 levels deep, "
             "found deeper nesting."]),
        "alias bomb": (
            None, {"organization.yml": ORG + BOMB},
            ["data/organization.yml:7: field 'f': expected aliases (*name) that repeat at most 100,000 values in all, "
             "found more (an alias bomb?)."]),
        "alias bomb as a key": (
            None, {"organization.yml": ORG + BOMB + "? *f\n: 1\n"},
            ["data/organization.yml:10: expected a key that is text, found a list or mapping used as a key."]),
        "a status notes_required does not know": (
            lambda o: o["organization.yml"]["reporting"].update(notes_required=["late"]), None,
            ["data/organization.yml:8: organization, field 'reporting.notes_required': expected statuses, each one of "
             "met, on track, at risk, off track, stale, found 'late' at item 1."]),
    },
    "teams.yml": {
        "duplicate yaml key": rule(
            None, {"teams.yml": "- id: alpha\n  name: A\n  name: B\n  unit: U\n- id: beta\n  name: B\n  unit: U\n- id: gamma\n  name: G\n  unit: U\n"},
            ["data/teams.yml:3: field 'name': expected each key once per record (first at line 2), found a duplicate key."]),
        "tab indentation": rule(
            None, {"teams.yml": "- id: alpha\n\tname: A\n"},
            ["data/teams.yml:2: expected indentation with spaces, found a tab (YAML forbids tabs for indentation)."]),
        "unknown key": rule(
            lambda o: o["teams.yml"][0].update(nmae="x"), None,
            ["data/teams.yml:4: team 'alpha', field 'nmae': expected only the fields contacts, description, id, lead, name, unit, visibility, found the unknown field 'nmae' (did you mean 'name'?)."]),
        "missing required field": rule(
            lambda o: o["teams.yml"][0].pop("unit"), None,
            ["data/teams.yml:1: team 'alpha', field 'unit': expected a value (this field is required), found no such field."]),
        "boolean where text expected": rule(
            lambda o: o["teams.yml"][2].update(lead=True), None,
            ["data/teams.yml:12: team 'gamma', field 'lead': expected text, found the boolean true (quote it)."]),
        "bad id": rule(
            lambda o: o["teams.yml"][2].update(id="Gamma_1"), None,
            ["data/teams.yml:8: team 'Gamma_1', field 'id': expected a lowercase id of letters, digits and hyphens like 'road-repairs', found 'Gamma_1'."]),
        "look-alike letter in an id": rule(
            lambda o: o["teams.yml"][2].update(id="gamm\u0430"), None,
            ["data/teams.yml:8: team 'gamm\u0430', field 'id': expected a lowercase id of letters, digits and hyphens like "
             "'road-repairs', found 'gamm\u0430' (its character 5 is U+0430 CYRILLIC SMALL LETTER A)."]),
        "empty required file": rule(
            None, {"teams.yml": "# nothing yet\n"},
            ["data/teams.yml: expected content (this file is required), found an empty file."]),
        "a blank line in a team's name": (
            _single_line(lambda o: o["teams.yml"][0], "name"), None,
            [f"data/teams.yml:2: team 'alpha', field 'name': {ONE_LINE}"]),
        "empty file": (
            None, {"teams.yml": "\n"},
            ["data/teams.yml: expected content (this file is required), found an empty file."]),
        "a very long id": (
            lambda o: o["teams.yml"][2].update(id="g" * 300), None,
            ["data/teams.yml:8: team '" + "g" * 300 + "', field 'id': expected an id of at most 64 characters, found "
             "300 characters ('" + "g" * 57 + "...')."]),
        **{f"a contact that is no GitHub handle: {handle!r}": (
            lambda o, handle=handle: o["teams.yml"][1].update(contacts=[handle]), None,
            ["data/teams.yml:9: team 'beta', field 'contacts': expected a GitHub handle: 1-39 letters, digits or single "
             f"hyphens, not first or last (an @ before it is optional), found {handle!r} at item 1."])
           for handle in NOT_HANDLES},
        "a YAML tag names its field": (
            None, {"teams.yml": "- id: alpha\n  name: A\n  unit: U\n  description: !!binary aGk=\n"},
            [f"data/teams.yml:4: field 'description': {TAG} !!binary (remove it, or quote the value)."]),
        "a 500-deep nested list in a description": (  # test_files_guard.py times it
            lambda o: o["teams.yml"][0].update(description="- " * 500 + "deep"), None,
            ["data/teams.yml:4: team 'alpha', field 'description': expected Markdown nested at most 30 levels deep "
             "(lists and quotes inside each other), found 500 levels on its line 1."]),
        "a run of 16,000 brackets in a description": (  # test_files_guard.py times it
            lambda o: o["teams.yml"][0].update(description="[" * 16000), None,
            ["data/teams.yml:4: team 'alpha', field 'description': expected Markdown whose brackets the renderer can "
             "read within 500,000 characters (an unclosed '[' or '(' makes it read to the end of the paragraph): close "
             "them, or write \\[, found 128,008,000 characters to read (16,000 '[', the longest run 16,000)."]),
        "not UTF-8": (
            None, {"teams.yml": b"- id: alpha\n  name: A\n  unit: Op\xe9rations\n"},
            ["data/teams.yml:3: expected a UTF-8 text file, found the byte 0xe9 on line 3, which is not UTF-8 (save the "
             "file as UTF-8)."]),
    },
    "indicators.yml": {
        "yaml syntax error": rule(
            None, {"indicators.yml": "- id: x\n  name: [unclosed\n"},
            ["data/indicators.yml:3: expected valid YAML, found a syntax error (while parsing a flow sequence did not find expected ',' or ']')."]),
        "wrong type": rule(
            lambda o: o["indicators.yml"][0].update(decimals="two"), None,
            ["data/indicators.yml:6: indicator 'wait-days', field 'decimals': expected a whole number from 0 to 6, found 'two'."]),
        "bad enum": rule(
            lambda o: o["indicators.yml"][0].update(stage="outputs"), None,
            ["data/indicators.yml:4: indicator 'wait-days', field 'stage': expected one of input, process, output, outcome, found 'outputs'."]),
        "missing required file": rule(
            None, {"indicators.yml": None},
            ["data/indicators.yml: expected this required file, found no such file."]),
        "a blank line in an indicator's name": (
            _single_line(lambda o: o["indicators.yml"][0], "name"), None,
            [f"data/indicators.yml:2: indicator 'wait-days', field 'name': {ONE_LINE}"]),
        "a blank line in an indicator's unit": (
            _single_line(lambda o: o["indicators.yml"][0], "unit"), None,
            [f"data/indicators.yml:3: indicator 'wait-days', field 'unit': {ONE_LINE}"]),
    },
    "targets.yml": {
        "a public target on an internal team": (
            EDITION_CASES["a public target on an internal team"], None,
            ["data/targets.yml:1: target 'faster', field 'teams': expected a public team, as this target is public "
             "(make the team public, or this target internal), found team 'beta' (data/teams.yml:5), which is internal."]),
        "a public target on an internal indicator and deficit": (
            EDITION_CASES["a public target on an internal indicator and deficit"], None,
            ["data/targets.yml:1: target 'faster', field 'deficit': expected a public deficit, as this target is public "
             "(make the deficit public, or this target internal), found deficit 'slow' (data/deficits.yml:1), which is "
             "internal.",
             "data/targets.yml:1: target 'faster', field 'indicator': expected a public indicator, as this target is "
             "public (make the indicator public, or this target internal), found indicator 'wait-days' "
             "(data/indicators.yml:1), which is internal."]),
        "bad period": rule(
            lambda o: o["targets.yml"][0]["target"].update(period="2024-13"), None,
            ["data/targets.yml:12: target 'faster', field 'target.period': expected a monthly period like 2025-03, found '2024-13'."]),
        "monthly period in a quarterly organization": rule(
            lambda o: (o["organization.yml"]["reporting"].update(frequency="quarterly"), o["targets.yml"][0]["target"].update(period="2025-Q4"), o["measurements"].update({"figures.csv": []})), None,
            ["data/targets.yml:10: target 'faster', field 'baseline.period': expected a quarterly period like 2025-Q1, found '2024-01' (a monthly period, but organization.yml reports quarterly)."]),
        "unknown reference": rule(
            lambda o: o["targets.yml"][0].update(teams=["alpha", "delta"]), None,
            ["data/targets.yml:7: target 'faster', field 'teams': expected a team id from data/teams.yml, found 'delta' (unknown team)."]),
        "unknown id close to a known one": rule(
            lambda o: o["targets.yml"][0].update(teams=["alpha", "betta"]), None,
            ["data/targets.yml:7: target 'faster', field 'teams': expected a team id from data/teams.yml, found 'betta' (unknown team; did you mean 'beta'?)."]),
        "unknown deficit close to a known one": rule(
            lambda o: o["targets.yml"][0].update(deficit="slwo"), None,
            ["data/targets.yml:3: target 'faster', field 'deficit': expected a deficit id from data/deficits.yml, found 'slwo' (unknown deficit; did you mean 'slow'?)."]),
        "unknown indicator in a guardrail": rule(
            lambda o: o["targets.yml"][0]["guardrails"][0].update(indicator="speed"), None,
            ["data/targets.yml:20: target 'faster', field 'guardrails[1].indicator': expected an indicator id from data/indicators.yml, found 'speed' (unknown indicator)."]),
        "deadline before baseline": rule(
            lambda o: o["targets.yml"][0]["target"].update(period="2023-12"), None,
            ["data/targets.yml:12: target 'faster', field 'target.period': expected a deadline after the baseline period 2024-01, found '2023-12'."]),
        "negative tolerance": rule(
            lambda o: o["targets.yml"][0]["guardrails"][0].update(tolerance=-1), None,
            ["data/targets.yml:21: target 'faster', field 'guardrails[1].tolerance': expected a tolerance of zero or more (how much worse, in the indicator's unit), found the number -1.0."]),
        "a blank line in a target's title": (
            _single_line(lambda o: o["targets.yml"][0], "title"), None,
            [f"data/targets.yml:2: target 'faster', field 'title': {ONE_LINE}"]),
        "a blank line in a chain step": (
            lambda o: o["targets.yml"][0]["theory"].update(chain=["Faster", "Happier\n\nresidents"]), None,
            ["data/targets.yml:18: target 'faster', field 'theory.chain': expected text on one line for every item, "
             "found a line break at item 2."]),
    },
    "capacity.yml": {
        "float too large to plot": (
            None, {"capacity.yml": "- team: alpha\n  budget: 1.0e+101\n"},
            ["data/capacity.yml:2: capacity for team 'alpha', field 'budget': expected a number from -1e+100 to "
             "1e+100, found the number 1e+101."]),
        "a blank line in a need": (
            _capacity_need_with_a_blank_line, None,
            [f"data/capacity.yml:3: capacity for team 'alpha', field 'needs[1].need': {ONE_LINE}"]),
        "YAML 1.1 numbers": (
            None, {"capacity.yml": "- team: alpha\n  staff: 1_000\n- team: beta\n  budget: 0x1F\n"},
            ["data/capacity.yml:2: capacity for team 'alpha', field 'staff': expected a number, found '1_000'.",
             "data/capacity.yml:4: capacity for team 'beta', field 'budget': expected a number, found '0x1F'."]),
        "a folder": (None, {"capacity.yml": lambda p: p.mkdir()}, [NOT_FILE.format("a folder")]),
        "a broken link": (None, {"capacity.yml": _dangling},
                          [NOT_FILE.format("a broken symbolic link (it leads nowhere)")]),
        "a link to a device": (None, {"capacity.yml": lambda p: p.symlink_to("/dev/zero")},
                               [NOT_FILE.format("a symbolic link to a place outside the data folder")]),
        "a link outside the data folder": (None, {"capacity.yml": _outside},
                                           [NOT_FILE.format("a symbolic link to a place outside the data folder")]),
        "a pipe": (None, {"capacity.yml": os.mkfifo}, [NOT_FILE.format("a device, pipe or other special file")]),
    },
    "learning.yml": {
        "a file too large": (
            None, {"learning.yml": "#" * 10_000_001},
            ["data/learning.yml: expected a YAML file, found a file of 10,000,001 bytes (at most 10,000,000 allowed)."]),
    },
    "recognition.yml": {
        "invalid date": rule(
            lambda o: o.update({"recognition.yml": [{"date": "2026-13-01", "team": "alpha", "kind": "esteem", "title": "Talk"}]}), None,
            ["data/recognition.yml:1: entry 1, field 'date': expected a date YYYY-MM-DD like 2025-03-31, found '2026-13-01' (not a calendar date)."]),
    },
    "practices.yml": {
        "empty list in a required file": rule(
            None, {"practices.yml": "[]\n"},
            ["data/practices.yml:1: expected at least one record (this file is required), found an empty list."]),
        "missing practice": rule(
            lambda o: o["practices.yml"].pop(), None,
            ["data/practices.yml: field 'number': expected all eleven practices, numbered 1 to 11, found no practice 11."]),
        "unknown automated check": rule(
            lambda o: o["practices.yml"][0]["checklist"].append({"id": "p1-auto", "text": "x", "check": "mission-stated-x"}), None,
            [UNKNOWN_CHECK]),
    },
    "deficits.yml": {
        "a public deficit on an internal indicator or team": (
            EDITION_CASES["a public deficit on an internal indicator or team"], None,
            ["data/deficits.yml:1: deficit 'slow', field 'indicator': expected a public indicator, as this deficit is "
             "public (make the indicator public, or this deficit internal), found indicator 'wait-days' "
             "(data/indicators.yml:1), which is internal.",
             "data/deficits.yml:1: deficit 'slow', field 'teams': expected a public team, as this deficit is public "
             "(make the team public, or this deficit internal), found team 'alpha' (data/teams.yml:1), which is "
             "internal."]),
        "file that is not a list": rule(
            None, {"deficits.yml": "id: slow\ntitle: x\n"},
            ["data/deficits.yml:1: expected a list of records, each starting with '- ', found a mapping."]),
    },
    "measurements/*.csv": {
        "duplicate measurement across files": rule(
            lambda o: o["measurements"].update({"more.csv": [("alpha", "wait-days", "2024-02", 9)]}), None,
            ["data/measurements/more.csv:2: row for team 'alpha', field 'period': expected one figure per team, indicator and period (already at data/measurements/figures.csv:3), found a second figure for wait-days in 2024-02."]),
        "missing csv column": rule(
            None, {"measurements/bad.csv": "team,indicator,period,value\nalpha,wait-days,2024-05,3\n"},
            ["data/measurements/bad.csv:1: expected the header team,indicator,period,value,note, found missing note."]),
        "non-numeric value": rule(
            None, {"measurements/bad.csv": "team,indicator,period,value,note\nalpha,wait-days,2024-05,3 days,\n"},
            ["data/measurements/bad.csv:2: row for team 'alpha', field 'value': expected a number like 12.5 (no units or thousands separators), found '3 days'."]),
        "unknown team in a csv": rule(
            None, {"measurements/bad.csv": "team,indicator,period,value,note\nomega,wait-days,2024-05,3,\n"},
            ["data/measurements/bad.csv:2: row for team 'omega', field 'team': expected a team id from data/teams.yml, found 'omega' (unknown team)."]),
        "unknown indicator in a csv close to a known one": rule(
            None, {"measurements/bad.csv": "team,indicator,period,value,note\nalpha,wait-day,2024-05,3,\nbeta,wait-day,2024-05,3,\n"},
            ["data/measurements/bad.csv:2: row for team 'alpha', field 'indicator': expected an indicator id from data/indicators.yml, found 'wait-day' (unknown indicator; did you mean 'wait-days'?).",
             "data/measurements/bad.csv:3: row for team 'beta', field 'indicator': expected an indicator id from data/indicators.yml, found 'wait-day' (unknown indicator; did you mean 'wait-days'?)."]),
        "bad period in a csv": rule(
            None, {"measurements/bad.csv": "team,indicator,period,value,note\nalpha,wait-days,2024-5,3,\n"},
            ["data/measurements/bad.csv:2: row for team 'alpha', field 'period': expected a monthly period like 2025-03, found '2024-5'."]),
        "a field too large": (
            None, {"measurements/long.csv": HEADER + "alpha,wait-days,2024-05,5,ok\nalpha,wait-days,2024-06,5,\""
                   + ("x" * 999 + "\n") * 11 + "\"\n"},
            ["data/measurements/long.csv:3: field 'note': expected a field of at most 10,000 characters, found 11,000 "
             "characters."]),
        "a zero-byte file": (
            None, {"measurements/empty.csv": ""},
            ["data/measurements/empty.csv:1: expected the header team,indicator,period,value,note, found an empty "
             "file."]),
        "every csv is read, whatever the case of its name; other files are refused": (
            None, {"measurements/MORE.CSV": HEADER + "alpha,wait-days,2024-05,five,\n", "measurements/notes.txt": "x"},
            ["data/measurements/MORE.CSV:2: row for team 'alpha', field 'value': expected a number like 12.5 (no units "
             "or thousands separators), found 'five'.",
             "data/measurements/notes.txt: expected only CSV files (*.csv) in data/measurements/, found the file "
             "'notes.txt'."]),
        "a folder inside measurements": (
            None, {"measurements/2024": _linked_folder_csv},
            ["data/measurements/2024: expected CSV files directly in data/measurements/ (a folder inside it is not "
             "read), found a folder."]),
        "measurements is a file": (
            None, {"measurements": _measurements_a_file},
            ["data/measurements: expected a folder of CSV files, found a file."]),
        "not UTF-8, after a blank line": (
            None, {"measurements/more.csv": HEADER.encode() + b"alpha,wait-days,2024-05,5,\n\nalpha,wait-days,2024-06,5,"
                   b"caf\xe9\n"},
            ["data/measurements/more.csv:4: expected a UTF-8 text file, found the byte 0xe9 on line 4, which is not "
             "UTF-8 (save the file as UTF-8)."]),
        "a field too many after a quoted line break": (
            None, {"measurements/more.csv": HEADER + "alpha,wait-days,2024-05,5,\n\n\"alpha\",wait-days,2024-06,5,\"a\nb\"\n"
                   "alpha,wait-days,2024-07,5,a,b\n"},
            ["data/measurements/more.csv:6: expected 5 fields, as the header has (a note holding a comma must be in "
             "double quotes, like \"Ice, snow\"), found 6 fields: 'alpha,wait-days,2024-07,5,a,b'."]),
        "a field too many": (
            None, {"measurements/more.csv": HEADER + "alpha,wait-days,2024-05,5,,extra\n"},
            ["data/measurements/more.csv:2: expected 5 fields, as the header has (a note holding a comma must be in "
             "double quotes, like \"Ice, snow\"), found 6 fields: 'alpha,wait-days,2024-05,5,,extra'."]),
        "a comma in a note and three other mistakes, at once": (
            None, {"measurements/figures.csv": HEADER + "alpha,wait-days,2024-01,6,\n"
                   "alpha,wait-days,2024-02,5,Ice, snow\n"       # a comma in a note, not quoted
                   "alpha,wait-days,2024-03,4\n"                 # a missing field
                   'alpha,wait-days,2024-04,4,He said "no"\n'    # a stray quote
                   "alpha,wait-days,2024-05,four,\n"             # not a number
                   'alpha,wait-days,2024-06,3,"Ice, snow"\n'},   # fine
            ["data/measurements/figures.csv:3: expected 5 fields, as the header has (a note holding a comma must be in "
             "double quotes, like \"Ice, snow\"), found 6 fields: 'alpha,wait-days,2024-02,5,Ice, snow'.",
             "data/measurements/figures.csv:4: expected 5 fields, as the header has (an empty value or note still needs "
             "its comma: end a line without a note with ','), found 4 fields: 'alpha,wait-days,2024-03,4'.",
             "data/measurements/figures.csv:5: expected a double quote only around a whole field, doubled inside it, "
             "like \"He said \"\"no\"\"\"; or no quote at all, found a stray quote: 'alpha,wait-days,2024-04,4,He said "
             "\"no\"'.",
             "data/measurements/figures.csv:6: row for team 'alpha', field 'value': expected a number like 12.5 (no units "
             "or thousands separators), found 'four'."]),
        "a field too many in a large file without quotes (commas counted)": (
            None, {"measurements/figures.csv": HEADER + "".join(
                f"alpha,wait-days,{y}-{m:02d},5.0,{',' if (y, m) == (2025, 1) else ''}\n"
                for y in (2024, 2025, 2026) for m in range(1, 13) if (y, m) <= (2026, 6))},
            ["data/measurements/figures.csv:14: expected 5 fields, as the header has (a note holding a comma must be in "
             "double quotes, like \"Ice, snow\"), found 6 fields: 'alpha,wait-days,2025-01,5.0,,'."]),
        "semicolons for commas": (
            None, {"measurements/figures.csv": "team;indicator;period;value;note\nalpha;wait-days;2024-01;3;\n"},
            ["data/measurements/figures.csv:1: expected the header team,indicator,period,value,note, found missing team, "
             "indicator, period, value, note; unknown 'team;indicator;period;value;note' (the header is one field "
             "holding semicolons: save the file with commas between the columns, e.g. as 'CSV UTF-8 (comma "
             "delimited)')."]),
        "a quote never closed": (
            None, {"measurements/more.csv": HEADER + "alpha,wait-days,2024-05,5,\nalpha,wait-days,2024-06,5,\"open\n"
                   "alpha,wait-days,2024-07,5,\n"},
            ["data/measurements/more.csv:3: expected a double quote only around a whole field, doubled inside it, like "
             "\"He said \"\"no\"\"\"; or no quote at all, found a quote that is never closed: "
             "'alpha,wait-days,2024-06,5,\"open'."]),
    },
    "several files": {
        "public capacity, recognition and learning of internal records": (
            EDITION_CASES["public capacity, recognition and learning of internal records"], None,
            ["data/capacity.yml:1: capacity for team 'alpha', field 'team': expected a public team, as this capacity "
             "record is public (make the team public, or this capacity record internal), found team 'alpha' "
             "(data/teams.yml:1), which is internal.",
             "data/learning.yml:1: entry 1, field 'indicators': expected a public indicator, as this entry is public "
             "(make the indicator public, or this entry internal), found indicator 'rework' (data/indicators.yml:8), "
             "which is internal.",
             "data/learning.yml:1: entry 1, field 'targets': expected a public target, as this entry is public (make "
             "the target public, or this entry internal), found target 'faster' (data/targets.yml:1), which is "
             "internal.",
             "data/recognition.yml:1: entry 1, field 'target': expected a public target, as this entry is public (make "
             "the target public, or this entry internal), found target 'faster' (data/targets.yml:1), which is "
             "internal.",
             "data/recognition.yml:1: entry 1, field 'team': expected a public team, as this entry is public (make the "
             "team public, or this entry internal), found team 'alpha' (data/teams.yml:1), which is internal."]),
        "a bad visibility value": (
            EDITION_CASES["a bad visibility value"], None,
            ["data/organization.yml:7: organization, field 'default_visibility': expected one of public, internal, "
             "found 'Public'.",
             "data/teams.yml:4: team 'alpha', field 'visibility': expected one of public, internal, found 'secret'."]),
        "duplicate id": rule(
            lambda o: o["teams.yml"][1].update(id="alpha"), None,
            ["data/targets.yml:7: target 'faster', field 'teams': expected a team id from data/teams.yml, found 'beta' (unknown team).",
             "data/teams.yml:4: team 'alpha', field 'id': expected a unique id (already used at line 1), found 'alpha'."]),
        "ids and periods match whole, in ASCII digits": (
            lambda o: (o["deficits.yml"][0].update(teams=[]), o["targets.yml"][0]["target"].update(period="2024-12\n")),
            {"teams.yml": TEAMS + "- id: \"gamma\\n\"\n  name: G\n  unit: U\n- id: index\n  name: I\n  unit: U\n",
             "measurements/more.csv": HEADER + "alpha,wait-days,２０２４-05,5,\nalpha,wait-days,٢٠٢٤-07,5,\n"},
            ["data/measurements/more.csv:2: row for team 'alpha', field 'period': expected a monthly period like "
             "2025-03, found '２０２４-05'.",
             "data/measurements/more.csv:3: row for team 'alpha', field 'period': expected a monthly period like "
             "2025-03, found '٢٠٢٤-07'.",
             "data/targets.yml:12: target 'faster', field 'target.period': expected a monthly period like 2025-03, "
             "found '2024-12\\n'.",
             "data/teams.yml:7: team 'gamma\\n', field 'id': expected a lowercase id of letters, digits and hyphens "
             "like 'road-repairs', found 'gamma\\n' (its character 6 is U+000A a control character).",
             "data/teams.yml:10: team 'index', field 'id': expected an id that is not one of the site's own page names "
             "(index), found 'index'."]),
    },
}


# The rule cases, by name, for test_validation_mutation.py.
CASES = {case: entry for cases in MESSAGES.values() for case, entry in cases.items() if isinstance(entry, Rule)}


@pytest.mark.parametrize("file, case", [(f, c) for f, cases in MESSAGES.items() for c in cases])
def test_the_message_of_each_problem_in_each_file(tmp_path, file, case):
    mutate, files, expected = MESSAGES[file][case]
    assert problems(tmp_path, mutate, files) == expected


def test_each_case_changes_the_file_it_is_filed_under():
    for file, cases in MESSAGES.items():
        for case, (_, _, expected) in cases.items():
            prefix = "data/" + file.replace("/*.csv", "")
            assert file == "several files" or all(m.startswith(prefix) for m in expected), (file, case)


# ---- limits beyond a change to the files -------------------------------------------------------------------------


def test_a_50_mb_one_line_csv_is_refused_at_once(tmp_path):
    start = time.monotonic()
    found = problems(tmp_path, None, {"measurements/long.csv": HEADER + "alpha,wait-days,2024-05,5," + "x" * 50_000_000})
    assert found == ["data/measurements/long.csv:2: expected lines of at most 100,000 bytes, found a longer line."]
    assert time.monotonic() - start < 20  # minutes and gigabytes before; well under a second here


def _data(tmp_path):
    org = base_org()
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4])
    return write_org(tmp_path, org)


def _messages(data):
    with pytest.raises(DataError) as info:
        validate_data(data)
    return [str(p) for p in info.value.problems]


def test_a_figure_for_a_period_not_begun_is_refused(tmp_path, monkeypatch):
    data = _data(tmp_path)
    (data / "measurements" / "more.csv").write_text(HEADER + "alpha,wait-days,2024-07,5,\n")
    with pytest.raises(DataError) as info:
        validate_data(data, today=date(2024, 6, 30))
    assert [str(p) for p in info.value.problems] == [
        "data/measurements/more.csv:2: row for team 'alpha', field 'period': expected a period that has begun (today, "
        "2024-06-30, is in 2024-06), found '2024-07'."]
    assert validate_data(data, today=date(2024, 7, 1)).latest_period is not None
    monkeypatch.setenv("HANDBOOK_TODAY", "2024-06-30")
    result = run_cli("check", data=data)
    assert result.returncode == 1 and "today, 2024-06-30, is in 2024-06" in result.stderr
    monkeypatch.setenv("HANDBOOK_TODAY", "June")
    assert _messages(data) == ["HANDBOOK_TODAY: expected a date YYYY-MM-DD like 2025-03-31, found 'June'."]
    for far in ("9999-12-31", "0001-01-01"):  # a day whose due dates overflow, or before any period
        monkeypatch.setenv("HANDBOOK_TODAY", far)
        assert _messages(data) == [f"HANDBOOK_TODAY: expected a date from 1900 to 9000, found '{far}'."]


def test_a_bad_aggregate_is_a_clear_error(tmp_path):
    org = messy_org()
    org["indicators.yml"][2]["aggregate"] = "total"
    result = run_cli("check", data=write_org(tmp_path, org))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = next(x for x in result.stderr.splitlines() if "aggregate" in x)
    assert line.strip().endswith("data/indicators.yml:17: indicator 'claims', field 'aggregate': expected one of none, "
                                 "sum, mean, found 'total'.")


def test_check_never_prints_a_traceback(tmp_path):
    data = _data(tmp_path)
    (data / "teams.yml").write_text(ORG + BOMB + "? *f\n: 1\n")
    (data / "capacity.yml").symlink_to("/dev/zero")
    result = run_cli("check", data=data.relative_to(tmp_path), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[1:] == [
        "  data/capacity.yml: expected a YAML file, found a symbolic link to a place outside the data folder.",
        "  data/teams.yml:10: expected a key that is text, found a list or mapping used as a key.",
    ]


# ---- how data is read --------------------------------------------------------------------------------------------


def test_a_link_to_a_file_inside_the_data_folder_is_read(tmp_path):
    data = _data(tmp_path)
    (data / "shared").mkdir()
    (data / "shared" / "capacity.yml").write_text("- team: alpha\n  staff: 3\n")
    (data / "capacity.yml").symlink_to(data / "shared" / "capacity.yml")
    assert validate_data(data).capacity["alpha"].staff == 3


def test_numeric_looking_text_columns_keep_their_spelling(tmp_path):
    org = base_org()
    org["measurements"]["figures.csv"] = [("alpha", "wait-days", "2024-01", 5, "007"), ("alpha", "wait-days", "2024-02", 4, "1e3")]
    hb = validate_data(write_org(tmp_path, org))
    assert hb.series_for("alpha", "wait-days").notes == ("007", "1e3")


def test_yaml_numbers_are_read_as_yaml_1_2_writes_them(tmp_path):
    """YAML 1.1 reads `10:30` as 630 (base 60), `007` as 7 and `1_000` as 1000, silently; here they stay text.

    `1_000` and `0x1F` where a number is expected: see MESSAGES["capacity.yml"]["YAML 1.1 numbers"].
    """
    teams = "- id: alpha\n  name: 10:30 crew\n  unit: 10:30\n- id: beta\n  name: B\n  unit: U\n- id: gamma\n  name: G\n  unit: U\n"
    data = _data(tmp_path)
    (data / "teams.yml").write_text(teams)
    (data / "capacity.yml").write_text("- team: alpha\n  staff: 1e1\n")
    hb = validate_data(data)
    assert hb.teams["alpha"].unit == "10:30" and hb.capacity["alpha"].staff == 10.0
    (data / "capacity.yml").write_text("- team: alpha\n  staff: 1_000\n- team: beta\n  budget: 0x1F\n")
    assert _messages(data) == [
        "data/capacity.yml:2: capacity for team 'alpha', field 'staff': expected a number, found '1_000'.",
        "data/capacity.yml:4: capacity for team 'beta', field 'budget': expected a number, found '0x1F'.",
    ]


def test_anchors_aliases_and_merge_keys_within_bounds_are_read(tmp_path):
    data = _data(tmp_path)
    (data / "teams.yml").write_text("- &ops {id: alpha, name: A, unit: Operations}\n- <<: *ops\n  id: beta\n  name: B\n"
                                    "- {id: gamma, name: G, unit: Support}\n")
    hb = validate_data(data)
    assert hb.teams["beta"].unit == "Operations" and hb.teams["alpha"].name == "A"


def test_odd_organization_validates(tmp_path):
    hb = validate_data(write_org(tmp_path, odd_org()))
    assert hb.teams["arabic"].name == ARABIC and hb.teams["emoji"].name == EMOJI
    assert hb.teams["long"].name == LONG_TEAM and len(LONG_TEAM) >= 290
    assert hb.capacity == {} and hb.recognition == () and hb.learning == ()
    assert hb.series_for("silent", "wait-days") is None
    # The BOM, CRLF file: its two rows, with the Unicode note and the quoted comma intact.
    hebrew = hb.series_for("hebrew", "wait-days")
    assert list(hebrew.values) == [5.0, 4.5]
    notes = set(hb.measurements["note"])
    assert {"הערה", "note, with comma 🚧"} <= notes


@pytest.mark.parametrize("name", ["capacity.yml", "recognition.yml", "learning.yml", "deficits.yml"])
@pytest.mark.parametrize("content", ["", "\n\n", "# just a comment\n", "[]\n", "\ufeff"])
def test_an_empty_optional_file_means_no_records(tmp_path, name, content):
    org = base_org()
    org["targets.yml"] = None if name == "deficits.yml" else org["targets.yml"]  # targets need their deficit
    org[name] = content
    validate_data(write_org(tmp_path, org))


def test_blank_lines_inside_a_crlf_csv_keep_error_lines_right(tmp_path):
    org = base_org()
    org["measurements"]["figures.csv"] = "\ufeff" + "\r\n".join(
        ["team,indicator,period,value,note", "alpha,wait-days,2024-01,6,", "", "", "alpha,wait-days,2024-02,six,", ""]
    ) + "\r\n\r\n"
    with pytest.raises(DataError) as info:
        validate_data(write_org(tmp_path, org))
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.field) == ("data/measurements/figures.csv", 5, "value")


def test_ten_thousand_rows_validate(tmp_path):
    org = big_org()
    assert org["measurements"]["alpha-history.csv"].count("\n") == 10_001
    hb = validate_data(write_org(tmp_path, org))
    assert len(hb.measurements) == 10_000
    assert len(hb.series_for("alpha", "m39").values) == 250
