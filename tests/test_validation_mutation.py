"""Mutation test: a few hundred damaged copies of a small organization, each refused clearly or built.

Seeded and bounded. Each case takes the fixture organization (tests/orgs.py), applies one mutation from the
families below (YAML tags, huge numbers, deep nesting, alias bombs, unusable files, sizes, line breaks, wrong
types, odd ids and periods, broken CSVs, hostile text, missing or empty files, random byte damage; and since #19
Markdown too costly to render, periods before 1900, YAML files of too many values) and asserts:

- no traceback and no hang: `validate_data` either returns or raises DataError (anything else fails the case),
  within a time limit;
- a refusal names the file of every problem, and the line where the problem is inside a file's content;
- an accepted case renders: every generated and hand-written page's macros, the navigation and the downloads.

A subset goes through the real CLI (`python -m macros check`: exit 0 or 1, never a traceback, the same verdict),
and a few accepted and refused cases through a real `mkdocs build --strict`. The figures (cases, outcomes by
family and kind, time) are printed at the end (`pytest tests/test_validation_mutation.py -s`) and in the test's properties.
"""

from __future__ import annotations

import collections
import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from test_validation_messages import CASES as VALIDATION_CASES

from conftest import ROOT, build
from macros import site_pages, team_pages  # noqa: F401 - registers the macros
from macros.errors import DataError
from macros.generate import expand_nav, plan_pages
from macros.pagecheck import page_macro_calls
from macros.registry import MACROS, render_call
from macros.site import load_site, write_downloads
from macros.validate import validate_data
from orgs import base_org, monthly, odd_org, write_org

# The seed and count CI runs; MUTATION_SEED and MUTATION_CASES explore further by hand.
SEED = int(os.environ.get("MUTATION_SEED", 20261201))
CASES = int(os.environ.get("MUTATION_CASES", 330))
CLI_CASES = 15  # of them, also through `python -m macros check`
BUILDS_ACCEPTED, BUILDS_REFUSED = 8, 2  # and through `mkdocs build --strict`
CASE_SECONDS = 20  # one in-process case (validate and render); a hang fails the case
CASE_MEMORY = 2_000_000_000  # bytes of address space the in-process cases may add; beyond, a MemoryError fails one
TODAY = "2026-12-01"

HOSTILE = ("<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) {{ config.site_name }} "
           "{% for x in y %}{% endfor %} | pipe | \x1b[31mred\x1b]8;;http://evil.example\x07 ::error::forged "
           "www.evil.example mail@evil.example =HYPERLINK(\"http://evil.example\")")
TEXTS = [
    "a\n\nb", "line\nbreak", "trailing\n", "sep\u2028arator", HOSTILE, "::add-mask::x", "\x1b[2J", "=1+1", " \u00a0=cmd",
    "\uff1dcmd", "x" * 3000, "", "   ", "\t", "\ufeffbom", "\u202eevil", "emoji 🚒", "فريق", "{{ 7 * 7 }}", "# heading",
    "- list", "> quote", "| a | b |", "<!-- c -->", "`code`", "*", "\\", "%", "'", '"',
]
WRONG = [[], {}, True, False, None, 0, -1, 3.5, [[1]], {"a": {"b": 1}}, ["a", ["b"]], 10**20, float("nan")]
HUGE = [10**20, 10**99, 10**101, 10**308, 10**400, 1e100, 1e101, 1e308, -1e308, float("inf"), float("-inf"),
        float("nan"), 2**63, -(2**63)]
VALID_IDS = {"a" * 64, "a--b", "0", "index", "con"}  # slugs, if they name something that exists; every other one is refused
IDS = ["index", "alpha\n", "Alpha", "alpha ", " alpha", "a" * 65, "a" * 64, "al_pha", "-alpha", "١٢", "２", "é", "a--b",
       "0", "x.y", "a/b", "../etc", "con", "alpha\u200b"]
