"""Read data files: YAML with line numbers and strict keys, measurement CSVs with file and line per row."""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import re
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .errors import Problem, show

MEASUREMENT_COLUMNS = ["team", "indicator", "period", "value", "note"]
_TEXT_COLUMNS = ("team", "indicator", "period", "note")

# Limits on what a data file may hold (documented in the README): beyond them `check` refuses the file at once,
# rather than spend minutes and gigabytes on it.
YAML_MAX_BYTES = 10_000_000  # one YAML file
CSV_MAX_BYTES = 100_000_000  # one measurement CSV
CSV_LINE_MAX = 100_000  # bytes on one physical line of a CSV
CSV_FIELD_MAX = 10_000  # characters in one CSV field (a note, most likely)
YAML_DEPTH_MAX = 50  # levels of lists and mappings inside each other
YAML_ALIAS_MAX = 100_000  # nodes that aliases (`*name`) may repeat in one file, in all
NUMBER_DIGITS_MAX = 100  # digits of a number written in YAML
YAML_VALUES_MAX = 250_000  # values in one YAML file (a 1,000-team teams.yml holds about 5,000)


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
        own = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
        self.flatten_mapping(node)  # puts the pairs of `<<: *anchor` merges first
        merged = len(node.value) - own
        result = Mapping()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        seen: set[str] = set()
        for i, (key_node, value_node) in enumerate(node.value):
            key = self.construct_object(key_node, deep=True)
            key = key if isinstance(key, str) else str(key)
            line = key_node.start_mark.line + 1
            if i >= merged:  # a key of the mapping itself: once, and it overrides a merged one
                if key in seen:
                    raise _DuplicateKey(key, result.key_lines[key], line)
                seen.add(key)
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
# Numbers too as YAML 1.2 writes them: YAML 1.1 reads `10:30` as 630 (base 60), `1_000` as 1000, `0x1F` as 31 and an
# id `007` as 7, each silently; here they stay text, and `1e5` is a number.
_REPLACED = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)

# Fields up to the size of a file are read whole (the csv module stops at 131,072 characters by default);
# _first_long_field then refuses those beyond CSV_FIELD_MAX with their line.
csv.field_size_limit(max(csv.field_size_limit(), CSV_MAX_BYTES))

_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)

# The node types the data contract holds: text, numbers, true/false, nothing, lists and mappings (and `<<` merge
# keys). PyYAML's safe loader also builds sets, bytes, dates, ordered pairs from !!set, !!binary, !!timestamp...
_YAML = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "merge")}


def undecodable_line(raw: bytes, exc: UnicodeDecodeError) -> tuple[int, str]:
    """Say where a byte that is not UTF-8 is: its line, and the byte."""
    line = raw.count(b"\n", 0, exc.start) + 1
    byte = raw[exc.start:exc.start + 1].hex()
    return line, f"the byte 0x{byte} on line {line}, which is not UTF-8 (save the file as UTF-8)"


def file_problem(path: Path, root: Path, limit: int) -> str | None:
    """Say what makes path unusable as a data file under root (a "found" text), or None if it is a readable file.

    A missing file is not a problem here (the caller knows whether it is required); a broken link, a folder, a
    device, a pipe, a link leading outside the data folder or a file beyond `limit` bytes is.
    """
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.exists():
                return "a broken symbolic link (it leads nowhere)"
            if not target.is_relative_to(root.resolve()):
                return "a symbolic link to a place outside the data folder"
        if not path.exists():
            return None
        if path.is_dir():
            return "a folder"
        if not path.is_file():
            return "a device, pipe or other special file"
        size = path.stat().st_size
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
        return f"a file that cannot be read ({type(exc).__name__})"
    if size > limit:
        return f"a file of {size:,} bytes (at most {limit:,} allowed)"
    return None


