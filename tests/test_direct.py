"""Generated pages converted without a Python-Markdown run of their own (macros/engines/direct.py): the HTML, table
of contents, title and anchors MkDocs' own conversion makes of the same Markdown, on fixture organizations."""

from __future__ import annotations

import shutil

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from conftest import ROOT
from macros.engines import direct
from macros.generate import plan_pages
from macros.held import title_and_html
from macros.registry import render_call
from macros.site import load_site
from orgs import bilingual_org, messy_org, write_org


def _toc(items):
    return [(i.level, i.id, i.title, _toc(i.children)) for i in items]


def _convert(src: str, text: str, config, how) -> Page:
    file = File(src, str(ROOT / "docs"), str(ROOT / "site"), True)
    page = Page(None, file, config)
    page.markdown = text
    how(page, config, Files([file]))
    return page


@pytest.mark.parametrize(("org", "language"), [(None, None), (messy_org, None), (bilingual_org, "fr")],
                         ids=["sample", "messy", "bilingual-in-french"])
def test_a_generated_page_converts_as_mkdocs_converts_it(tmp_path, monkeypatch, org, language):
    if org is None:
        data = shutil.copytree(ROOT / "data", tmp_path / "data")
    else:
        data = write_org(tmp_path, org())
    if language:
        monkeypatch.setenv("HANDBOOK_LANGUAGE", language)
    site = load_site(data)
    config = load_config(str(ROOT / "mkdocs.yml"))
    direct_pages = 0
    for src, (name, *args) in plan_pages(site).items():
        text = render_call(site, name, src, args)
        mkdocs = _convert(src, text, config, Page.render)
        ours = _convert(src, text, config, direct.render)
        assert ours.content == mkdocs.content, src
        assert _toc(ours.toc.items) == _toc(mkdocs.toc.items), src
        assert ours._title_from_render == mkdocs._title_from_render, src
        assert ours.present_anchor_ids == mkdocs.present_anchor_ids, src
        direct_pages += title_and_html(text) is not None
    # Every team and target page takes the short way (the others go to MkDocs' own conversion, checked too).
    assert direct_pages >= len(site.hb.teams) + len(site.hb.targets) > 0


def test_only_a_title_and_html_blocks_take_the_short_way():
    assert title_and_html("# Team\n\n<div>a</div>\n\n<div data-hb-slot=\"0\"></div>\n") == (
        "# Team", ["<div>a</div>", '<div data-hb-slot="0"></div>'])
    assert title_and_html("# Team\n") == ("# Team", [])
    # Blocks Python-Markdown would not pass through unchanged: an inline element, text after a block, an automatic
    # link, a block that does not end with its own closing tag; a title with link or attribute syntax.
    for text in ("Some prose\n\n<div>a</div>", "# Team\n\nProse.", "# Team\nmore\n\n<div>a</div>",
                 "# Team\n\n<!-- a comment -->", "# Team\n\n- a list", "## Team\n\n<div>a</div>", "", None,
                 "# Team\n\n<span>a</span>", "# Team\n\n<div>a</div> <em>x</em>", "# Team\n\n<https://x.org>",
                 "# Team\n\n<div>a</p>", "# [Team](x.md)\n\n<div>a</div>", "# Team { #t }\n\n<div>a</div>"):
        assert title_and_html(text) is None, text


def test_anchors_in_the_html_count_as_mkdocs_counts_them(tmp_path):
    config = load_config(str(ROOT / "mkdocs.yml"))
    text = ("# Team\n\n<div id=\"a\"><p ID='b'>x</p><a name=\"c\">y</a><span data-id=\"no\">z</span></div>\n\n"
            '<h2 id="d&amp;e">Head</h2>\n')
    ours = _convert("teams/t.md", text, config, direct.render)
    mkdocs = _convert("teams/t.md", text, config, Page.render)
    assert ours.content == mkdocs.content
    assert ours.present_anchor_ids == mkdocs.present_anchor_ids == {"team", "a", "b", "c", "d&e"}


def test_a_plain_title_is_written_as_python_markdown_writes_it():
    from macros.render.text import inline
    conv = direct._Converter(load_config(str(ROOT / "mkdocs.yml")))
    assert conv.plain.shape is not None  # this configuration's headings were learned
    plain = ["Team 0001", "North Depot", "St. Mary's", "Équipe Nord-Est", "Ünïcödé 東京", "A/B: c,d", "Road (North)",
             "Dépôt 3, rive gauche", "Tab\there"]
    others = ["東京", "x  y", " lead", "R&D", "Fish & Chips <b>", "a_b", "**bold**", "50 %", "C'est l’équipe",
              "Team [1]", "a\\b", "#hash", "trailing "]
    for name in plain + others:
        head = f"# {name}" if name != name.strip() or "  " in name else f"# {inline(name)}"
        fast = conv.plain(head)
        assert fast is None or fast == conv.convert(head), name
        assert (fast is not None) == (name in plain), name


@pytest.mark.parametrize("extension", ["smarty", "pymdownx.smartsymbols", "pymdownx.emoji"])
def test_an_extension_that_changes_words_turns_the_short_way_off(extension):
    config = load_config(str(ROOT / "mkdocs.yml"))
    config["markdown_extensions"].append(extension)
    conv = direct._Converter(config)
    assert conv.plain.shape is None and conv.plain("# Team 0001") is None
    # ... and the second probe alone would see the typographic ones (an extension not on the list).
    from macros.held import _PROBES, PlainTitles
    if extension != "pymdownx.emoji":
        assert PlainTitles(conv.convert, conv.md.treeprocessors["toc"]).shape is None, _PROBES[1]


def test_the_anchors_of_held_html_are_every_id_in_it():
    from macros.held import Held
    held = Held()
    held.slots["teams/t.md"] = ['<div class="x" id="a"><h2 id="report-this-period">R</h2></div>',
                                '<table data-figure=\'{"id":"not-an-anchor"}\'><tr id="r&amp;1"><td>x id=y</td></tr></table>']
    assert held.anchors("teams/t.md") == {"a", "report-this-period", "r&1"} == direct.anchors_in(held.slots["teams/t.md"])
    assert held.anchors("teams/other.md") == set()
