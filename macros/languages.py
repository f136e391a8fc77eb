"""The organization's languages: which one a build writes, where each language's site goes, and the data's text
translated for it (data/translations/<language>.yml).

organization.yml names the language its data is written in (`language`, default en) and, for an organization that
publishes in several, every language of its site (`languages`). A build writes one language: $HANDBOOK_LANGUAGE,
else `language`. The site in `language` is built at the site's root; each other language in a folder named by its
code (site/fr/), so the addresses of a monolingual organization never change.

A translation file gives the data's text in one language, by file, record and field (macros/contract.py,
TRANSLATABLE). Text it leaves out is shown in its original language, marked as such (`Original`, which
macros/render/text.py writes inside an element with a `lang` attribute, for screen readers and browsers).
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import i18n
from .contract import FIGURE_KEY, LANGUAGE_PATTERN, TRANSLATABLE, TRANSLATABLE_FIGURES, TRANSLATIONS_FOLDER, field_at
from .edition import EditionError
from .errors import DATA_PREFIX, Problem, show, suggest
from .i18n import Original, lang_of  # noqa: F401 - the marked text of the data, declared with the language
from .load import YAML_MAX_BYTES, file_problem, load_yaml
from .mdbounds import text_problem
from .periods import format_period

ENV = "HANDBOOK_LANGUAGE"


class LanguageError(EditionError):
    """$HANDBOOK_LANGUAGE names a language the build cannot write (reported as an unknown edition is: one line,
    exit status 2, no traceback)."""


def name_of(code: str) -> str:
    """A language's name in that language, by Babel ("Français", "Français (Canada)"), for the switcher."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name() or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


# ---------------------------------------------------------------------------------------------------------------
# organization.yml's language and languages

def _known(code: str) -> bool:
    return code in i18n.languages() or code.split("-")[0] in i18n.languages()


def _written_in() -> str:
    return "a language the handbook's text is written in (" + ", ".join(i18n.languages()) + ") as a BCP 47 code"


def read_languages(r: Any) -> tuple[str, tuple[str, ...]]:
    """Read `language` and `languages` of organization.yml (a validate.Reader); record a problem for each bad one."""
    default = field_at("organization.yml", "language").default
    language = r.line("language", required=False, default=default).strip() or default
    if not re.fullmatch(LANGUAGE_PATTERN, language) or not _known(language):
        r.problem("language", _written_in() + ", e.g. fr or fr-CA", show(language))
        language = default
    raw = r.texts("languages", required=False, one_line=True)
    languages: list[str] = []
    node = r.node.get("languages")
    for i, code in enumerate(raw):
        code = str(code).strip()
        line = node.item_lines[i] if hasattr(node, "item_lines") and i < len(node.item_lines) else None
        if not re.fullmatch(LANGUAGE_PATTERN, code) or not _known(code):
            r.problem("languages", _written_in() + " for every item", f"{show(code)} at item {i + 1}", line=line)
        elif code in languages:
            r.problem("languages", "each language once", f"{show(code)} again at item {i + 1}", line=line)
        else:
            languages.append(code)
    if languages and language not in languages:
        r.problem("languages", f"the organization's language ({language}) among them", ", ".join(languages))
    return language, tuple(languages)


def site_languages(org: Any) -> tuple[str, ...]:
    """Every language the organization's site is built in, its own language first."""
    return (org.language, *[c for c in org.languages if c != org.language])


def build_language(org: Any, environ: dict[str, str] | None = None) -> str:
    """The language this build writes: $HANDBOOK_LANGUAGE, else organization.yml's language."""
    env = (os.environ if environ is None else environ).get(ENV, "").strip()
    if not env:
        return org.language
    if not re.fullmatch(LANGUAGE_PATTERN, env) or not _known(env):
        raise LanguageError(f"{ENV} is {show(env)}: expected {_written_in()}, e.g. fr")
    if org.languages and env not in org.languages and env != org.language:
        raise LanguageError(f"{ENV} is {show(env)}: expected one of the organization's languages "
                            f"({', '.join(site_languages(org))}, organization.yml)")
    return env


def folder_of(org: Any, language: str) -> str:
    """Where a language's site goes under the site's root: "" for the organization's language, else "fr/"."""
    return "" if language == org.language else language + "/"


