"""Compare two built sites: byte for byte (`--exact`), or page for page (the same pages, headings and charts, and
every link of the second site resolving).

Usage:  python scripts/compare_sites.py REFERENCE OTHER [--exact] [--summary FILE]

--exact: every file the same but the generator tag (`<meta name="generator">`) and the sitemap's dates; for an
engine that should build what MkDocs builds (ProperDocs). Without it, for an engine that renders its own theme
(Zensical): the same HTML pages; in each, the same headings (level and text) in its content; the same charts (their
figure data); and every link and asset of OTHER's pages (href, src) to a file it has, and every anchor to an id of
the page it names. Prints a Markdown report (appended to --summary too, e.g. $GITHUB_STEP_SUMMARY); exit 1 on any
difference. Standard library only: it runs in any engine's environment.
"""

from __future__ import annotations

import argparse
import gzip
import html
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*"\s*/?>')
_LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")
SHOW = 20  # differences listed per kind


class _Page(HTMLParser):
    """What the comparison reads from a page: headings in its content, charts, links and ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.charts: list[str] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self._heading: list | None = None
        self._skip = 0  # inside a heading's permalink
        self._article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if a.get("name") and tag == "a":
            self.ids.add(str(a["name"]))
        if tag == "article":
            self._article += 1
        for key in ("href", "src"):
            # data-hb-pdf: the briefing book's PDF, which `python -m macros.pdf` writes into a site after its build.
            if a.get(key) and not (tag == "link" and a.get("rel") in ("canonical", "alternate")) and "data-hb-pdf" not in a:
                self.links.append(str(a[key]))
        if "data-figure" in a:
            self.charts.append(str(a["data-figure"]))
        if self._article and re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        elif self._heading is not None and tag == "a" and "headerlink" in (a.get("class") or ""):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article -= 1
        elif self._heading is not None and tag == "a" and self._skip:
            self._skip -= 1
        elif self._heading is not None and re.fullmatch(r"h[1-6]", tag):
            self.headings.append((self._heading[0], " ".join(self._heading[1].split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None and not self._skip:
            self._heading[1] += data


def read_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _normal(rel: str, data: bytes) -> bytes:
    if rel.endswith(".html"):
        return _GENERATOR.sub(b"", data)
    if rel.endswith("sitemap.xml.gz"):
        return _LASTMOD.sub(b"", gzip.decompress(data))
    if rel.endswith("sitemap.xml"):
        return _LASTMOD.sub(b"", data)
    return data


def compare_exact(ref: Path, other: Path) -> dict[str, list[str]]:
    """Files only in one site, and files that differ (but for the generator tag and sitemap dates)."""
    a, b = _files(ref), _files(other)
    differ = [rel for rel in sorted(a & b)
              if _normal(rel, (ref / rel).read_bytes()) != _normal(rel, (other / rel).read_bytes())]
    return {"missing": sorted(a - b), "extra": sorted(b - a), "differ": differ}


def _resolve(site: Path, page_rel: str, link: str) -> tuple[str | None, str]:
    """The file (relative to the site) a link of a page names, or None for an external link; and its anchor."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
        return None, ""
    if not parts.path:
        return page_rel, parts.fragment
    base = Path(page_rel).parent
    path = unquote(parts.path)
    target = (site / path.lstrip("/") if path.startswith("/") else site / base / path).resolve()
    try:
        rel = target.relative_to(site.resolve()).as_posix()
    except ValueError:
        return "../" + parts.path, parts.fragment  # outside the site: never resolves
    if target.is_dir() or parts.path.endswith("/"):
        rel = (rel.rstrip("/") + "/index.html").lstrip("/") if rel != "." else "index.html"
    return rel, parts.fragment


