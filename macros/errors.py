"""Data problems: gathered while loading, reported all at once."""

from __future__ import annotations

import difflib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

# The folder every Problem's file is named under; printed as the data folder actually used (see `display_file`).
DATA_PREFIX = "data/"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the data, precise enough to fix without reading code."""

    file: str
    line: int | None
    record: str | None  # the record's id, or a description such as "entry 3"
    field: str | None
    expected: str
    found: str | None = None
    stands_for: int = 1  # how many problems this line reports: more than one for "N more like these, not listed"

    def __str__(self) -> str:
        return self.render()

    def render(self, folder: str | None = None) -> str:
        """The message on one line, its file named under `folder` (the data folder used), safe for a terminal."""
        where = display_file(self.file, folder) + (f":{self.line}" if self.line else "")
        return terminal_safe(where + ": " + self.message())

    def message(self) -> str:
        """The message without its file and line (the title and text of an annotation carry those apart)."""
        parts = []
        if self.record:
            parts.append(f"{self.record},")
        if self.field:
            parts.append(f"field '{self.field}':")
        text = " ".join([*parts, "expected " + self.expected])
        if self.found is not None:
            text += f", found {self.found}"
        return terminal_safe(text + ".")

    def title(self) -> str:
        """A short title for an annotation: what the problem is about."""
        about = [terminal_safe(x) for x in (self.record, f"field '{self.field}'" if self.field else None) if x]
        return ", ".join(about) or "Handbook data"


class DataError(Exception):
    """The data under data/ is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        found = sorted(set(problems), key=_sort_key)
        self.total = sum(p.stands_for for p in found)  # every problem, also those counted in one line
        self.problems = condense(found)
        super().__init__(self.report())

    def report(self, folder: str | None = None) -> str:
        """Every problem, one a line, indented: no line of it can start a GitHub workflow command."""
        n = self.total
        head = f"{n:,} problem{'s' if n != 1 else ''} in the handbook data:"
        return safe_lines("\n".join([head, *(f"  {p.render(folder)}" for p in self.problems)]))

    def annotations(self, folder: str | None = None) -> list[str]:
        """Each problem as a GitHub workflow command, shown on its file and line in a pull request's diff."""
        return [workflow_command("error", p.message(), file=annotation_file(p.file, folder), line=p.line,
                                 title=p.title()) for p in self.problems]

    def as_json(self, folder: str | None = None) -> list[dict]:
        """Each problem as a JSON object for other tools (`check --format json`)."""
        return [
            {
                "file": display_file(p.file, folder), "line": p.line, "record": p.record, "field": p.field,
                "expected": p.expected, "found": p.found, "message": p.render(folder),
            }
            for p in self.problems
        ]


# Problems of one kind (file, field, expectation) listed in full, at most: a 9 MB list of 800,000 plain values where
# records belong would otherwise print 800,000 lines (77 MB) and take a minute; the rest are counted in one line.
PROBLEMS_PER_KIND = 1000


def condense(problems: list[Problem]) -> list[Problem]:
    """Keep the first PROBLEMS_PER_KIND problems of each kind; one more problem counts the rest."""
    seen: dict[tuple, int] = {}
    first: dict[tuple, int | None] = {}
    kept = []
    for p in problems:
        kind = (p.file, p.field, p.expected)
        seen[kind] = seen.get(kind, 0) + 1
        first.setdefault(kind, p.line)
        if seen[kind] <= PROBLEMS_PER_KIND:
            kept.append(p)
    more = [Problem(file, first[(file, field, expected)], None, field, expected,
                    f"{n - PROBLEMS_PER_KIND:,} more like the {PROBLEMS_PER_KIND:,} listed, not listed (fix those first)",
                    stands_for=n - PROBLEMS_PER_KIND)
            for (file, field, expected), n in seen.items() if n > PROBLEMS_PER_KIND]
    return sorted(kept + more, key=_sort_key) if more else kept


def _sort_key(p: Problem) -> tuple:
    return (p.file, p.line or 0, p.record or "", p.field or "", p.expected)


def odd_characters(text: str) -> str:
    """Name what makes an id that looks right wrong: a character outside plain ASCII (a look-alike letter such as a
    Cyrillic o) or a space, as " (its character 5 is U+043E CYRILLIC SMALL LETTER O)"; "" when there is none. The
    character itself is not printed: it looks like the one meant, or is invisible."""
    import unicodedata

    for i, ch in enumerate(text, 1):
        if ch == " ":
            return f" (its character {i} is a space)"
        if ord(ch) > 126 or ch.isspace() or not ch.isprintable():
            fallback = "a control character" if unicodedata.category(ch) == "Cc" else "a character with no name"
            return f" (its character {i} is U+{ord(ch):04X} {unicodedata.name(ch, fallback)})"
    return ""