def _refuse_node(node) -> tuple[int, str, str, str | None] | None:
    """Walk a composed YAML document once; return (line, expected, found, field) for what the contract cannot hold
    (field: the key, dotted under its parents' keys, whose value it is).

    Refused: tags other than text, numbers, booleans, null, lists and mappings; numbers of more than
    NUMBER_DIGITS_MAX digits; mapping keys that are lists or mappings; nesting deeper than YAML_DEPTH_MAX; and
    aliases that repeat more than YAML_ALIAS_MAX nodes in all (an "alias bomb" grows exponentially as it nests).
    """
    size: dict[int, int] = {}  # id(node) -> nodes it holds, aliases expanded
    seen: set[int] = set()
    repeated = 0
    stack: list[tuple] = [(node, 1, False, None)]
    while stack:
        n, depth, done, field = stack.pop()
        key = id(n)
        line = n.start_mark.line + 1
        if done:
            children = _children(n)
            size[key] = 1 + sum(size.get(id(c), 1) for c in children)
            continue
        if key in seen:
            # An alias: the node is composed once and referred to again; count what it repeats.
            if key not in size:
                return line, "no alias inside its own anchor", "a recursive alias", field
            repeated += size[key]
            if repeated > YAML_ALIAS_MAX:
                return line, f"aliases (*name) that repeat at most {YAML_ALIAS_MAX:,} values in all", "more (an alias bomb?)", field
            continue
        seen.add(key)
        if n.tag not in _ALLOWED_TAGS:
            tag = n.tag.replace(_YAML, "!!")
            return line, "text, numbers, true/false, lists and mappings", f"the YAML tag {tag} (remove it, or quote the value)", field
        if depth > YAML_DEPTH_MAX:
            return line, f"lists and mappings nested at most {YAML_DEPTH_MAX} levels deep", "deeper nesting", field
        if isinstance(n, yaml.ScalarNode):
            if n.tag in (_YAML + "int", _YAML + "float") and len(n.value) > NUMBER_DIGITS_MAX:
                return line, f"a number of at most {NUMBER_DIGITS_MAX} digits", f"a number of {len(n.value):,} characters", field
            size[key] = 1
            continue
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                if not isinstance(k, yaml.ScalarNode):
                    # An alias used as a key has the position of its anchor; its value is where the key is used.
                    return v.start_mark.line + 1, "a key that is text", "a list or mapping used as a key", field
        stack.append((n, depth, True, field))
        stack.extend((c, depth + 1, False, f) for c, f in reversed(_children_fields(n, field)))
    return None


