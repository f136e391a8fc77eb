"""Two editions from one data set: the intranet handbook (everything) and a public one (only public records).

Every record of teams.yml, indicators.yml, deficits.yml, targets.yml, capacity.yml, recognition.yml and
learning.yml is `visibility: public` or `internal` (v1.1; without it, organization.yml's `default_visibility`,
itself `internal` by default: nothing is public unless the data says so). A figure and its note are public when its
team and its indicator both are.

The public edition is the same build run on `public_view(hb)`: a Handbook holding only the public records and
figures, made right after validation and before anything is derived, so every page, the navigation, the search
index, charts, tables, downloads, status.json, counts, league tables and checklist results are computed from the
public records alone. `check_edition_rules` keeps a public record from depending on an internal one; validation
reports its problems in either edition, as data errors.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .contract import BY_FILE
from .errors import Problem, show
from .i18n import N_
from .model import Handbook
from .refs import RECORDS, cut, handbook_parts, pool, references

INTRANET, PUBLIC = "intranet", "public"
EDITIONS = (INTRANET, PUBLIC)
ENV = "HANDBOOK_EDITION"

# The rules, as the README and the site's onboarding page state them (tests pin each message). Marked for the
# catalogue: the editions page says them in the build's language (`check` says them in English).
RULES = (
    N_("A public target names a public deficit, a public indicator and public teams only."),
    N_("A public deficit names a public evidence indicator and public teams only."),
    N_("A team's capacity and needs are public only for a public team."),
    N_("A public recognition or esteem entry is for a public team, and names a public target or none."),
    N_("A public learning entry names public targets and public indicators only."),
    N_("Exception: a public target may have a guardrail on an internal indicator. The public edition leaves that "
    "guardrail out, and its pages neither mention it nor flag a distortion from it."),
    N_("A figure and its note are public when its team and its indicator both are; nothing else is needed."),
)


class EditionError(Exception):
    """HANDBOOK_EDITION (or --edition) names no edition."""


def edition_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The edition to build: $HANDBOOK_EDITION, `intranet` (the default) or `public`."""
    value = (os.environ if environ is None else environ).get(ENV, "")
    return parse_edition(value, ENV)


def parse_edition(value: str | None, source: str = ENV) -> str:
    """Check an edition's name; '' or None is the intranet edition."""
    name = (value or "").strip() or INTRANET
    if name not in EDITIONS:
        raise EditionError(f"{source} is {show(name)}: expected one of {', '.join(EDITIONS)} (default {INTRANET})")
    return name


def is_public(record: object) -> bool:
    return getattr(record, "visibility", "internal") == PUBLIC


# ---------------------------------------------------------------------------------------------------------------
# Rules


def _fix(kind: str, other: str) -> str:
    return f"a public {other}, as this {kind} is public (make the {other} public, or this {kind} internal)"


# The references a public record may make to an internal one: a guardrail (the public edition leaves it out, see
# public_view). Every other reference the contract declares (`refers_to`) follows the rules above.
INTERNAL_ALLOWED = frozenset({("targets.yml", "guardrails.indicator")})


def check_edition_rules(hb: Handbook) -> list[Problem]:
    """Every public record that depends on an internal one, each problem naming both records.

    The references are the contract's (macros/refs.py); one to a record that does not exist is left to the
    cross-reference check.
    """
    problems: list[Problem] = []
    parts = handbook_parts(hb)
    for record, ref in references(parts):
        if not is_public(record) or (ref.file, ref.path) in INTERNAL_ALLOWED:
            continue
        found = pool(parts, ref.source).get(ref.value)
        if found is None or is_public(found):
            continue
        other = RECORDS[ref.source].noun
        problems.append(Problem(
            f"data/{ref.file}", ref.line, ref.record, ref.field, _fix(RECORDS[ref.file].kind, other),
            f"{other} '{ref.value}' (data/{ref.source}:{found.line}), which is internal",
        ))
    return problems


# ---------------------------------------------------------------------------------------------------------------
# The public view


# Every field of Handbook, as public_view treats it: the organization-level ones pass as they are, the others are
# cut to the public records. A field added to Handbook must be added here, or the public edition refuses to build.
SHARED_FIELDS = frozenset({"organization", "practices", "today"})
CUT_FIELDS = frozenset({
    "teams", "indicators", "deficits", "targets", "capacity", "recognition", "learning", "measurements", "series",
    "latest_period", "edition", "withheld",
})


def public_view(hb: Handbook) -> Handbook:
    """A new Handbook holding only the public records and the figures of public teams on public indicators.

    The references are cut to public records too (guardrails on internal indicators dropped; the other cuts are
    what `check_edition_rules` already guarantees, kept so that nothing internal can pass even unchecked).
    """
    unknown = {f.name for f in dataclasses.fields(hb)} - SHARED_FIELDS - CUT_FIELDS
    if unknown:
        raise RuntimeError(f"macros/edition.py: public_view does not say how to cut Handbook.{', '.join(sorted(unknown))}")
    # Each file's public records, their references to records left out cut as the contract declares them
    # (macros/refs.py): a public target keeps its public teams and guardrails only, a learning entry its public
    # targets and indicators... Files are cut in the order of RECORDS, each after the files it refers to.
    kept: dict[str, Any] = {}

    def public(source: str, ref: str) -> bool:
        return ref in kept.get(source, ())

    for file, records in RECORDS.items():
        held = getattr(hb, records.attr)
        pairs = held.items() if isinstance(held, dict) else enumerate(held)
        cut_records = {k: cut(v, BY_FILE[file].fields, public) for k, v in pairs if is_public(v)}
        kept[file] = {k: v for k, v in cut_records.items() if v is not None}
    # Contacts (GitHub handles of staff, v1.2) are for the intranet's reminders: never in the public edition.
    teams = {k: dataclasses.replace(v, contacts=()) if v.contacts else v for k, v in kept["teams.yml"].items()}
    indicators, deficits, targets = kept["indicators.yml"], kept["deficits.yml"], kept["targets.yml"]
    capacity = kept["capacity.yml"]
    recognition, learning = tuple(kept["recognition.yml"].values()), tuple(kept["learning.yml"].values())
    frame = hb.measurements
    keep = frame["team"].isin(list(teams)) & frame["indicator"].isin(list(indicators))
    frame = frame[keep.to_numpy()].reset_index(drop=True)
    # A categorical column keeps every spelling it was read with, used or not: drop the internal ones.
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].cat.remove_unused_categories()
    series = {key: s for key, s in hb.series.items() if key[0] in teams and key[1] in indicators}
    latest = int(frame["index"].max()) if len(frame) else None
    # A public team's records kept internal: its page says they are not published, not that there are none.
    withheld = {
        "capacity.yml": frozenset(t for t in hb.capacity if t in teams and t not in capacity),
        "recognition.yml": frozenset(r.team for i, r in enumerate(hb.recognition)
                                     if r.team in teams and i not in kept["recognition.yml"]),
    }
    return dataclasses.replace(
        hb, teams=teams, indicators=indicators, deficits=deficits, targets=targets, capacity=capacity,
        recognition=recognition, learning=learning, measurements=frame, series=series, latest_period=latest,
        edition=PUBLIC, withheld=withheld,
    )


def for_edition(hb: Handbook, edition: str) -> Handbook:
    """The Handbook an edition shows: all of it (intranet), or its public view."""
    return public_view(hb) if edition == PUBLIC else hb
