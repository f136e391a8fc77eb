"""`mkdocs serve` on a data error: every page shows `check`'s report, escaped, until the data is fixed."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable

import pytest
import yaml
from bs4 import BeautifulSoup
from test_build import copy_project

from conftest import ROOT, run_cli
from orgs import base_org, write_org

pytestmark = pytest.mark.build
TIMEOUT = 90  # seconds for any one condition: a shared machine may be slow, a healthy one takes a few seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a local test server
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")
    except OSError:
        return 0, ""


def wait_for(what: str, condition: Callable[[], object], server: subprocess.Popen) -> object:
    """Poll until condition() is truthy; fail after TIMEOUT or when the server has died."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        if server.poll() is not None:
            pytest.fail(f"mkdocs serve ended while waiting for {what}")
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def report_lines(html_text: str) -> list[str]:
    pre = BeautifulSoup(html_text, "html.parser").find("pre", id="hb-data-errors")
    return pre.get_text().splitlines() if pre else []


def test_serve_shows_the_data_error_in_the_browser_and_recovers(tmp_path):
    project = copy_project(tmp_path / "project")
    data = write_org(project, base_org())
    teams = data / "teams.yml"
    good = teams.read_text(encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "HANDBOOK_DATA"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    page = base + "teams/alpha/"
    try:
        status, text = wait_for("the first build", lambda: (r := fetch(page))[0] == 200 and r, server)
        assert "Alpha Team" in text and not report_lines(text)

        # A typo'd key whose name is markup: the page must show it as text.
        broken = yaml.safe_load(good)
        broken[0]["<b>colour</b>"] = "red"
        teams.write_text(yaml.safe_dump(broken, sort_keys=False), encoding="utf-8")
        check = run_cli("check", cwd=project, env={"HANDBOOK_DATA": "data"})
        assert check.returncode == 1
        expected = [line.strip() for line in check.stderr.strip().splitlines()[1:]]
        assert expected and expected[0].startswith("data/teams.yml:4: team 'alpha', field '<b>colour</b>'")

        status, text = wait_for("the error page", lambda: (r := fetch(page)) and report_lines(r[1]) and r, server)
        assert status == 200 and report_lines(text) == expected
        soup = BeautifulSoup(text, "html.parser")
        assert soup.find("h1").get_text() == "1 problem in the handbook data"
        assert soup.find("b") is None and "Alpha Team" not in text  # escaped; no stale page
        assert "livereload" in text  # the open tab reloads when the data is fixed
        for url in (base, base + "no-such-page/"):
            other_status, other = fetch(url)
            assert report_lines(other) == expected, url
        assert fetch(base + "no-such-page/")[0] == 404

        teams.write_text(good, encoding="utf-8")
        status, text = wait_for("the site to come back", lambda: (r := fetch(page)) and "Alpha Team" in r[1] and r, server)
        assert status == 200 and not report_lines(text)
        assert fetch(base + "no-such-page/")[0] == 404 and not report_lines(fetch(base + "no-such-page/")[1])
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    # Errors stand out in the log, in check's words; the rebuild that follows a fix says nothing more.
    output = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert output.count("the live preview shows this in the browser until it is fixed") == 1 and expected[0] in output
    # Quiet logs: one line per build (first, broken, fixed), no lists of macros and variables, no banner.
    assert output.count("Documentation built in") == 3, output
    assert "[macros]" not in output and "Building documentation" not in output and "end of life" not in output


def test_a_build_says_one_line(tmp_path):
    data = write_org(tmp_path, base_org())
    env = dict(os.environ, HANDBOOK_DATA=str(data), NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp_path / "site")]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"INFO +- +Documentation built in [0-9.]+ seconds\n", result.stderr + result.stdout), result.stderr
    verbose = subprocess.run([*cmd, "-v"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert "[macros]" in verbose.stderr  # --verbose still shows everything
