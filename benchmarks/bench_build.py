"""Benchmark the handbook build against a plain mkdocs-material build of the same number of pages.

Usage:  python benchmarks/bench_build.py [--teams 1000] [--months 60] [--also 2000] [--keep DIR] [--serve 5]
                                        [--engines mkdocs,properdocs,zensical] [--sample] [--pdf]
        python benchmarks/bench_build.py --write-org DIR [--teams 300]   (only write a synthetic organization)
        python benchmarks/bench_build.py --teams 1000 --units 10,1000   (the same teams grouped in 10, then 1,000 units)
        python benchmarks/bench_build.py --teams 1000 --languages   (the cost of a second language: en, then en + fr)

Generates a synthetic organization to the data contract (units of 20 teams, 30 indicators, each team reporting 10
indicators every month, one target per 10 teams with a guardrail; a live organization: its months end with the last
period whose figures are due by today, its targets fall a year later), builds its handbook, builds a plain Material site
with as many pages (a heading, a paragraph and a ten-row table each; only the home page in the nav), and prints both
times, their ratio, the build's peak memory, the median team page size and the time of `python -m macros check`.
Each build runs --repeat times, in rounds that alternate the handbook and plain builds of every size, and the
fastest of each is compared: the machines are shared and noisy, so compare ratios from one run, not absolute times
across runs.

--engines also builds each organization with ProperDocs (`--properdocs`: a Python with properdocs installed) and with
Zensical (`--zensical`: its command; the pages come from `python -m macros generate`, whose time is counted in), and
prints each one's build time against the plain MkDocs build and its search index's size. --sample builds the
sample organization (data/) too.

--serve N then measures the live preview of each organization (benchmarks/bench_serve.py): `mkdocs serve`'s first
team page, and the median of N figure edits and N target edits from the save to the served team page showing it.

--pdf also prints each organization's briefing book (`python -m macros.pdf`, Chromium) from its last build, and one
unit's book (the first unit), and reports their pages, sizes and times. Above 60 teams the book holds the summary
and the targets only; the teams' pages are in the units' books.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from macros.periods import expected_period, format_period  # noqa: E402

STAGES = ["input", "process", "output", "outcome"]
DUE_DAYS = 30  # the synthetic organization's days to report a month's figures (reporting.due_days)


def live_periods(months: int, ahead: int = 0) -> list[str]:
    """`months` monthly periods ending with the last one whose figures are due by today (HANDBOOK_TODAY, else the
    date), moved `ahead` months later: the synthetic organization is a live one, its feeds current, whatever day
    the benchmark runs (with DUE_DAYS to report, on 6 December the last period is October; November is owed, not
    late)."""
    today = date.fromisoformat(os.environ["HANDBOOK_TODAY"]) if os.environ.get("HANDBOOK_TODAY") else date.today()
    last = expected_period(today, "monthly", DUE_DAYS) + ahead
    return [format_period(i, "monthly") for i in range(last - months + 1, last + 1)]


def generate_org(dest: Path, teams: int, months: int = 60, indicators: int = 30, per_team: int = 10,
                 unit_size: int = 20, seed: int = 7) -> Path:
    """Write a synthetic organization under dest/data and return the data folder."""
    rng = random.Random(seed)
    data = dest / "data"
    shutil.rmtree(dest, ignore_errors=True)  # a kept folder from an earlier run
    (data / "measurements").mkdir(parents=True, exist_ok=True)
    periods = live_periods(months)
    deadline = live_periods(months + 12, ahead=12)[-1]  # targets a year ahead: the organization is mid-way
    dump = lambda name, obj: (data / name).write_text(yaml.safe_dump(obj, sort_keys=False), encoding="utf-8")  # noqa: E731
    dump("organization.yml", {
        "name": "Synthetic Agency", "mission": "Serve every resident quickly and well.",
        "big_picture": "A generated organization for benchmarks.", "reporting": {"frequency": "monthly", "stale_after": 2, "due_days": DUE_DAYS},
    })
    team_ids = [f"team-{i:04d}" for i in range(teams)]
    dump("teams.yml", [{"id": t, "name": f"Team {i:04d}", "unit": f"Unit {i // unit_size:03d}", "lead": "Lead"} for i, t in enumerate(team_ids)])
    ind_ids = [f"ind-{j:02d}" for j in range(indicators)]
    dump("indicators.yml", [
        {"id": k, "name": f"Indicator {j}", "unit": "units", "stage": STAGES[j % 4], "better": "lower" if j % 2 == 0 else "higher", "decimals": 1}
        for j, k in enumerate(ind_ids)
    ])
    n_targets = max(1, teams // 10)
    dump("deficits.yml", [
        {"id": f"deficit-{k:03d}", "title": f"Deficit {k}", "stage": STAGES[k % 4], "indicator": ind_ids[(k * 2) % indicators]}
        for k in range(n_targets)
    ])
    reported: dict[str, list[str]] = {}
    for i, t in enumerate(team_ids):
        offset = (i // 10 * 2) % indicators  # the ten teams of a target share its indicator and guardrail
        reported[t] = [ind_ids[(offset + j) % indicators] for j in range(per_team)]
    targets = []
    for k in range(n_targets):
        members = team_ids[k * 10:(k + 1) * 10]
        ind = reported[members[0]][0]
        guard = reported[members[0]][1]
        lower = ind_ids.index(ind) % 2 == 0
        targets.append({
            "id": f"target-{k:03d}", "title": f"Improve indicator for group {k}", "deficit": f"deficit-{k:03d}",
            "indicator": ind, "teams": members, "owner": "Director",
            "baseline": {"period": periods[min(12, months // 4)]}, "target": {"period": deadline, "value": 40.0 if lower else 60.0},
            "theory": {"link": "Better service advances the mission.", "chain": ["Better service", "Mission"]},
            "guardrails": [{"indicator": guard, "tolerance": 5}],
        })
    dump("targets.yml", targets)
    dump("practices.yml", _practices())
    for u in range(0, teams, unit_size):
        with (data / "measurements" / f"unit-{u // unit_size:03d}.csv").open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["team", "indicator", "period", "value", "note"])
            for t in team_ids[u:u + unit_size]:
                for ind in reported[t]:
                    level = rng.uniform(40, 60)
                    for p in periods:
                        level += rng.uniform(-1, 1)
                        w.writerow([t, ind, p, f"{level:.1f}", ""])
    return data


def _practices() -> list[dict]:
    phases = ["framework"] * 4 + ["driving"] * 4 + ["learning"] * 3
    return [
        {"number": n, "phase": phases[n - 1], "title": f"Practice {n}", "summary": "Summary.",
         "checklist": [{"id": f"p{n}-m", "text": "Manual item"}]}
        for n in range(1, 12)
    ]


def generate_plain(dest: Path, pages: int) -> Path:
    """Write a plain mkdocs-material project with `pages` pages and no macros; only home in the nav."""
    docs = dest / "docs"
    shutil.rmtree(dest, ignore_errors=True)  # a kept folder from an earlier run
    docs.mkdir(parents=True)
    rows = "\n".join(f"| row {r} | {r * 3} | {r * 7} |" for r in range(10))
    for i in range(pages):
        name = "index.md" if i == 0 else f"p{i:05d}.md"
        (docs / name).write_text(f"# Page {i}\n\nA paragraph of text for page {i}.\n\n| a | b | c |\n|---|---|---|\n{rows}\n")
    (dest / "mkdocs.yml").write_text(
        "site_name: Plain\nsite_url: http://localhost/\ntheme:\n  name: material\n  font: false\n"
        "nav:\n  - Home: index.md\nplugins:\n  - search\n"
    )
    return dest


def timed(cmd: list[str], cwd: Path, env: dict, out: Path | None = None) -> tuple[float, int, float]:
    """Run a command; return its wall time, its peak memory (KiB, one process) and its CPU time (s, all processes).

    `out` (a build's site folder) is removed first, so neither build times the cleaning of an earlier one's output.
    """
    if out is not None:
        shutil.rmtree(out, ignore_errors=True)
    wrapper = (
        "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(u.ru_maxrss, u.ru_utime + u.ru_stime, file=sys.stderr); sys.exit(r.returncode)"
    )
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"command failed: {' '.join(cmd)}")
    peak, cpu = proc.stderr.strip().splitlines()[-1].split()
    return elapsed, int(peak), float(cpu)


SEARCH_INDEX = {"mkdocs": "search/search_index.json", "properdocs": "search/search_index.json", "zensical": "search.json"}


class Case:
    """One organization size: its generated data, its handbook build and the plain build of as many pages."""

    def __init__(self, teams: int, months: int, work: Path, engines: dict[str, str] | None = None,
                 data: Path | None = None):
        self.teams, self.work = teams, work
        org_dir = work / (f"org-{teams}" if data is None else "org-sample")
        t0 = time.perf_counter()
        if data is None:
            self.data = generate_org(org_dir, teams, months)
        else:
            self.data = data
            org_dir.mkdir(parents=True, exist_ok=True)
        self.generate_s = time.perf_counter() - t0
        self.env = dict(os.environ, HANDBOOK_DATA=str(self.data), NO_MKDOCS_2_WARNING="1")
        self.site = org_dir / "site"
        self.mk = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(self.site)]
        self.plain: Path | None = None
        self.hb = self.pl = (float("inf"), 0, float("inf"))  # fastest wall time, its peak memory, least CPU time
        self.rounds: list[tuple[float, float, float]] = []  # per round: wall ratio, CPU ratio, load average after
        self.engines = {name: cmd for name, cmd in (engines or {}).items() if name != "mkdocs"}
        self.by_engine = {name: (float("inf"), 0, float("inf")) for name in self.engines}
        self.engine_site = {"properdocs": org_dir / "site-properdocs", "zensical": org_dir / "generated" / "site"}

    def run(self) -> None:
        """Build the handbook, then the plain site (made on the first run, with as many pages as the handbook)."""
        hb = timed(self.mk, ROOT, self.env, self.site)
        self.hb = _best(self.hb, hb)
        if self.plain is None:
            self.pages = sum(1 for _ in self.site.rglob("index.html"))
            self.plain = generate_plain(self.work / f"plain-{self.teams}", self.pages)
        cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(self.plain / "site")]
        pl = timed(cmd, self.plain, self.env, self.plain / "site")
        self.pl = _best(self.pl, pl)
        self.rounds.append((hb[0] / pl[0], hb[2] / pl[2], os.getloadavg()[0]))  # this pair's wall and CPU ratios
        for name, command in self.engines.items():
            self.by_engine[name] = _best(self.by_engine[name], self._engine_build(name, command))

    def _engine_build(self, name: str, command: str) -> tuple[float, int, float]:
        site = self.engine_site[name]
        if name == "properdocs":
            return timed([command, "-m", "properdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
                         ROOT, self.env, site)
        # Zensical runs no hooks: `generate` writes the pages and the configuration, then Zensical builds them.
        out = site.parent
        gen = timed([sys.executable, "-m", "macros", "generate", str(out)], ROOT, self.env)
        env = dict(self.env, PYTHONPATH=str(ROOT))
        build = timed([command, "build", "-f", str(out / "mkdocs.yml")], out, env, site)
        return gen[0] + build[0], max(gen[1], build[1]), gen[2] + build[2]

    def result(self) -> dict:
        check_time, _, _ = timed([sys.executable, "-m", "macros", "check"], ROOT, self.env)
        sizes = sorted(p.stat().st_size for p in (self.site / "teams").glob("*/index.html"))
        csvs = list((self.data / "measurements").glob("*.csv"))
        rows = sum(1 for f in csvs for _ in f.open()) - len(csvs)
        engines = {"mkdocs": {"s": self.hb[0], "ratio": self.hb[0] / self.pl[0], "cpu_s": self.hb[2],
                              "search_kib": _kib(self.site / SEARCH_INDEX["mkdocs"])}}
        for name, best in self.by_engine.items():
            engines[name] = {"s": best[0], "ratio": best[0] / self.pl[0], "cpu_s": best[2],
                             "search_kib": _kib(self.engine_site[name] / SEARCH_INDEX[name])}
        return {
            "engines": engines, "data": self.data,
            "teams": self.teams, "figures": rows, "pages": self.pages, "generate_s": self.generate_s,
            "handbook_s": self.hb[0], "plain_s": self.pl[0], "ratio": self.hb[0] / self.pl[0],
            "handbook_cpu_s": self.hb[2], "plain_cpu_s": self.pl[2],
            "peak_mib": self.hb[1] / 1024, "plain_peak_mib": self.pl[1] / 1024, "check_s": check_time,
            "median_team_page_kib": statistics.median(sizes) / 1024 if sizes else 0.0,
            "max_team_page_kib": sizes[-1] / 1024 if sizes else 0.0, "rounds": self.rounds,
        }


def _kib(path: Path) -> float:
    return path.stat().st_size / 1024 if path.is_file() else float("nan")


def _best(best: tuple, new: tuple) -> tuple:
    """Keep the fastest wall time (with its run's peak memory) and the least CPU time."""
    wall, peak = min((best[0], best[1]), (new[0], new[1]))
    return wall, peak, min(best[2], new[2])


def run(sizes: list[int], months: int, work: Path, repeat: int, engines: dict[str, str] | None = None,
        sample: bool = False, pdf: bool = False) -> list[dict]:
    """Build every size `repeat` times, each round in turn (handbook, plain, next size...), and keep the fastest.

    Shared machines drift over minutes: interleaving the rounds lets every build, of every size, meet the same
    conditions, so the ratios and the growth compare like with like.
    """
    cases = [Case(n, months, work, engines) for n in sizes]
    if sample:
        import yaml as _yaml

        teams = len(_yaml.safe_load((ROOT / "data" / "teams.yml").read_text(encoding="utf-8")))
        cases.insert(0, Case(teams, months, work, engines, data=ROOT / "data"))
    for _ in range(repeat):
        for case in cases:
            case.run()
    results = [case.result() for case in cases]
    if pdf:
        for case, r in zip(cases, results, strict=True):
            r["pdf"] = print_pdfs(case)
    return results


def print_pdfs(case: Case) -> dict:
    """Print the briefing book of a case's built site, and its first unit's book; return pages, KiB and seconds."""
    import re

    units = yaml.safe_load((case.data / "teams.yml").read_text(encoding="utf-8"))
    first_unit = next(t["unit"] for t in units)
    out = {}
    for label, extra in (("book", []), (f"unit {first_unit}", ["--unit", first_unit])):
        pdf = case.site.parent / ("handbook.pdf" if not extra else "handbook-unit.pdf")
        cmd = [sys.executable, "-m", "macros.pdf", "--site", str(case.site), "--out", str(pdf), *extra]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=dict(case.env, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"python -m macros.pdf failed:\n{proc.stderr[-2000:]}")
        pages = int(re.search(r": ([0-9]+) pages", proc.stdout)[1])
        out[label] = {"pages": pages, "kib": pdf.stat().st_size / 1024, "s": elapsed}
    return out


def run_units(teams: int, units: list[int], months: int, work: Path, repeat: int) -> list[dict]:
    """Build the same number of teams grouped in each number of units (handbook builds only, rounds interleaved).

    The navigation's cost should not depend on the grouping: 1,000 teams in 1,000 units once took 107 s and a
    355 MB site, against 7.7 s and 42 MB in 10 units.
    """
    cases = []
    for n in units:
        data = generate_org(work / f"org-{teams}-in-{n}", teams, months, unit_size=-(-teams // n))
        env = dict(os.environ, HANDBOOK_DATA=str(data), NO_MKDOCS_2_WARNING="1")
        site = data.parent / "site"
        cases.append({"units": n, "env": env, "site": site, "best": (float("inf"), 0, float("inf"))})
    for _ in range(repeat):
        for c in cases:
            cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(c["site"])]
            c["best"] = _best(c["best"], timed(cmd, ROOT, c["env"], c["site"]))
    out = []
    for c in cases:
        size = sum(p.stat().st_size for p in c["site"].rglob("*") if p.is_file())
        out.append({"units": c["units"], "s": c["best"][0], "peak_mib": c["best"][1] / 1024, "site_mib": size / 2**20})
    for r in out:
        print(f"{teams} teams in {r['units']} units: build {r['s']:.1f} s, peak memory {r['peak_mib']:.0f} MiB, "
              f"site {r['site_mib']:.0f} MiB")
    if len(out) > 1:
        print(f"{out[-1]['units']} units took {out[-1]['s'] / out[0]['s']:.2f} times as long as {out[0]['units']} "
              "(goal <= 1.5)")
    return out


def make_bilingual(data: Path, teams: int) -> None:
    """Make a synthetic organization publish in English and French: languages [en, fr], and data/translations/fr.yml
    translating every other team's name and lead, every target's title and every practice's title (the rest shows
    in English, marked with its language)."""
    org = yaml.safe_load((data / "organization.yml").read_text(encoding="utf-8"))
    org["languages"] = ["en", "fr"]
    (data / "organization.yml").write_text(yaml.safe_dump(org, sort_keys=False), encoding="utf-8")
    team_ids = [t["id"] for t in yaml.safe_load((data / "teams.yml").read_text(encoding="utf-8"))]
    target_ids = [t["id"] for t in yaml.safe_load((data / "targets.yml").read_text(encoding="utf-8"))]
    fr = {
        "organization.yml": {"name": "Agence synthétique", "mission": "Servir chaque habitant vite et bien."},
        "teams.yml": {t: {"name": f"Équipe {i:04d}", "lead": "Responsable"} for i, t in enumerate(team_ids) if i % 2 == 0},
        "targets.yml": {t: {"title": f"Améliorer l'indicateur du groupe {k}"} for k, t in enumerate(target_ids)},
        "practices.yml": {n: {"title": f"Pratique {n}"} for n in range(1, 12)},
    }
    (data / "translations").mkdir(exist_ok=True)
    (data / "translations" / "fr.yml").write_text(yaml.safe_dump(fr, sort_keys=False, allow_unicode=True), encoding="utf-8")


def run_languages(teams: int, months: int, work: Path, repeat: int) -> dict:
    """The cost of a second language: the same organization built monolingual (English), then bilingual (English at
    the root, French in fr/, as `python -m macros.multilingual build` lays them out), rounds interleaved."""
    mono = generate_org(work / f"org-{teams}-en", teams, months)
    both = generate_org(work / f"org-{teams}-en-fr", teams, months)
    make_bilingual(both, teams)
    builds = {"monolingual": (mono, None, work / "site-en"), "bilingual en": (both, None, work / "site-en-fr"),
              "bilingual fr": (both, "fr", work / "site-en-fr-fr")}
    best = {k: (float("inf"), 0, float("inf")) for k in builds}
    for _ in range(repeat):
        for name, (data, lang, site) in builds.items():
            env = dict(os.environ, HANDBOOK_DATA=str(data), NO_MKDOCS_2_WARNING="1")
            env.pop("HANDBOOK_LANGUAGE", None)
            if lang:
                env["HANDBOOK_LANGUAGE"] = lang
            cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]
            best[name] = _best(best[name], timed(cmd, ROOT, env, site))
    env = dict(os.environ, HANDBOOK_DATA=str(both), NO_MKDOCS_2_WARNING="1")
    check = timed([sys.executable, "-m", "macros", "check"], ROOT, env)
    sizes = {name: sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20
             for name, (_d, _l, site) in builds.items()}
    out = {"teams": teams, "check_s": check[0], **{name: {"s": b[0], "cpu_s": b[2], "peak_mib": b[1] / 1024,
                                                         "site_mib": sizes[name]} for name, b in best.items()}}
    mono_s, en_s, fr_s = (out[k]["s"] for k in ("monolingual", "bilingual en", "bilingual fr"))
    for name in builds:
        r = out[name]
        print(f"{teams} teams, {name}: build {r['s']:.1f} s (CPU {r['cpu_s']:.1f} s), peak memory "
              f"{r['peak_mib']:.0f} MiB, site {r['site_mib']:.1f} MiB")
    print(f"a second language: {fr_s:.1f} s more, the bilingual site took {(en_s + fr_s) / mono_s:.2f} times the "
          f"monolingual build ({en_s + fr_s:.1f} s against {mono_s:.1f} s); the French build alone "
          f"{fr_s / mono_s:.2f} times")
    print(f"python -m macros check on the bilingual organization (with its translation warnings) {check[0]:.2f} s")
    return out


def report(r: dict) -> None:
    print(f"ratio handbook/plain build: {r['ratio']:.2f}  (goal <= 1.2, wall clock)")
    print(f"  teams {r['teams']}, figures {r['figures']:,}, pages {r['pages']}")
    print(f"  handbook build {r['handbook_s']:.1f} s, plain mkdocs-material build {r['plain_s']:.1f} s (fastest of each)")
    print(f"  CPU ratio handbook/plain: {r['handbook_cpu_s'] / r['plain_cpu_s']:.2f} (goal <= 1.5)")
    rounds = r.get("rounds", [])
    if len(rounds) > 1:
        print("  each round (handbook, then plain): wall ratio " + ", ".join(f"{w:.2f}" for w, _c, _l in rounds)
              + "; CPU ratio " + ", ".join(f"{c:.2f}" for _w, c, _l in rounds)
              + "; load after " + ", ".join(f"{load:.1f}" for _w, _c, load in rounds)
              + f" (medians {statistics.median(w for w, _c, _l in rounds):.2f} and "
              f"{statistics.median(c for _w, c, _l in rounds):.2f})")
    print(f"  CPU time (user + system, all processes): handbook {r['handbook_cpu_s']:.1f} s, plain {r['plain_cpu_s']:.1f} s "
          "(the handbook renders pages on a second core too; the ratio above is of wall-clock times)")
    print(f"  peak memory of the handbook build {r['peak_mib']:.0f} MiB (plain {r['plain_peak_mib']:.0f} MiB; goal < 1024)")
    print(f"  median team page {r['median_team_page_kib']:.1f} KiB, largest {r['max_team_page_kib']:.1f} KiB (goal < 150)")
    print(f"  python -m macros check {r['check_s']:.2f} s (goal <= 3)")
    if len(r["engines"]) > 1:
        for name, e in r["engines"].items():
            print(f"  engine {name}: build {e['s']:.2f} s, {e['ratio']:.2f} times the plain MkDocs build "
                  f"(CPU {e['cpu_s']:.1f} s against {r['plain_cpu_s']:.1f} s); search index {e['search_kib']:.0f} KiB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--teams", type=int, default=1000)
    ap.add_argument("--months", type=int, default=60)
    ap.add_argument("--also", type=int, default=0, help="also run this many teams and print the growth ratio")
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated projects in this folder")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each build; the fastest of each is compared")
    ap.add_argument("--engines", default="mkdocs", help="comma-separated: mkdocs, properdocs, zensical")
    ap.add_argument("--properdocs", default=".venv-properdocs/bin/python", help="a Python with properdocs installed")
    ap.add_argument("--zensical", default=".venv-zensical/bin/zensical", help="the zensical command")
    ap.add_argument("--sample", action="store_true", help="also build the sample organization (data/)")
    ap.add_argument("--pdf", action="store_true", help="also print each organization's briefing book and one unit's")
    ap.add_argument("--write-org", type=Path, default=None, metavar="DIR",
                    help="only write a synthetic organization of --teams teams under DIR/data, and exit")
    ap.add_argument("--units", default="", metavar="N,M",
                    help="instead: build --teams teams grouped in N units, then in M, and compare (e.g. 10,1000)")
    ap.add_argument("--languages", action="store_true",
                    help="instead: the cost of a second language (English and French builds of --teams teams)")
    ap.add_argument("--serve", type=int, default=0, metavar="N",
                    help="also time the live preview: first page, then N figure edits and N target edits")
    args = ap.parse_args()
    if args.units or args.languages:
        work = args.keep or Path(tempfile.mkdtemp(prefix="hb-bench-"))
        try:
            if args.languages:
                run_languages(args.teams, args.months, work, args.repeat)
            else:
                run_units(args.teams, [int(n) for n in args.units.split(",")], args.months, work, args.repeat)
        finally:
            if args.keep is None:
                shutil.rmtree(work, ignore_errors=True)
        return 0
    if args.write_org:
        print(generate_org(args.write_org, args.teams, args.months))
        return 0
    names = [n.strip() for n in args.engines.split(",") if n.strip()]
    unknown = set(names) - set(SEARCH_INDEX)
    if unknown:
        ap.error(f"unknown engine(s): {', '.join(sorted(unknown))}")
    engines = {n: {"mkdocs": "", "properdocs": args.properdocs, "zensical": args.zensical}[n] for n in names}
    work = args.keep or Path(tempfile.mkdtemp(prefix="hb-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    try:
        results = run([args.teams] + ([args.also] if args.also else []), args.months, work, args.repeat, engines,
                      args.sample, pdf=args.pdf)
        print(f"load average at the end of the builds: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        for r in results:
            report(r)
            if args.serve:
                from bench_serve import measure_serve, report_serve

                report_serve(measure_serve(r["data"], args.serve, work / f"serve-{r['teams']}"))
            for label, p in r.get("pdf", {}).items():
                print(f"  briefing {label}: {p['pages']} pages, {p['kib']:,.0f} KiB, printed in {p['s']:.1f} s")
        if args.also:
            first, second = results[-2:]
            print(f"growth: {args.also} teams took {second['handbook_s'] / first['handbook_s']:.2f} times as long as "
                  f"{args.teams} (goal <= 2.2 for double; the plain builds: "
                  f"{second['plain_s'] / first['plain_s']:.2f} times)")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
