"""The differential live preview (macros/preview.py): after each kind of edit, the site `mkdocs serve` rebuilt is the
site a clean build of the same files makes, file for file.

The rebuilds run in this process the way `mkdocs serve` runs them (mkdocs.commands.serve: a new configuration
loaded for every rebuild, `on_startup` once with "serve", `build(config, serve_url=...)` into one folder), so the
preview keeps what it kept between saves. The clean build is the same first build in a fresh state (the preview's
memory reset) into another folder. Only the sitemap's gzip header differs legitimately (MkDocs stamps it with the
build's time): the gzipped sitemap is compared unzipped.
"""

from __future__ import annotations

import gzip
import logging
import os
import shutil
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from test_build import copy_project

from conftest import ROOT
from macros import site as site_module
from macros.engines import direct, preview

pytestmark = pytest.mark.build
SERVE_URL = "http://127.0.0.1:8000/"


def _config(project, site_dir):
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir))
    config.site_url = SERVE_URL
    return config


def _build(project, site_dir, first=False):
    config = _config(project, site_dir)
    if first:
        config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url=SERVE_URL)


def _files(site_dir):
    out = {}
    for root, _, names in os.walk(site_dir):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                data = f.read()
            if name.endswith(".gz"):
                data = gzip.decompress(data)  # the gzip header holds the build's time
            out[os.path.relpath(path, site_dir)] = data
    return out


def _page_times(site_dir, reset=False, pattern="**/*.html"):
    """Each page's (or other file's) modification time; with `reset`, every one dated 2001 first (a file written again
    is then told apart whatever the file system's clock granularity)."""
    if reset:
        for path in Path(site_dir).glob(pattern):
            os.utime(path, ns=(10**18, 10**18))
    return {path: path.stat().st_mtime_ns for path in Path(site_dir).glob(pattern)}


def _same_site(served, clean):
    a, b = _files(served), _files(clean)
    assert sorted(a) == sorted(b), (set(a) ^ set(b))
    differ = [name for name in a if a[name] != b[name]]
    assert not differ, differ[:10]
    return a


def _edit_figure(project):
    path = sorted((project / "data" / "measurements").glob("*.csv"))[0]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    team, ind, period, value, *rest = lines[-1].rstrip("\n").split(",")
    lines[-1] = ",".join([team, ind, period, f"{float(value) + 0.7:.1f}", *rest]) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return team


