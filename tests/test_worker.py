"""The page worker: each page is rendered once, by the worker or by the build, and a failing worker loses nothing."""

from __future__ import annotations

import os
import time

import pytest

from macros.engines.worker import PageWorker

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the page worker forks")


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def render(key, arg):
    return f"{key}:{arg * 2}:{os.getpid()}"


def test_every_page_comes_back_once_with_the_worker_s_result():
    items = {f"p{i}": i for i in range(200)}
    finished = []
    worker = PageWorker(items, render, lambda: finished.append(1))
    wait_for(lambda: worker.peek("p0") is not None)  # else, on a busy machine, the build could claim every page first
    got = {}
    for key, arg in items.items():
        ok, result = worker.take(key)
        got[key] = result if ok else render(key, arg)
    assert worker.finish() is True
    assert worker.taken + worker.rendered_here == 200 and worker.taken > 0
    assert [v.rsplit(":", 1)[0] for v in got.values()] == [f"p{i}:{i * 2}" for i in range(200)]
    # Pages the worker rendered carry its process id, not ours.
    assert {v.rsplit(":", 1)[1] for k, v in got.items()} - {str(os.getpid())}
    assert finished == []  # `finish` ran in the worker, not here


def test_peek_shows_an_arrived_page_and_leaves_it_for_take():
    worker = PageWorker({"a": 1, "b": 2}, render, lambda: None)
    deadline = time.monotonic() + 10
    while worker.peek("b") is None and time.monotonic() < deadline:
        time.sleep(0.01)
    peeked = worker.peek("b")
    assert peeked.startswith("b:4:") and worker.peek("elsewhere") is None
    assert worker.take("b") == (True, peeked)  # still there for take
    assert worker.peek("b") is None  # and taken once
    worker.take("a")
    assert worker.finish() is True


def test_a_page_not_in_the_worker_s_list_is_rendered_by_the_build():
    worker = PageWorker({"a": 1}, render, lambda: None)
    assert worker.take("elsewhere") == (False, None)
    worker.take("a")
    assert worker.finish() is True


def test_pages_the_build_claims_first_are_not_rendered_by_the_worker(tmp_path):
    marks = tmp_path / "rendered"
    marks.mkdir()

    def slow(key, arg):
        (marks / key).touch()
        time.sleep(0.01)
        return key

    items = {f"p{i:03d}": i for i in range(100)}
    worker = PageWorker(items, slow, lambda: None)
    # The build needs the last pages first: it claims them before the worker gets there.
    here = [k for k in reversed(items) if not worker.take(k)[0]]
    assert worker.finish() is True
    assert here  # the build rendered some pages itself
    assert not {p.name for p in marks.iterdir()} & set(here)  # and the worker skipped every one of those


def test_a_failing_worker_hands_its_pages_back_to_the_build():
    def fails_at_ten(key, arg):
        if arg == 10:
            raise ValueError("broken page")
        return key

    items = {f"p{i}": i for i in range(30)}
    worker = PageWorker(items, fails_at_ten, lambda: None)
    wait_for(lambda: worker._failed is not None)  # the worker reached page 10 and failed
    results = [worker.take(k) for k in items]
    assert [ok for ok, _ in results[:10]] == [True] * 10
    assert [ok for ok, _ in results[10:]] == [False] * 20  # the build renders the failed page and the rest
    assert worker.finish() is False  # the build writes what the worker's last step would have written


@pytest.mark.parametrize("description", [None, "Plain words.", "Two\n\nparagraphs with *emphasis* and <script>x</script>"])
def test_a_team_page_skeleton_is_its_full_render_without_the_held_html(tmp_path, description):
    from conftest import ROOT  # noqa: F401 - puts the repository on the path
    from macros import registry
    from macros import site as S
    from macros.engines.prerender import SKELETONS
    from macros.render.links import team_src
    from orgs import base_org, write_org

    org = base_org()
    for team in org["teams.yml"]:
        team.pop("description", None)
        if description is not None:
            team["description"] = description
        team["name"] = "Ünit <b>&amp; {{ name }}"
    site = S.load_site(write_org(tmp_path, org))
    for team_id in site.hb.teams:
        src = team_src(team_id)
        full = registry.render_call(site, "team_page", src, (team_id,))
        assert SKELETONS["team_page"](site, team_id) == full
        assert len(site.held.slots.pop(src)) == 1  # all below the facts and description is held in one block