def show(value: object) -> str:
    """Describe a found value for a message: its YAML spelling, quoted, and its kind when it matters."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return repr(text)


# ---------------------------------------------------------------------------------------------------------------
# Output that cannot forge: text from data reaches a terminal or a CI log escaped.


def terminal_safe(text: str, keep: str = "") -> str:
    """Escape what a terminal or a CI log would act on: newlines, ESC and OSC sequences, any control or format
    character (bidirectional overrides included), each shown as its Python escape (`\\n`, `\\x1b`, `\\u202e`).

    `keep`: characters of our own to print as they are (the diff report's invisible word joiner).
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in keep else repr(c)[1:-1] for c in text)


def safe_lines(text: str, keep: str = "") -> str:
    """Make multi-line output from data safe to print: every line escaped, none starting a workflow command."""
    return "\n".join(_no_command(terminal_safe(line, keep)) for line in text.split("\n"))


def _no_command(line: str) -> str:
    # The runner reads `::command::` (and the older `##[command]`) at the start of a line, leading spaces or not: a
    # backslash in front shows as itself in a terminal and disappears in Markdown, where `\:` is a plain colon.
    body = line.lstrip()
    if body.startswith(("::", "##[")):
        return line[: len(line) - len(body)] + "\\" + body
    return line


def _escape_data(text: str) -> str:
    # GitHub's rules (actions/toolkit, command.ts): a command's message escapes %, CR and LF.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, **properties: object) -> str:
    """Return `::command key=value,...::message`, every part escaped so data cannot end it or start another."""
    props = ",".join(f"{k}={_escape_property(terminal_safe(str(v)))}" for k, v in properties.items()
                     if v is not None and v != "")
    return f"::{command}{' ' + props if props else ''}::{_escape_data(terminal_safe(message))}"


def folder_label(data_dir: Path | str) -> str:
    """How to name the data folder in messages: as given when relative, relative to the current folder when under it."""
    path = Path(data_dir)
    if path.is_absolute():
        try:
            path = path.resolve().relative_to(Path.cwd().resolve())
        except (ValueError, OSError):
            return path.as_posix().rstrip("/")
    text = os.path.normpath(path.as_posix()).replace(os.sep, "/")
    return "" if text == "." else text


def display_file(file: str, folder: str | None) -> str:
    """Name a Problem's file (`data/teams.yml`) under the data folder actually used (`orgs/city/teams.yml`)."""
    if folder is None or not file.startswith(DATA_PREFIX):
        return file
    rest = file[len(DATA_PREFIX):]
    return f"{folder}/{rest}" if folder else rest


def annotation_file(file: str, folder: str | None) -> str:
    """The file as GitHub wants it in an annotation: relative to the workspace (the repository's root)."""
    shown = display_file(file, folder)
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace and Path(shown).is_absolute():
        try:
            return Path(shown).resolve().relative_to(Path(workspace).resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return shown


def to_json(value: object) -> str:
    """JSON for the terminal: ASCII only, so no control or format character is printed raw."""
    return json.dumps(value, indent=2, ensure_ascii=True)


class SafeLogs(logging.Filter):
    """Escape what an engine logs (macros/engines/hooks.py adds it to MkDocs' handlers): its messages quote file names (the
    "not included in the nav" notice lists them raw), and one holding a line break and `::error` would be a workflow
    command in a CI log."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        safe = safe_lines(text)
        if safe != text:
            record.msg, record.args = safe, ()
        return True


def guard_logs(*names: str) -> None:
    """Add SafeLogs to the handlers of these loggers (once)."""
    for name in names:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, SafeLogs) for f in handler.filters):
                handler.addFilter(SafeLogs())


def closest(value: str, known: set[str] | dict) -> str | None:
    """The known name most like `value` (a typo's likely intent), or None if none is close."""
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.75)
    return close[0] if close else None


def suggest(value: str, known: set[str] | dict) -> str:
    """'; did you mean 'x'?' for an unknown name close to a known one, else ''."""
    close = closest(value, known)
    return f"; did you mean '{close}'?" if close else ""