def _children_fields(node, field: str | None) -> list[tuple]:
    """Each child with the field it belongs to: a mapping's value is its key's field, below its parent's."""
    if isinstance(node, yaml.MappingNode):
        out = []
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) and k.tag != _YAML + "merge" else None
            out += [(k, field), (v, f"{field}.{key}" if field and key else key or field)]
        return out
    return [(c, field) for c in _children(node)]


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [c for pair in node.value for c in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def decode_text(raw: bytes, name: str, problems: list[Problem]) -> str | None:
    """A data file's text (UTF-8, with or without a byte order mark); None, with its problem added, when it is not."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, found = undecodable_line(raw, exc)
        problems.append(Problem(name, line, None, None, "a UTF-8 text file", found))
        return None


def load_yaml(path: Path, name: str, problems: list[Problem]) -> object:
    """Parse one YAML file; on failure record a problem and return None.

    A file read before with the same name and content is not parsed again (a live preview's rebuild after a figure
    edit re-reads teams.yml and targets.yml unchanged): the caller gets its own copy of the parse, and its problems.
    """
    raw = path.read_bytes()
    content = (len(raw), hashlib.blake2b(raw, digest_size=16).digest())
    done = _PARSED.get(name)
    if done is None or done[0] != content:
        said: list[Problem] = []
        done = _PARSED[name] = (content, _load_yaml_text(raw, name, said), tuple(said))
    _content, parsed, said_before = done
    problems.extend(said_before)
    with paused_gc():  # a copy of a large file's values makes as many objects as its parse
        return _copy_tree(parsed)


_PARSED: dict[str, tuple] = {}  # file name -> ((size, digest) of its content, the parse, its problems): the last one


def _copy_tree(node: object) -> object:
    """A copy of a parse's mappings and sequences, lines included (its texts and numbers are immutable)."""
    if isinstance(node, Mapping):
        made = Mapping((k, _copy_tree(v)) for k, v in node.items())
        made.line, made.key_lines = node.line, dict(node.key_lines)
        return made
    if isinstance(node, Sequence):
        made = Sequence(_copy_tree(v) for v in node)
        made.line, made.item_lines = node.line, list(node.item_lines)
        return made
    return node


def _load_yaml_text(raw: bytes, name: str, problems: list[Problem]) -> object:
    text = decode_text(raw, name, problems)
    if text is None:
        return None
    tab = _TAB_INDENT.search(text)
    if tab:
        line = text.count("\n", 0, tab.start()) + 1
        problems.append(Problem(name, line, None, None, "indentation with spaces", "a tab (YAML forbids tabs for indentation)"))
        return None
    with paused_gc():
        return _parse_yaml(text, name, problems)


@contextmanager
def paused_gc():
    """No garbage collection meanwhile: while data is read and validated, nothing it builds is garbage yet, and the
    collector's scans of a growing heap made reading superlinear (a 9.5 MB flow list: 23 s with them, 13 s without;
    `check` of it, 56 s and 41 s with them). A reference cycle made meanwhile is collected afterwards."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _too_many_values(text: str) -> int | None:
    """The line where a file passes YAML_VALUES_MAX values (scalars, lists and mappings), or None.

    A cheap bound first: each value starts at the start of the text, a line break or an indicator (`-`, `:`, `,`,
    `[`, `{`, `?`), and at most two at each (a list or mapping and its first item). Only a file past the bound is
    counted, by libyaml's events, up to the limit: reading costs a time per value, not per byte, and a flow list
    `[1,1,1,...]` holds five million values in 10 MB.
    """
    rough = 2 * (1 + sum(text.count(c) for c in "\n-:,[{?"))
    if rough <= YAML_VALUES_MAX:
        return None
    count = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                count += 1
                if count > YAML_VALUES_MAX:
                    return event.start_mark.line + 1
    except yaml.YAMLError:
        return None  # reported with its line when the file is read
    return None


def _parse_yaml(text: str, name: str, problems: list[Problem]) -> object:
    if (line := _too_many_values(text)) is not None:
        problems.append(Problem(name, line, None, None, f"at most {YAML_VALUES_MAX:,} values in one file (texts, "
                                "numbers, lists and mappings)", "more; split the records into fewer, or check "
                                "that the file is the one meant"))
        return None
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return None
        refused = _refuse_node(node)
        if refused:
            problems.append(Problem(name, refused[0], None, refused[3], refused[1], refused[2]))
            return None
        return loader.construct_document(node)
    except _DuplicateKey as exc:
        problems.append(
            Problem(name, exc.second, None, exc.key, f"each key once per record (first at line {exc.first})", "a duplicate key")
        )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(filter(None, [exc.context, exc.problem]))
        problems.append(Problem(name, line, None, None, "valid YAML", f"a syntax error ({what})"))
    except yaml.reader.ReaderError as exc:
        # libyaml counts bytes of the UTF-8 text, the pure-Python reader characters.
        before = text.encode("utf-8")[:exc.position].decode("utf-8", "ignore") if _BaseLoader is not yaml.SafeLoader else text[:exc.position]
        line = before.count("\n") + 1
        problems.append(Problem(name, line, None, None, "text YAML allows",
                                f"the character U+{exc.character:04X} on line {line} (a control character YAML forbids; remove it)"))
    except yaml.YAMLError as exc:
        problems.append(Problem(name, None, None, None, "valid YAML", f"a syntax error ({' '.join(str(exc).split())})"))
    except RecursionError:  # the pure-Python parser (without libyaml) recurses per level of nesting
        problems.append(Problem(name, None, None, None, f"lists and mappings nested at most {YAML_DEPTH_MAX} levels deep", "deeper nesting"))
    except (ValueError, OverflowError) as exc:  # a value the constructor cannot build
        problems.append(Problem(name, None, None, None, "valid YAML values", f"{type(exc).__name__}: {str(exc)[:200]}"))
    finally:
        if loader is not None:
            loader.dispose()
    return None


def measurement_keys(paths: list[Path], names: list[str]) -> tuple[tuple, ...]:
    """Each measurement file's key: its name, size and content digest (the bytes are not kept)."""
    return tuple(_file_key(name, path.read_bytes()) for path, name in zip(paths, names, strict=True))


def _file_key(name: str, raw: bytes) -> tuple:
    return name, len(raw), hashlib.blake2b(raw, digest_size=16).digest()


def load_measurements(paths: list[Path], names: list[str], problems: list[Problem],
                      keys: list[tuple] | None = None, known: tuple[tuple, ...] | None = None) -> pd.DataFrame:
    """Read every measurement CSV into one frame with `file` and `line` columns; values still text (`keys`, when
    given, gets the key of each file as read: see `measurement_keys`; `known`: the files' keys just read by
    `measurement_keys`, whose parse, when kept, is taken without reading the file again).

    Every column is categorical: a million rows hold a few thousand distinct teams, indicators, periods, values
    and notes, so the CSV parser numbers each spelling once and later steps work per spelling, not per row.
    """
    frames, files, lines = [], [], []
    for i, (path, name) in enumerate(zip(paths, names, strict=True)):
        if known is not None and known[i] in _READ:  # parsed from the bytes that key was read from
            key, raw = known[i], b""
        else:
            raw = path.read_bytes()
            key = _file_key(name, raw)
        if keys is not None:
            keys.append(key)
        done = _READ.get(key)
        if done is None:
            said: list[Problem] = []
            done = _READ[key] = (_read_measurement_file(raw, name, said), tuple(said))
        read, said_before = done
        problems.extend(said_before)
        if read is None:
            continue
        frame, row_lines = read
        frames.append(frame)
        files.append(name)
        lines.append(row_lines)
    if not frames:
        return pd.DataFrame({c: pd.Categorical([]) for c in [*MEASUREMENT_COLUMNS, "file"]}).assign(
            line=pd.Series(dtype="int64")
        )
    columns = {c: _concat_categorical([f[c] for f in frames]) for c in MEASUREMENT_COLUMNS}
    # One label per file, repeated: a category column costs a code per row, not a string.
    columns["file"] = pd.Categorical.from_codes(np.repeat(np.arange(len(files)), [len(f) for f in frames]), categories=files)
    columns["line"] = np.concatenate(lines)
    return pd.DataFrame(columns)


# Each measurement file's parse, by its name and content: a live preview re-reads only the files that changed (a
# figure edit touches one file of a large organization's dozens). The frames are never changed once read.
_READ: dict[tuple, tuple] = {}
_READ_MAX = 512


def _read_measurement_file(raw: bytes, name: str, problems: list[Problem]) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Parse one measurement file: its frame and the physical line of each row, or None (its problems added)."""
    if len(_READ) > _READ_MAX:
        _READ.clear()
    text = decode_text(raw, name, problems)
    if text is None:
        return None
    long_line = _first_long_line(raw)
    if long_line is not None:
        problems.append(Problem(name, long_line, None, None, f"lines of at most {CSV_LINE_MAX:,} bytes", "a longer line"))
        return None
    # Lines with more or fewer fields than the header, or a stray quote: each reported at its line with what to
    # do, and left out, so the other lines are still checked (every problem at once).
    bad, kept = bad_records(raw, text, name)
    known_lines = None
    if bad:
        problems.extend(bad)
        raw, known_lines = kept
    try:
        frame = pd.read_csv(
            io.BytesIO(raw), dtype="category", keep_default_na=False, na_filter=False, encoding="utf-8-sig",
            skip_blank_lines=True,
        )
    except pd.errors.EmptyDataError:
        problems.append(Problem(name, 1, None, None, "the header " + ",".join(MEASUREMENT_COLUMNS), "an empty file"))
        return None
    except (pd.errors.ParserError, ValueError) as exc:
        line, found = _csv_error(text)
        problems.append(Problem(name, line, None, None, "a valid CSV file", found or f"{type(exc).__name__}: {str(exc).strip()}"))
        return None
    # pandas numbers the categories of a column whose every value reads as a number: team "007" would become 7.
    # Read such text columns again as text, keeping each spelling.
    numeric = [c for c in frame.columns
               if str(c).strip() in _TEXT_COLUMNS and frame[c].cat.categories.dtype.kind in "iufcb"]
    if numeric:
        frame = pd.read_csv(
            io.BytesIO(raw), dtype={c: (str if c in numeric else "category") for c in frame.columns},
            keep_default_na=False, na_filter=False, encoding="utf-8-sig", skip_blank_lines=True,
        )
        for c in numeric:
            frame[c] = frame[c].astype("category")
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas takes a first column without a header as the index: the first row has one field too many.
        line, found = _csv_error(text)
        problems.append(Problem(name, line, None, None, "a valid CSV file", found or "more fields on a line than the header has"))
        return None
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
        problems.append(Problem(name, 1, None, None, "the header " + ",".join(MEASUREMENT_COLUMNS),
                                "; ".join(found) + separator_hint(header)))
        return None
    # pandas drops blank lines, so recover physical line numbers from the raw text when any exist.
    row_lines = _data_lines(raw, len(frame)) if known_lines is None else known_lines[:len(frame)]
    long_field = _first_long_field(frame, row_lines)
    if long_field is not None:
        problems.append(Problem(name, long_field[0], None, long_field[1], f"a field of at most {CSV_FIELD_MAX:,} characters",
                                f"{long_field[2]:,} characters"))
        return None
    return frame, row_lines


COMMA_HINT = 'a note holding a comma must be in double quotes, like "Ice, snow"'
MISSING_HINT = "an empty value or note still needs its comma: end a line without a note with ','"
QUOTE_HINT = ('a double quote only around a whole field, doubled inside it, like "He said ""no"""; or no quote '
              "at all")
