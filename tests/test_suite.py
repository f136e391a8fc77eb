"""The suite itself: tests never read the working tree's data/ (a person editing data while the suite runs must not
see failures); they copy it (conftest.sample_data, shutil.copytree) or write a fixture organization (tests/orgs.py)."""

from __future__ import annotations

import re

from conftest import ROOT

# Reading the working tree's data folder: `ROOT / "data"` anywhere but as the source of a copy, or a command run in
# the repository (conftest.run_cli's default folder) without a data folder of its own.
LIVE_DATA = re.compile(r"""ROOT\s*/\s*["']data["']|run_cli\((?!.*(data|cwd=)).*$""")
COPY = re.compile(r"""copytree\(\s*ROOT\s*/\s*["']data["']""")
# Files another change rewrites at the moment; to be emptied, never added to.
NOT_YET: set[str] = set()


def test_no_test_reads_the_working_tree_s_data_folder():
    found = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        if path.name in NOT_YET or path.name == "test_suite.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if LIVE_DATA.search(line) and not COPY.search(line):
                found.append(f"tests/{path.name}:{number}: {line.strip()}")
    assert found == [], "\n".join(found)


def test_the_check_finds_a_read_of_the_live_data_folder():
    assert LIVE_DATA.search('validate_data(ROOT / "data")') and not COPY.search('validate_data(ROOT / "data")')
    assert COPY.search('shutil.copytree(ROOT / "data", tmp / "data")')
    assert LIVE_DATA.search('result = run_cli("check")') and not LIVE_DATA.search('run_cli("check", data=sample_data)')
