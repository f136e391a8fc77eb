"""macros.render.links.rel_path: posixpath.relpath without os.getcwd(), for the links of every page (issue 25)."""

from __future__ import annotations

import itertools
import os
import posixpath

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
