"""Living signals: when the figures last changed and the newest period they report, shown on every page, and a
site-wide banner when the newest figures are older than the reporting calendar expects (spec v1.2).

Computed once per build (`Site.signals`). The date is that of the figures, the files under
`data/measurements/` (a typo fixed in `teams.yml` does not make old figures look fresh). It comes from git where the
folder has history: the last commit touching it, or the newest modification time of files changed since that commit. In a
shallow clone whose history starts after the data's last change, the oldest commit present only bounds the date
from above, and the page says "on or before". Without git, outside a repository, or for a data folder git does not
track, the date is the newest modification time of the files under data/measurements/.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .calendar import derive_newest_banner
from .i18n import _
from .periods import format_period

GIT = "git"
MEASUREMENTS = "measurements"  # the folder of figures under the data folder: the footer's date is theirs


@dataclass(frozen=True)
class Changed:
    """When the data last changed, and how that is known."""

    day: date | None
    source: str  # "git" | "git-shallow" | "files" | "none"
    exact: bool = True


@dataclass(frozen=True)
class Signals:
    changed: Changed
    latest_period: str  # "" when no team has reported a figure
    banner: str = ""  # "Newest figures: 2025-03, 20 months ago; ...", "" when figures are as current as expected

    def as_dict(self) -> dict[str, str]:
        """Plain strings for templates (the template escapes them), in the build's language.

        `newest` and `changed_before` / `changed_after` (the text around the date, which the template writes as a
        `<time>` element) say the signals in words; `old_figures` heads the banner; `source` holds `{data}` and
        `{measurements}` where the template puts the folders' names as code.
        """
        day = self.changed.day.isoformat() if self.changed.day else ""
        before, _sep, after = _("figures last changed {date}").partition("{date}")
        return {
            "changed": day,
            "changed_label": day if self.changed.exact or not day else _("on or before {date}").format(date=day),
            "changed_source": self.changed.source,
            "latest_period": self.latest_period,
            "banner": self.banner,
            "newest": _("Newest figures: {period}").format(period=self.latest_period),
            "changed_before": before, "changed_after": after,
            "old_figures": _("Old figures."),
            "source": _("Source: the YAML and CSV files under {data} in this handbook's repository; the date is that "
                        "of the last change to the figures, {measurements}."),
        }


def _git(args: list[str], cwd: Path) -> str | None:
    """Run git; return its output, or None when git is missing or fails."""
    try:
        done = subprocess.run(
            [GIT, *args], cwd=cwd, capture_output=True, text=True, timeout=60,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def files_changed(data_dir: Path, only: list[Path] | None = None) -> date | None:
    """Return the local date of the newest modification time among files under data_dir (or among `only`)."""
    newest: float | None = None
    paths = only if only is not None else (p for p in Path(data_dir).rglob("*") if not _hidden(p, data_dir))
    for path in paths:
        try:
            if path.is_file():
                mtime = path.stat().st_mtime
                newest = mtime if newest is None or mtime > newest else newest
        except OSError:
            continue
    return date.fromtimestamp(newest) if newest is not None else None


def _hidden(path: Path, root: Path) -> bool:
    try:
        return any(part.startswith(".") for part in path.relative_to(root).parts)
    except ValueError:
        return False


def git_changed(data_dir: Path, sub: str = MEASUREMENTS) -> Changed | None:
    """Return when git says the figures (the `sub` folder of the data folder) last changed, or None when git has no
    history for them."""
    data_dir = Path(data_dir)
    if _git(["rev-parse", "--is-inside-work-tree"], data_dir) is None:
        return None
    out = _git(["log", "-1", "--format=%H %cs", "--", sub], data_dir)
    if not out or not out.strip():
        return None  # untracked, or no commit touches it
    commit, day_text = out.split()
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        return None
    source, exact = "git", True
    if (_git(["rev-parse", "--is-shallow-repository"], data_dir) or "").strip() == "true":
        # A shallow clone's oldest commit looks as if it added every file: its date is only an upper bound.
        boundary = _git(["rev-parse", "--git-path", "shallow"], data_dir)
        if boundary:
            shallow_file = Path(boundary.strip())
            if not shallow_file.is_absolute():
                shallow_file = data_dir / shallow_file
            try:
                grafts = set(shallow_file.read_text().split())
            except OSError:
                grafts = set()
            if commit in grafts:
                source, exact = "git-shallow", False
    # Uncommitted edits (as under `mkdocs serve`) are newer than any commit.
    status = _git(["status", "--porcelain", "-z", "--untracked-files=all", "--", sub], data_dir)
    if status:
        top = _git(["rev-parse", "--show-toplevel"], data_dir)
        if top:
            paths = []
            for entry in status.split("\0"):
                if len(entry) > 3 and entry[2] == " ":
                    paths.append(Path(top.strip()) / entry[3:])
            edited = files_changed(data_dir / sub, paths)
            if edited and edited > day:
                return Changed(edited, "files", True)
    return Changed(day, source, exact)


def last_changed(data_dir: Path) -> Changed:
    """Return when the figures (data/measurements/) last changed: from git where there is history, else from the
    files' times."""
    found = git_changed(data_dir)
    if found is not None:
        return found
    day = files_changed(Path(data_dir) / MEASUREMENTS)
    return Changed(day, "files" if day else "none", True)


