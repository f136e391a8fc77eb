"""Refuse template code in contributor pages (docs/*.md), front matter included, before anything renders them.

mkdocs-macros renders a page's body and its title as unsandboxed Jinja: `{{ ... }}` in either can read the build's
environment or run code. A contributor page may only call the handbook's registered macros, with literal
arguments, in its body; its front matter (every key and value, however the YAML spells it) holds no template code
at all. This module is plain Python: `python -m macros check` and the MkDocs hooks call the same functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, terminal_safe
from .filecheck import PAGE_SUFFIXES, TEMPLATE_SUFFIXES, FileProblem, check_files
from .macrocall import CALL, MacroCallError, literal_args
from .registry import MACROS

PAGE_EXPECTED = "no template code outside the allowed macro calls"
TEMPLATE = re.compile(r"\{\{|\{%|\{#")
# MkDocs' YAML front matter: a first line of three dashes, up to a line of three dashes or dots.
_FRONT = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.S)


@dataclass(frozen=True, order=True, init=False)
class PageProblem(Problem):
    """Template code in a page (or a page that cannot be read): a Problem shown as `file:line: text`, each part kept
    apart too, so a report (`check --format json|github`) takes them as they are."""

    def __init__(self, file: str, line: int | None, text: str):
        for name, value in (("file", file), ("line", line), ("record", None), ("field", None),
                            ("expected", PAGE_EXPECTED), ("found", text)):
            object.__setattr__(self, name, value)

    @property
    def text(self) -> str:
        return self.found or ""

    def __str__(self) -> str:
        return f"{self.file}{f':{self.line}' if self.line else ''}: {self.text}"

    def render(self, folder: str | None = None) -> str:
        return self.message()

    def message(self) -> str:
        return terminal_safe(f"{self}: template code outside the allowed macro calls")

    def title(self) -> str:
        return "Template code in a page"


def allowed_macros() -> list[str]:
    """The macros a page may call: every one in the table (macros/registry.py)."""
    return sorted(MACROS)


def find_template_code(markdown: str, allowed: Iterable[str] | None = None) -> list[tuple[int, str]]:
    """Return (line, text) for template code in a page beyond calls of allowed macros with literal arguments.

    Front matter allows no call at all: a title is rendered as a template, and a macro's output is no title.
    """
    names = set(allowed_macros() if allowed is None else allowed)
    front_end, found = 0, []
    front = _FRONT.match(markdown)
    if front:
        front_end = markdown[: front.end()].count("\n")
        found += _front_matter_template_code(front.group(1))
    for number, line in enumerate(markdown.splitlines(), 1):
        if number <= front_end:
            if TEMPLATE.search(line) and not any(n == number for n, _ in found):
                found.append((number, line.strip()))
            continue
        rest = CALL.sub(lambda m: "" if m.group(1) in names else m.group(0), line)
        if TEMPLATE.search(rest):
            found.append((number, line.strip()))
    return sorted(found)


def _front_matter_template_code(text: str) -> list[tuple[int, str]]:
    """Template code in the parsed keys and values of front matter (YAML escapes such as \\x7b included)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []  # MkDocs then reads no front matter: its lines are the page's text, checked line by line
    found, seen, stack = [], set(), [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:  # aliases share nodes: visit each once
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if TEMPLATE.search(node.value):
                found.append((node.start_mark.line + 2, _show(node.value)))  # +1 for the opening dashes, +1 one-based
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return found


def _show(value: str) -> str:
    text = " ".join(value.split())
    return text if len(text) <= 80 else text[:77] + "..."


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _clean(text: str) -> str:
    """Page text for a terminal or CI log: control characters as escapes, so none can start a line or a sequence."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def template_code_in_title(title: object) -> bool:
    """Whether a page title (from front matter, the nav or the first heading) would run as a template."""
    return isinstance(title, str) and bool(TEMPLATE.search(title))


def check_pages(docs_dir: Path, overrides: Path | None = None, data_dir: Path | None = None,
                public: bool = False) -> list[Problem]:
    """Return one Problem (FileProblem, PageProblem: each printed as one line) per file no engine may read (macros/filecheck.py: links, names, data reproduced in
    the public edition) and per piece of template code in the pages under docs_dir (every suffix MkDocs reads as a
    page) and in the files it may render as templates."""
    lines, files = check_files(docs_dir, overrides, data_dir, public)
    names = allowed_macros()
    for where, path in files:
        suffix = path.suffix.lower()
        if suffix not in PAGE_SUFFIXES and suffix not in TEMPLATE_SUFFIXES:
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            lines.append(PageProblem(_clean(where), None, f"cannot be read as UTF-8 text ({_clean(str(exc))})"))
            continue
        if suffix in TEMPLATE_SUFFIXES:  # no macro either: MkDocs renders it as a plain Jinja template
            lines += [PageProblem(_clean(where), n, _clean(line.strip()[:80]))
                      for n, line in enumerate(text.splitlines(), 1) if TEMPLATE.search(line)]
            continue
        lines += [PageProblem(_clean(where), n, _clean(code)) for n, code in find_template_code(text, names)]
        lines += [PageProblem(_clean(where), n, f"a YAML alias ({_clean(alias)}) in front matter: MkDocs expands "
                              "every alias without limit, so front matter may not use them; write the value out")
                  for n, alias in find_front_matter_aliases(text)]
    return lines


def find_front_matter_aliases(markdown: str) -> list[tuple[int, str]]:
    """Return (line, '*name') for each YAML alias in a page's front matter (an alias bomb would hang MkDocs)."""
    front = _FRONT.match(markdown)
    if not front:
        return []
    found = []
    try:
        for event in yaml.parse(front.group(1), Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                found.append((event.start_mark.line + 2, "*" + str(event.anchor)))
    except yaml.YAMLError:
        return found  # MkDocs then reads no front matter
    return found


def report(lines: list[Problem], allowed: list[str] | None = None) -> str:
    """The message for files refused and template code found in pages: where it is, and what a page may call."""
    files = [line for line in lines if isinstance(line, FileProblem)]
    code = [line for line in lines if not isinstance(line, FileProblem)]
    parts = []
    if files:
        parts.append("files no engine may read (a symbolic link, a name holding template syntax or a control "
                     "character, or a data file reproduced):\n" + "\n".join(f"  {line}" for line in files))
    if code:
        names = ", ".join(allowed if allowed is not None else allowed_macros())
        parts.append(
            "template code outside the allowed macro calls:\n" + "\n".join(f"  {line}" for line in code) + "\n"
            "A page's body may only call these macros with literal arguments, e.g. {{ team_page(\"an-id\") }}, and "
            f"its front matter holds no template code at all: {names}."
        )
    return "\n".join(parts)


def page_template_code(markdown: str, src: str, meta: dict | None = None, title: object = None,
                       allowed: Iterable[str] | None = None) -> list[Problem]:
    """One PageProblem per piece of template code in a page as the engine read it: text, front matter, title."""
    where = "docs/" + _clean(src)  # a file name reaches the log too
    found = [PageProblem(where, n, _clean(text)) for n, text in find_template_code(markdown, allowed)]
    found += [PageProblem(where, None, f"front matter: {_clean(text)}") for text in _template_values(meta or {})]
    if template_code_in_title(title) and not found:
        found.append(PageProblem(where, None, f"title: {_clean(' '.join(str(title).split()))}"))
    return found


def _template_values(value: Any) -> list[str]:
    """Every key or value of parsed front matter that would run as a template."""
    found, stack, seen = [], [value], set()
    while stack:
        item = stack.pop()
        if isinstance(item, (dict, list, tuple, set)):
            if id(item) in seen:
                continue
            seen.add(id(item))
            stack += [*item.keys(), *item.values()] if isinstance(item, dict) else list(item)
        elif isinstance(item, str) and TEMPLATE.search(item):
            found.append(" ".join(item.split())[:80])
    return found


def page_macro_calls(markdown: str, allowed: Iterable[str]) -> list[tuple[str, tuple]]:
    """Return the allowed macro calls (name, literal arguments) a hand-written page makes, in order."""
    names, calls = set(allowed), []
    for m in CALL.finditer(markdown):
        if m.group(1) in names:
            try:
                calls.append((m.group(1), literal_args(m.group(2))))
            except MacroCallError:
                continue  # not rendered ahead: the page's own check refuses it, with its line
    return calls