# ---------------------------------------------------------------------------------------------------------------
# data/translations/<language>.yml

def translation_path(data_dir: Path, language: str) -> Path:
    return Path(data_dir) / TRANSLATIONS_FOLDER / f"{language}.yml"


def _label(language: str) -> str:
    return f"{DATA_PREFIX}{TRANSLATIONS_FOLDER}/{language}.yml"


def _records(hb: Any, file: str) -> dict[str, Any]:
    """The records of a translatable file by their key (as text), or {"": organization} for organization.yml."""
    if file == "organization.yml":
        return {"": hb.organization}
    if file == "practices.yml":
        return {str(p.number): p for p in hb.practices}
    return dict(getattr(hb, file.removesuffix(".yml")))


def _value(record: Any, path: str) -> Any:
    head, _, sub = path.partition(".")
    if head == "checklist":
        return {item.id: item.text for item in record.checklist}
    value = getattr(record, head)
    return getattr(value, sub) if sub else value


def _files(data_dir: Path) -> list[Path]:
    folder = Path(data_dir) / TRANSLATIONS_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def load_translations(data_dir: Path, hb: Any) -> tuple[dict[str, dict], list[Problem]]:
    """Read every translation file: {language: {(file, key, field): text or tuple}} and the problems found.

    Each problem names the translation file, the line, the record and the field.
    """
    problems: list[Problem] = []
    found: dict[str, dict] = {}
    org = hb.organization
    folder = Path(data_dir) / TRANSLATIONS_FOLDER
    if folder.exists() and not folder.is_dir():  # not silently read as no translation at all
        problems.append(Problem(f"{DATA_PREFIX}{TRANSLATIONS_FOLDER}", None, None, None,
                                "a folder of translation files named by language, e.g. fr.yml", "a file"))
    for path in _files(data_dir):
        language = path.stem
        name = f"{DATA_PREFIX}{TRANSLATIONS_FOLDER}/{path.name}"
        if path.suffix != ".yml" or not re.fullmatch(LANGUAGE_PATTERN, language):
            problems.append(Problem(name, None, None, None, "a file named by a language code, e.g. fr.yml",
                                    show(path.name)))
            continue
        if language == org.language or language not in org.languages:
            others = [c for c in org.languages if c != org.language]
            expected = ("a translation into another of the organization's languages (" + ", ".join(others) + ")"
                        if others else "no translation: organization.yml lists no other language (languages)")
            problems.append(Problem(name, None, None, None, expected,
                                    f"a file for {language}" + (", the data's own language" if language == org.language else "")))
            continue
        unusable = file_problem(path, Path(data_dir), YAML_MAX_BYTES)
        if unusable:
            problems.append(Problem(name, None, None, None, "a YAML file", unusable))
            continue
        data = load_yaml(path, name, problems)
        if data is None:
            continue
        found[language] = _read_file(data, name, hb, problems)
    return found, problems


def _read_file(data: Any, name: str, hb: Any, problems: list[Problem]) -> dict:
    out: dict = {}
    if not isinstance(data, dict):
        problems.append(Problem(name, getattr(data, "line", 1), None, None,
                                "a mapping of data files, e.g. 'teams.yml:'", show(data)))
        return out
    for file, records in data.items():
        line = data.line_of(file) if hasattr(data, "line_of") else None
        if file == TRANSLATABLE_FIGURES:
            _read_figures(records, name, line, hb, out, problems)
            continue
        if file not in TRANSLATABLE:
            problems.append(Problem(name, line, None, None, "one of the files " + ", ".join(TRANSLATABLE)
                                    + f", {TRANSLATABLE_FIGURES}", f"the unknown file {show(file)}"))
            continue
        key, paths = TRANSLATABLE[file]
        known = _records(hb, file)
        if key is None:
            _read_record(records, name, line, file, "", "organization", paths, known[""], out, problems)
            continue
        if not isinstance(records, dict):
            problems.append(Problem(name, line, None, file, f"a mapping of {file} records by {key}", show(records)))
            continue
        for rid, fields in records.items():
            rline = records.line_of(rid) if hasattr(records, "line_of") else line
            record = known.get(str(rid))
            if record is None:
                hint = suggest(str(rid), known)
                problems.append(Problem(name, rline, str(rid), None, f"the {key} of a record in {file}",
                                        f"{show(rid)}, which no record has{hint}"))
                continue
            _read_record(fields, name, rline, file, str(rid), str(rid), paths, record, out, problems)
    return out


