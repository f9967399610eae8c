"""Work on every core: the items of a list are shared out to forked children.

Used where each item's work stands on its own: loading a component file
(load/loader.py) and rendering a job (render/renderer.py). Every process, the
parent too, works through runs of items it claims as it gets to them (`map_forked`);
a child sends its results back through a pipe, and the parent puts everything back
in order, so the result does not depend on who computed what. Forking after the
data is in memory costs nothing to copy; what a child read (jobgen/incremental/reads.py)
is sent back with its results, so an incremental compile sees the same inputs as a
compile in one process.

What the work builds up in a process besides its results (a share of the manifest's
lines, of the render cache's entries) is gathered there too, once a process
(`gathering`): a child turns its own share into what the parent only has to join,
on its own core, instead of sending each item's pieces for the parent to
assemble alone after every child is done.

Two more ways keep both cores busy where one would wait: `meanwhile` gives a forked
child work for later while the parent works alone (the render cache's keys while
the versions are worked out), and `while_waiting` gives the parent work that needs
none of the children's results while they end their share (saving the load cache).
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Generic, TypeVar, cast

from jobgen.incremental import reads

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

# Below this many items a fork costs more than it saves (a job's render or a file's load
# is about 0.5 ms).
MIN_SHARE = 400
WORKERS_ENV = "JOBGEN_WORKERS"


class ChildFailed(RuntimeError):
    """A child died without sending results (killed, out of memory)."""


def workers() -> int:
    """How many processes work: the cores this process may use, or JOBGEN_WORKERS."""
    configured = os.environ.get(WORKERS_ENV, "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# (gather, what it returned in each process) of every `gathering` block open here
_gatherers: list[tuple[Callable[[], object], list[object]]] = []


@contextmanager
def gathering(gather: Callable[[], S]) -> Iterator[list[S]]:
    """Within the block, every process of a map_forked ends its share with `gather()`, which
    hands over (and forgets) what `fn`'s calls built up in that process: the list yielded
    gets one result a process, the parent's first. A map_forked in one process calls it once.
    Nested blocks' gathers are called outermost first (a gather may finish work that an
    inner one hands over: commands/compile.py).
    """
    gathered: list[S] = []
    _gatherers.append((gather, gathered))  # type: ignore[arg-type]
    try:
        yield gathered
    finally:
        _gatherers.pop()


class _Waiting:
    """Work for the parent to do once, while children work (`while_waiting`)."""

    def __init__(self, work: Callable[[], None]) -> None:
        self._work = work
        self._done = False

    def run(self) -> None:
        if not self._done:
            self._done = True
            self._work()


_waiting: list[_Waiting] = []


@contextmanager
def while_waiting(work: Callable[[], None]) -> Iterator[None]:
    """Within the block, the first map_forked that forks does `work` in the parent once the
    parent's own share is done, while the children finish theirs: work that needs none of
    their results, which the parent would otherwise do alone after them. When no map_forked
    forked, the block's end does it; a block that raises does not.
    """
    waiting = _Waiting(work)
    _waiting.append(waiting)
    try:
        yield
    finally:
        _waiting.remove(waiting)
    waiting.run()


def _gather() -> list[object]:
    return [gather() for gather, _ in _gatherers]


def _gathered(values: list[object]) -> None:
    for (_, gathered), value in zip(_gatherers, values, strict=True):
        gathered.append(value)


def map_forked(fn: Callable[[T], R], items: Sequence[T], processes: int | None = None) -> list[R]:
    """`[fn(item) for item in items]`, computed by up to `processes` processes.

    The items are cut into runs (`_runs`). Process k (the parent is 0) does run k, then
    claims the others one at a time as it gets to them: a process whose items are
    quicker, or that has less else to do, takes more of them, and none waits long for
    another at the end (a fixed share of every n-th item left the parent waiting a tenth
    of a second for its child, which also has its results to send).
    """
    count = min(processes or workers(), len(items) // MIN_SHARE)
    # A fork copies only the calling thread: a lock another thread holds would stay held
    # in the child forever. With other threads about (a command serving or deploying), one process.
    if count < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
        results = [fn(item) for item in items]
        _gathered(_gather())
        return results
    runs = _runs(len(items))
    claims = _Claims(range(count, len(runs)))
    work = _Runs(fn, items, runs, claims)
    children: list[tuple[int, int]] = []
    try:
        for first in range(1, count):
            children.append(_fork(work, first))
        done = work.work(0)
        _gathered(_gather())  # while the children may still be at work
        for waiting in list(_waiting):
            waiting.run()
    except BaseException:
        _stop(children)  # they would wait forever to hand over results nobody reads
        raise
    finally:
        claims.close()  # the children have their own copies
    for pid, fd in children:
        done += _collect(pid, fd)
    ordered: list[R] = [None] * len(items)  # type: ignore[list-item]
    for run, results in done:
        start, end = runs[run]
        ordered[start:end] = results
    return ordered


# A run is about 8 ms of rendering (30 jobs) or 20 ms of loading (30 files): enough that
# claiming it costs nothing, few enough that the last ones even the processes out.
RUN = 32
# 4 bytes each in the claims pipe, all written before anyone reads: they must fit in the
# least a pipe holds, one page (PIPE_BUF, 4096 bytes; Linux gives a user's new pipes no
# more once they are over fs.pipe-user-pages-soft), or the write would wait forever.
_MOST_RUNS = 1024


def _runs(count: int) -> list[tuple[int, int]]:
    """The items' [start, end) runs, in order."""
    size = max(RUN, -(-count // _MOST_RUNS))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


class _Claims:
    """The runs' numbers written once into a pipe before the fork; each process reads the
    next number to claim that run. A pipe's reads are atomic and every number is four bytes
    of one write, so each run goes to exactly one process; an empty, closed pipe is the end."""

    def __init__(self, runs: range) -> None:
        self._read, write = os.pipe()
        try:
            os.write(write, struct.pack(f"<{len(runs)}I", *runs))
        finally:
            os.close(write)

    def next(self) -> int | None:
        claimed = os.read(self._read, 4)
        return struct.unpack("<I", claimed)[0] if len(claimed) == 4 else None

    def close(self) -> None:
        os.close(self._read)


class _Runs(Generic[T, R]):
    """The work of one map_forked: `fn`, its items, their runs and the claims on them."""

    def __init__(
        self, fn: Callable[[T], R], items: Sequence[T], runs: list[tuple[int, int]], claims: _Claims
    ) -> None:
        self._fn, self._items, self._runs, self._claims = fn, items, runs, claims

    def work(self, first: int) -> list[tuple[int, list[R]]]:
        """`fn` of every item of run `first` and of the runs this process claims, with each
        run's number."""
        fn, items, runs = self._fn, self._items, self._runs
        done = []
        run: int | None = first if first < len(runs) else self._claims.next()
        while run is not None:
            start, end = runs[run]
            done.append((run, [fn(item) for item in items[start:end]]))
            run = self._claims.next()
        return done


def _fork(work: _Runs[T, R], first: int) -> tuple[int, int]:
    def child() -> tuple[list[tuple[int, list[R]]], list[object]]:
        return work.work(first), _gather()

    return _fork_call(child)


def _fork_call(call: Callable[[], object]) -> tuple[int, int]:
    """Fork a child that sends `call()` with what it read, and exits; the child's pid and
    the pipe to read that from (`_collect_call`)."""
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    os.close(read_end)  # the child: work, send, exit without running the parent's cleanup
    code = 0
    mark = reads.digests_mark()
    try:
        with reads.recording() as seen:
            value = call()
        digests = reads.digests_since(mark)  # so the parent does not hash those files again
        payload = pickle.dumps((True, value, seen, digests), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as error:  # sent to the parent, which raises it there
        payload = pickle.dumps((False, error, None, None), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
    except BaseException:
        code = 1
    os._exit(code)


def _stop(children: list[tuple[int, int]]) -> None:
    for pid, read_end in children:
        os.kill(pid, signal.SIGKILL)
        os.close(read_end)
        os.waitpid(pid, 0)


def _collect(pid: int, read_end: int) -> list[tuple[int, list[R]]]:
    sent = cast(tuple[list[tuple[int, list[R]]], list[object]], _collect_call(pid, read_end))
    _gathered(sent[1])  # what `_fork`'s child gathered
    return sent[0]


def _collect_call(pid: int, read_end: int) -> object:
    """What `_fork_call`'s child sent; what it read is taken in here."""
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    os.waitpid(pid, 0)
    if not payload:
        raise ChildFailed(f"a forked process ({pid}) ended without results")
    ok, value, seen, digests = pickle.loads(payload)
    if not ok:
        raise value
    reads.absorb(seen)
    reads.remember(digests)
    return value


# How many items `meanwhile`'s child does between two looks at whether it is asked to stop.
STRIDE = 64


class Meanwhile(Generic[T, R]):
    """`fn` of the first items, in order, computed by a forked child while the parent does
    other work; `done()` takes as many as the child has done (none without a child)."""

    def __init__(self, fn: Callable[[T], R], items: Sequence[T]) -> None:
        self._child: tuple[int, int] | None = None
        self._stop = -1
        if workers() < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
            return  # as map_forked: no fork beside other threads, nor on one core
        stop_read, self._stop = os.pipe()
        os.set_blocking(stop_read, False)
        asked = self._stop

        def child() -> list[R]:
            os.close(asked)  # the parent's end: once the parent is gone, a read gets b""
            done: list[R] = []
            for start in range(0, len(items), STRIDE):
                if _asked(stop_read):
                    break
                done += [fn(item) for item in items[start : start + STRIDE]]
            return done

        try:
            self._child = _fork_call(child)
        finally:
            os.close(stop_read)  # the child has its own copy

    def done(self) -> list[R]:
        """`fn` of the items the child got to (a prefix of them), once it has stopped."""
        if self._child is None:
            return []
        child, self._child = self._child, None
        try:
            os.write(self._stop, b"x")  # the child stops at its next look
        except BrokenPipeError:
            pass  # it is done already: its end of the pipe is closed
        finally:
            os.close(self._stop)
        return cast(list[R], _collect_call(*child))

    def cancel(self) -> None:
        """Stop the child, its work unused (the phase it was for does not run)."""
        if self._child is not None:
            os.close(self._stop)
            _stop([self._child])
            self._child = None


def _asked(stop: int) -> bool:
    try:
        return bool(os.read(stop, 1))  # a byte from done(), or b"" once the parent is gone
    except BlockingIOError:
        return False


def meanwhile(fn: Callable[[T], R], items: Sequence[T]) -> Meanwhile[T, R]:
    """Start computing `fn` of `items`, in order, in a forked child; see `Meanwhile`.

    For work the parent would do later in a phase that keeps every core busy, moved to
    a moment when one is idle (the render cache's keys while the versions are worked out).
    """
    return Meanwhile(fn, items)
