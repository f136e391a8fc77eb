"""Command line: `python -m macros [--data DIR] check [--format text|github|json] | status [--json] | diff BASE
| generate DIR | due [--json] [--team ID] [--rows]`.

`status` and `diff` show an edition: $HANDBOOK_EDITION or `--edition` (intranet, the default, or public).

Text from data reaches the terminal and CI logs escaped (macros.errors.terminal_safe): no raw newline, no control
sequence, no line a GitHub runner would read as a workflow command.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .derive import derive_statuses
from .edition import PUBLIC, EditionError, edition_from_env, for_edition, parse_edition, public_view
from .errors import (
    DataError,
    Problem,
    annotation_file,
    folder_label,
    safe_lines,
    terminal_safe,
    to_json,
    workflow_command,
)
from .fairness import baseline_warnings
from .languages import build_language, translation_warnings
from .projection import derive_projections, projection_fields
from .validate import validate_data
from .words import plural

FORMATS = ("text", "github", "json")


def default_data_dir() -> Path:
    """Return data/ of the handbook: $HANDBOOK_DATA, else ./data."""
    return Path(os.environ.get("HANDBOOK_DATA") or "data")


DATA_HELP = "the data folder (default: $HANDBOOK_DATA or ./data)"


def default_docs_dir() -> Path:
    """Return the contributor pages' folder: $HANDBOOK_DOCS, else ./docs."""
    return Path(os.environ.get("HANDBOOK_DOCS") or "docs")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros", description="The performance handbook's data tools.")
    parser.add_argument("--data", type=Path, default=None, help=DATA_HELP)
    # `--data` is accepted after the subcommand too (`python -m macros check --data DIR`); there it wins.
    data_opt = argparse.ArgumentParser(add_help=False)
    data_opt.add_argument("--data", type=Path, default=argparse.SUPPRESS, help=DATA_HELP)
    sub = parser.add_subparsers(dest="command", required=True)
    ck = sub.add_parser(
        "check", parents=[data_opt],
        help="check the pages for template code, validate data/; print every problem, exit 1 on any",
    )
    ck.add_argument("--docs", type=Path, default=None, help="the pages' folder (default: $HANDBOOK_DOCS or ./docs)")
    ck.add_argument(
        "--format", choices=FORMATS, default=None,
        help="text (the default), github (text, and each problem as a workflow command: the default when "
        "GITHUB_ACTIONS=true) or json (for other tools)",
    )
    edition_opt = argparse.ArgumentParser(add_help=False)
    edition_opt.add_argument(
        "--edition", default=None, metavar="EDITION",
        help="intranet (everything, the default) or public (the public records alone); default $HANDBOOK_EDITION",
    )
    st = sub.add_parser("status", parents=[data_opt, edition_opt], help="print the status of every target for every team")
    st.add_argument("--json", action="store_true", help="print a JSON list of objects")
    du = sub.add_parser("due", parents=[data_opt, edition_opt],
                        help="list every figure due and not in, as of today ($HANDBOOK_TODAY for tests)")
    du.add_argument("--json", action="store_true", help="print a JSON list of objects")
    du.add_argument("--team", default=None, metavar="ID", help="only this team")
    du.add_argument("--rows", action="store_true",
                    help="print the CSV rows each team owes now (its file named on stderr), to fill and add")
    df = sub.add_parser("diff", parents=[data_opt, edition_opt],
                        help="print a Markdown report of target changes since a git revision")
    df.add_argument("base", metavar="BASE", help="a git revision, e.g. origin/main")
    gn = sub.add_parser("generate", parents=[data_opt], help="write the pages made from data and the configuration for an engine without hooks")
    gn.add_argument("dir", metavar="DIR", type=Path, help="the folder to write (e.g. generated/; inside the project)")
    gn.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the project's configuration (default: mkdocs.yml)")
    gn.add_argument("--engine", choices=["zensical", "mkdocs"], default="zensical", help="the engine that builds it")
    args = parser.parse_args(argv)
    data_dir = args.data or default_data_dir()
    folder = folder_label(data_dir)
    fmt = "text"
    if args.command == "check":
        fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    try:
        edition = _edition(getattr(args, "edition", None))  # check refuses an unknown $HANDBOOK_EDITION too
        if args.command == "check":
            return _check(data_dir, args.docs or default_docs_dir(), folder, fmt, edition)
        if args.command == "status":
            return _status(data_dir, args.json, edition)
        if args.command == "due":
            from .due_cli import run_due  # each command loads what it runs (see tests/test_imports.py)

            return run_due(data_dir, edition, args.team, args.json, args.rows)
        if args.command == "diff":
            from .diff import run_diff

            return run_diff(args.base, data_dir, edition)
        if args.command == "generate":
            return _generate(data_dir, args.dir, args.config, args.engine)
    except EditionError as exc:
        print(f"error: {terminal_safe(str(exc))}", file=sys.stderr)
        return 2
    except DataError as exc:
        _report(exc, folder, fmt)
        return 1
    return 2


