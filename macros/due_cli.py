"""`python -m macros due [--json] [--team ID] [--rows] [--edition public]`: the figures due and not in.

Text from data reaches the terminal escaped (macros.errors.terminal_safe), as for every other command.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .due import derive_dues
from .edition import for_edition
from .errors import safe_lines, terminal_safe, to_json
from .validate import validate_data


def run_due(data_dir: Path, edition: str, team: str | None, as_json: bool, rows: bool) -> int:
    """Print the late figures (or, with rows, the CSV rows each team owes now); exit 0, or 2 for an unknown team."""
    hb = for_edition(validate_data(data_dir), edition)
    if team is not None and team not in hb.teams:
        where = " in the public edition" if edition == "public" else ""
        print(f"error: --team: no team {terminal_safe(repr(team))}{where} (see data/teams.yml)", file=sys.stderr)
        return 2
    dues = derive_dues(hb)
    if rows:
        for t in dues.teams.values():
            if (team is not None and t.team != team) or not t.owed:
                continue
            what = "a new file" if not t.file_exists else "the end of"
            print(terminal_safe(f"# {t.team}: add to {what} {t.file}, with each value (and a note if needed):"),
                  file=sys.stderr)
            sys.stderr.flush()
            print(t.rows(hb.frequency), end="")
            sys.stdout.flush()
        return 0
    found = dues.as_json(team)
    if as_json:
        print(to_json(found))
        return 0
    if not found:
        who = f"team {team}" if team else "any team"
        print(terminal_safe(f"No figure is late for {who} as of {dues.as_of.isoformat()}."))
        return 0
    headers = ["team", "indicator", "period", "due", "days late", "contacts"]
    table = [[r["team"], r["indicator"], r["period"], r["due_date"], str(r["days_late"]),
              " ".join("@" + c for c in r["contacts"]) or "-"] for r in found]
    table = [[terminal_safe(c) for c in row] for row in table]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table]
    teams = len({r["team"] for r in found})
    lines.append(f"{len(found)} figure{'s' if len(found) != 1 else ''} late from {teams} team{'s' if teams != 1 else ''}"
                 f" as of {dues.as_of.isoformat()}.")
    print(safe_lines("\n".join(lines)))
    return 0
