"""Command line: `python -m macros check | status [--json] | diff BASE | generate DIR`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import DataError


def default_data_dir() -> Path:
    """Return data/ of the handbook: $HANDBOOK_DATA, else ./data."""
    return Path(os.environ.get("HANDBOOK_DATA") or "data")


def default_docs_dir() -> Path:
    """Return the contributor pages' folder: $HANDBOOK_DOCS, else ./docs."""
    return Path(os.environ.get("HANDBOOK_DOCS") or "docs")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros", description="The performance handbook's data tools.")
    parser.add_argument("--data", type=Path, default=None, help="the data folder (default: $HANDBOOK_DATA or ./data)")
    sub = parser.add_subparsers(dest="command", required=True)
    ck = sub.add_parser("check", help="check the pages for template code, validate data/; print every problem, exit 1 on any")
    ck.add_argument("--docs", type=Path, default=None, help="the pages' folder (default: $HANDBOOK_DOCS or ./docs)")
    st = sub.add_parser("status", help="print the status of every target for every team")
    st.add_argument("--json", action="store_true", help="print a JSON list of objects")
    df = sub.add_parser("diff", help="print a Markdown report of target changes since a git revision")
    df.add_argument("base", metavar="BASE", help="a git revision, e.g. origin/main")
    gn = sub.add_parser("generate", help="write the pages made from data and the configuration for an engine without hooks")
    gn.add_argument("dir", metavar="DIR", type=Path, help="the folder to write (e.g. generated/; inside the project)")
    gn.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the project's configuration (default: mkdocs.yml)")
    gn.add_argument("--engine", choices=["zensical", "mkdocs"], default="zensical", help="the engine that builds it")
    args = parser.parse_args(argv)
    data_dir = args.data or default_data_dir()
    try:
        if args.command == "check":
            return _check(data_dir, args.docs or default_docs_dir())
        if args.command == "status":
            return _status(data_dir, args.json)
        if args.command == "diff":
            from .diff import run_diff

            return run_diff(args.base, data_dir)
        if args.command == "generate":
            return _generate(data_dir, args.dir, args.config, args.engine)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    return 2


def _check(data_dir: Path, docs_dir: Path) -> int:
    from .pagecheck import check_pages, report
    from .validate import validate_data

    # First, and whatever the data holds: no template code in the contributor pages, front matter included.
    pages = check_pages(docs_dir) if docs_dir.is_dir() else []
    if pages:
        print(report(pages), file=sys.stderr)
    try:
        hb = validate_data(data_dir)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    if pages:
        return 1
    rows = len(hb.measurements)
    print(
        f"{data_dir}: valid. {len(hb.teams)} teams, {len(hb.indicators)} indicators, {len(hb.deficits)} deficits, "
        f"{len(hb.targets)} targets, {rows} figures."
    )
    return 0


def _generate(data_dir: Path, out: Path, config_file: Path, engine: str) -> int:
    from .generate import write_generated
    from .registry import load_macros
    from .site import load_site

    load_macros()
    site = load_site(data_dir)
    try:
        pages = write_generated(site, out, config_file, engine)
    except (ValueError, OSError) as exc:
        print(f"generate: {exc}", file=sys.stderr)
        return 2
    print(f"{out}: {len(pages)} generated pages and mkdocs.yml for {engine}; build with: "
          f"PYTHONPATH=. {'zensical build -f' if engine == 'zensical' else 'mkdocs build -f'} {out / 'mkdocs.yml'}")
    return 0


def _status(data_dir: Path, as_json: bool) -> int:
    from .derive import derive_statuses
    from .validate import validate_data

    hb = validate_data(data_dir)
    statuses = derive_statuses(hb)
    freq = hb.frequency
    rows = [s.as_dict(freq) for s in statuses]
    if as_json:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    headers = ["target", "team", "period", "value", "expected", "status", "distortions"]
    table = [
        [
            r["target"], r["team"], r["period"] or "-",
            _num(r["value"]), _num(r["expected"]), r["status"], ", ".join(r["distortions"]) or "-",
        ]
        for r in rows
    ]
    widths = [max(len(h), *(len(str(row[i])) for row in table)) if table else len(h) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    for row in table:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return 0


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.0f}"