def _edit_yaml(path, change):
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(yaml.safe_dump(records, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _edit_target(project):
    def change(targets):
        targets[0]["target"]["value"] = targets[0]["target"]["value"] + 1
    _edit_yaml(project / "data" / "targets.yml", change)


def _rename_team(project):
    def change(teams):
        teams[-1]["name"] = teams[-1]["name"] + " & Co"
    _edit_yaml(project / "data" / "teams.yml", change)


def _add_team(project):
    def change(teams):
        teams.append({"id": "added-while-serving", "name": "Added While Serving", "unit": teams[0]["unit"],
                      "lead": "Someone"})
    _edit_yaml(project / "data" / "teams.yml", change)


def _remove_added_team(project):  # its page and its folder must leave the served site
    def change(teams):
        teams[:] = [t for t in teams if t["id"] != "added-while-serving"]
    _edit_yaml(project / "data" / "teams.yml", change)


def _add_page(project):
    (project / "docs" / "added-while-serving.md").write_text("# A page added while the preview runs\n", encoding="utf-8")


def _remove_page(project):
    (project / "docs" / "added-while-serving.md").unlink()


def _edit_template(project):
    path = project / "overrides" / "partials" / "copyright.html"
    path.write_text(path.read_text(encoding="utf-8") + "\n<!-- edited -->\n", encoding="utf-8")
    # ... and a static file added beside the templates: the theme's files are listed again (preview.py).
    (project / "overrides" / "assets").mkdir(exist_ok=True)
    (project / "overrides" / "assets" / "added-while-serving.txt").write_text("a theme file\n", encoding="utf-8")


def _edit_page(project):
    path = project / "docs" / "learning.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added while the preview runs.\n", encoding="utf-8")


EDITS = [
    ("nothing", lambda project: None),
    ("a figure", _edit_figure),
    ("a target", _edit_target),
    ("a team's name", _rename_team),
    ("a template", _edit_template),
    ("a hand-written page", _edit_page),
    ("a team added", _add_team),
    ("that team removed", _remove_added_team),
    ("a page added", _add_page),
    ("that page removed", _remove_page),
]


# With 3 teams at most in the navigation, the sample's team pages leave it, as a large organization's do; with 60, a
# team's name is in the navigation of every page (a rename renders every page again).
# With prerender_min 1, the first build forks the page worker (as at 200 teams and more): the rebuilds that follow
# reuse what it rendered.
@pytest.mark.parametrize(("nav_limit", "prerender_min", "edits"),
                         [(3, 200, EDITS), (60, 200, [EDITS[1], EDITS[3]]), (3, 1, [EDITS[1], EDITS[5]])],
                         ids=["teams-outside-nav", "teams-in-nav", "first-build-with-worker"])
def test_the_served_site_equals_a_clean_build_after_each_kind_of_edit(tmp_path, monkeypatch, caplog, nav_limit,
                                                                      prerender_min, edits):
    project = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "data", project / "data")
    # The footer's "figures last changed" is the newest figure file's date: copied with their checkout's times, the
    # first edit would move it to today on every page (a full re-render, rightly) whenever the checkout is older.
    for path in (project / "data" / "measurements").iterdir():
        os.utime(path)
    config_text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "nav_limit: 60" in config_text and "prerender_min: 200" in config_text
    config_text = config_text.replace("nav_limit: 60", f"nav_limit: {nav_limit}")
    (project / "mkdocs.yml").write_text(config_text.replace("prerender_min: 200", f"prerender_min: {prerender_min}"),
                                        encoding="utf-8")
    # Links into a team page's held-back HTML: its anchors count on a page the preview reuses too (it hands over the
    # ids it found), so each rebuild reports the wrong anchor alone.
    target = yaml.safe_load((project / "data" / "targets.yml").read_text(encoding="utf-8"))[0]
    team, anchor = target["teams"][0], f"target-{target['id']}"  # the team page's section on the target: held HTML
    (project / "docs" / "links.md").write_text(
        f"# Links\n\n[Target](teams/{team}.md#{anchor}) and [nowhere](teams/{team}.md#no-such-section)\n",
        encoding="utf-8")
    monkeypatch.setenv("HANDBOOK_DATA", str(project / "data"))
    monkeypatch.setenv("HANDBOOK_PREVIEW_VERIFY", "1")  # every reused macro output is rendered again and compared
    monkeypatch.chdir(project)
    served, clean = tmp_path / "served", tmp_path / "clean"
    preview.reset()
    monkeypatch.setattr(preview, "_STARTED", False)  # a new serving session: its first build may fork the worker
    _build(project, served, first=True)
    pages = len(preview.STATE.pages)
    assert pages > 40
    # The theme's static files are listed once per configuration (the served site below shows the list is right).
    assert preview.STATE.theme_files is not None
    assert any(name.startswith("assets/javascripts/bundle.") for name in preview.STATE.theme_files[1])
    for what, edit in edits:
        edited = edit(project)
        preview.STATE.stats.update(dict.fromkeys(preview.STATE.stats, 0))
        before = _page_times(served, reset=True)
        csvs = _page_times(served, reset=True, pattern="downloads/teams/*.csv")
        caplog.clear()
        caplog.set_level(logging.INFO, logger="mkdocs.commands.build")
        caplog.set_level(logging.INFO, logger="mkdocs.structure.pages")
        _build(project, served)
        stats = dict(preview.STATE.stats)
        anchors = [r.getMessage() for r in caplog.records if "does not contain an anchor" in r.getMessage()]
        assert len(anchors) == 1 and "'#no-such-section'" in anchors[0], (what, anchors)
        # A reused page is left on disk as the last rebuild wrote it (not written again), and said nothing of it.
        after = _page_times(served)
        assert sum(1 for page, t in after.items() if before.get(page) == t) == stats["html_reused"], (what, stats)
        assert "Page skipped" not in caplog.text
        if what == "a figure":  # only that team's figures CSV is written again (after the worker's first build too)
            again = {path.stem for path, t in _page_times(served, pattern="downloads/teams/*.csv").items()
                     if csvs.get(path) != t}
            assert again == {edited}, again
        # Nothing of the rebuild's configuration (which holds its loaded data) is kept past it but the preview's state.
        assert direct._CONVERTERS == {}
        kept = preview.reset()
        _build(project, clean)
        preview.restore(kept)
        _same_site(served, clean)
        # The rebuild was differential: most pages kept their HTML, except where everything must be made again.
        if what in ("nothing", "a figure", "a hand-written page"):
            assert stats["html_reused"] > pages // 2, (what, stats)
            assert stats["macro_reused"] > 0, (what, stats)
        if what == "a target" and nav_limit < 13:  # only the pages of the teams carrying it, and the site-wide ones
            assert stats["macro_reused"] > 0 and stats["html_reused"] > pages // 2, stats
        if what == "nothing":
            assert stats["html_rendered"] == 0 and stats["macro_reused"] > 0, stats
        if what == "a team's name" and nav_limit < 13:  # outside the navigation: the pages naming the team change
            assert 0 < stats["html_rendered"] < pages // 2, stats
        if what == "a template":
            assert stats["html_reused"] == 0, stats  # a theme template shapes every page
        shutil.rmtree(clean)