# Periods and dates that may be valid: a figure's period has begun by TODAY; a deadline may be far ahead.
VALID_CSV_PERIODS = {"2024-01", "1999-12", "2026-12"}
VALID_PERIODS = VALID_CSV_PERIODS | {"2027-01", "2099-12", "9999-12", "0001-01-01", "9999-12-31"}
PERIODS = ["2024-1", "2024-13", "2024-00", "\uff12\uff10\uff12\uff14-01", "٢٠٢٤-01", "2024-01\n", "0000-01", "9999-12",
           "2099-12", "2024-Q1", "2024-01-01", 202401, "2024-01 ", " 2024-01", "1999-12", "2026-12", "2027-01"]
DATES = ["2024-02-30", "٢٠٢٤-01-01", "2024-01-01\n", "9999-12-31", "0001-01-01", "2024-1-1", 20240101, "tomorrow"]
TAGGED = ["!!set {a, b}", "!!binary aGVsbG8=", "!!timestamp 2024-01-01", "!!python/name:os.system", "!!omap [{a: 1}]",
          "!!pairs [[a, 1]]", "!!float 1e999", "!!int " + "9" * 500, "!!str 12", "!!null ''", "!custom x",
          "!!python/object/apply:os.system [echo]", "*undefined", "&a [*a]", "[" * 60 + "]" * 60, "9" * 5000,
          "1e400", ".nan", "-.inf", "0x1F", "0o17", "1_000", "190:20:30", "yes", "no", "~", "2024-01-01"]
BOMB = ("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n")
VALID_VALUES = {"-0", " 5 ", "1e100", "+5", "1_000"}
CSV_VALUES = ["abc", "", "1e308", "inf", "-inf", "nan", "NaN", "-0", "1,000", " 5 ", "0x10", "1e400", "١٢", "５",
              "1e100", "-1e101", "9" * 400, "1_000", "+5", "5%", "TRUE"]
HEADER = "team,indicator,period,value,note"
YAML_FILES = ["organization.yml", "teams.yml", "indicators.yml", "deficits.yml", "targets.yml", "capacity.yml",
              "recognition.yml", "learning.yml", "practices.yml"]
# Problems about a whole file or folder, which have no line to give.
FILE_LEVEL = ("a YAML file", "this required file", "content (this file is required)", "a folder of CSV files",
              "CSV files directly", "only CSV files", "a CSV file", "all eleven practices", "at least one record")


def fixture_org() -> dict:
    """The base organization with figures, capacity, recognition and learning, so every page has something."""
    org = base_org()
    org["measurements"]["figures.csv"] = (
        monthly("alpha", "wait-days", (2024, 1), [6, 5, 4, 3]) + monthly("beta", "wait-days", (2024, 1), [7, 7, 6])
        + monthly("alpha", "rework", (2024, 1), [1, 2, 2, 3]) + monthly("beta", "satisfaction", (2024, 1), [70, 72]))
    org["capacity.yml"] = [{"team": "alpha", "staff": 4, "budget": 1000, "resources": ["Truck"],
                            "needs": [{"need": "Another truck", "kind": "money", "status": "requested",
                                       "date": "2024-02-01"}]}]
    org["recognition.yml"] = [{"date": "2024-05-01", "team": "alpha", "kind": "recognition", "title": "Fast month",
                               "target": "faster", "description": "Well done."}]
    org["learning.yml"] = [{"date": "2024-05-03", "kind": "insight", "title": "Mornings are slow",
                            "finding": "Most waits start in the morning.", "targets": ["faster"],
                            "indicators": ["wait-days"]}]
    org["targets.yml"][0]["revisions"] = [{"date": "2024-03-01", "was": {"period": "2024-12", "value": 3},
                                           "reason": "Raised the bar."}]
    return org


# ---- where a mutation may strike --------------------------------------------------------------------------------