def test_a_second_call_s_held_blocks_follow_the_first_s_on_the_same_page(tmp_path):
    """Each worker result numbers its held blocks from 0; the build renumbers them after what the page holds."""
    from macros.engines.prerender import Build
    from macros.held import slot_div
    from macros.site import load_site
    from orgs import base_org, write_org

    site = load_site(write_org(tmp_path, base_org()))
    first = site.held.hold_raw_html("index.md", '<!--hb:raw--><p id="a">one</p><!--/hb:raw-->\n<!--hb:raw--><p>two</p><!--/hb:raw-->')
    assert first == slot_div(0) + "\n" + slot_div(1)

    class Done:
        def take(self, key, spare=None):
            assert key == ("page", "index.md", "data_source", ("a.yml",))
            # The worker's anchors are of its own blocks only: the page's are found again, over all of them.
            return True, (f"text {slot_div(0)} more", ['<p id="c">three</p>'], None, frozenset({"c"}))

    site.held.found["index.md"] = frozenset({"stale"})
    second = Build(site, worker=Done()).take_prerendered("index.md", "data_source", ["a.yml"])
    assert second == f"text {slot_div(2)} more"
    assert site.held.anchors("index.md") == {"a", "c"}
    site.held.hold_raw_html("index.md", '<!--hb:raw--><h2 id="b">x</h2><!--/hb:raw-->')
    assert site.held.anchors("index.md") == {"a", "b", "c"}
    html = site.held.fill_slots("index.md", first + second)
    assert html == '<p id="a">one</p>\n<p>two</p>text <p id="c">three</p> more'


def test_a_page_s_held_html_comes_with_its_anchors_found_by_the_worker(tmp_path):
    """The worker finds the ids of a page's held HTML where it renders it; the build takes them with the page (for
    the links into it) instead of searching some 78 KB a team page again on its own turn."""
    from macros.engines.prerender import Build, _work_item
    from macros.held import Held
    from macros.site import load_site
    from orgs import base_org, write_org

    site = load_site(write_org(tmp_path, base_org()))
    key = ("page", "teams/alpha.md", "team_page", ("alpha",))
    markdown, slots, toc, anchors = _work_item(key, None, tmp_path / "site")
    fresh = Held()
    fresh.slots["teams/alpha.md"] = list(slots)
    assert slots and anchors == fresh.anchors("teams/alpha.md") and len(anchors) > 3
    assert "teams/alpha.md" not in site.held.found and "teams/alpha.md" not in site.held.slots

    class Done:
        def take(self, key, spare=None):
            return True, (markdown, slots, toc, frozenset({"only-from-the-worker"}))

    Build(site, worker=Done()).take_prerendered("teams/alpha.md", "team_page", ["alpha"])
    assert site.held.anchors("teams/alpha.md") == {"only-from-the-worker"}  # taken as given, not searched again


def test_the_worker_needs_a_second_cpu_this_process_may_use(monkeypatch):
    from macros.engines import worker as hooks

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert hooks.usable_cpus() == 1  # pinned to one CPU (taskset, a container): no worker
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3}, raising=False)
    assert hooks.usable_cpus() == 2
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert hooks.usable_cpus() == 4  # elsewhere, the machine's count


def test_no_worker_where_processes_cannot_fork(monkeypatch):
    import multiprocessing

    from macros.engines import worker as hooks

    assert hooks.can_fork() is True  # Linux
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])  # as on Windows
    assert hooks.can_fork() is False


def test_a_worker_that_dies_hands_its_pages_back_to_the_build():
    def dies_at_five(key, arg):
        if arg == 5:
            os._exit(9)  # killed: no message, the pipe just closes
        return key

    items = {f"p{i}": i for i in range(20)}
    worker = PageWorker(items, dies_at_five, lambda: None)
    wait_for(lambda: not worker._proc.is_alive())  # the worker reached page 5 and died there
    results = [worker.take(k) for k in items]
    assert [ok for ok, _ in results[:5]] == [True] * 5
    assert [ok for ok, _ in results[5:]] == [False] * 15  # the build renders the rest, and does not hang
    assert worker.finish() is False


