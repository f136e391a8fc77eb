"""Bounds on Markdown from data, so text `check` accepts renders in bounded time and memory.

Python-Markdown (which renders every Markdown field) has two costs that grow faster than the text:
- it recurses once per level of nested lists and block quotes: 500 nested list markers in a 1 KB description raise
  `RecursionError` in the build;
- for every `[` (and every `(` after one) its link parser reads forward to the matching bracket, or to the end of
  the paragraph when there is none: a run of 16,000 `[` makes it read 128 million characters (78 s).
`check` refuses both, with the numbers, before a build spends them. Measured on the shared machine: a million
characters read cost Python-Markdown 0.65-2.6 s (plain brackets the least, escapes between them the most), so a
field at the limit renders in 0.3-1.3 s; the check itself reads each character a few times (16,000 `[`: 8 ms).
"""

from __future__ import annotations

import re

from .contract import LINE_BREAKS

NESTING_MAX = 30  # lists and block quotes inside each other; Python-Markdown fails at a few hundred
BRACKET_READS_MAX = 500_000  # characters the link parser may read for one field (about 0.35 s)

# A code span hides its brackets from the link parser (Python-Markdown's backtick pattern runs first), and so does
# a backslash escape.
_CODE = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)", re.S)
_ESCAPED = re.compile(r"\\.", re.S)
_BLANK = re.compile(r"\n[ \t]*\n")
_MARKER = re.compile(r"[ \t]*(?:>|[-*+][ \t]|[0-9]{1,9}[.)][ \t])")


def nesting_depth(text: str) -> tuple[int, int]:
    """The deepest nesting of lists and quotes (indentation levels plus markers on a line) and its line."""
    deepest, where = 0, 0
    for number, line in enumerate(text.split("\n"), 1):
        body = line.expandtabs(4)
        indent = len(body) - len(body.lstrip(" "))
        depth, pos = indent // 2, indent  # two spaces may nest a list: count each as a level, to be safe
        while m := _MARKER.match(body, pos):
            depth += 1
            pos = m.end()
        if depth > deepest:
            deepest, where = depth, number
    return deepest, where


def bracket_reads(text: str) -> int:
    """How many characters Python-Markdown's link parser reads for the text, at most: for each `[`, and each `(`
    right after a `]`, the distance to its matching bracket in the paragraph, or to the paragraph's end."""
    # Python-Markdown replaces each code span with a placeholder of 13 characters, each escape with one of 4.
    plain = _ESCAPED.sub(" " * 4, _CODE.sub(" " * 13, text))
    total = 0
    for paragraph in _BLANK.split(plain):
        stacks: dict[str, list[int]] = {"[": [], "(": []}
        for i, c in enumerate(paragraph):
            if c in "[(":
                stacks[c].append(i)
            elif c in "])":
                stack = stacks["[" if c == "]" else "("]
                if stack:
                    start = stack.pop()
                    if c == "]" or _read(paragraph, start):
                        total += i - start
        end = len(paragraph)
        total += sum(end - i for c, stack in stacks.items() for i in stack if c == "[" or _read(paragraph, i))
    return total


def _read(paragraph: str, i: int) -> bool:
    """Whether the link parser reads from the `(` at i: only one right after a `]`."""
    return i > 0 and paragraph[i - 1] == "]"


LINE_BREAK = re.compile(f"[{LINE_BREAKS}]")  # what a one-line field may not hold (validate.py reads it too)


def text_problem(text: str, one_line: bool) -> tuple[str, str] | None:
    """(expected, found) when text from data breaks what every text field keeps, wherever it is written (its file
    or a translation): no line break in a name, title or label shown on one line, and Markdown within the bounds."""
    if one_line and LINE_BREAK.search(text):
        return "text on one line", "a line break (only descriptions and explanations may span lines)"
    return markdown_problem(text)


def markdown_problem(text: str) -> tuple[str, str] | None:
    """(expected, found) when Markdown from data would cost the build more than the bounds; else None."""
    depth, line = nesting_depth(text)
    if depth > NESTING_MAX:
        return (f"Markdown nested at most {NESTING_MAX} levels deep (lists and quotes inside each other)",
                f"{depth} levels on its line {line}")
    reads = bracket_reads(text)
    if reads > BRACKET_READS_MAX:
        runs = max((len(m.group()) for m in re.finditer(r"\[+", text)), default=0)
        return (f"Markdown whose brackets the renderer can read within {BRACKET_READS_MAX:,} characters (an "
                "unclosed '[' or '(' makes it read to the end of the paragraph): close them, or write \\[",
                f"{reads:,} characters to read ({text.count('['):,} '[', the longest run {runs:,})")
    return None
