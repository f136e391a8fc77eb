"""Turn loaded YAML and CSV into a typed Handbook, gathering every problem with file, line, id and field."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import is_dataclass
from datetime import date
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, get_type_hints

import numpy as np
import pandas as pd

from .checks import CHECK_NAMES
from .contract import BY_FILE, HANDLE_RULE, ID_MAX, Field
from .edition import check_edition_rules
from .errors import PROBLEMS_PER_KIND, DataError, Problem, closest, odd_characters, show, suggest
from .languages import check_translations, read_languages
from .load import (
    CSV_MAX_BYTES,
    YAML_MAX_BYTES,
    Mapping,
    Sequence,
    file_problem,
    load_measurements,
    load_yaml,
    measurement_keys,
    paused_gc,
)
from .mdbounds import LINE_BREAK, markdown_problem, text_problem
from .model import (
    Capacity,
    ChecklistItem,
    Deficit,
    Guardrail,
    Handbook,
    Indicator,
    Learning,
    Need,
    Organization,
    Point,
    Practice,
    Recognition,
    Revision,
    Series,
    Stage,
    Target,
    Team,
    Theory,
)
from .notes import check_notes_required
from .periods import (
    EXAMPLES,
    FIRST_YEAR,
    FREQUENCIES,
    MONTHLY,
    PER_YEAR,
    YEARS_AHEAD,
    describe_period,
    first_period,
    format_period,
    parse_period,
    period_of,
)
from .refs import RECORDS, references
from .refs import pool as ref_pool

# `\Z`, not `$` (which matches before a final newline); ASCII letters and digits only.
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")  # contract.ID_PATTERN, as Python matches a whole id
# Team and target ids name generated pages beside the site's own index pages (teams/index.md, targets/index.md).
RESERVED_IDS = frozenset({"index"})
# Numbers from data are plotted, subtracted and squared: within this size every result stays a finite float (1e308
# plots as nothing and its differences overflow to infinity).
VALUE_MAX = 1e100
# Characters that break a line; single-line fields (names, titles, units, chain steps) may hold none.
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
REQUIRED_FILES = ("organization.yml", "teams.yml", "indicators.yml", "practices.yml")
LIST_FILES = (
    "teams.yml",
    "indicators.yml",
    "deficits.yml",
    "targets.yml",
    "capacity.yml",
    "recognition.yml",
    "learning.yml",
    "practices.yml",
)
STAGE_NAMES = ", ".join(s.value for s in Stage)


def _one_of(choices: tuple[str, ...] | list[str]) -> str:
    return "one of " + ", ".join(choices)


class Reader:
    """Read typed fields from one YAML mapping, recording a Problem for each bad or unknown field.

    `spec` is the record's declaration in macros/contract.py: whether a field is required and its allowed values
    come from it, and a field it does not declare cannot be read (a bug, not a data problem).
    """

    def __init__(self, node: Mapping, file: str, record: str | None, problems: list[Problem], prefix: str = "",
                 spec: tuple[Field, ...] | None = None):
        self.node, self.file, self.record, self.problems, self.prefix = node, file, record, problems, prefix
        self.used: set[str] = set()
        self.spec = {f.name: f for f in spec} if spec is not None else None

    def declared(self, key: str) -> Field | None:
        """The contract's declaration of a field (None for a Reader without one)."""
        if self.spec is None:
            return None
        if key not in self.spec:
            raise RuntimeError(f"{self.file}: the validator reads '{self.prefix}{key}', which macros/contract.py does not declare")
        return self.spec[key]

    def fact(self, key: str, name: str, passed: Any = None) -> Any:
        """A fact the contract declares about a field (minimum, maximum, default): the contract's, or the one passed
        for a Reader without a contract (a value passed that the contract declares otherwise is a bug)."""
        spec = self.declared(key)
        if spec is None:
            return passed
        declared = getattr(spec, name)
        if passed is not None and declared is not None and passed != declared:
            raise RuntimeError(f"{self.file}: the {name} of '{self.prefix}{key}' differs from macros/contract.py")
        return declared if declared is not None else passed

    def problem(self, key: str | None, expected: str, found: str | None = None, line: int | None = None) -> None:
        field = (self.prefix + key) if key else (self.prefix.rstrip(".") or None)
        if line is None:
            line = self.node.line_of(key) if key else self.node.line
        self.problems.append(Problem(self.file, line, self.record, field, expected, found))

    def is_required(self, key: str, required: bool | None) -> bool:
        """Whether a field is required: as the contract declares it (an explicit flag must agree)."""
        spec = self.declared(key)
        if spec is None:
            return True if required is None else required
        if required is not None and spec.required != required:
            raise RuntimeError(f"{self.file}: '{self.prefix}{key}' is {'' if spec.required else 'not '}required in macros/contract.py")
        return spec.required

    def _get(self, key: str, required: bool | None) -> Any:
        required = self.is_required(key, required)
        self.used.add(key)
        value = self.node.get(key)
        if value is None and required:
            if key in self.node:
                self.problem(key, "a value", "nothing")
            else:
                self.problem(key, "a value (this field is required)", "no such field", line=self.node.line)
        return value

    def text(self, key: str, required: bool | None = None, default: str = "", one_line: bool = False) -> str:
        value = self._get(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(key, "text", show(value) + (" (quote it)" if isinstance(value, bool) else ""))
            return default
        if isinstance(value, (int, float)):
            value = str(value)
        if self.is_required(key, required) and not value.strip():
            self.problem(key, "non-empty text", "an empty string")
        if costly := text_problem(value, one_line):  # as Markdown, a costly one would take minutes or recurse
            self.problem(key, *costly)
            return default
        return value

    def line(self, key: str, required: bool | None = None, default: str = "") -> str:
        """A single-line text field: a name, title, unit or label that pages show on one line."""
        return self.text(key, required, default, one_line=True)

    def slug(self, key: str, required: bool | None = None) -> str:
        value = self.text(key, required)
        if value and not ID_RE.match(value):
            self.problem(key, "a lowercase id of letters, digits and hyphens like 'road-repairs'",
                         show(value) + odd_characters(value))
            return ""
        if len(value) > ID_MAX:
            # Ids become file names of generated pages; most file systems stop at 255 bytes.
            self.problem(key, f"an id of at most {ID_MAX} characters", f"{len(value)} characters ({show(value)})")
            return ""
        return value

    def enum(self, key: str, choices: tuple[str, ...] | None = None, required: bool | None = None,
             default: str | None = None) -> str:
        """One of the allowed values (the contract's `choices`); the contract's default when absent or wrong."""
        spec = self.declared(key)
        if choices is None:
            choices = spec.choices if spec is not None else ()
        elif spec is not None and spec.choices and tuple(choices) != spec.choices:
            raise RuntimeError(f"{self.file}: the allowed values of '{self.prefix}{key}' differ from macros/contract.py")
        default = self.fact(key, "default", default)
        if default is None:
            default = ""
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str) or value not in choices:
            self.problem(key, _one_of(choices), show(value))
            return default
        return value

    def number(self, key: str, required: bool | None = None, minimum: float | None = None,
               below: str = "") -> float | None:
        """A number within the contract's minimum (and maximum); the contract's default when absent or wrong.

        `below` words the problem of a number under the minimum for this field (its found value shown as read)."""
        minimum, maximum = self.fact(key, "minimum", minimum), self.fact(key, "maximum")
        default = self.fact(key, "default")
        value = self._get(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
            self.problem(key, "a number", show(value))
            return default
        if abs(value) > VALUE_MAX:
            self.problem(key, f"a number from -{VALUE_MAX:.0e} to {VALUE_MAX:.0e}", _show_number(value))
            return default
        if minimum is not None and value < minimum:
            self.problem(key, below or f"a number of at least {minimum:g}", show(float(value) if below else value))
            return default
        if maximum is not None and value > maximum:
            self.problem(key, f"a number of at most {maximum:g}", show(value))
            return default
        return float(value)

    def integer(self, key: str, required: bool | None = None, minimum: int | None = None,
                maximum: int | None = None) -> int | None:
        """A whole number within the contract's minimum and maximum; the contract's default when absent or wrong."""
        minimum, maximum = self.fact(key, "minimum", minimum), self.fact(key, "maximum", maximum)
        if minimum is None:
            minimum = 0
        default = self.fact(key, "default")
        value = self._get(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (maximum is not None and value > maximum):
            limit = f"from {minimum:g} to {maximum:g}" if maximum is not None else f"of at least {minimum:g}"
            self.problem(key, f"a whole number {limit}", show(value))
            return default
        return value

    def boolean(self, key: str, required: bool | None = None) -> bool | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.problem(key, "true or false", show(value))
            return None
        return value

    def date(self, key: str, required: bool | None = None) -> date | None:
        value = self._get(key, required)
        if value is None:
            return None
        text = value if isinstance(value, str) else ""
        when = _iso_date(text)
        if when is None:
            self.problem(key, "a date YYYY-MM-DD like 2025-03-31", show(value) + (" (not a calendar date)" if _DATE_RE.fullmatch(text) else ""))
        return when

    def period(self, key: str, frequency: str, required: bool | None = None) -> tuple[str, int] | None:
        value = self._get(key, required)
        if value is None:
            return None
        text = value if isinstance(value, str) else None
        index = parse_period(text, frequency) if text is not None else None
        if index is None:
            other = [f for f in FREQUENCIES if f != frequency][0]
            hint = ""
            if text is not None and parse_period(text, other) is not None:
                hint = f" (a {other} period, but organization.yml reports {frequency})"
            self.problem(key, describe_period(frequency), show(value) + hint)
            return None
        last = today_of().year + YEARS_AHEAD
        if not FIRST_YEAR <= index // PER_YEAR[frequency] <= last:
            self.problem(key, f"a period from {FIRST_YEAR} to {last} like {EXAMPLES[frequency]}", show(value) + " (a typo?)")
            return None
        return text, index

    def texts(self, key: str, required: bool | None = None, one_line: bool = False) -> tuple[str, ...]:
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(key, "a list of text like [first, second]", show(value))
            return ()
        out = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                self.problem(key, "text for every item", f"{show(item)} at item {i + 1}", line=_item_line(value, i))
            elif one_line and isinstance(item, str) and LINE_BREAK.search(item):
                self.problem(key, "text on one line for every item", f"a line break at item {i + 1}", line=_item_line(value, i))
            elif isinstance(item, str) and (costly := markdown_problem(item)):
                self.problem(key, costly[0], f"{costly[1]} at item {i + 1}", line=_item_line(value, i))
            else:
                out.append(str(item))
        return tuple(out)

    def slugs(self, key: str, required: bool | None = None) -> tuple[str, ...]:
        items = self.texts(key, required)
        if self.is_required(key, required) and key in self.node and not items and isinstance(self.node.get(key), list):
            self.problem(key, "at least one id", "an empty list")
        good = []
        for i, item in enumerate(items):
            if ID_RE.match(item) and len(item) <= ID_MAX:
                good.append(item)
            else:
                self.problem(key, "lowercase ids like 'road-repairs'", f"{show(item)}{odd_characters(item)} at item {i + 1}",
                             line=_item_line(self.node.get(key), i))
        return tuple(good)

    def mapping(self, key: str, required: bool | None = None) -> Reader | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.problem(key, "a mapping of fields", show(value))
            return None
        return Reader(value, self.file, self.record, self.problems, self.prefix + key + ".", self._children(key))

    def mappings(self, key: str) -> list[Reader]:
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, "a list of entries", show(value))
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                out.append(Reader(item, self.file, self.record, self.problems, f"{self.prefix}{key}[{i + 1}].",
                                  self._children(key)))
            else:
                self.problem(key, "a mapping of fields for every item", f"{show(item)} at item {i + 1}", line=_item_line(value, i))
        return out

    def _children(self, key: str) -> tuple[Field, ...] | None:
        spec = self.declared(key)
        return spec.fields if spec is not None else None

    def finish(self) -> None:
        """Report keys nobody asked for: they are almost always typos."""
        for key in self.node:
            if key not in self.used:
                close = closest(key, self.used)
                hint = f" (did you mean '{close}'?)" if close else ""
                self.problem(key, "only the fields " + ", ".join(sorted(self.used)), f"the unknown field '{key}'{hint}")


def _iso_date(text: str) -> date | None:
    """The date a YYYY-MM-DD text names, or None if it is not one (in form or on the calendar)."""
    if not _DATE_RE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _show_number(value: float) -> str:
    """Describe a number for a message without printing hundreds of digits."""
    text = repr(value)
    return f"the number {text}" if len(text) <= 24 else f"a number of {len(text)} digits"


def _item_line(seq: Any, i: int) -> int | None:
    if isinstance(seq, Sequence) and i < len(seq.item_lines):
        return seq.item_lines[i]
    return getattr(seq, "line", None)


def _field_line(node: Mapping | None, field: str, value: str) -> int | None:
    """The line of a field such as `teams` or `guardrails[2].indicator` in a record (of `value`'s item in a list)."""
    if node is None:
        return None
    line, current = None, node
    for key, index in re.findall(r"([^.\[\]]+)(?:\[(\d+)\])?", field):
        if not isinstance(current, Mapping) or key not in current:
            return line
        line, current = current.line_of(key), current[key]
        if index:
            i = int(index) - 1
            if not isinstance(current, Sequence) or i >= len(current):
                return line
            line, current = _item_line(current, i), current[i]
    if isinstance(current, Sequence):
        for i, item in enumerate(current):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item) == value:
                return _item_line(current, i)
    return line


