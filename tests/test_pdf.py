"""The briefing book as a PDF (`python -m macros.pdf`): printed from a built site by Chromium, then read back with
pdftotext (poppler-utils) and pypdf: its order, contents page numbers, summary, a chart on every target's page, the
notes, no how-tos, page numbers on every page, a unit's book, and a public edition that holds nothing internal.

Needs Chromium and pdftotext: skipped locally without them, a failure in CI (`.ci/run` installs both). The sample's
site is built and printed once for the module.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from browser import require_chromium
from conftest import ROOT, build_ok
from macros.derive import derive_analysis
from macros.periods import format_period
from macros.render.common import fmt_value
from macros.validate import validate_data
from macros.words import fmt_data_value

# The sample's book is 51 A4 pages (13 teams, 10 targets); a layout change that doubles it or drops the team pages
# should fail here.
PAGES = range(35, 71)
# Phrases of the contributor how-tos (the print version's onboarding part): none belongs in the briefing book.
HOW_TO = ["make check", "status --json", "macros diff", "How to add this month's figures", "How to propose a change",
          "The reading path"]


def require_pdftotext() -> None:
    if shutil.which("pdftotext"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("pdftotext is missing: CI must install poppler-utils")
    pytest.skip("pdftotext (poppler-utils) is not installed")


def print_pdf(site: Path, out: Path, *args: str, data: Path | None = None, env: dict | None = None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    if data is not None:
        env["HANDBOOK_DATA"] = str(data)
    return subprocess.run([sys.executable, "-m", "macros.pdf", "--site", str(site), "--out", str(out), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def page_texts(pdf: Path, layout: bool = False) -> list[str]:
    """The text of every page, in order (pdftotext separates pages with a form feed)."""
    cmd = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def flat(text: str) -> str:
    """Text without spaces, line breaks or hyphens: what survives wrapping (a period split as 2025-\\n01)."""
    return re.sub(r"[\s\-‐‑]+", "", text)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    require_chromium()
    require_pdftotext()
    root = tmp_path_factory.mktemp("pdf")
    data = root / "data"
    shutil.copytree(ROOT / "data", data)
    site = build_ok(data, root / "site")
    out = root / "handbook.pdf"
    done = print_pdf(site, out, data=data)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Wrote" in done.stdout
    assert "Refused" not in done.stderr  # offline: the book asked for nothing outside the machine
    hb = validate_data(data)
    return {"pdf": out, "site": site, "data": data, "root": root, "a": derive_analysis(hb),
            "pages": page_texts(out), "layout": page_texts(out, layout=True)}


def contents(book) -> dict[str, int]:
    """The contents page's entries: title -> the page number printed beside it."""
    page = next(t for t in book["layout"][:3] if t.lstrip().startswith("Contents"))
    entries = {}
    for line in page.splitlines()[1:]:
        m = re.fullmatch(r"\s*(.+?)\s{2,}([0-9]+)\s*", line)
        if m:
            entries[" ".join(m.group(1).split())] = int(m.group(2))
    return entries


def test_the_page_count_is_in_its_range(book):
    assert len(book["pages"]) in PAGES


def test_the_cover_comes_first_with_the_organization_edition_date_and_counts(book):
    hb = book["a"].hb
    cover = " ".join(book["pages"][0].split())
    assert hb.organization.name in cover
    assert "Briefing book" in cover and "intranet" in cover
    assert f"Figures up to {format_period(hb.latest_period, hb.frequency)}" in cover
    assert f"Teams {len(hb.teams)} in {len(hb.units())} units" in cover
    assert f"Targets {len(hb.targets)}" in cover


