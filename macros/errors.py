"""Data problems: gathered while loading, reported all at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the data, precise enough to fix without reading code."""

    file: str
    line: int | None
    record: str | None  # the record's id, or a description such as "entry 3"
    field: str | None
    expected: str
    found: str | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where + ":"]
        if self.record:
            parts.append(f"{self.record},")
        if self.field:
            parts.append(f"field '{self.field}':")
        text = " ".join(parts) + " expected " + self.expected
        if self.found is not None:
            text += f", found {self.found}"
        return text + "."


class DataError(Exception):
    """The data under data/ is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the handbook data:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def _sort_key(p: Problem) -> tuple:
    return (p.file, p.line or 0, p.record or "", p.field or "", p.expected)


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
