"""The data reference page: every file and field of the contract, generated from macros/contract.py."""

from __future__ import annotations

import json
from typing import Any

from ..contract import FILES, HANDLE_PATTERN, HANDLE_RULE, KINDS, MEASUREMENT_FIELDS, Field, FileSpec, schema_file
from ..i18n import _, pgettext
from .text import esc


def render_reference(check_names: tuple[str, ...], schema_url: str) -> str:
    """Render one section per data file: what it holds, and a table of its fields (nested ones as paths)."""
    out = [
        _("Every file under `data/` and every field it may hold, generated from the same definition the checks use "
          "(`macros/contract.py`), so this page cannot drift from what `make check` accepts. A field not listed "
          "here is an error: unknown fields are almost always typos. Files other than the four marked required may "
          "be absent, which means none of their records.") + "\n\n",
        _("Editors that use the YAML language server (the common YAML extension of most code editors) complete "
          "field names, list allowed values and flag a typo while you type, from the JSON Schema named on each data "
          "file's first line. The schemas are published with this site:") + "\n\n",
    ]
    out.append("".join(f"- [`{spec.name}`]({schema_url}{schema_file(spec)})\n" for spec in FILES) + "\n")
    for spec in FILES:
        out.append(_file_section(spec, check_names))
    out.append(_measurements_section())
    return "".join(out)


def _file_section(spec: FileSpec, check_names: tuple[str, ...]) -> str:
    if spec.shape == "mapping":
        holds = (_("Practice {practices}. The file is required and holds one mapping.") if spec.required else
                 _("Practice {practices}. The file is optional and holds one mapping."))
    else:
        holds = (_("Practice {practices}. The file is required and holds a list of records, each starting with `- `.")
                 if spec.required else
                 _("Practice {practices}. The file is optional and holds a list of records, each starting with `- `."))
    head = (f"\n## `data/{spec.name}` {{ #{spec.name.replace('.', '-')} }}\n\n{esc(_(spec.doc))} "
            + holds.format(practices=spec.practices) + "\n\n")
    return head + _table(list(_rows(spec.fields, "", check_names)))


def _measurements_section() -> str:
    head = ("\n## `data/measurements/*.csv` { #measurements }\n\n"
            + _("The figures, practice 5: one or more CSV files with the header `team,indicator,period,value,note`, "
                "one row per team, indicator and period (a duplicate is an error naming both files and lines).")
            + "\n\n")
    return head + _table(list(_rows(MEASUREMENT_FIELDS, "", ())))


def _rows(fields: tuple[Field, ...], prefix: str, check_names: tuple[str, ...]):
    for f in fields:
        path = prefix + f.name
        yield path, f, check_names
        if f.fields:
            yield from _rows(f.fields, path + ("[]." if f.kind == "mappings" else "."), check_names)


def _table(rows: list[tuple[str, Field, tuple[str, ...]]]) -> str:
    lines = ["| " + " | ".join([_("Field"), _("Type"), pgettext("field", "Required"), _("Allowed values"),
                                _("Example"), _("What it holds")]) + " |",
             "|---|---|---|---|---|---|"]
    for path, f, check_names in rows:
        lines.append("| " + " | ".join([
            f"`{path}`", _kind(f), pgettext("field", "required") if f.required else pgettext("field", "optional"),
            _allowed(f, check_names), _example(f.example),
            _cell(_(f.doc) + (" " + _("(added in v1.1)") if f.since == "1.1" else "")),
        ]) + " |")
    return "\n".join(lines) + "\n\n"


def _kind(f: Field) -> str:
    text = _(KINDS[f.kind])
    if f.refers_to:
        text = _("{kind} from `{file}`").format(kind=text, file=f.refers_to)
    return text


def _allowed(f: Field, check_names: tuple[str, ...]) -> str:
    parts = []
    choices = f.choices or (check_names if f.kind == "enum" else ())
    if choices:
        parts.append(", ".join(f"`{c}`" for c in choices))
    if f.kind == "id" or f.kind == "ids":
        parts.append(_("lowercase letters, digits and hyphens, at most 64 characters"))
    if f.kind == "period":
        parts.append(_("`YYYY-MM` or `YYYY-Qn`"))
    if f.kind == "date":
        parts.append("`YYYY-MM-DD`")
    if f.pattern:
        parts.append(esc(_(HANDLE_RULE)) if f.pattern == HANDLE_PATTERN else f"`{f.pattern}`")
    if f.minimum is not None and f.maximum is not None:
        parts.append(_("from {low} to {high}").format(low=f"{f.minimum:g}", high=f"{f.maximum:g}"))
    elif f.minimum is not None:
        parts.append(_("at least {n} item").format(n=f"{f.minimum:g}") if f.kind in ("ids", "texts")
                     else _("at least {n}").format(n=f"{f.minimum:g}"))
    if f.default is not None:
        parts.append(_("default `{value}`").format(value=f.default))
    return pgettext("separator", "; ").join(parts) or "&nbsp;"


def _example(value: Any) -> str:
    if value is None:
        return "&nbsp;"
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value)
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`"


def _cell(text: str) -> str:
    return esc(text).replace("|", "&#124;")
