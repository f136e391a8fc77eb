"""Measure what the page worker buys: the handbook build with the worker on and off, alternately, same organization.

Usage:  python benchmarks/bench_worker.py [--teams 1000] [--repeat 3]

Generates a synthetic organization (as bench_build.py does), then builds it `--repeat` times with the worker as
configured (`extra.handbook.prerender_min`, 200 teams) and as many times with it off (a configuration that inherits
mkdocs.yml and sets `prerender_min` above the number of teams), alternating the two. Prints each run's wall and CPU
time (CPU of every process, the worker's included), their medians and the ratios off/on. Absolute times depend on
the machine's load: the script prints `os.getloadavg()` before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import ROOT, generate_org, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hb-worker-") as tmp:
        work = Path(tmp)
        data = generate_org(work / "org", args.teams, args.months)
        # A configuration beside mkdocs.yml (its relative paths resolve from the project's folder), removed after.
        off = ROOT / f".bench-worker-off-{os.getpid()}.yml"
        off.write_text(f"INHERIT: mkdocs.yml\nextra:\n  handbook:\n    prerender_min: {args.teams * 10 + 1}\n",
                       encoding="utf-8")
        env = dict(os.environ, HANDBOOK_DATA=str(data), NO_MKDOCS_2_WARNING="1")
        site = work / "site"
        runs: dict[str, list[tuple[float, float]]] = {"on": [], "off": []}
        print(f"{args.teams} teams; load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        try:
            for i in range(args.repeat):
                for mode, config in (("on", ROOT / "mkdocs.yml"), ("off", off)):
                    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
                    wall, _peak, cpu = timed(cmd, ROOT, env, site)
                    runs[mode].append((wall, cpu))
                    print(f"run {i + 1} worker {mode:3}: wall {wall:6.1f} s, CPU {cpu:6.1f} s", flush=True)
        finally:
            off.unlink(missing_ok=True)
        print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        med = {m: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for m, r in runs.items()}
        for m, (w, c) in med.items():
            print(f"median worker {m:3}: wall {w:.1f} s, CPU {c:.1f} s")
        print(f"off/on: wall {med['off'][0] / med['on'][0]:.2f}, CPU {med['off'][1] / med['on'][1]:.2f}")


if __name__ == "__main__":
    main()
