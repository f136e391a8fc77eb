"""Golden pages: every page macro's Markdown, called directly (no MkDocs build), pinned byte for byte.

Two organizations: a copy of the sample data (today 2026-12-05) and the messy fixture organization of tests/orgs.py
(its own today). One file per page under tests/goldens/<organization>/<page src>. After a change that is meant to
change pages, refresh them with `pytest tests/test_goldens.py --update-goldens` and read the diff before committing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from macros import generate
from macros.registry import load_macros
from macros.site import load_site
from orgs import SUITE_TODAY, messy_org, write_org

ROOT = Path(__file__).resolve().parent.parent
GOLDENS = Path(__file__).resolve().parent / "goldens"
EDIT_BASE = "https://git.example/handbook/edit/main/"
# Every file's modification time, so that "figures changed on or before" reads the same on every machine.
MTIME = 1795000000  # 2026-11-18


def _hand_written_calls() -> dict[str, tuple]:
    """Page src -> (macro, *arguments) of the hand-written pages of docs/ (each calls its macro once)."""
    import re

    calls: dict[str, tuple] = {}
    macros = load_macros()
    for path in sorted((ROOT / "docs").rglob("*.md")):
        src = path.relative_to(ROOT / "docs").as_posix()
        for i, m in enumerate(re.finditer(r"\{\{\s*([a-z_]+)\((.*?)\)\s*\}\}", path.read_text(encoding="utf-8"))):
            if m.group(1) in macros:
                from macros.registry import literal_args

                calls[f"{src}#{i}"] = (m.group(1), *literal_args(m.group(2)))
    # Macros no hand-written page calls today (a page of the organization's own may).
    calls["extra.md#0"] = ("print_button",)
    return calls


def _freeze(data: Path) -> Path:
    for path in [data, *data.rglob("*")]:
        os.utime(path, (MTIME, MTIME))
    return data


def _sample(root: Path) -> Path:
    os.environ["HANDBOOK_TODAY"] = SUITE_TODAY
    return _freeze(Path(shutil.copytree(ROOT / "data", root / "data")))


def _messy(root: Path) -> Path:
    return _freeze(write_org(root, messy_org()))  # takes the fixture's own today


ORGS = {"sample": _sample, "messy": _messy}


def render_all(data: Path, edition: str = "intranet") -> dict[str, str]:
    """Golden name -> the Markdown each page macro returns for each page of the site (hand-written and generated)."""
    site = load_site(data, EDIT_BASE, edition=edition)
    macros = load_macros()
    pages: dict[str, str] = {}
    calls = {**_hand_written_calls(), **{f"{src}#0": call for src, call in generate.plan_pages(site).items()}}
    for key, (name, *args) in sorted(calls.items()):
        src = key.rsplit("#", 1)[0]
        if src in generate.left_out(site):
            continue
        index = key.rsplit("#", 1)[1]
        golden = src[: -len(".md")] + ("" if index == "0" else f".{index}") + f".{name}.md"
        pages[golden] = macros[name](site, site.links(src), *args)
    assert {name for name, *_ in calls.values()} == set(macros), "a page macro no page calls has no golden"
    return pages


CASES = [("sample", "intranet"), ("sample", "public"), ("messy", "intranet")]


@pytest.mark.parametrize("org, edition", CASES)
def test_pages_match_their_goldens(org, edition, tmp_path, request):
    pages = render_all(ORGS[org](tmp_path), edition)
    folder = GOLDENS / (org if edition == "intranet" else f"{org}-{edition}")
    if request.config.getoption("--update-goldens"):
        shutil.rmtree(folder, ignore_errors=True)
        for name, text in pages.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
    stored = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.md")} if folder.is_dir() else {}
    assert sorted(stored) == sorted(pages), "pages added or gone: refresh with --update-goldens"
    changed = [name for name, text in pages.items() if text.encode("utf-8") != stored[name]]
    assert not changed, f"pages differ from tests/goldens/{folder.name}/ (refresh with --update-goldens): {changed}"
