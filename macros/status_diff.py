"""The statuses a change moves: the part of `python -m macros diff BASE` that says what a pull request does to them.

A pull request that adds a month of figures, or changes a target, moves some team's status on some target. The
report lists each (team, target) pair whose status differs between BASE and the working tree, with the figure
behind the new status: "Alpha Team, Cut waiting: on track -> at risk (4.2 days in 2026-11)". Both sides are
validated and derived exactly as the site does (macros/derive.py), so the report says what the site will show.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from .derive import TeamStatus, derive_statuses
from .edition import for_edition
from .errors import DataError
from .git import GitError, blobs_at
from .model import Handbook, Status
from .periods import format_period
from .report_text import _value, inline
from .validate import validate_data


@dataclass(frozen=True)
class StatusChange:
    """One (target, team) pair whose status differs between BASE and now (None: not tracked on that side)."""

    target: str
    team: str
    old: TeamStatus | None
    new: TeamStatus | None


def measurement_files_at(commit: str, top: Path, prefix: str) -> dict[str, bytes]:
    """Return the files under the data folder's measurements/ at a commit, by path inside the data folder."""
    folder = f"{prefix}measurements/"

    def inside(path: str) -> str | None:
        return path[len(prefix):] if path.startswith(folder) and ".." not in path.split("/") else None

    return blobs_at(commit, top, ["-r", "--full-tree", commit, "--", folder], inside)


def handbook_at(files: dict[str, bytes], edition: str = "intranet") -> Handbook | None:
    """Validate the data of a revision (its files by path inside the data folder); None when it does not pass."""
    if "organization.yml" not in files:
        return None
    with tempfile.TemporaryDirectory(prefix="handbook-base-") as tmp:
        root = Path(tmp)
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        try:
            return for_edition(validate_data(root), edition)
        except DataError:
            return None


def derive_status_changes(old: Handbook, new: Handbook) -> list[StatusChange]:
    """Every (target, team) pair whose status moved, in the working tree's order, then pairs no longer tracked."""
    before = {(s.target, s.team): s for s in derive_statuses(old)}
    after = {(s.target, s.team): s for s in derive_statuses(new)}
    out = [
        StatusChange(t, team, before.get((t, team)), s)
        for (t, team), s in after.items()
        if (t, team) not in before or before[(t, team)].status != s.status
    ]
    out += [StatusChange(t, team, s, None) for (t, team), s in before.items() if (t, team) not in after]
    return out


def _figure(s: TeamStatus, hb: Handbook) -> str:
    """The figure behind a status: '4.2 days in 2026-11', with how far behind when it is stale."""
    if s.status == Status.NO_DATA or s.period is None:
        return "no figure since the baseline"
    indicator = hb.indicators.get(s.indicator)
    text = f"{_value(s.value, indicator)} in {format_period(s.period, hb.frequency)}"
    if s.status == Status.STALE and s.periods_behind:
        n = s.periods_behind
        text += f", {n} period{'s' if n != 1 else ''} behind the latest reported"
    return text


NOTE_MAX = 200  # a pull request's summary quotes a note; the site has it whole


def _note(s: TeamStatus, hb: Handbook) -> str:
    """The note on the figure behind a status, quoted and escaped for Markdown ('' without one)."""
    if s.period is None:
        return ""
    series = hb.series_for(s.team, s.indicator)
    if series is None or s.period not in series.periods:
        return ""
    text = " ".join(series.notes[series.periods.index(s.period)].split())
    if not text:
        return ""
    if len(text) > NOTE_MAX:
        text = text[:NOTE_MAX].rsplit(" ", 1)[0] + " …"
    return f"; note: “{inline(text)}”"


def _label(change: StatusChange, old: Handbook, new: Handbook) -> str:
    hb = new if change.target in new.targets else old
    team = hb.teams.get(change.team) or old.teams.get(change.team)
    target = hb.targets.get(change.target)
    team_name = inline(team.name) if team else inline(change.team)
    title = inline(target.title) if target else inline(change.target)
    return f"{team_name}, {title}"


def _cause(change: StatusChange, old: Handbook, new: Handbook) -> str:
    """Why the status moved, when it was not a new figure: the target itself, or another team's later figures."""
    o, n = change.old, change.new
    if o is None or n is None:
        return ""
    causes = []
    if old.targets.get(change.target) != new.targets.get(change.target) and _target_moved(change.target, old, new):
        causes.append("the target changed")
    if (o.period, o.value) == (n.period, n.value) and o.periods_behind != n.periods_behind:
        causes.append("other teams reported later periods")
    return "; ".join(causes)


def _target_moved(t_id: str, old: Handbook, new: Handbook) -> bool:
    a, b = old.targets.get(t_id), new.targets.get(t_id)
    if a is None or b is None:
        return False
    return (a.baseline, a.target, a.indicator, a.guardrails) != (b.baseline, b.target, b.indicator, b.guardrails)


def render_status_changes(changes: list[StatusChange], old: Handbook, new: Handbook, base_label: str) -> str:
    """Return the Markdown section listing the statuses a change moves ('' when none moves)."""
    if not changes:
        return ""
    n = len(changes)
    out = [f"## Status changes since {base_label}", "",
           ("1 team's status on a target moves with this change." if n == 1 else
            f"{n} statuses of teams on targets move with this change."), ""]
    for c in changes:
        label = _label(c, old, new)
        if c.new is None:
            out.append(f"- {label}: {c.old.status.value} -> no longer tracked")
            continue
        was = c.old.status.value if c.old else "not tracked"
        detail = _figure(c.new, new)
        cause = _cause(c, old, new)
        out.append(f"- {label}: {was} -> **{c.new.status.value}** ({detail}{_note(c.new, new)}"
                   f"{'; ' + cause if cause else ''})")
    return "\n".join(out) + "\n"


def status_section(commit: str, top: Path, prefix: str, yaml_files: dict[str, bytes], new: Handbook,
                   base_label: str, edition: str = "intranet") -> str:
    """The status-change section of the diff report for the data at `commit` against the working tree's."""
    if "organization.yml" not in yaml_files:
        return ""  # no handbook at the base revision: every status is new, and the target report says so
    try:
        old = handbook_at({**yaml_files, **measurement_files_at(commit, top, prefix)}, edition)
    except GitError as exc:
        return f"## Status changes since {base_label}\n\n_Not compared: {exc}._\n"
    if old is None:
        return (f"## Status changes since {base_label}\n\n_The data at the base revision does not pass `check`: "
                "the statuses it moves cannot be compared._\n")
    return render_status_changes(derive_status_changes(old, new), old, new, base_label)
