"""`python -m macros diff BASE`: a Markdown report of target changes between git revision BASE and the working tree.

The report goes to a pull request's job summary, which GitHub renders as Markdown and HTML, so every text from
the data is escaped with `render.text.inline`. The working tree is validated as `check` does (a data error exits
1); the data at BASE is validated too, and when it does not pass, the raw records of its targets.yml are compared.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from .contract import BY_FILE, Field, field_at
from .edition import INTRANET, PUBLIC, for_edition
from .errors import DataError, Problem, safe_lines
from .git import GitError, blobs_at, repo_location, resolve
from .load import load_yaml
from .model import Handbook, Indicator, Target
from .report_text import WORD_JOINER, _num, _value, inline
from .status_diff import status_section
from .validate import ID_RE, LIST_FILES, validate_data
from .words import describe_revision, fmt_threshold, revision_changes

# The files validation reads besides measurements/ (which targets never depend on, and which may be large).
_YAML_FILES = ("organization.yml", *LIST_FILES)


# ---------------------------------------------------------------------------------------------------------------
# A target as the report compares it: the same shape from validated data or from raw YAML records.


# Fields of a target the report does not compare: its visibility is the editions' business (the public edition's
# report holds only public targets).
NOT_COMPARED = frozenset({"id", "visibility"})


@dataclass(frozen=True)
class View:
    """A target as the report compares it, the same from validated data or from raw YAML records: the value of each
    field of the contract (macros/contract.py) by its dotted path, a mapping's fields flattened ('baseline.value'),
    a list of mappings as a tuple of its items' values. A field added to the contract is compared with no edit here.
    """

    id: str
    fields: tuple[tuple[str, Any], ...]

    def get(self, path: str) -> Any:
        return dict(self.fields).get(path)

    # The fields the report words in its own way, by name.
    title = property(lambda self: _or(self.get("title"), ""))
    deficit = property(lambda self: _or(self.get("deficit"), ""))
    indicator = property(lambda self: _or(self.get("indicator"), ""))
    teams = property(lambda self: _or(self.get("teams"), ()))
    owner = property(lambda self: _or(self.get("owner"), ""))
    baseline_period = property(lambda self: _or(self.get("baseline.period"), ""))
    baseline_value = property(lambda self: self.get("baseline.value"))
    target_period = property(lambda self: _or(self.get("target.period"), ""))
    target_value = property(lambda self: self.get("target.value"))
    guardrails = property(lambda self: self.items("guardrails", "indicator", "tolerance"))
    revisions = property(lambda self: self.items("revisions", "date", "was.period", "was.value", "reason"))

    def items(self, path: str, *names: str) -> tuple[tuple, ...]:
        """A list of mappings, each item as the values of the named fields (a field added to its items since
        leaves these as they are)."""
        leaves = _leaf_names(field_at("targets.yml", path))
        at = [leaves.index(name) for name in names]
        return tuple(tuple(item[i] for i in at) for item in _or(self.get(path), ()))


def _or(value: Any, empty: Any) -> Any:
    return empty if value is None else value


def _target_fields() -> tuple[Field, ...]:
    return BY_FILE["targets.yml"].fields


def compared(fields: tuple[Field, ...] | None = None, prefix: str = "") -> list[tuple[str, Field]]:
    """The compared fields of a target by dotted path, in the contract's order (a list of mappings as one field)."""
    out = []
    for f in _target_fields() if fields is None else fields:
        if f.name in NOT_COMPARED and not prefix:
            continue
        if f.kind == "mapping":
            out += compared(f.fields, prefix + f.name + ".")
        else:
            out.append((prefix + f.name, f))
    return out


def _leaf_names(f: Field, prefix: str = "") -> list[str]:
    """The dotted names of a list item's values, in the order `_leaves` gives them."""
    out: list[str] = []
    for c in f.fields:
        out += _leaf_names(c, prefix + c.name + ".") if c.kind == "mapping" else [prefix + c.name]
    return out


def _leaves(f: Field, value: Any, raw: bool) -> tuple:
    """A list item's (or mapping's) values, its mappings flattened, in the contract's order."""
    out: list[Any] = []
    for c in f.fields:
        inner = (value.get(c.name) if isinstance(value, dict) else None) if raw else getattr(value, c.name, None)
        if c.kind == "mapping":
            out += _leaves(c, _map(inner) if raw else inner, raw)
        else:
            out.append(_normal(c, inner, raw))
    return tuple(out)