def test_the_data_of_the_build_before_is_collected_after_the_rebuild_not_during_it(tmp_path, monkeypatch):
    # Each build freezes its data for the collector. A rebuild leaves the last build's data to a pass of the collector
    # shortly after it ends (site.collect_later): no full pass on the way of an edit to its page. Nothing of a
    # finished rebuild (its configuration, the preview plugin, the title converter) may keep that data alive.
    import gc
    import weakref

    from macros.site import loaded_site

    project = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "data", project / "data")
    monkeypatch.setenv("HANDBOOK_DATA", str(project / "data"))
    monkeypatch.chdir(project)
    preview.reset()
    monkeypatch.setattr(preview, "_STARTED", False)
    monkeypatch.setattr(site_module, "COLLECT_AFTER_S", 3600.0)  # the pass runs when the test says
    served = tmp_path / "served"
    _build(project, served, first=True)
    before = weakref.ref(loaded_site())
    _edit_figure(project)
    calls = []
    with monkeypatch.context() as m:  # the rebuild neither unfreezes the data nor asks for a full pass
        m.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
        m.setattr(gc, "collect", lambda *a: calls.append("collect"))
        _build(project, served)
    assert calls == [] and gc.get_freeze_count() > 0
    assert before() is not None  # frozen until the pass
    assert site_module._COLLECTOR is not None and site_module._COLLECTOR.is_alive()  # its pass is to come
    site_module._COLLECTOR.cancel()
    site_module.collect_now()
    assert before() is None and gc.get_freeze_count() > 0


def test_the_collector_s_pass_is_put_off_by_each_new_request_and_by_a_rebuild_until_it_ends(monkeypatch):
    import threading

    from macros.engines import hooks

    ran = []
    done = threading.Event()
    monkeypatch.setattr(site_module, "collect_now", lambda: (ran.append(1), done.set()))
    site_module.collect_later(0.3)
    first = site_module._COLLECTOR
    site_module.collect_later(0.3)
    first.join(2)
    assert first is not site_module._COLLECTOR and not first.is_alive()  # the first one was cancelled
    assert done.wait(5) and ran == [1]
    # A rebuild that starts puts a pending pass off; it asks for one again when it ends, failed or not.
    site_module.collect_later(0.3)
    pending = site_module._COLLECTOR
    preview.starting()
    pending.join(2)
    assert not pending.is_alive() and ran == [1]
    monkeypatch.setattr(hooks, "_COMMAND", "serve")
    done.clear()
    monkeypatch.setattr(site_module, "COLLECT_AFTER_S", 0.1)
    hooks.on_build_error(RuntimeError("a failed rebuild"))
    assert done.wait(5) and ran == [1, 1]


