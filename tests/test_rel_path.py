"""macros.render.links.rel_path: posixpath.relpath without os.getcwd(), for the links of every page (issue 25)."""

from __future__ import annotations

import itertools
import os
import posixpath
import sys

from macros.render import links
from macros.render.links import rel_path

SEGMENTS = ["teams", "alpha", "units", ".", "..", ""]


def _paths(depth: int):
    for n in range(depth + 1):
        for parts in itertools.product(SEGMENTS, repeat=n):
            yield "/".join(parts) or "."


def test_rel_path_agrees_with_posixpath_relpath():
    compared = 0
    for path in _paths(3):
        for start in _paths(2):
            try:
                expected = posixpath.relpath(path, start)
            except ValueError:
                continue
            assert rel_path(path, start) == expected, (path, start)
            compared += 1
    assert compared > 10_000


def test_rel_path_never_asks_for_the_working_directory(monkeypatch):
    def no_cwd():
        raise AssertionError("os.getcwd called")

    monkeypatch.setattr(os, "getcwd", no_cwd)
    assert rel_path("teams/alpha.md", "teams") == "alpha.md"
    assert rel_path("index.md", "teams/alpha") == "../../index.md"
    assert rel_path(".", "teams/alpha/") == "../.."
    assert rel_path("teams/", "teams") == "."


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