def _normal(f: Field, value: Any, raw: bool) -> Any:
    """A field's value as the report compares it: from a validated record, or best-effort from a raw one."""
    kind = f.kind
    if kind in ("number", "integer"):
        return _float(value)
    if kind == "boolean":
        return value if isinstance(value, bool) else None
    if kind in ("ids", "texts"):
        return _texts(value) if raw else tuple(value or ())
    if kind == "mappings":
        items = value if isinstance(value, (list, tuple)) else ()
        return tuple(_leaves(f, item, raw) for item in items if not raw or isinstance(item, dict))
    if raw:
        return _text(value)
    if isinstance(value, Enum):
        value = value.value
    elif isinstance(value, date):
        value = value.isoformat()
    text = "" if value is None else str(value)
    # Text that may span lines compares as its words: a re-wrapped paragraph is no change.
    return text if f.one_line or kind not in ("text", "markdown") else " ".join(text.split())


def _at(record: Any, path: str, raw: bool) -> Any:
    for part in path.split("."):
        record = (_map(record).get(part) if raw else getattr(record, part, None))
    return record


def view_of(t: Target) -> View:
    return View(t.id, tuple((path, _normal(f, _at(t, path, False), False)) for path, f in compared()))


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else " ".join(str(value).split())


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(_text(v) for v in value) if isinstance(value, list) else ()