# ---------------------------------------------------------------------------------------------------------------
# Files


class _Context:
    def __init__(self, data_dir: Path, today: date):
        self.data_dir = data_dir
        self.today = today
        self.problems: list[Problem] = []
        self.frequency = MONTHLY
        self.default_visibility = "internal"  # organization.yml's default_visibility (v1.1)
        # Ids seen per file, valid or not, and files that failed to parse: a reference to a record that has its
        # own error, or into a broken file, is not reported again as unknown.
        self.seen_ids: dict[str, set[str]] = {}
        self.broken: set[str] = set()
        # Each record's node by (file, line): a cross-reference found wrong later points at its field's line.
        self.nodes: dict[tuple[str, int], Mapping] = {}
        # Fields read by a function of their own, by (file, dotted path); ("", name) for that field in any file.
        self.readers: dict[tuple[str, str], Callable[[Reader], Any]] = {}
        self.languages: tuple[str, tuple[str, ...]] | None = None

    def name(self, filename: str) -> str:
        return f"data/{filename}"

    def load_file(self, filename: str) -> Any:
        path = self.data_dir / filename
        name = self.name(filename)
        unusable = file_problem(path, self.data_dir, YAML_MAX_BYTES)
        if unusable:
            self.broken.add(filename)
            self.problems.append(Problem(name, None, None, None, "a YAML file", unusable))
            return None
        if not path.exists():
            if filename in REQUIRED_FILES:
                self.broken.add(filename)
                self.problems.append(Problem(name, None, None, None, "this required file", "no such file"))
            return None
        before = len(self.problems)
        data = load_yaml(path, name, self.problems)
        if len(self.problems) > before:
            self.broken.add(filename)
        if data is None and not self.problems_for(name):
            if filename in REQUIRED_FILES:
                self.broken.add(filename)
                self.problems.append(Problem(name, None, None, None, "content (this file is required)", "an empty file"))
            return None
        return data

    def problems_for(self, name: str) -> bool:
        return any(p.file == name for p in self.problems)

    def records(self, filename: str) -> list[Mapping]:
        """Load a list file; empty optional files are no records."""
        data = self.load_file(filename)
        name = self.name(filename)
        if data is None:
            return []
        if not isinstance(data, list):
            self.broken.add(filename)
            line = getattr(data, "line", 1)
            self.problems.append(Problem(name, line, None, None, "a list of records, each starting with '- '", show(data)))
            return []
        if not data and filename in REQUIRED_FILES:
            self.broken.add(filename)
            self.problems.append(Problem(name, 1, None, None, "at least one record (this file is required)", "an empty list"))
        out = []
        seen = self.seen_ids.setdefault(filename, set())
        others, beyond = 0, None
        for i, item in enumerate(data):
            if isinstance(item, Mapping):
                if isinstance(item.get("id"), str):
                    seen.add(item["id"])
                self.nodes[(name, item.line)] = item
                out.append(item)
            else:
                others += 1
                if others <= PROBLEMS_PER_KIND:  # the rest counted below, not built one by one
                    self.problems.append(
                        Problem(name, _item_line(data, i), f"record {i + 1}", None, "a mapping of fields", show(item))
                    )
                elif beyond is None:
                    beyond = _item_line(data, i)
        if others > PROBLEMS_PER_KIND:
            self.problems.append(Problem(name, beyond, None, None, "a mapping of fields for every record",
                                         f"{others - PROBLEMS_PER_KIND:,} more records that are not, not listed",
                                         stands_for=others - PROBLEMS_PER_KIND))
        return out