# A record as the contract writes it: fields separated by commas, each either quoted whole (a quote inside doubled)
# or holding no quote at all.
_FIELD = r'(?:"(?:[^"]|"")*"|[^,"\n]*)'
_RECORD = re.compile(f"{_FIELD}(?:,{_FIELD})*")
_SHOWN = 120  # characters of a bad line shown in its message


def _shown(line: str) -> str:
    return repr(line if len(line) <= _SHOWN else line[:_SHOWN - 3] + "...")


def bad_records(raw: bytes, text: str, name: str) -> tuple[list[Problem], tuple[bytes, np.ndarray]]:
    """Find the lines of a CSV whose fields do not match its header, or that hold a stray quote.

    Return a problem for each, and the file without them (its header and good records) with the line each good
    record starts on; no problem and nothing else when every line is good. A file without quotes is checked by
    counting commas (fast at a million lines); one with quotes is read record by record.
    """
    if b'"' not in raw:
        return _bad_by_commas(raw, text, name)
    return _bad_by_records(text, name)


def _bad_by_commas(raw: bytes, text: str, name: str) -> tuple[list[Problem], tuple[bytes, np.ndarray]]:
    arr = np.frombuffer(raw, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(raw)]))
    commas = np.flatnonzero(arr == 44)
    counts = np.searchsorted(commas, stops) - np.searchsorted(commas, starts)
    if not len(counts):
        return [], (raw, np.array([], dtype=np.int64))
    wrong = np.flatnonzero(counts != counts[0])
    if not len(wrong):
        return [], (raw, np.array([], dtype=np.int64))
    lines = text.split("\n")
    width = int(counts[0]) + 1
    found = []
    for i in wrong.tolist():
        line = lines[i].rstrip("\r") if i < len(lines) else ""
        if line.strip():
            found.append((i + 1, line, int(counts[i]) + 1, width))
    if not found:
        return [], (raw, np.array([], dtype=np.int64))
    bad = {f[0] for f in found}
    good = [(n + 1, lines[n]) for n in range(1, len(lines)) if n + 1 not in bad and lines[n].strip("\r ")]
    return [_field_problem(name, *f) for f in found], _kept(lines[0], good)


