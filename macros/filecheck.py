"""Refuse the files under docs/ and overrides/ that could leak something or run something, before any engine reads
them: symbolic links, file names an engine would run as a template or print as a log line, and (in the public
edition) a hand-written file that reproduces a data file.

Every link is refused, not only one leading out of its folder: MkDocs and Zensical follow links wherever they point
(`docs/env.md -> /proc/self/environ` publishes the build's environment, `docs/x.md -> ../data/capacity.yml` an
internal data file), a link that stays inside may lead to another that does not, and the diff of a pull request
shows only the link's path, never what it publishes. No page needs one: a copy, or a Markdown link to the other
page, does the same. Plain Python: `check`, the MkDocs hooks (ProperDocs runs them too), `generate` and the
Zensical adapter (`define_env`) call the same function.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, terminal_safe

# Every suffix MkDocs reads as a page (mkdocs.utils.markdown_extensions); Zensical reads the same.
PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
# What MkDocs renders as a Jinja template when mkdocs.yml lists it under `extra_templates` (its "static pages").
TEMPLATE_SUFFIXES = (".html", ".htm", ".xml")
# A file name the engine may print in a log (a newline would start a line of its own, `::error` a workflow
# command) or render as a page title (a title from the file name is rendered as a template).
_BAD_NAME = re.compile(r"\{\{|\{%|\{#|[\x00-\x1f\x7f-\x9f\u2028\u2029]")
FILE_EXPECTED = "no symbolic link, no template syntax or control character in a name, no data file reproduced"
# A data file shorter than this (without blanks) is too short to say a page reproduces it.
REPRODUCE_MIN = 40


@dataclass(frozen=True, order=True, init=False)
class FileProblem(Problem):
    """A file no engine may read: a Problem about the file itself (not about template code in its text), shown as
    `file: why`; `found` says why."""

    def __init__(self, file: str, text: str):
        for name, value in (("file", file), ("line", None), ("record", None), ("field", None),
                            ("expected", FILE_EXPECTED), ("found", text)):
            object.__setattr__(self, name, value)

    @property
    def text(self) -> str:
        return self.found or ""

    def __str__(self) -> str:
        return f"{self.file}: {self.text}"

    def render(self, folder: str | None = None) -> str:
        return self.message()

    def message(self) -> str:
        return terminal_safe(str(self))

    def title(self) -> str:
        return "A file no engine may read"


def shown(text: str) -> str:
    """A path or name for a message: control and format characters as escapes, so none can start a line."""
    return terminal_safe(text)


def _name_problem(name: str) -> str | None:
    m = _BAD_NAME.search(name)
    if m is None:
        return None
    if m.group().startswith("{"):
        return "its name holds template syntax ({{, {% or {#), which the engine would run when it makes a title of it"
    return "its name holds a control character or a line break, which would reach the build log as it is"


def walk(folder: Path, label: str) -> tuple[list[str], list[tuple[str, Path]]]:
    """Messages for every symbolic link and every bad name under folder (itself included), and its regular files
    as (shown path, path). Links are never followed."""
    problems: list[str] = []
    files: list[tuple[str, Path]] = []
    if folder.is_symlink():
        problems.append(_link_message(label, folder))
        return problems, files
    if not folder.is_dir():
        return problems, files
    for here, dirs, names in os.walk(folder, followlinks=False):
        base = Path(here)
        rel_here = base.relative_to(folder).as_posix()
        prefix = label if rel_here == "." else f"{label}/{rel_here}"
        dirs.sort()
        kept = []
        for name in dirs:
            path = base / name
            where = f"{prefix}/{name}"
            if path.is_symlink():
                problems.append(_link_message(where, path))
                continue
            if why := _name_problem(name):
                problems.append(FileProblem(f"{shown(where)}/", f"{why}; rename the folder"))
            kept.append(name)
        dirs[:] = kept
        for name in sorted(names):
            path = base / name
            where = f"{prefix}/{name}"
            if path.is_symlink():
                problems.append(_link_message(where, path))
                continue
            if why := _name_problem(name):
                problems.append(FileProblem(shown(where), f"{why}; rename the file"))
                continue
            if path.is_file():
                files.append((where, path))
    return problems, files


def _link_message(where: str, path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return FileProblem(shown(where), f"a symbolic link (to {shown(target)}): the engine would publish whatever it "
                       "points to; put the file itself here, or link to the page instead")


def _normal(text: str) -> str:
    return " ".join(text.split())


def reproduced_data(files: list[tuple[str, Path]], data_dir: Path) -> list[str]:
    """Messages for each hand-written file whose text holds the whole text of a data file (blanks aside)."""
    data = []
    # A data file can only be inside a page at most this big (blanks collapsed, a data file shrinks by less than 8x).
    largest = max((path.stat().st_size for _, path in files), default=0) * 8
    if data_dir.is_dir() and not data_dir.is_symlink():
        for here, _dirs, names in os.walk(data_dir, followlinks=False):
            for name in sorted(names):
                path = Path(here, name)
                if path.is_symlink() or not path.is_file() or path.stat().st_size > largest:
                    continue
                try:
                    text = _normal(path.read_text(encoding="utf-8-sig"))
                except (OSError, UnicodeDecodeError):
                    continue
                if len(text) >= REPRODUCE_MIN:
                    data.append((path.relative_to(data_dir.parent).as_posix(), text))
    if not data:
        return []
    found = []
    for where, path in files:
        try:
            text = _normal(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue  # not text: no data file is binary
        for name, body in data:
            if len(body) <= len(text) and body[:64] in text and body in text:
                found.append(FileProblem(shown(where), f"reproduces the data file {shown(name)}, whose records the "
                                         "public edition leaves out unless they are public; link to the page made "
                                         "from it instead"))
    return found


def check_files(docs_dir: Path, overrides_dir: Path | None = None, data_dir: Path | None = None,
                public: bool = False) -> tuple[list[str], list[tuple[str, Path]]]:
    """Messages for the files under docs/ (and overrides/) no engine may read; and docs/'s regular files."""
    problems, files = walk(docs_dir, docs_dir.name)
    if overrides_dir is not None:
        problems += walk(overrides_dir, overrides_dir.name)[0]
    if public and data_dir is not None:
        problems += reproduced_data(files, data_dir)
    return problems, files


def overrides_of(root: Path, config: dict | None) -> Path | None:
    """The theme overrides folder a configuration names (theme.custom_dir), under root."""
    theme = (config or {}).get("theme")
    custom = getattr(theme, "get", lambda *_: None)("custom_dir") if theme is not None else None
    if not custom and hasattr(theme, "custom_dir"):
        custom = theme.custom_dir
    return (root / str(custom)) if custom else None