class _Figure:
    """A figure with a note, as a translation file's record: its note and where it is (its CSV file and line)."""

    __slots__ = ("note", "file", "line")

    def __init__(self, note: str, file: str, line: int | None) -> None:
        self.note, self.file, self.line = note, file, line


def _figures(hb: Any) -> dict[str, _Figure]:
    """The figures with a note, by FIGURE_KEY (team/indicator/period, the period as the handbook writes it)."""
    frame = hb.measurements
    if frame is None or not len(frame) or "note" not in frame:
        return {}
    noted = frame[frame["note"].astype(str).str.strip() != ""]
    out: dict[str, _Figure] = {}
    for row in noted.itertuples(index=False):
        key = f"{row.team}/{row.indicator}/{format_period(int(row.index), hb.frequency)}"
        line = int(row.line) if str(row.line).isdigit() else None
        out[key] = _Figure(str(row.note), str(row.file), line)
    return out


def _read_figures(records: Any, name: str, line: int | None, hb: Any, out: dict, problems: list[Problem]) -> None:
    if not isinstance(records, dict):
        problems.append(Problem(name, line, None, TRANSLATABLE_FIGURES,
                                f"a mapping of figures by {FIGURE_KEY} to their note", show(records)))
        return
    known = _figures(hb)
    for rid, fields in records.items():
        rline = records.line_of(rid) if hasattr(records, "line_of") else line
        figure = known.get(str(rid))
        if figure is None:
            hint = suggest(str(rid), known)
            problems.append(Problem(name, rline, str(rid), None,
                                    f"a figure with a note in data/measurements, as {FIGURE_KEY}",
                                    f"{show(rid)}, which is not a figure with a note{hint}"))
            continue
        _read_record(fields, name, rline, TRANSLATABLE_FIGURES, str(rid), str(rid), ("note",), figure, out, problems)


def _read_record(fields: Any, name: str, line: int | None, file: str, key: str, label: str, paths: tuple[str, ...],
                 record: Any, out: dict, problems: list[Problem]) -> None:
    if not isinstance(fields, dict):
        problems.append(Problem(name, line, label, None, "a mapping of fields to their translation", show(fields)))
        return
    tops = sorted({p.split(".")[0] for p in paths})
    for head, value in fields.items():
        fline = fields.line_of(head) if hasattr(fields, "line_of") else line
        if head not in tops:
            problems.append(Problem(name, fline, label, str(head), "one of the translated fields " + ", ".join(tops),
                                    f"the unknown field {show(head)}"))
            continue
        subs = [p for p in paths if p.split(".")[0] == head]
        if head == "checklist":
            _read_checklist(value, name, fline, file, key, label, record, out, problems)
        elif subs == [head]:
            _read_text(value, name, fline, label, head, _value(record, head), (file, key, head), out, problems)
        elif not isinstance(value, dict):
            problems.append(Problem(name, fline, label, head, "a mapping of " + ", ".join(p.split(".")[1] for p in subs),
                                    show(value)))
        else:
            allowed = {p.split(".")[1] for p in subs}
            for sub, text in value.items():
                sline = value.line_of(sub) if hasattr(value, "line_of") else fline
                if sub not in allowed:
                    problems.append(Problem(name, sline, label, f"{head}.{sub}", "one of the translated fields "
                                            + ", ".join(sorted(allowed)), f"the unknown field {show(sub)}"))
                    continue
                path = f"{head}.{sub}"
                _read_text(text, name, sline, label, path, _value(record, path), (file, key, path), out, problems)


