"""Shared fixtures: the repository, fixture organizations, and real mkdocs builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from orgs import FIXTURE_SET, SUITE_TODAY, base_org, messy_org, today_for, write_org  # noqa: E402

# The handbook judges freshness and deadlines against today's date. Every test (and every build or command a test
# starts, which inherits the environment) takes this day as today unless it sets its own, so results do not change
# with the day CI runs. The sample's figures run to 2026-10, due by 2026-11-30.
# Tests built on the fixture organizations of tests/orgs.py (figures in 2024) take the day their own figures fall due
# instead (orgs.use_fixture_today, when they write the organization); the suite's today is put back before each test.
os.environ.setdefault("HANDBOOK_TODAY", SUITE_TODAY)
BASE_TODAY = os.environ["HANDBOOK_TODAY"]


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite tests/goldens/ from today's pages (tests/test_goldens.py) instead of comparing")


@pytest.fixture(autouse=True, scope="module")
def module_today():
    """Start and end every test module on the suite's today: a module's fixture organization moves it for the module."""
    os.environ["HANDBOOK_TODAY"] = BASE_TODAY
    os.environ.pop(FIXTURE_SET, None)
    yield
    os.environ["HANDBOOK_TODAY"] = BASE_TODAY
    os.environ.pop(FIXTURE_SET, None)


@pytest.fixture(autouse=True, scope="module")
def module_language():
    """Start and end every test module in English: a build context loaded for a French organization (load_site) sets
    the process's language, and a module that runs after it on the same worker would otherwise write French."""
    from macros import i18n

    i18n.use("en")
    yield
    i18n.use("en")


@pytest.fixture(autouse=True)
def each_test_today():
    """Put back, after each test, the today it began with (a fixture organization written by the test moves it)."""
    before = os.environ.get("HANDBOOK_TODAY", BASE_TODAY)
    marker = os.environ.get(FIXTURE_SET)
    yield
    os.environ["HANDBOOK_TODAY"] = before
    if marker is None:
        os.environ.pop(FIXTURE_SET, None)
    else:
        os.environ[FIXTURE_SET] = marker


def run_cli(*args: str, data: Path | None = None, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m macros ...` as a user would (outside GitHub Actions unless `env` says otherwise)."""
    env = {**today_for(data if data is not None else cwd / "data", {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}),
           "PYTHONPATH": str(ROOT),
           **(env or {})}
    if data is not None:
        env["HANDBOOK_DATA"] = str(data)
    return subprocess.run([sys.executable, "-m", "macros", *args], cwd=cwd, env=env, capture_output=True, text=True)


def build(data: Path, out: Path, strict: bool = True, language: str | None = None,
          edition: str | None = None) -> subprocess.CompletedProcess:
    """Build the handbook from a data folder into out (in `language`, as the `edition`, when given; else as the
    environment says); returns the finished process."""
    env = dict(today_for(data, dict(os.environ)), HANDBOOK_DATA=str(data), NO_MKDOCS_2_WARNING="1")
    for name, value in (("HANDBOOK_LANGUAGE", language), ("HANDBOOK_EDITION", edition)):
        if value:
            env[name] = value
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)]
    if strict:
        cmd.append("--strict")
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)


def build_ok(data: Path, out: Path, language: str | None = None, edition: str | None = None) -> Path:
    result = build(data, out, language=language, edition=edition)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


@pytest.fixture(scope="session")
def sample_data(tmp_path_factory) -> Path:
    """A copy of the sample's data/ (tests never read the working tree's data/: a person may be editing it)."""
    return Path(shutil.copytree(ROOT / "data", tmp_path_factory.mktemp("sample") / "data"))


@pytest.fixture(scope="session")
def sample_site(sample_data: Path) -> Path:
    """The sample organization's built site (built once per test session), on the suite's today."""
    before = os.environ.get("HANDBOOK_TODAY")
    os.environ["HANDBOOK_TODAY"] = BASE_TODAY
    try:
        return build_ok(sample_data, sample_data.parent / "site")
    finally:
        os.environ["HANDBOOK_TODAY"] = before or BASE_TODAY


@pytest.fixture(scope="module")
def messy_data(tmp_path_factory) -> Path:
    """The messy fixture organization (orgs.messy_org), written once per module."""
    return write_org(tmp_path_factory.mktemp("messy"), messy_org())


@pytest.fixture(scope="module")
def messy(messy_data: Path):
    """The build context of the messy fixture organization, for direct page macro calls (tests/pages.py)."""
    from pages import site_of

    return site_of(messy_data)


@pytest.fixture
def french(monkeypatch):
    """The build's language is French for the test (load_site reads HANDBOOK_LANGUAGE), English again after it."""
    from macros import i18n

    monkeypatch.setenv("HANDBOOK_LANGUAGE", "fr")
    i18n.use("fr")
    try:
        yield
    finally:
        i18n.use("en")


@pytest.fixture
def org():
    """A fresh, valid fixture organization as a dict (see tests/orgs.py)."""
    return base_org()


@pytest.fixture
def write(tmp_path):
    """Write an organization dict under tmp_path and return its data folder."""
    return lambda org: write_org(tmp_path, org)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium for the browser tests (skipped locally without it, a failure in CI)."""
    from browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def server(sample_site: Path):
    """Serve the built sample site on 127.0.0.1; yield its base URL. A module may serve another site instead."""
    from browser import serve

    with serve(sample_site) as base:
        yield base
