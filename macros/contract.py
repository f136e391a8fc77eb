"""The data contract, declared once: every file under data/, every field, its type, whether it is required, its
allowed values, a description and an example.

From this one definition come the validator's field lists, required flags and allowed values (macros/validate.py
reads each field through it), the JSON Schemas that editors use while typing (docs/schemas/, written by
`scripts/write_schemas.py` and checked by a test), and the data reference page on the site. The contract is a
public interface: fields may be added (optional), never renamed or removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .periods import FREQUENCIES

ID_PATTERN = "^[a-z0-9][a-z0-9-]*$"
ID_MAX = 64

STAGES = ("input", "process", "output", "outcome")
BETTER = ("higher", "lower")
AGGREGATES = ("none", "sum", "mean")
NEED_KINDS = ("money", "people", "training", "technology", "production", "partners")
NEED_STATUSES = ("requested", "approved", "provided", "declined")
RECOGNITION_KINDS = ("recognition", "esteem")
LEARNING_KINDS = ("insight", "distortion-review", "decision")
LEARNING_STATUSES = ("open", "done")
PHASES = ("framework", "driving", "learning")
VISIBILITIES = ("public", "internal")
# The statuses whose newest figure may be required to carry a note (v1.2: reporting.notes_required); "no data" has
# no figure to hold one.
NOTE_STATUSES = ("met", "on track", "at risk", "off track", "stale")
# A GitHub handle: 1-39 letters, digits or single hyphens, neither first nor last; an optional leading @.
HANDLE_PATTERN = "^@?(?=[A-Za-z0-9-]{1,39}$)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$"
# A BCP 47 language tag as the handbook takes it: a language (2-3 letters), optionally a script and a region.
LANGUAGE_PATTERN = "^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z0-9]{2,3})?$"
# The characters that break a line (as a regular expression's character class, the same in Python and in an editor's
# JSON Schema): a field declared `one_line` holds none.
LINE_BREAKS = r"\n\r\v\f\x1c-\x1e\x85\u2028\u2029"
HANDLE_RULE = "a GitHub handle: 1-39 letters, digits or single hyphens, not first or last (an @ before it is optional)"

# Field kinds, as the validator reads them and as the reference page names them.
KINDS = {
    "text": "text",
    "markdown": "Markdown text",
    "id": "id",
    "ids": "list of ids",
    "enum": "one of the allowed values",
    "number": "number",
    "integer": "whole number",
    "boolean": "true or false",
    "date": "date",
    "period": "period",
    "texts": "list of text",
    "mapping": "mapping",
    "mappings": "list of mappings",
}


@dataclass(frozen=True)
class Field:
    """One field of a record: how it is spelled, what it holds, and what it means."""

    name: str
    kind: str
    doc: str
    required: bool = False
    example: Any = None
    choices: tuple[str, ...] = ()
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    refers_to: str = ""  # for id and ids: the file whose records the ids name
    pattern: str = ""  # for text and texts: a regular expression each value matches as a whole
    one_line: bool = False  # for text and texts: a name, title or label shown on one line (no line break allowed)
    fields: tuple[Field, ...] = ()  # for mapping and mappings
    since: str = "1"

    def child(self, name: str) -> Field:
        return _by_name(self.fields, name)


@dataclass(frozen=True)
class FileSpec:
    """One data file: its name, whether it is a list of records or one mapping, and its fields."""

    name: str
    title: str
    practices: str
    doc: str
    shape: str  # "list" of records, or one "mapping"
    required: bool
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def child(self, name: str) -> Field:
        return _by_name(self.fields, name)


def _by_name(fields: tuple[Field, ...], name: str) -> Field:
    for f in fields:
        if f.name == name:
            return f
    raise KeyError(name)


def F(name: str, kind: str, doc: str, **kw: Any) -> Field:  # noqa: N802 - reads as a declaration
    return Field(name, kind, doc, **kw)


def _req(name: str, kind: str, doc: str, **kw: Any) -> Field:
    return Field(name, kind, doc, required=True, **kw)


def _visibility(what: str) -> Field:
    """The v1.1 `visibility` field of a record: whether it is in the public edition of the handbook."""
    return F("visibility", "enum", f"Whether {what} is in the public edition too (public) or only in the intranet "
             "edition (internal). Without it, the organization's default_visibility.", choices=VISIBILITIES,
             example="public", since="1.1")


PERIOD_DOC = "A period: YYYY-MM for monthly reporting, YYYY-Qn for quarterly, as organization.yml says."

ORGANIZATION = FileSpec(
    "organization.yml", "The organization", "1",
    "Who the organization is and what it is for, and how often it reports its figures.",
    "mapping", True, (
        _req("name", "text", "The organization's name, shown in every page's title.", example="City of Riverton", one_line=True),
        _req("mission", "text", "The mission: the one sentence everyone should know.",
             example="Keep Riverton safe, clean and easy to live in."),
        F("big_picture", "markdown", "Who the organization serves and why it matters.",
          example="Riverton is a city of 80,000 people..."),
        F("currency", "text", "The currency of the budgets in capacity.yml, as an ISO 4217 code of three capital "
          "letters; shown with every budget.", example="EUR", since="1.1"),
        F("reporting", "mapping", "How often figures are reported, and when a team's data counts as stale.", fields=(
            F("frequency", "enum", "How often each team reports a figure for each indicator.",
              choices=FREQUENCIES, default="monthly", example="monthly"),
            F("stale_after", "integer", "Periods without a figure, before the period whose figures are due by today, "
              "after which a target's figures are flagged stale.", minimum=0, default=2, example=2),
            F("due_days", "integer", "Days after a period ends by which its figures are due; from today's date and "
              "this, the handbook knows the latest period whose figures should be in.", minimum=0, maximum=366,
              default=30, example=30, since="1.2"),
            F("notes_required", "texts", "Statuses whose newest figure must carry a note: when a team's newest figure "
              "on a target's indicator leaves it in one of them, `check` asks for a note saying why, at that figure's "
              "line of its CSV file. Default: none.", choices=NOTE_STATUSES, example=["off track"], since="1.2"),
        )),
        F("default_visibility", "enum", "The visibility of every record that sets none: internal (only in the "
          "intranet edition) unless the data says public. The organization's name, mission and big picture are in "
          "both editions.", choices=VISIBILITIES, default="internal", example="internal", since="1.1"),
        F("language", "text", "The language the handbook is written in and its data is written in, as a BCP 47 code "
          "(en, fr, fr-CA). Every page is in this language; $HANDBOOK_LANGUAGE builds another of `languages`.",
          pattern=LANGUAGE_PATTERN, default="en", example="fr", since="1.3"),
        F("languages", "texts", "For an organization that publishes in several languages: every language of its "
          "site, `language` among them. The site in `language` is built at the site's root, each other one in a "
          "folder named by its code (site/fr/), with a language switcher in the header; the data's text is "
          "translated in data/translations/<code>.yml.", pattern=LANGUAGE_PATTERN, example=["en", "fr"],
          since="1.3"),
    ),
)

TEAMS = FileSpec(
    "teams.yml", "Teams", "5",
    "The teams, grouped by unit. A team added here gets its own page with no other edit.",
    "list", True, (
        _req("id", "id", "The team's id, used by every other file and in its page's address.", example="pothole-crew"),
        _req("name", "text", "The team's name.", example="Pothole Repair Crew", one_line=True),
        _req("unit", "text", "The unit the team belongs to; groups teams in the navigation and league tables.",
             example="Public Works", one_line=True),
        F("lead", "text", "Who leads the team: a role or a name.", example="Crew supervisor", one_line=True),
        F("description", "markdown", "What the team does.", example="Repairs reported potholes city-wide."),
        F("contacts", "texts", "GitHub handles of the people reminded when the team's figures are late (the "
          "reminder issues mention them); without it, the reminders mention nobody. Only in the intranet edition.",
          pattern=HANDLE_PATTERN, example=["alex-rivera"], since="1.2", one_line=True),
        _visibility("the team (its page, figures and capacity)"),
    ),
)

INDICATORS = FileSpec(
    "indicators.yml", "Indicators", "10",
    "What is measured: its unit, its stage, and which direction is better.",
    "list", True, (
        _req("id", "id", "The indicator's id, used by measurements, deficits and targets.", example="repair-days"),
        _req("name", "text", "What the indicator measures.", example="Days to close a reported pothole", one_line=True),
        _req("unit", "text", "The unit figures are in, shown on axes and in tables (% for a rate in percent).",
             example="days", one_line=True),
        _req("stage", "enum", "Where it sits between what goes in and what comes out.", choices=STAGES,
             example="output"),
        _req("better", "enum", "Which direction is better.", choices=BETTER, example="lower"),
        F("description", "markdown", "What the indicator means and how it is counted.",
          example="From the report to the closed work order."),
        F("source", "text", "Where the figures come from.", example="Work-order system"),
        F("decimals", "integer", "Display precision: decimals shown for its figures.", minimum=0, maximum=6,
          default=0, example=1),
        F("aggregate", "enum", "Whether figures of different teams may be combined, and how: none (never: pages show "
          "each team, or the best, median and worst), sum (counts that add up to a total) or mean (figures that may "
          "be averaged).", choices=AGGREGATES, default="none", example="sum", since="1.1"),
        F("due_days", "integer", "Days after a period ends by which this indicator's figures are due, when they "
          "arrive later (or earlier) than the organization's reporting.due_days.", minimum=0, maximum=366,
          example=60, since="1.2"),
        F("comparable", "boolean", "Whether teams' figures may be ranked against each other (league tables, best "
          "and worst). Without it, counts that add up (aggregate: sum) are not ranked, since a larger team reports "
          "more; every other indicator (rates, percentages, times, scores) is.", example=False, since="1.2"),
        _visibility("the indicator (its figures)"),
    ),
)

DEFICITS = FileSpec(
    "deficits.yml", "Deficits", "2",
    "The key failures that keep the organization from its mission, by stage, each with the indicator that shows it.",
    "list", False, (
        _req("id", "id", "The deficit's id, used by targets.", example="slow-repairs"),
        _req("title", "text", "The failure, in a sentence.", example="Potholes stay open too long", one_line=True),
        _req("stage", "enum", "The stage the failure is at.", choices=STAGES, example="output"),
        _req("indicator", "id", "The indicator whose figures show the failure.", refers_to="indicators.yml",
             example="repair-days"),
        F("teams", "ids", "The teams the failure concerns.", refers_to="teams.yml", example=["pothole-crew"]),
        F("description", "markdown", "What the failure is and how it shows.", example="Residents wait a week."),
        _visibility("the deficit"),
    ),
)

_POINT_PERIOD = _req("period", "period", PERIOD_DOC, example="2024-01")

TARGETS = FileSpec(
    "targets.yml", "Targets", "3, 4, 9, 11",
    "A specific target to close each deficit, the theory linking it to the mission, its guardrails and revisions.",
    "list", False, (
        _req("id", "id", "The target's id.", example="potholes-two-days"),
        _req("title", "text", "The target, in a sentence.", example="Repair potholes within two days", one_line=True),
        _req("deficit", "id", "The deficit the target closes.", refers_to="deficits.yml", example="slow-repairs"),
        _req("indicator", "id", "The indicator the target moves.", refers_to="indicators.yml",
             example="repair-days"),
        _req("teams", "ids", "The teams that carry the target (one or more).", refers_to="teams.yml",
             minimum=1, example=["pothole-crew"]),
        _req("owner", "text", "Who answers for the target.", example="Director of Public Works", one_line=True),
        _req("baseline", "mapping", "Where the trajectory starts.", fields=(
            _POINT_PERIOD,
            F("value", "number", "The baseline value; without it, each team's own figure for the period is that "
              "team's baseline.", example=6.5),
        )),
        _req("target", "mapping", "The target value and its deadline.", fields=(
            _req("period", "period", "The deadline: " + PERIOD_DOC, example="2025-12"),
            _req("value", "number", "The value to reach by the deadline.", example=2.0),
        )),
        _req("theory", "mapping", "Practice 4: why meeting this target advances the mission.", fields=(
            _req("link", "markdown", "Why meeting the target advances the mission.",
                 example="Faster repairs mean fewer damage claims."),
            _req("chain", "texts", "The steps from the target to the mission.", minimum=1,
                 example=["Faster repairs", "Fewer damage claims", "Safer streets"], one_line=True),
            F("assumptions", "texts", "What must hold for the chain to work.", example=["Crews have trucks"], one_line=True),
        )),
        F("guardrails", "mappings", "Practice 9: counter-indicators that must not get worse.", fields=(
            _req("indicator", "id", "The counter-indicator.", refers_to="indicators.yml",
                 example="rework-rate"),
            _req("tolerance", "number", "How much worse (in its unit, from baseline) before a distortion flag.",
                 minimum=0, example=2),
        )),
        F("revisions", "mappings", "Practice 11: the ratchet, newest last.", fields=(
            _req("date", "date", "When the target was changed.", example="2025-01-15"),
            _req("was", "mapping", "The target before the change.", fields=(
                _req("period", "period", "The deadline before the change.", example="2025-12"),
                F("value", "number", "The value before the change.", example=3.0),
            )),
            _req("reason", "text", "Why it changed.", example="Met 3.0 early; raised the bar to 2.0."),
        )),
        _visibility("the target (with its theory, guardrails and revisions)"),
    ),
)

CAPACITY = FileSpec(
    "capacity.yml", "Capacity", "6",
    "Each team's staff, budget, resources and the needs it has asked for.",
    "list", False, (
        _req("team", "id", "The team (one record per team).", refers_to="teams.yml", example="pothole-crew"),
        F("staff", "number", "Staff, in people or full-time equivalents.", minimum=0, example=14),
        F("budget", "number", "Yearly budget, in the organization's currency.", minimum=0, example=1250000),
        F("resources", "texts", "What the team has to work with.", example=["2 hot-patch trucks"], one_line=True),
        F("needs", "mappings", "What the team needs to meet its targets.", fields=(
            _req("need", "text", "The need, in a sentence.", example="A third hot-patch truck", one_line=True),
            _req("kind", "enum", "What kind of capacity it is.", choices=NEED_KINDS, example="technology"),
            _req("status", "enum", "Where the request stands.", choices=NEED_STATUSES, example="requested"),
            F("date", "date", "When it was asked for or last changed.", example="2025-02-01"),
        )),
        _visibility("the team's capacity and needs"),
    ),
)

RECOGNITION = FileSpec(
    "recognition.yml", "Recognition", "7, 8",
    "Accomplishments recognized (practice 7) and esteem opportunities (practice 8).",
    "list", False, (
        _req("date", "date", "When it happened.", example="2025-03-10"),
        _req("team", "id", "The team recognized.", refers_to="teams.yml", example="pothole-crew"),
        _req("kind", "enum", "Recognition (practice 7) or an esteem opportunity (practice 8).",
             choices=RECOGNITION_KINDS, example="recognition"),
        _req("title", "text", "What was recognized.", example="Presented the two-day repair method", one_line=True),
        F("target", "id", "The target it is about (one the team carries).", refers_to="targets.yml",
          example="potholes-two-days"),
        F("description", "markdown", "More about it.", example="At the city review."),
        _visibility("the entry"),
    ),
)

LEARNING = FileSpec(
    "learning.yml", "Learning", "9, 11",
    "What the organization learned: insights, distortion reviews and decisions.",
    "list", False, (
        _req("date", "date", "When it was learned or decided.", example="2025-04-02"),
        _req("kind", "enum", "What kind of entry it is.", choices=LEARNING_KINDS, example="insight"),
        _req("title", "text", "The finding, in a sentence.", example="Rework rises when crews rush", one_line=True),
        _req("finding", "markdown", "What was found.", example="Rework rose from 4 % to 7 %."),
        F("action", "markdown", "What is done about it.", example="Add a second check."),
        F("targets", "ids", "The targets it concerns.", refers_to="targets.yml", example=["potholes-two-days"]),
        F("indicators", "ids", "The indicators it concerns.", refers_to="indicators.yml",
          example=["rework-rate"]),
        F("status", "enum", "Whether the action is still open.", choices=LEARNING_STATUSES, default="open",
          example="open"),
        _visibility("the entry"),
    ),
)

PRACTICES = FileSpec(
    "practices.yml", "Practices", "1-11",
    "The eleven practices in the organization's own words, each with its checklist.",
    "list", True, (
        _req("number", "integer", "The practice's number.", minimum=1, maximum=11, example=1),
        _req("phase", "enum", "The phase the practice belongs to.", choices=PHASES, example="framework"),
        _req("title", "text", "The practice, in a few words.", example="Articulate the mission", one_line=True),
        _req("summary", "markdown", "What the practice means and why it matters.", example="Say what we are for."),
        F("checklist", "mappings", "Items to tick, and automated checks computed from the data.", fields=(
            _req("id", "id", "The item's id, unique in the file.", example="p1-mission-known"),
            _req("text", "text", "The item, as a question or a statement.", example="Every team can say the mission.", one_line=True),
            F("check", "enum", "An automated check computed from the data (see the practice pages); without it, "
              "people tick the item.", example="mission-stated"),
        )),
    ),
)

# Text of the data that an organization publishing in several languages translates, in optional files beside the
# data: data/translations/<language>.yml (v1.3), keyed by file, then by record (its key field; none for
# organization.yml, one mapping), then by field. A dotted field is one of a mapping (theory.link); a list of text
# (theory.chain) is translated item for item; practices.yml's `checklist.text` is a mapping of item id to text.
# Units are not translated: a unit's name is its page's address.
TRANSLATIONS_FOLDER = "translations"
TRANSLATABLE: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "organization.yml": (None, ("name", "mission", "big_picture")),
    "teams.yml": ("id", ("name", "lead", "description")),
    "indicators.yml": ("id", ("name", "unit", "description", "source")),
    "deficits.yml": ("id", ("title", "description")),
    "targets.yml": ("id", ("title", "owner", "theory.link", "theory.chain", "theory.assumptions")),
    "practices.yml": ("number", ("title", "summary", "checklist.text")),
    "capacity.yml": ("team", ("resources",)),  # a need's text is in a list without ids: not translated
}
# The notes of figures (data/measurements/*.csv, `note`), translated under `measurements:` in a translation file, by
# figure: "<team>/<indicator>/<period>" with the period as the handbook writes it (2025-03, 2025-Q1).
TRANSLATABLE_FIGURES = "measurements"
FIGURE_KEY = "<team>/<indicator>/<period>"

FILES: tuple[FileSpec, ...] = (
    ORGANIZATION, TEAMS, INDICATORS, DEFICITS, TARGETS, CAPACITY, RECOGNITION, LEARNING, PRACTICES,
)
BY_FILE = {f.name: f for f in FILES}

MEASUREMENT_FIELDS: tuple[Field, ...] = (
    _req("team", "id", "The team the figure is for.", refers_to="teams.yml", example="pothole-crew"),
    _req("indicator", "id", "The indicator measured.", refers_to="indicators.yml", example="repair-days"),
    _req("period", "period", PERIOD_DOC + " Not a period that has not begun yet.", example="2025-03"),
    _req("value", "number", "The figure, a plain number (no unit, no thousands separator).", example=4.2),
    F("note", "text", "What explains the figure (shown beside it on charts and in tables).",
      example="Ice storm Jan 14-16; crews on salt routes for a week"),
)


def field_at(file: str, path: str) -> Field:
    """The field at a dotted path in a file ('theory.chain', 'guardrails.tolerance')."""
    spec: Any = BY_FILE[file]
    for part in path.split("."):
        spec = spec.child(part)
    return spec


def names(file: str, path: str = "") -> tuple[str, ...]:
    """The field names allowed at a path of a file ('' for the file's records)."""
    spec: Any = BY_FILE[file] if not path else field_at(file, path)
    return tuple(f.name for f in spec.fields)


# ---------------------------------------------------------------------------------------------------------------
# JSON Schema, for editors (yaml-language-server and others)

def json_schema(spec: FileSpec, check_names: tuple[str, ...] = ()) -> dict:
    """The JSON Schema (draft 2020-12) of one data file."""
    record = _object_schema(spec.fields, check_names)
    body = record if spec.shape == "mapping" else {"type": "array", "items": record}
    if spec.shape == "list" and spec.required:
        body["minItems"] = 1
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"data/{spec.name}: {spec.title}",
        "description": spec.doc,
        **body,
    }