def _read_checklist(value: Any, name: str, line: int | None, file: str, key: str, label: str, record: Any,
                    out: dict, problems: list[Problem]) -> None:
    items = _value(record, "checklist")
    if not isinstance(value, dict):
        problems.append(Problem(name, line, label, "checklist", "a mapping of checklist item ids to their text",
                                show(value)))
        return
    for item, text in value.items():
        iline = value.line_of(item) if hasattr(value, "line_of") else line
        if item not in items:
            problems.append(Problem(name, iline, label, f"checklist.{item}", "the id of one of the practice's "
                                    "checklist items (" + ", ".join(items) + ")", f"{show(item)}, which no item has"))
            continue
        _read_text(text, name, iline, label, f"checklist.{item}", items[item], (file, key, f"checklist.{item}"),
                   out, problems)


def _read_text(value: Any, name: str, line: int | None, label: str, field: str, original: Any, where: tuple,
               out: dict, problems: list[Problem]) -> None:
    one_line = _one_line(where[0], where[2])
    if isinstance(original, tuple):  # a list of text: translated item for item
        if not isinstance(value, list) or len(value) != len(original) or not all(_is_text(v) for v in value):
            found = (f"{len(value)} item{'s' if len(value) != 1 else ''}" + (" (not all text)" if not all(map(_is_text, value)) else "")
                     if isinstance(value, list) else show(value))
            problems.append(Problem(name, line, label, field, f"a list of {len(original)} texts, one for each item "
                                    "of the original", found))
            return
        texts = tuple(str(v).strip() for v in value)
        for i, text in enumerate(texts):
            if costly := text_problem(text, one_line):  # the original's rules hold for its translation
                problems.append(Problem(name, line, label, field, costly[0], f"{costly[1]} at item {i + 1}"))
                return
        out[where] = texts
        return
    if not _is_text(value):
        problems.append(Problem(name, line, label, field, "non-empty text", show(value)))
        return
    text = str(value).strip()
    if costly := text_problem(text, one_line):  # the original's rules hold for its translation
        problems.append(Problem(name, line, label, field, *costly))
        return
    out[where] = text


def _one_line(file: str, path: str) -> bool:
    """Whether the contract declares the translated field a one-line text (a name, title or label), as the original
    is read; a checklist item is its `text`, a figure's note is free text."""
    if file == TRANSLATABLE_FIGURES:
        return False
    head = path.split(".")[0]
    return field_at(file, "checklist.text" if head == "checklist" else path).one_line


def _is_text(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool) and bool(str(value).strip())


def check_translations(data_dir: Path, hb: Any) -> list[Problem]:
    """The translation files' errors: a file, record or field that is not translatable, a value that is not text."""
    return load_translations(data_dir, hb)[1]


def translation_warnings(data_dir: Path, hb: Any) -> list[Problem]:
    """What `check` warns about: each text of the data with no translation into one of the organization's other
    languages, at its own file and line (the page shows the original, marked with its language)."""
    org = hb.organization
    others = [c for c in org.languages if c != org.language]
    if not others:
        return []
    found, _ = load_translations(data_dir, hb)
    warnings: list[Problem] = []
    for language in others:
        done = found.get(language, {})
        for file, (key, paths) in TRANSLATABLE.items():
            nodes = _nodes(data_dir, file, key)
            for rid, record in _records(hb, file).items():
                for path in paths:
                    for field, original in _texts(record, path):
                        if not _words(original) or (file, rid, field) in done:
                            continue
                        line = _line(nodes.get(rid), field) or getattr(record, "line", None) or None
                        warnings.append(Problem(
                            DATA_PREFIX + file, line, rid or None, field,
                            f"a translation into {language} in {_label(language)}",
                            f"none: the {language} pages show the {org.language} text"))
        for rid, figure in _figures(hb).items():
            if _words(figure.note) and (TRANSLATABLE_FIGURES, rid, "note") not in done:
                warnings.append(Problem(
                    figure.file, figure.line, rid, "note", f"a translation into {language} in {_label(language)}",
                    f"none: the {language} pages show the {org.language} text"))
    return warnings


def _words(text: Any) -> bool:
    """Whether text has words to translate (a unit such as "%" has none)."""
    if isinstance(text, tuple):
        return any(_words(t) for t in text)
    return isinstance(text, str) and any(c.isalpha() for c in text)