def test_a_target_page_s_inputs_change_with_its_own_target_not_with_another(tmp_path):
    from macros.incremental import page_inputs
    from macros.site import load_site
    data = shutil.copytree(ROOT / "data", tmp_path / "data")
    targets = yaml.safe_load((data / "targets.yml").read_text(encoding="utf-8"))
    edited, other = targets[0]["id"], targets[1]["id"]

    def digests():
        site = load_site(data)
        return {t: page_inputs(site, "target_page", (t,)) for t in (edited, other)}

    before = digests()
    _edit_target(tmp_path)  # the first target's value
    after = digests()
    assert after[edited] != before[edited]
    # Another target's page reads the edited one only through what names and places it, which did not change.
    assert after[other] == before[other]


def test_a_reused_team_page_hands_over_the_anchors_of_its_held_html(tmp_path, monkeypatch):
    # Each rebuild needs the ids in every page's held HTML (MkDocs checks links into them): a page whose macro output is
    # reused gets them from the last rebuild instead of searching some 78 KB again (0.09 s a rebuild at 1,000 teams).
    from macros import incremental
    from macros.registry import render_call
    from macros.site import load_site

    data = shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.setattr(incremental, "KEPT", incremental.Kept())
    target = yaml.safe_load((data / "targets.yml").read_text(encoding="utf-8"))[0]
    team = target["teams"][0]
    src, args = f"teams/{team}.md", (team,)
    first = load_site(data)
    markdown = incremental.render_generated(first, src, "team_page", args, lambda: render_call(first, "team_page", src, args))
    found = first.held.anchors(src)
    assert f"target-{target['id']}" in found and "report-this-period" in found
    again = load_site(data)  # the next rebuild: a new site, the same inputs
    assert incremental.render_generated(again, src, "team_page", args, lambda: pytest.fail("rendered again")) == markdown
    assert again.held.found[src] is found and again.held.anchors(src) is found
    from macros.render.common import raw_html
    again.held.hold_raw_html(src, raw_html('<p id="added">more</p>'))  # more held HTML: its ids are found again
    assert again.held.anchors(src) == found | {"added"}


def test_serve_looks_for_saved_files_every_poll_s_in_every_watched_folder(tmp_path):
    """MkDocs polls every half second; `on_serve` (the hooks', registered even when the data is broken) sets POLL_S on
    the watcher before it starts: the paths watched so far and after, every handler kept (a plugin's own too)."""
    import time

    import watchdog.events
    from mkdocs.livereload import LiveReloadServer

    from macros.engines import hooks

    docs, data, extra = tmp_path / "docs", tmp_path / "data", tmp_path / "extra"
    for folder in (docs, data, extra):
        folder.mkdir()
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: x\n")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    observer = server.observer
    assert observer.timeout == 0.5  # MkDocs' own: if this changes, POLL_S may no longer be needed
    server.watch(str(docs))
    server.watch(str(config_file))
    seen = []  # a plugin's own handler on the watcher (as Material's projects plugin schedules one)
    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = lambda event: seen.append(event.src_path)
    observer.schedule(handler, str(extra), recursive=True)
    assert hooks.on_serve(server, config=None, builder=None) is server and server.observer is observer
    server.watch(str(data))  # as MkDocs does for `watch:` after the event
    emitters = observer.emitters
    assert {e.watch.raw_path for e in emitters} == {str(docs), str(config_file), str(data), str(extra)}
    assert observer.timeout == preview.POLL_S and {e.timeout for e in emitters} == {preview.POLL_S}
    # Every watch sees a save: MkDocs' asks for a rebuild, the plugin's own handler hears of its file.
    observer.start()
    try:
        time.sleep(3 * preview.POLL_S)  # the first snapshots are taken
        (data / "measurements.csv").write_text("team,indicator,period,value\n")
        (extra / "x.txt").write_text("x")
        deadline = time.monotonic() + 10
        while not (server._want_rebuild and seen) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server._want_rebuild and str(extra / "x.txt") in seen
        # A watcher already running is left as it is.
        assert preview.poll_often(server).observer is observer and observer.timeout == preview.POLL_S
    finally:
        if observer.is_alive():
            observer.stop()
            observer.join()
        server.server_close()  # the socket made (never bound) with the server
