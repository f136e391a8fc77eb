"""Measure the live preview: `mkdocs serve` on an organization, its first page, then edit-to-page latencies.

Usage:  python benchmarks/bench_serve.py --data DIR [--edits 5]
        python benchmarks/bench_build.py --teams 1000 --serve 5   (beside the build ratios, in one call)

Copies the data folder (the edits never touch the original), starts `mkdocs serve` on it (watching the copy), and
times the first team page's first answer from the start of the process. Then, `--edits` times each, it edits one
figure of the first team (its latest figure of its first indicator, in its measurement CSV) and times until the
served team page shows the new value; then likewise one target value (the first target's), until the page of its
first team shows it. Prints the medians. Absolute times depend on the machine's load: read them with `uptime`.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 600.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:  # noqa: S310 (loopback only)
            return r.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def _wait_for(url: str, predicate, since: float) -> float:
    """Poll url every 50 ms until predicate(body) holds; return the seconds since `since`."""
    while time.perf_counter() - since < TIMEOUT_S:
        body = _get(url)
        if body is not None and predicate(body):
            return time.perf_counter() - since
        time.sleep(0.05)
    raise SystemExit(f"the served page {url} did not change within {TIMEOUT_S:.0f} s")


def _first_figure(data: Path) -> tuple[Path, str, str, str]:
    """The measurement file, team, indicator and period of the first team's latest figure of its first indicator."""
    for path in sorted((data / "measurements").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        if rows:
            team, ind = rows[0]["team"], rows[0]["indicator"]
            period = max(r["period"] for r in rows if r["team"] == team and r["indicator"] == ind)
            return path, team, ind, period
    raise SystemExit(f"no figures under {data / 'measurements'}")


def _set_figure(path: Path, team: str, ind: str, period: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    for r in rows:
        if (r["team"], r["indicator"], r["period"]) == (team, ind, period):
            r["value"] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _set_target(path: Path, value: float) -> tuple[str, str]:
    """Set the first target's target value; return (its id, its first team)."""
    text = path.read_text(encoding="utf-8")
    targets = yaml.safe_load(text)
    targets[0]["target"]["value"] = value
    path.write_text(yaml.safe_dump(targets, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return targets[0]["id"], targets[0]["teams"][0]


def measure_serve(data: Path, edits: int = 5, work: Path | None = None) -> dict:
    """Serve a copy of `data`; return the first page's seconds and the figure and target edit latencies."""
    work = Path(tempfile.mkdtemp(prefix="hb-serve-")) if work is None else work
    copy = work / "serve-data"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(data, copy)
    port = _free_port()
    env = dict(os.environ, HANDBOOK_DATA=str(copy), NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-q", "-f", str(ROOT / "mkdocs.yml"),
           "-a", f"127.0.0.1:{port}", "-w", str(copy)]
    csv_path, team, ind, period = _first_figure(copy)
    base = f"http://127.0.0.1:{port}"
    team_url = f"{base}/teams/{team}/"
    log = (work / "serve.log").open("w", encoding="utf-8")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        first = _wait_for(team_url, lambda body: "<html" in body, t0)
        figure, target = [], []
        for i in range(edits):
            time.sleep(1.5)  # let the watcher settle after the last rebuild
            # The page shows the new figure as text ("71.3 units 2026-10") or, for an indicator it charts only, in
            # its chart's data ("...,71.3]"): a value the page does not hold yet, one decimal as declared.
            before = _get(team_url) or ""
            k = 0
            while True:
                value = f"{71.3 + (i + 37 * k) * 0.2:.1f}"
                marker = re.compile(rf"\b{re.escape(value)} [^<]* {re.escape(period)}|[\[,]{re.escape(value)}[\],]")
                if not marker.search(before):
                    break
                k += 1
            t = time.perf_counter()
            _set_figure(csv_path, team, ind, period, value)
            figure.append(_wait_for(team_url, lambda body, m=marker: m.search(body) is not None, t))
        for i in range(edits):
            time.sleep(1.5)
            # The first team's page shows the target value ("17.1 units"): a value it does not show yet.
            first_team = yaml.safe_load((copy / "targets.yml").read_text(encoding="utf-8"))[0]["teams"][0]
            url = f"{base}/teams/{first_team}/"
            before = _get(url) or ""
            k = 0
            while re.search(rf"(?<![0-9.]){re.escape(f'{17.1 + (i + 37 * k) * 0.2:.1f}')} ", before):
                k += 1
            value = 17.1 + (i + 37 * k) * 0.2
            shown = re.compile(rf"(?<![0-9.]){re.escape(f'{value:.1f}')} ")
            t = time.perf_counter()
            _set_target(copy / "targets.yml", value)
            target.append(_wait_for(url, lambda body, m=shown: m.search(body) is not None, t))
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
    return {"first_page_s": first, "figure_edit_s": figure, "target_edit_s": target,
            "figure_edit_median_s": statistics.median(figure) if figure else float("nan"),
            "target_edit_median_s": statistics.median(target) if target else float("nan")}


def report_serve(r: dict) -> None:
    print(f"  live preview (mkdocs serve): first team page {r['first_page_s']:.1f} s (goal <= 10); "
          f"a figure edit on the page, median {r['figure_edit_median_s']:.1f} s of {len(r['figure_edit_s'])} "
          f"(goal <= 3; each {', '.join(f'{s:.1f}' for s in r['figure_edit_s'])}); "
          f"a target edit, median {r['target_edit_median_s']:.1f} s "
          f"(each {', '.join(f'{s:.1f}' for s in r['target_edit_s'])})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data", help="the organization's data folder (copied)")
    ap.add_argument("--edits", type=int, default=5, help="edits of each kind; their median is reported")
    args = ap.parse_args()
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    report_serve(measure_serve(args.data, args.edits))
    return 0


if __name__ == "__main__":
    sys.exit(main())
