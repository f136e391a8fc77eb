"""scripts/compare_sites.py on tiny sites: what it ignores, and every kind of difference it reports."""

from __future__ import annotations

import gzip
import subprocess
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from compare_sites import compare_exact, compare_pages, main  # noqa: E402

PAGE = """<html><head><meta name="generator" content="{gen}"><link rel="stylesheet" href="{up}assets/a.css"></head>
<body><nav><h2>Menu</h2></nav><article>
<h1 id="top">Title<a class="headerlink" href="#top">&para;</a></h1>
<h2 id="part">{heading}</h2>
<div class="hb-chart" data-figure='{figure}'></div>
<p><a href="{up}other/">Other</a> <a href="/other/#sec">Absolute</a> <a href="https://example.org/">Out</a></p>
</article></body></html>"""


def _site(root, gen="mkdocs-1.6.1", heading="Part", figure='{"data": [1]}', link="other/", anchor="sec"):
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "a.css").write_text("body{}")
    (root / "index.html").write_text(PAGE.format(gen=gen, up="", heading=heading, figure=figure).replace(
        'href="other/"', f'href="{link}"'))
    (root / "other").mkdir()
    (root / "other" / "index.html").write_text(
        PAGE.format(gen=gen, up="../", heading="Part", figure="{}").replace('id="part"', f'id="{anchor}"'))
    (root / "sitemap.xml.gz").write_bytes(gzip.compress(f"<url><lastmod>{gen}</lastmod></url>".encode()))
    return root


def test_the_generator_tag_and_sitemap_dates_are_no_difference(tmp_path):
    a, b = _site(tmp_path / "a"), _site(tmp_path / "b", gen="properdocs-1.6.7")
    assert compare_exact(a, b) == {"missing": [], "extra": [], "differ": []}
    assert not any(compare_pages(a, b).values())
    assert main([str(a), str(b), "--exact"]) == 0


def test_exact_finds_a_changed_a_missing_and_an_extra_file(tmp_path):
    a, b = _site(tmp_path / "a"), _site(tmp_path / "b")
    (b / "assets" / "a.css").write_text("body{color:red}")
    (b / "other" / "index.html").unlink()
    (b / "new.txt").write_text("x")
    assert compare_exact(a, b) == {"missing": ["other/index.html"], "extra": ["new.txt"], "differ": ["assets/a.css"]}


def test_pages_finds_headings_charts_broken_links_and_anchors(tmp_path):
    a = _site(tmp_path / "a")
    b = _site(tmp_path / "b", heading="Renamed", figure='{"data": [2]}', link="gone/", anchor="elsewhere")
    result = compare_pages(a, b)
    assert len(result["headings"]) == 1 and "index.html" in result["headings"][0] and "'Renamed'" in result["headings"][0]
    assert result["charts"] == ["index.html: 1 charts, 1 in the other (0 the same)"]
    assert result["links"] == ["index.html: gone/"]
    assert result["anchors"] == ["index.html: /other/#sec", "other/index.html: /other/#sec"]
    assert not result["missing"] and not result["extra"]


def test_the_report_escapes_page_text_and_fails_on_a_difference(tmp_path):
    a, b = _site(tmp_path / "a"), _site(tmp_path / "b", heading="&lt;script&gt;x")
    summary = tmp_path / "summary.md"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "compare_sites.py"), str(a), str(b),
                             "--title", "Zensical", "--summary", str(summary)], capture_output=True, text=True)
    assert result.returncode == 1
    text = summary.read_text()
    assert text.startswith("### Zensical") and "1 pages whose headings differ" in text
    assert "&lt;script&gt;x" in text and "<script>" not in text  # the heading text, escaped again
    assert result.stdout.strip() == text.strip()