def _record_label(kind: str, node: Mapping, i: int, id_key: str = "id") -> str:
    value = node.get(id_key)
    if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
        return f"{kind} '{value}'"
    return f"{kind} {i + 1}"


def _unique(ctx: _Context, file: str, kind: str, items: list[tuple[str, int]]) -> None:
    seen: dict[str, int] = {}
    for value, line in items:
        if not value:
            continue
        if value in seen:
            ctx.problems.append(
                Problem(file, line, f"{kind} '{value}'", "id", f"a unique id (already used at line {seen[value]})", show(value))
            )
        else:
            seen[value] = line


def _unreserved(r: Reader, value: str) -> str:
    """Refuse a team or target id that names one of the site's own pages; return the id to keep ('' if refused)."""
    if value not in RESERVED_IDS:
        return value
    r.problem("id", "an id that is not one of the site's own page names (" + ", ".join(sorted(RESERVED_IDS)) + ")", show(value))
    return ""


# ---------------------------------------------------------------------------------------------------------------
# Records from the contract: every field read as macros/contract.py declares it (kind, required, allowed values,
# bounds, default, single-line-ness), with the Reader methods that word the problems; each record built by keyword.
# Only rules across fields or records stay hand-written in the _validate_* functions below.


def _point(period: tuple[str, int] | None, value: float | None) -> Point:
    return Point(period=period[0], index=period[1], value=value) if period else Point(period="", index=0, value=value)