def _map(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def raw_views(records: Any) -> dict[str, View]:
    """Best-effort views of raw targets.yml records, for data at BASE that does not validate."""
    out: dict[str, View] = {}
    if not isinstance(records, list):
        return out
    fields = compared()
    for i, rec in enumerate(records):
        if not isinstance(rec, dict):
            continue
        t_id = _text(rec.get("id")) or f"(target {i + 1} without an id)"
        if t_id in out:
            continue
        out[t_id] = View(t_id, tuple((path, _normal(f, _at(rec, path, True), True)) for path, f in fields))
    return out


# ---------------------------------------------------------------------------------------------------------------
# git


def files_at(commit: str, top: Path, prefix: str) -> dict[str, bytes]:
    """Return the data folder's YAML files at a commit (measurements are not needed to validate targets)."""

    def yaml_name(path: str) -> str | None:
        name = path[len(prefix):] if path.startswith(prefix) else path
        return name if name in _YAML_FILES else None

    return blobs_at(commit, top, ["--full-tree", commit, "--", prefix] if prefix else [commit], yaml_name)


# ---------------------------------------------------------------------------------------------------------------
# Old and new targets


@dataclass
class Side:
    views: dict[str, View]
    indicators: dict[str, Indicator]
    note: str = ""


def old_side(files: dict[str, bytes], edition: str = INTRANET) -> Side:
    """Validate the data at BASE; when it does not pass, fall back to the raw records of its targets.yml.

    In the public edition, only the public targets at BASE are compared, and only when its data passes `check`:
    raw records cannot say for sure which are public.
    """
    if "targets.yml" not in files:
        return Side({}, {})
    with tempfile.TemporaryDirectory(prefix="handbook-base-") as tmp:
        root = Path(tmp)
        for name, content in files.items():
            (root / name).write_bytes(content)
        try:
            hb = validate_data(root)
        except DataError as exc:
            problems: list[Problem] = []
            records = load_yaml(root / "targets.yml", "data/targets.yml", problems)
            n = exc.total
            if edition == PUBLIC:
                return Side({}, {}, f"The data at the base revision does not pass `check` ({n:,} problem"
                            f"{'s' if n != 1 else ''}); in the public edition, its targets are not compared.")
            note = (
                f"The data at the base revision does not pass `check` ({n:,} problem{'s' if n != 1 else ''}); "
                "its targets were compared as written."
            )
            return Side(raw_views(records), {}, note)
    hb = for_edition(hb, edition)
    return Side({t: view_of(v) for t, v in hb.targets.items()}, dict(hb.indicators))


def new_side(hb: Handbook) -> Side:
    return Side({t: view_of(v) for t, v in hb.targets.items()}, dict(hb.indicators))


# ---------------------------------------------------------------------------------------------------------------
# The report

def _id(t_id: str) -> str:
    return f"`{t_id}`" if ID_RE.match(t_id) else inline(t_id)


def _head(v: View) -> str:
    return f"{_id(v.id)}: {inline(v.title) if v.title else '(no title)'}"


def _cell(text: str) -> str:
    return text or "–"


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _tolerance(tol: float | None, indicator: Indicator | None) -> str:
    if tol is None:
        return "?"
    # At its own precision; for a percentage indicator a tolerance is in points.
    return inline(fmt_threshold(indicator, tol)) if indicator is not None else inline(_num(tol))


def _guardrails(v: View, indicators: dict[str, Indicator]) -> str:
    return ", ".join(
        f"{inline(ind)} (tolerance {_tolerance(tol, indicators.get(ind))})" for ind, tol in v.guardrails
    )


def _list(items: tuple[str, ...], sep: str = ", ") -> str:
    return sep.join(inline(i) for i in items)


def _point(period: str, value: float | None, indicator: Indicator | None) -> str:
    if value is None:
        return f"by {inline(period)}" if period else "–"
    return f"{_value(value, indicator)} by {inline(period)}" if period else _value(value, indicator)


def direction(old: float | None, new: float | None, indicator: Indicator | None) -> str:
    """Say whether a new target value raised or lowered the bar, by the indicator's better direction."""
    if old is None or new is None or indicator is None or old == new:
        return ""
    if indicator.is_better(new, old):
        return "raised the bar"
    if indicator.is_better(old, new):
        return "lowered the bar"
    return ""


def _rows(old: View, new: View, old_ind: Indicator | None, new_ind: Indicator | None,
          old_inds: dict[str, Indicator] | None = None, new_inds: dict[str, Indicator] | None = None,
          ) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    old_inds, new_inds = old_inds or {}, new_inds or {}

    def row(label: str, a: str, b: str) -> None:
        rows.append((label, _cell(a), _cell(b)))

    if old.title != new.title:
        row("Title", inline(old.title), inline(new.title))
    if old.owner != new.owner:
        row("Owner", inline(old.owner), inline(new.owner))
    if old.deficit != new.deficit:
        row("Deficit", inline(old.deficit), inline(new.deficit))
    if old.indicator != new.indicator:
        row("Indicator", inline(old.indicator), inline(new.indicator))
    if old.teams != new.teams:
        added = [t for t in new.teams if t not in old.teams]
        removed = [t for t in old.teams if t not in new.teams]
        notes = []
        if added:
            notes.append("added " + _list(tuple(added)))
        if removed:
            notes.append("removed " + _list(tuple(removed)))
        now = _list(new.teams) + (f" ({'; '.join(notes)})" if notes else " (reordered)")
        row("Teams", _list(old.teams), now)
    if old.baseline_period != new.baseline_period:
        row("Baseline period", inline(old.baseline_period), inline(new.baseline_period))
    if old.baseline_value != new.baseline_value:
        own = "each team's own figure"
        row("Baseline value", _value(old.baseline_value, old_ind, own), _value(new.baseline_value, new_ind, own))
    if old.target_value != new.target_value:
        change = direction(old.target_value, new.target_value, new_ind) if old.indicator == new.indicator else ""
        now = _value(new.target_value, new_ind) + (f" (**{change}**)" if change else "")
        row("Target value", _value(old.target_value, old_ind), now)
    if old.target_period != new.target_period:
        moved = ""
        if old.target_period and new.target_period and old.target_period != new.target_period:
            moved = " (later)" if new.target_period > old.target_period else " (earlier)"
        row("Deadline", inline(old.target_period), inline(new.target_period) + moved)
    if old.guardrails != new.guardrails:
        row("Guardrails", _guardrails(old, old_inds), _guardrails(new, new_inds))
    if old.get("theory.link") != new.get("theory.link"):
        row("Theory link", inline(_short(old.get("theory.link"))), inline(_short(new.get("theory.link"))))
    if old.get("theory.chain") != new.get("theory.chain"):
        row("Theory chain", _list(old.get("theory.chain"), " → "), _list(new.get("theory.chain"), " → "))
    if old.get("theory.assumptions") != new.get("theory.assumptions"):
        row("Assumptions", _list(old.get("theory.assumptions"), "; "), _list(new.get("theory.assumptions"), "; "))
    # Every other field of the contract, in its order, worded from its kind.
    worded = {"guardrails": old.guardrails != new.guardrails, "revisions": old.revisions != new.revisions}
    for path, f in compared():
        # A list the report words has a row of its own too when only a field its wording leaves out changed.
        if (path not in WORDED or worded.get(path) is False) and old.get(path) != new.get(path):
            row(_label(path), _shown(f, old.get(path)), _shown(f, new.get(path)))
    return rows


# The fields the rows above word each in its own way (revisions: listed under the table).
WORDED = frozenset({
    "title", "owner", "deficit", "indicator", "teams", "baseline.period", "baseline.value", "target.value",
    "target.period", "guardrails", "theory.link", "theory.chain", "theory.assumptions", "revisions",
})


def _label(path: str) -> str:
    """A row's label from a field's path: 'review_date' -> 'Review date', 'theory.source' -> 'Theory source'."""
    return path.replace(".", " ").replace("_", " ").capitalize()


def _plain(value: Any) -> str:
    if value is None or value == "" or value == ():
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return inline(_num(value))
    if isinstance(value, tuple):
        return ", ".join(_plain(v) or "–" for v in value)
    return inline(_short(str(value)))


def _shown(f: Field, value: Any) -> str:
    """A value of a field the rows do not word themselves, from its kind."""
    if f.kind in ("ids", "texts"):
        return _list(value or ())
    if f.kind == "mappings":
        return "; ".join(_plain(item) for item in value or ())
    return _plain(value)


def _new_revisions(old: View | None, new: View, indicator: Indicator | None) -> list[str]:
    """Revisions present now but not at BASE, each with what the target was and what it became."""
    seen = set(old.revisions) if old else set()
    lines = []
    for i, (day, was_period, was_value, reason) in enumerate(new.revisions):
        if (day, was_period, was_value, reason) in seen:
            continue
        if i + 1 < len(new.revisions):
            _, next_period, next_value, _ = new.revisions[i + 1]
            now = _point(next_period, next_value, indicator)
        else:
            now = _point(new.target_period, new.target_value, indicator)
        was = _point(was_period, was_value, indicator)
        if i + 1 < len(new.revisions):
            now_period, now_value = next_period, next_value
        else:
            now_period, now_value = new.target_period, new.target_value
        better_higher = None if indicator is None else indicator.better.value == "higher"
        did = describe_revision(revision_changes(better_higher, was_value, now_value, was_period, now_period))
        lines.append(f"- {inline(day)}: **{did}**: {was} → {now}. "
                     f"Reason: {inline(reason) if reason else '(none given)'}")
    return lines


def report(base: str, old: Side, new: Side) -> str:
    """Return the Markdown report of target changes from old to new."""
    added = [v for t, v in new.views.items() if t not in old.views]
    removed = [v for t, v in old.views.items() if t not in new.views]
    changed = [(old.views[t], v) for t, v in new.views.items() if t in old.views and old.views[t] != v]
    label = inline(base)
    if not (added or removed or changed):
        lines = [f"No target changes since {label}."]
        if old.note:
            lines += ["", f"_{old.note}_"]
        return "\n".join(lines) + "\n"

    out = [f"## Target changes since {label}", ""]
    counts = [f"{len(added)} added", f"{len(removed)} removed", f"{len(changed)} changed"]
    out += [", ".join(counts).capitalize() + ".", ""]
    if old.note:
        out += [f"_{old.note}_", ""]

    if added:
        out += ["### Added", ""]
        for v in added:
            ind = new.indicators.get(v.indicator)
            if v.baseline_value is None:
                baseline = f"each team's own figure in {inline(v.baseline_period)}"
            else:
                baseline = f"{_value(v.baseline_value, ind)} in {inline(v.baseline_period)}"
            detail = f"{_point(v.target_period, v.target_value, ind)} on {inline(v.indicator)}, from {baseline}"
            out.append(f"- **{_head(v)}**: {detail}; teams {_list(v.teams) or '–'}; owner {inline(v.owner) or '–'}.")
            revs = _new_revisions(None, v, ind)
            out += ["  " + r for r in revs]
        out.append("")
    if removed:
        out += ["### Removed", ""]
        for v in removed:
            ind = old.indicators.get(v.indicator)
            out.append(f"- **{_head(v)}** (was {_point(v.target_period, v.target_value, ind)}; teams {_list(v.teams) or '–'}).")
        out.append("")
    if changed:
        out += ["### Changed", ""]
        for o, n in changed:
            old_ind = old.indicators.get(o.indicator) or new.indicators.get(o.indicator)
            new_ind = new.indicators.get(n.indicator)
            out += [f"#### {_head(n)}", ""]
            rows = _rows(o, n, old_ind, new_ind, {**new.indicators, **old.indicators}, new.indicators)
            if rows:
                out += ["| Field | Was | Now |", "| --- | --- | --- |"]
                out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
                out.append("")
            revs = _new_revisions(o, n, new_ind)
            if revs:
                out += ["Revisions added:", ""] + revs + [""]
            elif o.target_value != n.target_value or o.target_period != n.target_period:
                out += [
                    "No revision entry was added: record the change and its reason under `revisions` "
                    "(practice 11).",
                    "",
                ]
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------------------------------------------


def run_diff(base: str, data_dir: Path, edition: str = INTRANET) -> int:
    """Print the target-change report; exit 2 on a git problem. A data error in the working tree raises DataError."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        validate_data(data_dir)  # raises DataError naming the missing folder
    try:
        top, prefix = repo_location(data_dir)
        commit = resolve(base, top)
        files = files_at(commit, top, prefix)
    except GitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    new_hb = for_edition(validate_data(data_dir), edition)
    new = new_side(new_hb)
    old = old_side(files, edition)
    text = report(base, old, new)
    text += _status_section(commit, top, prefix, files, new_hb, base, edition)
    sys.stdout.write(safe_lines(text, keep=WORD_JOINER))
    return 0


def _status_section(commit: str, top: Path, prefix: str, files: dict[str, bytes], new_hb: Handbook, base: str,
                    edition: str = INTRANET) -> str:
    """The statuses the change moves (macros/status_diff.py), after the target changes; '' when none moves."""
    section = status_section(commit, top, prefix, files, new_hb, inline(base), edition)
    return "\n" + section if section else ""