def _report(exc: DataError | None, folder: str, fmt: str, pages: list[Problem] | None = None) -> None:
    """Print problems: the text report on stderr; workflow commands or JSON on stdout."""
    pages = pages or []
    problems = exc.problems if exc is not None else []
    if fmt == "json":
        found = [{k: v for k, v in _page_problem(line).items() if k != "title"} for line in pages] + (exc.as_json(folder) if exc is not None else [])
        print(to_json({"valid": False, "problems": found}))
        return
    if exc is not None:
        print(exc.report(folder), file=sys.stderr)  # escaped line by line already
    if fmt == "github":
        sys.stderr.flush()
        for line in pages:
            page = _page_problem(line)
            print(workflow_command("error", page["message"], file=page["file"], line=page["line"],
                                   title=page["title"]))
        for line in exc.annotations(folder) if problems else []:
            print(line)


def _page_problem(p: Problem) -> dict:
    """A template-code finding (pagecheck.PageProblem) or a refused file (filecheck.FileProblem): a Problem, whose
    message names its file and line already, in the JSON shape of a data problem (with a title for annotations)."""
    return {"file": p.file, "line": p.line, "record": p.record, "field": p.field, "expected": p.expected,
            "found": p.found, "message": p.message(), "title": p.title()}


def _check(data_dir: Path, docs_dir: Path, folder: str, fmt: str = "text", edition: str = "intranet") -> int:
    from .pagecheck import check_pages, report  # the page macros' table: only `check` needs it

    # First, and whatever the data holds: no template code in the contributor pages, front matter included.
    # The theme overrides beside the pages are checked for links and names too (macros/filecheck.py).
    pages = check_pages(docs_dir, docs_dir.parent / "overrides", data_dir, edition == PUBLIC) \
        if docs_dir.is_dir() or docs_dir.is_symlink() else []
    if pages and fmt != "json":
        print(safe_lines(report(pages)), file=sys.stderr)
    try:
        hb = validate_data(data_dir)
    except DataError as exc:
        _report(exc, folder, fmt, pages)
        return 1
    if pages:
        if fmt != "text":
            _report(None, folder, fmt, pages)
        return 1
    build_language(hb.organization)  # a $HANDBOOK_LANGUAGE the organization does not write: an error, as in a build
    counts = _counts(hb)
    public = _counts(public_view(hb)) if edition == PUBLIC else None  # what the public edition holds, when asked
    warnings = _warnings(hb, folder, fmt, data_dir)
    if fmt == "json":
        print(to_json({"valid": True, "problems": [], "counts": counts, **({"public_counts": public} if public else {}),
                       "warnings": warnings}))
        return 0
    summary = ", ".join(plural(n, what[:-1]) for what, n in counts.items())  # "1 team", "2 teams"
    if public:
        summary += ". The public edition: " + ", ".join(plural(n, what[:-1]) for what, n in public.items())
    print(safe_lines(f"{folder or '.'}: valid. {summary}."))
    return 0


