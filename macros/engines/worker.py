"""A second process that renders generated pages while MkDocs builds the others, sharing the work page by page.

A build is single-threaded, and rendering a thousand team pages costs as much as MkDocs' own work on them. The
worker is forked after the data is loaded, so it shares the validated data, and renders the pages in the order
the build needs them. Each page is claimed once, in shared memory: the worker claims the next unclaimed page and
renders it; when the build needs a page nobody has claimed, it claims and renders it itself; when the worker has
claimed it, the build waits for it (it is being rendered). No page is rendered twice, and neither process idles
while the other has work. After the pages, the worker writes the downloads. If the worker fails, the build
renders what is left itself.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import traceback
from collections.abc import Callable, Hashable
from typing import Any

log = logging.getLogger("mkdocs.hooks.handbook")

_FREE, _WORKER, _MAIN = 0, 1, 2


class PageWorker:
    """Render `items` (key -> argument) with `render(key, arg)` in a forked process; then run `finish()` there."""

    def __init__(self, items: dict[Hashable, Any], render: Callable[[Any, Any], Any], finish: Callable[[], None]):
        ctx = multiprocessing.get_context("fork")
        self.keys = list(items)
        self.index = {k: i for i, k in enumerate(self.keys)}
        self._claims = ctx.RawArray("b", len(self.keys))
        self._lock = ctx.Lock()
        receive, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_work, args=(list(items.items()), render, finish, self._claims, self._lock, send),
                                 daemon=True, name="handbook-pages")
        self._proc.start()
        send.close()  # the parent keeps only the reading end, so it sees the worker's end of file if it dies
        self._conn = receive
        self._ready: dict[int, Any] = {}
        self._cond = threading.Condition()
        self._finished = False
        self._failed: str | None = None
        self.taken = self.rendered_here = 0
        self._kept: dict[int, Any] = {}  # items the build did ahead of need, from the last (claim_last)
        self._taken: set[int] = set()
        self._tail = len(self.keys) - 1
        # A thread drains the pipe as pages arrive, so the worker never waits on the build to read.
        self._reader = threading.Thread(target=self._read, daemon=True, name="handbook-pages-reader")
        self._reader.start()

    def _read(self) -> None:
        try:
            while True:
                msg = self._conn.recv()
                with self._cond:
                    if msg[0] == "page":
                        self._ready[msg[1]] = msg[2]
                    elif msg[0] == "done":
                        self._finished = True
                    else:
                        self._failed = msg[1]
                    self._cond.notify_all()
                if msg[0] != "page":
                    return
        except Exception as exc:  # noqa: BLE001 - end of file when the worker dies, or a message that cannot be read
            with self._cond:
                if not self._finished:
                    self._failed = self._failed or f"the page worker stopped ({type(exc).__name__})"
                self._cond.notify_all()

    def take(self, key: Hashable, spare: Callable[[], bool] | None = None) -> tuple[bool, Any]:
        """Return (True, result) for a page the worker rendered (or the build kept, `keep`), or (False, None): the
        caller renders it itself.

        While the worker renders it, `spare()` (if given) does one job of other work; False when it has none left.
        """
        i = self.index.get(key)
        if i is None or i in self._taken:  # a second identical call on a page: its result was taken by the first
            return False, None
        self._taken.add(i)
        if i in self._kept:
            return True, self._kept.pop(i)
        if not self._claim(i):
            self.rendered_here += 1
            return False, None
        while True:
            with self._cond:
                if i in self._ready:
                    self.taken += 1
                    return True, self._ready.pop(i)
                if self._failed is not None:
                    self.rendered_here += 1
                    return False, None
                if spare is None:
                    self._cond.wait()
                    continue
            if not spare():
                spare = None

    def claim_last(self) -> Hashable | None:
        """Claim for the build the last item nobody has claimed, or None once the worker has got there: it claims
        from the first, in order, so below an item of its own every item is claimed."""
        while not self._lock.acquire(timeout=1):
            if not self._proc.is_alive():  # it died holding the lock: `take` hands everything back to the build
                return None
        try:
            while self._tail >= 0 and self._claims[self._tail] == _MAIN:
                self._tail -= 1
            if self._tail < 0 or self._claims[self._tail] == _WORKER:
                return None
            self._claims[self._tail] = _MAIN
            self.rendered_here += 1
            return self.keys[self._tail]
        finally:
            self._lock.release()

    def keep(self, key: Hashable, result: Any) -> None:
        """Keep the result of an item the build did ahead (`claim_last`) for when it takes it."""
        self._kept[self.index[key]] = result

    def _claim(self, i: int) -> bool:
        """Claim item i for the build unless the worker has; return False when the build is to render it."""
        while not self._lock.acquire(timeout=1):
            if not self._proc.is_alive():  # it died holding the lock: nothing is left to share
                self._claims[i] = _MAIN
                return False
        try:
            if self._claims[i] == _FREE:
                self._claims[i] = _MAIN
            return self._claims[i] == _WORKER
        finally:
            self._lock.release()

    def peek(self, key: Hashable) -> Any:
        """Return the worker's result for a page if it has arrived (it stays for `take`), else None."""
        i = self.index.get(key)
        with self._cond:
            return self._ready.get(i) if i is not None else None

    def finish(self) -> bool:
        """Wait for the worker's final step; return False if it failed (the caller then does that step itself)."""
        with self._cond:
            while not self._finished and self._failed is None:
                self._cond.wait()
            ok = self._finished
        if self._failed:
            log.warning("The page worker failed; the build rendered its pages itself.\n%s", self._failed)
        self._proc.join(timeout=10)
        if self._proc.is_alive():
            self._proc.terminate()
        self._conn.close()
        return ok


def _work(items, render, finish, claims, lock, conn) -> None:
    try:
        for i, (key, arg) in enumerate(items):
            with lock:
                if claims[i] != _FREE:
                    continue
                claims[i] = _WORKER
            conn.send(("page", i, render(key, arg)))
        finish()
        conn.send(("done",))
    except BaseException:  # noqa: BLE001 - reported to the build, which renders the rest itself
        try:
            conn.send(("failed", traceback.format_exc()))
        except OSError:
            pass
    finally:
        conn.close()


def can_fork() -> bool:
    """The worker is a forked copy of the build (it shares the loaded data); Windows cannot fork."""
    return "fork" in multiprocessing.get_all_start_methods()


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity, e.g. under `taskset` or a container), else the machine's."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1
