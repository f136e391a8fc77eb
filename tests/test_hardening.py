"""Hardening (issue 14): one test per class of hostile or careless input, pinning the message a contributor reads.

Classes: YAML the contract cannot hold, unusable files and sizes (check never crashes or hangs); what check
accepts, the build renders; no silent wrong results; output that cannot forge (the target-change report and CSV
downloads); every message has a line; unit slugs in linear time. Macro calls: tests/test_macro_calls.py.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from datetime import date

import pytest
from test_validation import problems

from conftest import build_ok, run_cli
from macros.derive import TeamStatus
from macros.diff import WORD_JOINER, inline
from macros.downloads import _note_cell
from macros.errors import DataError
from macros.model import Status
from macros.render import links
from macros.validate import validate_data
from orgs import base_org, monthly, write_org

ORG = "name: Test Agency\nmission: Serve.\n"
HEADER = "team,indicator,period,value,note\n"
TEAMS = "- id: alpha\n  name: A\n  unit: U\n- id: beta\n  name: B\n  unit: U\n"
BOMB = ("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n")
TAG = "expected text, numbers, true/false, lists and mappings, found the YAML tag"

# ---- check never prints a traceback and never hangs -------------------------------------------------------------

NEVER_CRASH = {
    "!!set": ({"organization.yml": ORG + "big_picture: !!set {a, b}\n"},
              f"data/organization.yml:3: field 'big_picture': {TAG} !!set (remove it, or quote the value)."),
    "!!binary in an optional field": ({"organization.yml": ORG + "big_picture: !!binary aGVsbG8=\n"},
                                      f"data/organization.yml:3: field 'big_picture': {TAG} !!binary (remove it, or quote the value)."),
    "!!timestamp where text is expected": ({"organization.yml": "name: !!timestamp 2024-01-01\nmission: Serve.\n"},
                                           f"data/organization.yml:1: field 'name': {TAG} !!timestamp (remove it, or quote the value)."),
    "python tag": ({"organization.yml": ORG + "big_picture: !!python/object/apply:os.system [ls]\n"},
                   f"data/organization.yml:3: field 'big_picture': {TAG} !!python/object/apply:os.system (remove it, or quote the value)."),
    "integer too large for a float": (
        {"organization.yml": ORG + "reporting:\n  stale_after: " + "9" * 5000 + "\n"},
        "data/organization.yml:4: field 'reporting.stale_after': expected a number of at most 100 digits, found a number of 5,000 characters."),
    "float too large to plot": (
        {"capacity.yml": "- team: alpha\n  budget: 1.0e+101\n"},
        "data/capacity.yml:2: capacity for team 'alpha', field 'budget': expected a number from -1e+100 to 1e+100, "
        "found the number 1e+101."),
    "deep nesting": ({"organization.yml": ORG + "big_picture: " + "[" * 200 + "]" * 200 + "\n"},
                     "data/organization.yml:3: field 'big_picture': expected lists and mappings nested at most 50 levels deep, found deeper nesting."),
    "alias bomb": ({"organization.yml": ORG + BOMB},
                   "data/organization.yml:7: field 'f': expected aliases (*name) that repeat at most 100,000 values in all, "
                   "found more (an alias bomb?)."),
    "alias bomb as a key": ({"organization.yml": ORG + BOMB + "? *f\n: 1\n"},
                            "data/organization.yml:10: expected a key that is text, found a list or mapping used as a key."),
    "yaml file too large": ({"learning.yml": "#" * 10_000_001},
                            "data/learning.yml: expected a YAML file, found a file of 10,000,001 bytes (at most 10,000,000 allowed)."),
    "csv field too large": (
        {"measurements/long.csv": HEADER + "alpha,wait-days,2024-05,5,ok\nalpha,wait-days,2024-06,5,\""
         + ("x" * 999 + "\n") * 11 + "\"\n"},
        "data/measurements/long.csv:3: field 'note': expected a field of at most 10,000 characters, found 11,000 characters."),
}


@pytest.mark.parametrize("case", list(NEVER_CRASH))
def test_yaml_and_sizes_beyond_the_contract_get_a_clear_message(tmp_path, case):
    files, message = NEVER_CRASH[case]
    assert problems(tmp_path, None, files) == [message]


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


@pytest.mark.parametrize("kind, found", [
    ("folder", "a folder"),
    ("dangling", "a broken symbolic link (it leads nowhere)"),
    ("device", "a symbolic link to a place outside the data folder"),
    ("outside", "a symbolic link to a place outside the data folder"),
    ("fifo", "a device, pipe or other special file"),
])
def test_a_data_file_that_is_not_a_file_inside_the_data_folder(tmp_path, kind, found):
    data = _data(tmp_path)
    path = data / "capacity.yml"
    if kind == "folder":
        path.mkdir()
    elif kind == "dangling":
        path.symlink_to(data / "nowhere.yml")
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "outside":
        (tmp_path / "secret.yml").write_text("[]\n")
        path.symlink_to(tmp_path / "secret.yml")
    else:
        os.mkfifo(path)
    assert _messages(data) == [f"data/capacity.yml: expected a YAML file, found {found}."]


def test_a_link_to_a_file_inside_the_data_folder_is_read(tmp_path):
    data = _data(tmp_path)
    (data / "shared").mkdir()
    (data / "shared" / "capacity.yml").write_text("- team: alpha\n  staff: 3\n")
    (data / "capacity.yml").symlink_to(data / "shared" / "capacity.yml")
    assert validate_data(data).capacity["alpha"].staff == 3


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


# ---- what check accepts, the build renders ----------------------------------------------------------------------

ONE_LINE = "expected text on one line, found a line break (only descriptions and explanations may span lines)."


@pytest.mark.parametrize("file, where, field, line, record", [
    ("teams.yml", lambda o: o["teams.yml"][0], "name", 2, "team 'alpha'"),
    ("indicators.yml", lambda o: o["indicators.yml"][0], "name", 2, "indicator 'wait-days'"),
    ("indicators.yml", lambda o: o["indicators.yml"][0], "unit", 3, "indicator 'wait-days'"),
    ("targets.yml", lambda o: o["targets.yml"][0], "title", 2, "target 'faster'"),
    ("capacity.yml", None, "needs[1].need", 3, "capacity for team 'alpha'"),
])
def test_a_blank_line_in_a_single_line_field_is_refused(tmp_path, file, where, field, line, record):
    def mutate(org):
        if where is None:
            org["capacity.yml"] = [{"team": "alpha", "needs": [{"need": "A\n\nB", "kind": "money", "status": "requested"}]}]
        else:
            where(org)[field] = "First\n\nsecond"

    assert problems(tmp_path, mutate) == [f"data/{file}:{line}: {record}, field '{field}': {ONE_LINE}"]


def test_a_blank_line_in_a_chain_step_is_refused(tmp_path):
    found = problems(tmp_path, lambda o: o["targets.yml"][0]["theory"].update(chain=["Faster", "Happier\n\nresidents"]))
    assert found == ["data/targets.yml:18: target 'faster', field 'theory.chain': expected text on one line for every "
                     "item, found a line break at item 2."]


@pytest.mark.build
def test_blank_lines_in_multi_line_fields_build(tmp_path):
    """Descriptions, explanations and reasons may span paragraphs: check accepts them and the build renders them."""
    org = base_org()
    para = "First paragraph.\n\n\nSecond paragraph with a | pipe.\n\n- a list\n"
    org["organization.yml"].update(mission="Serve\n\nwell.", big_picture=para)
    for t in org["teams.yml"]:
        t["description"] = para
    org["indicators.yml"][0].update(description=para, source=para)
    org["deficits.yml"][0]["description"] = para
    t = org["targets.yml"][0]
    t["theory"]["link"] = para
    t["revisions"] = [{"date": "2024-03-01", "was": {"period": "2024-12", "value": 3}, "reason": para}]
    org["learning.yml"] = [{"date": "2024-05-03", "kind": "insight", "title": "T", "finding": para, "action": para}]
    org["recognition.yml"] = [{"date": "2024-05-01", "team": "alpha", "kind": "esteem", "title": "T", "description": para}]
    org["practices.yml"][0]["summary"] = para
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4])
    data = write_org(tmp_path, org)
    validate_data(data)
    site = build_ok(data, tmp_path / "site")
    page = (site / "teams" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert "Second paragraph with a | pipe." in page


def test_status_json_never_holds_nan_or_infinity(tmp_path):
    status = TeamStatus("faster", "alpha", "wait-days", Status.ON_TRACK, period=24290, value=math.nan,
                        expected=math.inf, baseline_period=24288, baseline_value=-math.inf, target_period=24299,
                        target_value=math.nan)
    text = json.dumps(status.as_dict("monthly"), allow_nan=False)  # raises on NaN or Infinity
    assert json.loads(text)["value"] is None and json.loads(text)["expected"] is None
    result = run_cli("status", "--json", data=_data(tmp_path))
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout, parse_constant=lambda name: pytest.fail(f"status --json printed {name}"))


# ---- no silent wrong results -------------------------------------------------------------------------------------


def test_ids_and_periods_match_whole_in_ascii_digits(tmp_path):
    teams = TEAMS + "- id: \"gamma\\n\"\n  name: G\n  unit: U\n- id: index\n  name: I\n  unit: U\n"
    csv = HEADER + "alpha,wait-days,２０２４-05,5,\nalpha,wait-days,٢٠٢٤-07,5,\n"

    def mutate(org):
        org["deficits.yml"][0]["teams"] = []
        org["targets.yml"][0]["target"]["period"] = "2024-12\n"

    assert problems(tmp_path, mutate, {"teams.yml": teams, "measurements/more.csv": csv}) == [
        "data/measurements/more.csv:2: row for team 'alpha', field 'period': expected a monthly period like 2025-03, "
        "found '２０２４-05'.",
        "data/measurements/more.csv:3: row for team 'alpha', field 'period': expected a monthly period like 2025-03, "
        "found '٢٠٢٤-07'.",
        "data/targets.yml:12: target 'faster', field 'target.period': expected a monthly period like 2025-03, "
        "found '2024-12\\n'.",
        "data/teams.yml:7: team 'gamma\\n', field 'id': expected a lowercase id of letters, digits and hyphens like "
        "'road-repairs', found 'gamma\\n'.",
        "data/teams.yml:10: team 'index', field 'id': expected an id that is not one of the site's own page names "
        "(index), found 'index'.",
    ]


def test_every_csv_under_measurements_is_read_or_refused(tmp_path):
    found = problems(tmp_path, None, {"measurements/MORE.CSV": HEADER + "alpha,wait-days,2024-05,five,\n",
                                      "measurements/notes.txt": "x"})
    assert found == [
        "data/measurements/MORE.CSV:2: row for team 'alpha', field 'value': expected a number like 12.5 (no units or "
        "thousands separators), found 'five'.",
        "data/measurements/notes.txt: expected only CSV files (*.csv) in data/measurements/, found the file 'notes.txt'.",
    ]
    data = _data(tmp_path / "sub")
    (data / "measurements" / "2024").mkdir()
    (data / "measurements" / "2024" / "more.csv").write_text(HEADER)
    (data / "measurements" / ".gitkeep").write_text("")
    assert _messages(data) == ["data/measurements/2024: expected CSV files directly in data/measurements/ (a folder "
                               "inside it is not read), found a folder."]
    data = _data(tmp_path / "file")
    for f in (data / "measurements").iterdir():
        f.unlink()
    (data / "measurements").rmdir()
    (data / "measurements").write_text(HEADER)
    assert _messages(data) == ["data/measurements: expected a folder of CSV files, found a file."]


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


def test_numeric_looking_text_columns_keep_their_spelling(tmp_path):
    org = base_org()
    org["measurements"]["figures.csv"] = [("alpha", "wait-days", "2024-01", 5, "007"), ("alpha", "wait-days", "2024-02", 4, "1e3")]
    hb = validate_data(write_org(tmp_path, org))
    assert hb.series_for("alpha", "wait-days").notes == ("007", "1e3")


# ---- output that cannot forge ------------------------------------------------------------------------------------


def test_the_target_change_report_turns_no_data_into_links():
    j = WORD_JOINER
    assert inline("see www.evil.example") == f"see www{j}.evil.example"
    assert inline("mail boss@evil.example") == f"mail boss@{j}evil\\.example"
    assert inline("https://evil.example/x") == f"https{j}://evil\\.example/x"
    assert inline("write to mailto:x") == f"write to mailto{j}:x"
    assert inline("Cut waiting to 2 days") == "Cut waiting to 2 days"


@pytest.mark.parametrize("note", ["=1+1", "  =1+1", "\u00a0=HYPERLINK(x)", "\uff1dcmd", "\uff0b1", "\uff0d1",
                                  "\uff201", "\u3000\u200b@SUM(A1)", "\t=x", "-1"])
def test_csv_downloads_neutralize_formulas_after_blanks_and_full_width_signs(note):
    cell = _note_cell(note)
    assert cell.strip('"').startswith("'") and cell.strip('"')[1:] == note


def test_csv_downloads_leave_other_notes_alone():
    assert _note_cell("Storm week - crews moved") == "Storm week - crews moved"
    assert _note_cell("a = b") == "a = b"


# ---- every message has a line ------------------------------------------------------------------------------------


@pytest.mark.parametrize("files, message", [
    ({"teams.yml": b"- id: alpha\n  name: A\n  unit: Op\xe9rations\n"},
     "data/teams.yml:3: expected a UTF-8 text file, found the byte 0xe9 on line 3, which is not UTF-8 (save the file as UTF-8)."),
    ({"measurements/more.csv": HEADER.encode() + b"alpha,wait-days,2024-05,5,\n\nalpha,wait-days,2024-06,5,caf\xe9\n"},
     "data/measurements/more.csv:4: expected a UTF-8 text file, found the byte 0xe9 on line 4, which is not UTF-8 "
     "(save the file as UTF-8)."),
    ({"measurements/more.csv": HEADER + "alpha,wait-days,2024-05,5,\n\n\"alpha\",wait-days,2024-06,5,\"a\nb\"\n"
                                        "alpha,wait-days,2024-07,5,a,b\n"},
     "data/measurements/more.csv:6: expected 5 fields, as the header has (a note holding a comma must be in double "
     "quotes, like \"Ice, snow\"), found 6 fields: 'alpha,wait-days,2024-07,5,a,b'."),
    ({"measurements/more.csv": HEADER + "alpha,wait-days,2024-05,5,,extra\n"},
     "data/measurements/more.csv:2: expected 5 fields, as the header has (a note holding a comma must be in double "
     "quotes, like \"Ice, snow\"), found 6 fields: 'alpha,wait-days,2024-05,5,,extra'."),
    ({"measurements/more.csv": HEADER + "alpha,wait-days,2024-05,5,\nalpha,wait-days,2024-06,5,\"open\n"
                                        "alpha,wait-days,2024-07,5,\n"},
     "data/measurements/more.csv:3: expected a double quote only around a whole field, doubled inside it, like "
     "\"He said \"\"no\"\"\"; or no quote at all, found a quote that is never closed: 'alpha,wait-days,2024-06,5,\"open'."),
])
def test_encoding_quoting_and_field_count_errors_give_the_physical_line(tmp_path, files, message):
    assert problems(tmp_path, None, files) == [message]


# ---- unit slugs in linear time -----------------------------------------------------------------------------------


def _lines_run(units: list[str]) -> int:
    """Count the lines unit_slugs executes (a structural measure of its work, not a timing)."""
    count = 0
    code = links.unit_slugs.__code__

    def tracer(frame, event, arg):
        nonlocal count
        if frame.f_code is code:
            if event == "line":
                count += 1
            return tracer
        return None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        slugs = links.unit_slugs(units)
    finally:
        sys.settrace(previous)
    assert len(set(slugs.values())) == len(units)
    return count


def test_unit_slugs_grow_linearly_for_names_in_any_script():
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"

    def names(n):  # distinct Arabic names: every one slugifies to "unit" before its suffix
        return ["وحدة " + letters[i % 28] + letters[i // 28 % 28] + letters[i // 784 % 28] for i in range(n)]

    small, large = _lines_run(names(500)), _lines_run(names(2000))
    assert large < 5 * small, (small, large)  # quadratic work would be 16 times
    slugs = links.unit_slugs(names(3))
    assert list(slugs.values()) == ["unit", "unit-2", "unit-3"]


def test_yaml_numbers_are_read_as_yaml_1_2_writes_them(tmp_path):
    """YAML 1.1 reads `10:30` as 630 (base 60), `007` as 7 and `1_000` as 1000, silently; here they stay text."""
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