def leaves(node, path=()):
    """Every (path, value) of scalars inside a YAML structure."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, (*path, i))
    else:
        yield path, node


def pick_leaf(rng, org, want=None):
    files = [f for f in YAML_FILES if isinstance(org.get(f), (dict, list))]
    while True:
        name = rng.choice(files)
        found = [(p, v) for p, v in leaves(org[name]) if p and (want is None or want(p, v))]
        if found:
            path, value = rng.choice(found)
            return name, path, value


def set_at(node, path, value):
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def is_text_leaf(path, value):
    return isinstance(value, str) and path[-1] not in ("id", "period", "date", "frequency", "stage", "better", "kind",
                                                      "status", "phase", "check")


# ---- families: each mutates (org dict) before writing, or (data folder) after; returns a description -------------


def m_wrong_type(rng, org):
    name, path, _ = pick_leaf(rng, org)
    value = rng.choice(WRONG)
    set_at(org[name], path, value)
    return f"{name} {path} = {value!r}"


def m_huge_number(rng, org):
    name, path, _ = pick_leaf(rng, org, lambda p, v: isinstance(v, (int, float)) and not isinstance(v, bool))
    value = rng.choice(HUGE)
    set_at(org[name], path, value)
    return f"{name} {path} = {value!r:.40}", not abs(value) <= 1e100  # beyond the limit, or not finite


def m_text(rng, org):
    name, path, _ = pick_leaf(rng, org, is_text_leaf)
    value = rng.choice(TEXTS)
    set_at(org[name], path, value)
    return f"{name} {path} = {value!r:.40}"


def m_id(rng, org):
    name, path, _ = pick_leaf(rng, org, lambda p, v: p[-1] in ("id", "team", "indicator", "deficit", "target")
                              or (len(p) > 1 and p[-2] in ("teams", "targets", "indicators")))
    value = rng.choice(IDS)
    set_at(org[name], path, value)
    page_id = name in ("teams.yml", "targets.yml") and path[-1] == "id"  # names a page: "index" is taken
    return f"{name} {path} = {value!r}", value not in VALID_IDS or (value == "index" and page_id)


def m_period(rng, org):
    name, path, _ = pick_leaf(rng, org, lambda p, v: p[-1] in ("period", "date"))
    value = rng.choice(PERIODS if path[-1] == "period" else DATES)
    set_at(org[name], path, value)
    return f"{name} {path} = {value!r}", value not in VALID_PERIODS


def m_drop_key(rng, org):
    name, path, _ = pick_leaf(rng, org)
    parent = org[name]
    for key in path[:-1]:
        parent = parent[key]
    if isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent.pop(path[-1])
    return f"{name} drop {path}"


def m_add_key(rng, org):
    name = rng.choice([f for f in YAML_FILES if isinstance(org.get(f), list) and org[f]])
    record = rng.choice(org[name])
    key = rng.choice(["nmae", "extra", "Id", "id ", "", "1", "notes"])
    record[key] = "x"
    return f"{name} add key {key!r}"


def m_drop_file(rng, org):
    name = rng.choice(YAML_FILES)
    org[name] = None
    if name == "deficits.yml" or rng.random() < 0.5:
        org["measurements"] = {}
    return f"remove {name}"


def m_duplicate_record(rng, org):
    name = rng.choice([f for f in YAML_FILES if isinstance(org.get(f), list) and org[f]])
    org[name].append(dict(rng.choice(org[name])))
    return f"duplicate a record of {name}"


def m_csv_value(rng, org):
    rows = org["measurements"]["figures.csv"]
    i = rng.randrange(len(rows))
    row = list(rows[i])
    col = rng.randrange(5)
    pool = {0: IDS + ["omega", ""], 1: IDS + ["nope", ""], 2: PERIODS, 3: CSV_VALUES, 4: TEXTS}[col]
    while len(row) < 5:
        row.append("")
    row[col] = rng.choice(pool)
    rows[i] = tuple(row)
    # A CSV field's stray spaces (and newlines) around it are dropped.
    must = (col == 2 and str(row[col]).strip() not in VALID_CSV_PERIODS) or (col == 3 and row[col] not in VALID_VALUES)
    return f"figures.csv row {i + 2} column {col} = {row[col]!r:.40}", must


def m_suite_case(rng, org):
    """One of test_validation_messages' rule cases (one rule, one message), applied to the (larger) fixture organization: still refused."""
    name = rng.choice(sorted(VALIDATION_CASES))
    mutate, files, _ = VALIDATION_CASES[name]
    if mutate:
        mutate(org)
    for file, text in (files or {}).items():
        if file.startswith("measurements/"):
            org["measurements"][file.split("/", 1)[1]] = text
        else:
            org[file] = text
    return f"test_validation: {name}", True