def test_while_the_worker_renders_a_page_the_build_does_items_from_the_last_and_keeps_them(tmp_path):
    # The build waits on the page the worker is rendering: meanwhile it does the items nobody has claimed, from the
    # last one back, keeping their results for when it needs them; the worker, which goes from the first, skips them.
    marks, gate = tmp_path / "rendered", tmp_path / "gate"
    marks.mkdir()

    def slow_pages(key, arg):
        (marks / key).touch()
        while key == "item00" and not gate.exists():  # item00 is being rendered until the build has done one item
            time.sleep(0.01)
        time.sleep(0.02)
        return f"{key} by {os.getpid()}"

    keys = [f"item{i:02d}" for i in range(20)]
    worker = PageWorker(dict.fromkeys(keys, 0), slow_pages, lambda: None)
    wait_for(lambda: (marks / "item00").exists())  # the worker is on item00
    assert worker.take("item17") == (False, None)  # the build needs item17 first: it claims it, renders it itself
    done_here = []

    def spare() -> bool:
        key = worker.claim_last()
        if key is None:
            return False
        done_here.append(key)
        worker.keep(key, f"{key} here")
        gate.touch()
        time.sleep(0.01)  # a job takes time: the worker moves on meanwhile
        return True

    results = {key: worker.take(key, spare) for key in keys if key != "item17"}
    assert worker.finish() is True
    assert results["item00"] == (True, f"item00 by {worker._proc.pid}")
    # On a busy machine the build may need and claim a page between two of the worker's (then it renders it).
    claimed = {"item17"} | {k for k, (ok, _) in results.items() if not ok}
    expected = [k for k in keys[::-1] if k not in claimed]
    assert done_here and done_here == expected[:len(done_here)]  # from the last one back, past those it claimed
    assert all(results[k] == (True, f"{k} here") for k in done_here)  # kept for when they are taken
    assert all(result == f"{k} by {worker._proc.pid}" for k, (ok, result) in results.items() if ok and k not in done_here)
    assert not {p.name for p in marks.iterdir()} & {*done_here, *claimed}  # the worker did none of them
    assert worker.rendered_here == len(done_here) + len(claimed)
    assert worker.claim_last() is None  # they have met: nothing is left to claim
    assert worker.take("item03") == (False, None)  # a second call of one taken: the build renders it itself


def test_pages_the_build_renders_ahead_get_their_own_held_html(tmp_path, monkeypatch):
    # A team page the build renders while it waits on the worker keeps its held HTML and table of contents for
    # itself, and the page the build waits on gets its own: every page as a render of its own makes it.
    from macros.engines import prerender
    from macros.engines.prerender import Build
    from macros.registry import render_call
    from macros.site import load_site
    from orgs import base_org, write_org

    data = write_org(tmp_path, base_org())
    site = load_site(data)
    calls = [(f"teams/{t}.md", "team_page", (t,)) for t in site.hb.teams]
    assert len(calls) >= 3
    parent, started, gate, ahead = os.getpid(), tmp_path / "started", tmp_path / "gate", []
    real = prerender._work_item

    def work_item(key, arg, site_dir):
        if os.getpid() != parent and key[1] == calls[0][0]:
            started.touch()
            while not gate.exists():  # the worker's first page waits for the build to render one ahead
                time.sleep(0.01)
        elif key[0] == "page":
            ahead.append(key[1])
            gate.touch()
        return real(key, arg, site_dir)

    monkeypatch.setattr(prerender, "_work_item", work_item)
    build = Build(site)
    build.prerender(calls, tmp_path / "site")
    build.release_downloads()
    wait_for(started.exists)  # the worker is on the first page: the build waits on it
    got = {src: (build.take_prerendered(src, name, args), site.held.slots.pop(src, []), site.held.tocs.pop(src, None))
           for src, name, args in calls}
    assert build.finish_prerender(tmp_path / "site") is True
    assert ahead and calls[-1][0] in ahead and calls[0][0] not in ahead  # the build did the last pages
    fresh = load_site(data)
    for src, name, args in calls:
        markdown = render_call(fresh, name, src, args)
        assert got[src] == (markdown, fresh.held.slots.pop(src, []), fresh.held.tocs.pop(src, None)), src


def test_downloads_the_worker_claimed_but_failed_to_write_are_written_by_the_build(tmp_path, monkeypatch):
    # The build's spare items stop where the worker's begin; those stay the build's to write if the worker fails.
    import threading

    from macros.engines import prerender
    from macros.engines.prerender import Build
    from macros.site import load_site
    from orgs import base_org, write_org

    written = []
    monkeypatch.setattr(prerender, "write_download_chunk", lambda site, out, chunk: written.append(chunk))

    class FailedAfterClaiming:  # claimed chunks 0-2, then died before writing them
        taken = rendered_here = 0
        last = 6

        def claim_last(self):
            self.last -= 1
            return ("downloads", self.last) if self.last >= 3 else None

        def take(self, key, spare=None):
            return False, None

        def finish(self):
            return False

    clean = threading.Event()
    clean.set()
    build = Build(load_site(write_org(tmp_path, base_org())), worker=FailedAfterClaiming(), site_clean=clean,
                  site_dir=tmp_path / "site", download_chunks={("downloads", i): f"chunk {i}" for i in range(6)})
    while build._spare():
        pass
    assert written == ["chunk 5", "chunk 4", "chunk 3"] and build.spare_met
    assert build._spare() is False  # met: no more spare work
    assert build.finish_prerender(tmp_path / "site") is True
    assert sorted(written) == [f"chunk {i}" for i in range(6)]  # each chunk once, the worker's three too