def test_the_contents_page_numbers_are_where_the_sections_start(book):
    hb = book["a"].hb
    entries = contents(book)
    expected = (["Summary: every team and target", "The mission and the big picture", "The key failures we are closing",
                 "The targets", "The teams", "The eleven practices"]
                + [" ".join(t.title.split()) for t in hb.targets.values()] + [" ".join(t.name.split()) for t in hb.teams.values()])
    assert sorted(entries) == sorted(expected)
    numbers = [entries[e] for e in expected[:6]]
    assert numbers == sorted(numbers) and numbers[0] in (2, 3)
    first = 1 + next(i for i, t in enumerate(book["pages"]) if t.lstrip().startswith("Contents"))

    def top(number: int) -> list[str]:
        """The first lines of a page, each with its spaces made single (a heading prints as a line of its own)."""
        return [" ".join(line.split()) for line in book["pages"][number - 1].split("\n")[:8]]

    for title, number in entries.items():
        assert first < number <= len(book["pages"])
        # The page named starts with the section: its heading among its first lines (after a part's own heading
        # and lead), and the page before does not.
        assert title in top(number), f"{title!r} is not at the top of page {number}: {top(number)!r}"
        assert number - 1 == first or title not in top(number - 1), title


def test_the_summary_is_on_page_2_or_3_and_names_every_team_and_target_with_baseline_and_target(book):
    a = book["a"]
    hb = a.hb
    number = contents(book)["Summary: every team and target"]
    assert number in (2, 3)
    text = " ".join(book["pages"][number - 1].split())
    assert a.statuses
    for s in a.statuses:
        ind = hb.indicators[s.indicator]
        assert " ".join(hb.teams[s.team].name.split()) in text
        base = fmt_value(ind, s.baseline_value, with_unit=False)
        goal = fmt_data_value(ind, s.target_value)
        goal = goal[: -len(ind.unit)].rstrip() if ind.unit and goal.endswith(ind.unit) else goal
        title = " ".join(hb.targets[s.target].title.split())
        assert re.search(re.escape(f"{title} {base} → ") + r"(?:\S+|no figure)" + re.escape(f" → {goal}"), text), (title, base, goal)
    # One row of figures per team and target: nothing left out, nothing repeated.
    headers = text.count("Baseline → latest → target")
    assert headers in (1, 2)  # current statuses, and the stale ones apart when there are any
    assert len(re.findall(r" → (?:\S+|no figure) → ", text)) - headers == len(a.statuses)


def _strokes(pdf: Path, number: int) -> int:
    """Stroked paths drawn on a page (plotly's SVG prints as vector paths: axes, grid lines, the lines)."""
    from pypdf import PdfReader

    data = PdfReader(pdf).pages[number - 1].get_contents().get_data()
    return len(re.findall(rb"(?m)(?<=\s)S\s", data))


def test_every_target_page_has_a_chart(book):
    hb = book["a"].hb
    entries = contents(book)
    assert _strokes(book["pdf"], entries["Summary: every team and target"]) < 10  # a page without a chart
    for t in hb.targets.values():
        number = entries[" ".join(t.title.split())]
        assert _strokes(book["pdf"], number) >= 10, f"no chart on {t.title}'s page {number}"


def test_the_only_links_are_the_contents_own(book):
    """Links to the site's pages would lead to the printing's temporary server: the book keeps only its own."""
    from pypdf import PdfReader

    internal = external = 0
    for page in PdfReader(book["pdf"]).pages:
        for annot in page.get("/Annots") or []:
            a = annot.get_object()
            if a.get("/Subtype") != "/Link":
                continue
            if "/Dest" in a:
                internal += 1
            else:
                external += 1
    assert internal >= len(contents(book)) and external == 0


def test_every_note_is_in_the_book(book):
    hb = book["a"].hb
    text = flat("".join(book["pages"]))
    notes = {n for series in hb.series.values() for n in series.notes if n.strip()}
    assert notes
    for note in notes:
        assert flat(" ".join(note.split())) in text, note


def test_no_how_to_is_in_the_book_though_the_print_version_has_them(book):
    printed = (book["site"] / "onboarding" / "print" / "index.html").read_text(encoding="utf-8").replace("&#39;", "'")
    text = " ".join("".join(book["pages"]).split())
    for phrase in HOW_TO:
        assert phrase in printed, phrase  # the phrase is a how-to's ...
        assert phrase not in text, phrase  # ... and the book leaves it out


def test_every_page_carries_its_number_and_the_organization(book):
    n = len(book["pages"])
    name = book["a"].hb.organization.name
    for i, page in enumerate(book["pages"], 1):
        text = " ".join(page.split())
        assert f"Page {i} of {n}" in text, i
        assert name in text, i