def m_odd(rng, org):
    """orgs.odd_org() (tests/orgs.py) (Unicode, right-to-left and 300-character names, BOM and CRLF CSVs, empty
    optional files), with one of this module's text values in a random text field: accepted or refused, never a crash."""
    odd = odd_org()
    org.clear()
    org.update(odd)
    name, path, _ = pick_leaf(rng, org, is_text_leaf)
    value = rng.choice(TEXTS)
    set_at(org[name], path, value)
    return f"odd organization, {name} {path} = {value!r:.40}"


# Round three (#19): text `check` must refuse because rendering it would cost minutes or a RecursionError, and
# periods in a year no chart can span.
COSTLY_MARKDOWN = ["- " * 500 + "x", "[" * 16000, "> " * 100 + "x", "[a](" * 4000, "![" * 8000, "[`]`" * 8000,
                   "".join("  " * i + "- a\n" for i in range(60)), "1. " * 200 + "x"]
EARLY_PERIODS = ["0025-01", "0001-01", "1899-12", "0999-06"]


def m_costly_markdown(rng, org):
    name, path, _ = pick_leaf(rng, org, is_text_leaf)
    value = rng.choice(COSTLY_MARKDOWN)
    set_at(org[name], path, value)
    return f"{name} {path} = {value[:12]!r}... ({len(value):,} characters)", True


def m_early_period(rng, org):
    rows = org["measurements"]["figures.csv"]
    value = rng.choice(EARLY_PERIODS)
    if rng.random() < 0.5 or not org.get("targets.yml"):
        i = rng.randrange(len(rows))
        rows[i] = (rows[i][0], rows[i][1], value, *rows[i][3:])
        return f"figures.csv row {i + 1} period = {value!r}", True
    target = rng.choice(org["targets.yml"])
    point = rng.choice([k for k in ("baseline", "target") if isinstance(target.get(k), dict)])
    target[point]["period"] = value
    return f"targets.yml {target.get('id')} {point}.period = {value!r}", True


DICT_FAMILIES = {
    "wrong type": m_wrong_type, "huge number": m_huge_number, "text": m_text, "id": m_id, "period or date": m_period,
    "missing key": m_drop_key, "unknown key": m_add_key, "missing file": m_drop_file,
    "duplicate record": m_duplicate_record, "csv field": m_csv_value, "suite case": m_suite_case, "odd input": m_odd,
    "costly markdown": m_costly_markdown, "early period": m_early_period,
}


def yaml_file(rng, data):
    return data / rng.choice([f for f in YAML_FILES if (data / f).is_file()])


def f_tag(rng, data):
    path = yaml_file(rng, data)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    spots = [i for i, line in enumerate(lines) if ": " in line and not line.rstrip().endswith(":")]
    i = rng.choice(spots)
    key = lines[i].split(": ", 1)[0]
    value = rng.choice(TAGGED)
    lines[i] = f"{key}: {value}\n"
    path.write_text("".join(lines), encoding="utf-8")
    return f"{path.name}:{i + 1} {value[:40]!r}", value.startswith(("!!set", "!!binary", "!!timestamp", "!!python", "!!omap",
                                                                   "!!pairs", "!custom", "*", "&", "[", "9"))


def f_bomb(rng, data):
    path = data / rng.choice(["organization.yml", "capacity.yml", "learning.yml"])
    kind = rng.choice(["value", "key", "list"])
    if kind == "value":
        text = BOMB + "name: N\nmission: M\n"
    elif kind == "key":
        text = BOMB + "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n? *h\n: 1\n"
    else:
        text = "- &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
            f"- &{chr(98 + k)} [{', '.join(['*' + chr(97 + k)] * 9)}]\n" for k in range(7))
    path.write_text(text, encoding="utf-8")
    return f"{path.name} alias bomb as {kind}", True