def _texts(record: Any, path: str) -> list[tuple[str, Any]]:
    if path == "checklist.text":
        return [(f"checklist.{k}", v) for k, v in _value(record, "checklist").items()]
    return [(path, _value(record, path))]


def _nodes(data_dir: Path, file: str, key: str | None) -> dict[str, Any]:
    """A data file's YAML nodes (which know their lines) by record key ("" for organization.yml)."""
    path = Path(data_dir) / file
    data = load_yaml(path, file, []) if path.is_file() else None
    if key is None:
        return {"": data} if isinstance(data, dict) else {}
    return {str(n.get(key)): n for n in data if isinstance(n, dict)} if isinstance(data, list) else {}


def _line(node: Any, field: str) -> int | None:
    """The line of a field (theory.link, checklist.<item id>) in a record's node."""
    head, _, sub = field.partition(".")
    if not isinstance(node, dict) or head not in node:
        return None
    line = node.line_of(head)
    inner = node[head]
    if head == "checklist" and isinstance(inner, list):
        item = next((i for i in inner if isinstance(i, dict) and i.get("id") == sub), None)
        return item.line_of("text") if item is not None else line
    if sub and isinstance(inner, dict) and sub in inner:
        return inner.line_of(sub)
    return line


# ---------------------------------------------------------------------------------------------------------------
# The data in the build's language

def translate(hb: Any, data_dir: Path, language: str) -> Any:
    """The Handbook with its text in `language`: translated where a translation file says, else the original,
    marked with its language (`Original`). The organization's own language: the data as it is."""
    org = hb.organization
    if language == org.language:
        return hb
    done = load_translations(data_dir, hb)[0].get(language, {})

    def text(file: str, key: str, field: str, original: Any) -> Any:
        if (file, key, field) in done:
            return done[(file, key, field)]
        if isinstance(original, tuple):
            return tuple(Original(t, org.language) if _words(t) else t for t in original)
        return Original(original, org.language) if _words(original) else original

    def record(file: str, key: str, rec: Any) -> Any:
        changes: dict[str, Any] = {}
        for path in TRANSLATABLE[file][1]:
            head, _, sub = path.partition(".")
            if head == "checklist":
                changes["checklist"] = tuple(replace(i, text=text(file, key, f"checklist.{i.id}", i.text))
                                             for i in rec.checklist)
            elif sub:
                inner = changes.get(head, getattr(rec, head))
                changes[head] = replace(inner, **{sub: text(file, key, path, getattr(inner, sub))})
            else:
                changes[head] = text(file, key, path, getattr(rec, head))
        return replace(rec, **changes)

    return replace(
        hb,
        organization=record("organization.yml", "", org),
        teams={k: record("teams.yml", k, v) for k, v in hb.teams.items()},
        indicators={k: record("indicators.yml", k, v) for k, v in hb.indicators.items()},
        deficits={k: record("deficits.yml", k, v) for k, v in hb.deficits.items()},
        targets={k: record("targets.yml", k, v) for k, v in hb.targets.items()},
        practices=tuple(record("practices.yml", str(p.number), p) for p in hb.practices),
        capacity={k: record("capacity.yml", k, v) for k, v in hb.capacity.items()},
        series={k: _translated_notes(k, s, hb.frequency, text) for k, s in hb.series.items()},
    )


def _translated_notes(key: tuple[str, str], series: Any, frequency: str, text: Any) -> Any:
    """A series with its figures' notes in the build's language (the original, marked, where none is given)."""
    if not any(series.notes):
        return series
    team, indicator = key
    return replace(series, notes=tuple(
        text(TRANSLATABLE_FIGURES, f"{team}/{indicator}/{format_period(p, frequency)}", "note", n) if n.strip() else n
        for p, n in zip(series.periods, series.notes, strict=True)))


# ---------------------------------------------------------------------------------------------------------------
# The engine's configuration in the build's language (called by the MkDocs hook on_config)

# mkdocs.yml's shipped text, translated when it is left as shipped (a site's own wording is kept as written).
N_ = i18n.N_
SHIPPED_DESCRIPTION = N_("How we set targets, track performance and learn, built from the data in this repository.")
NAV_TITLES = (N_("Home"), N_("Onboarding"), N_("Glossary"), N_("How a status is computed"),
              N_("How to add this month's figures"), N_("How to propose a change"), N_("Data reference"),
              N_("Public and internal"), N_("Print version"), N_("Briefing book"), N_("Practices"), N_("Deficits"),
              N_("Targets"), N_("Scoreboard"), N_("Figures due"), N_("Teams"), N_("Indicators"), N_("Learning"))