def _warnings(hb, folder: str, fmt: str, data_dir: Path | None = None) -> list[dict]:
    """Print what `check` warns about (valid data that a reader may misread; exit status stays 0): on stderr as text,
    and as workflow warnings with `--format github`. Returns them in the JSON shape of problems."""
    found = baseline_warnings(hb) + (translation_warnings(data_dir, hb) if data_dir is not None else [])
    if not found:
        return []
    listed = DataError(found)  # sorted and deduplicated as errors are
    if fmt != "json":
        n = listed.total
        head = f"{n:,} warning{'s' if n != 1 else ''} (not errors: the data is valid):"
        print(safe_lines("\n".join([head, *(f"  warning: {p.render(folder)}" for p in listed.problems)])), file=sys.stderr)
    if fmt == "github":
        sys.stderr.flush()
        for p in listed.problems:
            print(workflow_command("warning", p.message(), file=annotation_file(p.file, folder), line=p.line,
                                   title=p.title()))
    return listed.as_json(folder)


def _generate(data_dir: Path, out: Path, config_file: Path, engine: str) -> int:
    from .engines.zensical_adapter import RefusedFiles, write_generated  # the one use of the engine folder
    from .site import load_site

    site = load_site(data_dir)
    try:
        pages = write_generated(site, out, config_file, engine)
    except RefusedFiles as exc:
        print(safe_lines(f"generate: {exc}"), file=sys.stderr)
        return 1
    except (ValueError, OSError) as exc:
        print(f"generate: {exc}", file=sys.stderr)
        return 2
    print(f"{out}: {len(pages)} generated pages and mkdocs.yml for {engine}; build with: "
          f"PYTHONPATH=. {'zensical build -f' if engine == 'zensical' else 'mkdocs build -f'} {out / 'mkdocs.yml'}")
    return 0


def _counts(hb) -> dict[str, int]:
    """What a Handbook holds, for `check`'s summary."""
    return {"teams": len(hb.teams), "indicators": len(hb.indicators), "deficits": len(hb.deficits),
            "targets": len(hb.targets), "figures": len(hb.measurements)}


def _edition(option: str | None) -> str:
    """The edition a command shows: --edition, else $HANDBOOK_EDITION, else intranet."""
    return edition_from_env() if option is None else parse_edition(option, "--edition")


def _status(data_dir: Path, as_json: bool, edition: str = "intranet") -> int:
    hb = for_edition(validate_data(data_dir), edition)
    statuses = derive_statuses(hb)
    freq = hb.frequency
    projections = derive_projections(hb, statuses)
    rows = [{**s.as_dict(freq), **projection_fields(projections.get((s.target, s.team)), freq)} for s in statuses]
    if as_json:
        print(to_json(rows))
        return 0
    headers = ["target", "team", "period", "value", "expected", "status", "distortions", "deadline"]
    table = [
        [
            r["target"], r["team"], r["period"] or "-",
            _num(r["value"]), _num(r["expected"]), r["status"], ", ".join(r["distortions"]) or "-", _deadline(r),
        ]
        for r in rows
    ]
    table = [[terminal_safe(str(c)) for c in row] for row in table]
    widths = [max(len(h), *(len(row[i]) for row in table)) if table else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table]
    print(safe_lines("\n".join(lines)))
    return 0


def _deadline(row: dict) -> str:
    """Say a row's deadline: the period while ahead, else whether it was met then ("2026-06 passed, not met")."""
    if not row["deadline_passed"]:
        return row["deadline"] or "-"
    met = {True: "met", False: "not met", None: "not known"}[row["met_at_deadline"]]
    return f"{row['deadline']} passed, {met}" + (", past target" if row.get("past_target") else "")


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.0f}"