def f_deep(rng, data):
    path = yaml_file(rng, data)
    depth = rng.choice([40, 51, 200, 990, 5000])
    style = rng.choice(["flow", "block"])
    nested = "[" * depth + "]" * depth if style == "flow" else "".join("  " * k + "- \n" for k in range(depth))
    path.write_text("x: " + nested + "\n" if style == "flow" else nested, encoding="utf-8")
    return f"{path.name} nested {depth} deep ({style})", True


def f_kind(rng, data):
    target = rng.choice([*(data / f for f in YAML_FILES), data / "measurements" / "figures.csv", data / "measurements"])
    kind = rng.choice(["folder", "dangling", "dev-null", "dev-zero", "outside", "fifo", "inside-link"])
    keep = b""
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        keep = target.read_bytes() if kind == "inside-link" else b""
        target.unlink()
    if kind == "folder":
        target.mkdir()
    elif kind == "dangling":
        target.symlink_to(data / "nowhere")
    elif kind == "dev-null":
        target.symlink_to("/dev/null")
    elif kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "outside":
        outside = data.parent / f"outside-{target.name}"
        outside.write_bytes(b"[]\n")
        target.symlink_to(outside)
    elif kind == "fifo":
        os.mkfifo(target)
    else:  # a link to a copy inside the data folder: fine
        copy = data / f"copy-{target.name}"
        copy.write_bytes(keep)
        target.symlink_to(copy)
    fine = kind == "inside-link" or (kind == "folder" and target.name == "measurements")  # an empty folder is no figures
    return f"{target.relative_to(data)} is {kind}", not fine


def f_size(rng, data):
    kind = rng.choice(["yaml", "line", "field", "many-lines"])
    if kind == "yaml":
        (data / "learning.yml").write_bytes(b"#" * 10_000_001)
    elif kind == "line":
        (data / "measurements" / "long.csv").write_text(f"{HEADER}\nalpha,wait-days,2024-01,5,{'x' * 200_000}\n")
    elif kind == "field":
        note = ("y" * 900 + "\n") * 12
        (data / "measurements" / "long.csv").write_text(f'{HEADER}\nalpha,wait-days,2024-05,5,"{note}"\n')
    else:
        (data / "measurements" / "long.csv").write_text(HEADER + "\n" + "\n" * 50_000)
    return f"size {kind}", kind != "many-lines"


def f_csv_raw(rng, data):
    path = data / "measurements" / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    i = rng.randrange(1, len(lines))
    kind = rng.choice(["extra field", "missing fields", "open quote", "bad quote", "blank lines", "bom crlf",
                       "non-utf8", "header", "upper .CSV", "subfolder", "other file", "measurements file",
                       "empty", "header only", "duplicate row", "nul byte", "numeric notes"])
    data_bytes, other = None, ""
    if kind == "extra field":
        lines[i] += ",extra"
    elif kind == "missing fields":
        lines[i] = ",".join(lines[i].split(",")[:rng.randint(1, 3)])
    elif kind == "open quote":
        lines[i] = lines[i] + ',"open'
    elif kind == "bad quote":
        lines[i] = lines[i].replace(",", ',"x"y,', 1)
    elif kind == "blank lines":
        lines[i:i] = ["", "   ", ""]
    elif kind == "header":
        lines[0] = rng.choice(["team,indicator,period,value", "Team,Indicator,Period,Value,Note", "team;indicator",
                               "team,indicator,period,value,note,extra", "team,team,period,value,note"])
    elif kind == "upper .CSV":
        (data / "measurements" / "MORE.CSV").write_text(f"{HEADER}\nalpha,wait-days,2024-09,2,\n")
    elif kind == "subfolder":
        (data / "measurements" / "2024").mkdir()
        (data / "measurements" / "2024" / "x.csv").write_text(f"{HEADER}\nalpha,wait-days,2024-09,2,\n")
    elif kind == "other file":
        other = rng.choice(["notes.txt", "figures.xlsx", ".gitkeep"])
        (data / "measurements" / other).write_text("x")
    elif kind == "measurements file":
        shutil.rmtree(data / "measurements")
        (data / "measurements").write_text(HEADER + "\n")
        return "csv measurements is a file", True
    elif kind == "empty":
        lines = []
    elif kind == "header only":
        lines = [HEADER]
    elif kind == "duplicate row":
        lines.append(lines[i])
    elif kind == "numeric notes":  # every note reads as a number: still text ("007" stays "007")
        lines = [lines[0]] + [line.rsplit(",", 1)[0] + "," + rng.choice(["007", "1e3", "-5", "0"]) for line in lines[1:]]
    text = "\n".join(lines) + ("\n" if lines else "")
    if kind == "bom crlf":
        data_bytes = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    elif kind == "non-utf8":
        data_bytes = text.encode().replace(b"\n", b"\n\xff", 1 + rng.randrange(len(lines)) if lines else 1)
    elif kind == "nul byte":
        data_bytes = text.encode().replace(b",", b",\x00", 1)
    if data_bytes is not None:
        path.write_bytes(data_bytes)
    elif kind not in ("upper .CSV", "subfolder", "other file"):
        path.write_text(text, encoding="utf-8")
    must = kind in ("extra field", "open quote", "non-utf8", "header", "subfolder", "measurements file", "empty",
                    "nul byte", "duplicate row") or (kind == "other file" and other != ".gitkeep")
    return f"csv {kind} at line {i + 1}", must