# The model each record and nested mapping builds, by file and the mapping's dotted path in it ('' for the record).
MODELS: dict[tuple[str, str], Callable[..., Any]] = {
    ("organization.yml", ""): Organization,
    ("teams.yml", ""): Team,
    ("indicators.yml", ""): Indicator,
    ("deficits.yml", ""): Deficit,
    ("targets.yml", ""): Target,
    ("targets.yml", "baseline"): _point,
    ("targets.yml", "target"): _point,
    ("targets.yml", "theory"): Theory,
    ("targets.yml", "guardrails"): Guardrail,
    ("targets.yml", "revisions"): Revision,
    ("targets.yml", "revisions.was"): _point,
    ("capacity.yml", ""): Capacity,
    ("capacity.yml", "needs"): Need,
    ("recognition.yml", ""): Recognition,
    ("learning.yml", ""): Learning,
    ("practices.yml", ""): Practice,
    ("practices.yml", "checklist"): ChecklistItem,
}

# The mappings whose fields are merged into their record's model instead (Organization.frequency...).
MERGED = frozenset({("organization.yml", "reporting")})

# The fields a record (or nested mapping) is not kept without: one that lacks any of them is left out once its own
# problems are reported, so that nothing is reported again from it.
KEPT_WITH: dict[tuple[str, str], tuple[str, ...]] = {
    ("teams.yml", ""): ("id",),
    ("indicators.yml", ""): ("id", "stage", "better"),
    ("deficits.yml", ""): ("id", "stage"),
    ("targets.yml", ""): ("id", "teams", "baseline", "target", "theory"),
    ("targets.yml", "baseline"): ("period",),
    ("targets.yml", "target"): ("period",),
    ("targets.yml", "guardrails"): ("indicator", "tolerance"),
    ("targets.yml", "revisions"): ("date", "was"),
    ("targets.yml", "revisions.was"): ("period",),
    ("capacity.yml", ""): ("team",),
    ("recognition.yml", ""): ("date",),
    ("learning.yml", ""): ("date",),
    ("practices.yml", ""): ("number",),
}

# Wording of a bound for one field (the bound itself is the contract's).
_BELOW = {("targets.yml", "guardrails.tolerance"): "a tolerance of zero or more (how much worse, in the indicator's unit)"}
_TOO_FEW = {("targets.yml", "theory.chain"): "at least one step from target to mission"}


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, (str, tuple)) and not value)


def _absent(f: Field) -> Any:
    """A field's value when it is not given: the contract's default, else nothing of its kind."""
    if f.default is not None:
        return f.default
    if f.kind in ("text", "markdown", "id", "enum"):
        return ""
    if f.kind in ("ids", "texts", "mappings"):
        return ()
    return None


@cache
def _enum_fields(model: Any) -> dict[str, type[Enum]]:
    """The fields of a model typed as an Enum (Stage, Better), read from its annotations."""
    if not is_dataclass(model):
        return {}
    return {k: t for k, t in get_type_hints(model).items() if isinstance(t, type) and issubclass(t, Enum)}


def build(file: str, path: str, values: dict[str, Any], **extra: Any) -> Any:
    """The model of a record or nested mapping, by keyword; None when a field it is not kept without is missing."""
    if not all(_present(values.get(k)) for k in KEPT_WITH.get((file, path), ())):
        return None
    model = MODELS.get((file, path))
    if model is None:
        raise RuntimeError(f"macros/validate.py: no model for the mapping '{path}' of {file} (add one to MODELS)")
    for key, enum in _enum_fields(model).items():
        if values.get(key):
            values[key] = enum(values[key])
    return model(**values, **extra)


def read_fields(r: Reader, file: str, path: str, fields: tuple[Field, ...], ctx: _Context) -> dict[str, Any]:
    """Read every field the contract declares for a record (or a nested mapping at `path`), by name."""
    values: dict[str, Any] = {}
    for f in fields:
        where = f"{path}.{f.name}" if path else f.name
        special = ctx.readers.get((file, where)) or ctx.readers.get(("", f.name))
        if special is not None:
            values[f.name] = special(r)
        elif f.kind == "mapping":
            sub = r.mapping(f.name)
            nested = read_fields(sub, file, where, f.fields, ctx) if sub else {c.name: _absent(c) for c in f.fields}
            if sub:
                sub.finish()
            if (file, where) in MERGED:
                values.update(nested)
            else:
                values[f.name] = build(file, where, nested) if sub else None
        elif f.kind == "mappings":
            items = []
            for sub in r.mappings(f.name):
                nested = read_fields(sub, file, where, f.fields, ctx)
                sub.finish()
                if (item := build(file, where, nested)) is not None:
                    items.append(item)
            values[f.name] = tuple(items)
        else:
            values[f.name] = _read_value(r, f, (file, where), ctx)
    return values


def _read_value(r: Reader, f: Field, at: tuple[str, str], ctx: _Context) -> Any:
    """One value of a field of a plain kind, read (and its problems worded) by the Reader method for its kind."""
    kind, key = f.kind, f.name
    if kind in ("text", "markdown"):
        return r.text(key, one_line=f.one_line)
    if kind == "id":
        return r.slug(key)
    if kind == "ids":
        return r.slugs(key)
    if kind == "enum":
        return r.enum(key)
    if kind == "number":
        return r.number(key, below=_BELOW.get(at, ""))
    if kind == "integer":
        return r.integer(key)
    if kind == "boolean":
        return r.boolean(key)
    if kind == "date":
        return r.date(key)
    if kind == "period":
        return r.period(key, ctx.frequency)
    if kind == "texts":
        items = r.texts(key, one_line=f.one_line)
        if f.minimum and isinstance(r.node.get(key), list) and len(items) < f.minimum:
            r.problem(key, _TOO_FEW.get(at) or f"at least {f.minimum:g} items",
                      "an empty list" if not items else f"{len(items)} usable items")
        return items
    raise RuntimeError(f"{r.file}: macros/contract.py declares '{r.prefix}{key}' of the kind '{kind}', which the validator cannot read")


def _records(ctx: _Context, filename: str, label: Callable[[Mapping, int], str]) -> Iterator[tuple[Mapping, Reader, dict[str, Any]]]:
    """Each record of a list file with its Reader (finished) and its values, read from the contract."""
    name, fields = ctx.name(filename), BY_FILE[filename].fields
    for i, node in enumerate(ctx.records(filename)):
        r = Reader(node, name, label(node, i), ctx.problems, spec=fields)
        values = read_fields(r, filename, "", fields, ctx)
        r.finish()
        yield node, r, values