def schema_file(spec: FileSpec) -> str:
    return spec.name.removesuffix(".yml") + ".schema.json"


def _object_schema(fields: tuple[Field, ...], check_names: tuple[str, ...]) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: _field_schema(f, check_names) for f in fields},
    }


_PERIOD = {"anyOf": [{"pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}, {"pattern": "^[0-9]{4}-Q[1-4]$"}]}
_TEXT = {"type": ["string", "number"], "pattern": r"\S"}
_ONE_LINE = f"^[^{LINE_BREAKS}]*$"
_ONE_LINE_NONEMPTY = f"^[^{LINE_BREAKS}]*[^{LINE_BREAKS}\\s][^{LINE_BREAKS}]*$"


def _field_schema(f: Field, check_names: tuple[str, ...]) -> dict:
    doc: dict[str, Any] = {"description": f.doc}
    if f.example is not None:
        doc["examples"] = [f.example]
    if f.default is not None:
        doc["default"] = f.default
    kind = f.kind
    if kind in ("text", "markdown"):
        body: dict[str, Any] = dict(_TEXT) if f.required else {"type": ["string", "number"]}
        if f.one_line:
            body["pattern"] = _ONE_LINE_NONEMPTY if f.required else _ONE_LINE
    elif kind == "id":
        body = {"type": "string", "pattern": ID_PATTERN, "maxLength": ID_MAX}
    elif kind == "ids":
        body = {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN, "maxLength": ID_MAX}}
    elif kind == "enum":
        choices = f.choices or check_names
        body = {"type": "string", "enum": list(choices)} if choices else {"type": "string"}
    elif kind == "number":
        body = {"type": "number"}
    elif kind == "integer":
        body = {"type": "integer"}
    elif kind == "boolean":
        body = {"type": "boolean"}
    elif kind == "date":
        body = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    elif kind == "period":
        body = {"type": "string", **_PERIOD}
    elif kind == "texts":
        items: dict[str, Any] = {"type": ["string", "number"]}
        if f.choices:
            items = {"type": "string", "enum": list(f.choices)}
        elif f.pattern:
            items = {"type": "string", "pattern": f.pattern}
        elif f.one_line:
            items = {"type": ["string", "number"], "pattern": _ONE_LINE}
        body = {"type": "array", "items": items}
    elif kind == "mapping":
        body = _object_schema(f.fields, check_names)
    elif kind == "mappings":
        body = {"type": "array", "items": _object_schema(f.fields, check_names)}
    else:  # pragma: no cover - a bug in the declaration above
        raise ValueError(kind)
    if f.minimum is not None:
        body["minItems" if kind in ("ids", "texts") else "minimum"] = int(f.minimum) if kind != "number" else f.minimum
    if f.maximum is not None:
        body["maximum"] = f.maximum
    return {**doc, **body}


def translations_schema() -> dict:
    """The JSON Schema of a translation file, data/translations/<language>.yml, from TRANSLATABLE."""
    text = {"type": ["string", "number"], "pattern": r"\S"}
    files = {}
    for name, (key, paths) in TRANSLATABLE.items():
        props: dict[str, Any] = {}
        for path in paths:
            head, _, sub = path.partition(".")
            f = field_at(name, head if head == "checklist" else path)
            if head == "checklist":
                body: dict[str, Any] = {"type": "object", "description": "Each checklist item's text, by item id.",
                                        "additionalProperties": text}
            elif f.kind == "texts":
                body = {"type": "array", "description": f.doc + " (item for item)", "items": text}
            else:
                body = {"description": f.doc, **text}
            if sub and head != "checklist":
                props.setdefault(head, {"type": "object", "additionalProperties": False, "properties": {}})
                props[head]["properties"][sub] = body
            else:
                props[head] = body
        record = {"type": "object", "additionalProperties": False, "properties": props}
        files[name] = record if key is None else {
            "type": "object", "description": f"The records of {name} by {key}.", "additionalProperties": record}
    note = next(f for f in MEASUREMENT_FIELDS if f.name == "note")
    files[TRANSLATABLE_FIGURES] = {
        "type": "object", "description": f"The notes of figures (data/measurements/*.csv) by figure, {FIGURE_KEY}, "
                                        "e.g. pothole-crew/repair-days/2025-03.",
        "propertyNames": {"pattern": r"^[^/\s]+/[^/\s]+/[^/\s]+$"},
        "additionalProperties": {"type": "object", "additionalProperties": False,
                                 "properties": {"note": {"description": note.doc, **text}}}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"data/{TRANSLATIONS_FOLDER}/<language>.yml: translations of the data's text",
        "description": "The data's text in another language of the organization (organization.yml's languages), "
                       "by file, record and field. Text left out shows in its original language.",
        "type": "object", "additionalProperties": False, "properties": files,
    }


def schema_comment(spec: FileSpec, prefix: str = "../docs/schemas/") -> str:
    """The first line of a data file naming its schema for editors with the YAML language server."""
    return f"# yaml-language-server: $schema={prefix}{schema_file(spec)}"