def f_yaml_raw(rng, data):
    path = yaml_file(rng, data)
    raw = path.read_bytes()
    kind = rng.choice(["truncate", "flip byte", "non-utf8", "tab", "duplicate key", "bom crlf", "empty", "comment",
                       "scalar", "nul"])
    if kind == "truncate":
        raw = raw[:rng.randrange(len(raw))]
    elif kind == "flip byte":
        i = rng.randrange(len(raw))
        raw = raw[:i] + bytes([rng.choice(b":-[]{}&*!|>'\"#%@` \n\t,?")]) + raw[i + 1:]
    elif kind == "non-utf8":
        i = rng.randrange(len(raw))
        raw = raw[:i] + b"\xc3\x28" + raw[i:]
    elif kind == "tab":
        raw = raw.replace(b"\n  ", b"\n\t", 1)
    elif kind == "duplicate key":
        line = raw.split(b"\n")[1]
        raw = raw.replace(line + b"\n", line + b"\n" + line + b"\n", 1)
    elif kind == "bom crlf":
        raw = b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")
    elif kind == "empty":
        raw = b""
    elif kind == "comment":
        raw = b"# nothing here\n"
    elif kind == "scalar":
        raw = rng.choice([b"just text\n", b"42\n", b"[]\n", b"{}\n", b"- - x\n"])
    else:
        raw = raw.replace(b"\n", b"\x00\n", 1)
    path.write_bytes(raw)
    return f"{path.name} {kind}"


def f_many_values(rng, data):
    path = yaml_file(rng, data)
    kind = rng.choice(["flow numbers", "flow strings", "block list"])
    if kind == "flow numbers":
        text = "[" + ",".join(["1"] * 260_000) + "]\n"
    elif kind == "flow strings":
        text = "[" + ", ".join(f"item{i}" for i in range(260_000)) + "]\n"
    else:
        text = "".join(f"- id: t{i}\n  name: T\n" for i in range(60_000))
    path.write_text(text, encoding="utf-8")
    return f"{path.name} {kind} of {len(text) / 1e6:.1f} MB", True


FILE_FAMILIES = {
    "yaml tag": f_tag, "alias bomb": f_bomb, "deep nesting": f_deep, "file kind": f_kind, "size": f_size,
    "csv structure": f_csv_raw, "yaml bytes": f_yaml_raw, "many values": f_many_values,
}
FAMILIES = [*DICT_FAMILIES, *FILE_FAMILIES]


def make_case(n: int, root: Path) -> tuple[str, str, Path, bool]:
    """Write case n under root: (family, description, data folder, whether the data is certainly invalid)."""
    rng = random.Random(SEED * 1000 + n)
    family = FAMILIES[n % len(FAMILIES)]
    org = fixture_org()
    done = DICT_FAMILIES[family](rng, org) if family in DICT_FAMILIES else ""
    data = write_org(root, org)
    if family in FILE_FAMILIES:
        done = FILE_FAMILIES[family](rng, data)
    description, must_refuse = done if isinstance(done, tuple) else (done, False)
    return family, description, data, must_refuse