def _labelled(kind: str, id_key: str = "id") -> Callable[[Mapping, int], str]:
    return lambda node, i: _record_label(kind, node, i, id_key)


def _entry(node: Mapping, i: int) -> str:
    return f"entry {i + 1}"


# ---------------------------------------------------------------------------------------------------------------
# Files, and the rules across fields and records


_CURRENCY = re.compile(r"[A-Z]{3}")  # an ISO 4217 code; ASCII only, matched as a whole string


def _currency(r: Reader) -> str:
    currency = r.text("currency").strip()
    if currency and not _CURRENCY.fullmatch(currency):
        r.problem("currency", "a currency code of three capital letters, e.g. EUR or USD", show(currency))
        return ""
    return currency


def _validate_organization(ctx: _Context) -> Organization | None:
    data = ctx.load_file("organization.yml")
    name = ctx.name("organization.yml")
    if data is None:
        return None
    if not isinstance(data, Mapping):
        ctx.problems.append(Problem(name, getattr(data, "line", 1), None, None, "a mapping with name and mission", show(data)))
        return None
    fields = BY_FILE["organization.yml"].fields
    r = Reader(data, name, "organization", ctx.problems, spec=fields)
    values = read_fields(r, "organization.yml", "", fields, ctx)
    r.finish()
    organization = build("organization.yml", "", values)
    ctx.frequency = organization.frequency
    ctx.default_visibility = organization.default_visibility
    return organization


def _languages(r: Reader, ctx: _Context) -> tuple[str, tuple[str, ...]]:
    """organization.yml's `language` and `languages`, read once for both fields (macros/languages.py words them)."""
    if ctx.languages is None:
        ctx.languages = read_languages(r)
    return ctx.languages


def _notes_required(rep: Reader) -> tuple[str, ...]:
    """reporting.notes_required (v1.2): statuses from the contract's list, each once."""
    spec = rep.declared("notes_required")
    assert spec is not None
    out: list[str] = []
    for i, value in enumerate(rep.texts("notes_required", one_line=spec.one_line)):
        if value not in spec.choices:
            rep.problem("notes_required", "statuses, each " + _one_of(spec.choices), f"{show(value)} at item {i + 1}",
                        line=_item_line(rep.node.get("notes_required"), i))
        elif value not in out:
            out.append(value)
    return tuple(out)


def _contacts(r: Reader) -> tuple[str, ...]:
    """A team's contacts (v1.2): GitHub handles, kept without their optional leading @."""
    spec = r.declared("contacts")
    assert spec is not None
    out: list[str] = []
    for i, value in enumerate(r.texts("contacts", one_line=spec.one_line)):
        if not re.fullmatch(spec.pattern, value):
            r.problem("contacts", HANDLE_RULE, f"{show(value)} at item {i + 1}", line=_item_line(r.node.get("contacts"), i))
        elif value.lstrip("@") not in out:
            out.append(value.lstrip("@"))
    return tuple(out)