def test_no_page_is_mostly_blank_unless_a_section_starts_next(book):
    starts = set(contents(book).values())
    short = [i for i, page in enumerate(book["pages"], 1) if len(page.strip()) < 250 and i + 1 not in starts
             and i != len(book["pages"])]
    assert short == []


def test_a_unit_book_holds_that_unit_alone(book):
    hb = book["a"].hb
    unit, members = next(iter(hb.units().items()))
    others = [t for u, ms in hb.units().items() if u != unit for t in ms]
    out = book["root"] / "unit.pdf"
    done = print_pdf(book["site"], out, "--unit", unit, data=book["data"])
    assert done.returncode == 0, done.stderr[-3000:]
    pages = page_texts(out)
    text = " ".join("".join(pages).split())
    assert f"Briefing book: {unit}" in text
    for t in members:
        assert t.name in text
    for t in others:
        assert t.name not in text, t.name
    assert len(pages) < len(book["pages"])
    bad = print_pdf(book["site"], book["root"] / "none.pdf", "--unit", "No such unit", data=book["data"])
    assert bad.returncode == 1 and "--unit: expected a unit" in bad.stderr and "Traceback" not in bad.stderr


def test_a_missing_site_is_a_clear_error(tmp_path):
    done = print_pdf(tmp_path / "nowhere", tmp_path / "x.pdf")
    assert done.returncode == 1
    assert "Build the site first" in done.stderr and "Traceback" not in done.stderr


def test_the_public_edition_pdf_holds_nothing_internal(tmp_path):
    require_chromium()
    require_pdftotext()
    from test_editions import _markers, marked_org

    from orgs import write_org

    org = marked_org()
    data = write_org(tmp_path, org)
    site = tmp_path / "site-public"
    env = dict(os.environ, HANDBOOK_DATA=str(data), HANDBOOK_EDITION="public", NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                           "-d", str(site)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    out = tmp_path / "public.pdf"
    printed = print_pdf(site, out, data=data, env={"HANDBOOK_EDITION": "public"})
    assert printed.returncode == 0, printed.stderr[-3000:]
    text = "".join(page_texts(out))
    assert "public edition" in text
    assert "qzint" not in text.lower()
    for marker in ("QZPUBteamalpha", "QZPUBtarget", "QZPUBnote", "QZPUBdeficit"):
        assert marker in text, marker
    assert _markers(org, "QZINT")  # the fixture does mark internal records


def test_footer_and_book_escape_text_from_data(tmp_path):
    from macros.checks import run_checks
    from macros.pdf import footer
    from macros.render.briefing import render_briefing
    from macros.render.links import Links
    from orgs import base_org, write_org

    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in footer("<b>A&B</b>", "Briefing book")
    org = base_org()
    org["organization.yml"]["name"] = "<b>Bold</b> & co"
    org["teams.yml"][0]["name"] = "<img src=x onerror=alert(1)>"
    org["targets.yml"][0]["title"] = "<script>alert(1)</script> faster"
    a = derive_analysis(validate_data(write_org(tmp_path, org)))
    html = render_briefing(a, run_checks(a), Links("briefing.md"))
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; faster" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_request_outside_the_machine_is_refused_and_said_and_the_footer_shows_text_as_text(tmp_path):
    require_chromium()
    require_pdftotext()
    site = tmp_path / "site"
    (site / "briefing").mkdir(parents=True)
    (site / "briefing" / "index.html").write_text(
        '<!doctype html><html><body><article><div class="hb-bb" data-bb-org="&lt;b&gt;Org &amp; Co&lt;/b&gt;" '
        'data-bb-edition="intranet"><p>Hello</p><img src="http://example.invalid/x.png" alt="">'
        "</div></article></body></html>", encoding="utf-8")
    out = tmp_path / "x.pdf"
    done = print_pdf(site, out)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Refused 1 request(s) outside 127.0.0.1, the first to http://example.invalid/x.png" in done.stderr
    text = " ".join("".join(page_texts(out)).split())
    assert "<b>Org & Co</b> · Briefing book" in text and "Page 1 of 1" in text
