"""The references between records, as the contract declares them (`refers_to` in macros/contract.py).

One walk over every reference of every record, field by field from the contract, serves the validator's
unknown-reference check (macros/validate.py), the editions' rules and the public edition's cut of references to
internal records (macros/edition.py): a reference field added to the contract is checked and cut with no other edit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .contract import BY_FILE, Field


@dataclass(frozen=True)
class Records:
    """How a list file's records are held (the Handbook's attribute) and named in messages."""

    attr: str  # the Handbook's attribute holding them
    noun: str  # a record's label starts with it: "target 'x'", "entry 3", "capacity for team 'x'"
    key: str  # the field naming a record in its label ('' for entries numbered by position)
    kind: str  # what the editions' rules call one: "target", "capacity record", "entry"


RECORDS = {
    "teams.yml": Records("teams", "team", "id", "team"),
    "indicators.yml": Records("indicators", "indicator", "id", "indicator"),
    "deficits.yml": Records("deficits", "deficit", "id", "deficit"),
    "targets.yml": Records("targets", "target", "id", "target"),
    "capacity.yml": Records("capacity", "capacity for team", "team", "capacity record"),
    "recognition.yml": Records("recognition", "entry", "", "entry"),
    "learning.yml": Records("learning", "entry", "", "entry"),
}


@dataclass(frozen=True)
class Reference:
    """One id in one record naming a record of another file."""

    file: str  # the file of the record holding the reference, e.g. "targets.yml"
    record: str  # that record's label: "target 'cut-waits'", "entry 3"
    line: int  # that record's line
    field: str  # the field as messages name it: "teams", "guardrails[2].indicator"
    path: str  # the field's path in the contract: "guardrails.indicator"
    value: str  # the id
    source: str  # the file whose records the id names, e.g. "indicators.yml"


def pool(parts: Mapping[str, Any], file: str) -> Any:
    """The records of a list file, from a Handbook's attributes (or a dict of them)."""
    return parts[RECORDS[file].attr]


def references(parts: Mapping[str, Any]) -> Iterator[tuple[Any, Reference]]:
    """Every reference of every record, with the record holding it; `parts` maps Handbook attributes to records."""
    for file, kind in RECORDS.items():
        held = parts.get(kind.attr)
        if held is None:
            continue
        for i, record in enumerate(held.values() if isinstance(held, Mapping) else held):
            label = f"{kind.noun} '{getattr(record, kind.key)}'" if kind.key else f"{kind.noun} {i + 1}"
            for field, path, value, source in _walk(record, BY_FILE[file].fields, "", ""):
                yield record, Reference(file, label, record.line, field, path, value, source)


def _walk(model: Any, fields: tuple[Field, ...], label: str, path: str) -> Iterator[tuple[str, str, str, str]]:
    for f in fields:
        name, where = label + f.name, path + f.name
        value = getattr(model, f.name, None)
        if f.refers_to and f.kind == "id" and value:
            yield name, where, value, f.refers_to
        elif f.refers_to and f.kind == "ids":
            for item in value or ():
                yield name, where, item, f.refers_to
        elif f.kind == "mapping" and value is not None:
            yield from _walk(value, f.fields, name + ".", where + ".")
        elif f.kind == "mappings":
            for i, item in enumerate(value or ()):
                yield from _walk(item, f.fields, f"{name}[{i + 1}].", where + ".")


def handbook_parts(hb: Any) -> dict[str, Any]:
    """A Handbook's list files' records by attribute, as `references` reads them."""
    return {kind.attr: getattr(hb, kind.attr) for kind in RECORDS.values()}


def cut(record: Any, fields: tuple[Field, ...], kept: Callable[[str, str], bool]) -> Any:
    """The record with its references to records not `kept` cut out, or None when it cannot be without one.

    An optional reference is emptied, a list of ids keeps the kept ones, an entry of a list of mappings goes with a
    required reference of its own; a required reference (or a required list left empty) takes the record with it.
    """
    changes: dict[str, Any] = {}
    for f in fields:
        value = getattr(record, f.name, None)
        if f.refers_to and f.kind == "id":
            if value and not kept(f.refers_to, value):
                if f.required:
                    return None
                changes[f.name] = ""
        elif f.refers_to and f.kind == "ids":
            ids = tuple(v for v in value or () if kept(f.refers_to, v))
            if ids != tuple(value or ()):
                if f.required and not ids:
                    return None
                changes[f.name] = ids
        elif f.kind == "mapping" and value is not None:
            inner = cut(value, f.fields, kept)
            if inner is None:
                return None
            if inner is not value:
                changes[f.name] = inner
        elif f.kind == "mappings" and value:
            items = tuple(item for item in (cut(v, f.fields, kept) for v in value) if item is not None)
            if items != tuple(value):
                changes[f.name] = items
    return dataclasses.replace(record, **changes) if changes else record
