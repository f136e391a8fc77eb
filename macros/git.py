"""git, read-only: where a data folder sits in its repository, what a revision names, the files at a commit.

Used by `diff` (macros/diff.py) and its status section (macros/status_diff.py); nothing here runs a command that
writes.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path


class GitError(Exception):
    """git could not answer: not installed, not a repository, or an unknown revision."""


def _git(args: list[str], cwd: Path, binary: bool = False) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=not binary, timeout=120)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH); `diff` compares with the git history") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took too long") from None


def repo_location(data_dir: Path) -> tuple[Path, str]:
    """Return the repository's root and the data folder's path inside it ('' or 'some/path/')."""
    found = _git(["rev-parse", "--show-toplevel", "--show-prefix"], data_dir)
    if found.returncode != 0:
        raise GitError(f"{data_dir} is not in a git repository; `diff` compares the targets with a git revision")
    lines = found.stdout.splitlines()
    top = Path(lines[0])
    prefix = lines[1] if len(lines) > 1 else ""
    return top, prefix


def resolve(base: str, top: Path) -> str:
    """Return the commit a revision names, or raise GitError."""
    if not base or base.startswith("-"):
        raise GitError(f"unknown git revision {base!r}")
    found = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", base + "^{commit}"], top)
    if found.returncode != 0 or not found.stdout.strip():
        raise GitError(f"unknown git revision {base!r}")
    return found.stdout.strip()


def blobs_at(commit: str, top: Path, listing_args: list[str], name_of: Callable[[str], str | None]) -> dict[str, bytes]:
    """Return the files `git ls-tree -z LISTING_ARGS` lists at a commit, by `name_of(path)`; None skips a path.

    Symbolic links and submodules are skipped; a blob git cannot read is left out.
    """
    listing = _git(["ls-tree", "-z", *listing_args], top)
    if listing.returncode != 0:
        raise GitError(f"git ls-tree failed: {listing.stderr.strip()}")
    out: dict[str, bytes] = {}
    for entry in listing.stdout.split("\0"):
        if not entry or "\t" not in entry:
            continue
        meta, path = entry.split("\t", 1)
        mode, kind, _sha = meta.split()
        name = name_of(path)
        if kind != "blob" or mode == "120000" or name is None:
            continue
        blob = _git(["cat-file", "blob", f"{commit}:{path}"], top, binary=True)
        if blob.returncode == 0:
            out[name] = blob.stdout
    return out
