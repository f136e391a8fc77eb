"""Read data files: YAML with line numbers and strict keys, measurement CSVs with file and line per row."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .errors import Problem, show

MEASUREMENT_COLUMNS = ["team", "indicator", "period", "value", "note"]


class Mapping(dict):
    """A YAML mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A YAML sequence that remembers its line and each item's line (1-based)."""

    line: int = 0
    item_lines: list


class _DuplicateKey(Exception):
    def __init__(self, key: str, first: int, second: int):
        self.key, self.first, self.second = key, first, second


# libyaml's parser is 25 times faster than the pure-Python one; the constructor below is the same for both.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps lines, rejects duplicate keys and keeps dates and yes/no as text."""

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        self.flatten_mapping(node)
        result = Mapping()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            key = key if isinstance(key, str) else str(key)
            line = key_node.start_mark.line + 1
            if key in result.key_lines:
                raise _DuplicateKey(key, result.key_lines[key], line)
            result.key_lines[key] = line
            result[key] = self.construct_object(value_node, deep=True)
        return result

    def construct_sequence(self, node, deep=False):  # type: ignore[override]
        result = Sequence(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)
# YAML 1.1 turns `2024-03-01` into a date (and `2026-13-01` into a crash) and `NO` into False. Keep dates as
# text for the validator to check with a precise message, and take only true/false as booleans (YAML 1.2).
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


def load_yaml(path: Path, name: str, problems: list[Problem]) -> object:
    """Parse one YAML file; on failure record a problem and return None."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, None, None, None, "a UTF-8 text file", f"undecodable byte at offset {exc.start}"))
        return None
    tab = _TAB_INDENT.search(text)
    if tab:
        line = text.count("\n", 0, tab.start()) + 1
        problems.append(Problem(name, line, None, None, "indentation with spaces", "a tab (YAML forbids tabs for indentation)"))
        return None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from (C)SafeLoader
    except _DuplicateKey as exc:
        problems.append(
            Problem(name, exc.second, None, exc.key, f"each key once per record (first at line {exc.first})", "a duplicate key")
        )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(filter(None, [exc.context, exc.problem]))
        problems.append(Problem(name, line, None, None, "valid YAML", f"a syntax error ({what})"))
    except yaml.YAMLError as exc:
        problems.append(Problem(name, None, None, None, "valid YAML", f"a syntax error ({exc})"))
    return None


def load_measurements(paths: list[Path], names: list[str], problems: list[Problem]) -> pd.DataFrame:
    """Read every measurement CSV into one frame with `file` and `line` columns; values still text.

    Every column is categorical: a million rows hold a few thousand distinct teams, indicators, periods, values
    and notes, so the CSV parser numbers each spelling once and later steps work per spelling, not per row.
    """
    frames, files, lines = [], [], []
    for path, name in zip(paths, names, strict=True):
        raw = path.read_bytes()
        try:
            frame = pd.read_csv(
                io.BytesIO(raw), dtype="category", keep_default_na=False, na_filter=False, encoding="utf-8-sig",
                skip_blank_lines=True,
            )
        except pd.errors.EmptyDataError:
            problems.append(Problem(name, 1, None, None, "the header " + ",".join(MEASUREMENT_COLUMNS), "an empty file"))
            continue
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            problems.append(Problem(name, None, None, None, "a valid CSV file", f"{type(exc).__name__}: {str(exc).strip()}"))
            continue
        header = [str(c).strip() for c in frame.columns]
        frame.columns = header
        missing = [c for c in MEASUREMENT_COLUMNS if c not in header]
        extra = [c for c in header if c not in MEASUREMENT_COLUMNS]
        if missing or extra:
            found = []
            if missing:
                found.append("missing " + ", ".join(missing))
            if extra:
                found.append("unknown " + ", ".join(show(c) for c in extra))
            problems.append(Problem(name, 1, None, None, "the header " + ",".join(MEASUREMENT_COLUMNS), "; ".join(found)))
            continue
        frames.append(frame)
        files.append(name)
        # pandas drops blank lines, so recover physical line numbers from the raw text when any exist.
        lines.append(_data_lines(raw, len(frame)))
    if not frames:
        return pd.DataFrame({c: pd.Categorical([]) for c in [*MEASUREMENT_COLUMNS, "file"]}).assign(
            line=pd.Series(dtype="int64")
        )
    columns = {c: _concat_categorical([f[c] for f in frames]) for c in MEASUREMENT_COLUMNS}
    # One label per file, repeated: a category column costs a code per row, not a string.
    columns["file"] = pd.Categorical.from_codes(np.repeat(np.arange(len(files)), [len(f) for f in frames]), categories=files)
    columns["line"] = np.concatenate(lines)
    return pd.DataFrame(columns)


def _concat_categorical(parts: list[pd.Series]) -> pd.Categorical:
    """Join categorical columns read from several files, numbering their spellings once across all of them."""
    categories = [p.cat.categories.to_numpy(dtype=object) for p in parts]
    numbers, spellings = pd.factorize(np.concatenate(categories))
    codes, start = [], 0
    for part, cats in zip(parts, categories, strict=True):
        codes.append(numbers[start:start + len(cats)][part.cat.codes.to_numpy()])
        start += len(cats)
    return pd.Categorical.from_codes(np.concatenate(codes), categories=spellings)


def _data_lines(raw: bytes, rows: int) -> np.ndarray:
    """Return the 1-based line of each data row, skipping blank lines as pandas does."""
    # A blank line is "\n\n" once "\r\n" reads as "\n": so "\n\n" or "\n\r\n" in the raw bytes.
    if b'"' not in raw and b"\n\n" not in raw and b"\n\r\n" not in raw:
        return np.arange(2, rows + 2, dtype=np.int64)
    import csv

    lines = []
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    next(reader, None)
    for record in reader:
        if record:
            lines.append(reader.line_num)
    return np.array((lines + list(range(len(lines) + 2, rows + 2)))[:rows], dtype=np.int64)