def _bad_by_records(text: str, name: str) -> tuple[list[Problem], tuple[bytes, np.ndarray]]:
    lines = text.split("\n")
    header_line = lines[0].rstrip("\r") if lines else ""
    try:
        width = len(next(csv.reader([header_line], strict=True), []))
    except csv.Error:
        return [], (text.encode("utf-8"), np.array([], dtype=np.int64))
    problems: list[Problem] = []
    good: list[tuple[int, str]] = []
    i = 1
    while i < len(lines):
        start = i
        record = lines[i].rstrip("\r")
        # A quoted field may hold line breaks: an odd count of quotes goes on to the next line (a few at most).
        while record.count('"') % 2 and i + 1 < len(lines) and i - start < 20:
            i += 1
            record += "\n" + lines[i].rstrip("\r")
        i += 1
        if not record.strip():
            continue
        if record.count('"') % 2 or not _RECORD.fullmatch(record):
            first = lines[start].rstrip("\r")
            what = "a quote that is never closed" if record.count('"') % 2 else "a stray quote"
            problems.append(Problem(name, start + 1, None, None, QUOTE_HINT, f"{what}: {_shown(first)}"))
            i = start + 1  # the lines it took in are read again, each on its own
            continue
        fields = next(csv.reader([record], strict=True))
        if len(fields) != width:
            problems.append(_field_problem(name, start + 1, record, len(fields), width))
            continue
        good.append((start + 1, record))
    if not problems:
        return [], (text.encode("utf-8"), np.array([], dtype=np.int64))
    return problems, _kept(header_line, good)


