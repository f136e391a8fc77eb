"""Living signals: when the data last changed (git, shallow clone, files) and the latest period, on every page."""

from __future__ import annotations

import os
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_ok
from macros import signals
from macros.periods import MONTHLY, QUARTERLY, parse_period
from macros.signals import Changed, Signals, compute_signals, last_changed, site_signals
from macros.site import load_site
from orgs import base_org, monthly, write_org

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


@pytest.fixture(autouse=True)
def no_outer_repo(tmp_path, monkeypatch):
    """Keep git from finding a repository above the test's folder."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))


def git(repo: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, **GIT_ENV}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout


def touch_all(folder: Path, day: date) -> None:
    stamp = datetime(day.year, day.month, day.day, 12).timestamp()
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (stamp, stamp))


def commit_org(repo: Path, when: str) -> Path:
    git(repo, "init", "-q")
    data = write_org(repo, base_org())
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "data", when=when)
    touch_all(data, date(2031, 1, 1))  # files' times must not win over the history
    return data


def test_git_history_gives_the_last_commit_touching_data(tmp_path):
    data = commit_org(tmp_path, "2024-05-06T12:00:00+00:00")
    (tmp_path / "README.md").write_text("not data\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "docs only", when="2024-09-09T12:00:00+00:00")
    assert last_changed(data) == Changed(date(2024, 5, 6), "git", True)


def test_only_a_change_to_the_figures_moves_the_date(tmp_path):
    # v1.2: the date is that of data/measurements/: a typo fixed in teams.yml does not make old figures look fresh.
    data = commit_org(tmp_path, "2024-05-06T12:00:00+00:00")
    (data / "teams.yml").write_text((data / "teams.yml").read_text() + "\n", encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "typo in teams", when="2024-09-09T12:00:00+00:00")
    assert last_changed(data) == Changed(date(2024, 5, 6), "git", True)
    figures = data / "measurements" / "figures.csv"
    figures.write_text(figures.read_text() + "alpha,wait-days,2024-01,6,\n", encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "figures", when="2024-10-11T12:00:00+00:00")
    assert last_changed(data) == Changed(date(2024, 10, 11), "git", True)


def test_git_path_works_for_a_data_folder_in_a_subfolder(tmp_path):
    git(tmp_path, "init", "-q")
    data = write_org(tmp_path / "handbook", base_org())
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "data", when="2024-02-03T12:00:00+00:00")
    assert last_changed(data).day == date(2024, 2, 3)


def test_uncommitted_edits_are_newer_than_the_last_commit(tmp_path):
    data = commit_org(tmp_path, "2024-05-06T12:00:00+00:00")
    touch_all(data, date(2020, 1, 1))
    edited = data / "teams.yml"  # not a figure: it does not move the date
    edited.write_text(edited.read_text() + "\n", encoding="utf-8")
    stamp = datetime(2025, 2, 3, 12).timestamp()
    os.utime(edited, (stamp, stamp))
    assert last_changed(data) == Changed(date(2024, 5, 6), "git", True)
    edited = data / "measurements" / "figures.csv"
    edited.write_text(edited.read_text() + "alpha,wait-days,2024-01,6,\n", encoding="utf-8")
    os.utime(edited, (stamp, stamp))
    assert last_changed(data) == Changed(date(2025, 2, 3), "files", True)


def test_shallow_clone_bounds_the_date_from_above(tmp_path):
    origin = tmp_path / "origin"
    origin.mkdir()
    data = commit_org(origin, "2023-11-01T12:00:00+00:00")
    figures = data / "measurements" / "figures.csv"
    figures.write_text(figures.read_text() + "alpha,wait-days,2024-01,6,\n", encoding="utf-8")
    git(origin, "commit", "-q", "-am", "data change", when="2024-01-10T12:00:00+00:00")
    (origin / "README.md").write_text("later, not data\n")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "docs", when="2024-06-20T12:00:00+00:00")

    # Depth 1: the one commit present looks as if it added data/; its date only bounds the change.
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), str(shallow))
    found = last_changed(shallow / "data")
    assert found == Changed(date(2024, 6, 20), "git-shallow", False)
    sig = Signals(found, "2024-06").as_dict()
    assert sig["changed"] == "2024-06-20" and sig["changed_label"] == "on or before 2024-06-20"

    # Depth 3 reaches past the change: the date is exact again.
    deeper = tmp_path / "deeper"
    git(tmp_path, "clone", "-q", "--depth", "3", origin.as_uri(), str(deeper))
    assert last_changed(deeper / "data") == Changed(date(2024, 1, 10), "git", True)


def test_not_a_repository_falls_back_to_file_times(tmp_path):
    data = write_org(tmp_path, base_org())
    touch_all(data, date(2023, 3, 4))
    newest = datetime(2023, 3, 9, 12).timestamp()
    os.utime(data / "measurements" / "figures.csv", (newest, newest))
    assert last_changed(data) == Changed(date(2023, 3, 9), "files", True)


def test_untracked_data_in_a_repository_falls_back_to_file_times(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "README.md").write_text("hello\n")
    git(tmp_path, "add", "README.md")
    git(tmp_path, "commit", "-q", "-m", "readme", when="2024-05-06T12:00:00+00:00")
    data = write_org(tmp_path, base_org())
    touch_all(data, date(2023, 3, 4))
    assert last_changed(data) == Changed(date(2023, 3, 4), "files", True)


def test_without_git_falls_back_to_file_times(tmp_path, monkeypatch):
    data = commit_org(tmp_path, "2024-05-06T12:00:00+00:00")
    touch_all(data, date(2023, 3, 4))
    monkeypatch.setattr(signals, "GIT", "no-such-git-binary-for-tests")
    assert last_changed(data) == Changed(date(2023, 3, 4), "files", True)


def test_empty_folder_has_no_date(tmp_path):
    assert last_changed(tmp_path) == Changed(None, "none", True)
    assert Signals(Changed(None, "none"), "").as_dict()["changed_label"] == ""


def test_latest_period_is_spelled_as_the_data_does(tmp_path):
    assert compute_signals(tmp_path, parse_period("2026-10", MONTHLY), MONTHLY).latest_period == "2026-10"
    assert compute_signals(tmp_path, parse_period("2026-Q3", QUARTERLY), QUARTERLY).latest_period == "2026-Q3"
    assert compute_signals(tmp_path, None, MONTHLY).latest_period == ""


def test_signals_are_computed_once_per_build(tmp_path, monkeypatch):
    calls = []

    def fake(data_dir, latest, frequency, banner="", is_public=None):
        calls.append(data_dir)
        return Signals(Changed(date(2024, 1, 2), "git"), "2024-01", banner)

    monkeypatch.setattr(signals, "compute_signals", fake)
    monkeypatch.setattr(signals, "derive_newest_banner", lambda hb: "")
    site = load_site(write_org(tmp_path / "org", base_org()))
    first = site_signals(site)
    for _ in range(1000):
        assert site_signals(site) is first
    assert len(calls) == 1
    assert first == {"changed": "2024-01-02", "changed_label": "2024-01-02", "changed_source": "git", "latest_period": "2024-01",
                     "banner": "",
                     # Their words, in the build's language (issue 26): the template writes them around the values.
                     "newest": "Newest figures: 2024-01", "changed_before": "figures last changed ", "changed_after": "",
                     "old_figures": "Old figures.",
                     "source": "Source: the YAML and CSV files under {data} in this handbook's repository; the date is "
                               "that of the last change to the figures, {measurements}."}


def test_every_page_shows_the_signals(tmp_path):
    org = base_org()
    org["measurements"] = {"figures.csv": monthly("alpha", "wait-days", (2024, 1), [6, 5, 4, 3, 3, 2.5])}
    data = write_org(tmp_path / "org", org)
    touch_all(data, date(2023, 3, 4))
    site = build_ok(data, tmp_path / "site")
    expected = "Newest figures: 2024-06 · figures last changed 2023-03-04"
    for page in (site / "index.html", site / "teams" / "alpha" / "index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        found = soup.select("footer p.hb-signals")  # in the footer band since the glance issue
        assert len(found) == 1, page
        assert " ".join(found[0].get_text().split()) == expected
        assert found[0].find("time")["datetime"] == "2023-03-04"


def test_the_public_editions_date_counts_commits_to_public_figures_only(tmp_path):
    # Issue 19: a commit that changes internal figures only does not make the public edition's figures look fresh.
    data = commit_org(tmp_path, "2024-05-06T12:00:00+00:00")
    figures = data / "measurements" / "figures.csv"
    public = {("alpha", "wait-days")}
    is_public = lambda team, indicator: (team, indicator) in public  # noqa: E731
    figures.write_text(figures.read_text() + "alpha,wait-days,2024-01,6,\n", encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "a public figure", when="2024-07-08T12:00:00+00:00")
    figures.write_text(figures.read_text() + "beta,wait-days,2024-01,7,internal team\n", encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "an internal figure", when="2024-10-11T12:00:00+00:00")
    assert last_changed(data) == Changed(date(2024, 10, 11), "git", True)
    assert signals.public_changed(data, is_public) == Changed(date(2024, 7, 8), "git", True)
    # A removed public row is a change too.
    figures.write_text(figures.read_text().replace("alpha,wait-days,2024-01,6,\n", ""), encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "a public figure withdrawn", when="2024-12-01T12:00:00+00:00")
    assert signals.public_changed(data, is_public) == Changed(date(2024, 12, 1), "git", True)
    # No public change in the history read: the date is only an upper bound.
    assert signals.public_changed(data, lambda team, indicator: False) == Changed(date(2024, 12, 1), "git", False)