# The titles of the shipped hand-written pages (docs/): a page's first heading, or its front matter's title, is
# written in the build's language when it is one of these (a title an organization wrote itself is kept).
PAGE_TITLES = (N_("Teams"), N_("Indicators"), N_("Targets and theories"), N_("Figures due"), N_("Scoreboard"),
               N_("Key failures"), N_("How a status is computed"), N_("How to propose a change to a target"),
               N_("Data reference"), N_("Public and internal"), N_("How to add this month's figures"),
               N_("Start here"), N_("Glossary"), N_("The eleven practices"), N_("Learning and the ratchet"),
               N_("Briefing book"))
_HEADING = re.compile(r"\A(\s*)# ([^\n{}<>]+?)[ \t]*$", re.MULTILINE)
PERMALINK_TITLE = N_("Link to this section")
PALETTE_NAMES = (N_("Switch to dark mode"), N_("Switch to light mode"))
SWITCHER_SCRIPT = "assets/js/languages.js"


def translate_nav(items: Any) -> Any:
    """mkdocs.yml's navigation titles in the build's language (entries made from data are added later)."""
    if not isinstance(items, list):
        return items
    out = []
    for item in items:
        if isinstance(item, dict) and len(item) == 1:
            (title, value), = item.items()
            out.append({i18n._(title) if isinstance(title, str) else title: translate_nav(value)})
        else:
            out.append(item)
    return out


def _site_url(url: str, folder: str) -> str:
    return (url.rstrip("/") + "/" + folder) if url and folder else url


def configure_build(config: Any, org: Any, language: str) -> None:
    """Set the theme's language, the search language, the translated navigation and palette names, and for an
    organization with several languages, the address of this language's site and the language switcher."""
    base = language.split("-")[0]
    theme = config["theme"]
    theme["language"] = base  # Material's own text (search, buttons, <html lang>): its languages have no region
    # The search plugin takes its language (lunr's stemmer and stop words) from the theme's, after this hook.
    toc = (config.get("mdx_configs") or {}).get("toc")
    if isinstance(toc, dict) and toc.get("permalink_title") == PERMALINK_TITLE:
        toc["permalink_title"] = i18n._(PERMALINK_TITLE)
    for palette in theme.get("palette") or []:
        toggle = palette.get("toggle") if isinstance(palette, dict) else None
        if toggle and isinstance(toggle.get("name"), str):
            toggle["name"] = i18n._(toggle["name"])
    config["nav"] = translate_nav(config.get("nav"))
    if config.get("site_description") == SHIPPED_DESCRIPTION:
        config["site_description"] = i18n._(SHIPPED_DESCRIPTION)
    languages = site_languages(org)
    if len(languages) < 2:
        return
    folder = folder_of(org, language)
    config["site_url"] = _site_url(config.get("site_url") or "", folder)
    up = "../" if folder else "./"  # from this language's root to the site's root
    extra = config["extra"]
    extra["alternate"] = [{"name": name_of(c), "lang": c, "link": up + folder_of(org, c)} for c in languages]
    scripts = config["extra_javascript"]
    if SWITCHER_SCRIPT not in [str(s) for s in scripts]:
        scripts.append(SWITCHER_SCRIPT)


def translate_page_title(markdown: str, meta: dict) -> str:
    """A hand-written page's title (its first heading, its front matter's title) in the build's language, when it is
    one of the shipped pages' titles (PAGE_TITLES); anything else as it is."""
    if i18n.current() == i18n.DEFAULT:
        return markdown
    if isinstance(meta.get("title"), str) and meta["title"] in PAGE_TITLES:
        meta["title"] = i18n._(meta["title"])
    found = _HEADING.match(markdown)
    if found and found.group(2) in PAGE_TITLES:
        return found.group(1) + "# " + i18n._(found.group(2)) + markdown[found.end():]
    return markdown