def _field_problem(name: str, line: int, text: str, n: int, width: int) -> Problem:
    hint = COMMA_HINT if n > width else MISSING_HINT
    return Problem(name, line, None, None, f"{width} fields, as the header has ({hint})",
                   f"{n} field{'s' if n != 1 else ''}: {_shown(text)}")


def _kept(header: str, good: list[tuple[int, str]]) -> tuple[bytes, np.ndarray]:
    body = "\n".join([header.rstrip("\r"), *(r.rstrip("\r") for _, r in good)]) + "\n"
    return body.encode("utf-8"), np.array([n for n, _ in good], dtype=np.int64)


def _concat_categorical(parts: list[pd.Series]) -> pd.Categorical:
    """Join categorical columns read from several files, numbering their spellings once across all of them."""
    categories = [p.cat.categories.to_numpy(dtype=object) for p in parts]
    numbers, spellings = pd.factorize(np.concatenate(categories))
    codes, start = [], 0
    for part, cats in zip(parts, categories, strict=True):
        codes.append(numbers[start:start + len(cats)][part.cat.codes.to_numpy()])
        start += len(cats)
    return pd.Categorical.from_codes(np.concatenate(codes), categories=spellings)


def _first_long_line(raw: bytes) -> int | None:
    """Return the 1-based number of the first line longer than CSV_LINE_MAX bytes, found without parsing."""
    if len(raw) <= CSV_LINE_MAX:
        return None
    ends = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == 10)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(raw)]))
    long = np.flatnonzero(stops - starts > CSV_LINE_MAX)
    return int(long[0]) + 1 if len(long) else None


def _first_long_field(frame: pd.DataFrame, row_lines: np.ndarray) -> tuple[int, str, int] | None:
    """Return (line, column, length) of the first field longer than CSV_FIELD_MAX characters, or None."""
    found = None
    for column in frame.columns:
        values = frame[column]
        if not isinstance(values.dtype, pd.CategoricalDtype) or not len(values.cat.categories):
            continue
        lengths = np.array([len(str(c)) for c in values.cat.categories])
        if lengths.max() <= CSV_FIELD_MAX:
            continue
        rows = np.flatnonzero(lengths[values.cat.codes.to_numpy()] > CSV_FIELD_MAX)
        row = int(rows[0])
        line = int(row_lines[row]) if row < len(row_lines) else row + 2
        length = int(lengths[values.cat.codes.to_numpy()[row]])
        if found is None or line < found[0]:
            found = (line, str(column).strip(), length)
    return found


def separator_hint(header: list[str]) -> str:
    """A hint when a one-field header holds another separator (a spreadsheet's export with `;` or tabs)."""
    if len(header) == 1:
        for sep, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
            if sep in header[0]:
                return (f" (the header is one field holding {label}: save the file with commas between the columns, "
                        "e.g. as 'CSV UTF-8 (comma delimited)')")
    return ""


def _csv_error(text: str) -> tuple[int | None, str | None]:
    """Find the physical line of a CSV's first quoting or field-count error, and say what it is."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        header = next(reader, [])
        start = reader.line_num + 1
        for record in reader:
            if len(record) > len(header):
                return start, f"{len(record)} fields on a line where the header has {len(header)}{separator_hint(header)}"
            start = reader.line_num + 1
    except csv.Error as exc:
        return start, f"a quoting error ({exc})"
    return None, None


def _data_lines(raw: bytes, rows: int) -> np.ndarray:
    """Return the 1-based line of each data row, skipping blank lines as pandas does."""
    # A blank line is "\n\n" once "\r\n" reads as "\n": so "\n\n" or "\n\r\n" in the raw bytes.
    if b'"' not in raw and b"\n\n" not in raw and b"\n\r\n" not in raw:
        return np.arange(2, rows + 2, dtype=np.int64)
    lines = []
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    next(reader, None)
    start = reader.line_num + 1
    for record in reader:
        if record:
            lines.append(start)  # the line a record starts on (a quoted field may go on over several lines)
        start = reader.line_num + 1
    return np.array((lines + list(range(len(lines) + 2, rows + 2)))[:rows], dtype=np.int64)