def _by_key(ctx: _Context, filename: str, kind: str, key: str = "id",
            rules: Callable[[Mapping, Reader, dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """A list file's records by their key (the first of each), each read from the contract and built by keyword;
    `rules` applies the file's rules across fields to a record's values first. A key used twice is a problem."""
    out: dict[str, Any] = {}
    keys = []
    for node, r, values in _records(ctx, filename, _labelled(kind, key)):
        if rules is not None:
            rules(node, r, values)
        keys.append((values[key], node.line))
        record = build(filename, "", values, line=node.line)
        if record is not None and getattr(record, key) not in out:
            out[getattr(record, key)] = record
    if key == "id":
        _unique(ctx, ctx.name(filename), kind, keys)
    else:
        _unique_field(ctx, ctx.name(filename), kind, key, keys)
    return out


def _reserved(node: Mapping, r: Reader, values: dict[str, Any]) -> None:
    values["id"] = _unreserved(r, values["id"])


def _validate_teams(ctx: _Context) -> dict[str, Team]:
    return _by_key(ctx, "teams.yml", "team", rules=_reserved)


def _validate_indicators(ctx: _Context) -> dict[str, Indicator]:
    return _by_key(ctx, "indicators.yml", "indicator")


def _validate_deficits(ctx: _Context) -> dict[str, Deficit]:
    return _by_key(ctx, "deficits.yml", "deficit")


def _target_rules(node: Mapping, r: Reader, values: dict[str, Any]) -> None:
    """A target's id is not reserved, and its deadline comes after its baseline."""
    _reserved(node, r, values)
    baseline, target = values["baseline"], values["target"]
    if baseline and target and target.index <= baseline.index:
        r.problem(
            "target.period",
            f"a deadline after the baseline period {baseline.period}",
            show(target.period),
            line=node["target"].line_of("period") if isinstance(node.get("target"), Mapping) else None,
        )
        values["target"] = None


def _validate_targets(ctx: _Context) -> dict[str, Target]:
    return _by_key(ctx, "targets.yml", "target", rules=_target_rules)


def _validate_capacity(ctx: _Context) -> dict[str, Capacity]:
    return _by_key(ctx, "capacity.yml", "capacity for team", key="team")


def _unique_field(ctx: _Context, file: str, kind: str, field: str, items: list[tuple[str, int]]) -> None:
    first: dict[str, int] = {}
    for value, line in items:
        if value and value in first:
            ctx.problems.append(
                Problem(file, line, f"{kind} '{value}'", field, f"one record per {field} (already at line {first[value]})", show(value))
            )
        elif value:
            first[value] = line


def _validate_recognition(ctx: _Context) -> tuple[Recognition, ...]:
    built = (build("recognition.yml", "", values, line=node.line) for node, _, values in _records(ctx, "recognition.yml", _entry))
    return tuple(rec for rec in built if rec is not None)


def _validate_learning(ctx: _Context) -> tuple[Learning, ...]:
    built = (build("learning.yml", "", values, line=node.line) for node, _, values in _records(ctx, "learning.yml", _entry))
    return tuple(item for item in built if item is not None)


def _check_name(c: Reader, check_names: frozenset[str]) -> str:
    """A checklist item's automated check: one of the checks macros/checks.py computes."""
    check = c.text("check")
    if check and check not in check_names:
        c.problem("check", _one_of(sorted(check_names)), show(check))
        return ""
    return check


def _practice_label(node: Mapping, i: int) -> str:
    return f"practice {node.get('number')}" if isinstance(node.get("number"), int) else f"practice {i + 1}"


def _validate_practices(ctx: _Context) -> tuple[Practice, ...]:
    name = ctx.name("practices.yml")
    out: list[Practice] = []
    numbers: list[tuple[str, int]] = []
    item_ids: list[tuple[str, int]] = []
    for node, _, values in _records(ctx, "practices.yml", _practice_label):
        items = node.get("checklist")
        entries = [item for item in items if isinstance(item, Mapping)] if isinstance(items, list) else []
        item_ids += [(c.id, entry.line) for c, entry in zip(values["checklist"], entries, strict=False)]
        practice = build("practices.yml", "", values, line=node.line)
        if practice is not None:
            numbers.append((str(practice.number), node.line))
            out.append(practice)
    _unique_field(ctx, name, "practice", "number", numbers)
    present = {p.number for p in out}
    missing = [str(n) for n in range(1, 12) if n not in present]
    if missing and not ctx.problems_for(name):
        ctx.problems.append(Problem(name, None, None, "number", "all eleven practices, numbered 1 to 11", "no practice " + ", ".join(missing)))
    _unique(ctx, name, "checklist item", item_ids)
    return tuple(sorted(out, key=lambda p: p.number))


# ---------------------------------------------------------------------------------------------------------------
# Measurements


def _measurement_files(ctx: _Context) -> list[Path]:
    """The CSV files under data/measurements/ (any case of `.csv`); a folder or file where none belongs is a problem."""
    folder = ctx.data_dir / "measurements"
    where = "data/measurements"
    unusable = file_problem(folder, ctx.data_dir, CSV_MAX_BYTES)
    if unusable and unusable != "a folder":
        ctx.problems.append(Problem(where, None, None, None, "a folder of CSV files", unusable))
        return []
    if not folder.is_dir():
        if folder.exists():
            ctx.problems.append(Problem(where, None, None, None, "a folder of CSV files", "a file"))
        return []
    paths = []
    for path in sorted(folder.iterdir()):
        name = f"{where}/{path.name}"
        if path.name.startswith("."):
            continue  # hidden files such as .gitkeep
        unusable = file_problem(path, ctx.data_dir, CSV_MAX_BYTES)
        if unusable == "a folder":
            ctx.problems.append(Problem(name, None, None, None, f"CSV files directly in {where}/ (a folder inside it is not read)", unusable))
        elif unusable:
            ctx.problems.append(Problem(name, None, None, None, "a CSV file", unusable))
        elif path.suffix.lower() != ".csv":
            ctx.problems.append(Problem(name, None, None, None, f"only CSV files (*.csv) in {where}/", f"the file {show(path.name)}"))
        else:
            paths.append(path)
    return paths


# The last validation of the figures, with what it depended on and the problems it found: a live preview's edit to a
# YAML file (a target's value, a team's name) does not read and check every figure again. The frame and series are
# never changed once made (pandas copies on write; a Series is frozen).
_FIGURES_BEFORE: list[tuple[tuple, tuple, tuple[Problem, ...]]] = []


def _validate_measurements(ctx: _Context, teams: dict, indicators: dict) -> tuple[pd.DataFrame, dict[tuple[str, str], Series]]:
    paths = _measurement_files(ctx)
    names = [f"data/measurements/{p.name}" for p in paths]
    known_teams = frozenset(teams) | ctx.seen_ids.get("teams.yml", set())
    known_inds = frozenset(indicators) | ctx.seen_ids.get("indicators.yml", set())
    depends = (known_teams, known_inds, "teams.yml" in ctx.broken, "indicators.yml" in ctx.broken, ctx.frequency,
               ctx.today)
    # The files' keys are read first without keeping their bytes (all at once would add their size to the build's
    # peak memory); the result is kept under the keys of the bytes it was made from.
    known = measurement_keys(paths, names) if _FIGURES_BEFORE else None
    if known is not None and _FIGURES_BEFORE[0][0] == (known, *depends):
        _key, result, said = _FIGURES_BEFORE[0]
        ctx.problems.extend(said)
        return result
    _FIGURES_BEFORE.clear()
    before = len(ctx.problems)
    keys: list[tuple] = []
    frame = load_measurements(paths, names, ctx.problems, keys, known)  # the files unchanged are not read again
    result = _check_measurements(ctx, frame, known_teams, known_inds)
    _FIGURES_BEFORE.append(((tuple(keys), *depends), result, tuple(ctx.problems[before:])))
    return result


def _check_measurements(ctx: _Context, frame: pd.DataFrame, known_teams: frozenset[str],
                        known_inds: frozenset[str]) -> tuple[pd.DataFrame, dict[tuple[str, str], Series]]:
    """The figures' own checks and their series, from the frame `load_measurements` read."""
    # Strip stray spaces and parse periods once per distinct spelling: a million rows have few teams, indicators
    # and periods.
    freq = ctx.frequency
    period_index = np.full(len(frame), np.nan)
    codes: dict[str, np.ndarray] = {}
    names: dict[str, np.ndarray] = {}
    for col in ("team", "indicator", "period"):
        raw_codes, uniques = frame[col].cat.codes.to_numpy(), frame[col].cat.categories
        # Spellings that differ only by stray spaces are one id: strip, then number the stripped spellings.
        stripped_codes, stripped = pd.factorize(pd.Index(uniques, dtype=object).str.strip().to_numpy(dtype=object))
        codes[col] = stripped_codes[raw_codes] if len(uniques) else raw_codes.astype(np.int64)
        names[col] = np.asarray(stripped, dtype=object)
        frame[col] = pd.Categorical.from_codes(codes[col], categories=names[col])
        if col == "period" and len(uniques):
            parsed = np.array([parse_period(p, freq) for p in names[col]], dtype=float)
            period_index = parsed[codes[col]]
    problems = ctx.problems

    def report(mask: pd.Series, field: str, expected: str, found: Callable[[pd.Series], str]) -> None:
        for row in frame[mask].itertuples(index=False):
            problems.append(Problem(row.file, int(row.line), f"row for team {show(row.team)}", field, expected, found(row)))

    hints: dict[tuple[str, str], str] = {}  # one suggestion per unknown id, not per row

    def unknown(value: str, what: str, known: set[str]) -> str:
        if not value:
            return "nothing"
        if (what, value) not in hints:
            hints[(what, value)] = suggest(value, known)
        return f"{show(value)} (unknown {what}{hints[(what, value)]})"

    bad_team = _unknown(codes["team"], names["team"], known_teams, frame.index)
    if "teams.yml" not in ctx.broken:
        report(bad_team, "team", "a team id from data/teams.yml", lambda r: unknown(r.team, "team", known_teams))
    bad_ind = _unknown(codes["indicator"], names["indicator"], known_inds, frame.index)
    if "indicators.yml" not in ctx.broken:
        report(bad_ind, "indicator", "an indicator id from data/indicators.yml", lambda r: unknown(r.indicator, "indicator", known_inds))
    frame["index"] = period_index
    bad_period = frame["index"].isna()
    report(bad_period, "period", describe_period(freq), lambda r: show(r.period))
    # A figure for a period that has not begun yet is a typo (2099-12 for 2024-12), not a forecast.
    current = period_of(ctx.today, freq)
    future = pd.Series(period_index > current, index=frame.index)
    report(future, "period", f"a period that has begun (today, {ctx.today.isoformat()}, is in {format_period(current, freq)})",
           lambda r: show(r.period))
    bad_period |= future
    early = pd.Series(period_index < first_period(freq), index=frame.index)
    report(early, "period", f"a period from {FIRST_YEAR} on like {EXAMPLES[freq]} (earlier ones are taken for a typo: "
           f"0025-01 for 2025-01)", lambda r: show(r.period))
    bad_period |= early
    # Convert each distinct spelling once.
    spelled = _numbers(frame["value"].cat.categories)
    values = pd.Series(spelled[frame["value"].cat.codes.to_numpy()] if len(spelled) else np.empty(len(frame)), index=frame.index)
    finite = np.isfinite(values.to_numpy())
    bad_value = pd.Series(~finite, index=frame.index)
    report(bad_value, "value", "a number like 12.5 (no units or thousands separators)", lambda r: show(str(r.value).strip()) if str(r.value).strip() else "nothing")
    too_large = pd.Series(finite & (np.abs(np.nan_to_num(values.to_numpy())) > VALUE_MAX), index=frame.index)
    report(too_large, "value", f"a number from -{VALUE_MAX:.0e} to {VALUE_MAX:.0e}", lambda r: show(str(r.value).strip()))
    bad_value |= too_large
    frame["value"] = values
    key = ["team", "indicator", "period"]
    # One number per (team, indicator, period) from the codes above: comparing numbers, not three text columns.
    n_ind, n_per = max(len(names["indicator"]), 1), max(len(names["period"]), 1)
    pair = codes["team"].astype(np.int64) * n_ind + codes["indicator"]
    dups = pd.Series(pair * n_per + codes["period"], index=frame.index).duplicated(keep=False)
    dups &= ~(bad_team | bad_ind | bad_period)
    if dups.any():
        sub = frame[dups].sort_values(["file", "line"])
        for _, group in sub.groupby(key, sort=False, observed=True):
            first = group.iloc[0]
            for row in group.iloc[1:].itertuples(index=False):
                problems.append(
                    Problem(
                        row.file, int(row.line), f"row for team {show(row.team)}", "period",
                        f"one figure per team, indicator and period (already at {first.file}:{int(first.line)})",
                        f"a second figure for {row.indicator} in {row.period}",
                    )
                )
    good = (~(bad_team | bad_ind | bad_period | bad_value | dups)).to_numpy()
    frame = frame[good].copy()
    frame["index"] = frame["index"].astype("int64")
    series = _build_series(frame, pair[good], names["team"], names["indicator"], n_ind)
    return frame.reset_index(drop=True), series


_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _numbers(spellings: pd.Index) -> np.ndarray:
    """Read each distinct spelling of a value as a number (NaN where it is none)."""
    try:
        return pd.to_numeric(pd.Series(spellings, dtype=object), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    except (OverflowError, ValueError):  # an integer too large for a float: read one by one
        out = []
        for s in spellings:
            text = str(s).strip()
            if not _NUMBER_RE.fullmatch(text):
                out.append(np.nan)
                continue
            number = float(text)
            out.append(number if math.isfinite(number) else math.copysign(np.finfo(float).max, number))  # too large
        return np.array(out, dtype=float)


def _unknown(codes: np.ndarray, names: np.ndarray, known: set[str], index: pd.Index) -> pd.Series:
    """Mark the rows whose id (numbered by `codes` into `names`) is not in `known`, deciding once per id."""
    unknown = np.array([name not in known for name in names], dtype=bool)
    return pd.Series(unknown[codes], index=index)


def _build_series(frame: pd.DataFrame, pair: np.ndarray, team_names: np.ndarray, ind_names: np.ndarray,
                  n_ind: int) -> dict[tuple[str, str], Series]:
    """Group the valid figures into one Series per (team, indicator); `pair` numbers each row's team and indicator."""
    if frame.empty:
        return {}
    order = np.lexsort((frame["index"].to_numpy(), pair))
    pair = pair[order]
    idx = _shared(frame["index"].to_numpy()[order])
    vals = _shared(frame["value"].to_numpy(dtype=float)[order])
    notes = frame["note"].to_numpy()[order].tolist()
    # Split where the (team, indicator) pair changes, found at once rather than row by row.
    bounds = [0, *(np.flatnonzero(np.diff(pair)) + 1).tolist(), len(pair)]
    out = {}
    team_names, ind_names = team_names.tolist(), ind_names.tolist()
    for a, b in zip(bounds, bounds[1:], strict=False):
        code = int(pair[a])
        key = (team_names[code // n_ind], ind_names[code % n_ind])
        out[key] = Series(tuple(idx[a:b]), tuple(vals[a:b]), tuple(notes[a:b]))
    return out


def _shared(column: np.ndarray) -> list:
    """The column's numbers as Python objects, one object per distinct number (by its bits: 0.0 and -0.0 stay two).

    A million figures hold a few dozen periods and a few thousand values; an object per figure costs 24-28 bytes
    more each (about 150 MiB of the 5,000-team organization's 3,000,000 figures)."""
    if column.dtype.kind == "f":
        codes, bits = pd.factorize(column.view(np.int64))
        objects = np.array(bits.view(np.float64).tolist(), dtype=object)
    else:
        codes, uniques = pd.factorize(column)
        objects = np.array(uniques.tolist(), dtype=object)
    return objects[codes].tolist()


# ---------------------------------------------------------------------------------------------------------------
# Cross-references


def _check_refs(ctx: _Context, parts: dict[str, Any]) -> None:
    """Every reference the contract declares (`refers_to`) names a known record; then the rules across them."""
    P = ctx.problems
    for _, ref in references(parts):
        pool = ref_pool(parts, ref.source)
        known = ctx.seen_ids.get(ref.source, set())
        if ref.value in pool or ref.value in known or ref.source in ctx.broken:
            continue
        what = RECORDS[ref.source].noun
        article = "an" if what[0] in "aeiou" else "a"
        file = ctx.name(ref.file)
        line = _field_line(ctx.nodes.get((file, ref.line)), ref.field, ref.value) or ref.line
        found = f"{show(ref.value)} (unknown {what}{suggest(ref.value, set(pool) | known)})"
        P.append(Problem(file, line, ref.record, ref.field, f"{article} {what} id from data/{ref.source}", found))
    targets = parts["targets"]
    for t in targets.values():
        rec = f"target '{t.id}'"
        if len(set(t.teams)) != len(t.teams):
            P.append(Problem("data/targets.yml", t.line, rec, "teams", "each team once", "a team listed twice"))
        for i, g in enumerate(t.guardrails):
            if g.indicator == t.indicator:
                P.append(Problem("data/targets.yml", t.line, rec, f"guardrails[{i + 1}].indicator", "a different indicator from the target's own", show(g.indicator)))
    for i, r in enumerate(parts["recognition"]):
        if r.target in targets and r.team in parts["teams"] and r.team not in targets[r.target].teams:
            P.append(Problem("data/recognition.yml", r.line, f"entry {i + 1}", "target", f"a target that team '{r.team}' carries", show(r.target)))


# ---------------------------------------------------------------------------------------------------------------


def today_of(today: date | None = None) -> date:
    """The day `check` and the build run on: `today`, else $HANDBOOK_TODAY (YYYY-MM-DD, for tests), else the clock."""
    if today is not None:
        return today
    value = os.environ.get("HANDBOOK_TODAY", "").strip()
    if not value:
        return date.today()
    when = _iso_date(value)
    if when is None:
        raise DataError([Problem("HANDBOOK_TODAY", None, None, None, "a date YYYY-MM-DD like 2025-03-31", show(value))])
    # Periods start in FIRST_YEAR, and due dates, deadlines and projections reach up to YEARS_AHEAD and more past
    # today: a day near year 9999 would overflow Python's dates in the build.
    if not FIRST_YEAR <= when.year <= TODAY_LAST_YEAR:
        raise DataError([Problem("HANDBOOK_TODAY", None, None, None,
                                 f"a date from {FIRST_YEAR} to {TODAY_LAST_YEAR}", show(value))])
    return when


TODAY_LAST_YEAR = 9000


def validate_data(data_dir: Path, check_names: frozenset[str] | None = None, today: date | None = None) -> Handbook:
    """Load and validate everything under data_dir; raise DataError listing every problem.

    `today` (default: $HANDBOOK_TODAY, else the clock) is the day figures must not be later than.
    """
    with paused_gc():
        return _validate_data(data_dir, check_names, today)


def _validate_data(data_dir: Path, check_names: frozenset[str] | None, today: date | None) -> Handbook:
    if check_names is None:
        check_names = frozenset(CHECK_NAMES)
    ctx = _Context(Path(data_dir), today_of(today))
    names = check_names
    # Fields read with a rule of their own (their kind's Reader method, then a check the contract cannot say).
    ctx.readers = {
        ("organization.yml", "currency"): _currency,
        ("organization.yml", "reporting.notes_required"): _notes_required,
        ("teams.yml", "contacts"): _contacts,
        # The language and the site's languages, read together (a code the handbook writes; the one among the other).
        ("organization.yml", "language"): lambda r: _languages(r, ctx)[0],
        ("organization.yml", "languages"): lambda r: _languages(r, ctx)[1],
        ("practices.yml", "checklist.check"): lambda c: _check_name(c, names),
        # Without a visibility, the organization's default_visibility (read first).
        ("", "visibility"): lambda r: r.enum("visibility", default=ctx.default_visibility),
    }
    if not ctx.data_dir.is_dir():
        raise DataError([Problem(str(data_dir), None, None, None, "a data folder", "no such folder")])
    organization = _validate_organization(ctx)
    teams = _validate_teams(ctx)
    indicators = _validate_indicators(ctx)
    deficits = _validate_deficits(ctx)
    targets = _validate_targets(ctx)
    capacity = _validate_capacity(ctx)
    recognition = _validate_recognition(ctx)
    learning = _validate_learning(ctx)
    practices = _validate_practices(ctx)
    measurements, series = _validate_measurements(ctx, teams, indicators)
    parts = dict(teams=teams, indicators=indicators, deficits=deficits, targets=targets, capacity=capacity,
                 recognition=recognition, learning=learning)
    _check_refs(ctx, parts)
    latest = int(measurements["index"].max()) if len(measurements) else None
    hb = None
    if organization is not None:
        hb = Handbook(
            organization, teams, indicators, deficits, targets, capacity, recognition, learning, practices,
            measurements, series, latest, today=ctx.today,
        )
        # A public record may not depend on an internal one (macros/edition.py): a data error in either edition.
        ctx.problems += check_edition_rules(hb)
        ctx.problems += check_translations(ctx.data_dir, hb)
        if organization.notes_required and not ctx.problems:
            ctx.problems += check_notes_required(hb)
    if ctx.problems or hb is None:
        raise DataError(ctx.problems or [Problem("data/organization.yml", None, None, None, "a valid file", "none")])
    return hb
