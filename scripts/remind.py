"""Remind teams of late figures: one GitHub issue per team and period, opened, kept current, closed when they land.

Run daily by .github/workflows/reminders.yml (and by hand), with the GitHub CLI `gh` and a token that may write
issues; `--dry-run` prints what it would do and writes nothing (the pull-request workflow runs it with `--offline`,
which does not call `gh` at all).

- Each issue carries the label `figures-late` and a hidden marker (`<!-- handbook-reminder team=ID period=P -->`)
  in its body, and is titled `Figures late: ID, PERIOD`: the next run finds it again by its marker (or, if the body
  was edited, by its title), open or closed,
  so there is never a second issue for the same team and period (an issue someone closed by hand stays closed).
- While figures stay missing, the body is rewritten when it changes (the rows still to fill, the days late); a run
  the same day changes nothing.
- When no figure of that period is late any more (they landed on the default branch), the issue is closed with a
  comment.
- Text from data reaches an issue escaped: ids and periods are slugs; a team's or indicator's name is escaped for
  Markdown with every @ and # neutralised, so no mention, link or reference is forged from data. Only the team's
  `contacts`, validated as GitHub handles, are mentioned.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.diff import inline  # noqa: E402
from macros.due import Dues, Owed, TeamDue, derive_dues  # noqa: E402
from macros.errors import DataError, safe_lines, terminal_safe  # noqa: E402
from macros.model import Handbook  # noqa: E402
from macros.periods import format_period  # noqa: E402

LABEL = "figures-late"
MARKER = re.compile(r"<!-- handbook-reminder team=([a-z0-9-]+) period=([0-9]{4}-(?:[0-9]{2}|Q[1-4])) -->")
TITLE = re.compile(r"Figures late: ([a-z0-9-]+), ([0-9]{4}-(?:[0-9]{2}|Q[1-4]))")
WORD_JOINER = "\u2060"
_SAFE_PATH = re.compile(r"[A-Za-z0-9._/-]+")


def title_of(team: str, period: str) -> str:
    return f"Figures late: {team}, {period}"


def marker_of(team: str, period: str) -> str:
    return f"<!-- handbook-reminder team={team} period={period} -->"


def plain(text: str) -> str:
    """Data text for an issue: Markdown escaped, no mention (@), reference (#) or autolink forged from it."""
    out = inline(text)
    return out.replace("@", "@" + WORD_JOINER).replace("#", "#" + WORD_JOINER)


def edit_base_from_env() -> str:
    """The editor's address on GitHub: $HANDBOOK_EDIT_BASE, else the repository's default branch from Actions."""
    if os.environ.get("HANDBOOK_EDIT_BASE"):
        return os.environ["HANDBOOK_EDIT_BASE"].rstrip("/")
    server, repo = os.environ.get("GITHUB_SERVER_URL", ""), os.environ.get("GITHUB_REPOSITORY", "")
    branch = os.environ.get("HANDBOOK_BRANCH") or os.environ.get("GITHUB_REF_NAME") or "main"
    return f"{server}/{repo}/edit/{quote(branch)}" if server and repo else ""


def reminders(hb: Handbook, dues: Dues, edit_base: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(team, period) -> (title, body) of every reminder due today."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for td in dues.teams.values():
        periods: dict[int, list[Owed]] = {}
        for o in td.late:
            periods.setdefault(o.period, []).append(o)
        for period, owed in sorted(periods.items()):
            p = format_period(period, hb.frequency)
            out[(td.team, p)] = (title_of(td.team, p), body_of(hb, td, p, owed, edit_base))
    return out


def body_of(hb: Handbook, td: TeamDue, period: str, owed: list[Owed], edit_base: str) -> str:
    team = hb.teams[td.team]
    due = min(o.due_date for o in owed)
    days = max(o.days_late for o in owed)
    rows = "\n".join(o.row(hb.frequency) for o in owed)
    file = f"`{td.file}`" if _SAFE_PATH.fullmatch(td.file) else plain(td.file)
    lines = [
        marker_of(td.team, period),
        f"Figures for **{period}** from **{plain(team.name)}** (`{td.team}`) were due on {due.isoformat()} and are "
        f"{days} day{'s' if days != 1 else ''} late ({dues_word(len(owed))} missing).",
        "",
    ]
    if td.contacts:
        lines += ["For: " + " ".join("@" + c for c in td.contacts), ""]
    where = "a new file" if not td.file_exists else "the end of"
    lines += [f"Add these rows to {where} {file}, fill in each value (and a note where a figure needs one), and open "
              "a pull request:", "", "```csv", *([] if td.file_exists else ["team,indicator,period,value,note"]),
              rows, "```", ""]
    if edit_base and td.file_exists and _SAFE_PATH.fullmatch(td.file):
        lines += [f"Edit the file: {edit_base}/{quote(td.file)}", ""]
    lines += ["| Indicator | Id | Due |", "|---|---|---|"]
    for o in owed:
        ind = hb.indicators.get(o.indicator)
        name = plain(ind.name) if ind is not None else ""
        lines.append(f"| {name} | `{o.indicator}` | {o.due_date.isoformat()} |")
    lines += ["", f"The same rows from a terminal: `python -m macros due --rows --team {td.team}`. This issue is "
              "updated while the figures stay missing, and closed when they are in on the default branch."]
    return "\n".join(lines) + "\n"


def dues_word(n: int) -> str:
    return f"{n} figure{'s' if n != 1 else ''}"


class Gh:
    """The GitHub CLI, or nothing when offline; in a dry run, every write is printed instead of run."""

    def __init__(self, repo: str, dry_run: bool, offline: bool):
        self.repo, self.dry_run, self.offline = repo, dry_run, offline

    def _run(self, args: list[str], stdin: str | None = None) -> str:
        cmd = ["gh", *args] + (["--repo", self.repo] if self.repo else [])
        done = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"gh {args[0]} {args[1]} failed: {terminal_safe(done.stderr.strip()[:500])}")
        return done.stdout

    def issues(self) -> list[dict]:
        if self.offline:
            return []
        text = self._run(["issue", "list", "--label", LABEL, "--state", "all", "--limit", "10000",
                          "--json", "number,title,body,state"])
        return json.loads(text or "[]")

    def labels(self) -> set[str]:
        if self.offline:
            return {LABEL}
        return {item["name"] for item in json.loads(self._run(["label", "list", "--limit", "1000", "--json", "name"]) or "[]")}

    def write(self, what: str, args: list[str], stdin: str | None = None) -> None:
        print(terminal_safe(("would " if self.dry_run else "") + what))
        if not self.dry_run:
            self._run(args, stdin)


def run(data: Path, gh: Gh, edit_base: str) -> int:
    from macros.validate import validate_data

    try:
        hb = validate_data(data)  # the intranet edition: reminders go to every team
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    dues = derive_dues(hb)
    wanted = reminders(hb, dues, edit_base)
    found: dict[tuple[str, str], dict] = {}
    for issue in sorted(gh.issues(), key=lambda i: i["number"]):
        # By the marker in its body, else by its title (someone may have edited the body).
        m = MARKER.search(issue.get("body") or "") or TITLE.fullmatch(issue.get("title") or "")
        if m and (m.group(1), m.group(2)) not in found:
            found[(m.group(1), m.group(2))] = issue
    if wanted and LABEL not in gh.labels():
        gh.write(f"create the label {LABEL}", ["label", "create", LABEL, "--color", "d93f0b",
                                               "--description", "Figures late (opened by the handbook's reminders)"])
    counts = {"opened": 0, "updated": 0, "closed": 0, "unchanged": 0}
    for key, (title, body) in wanted.items():
        issue = found.get(key)
        if issue is None:
            gh.write(f"open: {title}", ["issue", "create", "--title", title, "--label", LABEL, "--body-file", "-"], body)
            counts["opened"] += 1
        elif issue.get("state", "OPEN").upper() != "OPEN":
            counts["unchanged"] += 1  # closed by someone while late: respected, never opened again
        elif issue.get("body") != body:
            gh.write(f"update #{issue['number']}: {title}", ["issue", "edit", str(issue["number"]), "--body-file", "-"], body)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    for key, issue in found.items():
        if key in wanted or issue.get("state", "OPEN").upper() != "OPEN":
            continue
        team, period = key
        comment = (f"The figures for {period} from `{team}` are in on the default branch as of "
                   f"{dues.as_of.isoformat()} (or no longer owed). Closing this reminder.")
        gh.write(f"close #{issue['number']}: {issue.get('title', '')}",
                 ["issue", "close", str(issue["number"]), "--comment", comment])
        counts["closed"] += 1
    print(terminal_safe(", ".join(f"{n} {what}" for what, n in counts.items())
                        + (" (dry run: nothing written)" if gh.dry_run else "")))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("HANDBOOK_DATA") or ROOT / "data"))
    parser.add_argument("--repo", default=os.environ.get("GH_REPO", ""), help="OWNER/NAME (default: $GH_REPO, or gh's own)")
    parser.add_argument("--dry-run", action="store_true", help="print what would be done; write nothing")
    parser.add_argument("--offline", action="store_true", help="a dry run that does not call gh (as if no issue exists)")
    parser.add_argument("--show", action="store_true", help="print each reminder's title and body too")
    args = parser.parse_args(argv)
    gh = Gh(args.repo, args.dry_run or args.offline, args.offline)
    if args.show:
        from macros.validate import validate_data

        try:
            hb = validate_data(args.data)
        except DataError as exc:  # the same report as `check`, never a traceback
            print(exc.report(), file=sys.stderr)
            return 1
        for title, body in reminders(hb, derive_dues(hb), edit_base_from_env()).values():
            print(safe_lines(f"=== {title}\n{body}"))
    return run(args.data, gh, edit_base_from_env())


if __name__ == "__main__":
    sys.exit(main())