# How many commits back the public edition looks for one that changed a public figure (each is read as a diff).
PUBLIC_HISTORY = 500


def public_changed(data_dir: Path, is_public) -> Changed:
    """Return when the figures the public edition shows last changed: the newest commit under data/measurements/
    whose diff adds or removes a row of a public team on a public indicator (`is_public(team, indicator)`), so a
    commit that touched internal figures only does not move the public edition's date. Uncommitted edits, a shallow
    clone or no git: as `last_changed` (the date can only be later than the public figures' own)."""
    every = last_changed(data_dir)
    if every.source != "git":
        return every
    out = _git(["log", f"-n{PUBLIC_HISTORY}", "--format=@@commit %cs", "-p", "--unified=0", "--no-color",
                "--no-ext-diff", "--", MEASUREMENTS], Path(data_dir))
    if out is None:
        return every
    day = None
    for line in out.splitlines():
        if line.startswith("@@commit "):
            day = line[len("@@commit "):].strip()
        elif line[:1] in "+-" and not line.startswith(("+++", "---")) and day:
            team, _, rest = line[1:].partition(",")
            if is_public(team.strip(), rest.partition(",")[0].strip()):
                try:
                    return Changed(date.fromisoformat(day), "git", True)
                except ValueError:
                    return every
    return Changed(every.day, every.source, False)  # no public change in the commits read: an upper bound


def compute_signals(data_dir: Path, latest_period: int | None, frequency: str, banner: str = "",
                    is_public=None) -> Signals:
    """The signals of one build; `is_public` (team, indicator) -> bool for the public edition's own date."""
    latest = format_period(latest_period, frequency) if latest_period is not None else ""
    changed = last_changed(data_dir) if is_public is None else public_changed(data_dir, is_public)
    return Signals(changed, latest, banner)


def signals_of(hb, data_dir: Path) -> dict[str, str]:
    """The signals of a build's data (macros/site.py's Site.signals computes them once per build)."""
    public = None
    if hb.edition == "public":  # the public edition's date: of the figures it shows
        public = lambda team, indicator: team in hb.teams and indicator in hb.indicators  # noqa: E731
    return compute_signals(data_dir, hb.latest_period, hb.frequency, derive_newest_banner(hb), public).as_dict()


def site_signals(site) -> dict[str, str]:
    """Return the signals for a build, computed on first use and kept by the Site (`Site.signals`)."""
    return site.signals