# ---- running a case ----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def memory_limit(extra: int):
    """Cap this process's address space at its current size plus `extra` bytes (an alias bomb raises MemoryError
    in the case that set it off, instead of taking the machine's memory)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as fh:
        size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextlib.contextmanager
def time_limit(seconds: int):
    def expire(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s (a hang)")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def render_everything(data: Path, out: Path) -> None:
    """What a build renders from the data: every page's macros, the navigation and the downloads."""
    site = load_site(data)
    for src, (name, *args) in plan_pages(site).items():
        render_call(site, name, src, args)
    for page in sorted((ROOT / "docs").rglob("*.md")):
        src = page.relative_to(ROOT / "docs").as_posix()
        for name, args in page_macro_calls(page.read_text(encoding="utf-8"), MACROS):
            render_call(site, name, src, args)
    expand_nav([{"P": "practices/index.md"}, {"T": "targets/index.md"}, {"U": "teams/index.md"}], site)
    write_downloads(site, out)


def refusal_faults(problems) -> list[str]:
    """What is missing from a refusal: a file for every problem, a line for problems inside a file's content."""
    faults = []
    if not problems:
        faults.append("a DataError with no problem")
    for p in problems:
        text = str(p)
        if not p.file or not (p.file.startswith("data/") or p.file == "HANDBOOK_TODAY"):
            faults.append(f"no data file: {text}")
        elif p.line is None and not p.expected.startswith(FILE_LEVEL):
            faults.append(f"no line: {text}")
        if "\n" in text or "\x1b" in text:
            faults.append(f"raw control text: {text!r:.120}")
    return faults


def run_case(n: int, root: Path) -> dict:
    family, description, data, must_refuse = make_case(n, root)
    outcome = {"n": n, "family": family, "what": description, "data": data}
    try:
        with time_limit(CASE_SECONDS):
            try:
                validate_data(data)
            except DataError as exc:
                outcome["kind"] = "refused"
                outcome["faults"] = refusal_faults(exc.problems)
                outcome["report"] = exc.report()
                return outcome
            outcome["kind"] = "accepted"
            if must_refuse:
                outcome["faults"] = ["invalid data accepted (a silent wrong result)"]
                return outcome
            try:
                render_everything(data, root / "out")
            except DataError as exc:
                outcome["faults"] = [f"check accepted, the build refused: {exc.report()[:300]}"]
                return outcome
            outcome["faults"] = []
    except TimeoutError as exc:
        outcome.update(kind="hang", faults=[str(exc)])
    except BaseException as exc:  # noqa: BLE001 - any other exception is a crash to report
        import traceback

        outcome.update(kind="crash", faults=["".join(traceback.format_exception(exc))[-1500:]])
    return outcome


@pytest.mark.build
def test_mutations(tmp_path, record_property):
    start = time.monotonic()
    before = os.environ.get("HANDBOOK_TODAY")
    os.environ["HANDBOOK_TODAY"] = TODAY
    try:
        with memory_limit(CASE_MEMORY):
            outcomes = [run_case(n, tmp_path / f"case-{n:03d}") for n in range(CASES)]
        in_process = time.monotonic() - start
        rng = random.Random(SEED)
        cli_faults = _through_cli(rng.sample(outcomes, CLI_CASES))
        build_faults = _through_builds(rng, outcomes, tmp_path)
    finally:
        if before is None:
            os.environ.pop("HANDBOOK_TODAY", None)
        else:
            os.environ["HANDBOOK_TODAY"] = before
    elapsed = time.monotonic() - start
    kinds = collections.Counter(o["kind"] for o in outcomes)
    by_family = collections.defaultdict(collections.Counter)
    for o in outcomes:
        by_family[o["family"]][o["kind"]] += 1
    figures = {
        "cases": len(outcomes), "outcomes": dict(kinds),
        "by family": {f: dict(c) for f, c in sorted(by_family.items())},
        "through the CLI": CLI_CASES, "builds": BUILDS_ACCEPTED + BUILDS_REFUSED,
        "seconds in process": round(in_process, 1), "seconds in all": round(elapsed, 1),
    }
    record_property("mutation_figures", figures)
    print("\nmutation test:", figures)
    faults = [f"case {o['n']} ({o['family']}: {o['what']}): {fault}" for o in outcomes for fault in o["faults"]]
    faults += cli_faults + build_faults
    assert not faults, f"{len(faults)} faults:\n" + "\n\n".join(faults[:15])
    assert kinds["accepted"] >= CASES // 10 and kinds["refused"] >= CASES // 3, kinds  # both sides exercised