def compare_pages(ref: Path, other: Path) -> dict[str, list[str]]:
    """Pages missing or extra, headings and charts that differ, and links of OTHER's pages that do not resolve."""
    files_b = _files(other)
    a = {r for r in _files(ref) if r.endswith(".html")}
    b = {r for r in files_b if r.endswith(".html")}
    out: dict[str, list[str]] = {"missing": sorted(a - b), "extra": sorted(b - a), "headings": [], "charts": [],
                                 "links": [], "anchors": []}
    pages_b: dict[str, _Page] = {}

    def page_b(rel: str) -> _Page:
        if rel not in pages_b:
            pages_b[rel] = read_page(other / rel)
        return pages_b[rel]

    for rel in sorted(a & b):
        pa, pb = read_page(ref / rel), page_b(rel)
        if pa.headings != pb.headings:
            lost = [h for h in pa.headings if h not in pb.headings]
            new = [h for h in pb.headings if h not in pa.headings]
            out["headings"].append(f"{rel}: {len(pa.headings)} headings, {len(pb.headings)} in the other; "
                                   f"not in the other: {_show(lost)}; only in the other: {_show(new)}")
        if pa.charts != pb.charts:
            same = sum(1 for c in pb.charts if c in pa.charts)
            out["charts"].append(f"{rel}: {len(pa.charts)} charts, {len(pb.charts)} in the other ({same} the same)")
    for rel in sorted(b):
        for link in sorted(set(page_b(rel).links)):
            target, anchor = _resolve(other, rel, link)
            if target is None:
                continue
            if target not in files_b:
                out["links"].append(f"{rel}: {link}")
            elif anchor and target.endswith(".html") and anchor not in page_b(target).ids:
                out["anchors"].append(f"{rel}: {link}")
    return out


def _show(headings: list[tuple[int, str]]) -> str:
    return ", ".join(f"h{level} {text!r}" for level, text in headings[:5]) or "none"


LABELS = {
    "missing": "pages or files only in the reference", "extra": "pages or files only in the other site",
    "differ": "files that differ", "headings": "pages whose headings differ", "charts": "pages whose charts differ",
    "links": "links to no file", "anchors": "links to an anchor the page does not have",
}


def report(result: dict[str, list[str]], ref: Path, other: Path, title: str) -> str:
    """A Markdown report; text from the pages is escaped (no HTML, no workflow command at a line's start)."""
    total = sum(len(v) for v in result.values())
    lines = [f"### {html.escape(title)}", ""]
    lines.append(f"`{html.escape(str(other))}` against `{html.escape(str(ref))}`: "
                 + ("no difference." if not total else f"{total} differences."))
    for kind, items in result.items():
        if items:
            lines += ["", f"**{len(items)} {LABELS[kind]}**", ""]
            lines += [f"- {html.escape(item)}" for item in items[:SHOW]]
            if len(items) > SHOW:
                lines.append(f"- and {len(items) - SHOW} more")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reference", type=Path)
    ap.add_argument("other", type=Path)
    ap.add_argument("--exact", action="store_true", help="byte for byte, but the generator tag and sitemap dates")
    ap.add_argument("--title", default="", help="the report's heading")
    ap.add_argument("--summary", type=Path, default=None, help="append the report to this file too")
    args = ap.parse_args(argv)
    for folder in (args.reference, args.other):
        if not folder.is_dir():  # the build failed: say so in the summary too
            _emit(f"### {html.escape(args.title or 'Comparison')}\n\n`{html.escape(str(folder))}`: no such folder "
                  "(the build failed).\n", args.summary)
            return 2
    result = compare_exact(args.reference, args.other) if args.exact else compare_pages(args.reference, args.other)
    _emit(report(result, args.reference, args.other, args.title or ("Same files" if args.exact else "Same pages")),
          args.summary)
    return 1 if any(result.values()) else 0


def _emit(text: str, summary: Path | None) -> None:
    """Print the report, and append it to the summary file when there is one."""
    print(text)
    if summary:
        with summary.open("a", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    sys.exit(main())
