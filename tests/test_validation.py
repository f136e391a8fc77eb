"""Validation: what `validate_data` accepts and how it reports; the exact message of each problem, per data file, is
pinned in the tables of tests/test_validation_messages.py (written with `problems` below)."""

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


def test_a_yaml_file_read_again_unchanged_gives_its_own_copy_and_the_same_problems(tmp_path):
    # The live preview reads teams.yml and targets.yml again on every rebuild: an unchanged file is not parsed again,
    # but each reader gets a copy it may change, with its lines, and the file's problems each time.
    from macros.load import load_yaml

    good = tmp_path / "teams.yml"
    good.write_text("- id: a\n  name: A\n  tags: [x, y]\n- id: b\n  name: B\n", encoding="utf-8")
    first = load_yaml(good, "data/teams.yml", [])
    first[0]["name"] = "changed"
    first[0]["tags"].append("z")
    second = load_yaml(good, "data/teams.yml", [])
    assert second == [{"id": "a", "name": "A", "tags": ["x", "y"]}, {"id": "b", "name": "B"}]
    assert second[1].line == 4 and second[0].line_of("tags") == 3 and second.item_lines == [1, 4]
    bad = tmp_path / "targets.yml"
    bad.write_text("- id: a\n  id: b\n", encoding="utf-8")
    for _ in range(2):
        problems = []
        assert load_yaml(bad, "data/targets.yml", problems) is None
        assert [(p.file, p.line, p.field) for p in problems] == [("data/targets.yml", 2, "id")]
    good.write_text("- id: c\n  name: C\n", encoding="utf-8")  # changed: read again
    assert load_yaml(good, "data/teams.yml", []) == [{"id": "c", "name": "C"}]


def test_the_figures_are_checked_again_only_when_what_they_depend_on_changed(tmp_path):
    """`validate_data` keeps its last check of the figures (a live preview's YAML edit does not read 600,000 figures
    again): the same files, ids and day reuse it, problems included; a change to any of them checks again."""
    from datetime import date

    import yaml

    org = base_org()
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4])
    data = write_org(tmp_path, org, own_today=False)
    today = date(2026, 12, 5)
    first = validate_data(data, today=today)
    again = validate_data(data, today=today)
    assert again.measurements is first.measurements and again.series is first.series
    # A target's value: the YAML changes, the figures are the ones checked before.
    targets = yaml.safe_load((data / "targets.yml").read_text(encoding="utf-8"))
    targets[0]["target"]["value"] = 3.5
    (data / "targets.yml").write_text(yaml.safe_dump(targets), encoding="utf-8")
    edited = validate_data(data, today=today)
    assert edited.measurements is first.measurements and edited.targets["faster"].target.value == 3.5
    # A figure: checked again, the new value in.
    csv_path = data / "measurements" / "figures.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("2024-03,4", "2024-03,3.5"), encoding="utf-8")
    figure = validate_data(data, today=today)
    assert figure.measurements is not first.measurements
    assert figure.series[("alpha", "wait-days")].values == (6, 5, 3.5)
    # Figures of a team teams.yml does not have: the same problem on every check, reused or not.
    (data / "measurements" / "delta.csv").write_text("team,indicator,period,value,note\ndelta,wait-days,2024-01,7,\n",
                                                     encoding="utf-8")
    said = []
    for _ in range(2):
        with pytest.raises(DataError) as info:
            validate_data(data, today=today)
        said.append([str(p) for p in info.value.problems])
    assert said[0] == said[1] and len(said[0]) == 1 and "unknown team" in said[0][0]
    # ... until teams.yml has it: the ids changed, the figures are checked again and accepted.
    teams = yaml.safe_load((data / "teams.yml").read_text(encoding="utf-8"))
    teams.append({"id": "delta", "name": "Delta Team", "unit": "Support"})
    (data / "teams.yml").write_text(yaml.safe_dump(teams), encoding="utf-8")
    assert validate_data(data, today=today).series[("delta", "wait-days")].values == (7,)
    # Another day: a figure for a period that has not begun is a problem on that day, not on the next.
    with pytest.raises(DataError) as info:
        validate_data(data, today=date(2024, 2, 10))
    assert any("a period that has begun" in str(p) for p in info.value.problems)
    assert validate_data(data, today=today).series[("delta", "wait-days")].values == (7,)


def test_series_share_one_object_per_period_and_value_keeping_the_sign_of_zero(tmp_path):
    """The validated series hold one Python object per distinct period and value (a 5,000-team organization's
    3,000,000 figures would otherwise cost 24-28 bytes each more), equal to what each row says."""
    import math

    import numpy as np

    from macros.validate import _shared

    org = base_org()
    org["measurements"]["figures.csv"] = (monthly("alpha", "wait-days", (2024, 1), [6, 5, 4])
                                          + monthly("beta", "wait-days", (2024, 1), [6, 0, 4.5])
                                          + monthly("gamma", "rework", (2024, 2), [5, 6.0]))
    hb = validate_data(write_org(tmp_path, org, own_today=False))
    alpha, beta, gamma = (hb.series[k] for k in [("alpha", "wait-days"), ("beta", "wait-days"), ("gamma", "rework")])
    assert alpha.values == (6, 5, 4) and beta.values == (6, 0, 4.5) and gamma.values == (5, 6)
    assert alpha.periods[1] is beta.periods[1] is gamma.periods[0]  # one object for 2024-02
    assert alpha.values[0] is beta.values[0] is gamma.values[1]  # one object for 6 (6.0 read the same)
    assert alpha.periods == beta.periods and all(type(p) is int for p in alpha.periods)
    assert all(type(v) is float for v in alpha.values + beta.values)
    # Shared by their bits: 0.0 and -0.0, equal numbers, stay two objects with their signs.
    shared = _shared(np.array([1.5, -0.0, 0.0, 1.5, -0.0]))
    assert [math.copysign(1, v) for v in shared[1:3]] == [-1, 1] and shared[1] is shared[4] and shared[0] is shared[3]
    assert _shared(np.array([], dtype=float)) == [] and _shared(np.array([7, 7], dtype=np.int64)) == [7, 7]


def test_an_edit_to_one_figure_file_reads_the_others_once(tmp_path, monkeypatch):
    """After a check of the figures, the next one reads each file once for its key; a file whose parse is kept is not
    read again to load it, the edited one is (its new content parsed and checked)."""
    from collections import Counter
    from datetime import date
    from pathlib import Path

    org = base_org()
    org["measurements"]["figures.csv"] = monthly("alpha", "wait-days", (2024, 1), [6, 5, 4])
    org["measurements"]["more.csv"] = monthly("beta", "wait-days", (2024, 1), [7, 8])
    data = write_org(tmp_path, org, own_today=False)
    today = date(2026, 12, 5)
    validate_data(data, today=today)
    edited = data / "measurements" / "more.csv"
    edited.write_text(edited.read_text(encoding="utf-8").replace("2024-02,8", "2024-02,9"), encoding="utf-8")
    reads: Counter = Counter()
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.update([self.name]) or read_bytes(self))
    hb = validate_data(data, today=today)
    assert hb.series[("beta", "wait-days")].values == (7, 9) and hb.series[("alpha", "wait-days")].values == (6, 5, 4)
    assert reads["figures.csv"] == 1 and reads["more.csv"] == 2
