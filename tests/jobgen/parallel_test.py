"""Loading and rendering in forked children give the build a single process gives, and hide
no failure."""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import time
from pathlib import Path

import pytest

from jobgen import parallel
from jobgen.commands import compile as compile_command
from jobgen.incremental import reads, replay
from jobgen.parallel import map_forked
from tests.repos import make_jobs_repo


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _compile(output: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert compile_command.run(Path("components"), Path(output)) == 0
    return out.getvalue()


@pytest.fixture(autouse=True)
def alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """map_forked forks only when its thread is the process's one thread. A thread another
    test left behind in this process (pytest runs many tests in one) would make it render in
    process: nothing would be forked, and the `os._exit` meant for a child would end pytest.
    Runs of one item: process k's first item is item k, every process has work."""
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    monkeypatch.setattr(parallel, "RUN", 1)


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the children forked while the test runs."""
    pids: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return pids


def test_a_build_rendered_by_three_processes_equals_one_rendered_by_one(
    tmp_path, monkeypatch, forked
):
    make_jobs_repo(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    _compile(str(tmp_path / "one"))
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)  # the examples are far below a real share
    monkeypatch.setenv(parallel.WORKERS_ENV, "3")
    # The compile record's look at the build folder forks too (replay.build_state): in one
    # process here, so that the forks counted are the load's and the render's.
    monkeypatch.setattr(replay, "map_forked", lambda fn, items: [fn(item) for item in items])
    _compile(str(tmp_path / "three"))
    # Two children load component files, one works out the render cache's keys while the
    # versions are worked out (RenderCache.keys_ahead), then two render.
    assert len(forked) == 5
    assert _tree(tmp_path / "one") == _tree(tmp_path / "three")


def test_what_a_child_reads_is_recorded_in_the_parent(tmp_path):
    files = []
    for index in range(4):
        files.append(tmp_path / f"input-{index}.txt")
        files[-1].write_text(f"input {index}")
    parallel_min = parallel.MIN_SHARE
    parallel.MIN_SHARE = 1
    try:
        with reads.recording() as seen:
            texts = map_forked(lambda path: path.read_text(), files, processes=2)
    finally:
        parallel.MIN_SHARE = parallel_min
    assert texts == [f"input {index}" for index in range(4)]
    # File 1 was read by the child (its first run), maybe 2 or 3 too: an incremental
    # compile must still see them.
    assert {str(f) for f in files} <= set(seen.opened)


def _fails_on_three(value: int) -> int:
    if value == 3:
        raise ValueError("the render of 3 failed")
    return value * 2


def test_an_error_in_a_child_is_raised_in_the_parent(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    assert map_forked(_fails_on_three, [0, 2, 4, 6], processes=2) == [0, 4, 8, 12]
    with pytest.raises(ValueError, match="the render of 3 failed"):
        map_forked(_fails_on_three, [0, 3, 2, 1], processes=2)  # 3 is the child's first


def test_a_child_killed_midway_is_an_error_not_missing_jobs(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)

    def dies_in_child(value: int) -> int:
        if value == 1:
            os._exit(9)  # the child dies without sending anything
        return value

    with pytest.raises(parallel.ChildFailed):
        map_forked(dies_in_child, [0, 1], processes=2)


def test_an_error_in_the_parent_leaves_no_child_behind(monkeypatch, forked):
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    with pytest.raises(ValueError, match="the render of 3 failed"):
        map_forked(_fails_on_three, [3, 0, 5, 2], processes=2)  # 3 is the parent's
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)  # already reaped: no zombie, no orphan


def test_what_each_process_built_up_is_gathered_once_a_process(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    done: list[int] = []  # each process's copy: a child's is lost with it unless gathered

    def gather() -> list[int]:
        mine = list(done)
        done.clear()
        return mine

    with parallel.gathering(gather) as gathered:
        assert map_forked(done.append, list(range(7)), processes=3) == [None] * 7
    # One share a process, the parent's first; each began with its own first item, and
    # every item is in exactly one share, whoever claimed it.
    assert len(gathered) == 3 and [share[0] for share in gathered] == [0, 1, 2]
    assert sorted(item for share in gathered for item in share) == list(range(7))
    with parallel.gathering(gather) as gathered:
        map_forked(done.append, [7], processes=3)  # too few to fork: one process, one share
    assert gathered == [[7]]


def test_a_process_slow_on_one_item_leaves_the_others_to_the_rest(monkeypatch, tmp_path):
    """Runs are claimed as each process gets to them, not dealt out in advance: while the
    parent is held up on its first item, the child does every other one."""
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    parent = os.getpid()

    def work(item: int) -> int:
        if item == 0:  # the parent's first: waits until the other nine are done
            deadline = time.monotonic() + 20
            while len(list(tmp_path.iterdir())) < 9 and time.monotonic() < deadline:
                time.sleep(0.01)
        else:
            (tmp_path / str(item)).write_text(str(os.getpid()))
        return item

    assert map_forked(work, list(range(10)), processes=2) == list(range(10))
    done_by = {int(p.name): int(p.read_text()) for p in tmp_path.iterdir()}
    assert sorted(done_by) == list(range(1, 10))
    assert parent not in done_by.values()  # all nine by the child


def test_many_items_are_cut_into_runs_that_fit_in_one_page_of_pipe(monkeypatch):
    """Every run's number is written into the claims pipe before any process reads: at
    most 1024 of them (4 bytes each), the least a pipe holds, however many items."""
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    for count in (1, 31, 1024, 50_000, 1_000_003):
        runs = parallel._runs(count)
        assert len(runs) <= 1024
        assert runs[0][0] == 0 and runs[-1][1] == count
        assert all(end == start for (_, end), (start, _) in itertools.pairwise(runs))
    items = list(range(50_000))
    assert map_forked(lambda item: item * 2, items, processes=2) == [i * 2 for i in items]


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")


def test_work_done_meanwhile_is_a_prefix_of_the_items_in_order(two_cores, forked):
    items = list(range(5000))
    done = parallel.meanwhile(lambda item: item * 2, items).done()
    assert len(forked) == 1
    assert done == [item * 2 for item in items[: len(done)]]  # however far the child got
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)  # reaped by done()


def test_work_done_meanwhile_is_all_of_it_when_the_child_is_not_stopped_sooner(
    two_cores, monkeypatch
):
    monkeypatch.setattr(parallel, "_asked", lambda stop: False)  # the child never looks up
    items = list(range(300))
    assert parallel.meanwhile(lambda item: item + 1, items).done() == [i + 1 for i in items]


def test_an_error_in_the_work_done_meanwhile_is_raised_in_the_parent(two_cores, monkeypatch):
    monkeypatch.setattr(parallel, "_asked", lambda stop: False)
    work = parallel.meanwhile(_fails_on_three, [0, 1, 2, 3, 4])
    with pytest.raises(ValueError, match="the render of 3 failed"):
        work.done()


def test_work_meanwhile_cancelled_leaves_no_child_behind(two_cores, forked):
    work = parallel.meanwhile(lambda item: item, list(range(100_000)))
    work.cancel()
    assert work.done() == []
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)


def test_on_one_core_nothing_is_done_meanwhile(monkeypatch, forked):
    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    assert parallel.meanwhile(lambda item: item, [1, 2, 3]).done() == []
    assert forked == []


def test_the_digests_a_child_took_are_handed_to_the_parent(tmp_path, monkeypatch):
    # The load hashes each component file in the process that reads it; the compile record
    # checks them all again in the parent at the end: a child's digests save it reading half.
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    files = []
    for index in range(4):
        path = tmp_path / f"input-{index}"
        path.write_text(f"input {index}")
        os.utime(path, ns=(0, 0))  # old: its digest is remembered (reads.RACY_NS)
        files.append(str(path))
    parent = os.getpid()
    hashed_by = map_forked(lambda p: (reads.file_digest(p), os.getpid())[1], files, processes=2)
    in_child = [p for p, pid in zip(files, hashed_by, strict=True) if pid != parent]
    assert in_child
    hashed: list[str] = []
    real = reads.hashlib.file_digest
    monkeypatch.setattr(
        reads.hashlib, "file_digest", lambda f, *a: hashed.append(f.name) or real(f, *a)
    )
    assert [reads.file_digest(p) for p in files]
    assert not set(hashed) & set(in_child)  # taken from the child's digests, not read again


def test_work_while_waiting_is_done_in_the_parent_as_the_children_work(monkeypatch, tmp_path):
    # The compile saves its load cache and indexes its components while the forked
    # renderers finish (commands/compile.py): the parent does not wait for them first.
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    parent = os.getpid()
    signal_file = tmp_path / "parent-waiting"
    done: list[int] = []

    def work(item: int) -> bool:
        if item == 0:
            return True  # the parent's one item
        deadline = time.monotonic() + 20  # the child's: until the parent's waiting work
        while not signal_file.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return signal_file.exists()

    def waiting() -> None:
        done.append(os.getpid())
        signal_file.touch()

    with parallel.while_waiting(waiting):
        assert map_forked(work, [0, 1], processes=2) == [True, True]
        assert done == [parent]
    assert done == [parent]  # once


def test_work_while_waiting_is_done_at_the_end_without_a_fork_and_not_after_an_error():
    done: list[str] = []
    with parallel.while_waiting(lambda: done.append("done")):
        assert map_forked(lambda item: item, [1, 2], processes=1) == [1, 2]
        assert done == []
    assert done == ["done"]
    with pytest.raises(ValueError), parallel.while_waiting(lambda: done.append("again")):
        raise ValueError("the render failed")
    assert done == ["done"]