def _through_cli(sample: list[dict]) -> list[str]:
    faults = []
    for o in sample:
        try:
            result = subprocess.run(
                [sys.executable, "-m", "macros", "check"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                env=dict(os.environ, PYTHONPATH=str(ROOT), HANDBOOK_DATA=str(o["data"]), HANDBOOK_TODAY=TODAY),
            )
        except subprocess.TimeoutExpired:
            faults.append(f"case {o['n']} ({o['family']}: {o['what']}): `check` hung")
            continue
        want = 0 if o["kind"] == "accepted" else 1
        where = f"case {o['n']} ({o['family']}: {o['what']}) through the CLI"
        if "Traceback" in result.stderr or result.returncode != want:
            faults.append(f"{where}: exit {result.returncode} (expected {want}): {result.stderr[-1500:]}")
        elif want == 1 and not all(line.startswith(f"  {o['data']}/") for line in result.stderr.splitlines()[1:]):
            faults.append(f"{where}: a problem line without its data file: {result.stderr[-800:]}")
    return faults


def _through_builds(rng: random.Random, outcomes: list[dict], tmp_path: Path) -> list[str]:
    faults = []
    accepted = [o for o in outcomes if o["kind"] == "accepted"]
    refused = [o for o in outcomes if o["kind"] == "refused"]
    chosen = rng.sample(accepted, min(BUILDS_ACCEPTED, len(accepted))) + rng.sample(refused, BUILDS_REFUSED)
    for o in chosen:
        out = tmp_path / f"site-{o['n']}"
        where = f"case {o['n']} ({o['family']}: {o['what']}) built"
        try:
            result = build(o["data"], out)
        except subprocess.TimeoutExpired:
            faults.append(f"{where}: the build hung")
            continue
        if o["kind"] == "accepted" and (result.returncode != 0 or not (out / "index.html").is_file()):
            faults.append(f"{where}: check accepted it, the build failed: {result.stderr[-1500:]}")
        if o["kind"] == "refused" and (result.returncode != 1 or "Traceback" in result.stderr):
            faults.append(f"{where}: exit {result.returncode} (expected 1): {result.stderr[-1500:]}")
    return faults


def test_the_fixture_organization_is_valid_and_builds_in_process(tmp_path):
    data = write_org(tmp_path, fixture_org())
    hb = validate_data(data)
    assert hb.capacity and hb.recognition and hb.learning and len(hb.series) == 4
    render_everything(data, tmp_path / "out")
    assert (tmp_path / "out" / "downloads" / "teams" / "alpha.csv").is_file()


def test_every_family_mutates_the_fixture(tmp_path):
    """Each family changes the files it is given: a mutation that changes nothing would test nothing."""
    base = tmp_path / "base"
    write_org(base, fixture_org())
    snapshot = {p.relative_to(base): p.read_bytes() for p in base.rglob("*") if p.is_file()}
    for n, family in enumerate(FAMILIES):
        _, _, data, _ = make_case(n, tmp_path / f"m{n}")
        now = {p.relative_to(data.parent): (p.read_bytes() if p.is_file() and not p.is_symlink() else p.is_dir())
               for p in data.rglob("*") if p.is_file() or p.is_dir() or p.is_symlink()}
        assert now != snapshot, family


@pytest.mark.parametrize("case", [0])
def test_cases_are_reproducible(tmp_path, case):
    a = make_case(case, tmp_path / "a")
    b = make_case(case, tmp_path / "b")
    assert a[:2] == b[:2]
    assert yaml.safe_load((a[2] / "teams.yml").read_text()) == yaml.safe_load((b[2] / "teams.yml").read_text())

