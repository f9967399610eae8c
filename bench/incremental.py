"""Time a cold, a warm and a one-change `jobgen compile` of N synthetic components.

Usage: python -m bench.incremental [N] [--runs R]   (default 1000, 3 runs), from the project root.

Each figure is the minimum of R runs (the machine may be shared): wall seconds,
CPU seconds (user + system, the steadier figure under load) and peak RSS of the
`jobgen compile` process. Then the one-change compile again in process, phase
by phase, with the number of jobs rendered and taken from the render cache.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bench.synthetic import as_installed, make_repo
from jobgen.commands.compile import render_into, without_collector
from jobgen.compiler import owner
from jobgen.incremental import loaded, reads, replay, sliced, store
from jobgen.incremental.gitfacts import git_facts
from jobgen.incremental.loaded import LoadCache
from jobgen.incremental.rendered import RenderCache
from jobgen.incremental.replay import Request, build_intact, cache_file
from jobgen.load import loader
from jobgen.load.loader import load
from jobgen.output import build_patch
from jobgen.parallel import workers
from jobgen.plan import planner
from jobgen.plan.planner import plan
from jobgen.render import renderer
from jobgen.version import history, versioner
from jobgen.version.versioner import version

T = TypeVar("T")


def _cli(root: Path, output: str = "build") -> tuple[float, float, float, str]:
    """Wall s, CPU s, peak RSS MB of one `jobgen compile`, and its summary line."""
    command = [sys.executable, "-m", "jobgen", "compile", "-o", output]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = process.stdout.read().decode() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    assert os.waitstatus_to_exitcode(status) == 0, out
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.splitlines()[0]


def _change(components: Path, leaf: int, n: int) -> None:
    path = components / f"svc-{leaf}.yaml"
    text = re.sub(r"^description: .*$", f"description: changed {n}", path.read_text(), flags=re.M)
    path.write_text(text)


def _row(label: str, runs: list[tuple[float, float, float, str]]) -> None:
    wall = min(r[0] for r in runs)
    cpu = min(r[1] for r in runs)
    rss = max(r[2] for r in runs)
    print(f"| {label} | {wall:.3f} | {cpu:.3f} | {rss:.0f} | {runs[-1][3]} |")


def bench(count: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        components = make_repo(root, count)
        leaf = count - 1  # no component depends on the last one
        print(f"N = {count} components, minimum of {repeat} runs; load average {os.getloadavg()}")
        print("| compile | wall s | CPU s | peak RSS MB | summary |\n|---|---|---|---|---|")
        _row(
            "cold (fresh build folder, no cache)", [_cli(root, f"cold-{i}") for i in range(repeat)]
        )
        _cli(root)
        _row("warm (nothing changed)", [_cli(root) for _ in range(repeat)])
        one = []
        for i in range(repeat):
            _change(components, leaf, i)
            one.append(_cli(root))
        _row(f"one change (svc-{leaf}'s description, uncommitted)", one)
        cwd = Path.cwd()
        try:
            _in_process(root, components, leaf, repeat)
        finally:
            os.chdir(cwd)


class _Phases:
    """Wall and CPU seconds of each phase of one in-process compile."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = []

    def __call__(self, label: str, fn: Callable[..., T], *args: object) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn(*args)
        self.rows.append((label, time.perf_counter() - wall, time.process_time() - cpu))
        return value

    def show(self, title: str) -> None:
        print(f"\n{title}\n| phase | wall s | CPU s |\n|---|---|---|")
        for label, wall, cpu in self.rows:
            print(f"| {label} | {wall:.3f} | {cpu:.3f} |")
        total = (sum(r[1] for r in self.rows), sum(r[2] for r in self.rows))
        print(f"| **total** | **{total[0]:.3f}** | **{total[1]:.3f}** |")


def _compile(output: str) -> tuple[_Phases, RenderCache, LoadCache, int, int]:
    """The phases of `jobgen compile`, as commands/compile.py runs them, each timed."""
    timed = _Phases()
    loads = LoadCache(Path(output))
    reuse = RenderCache(Path(output))
    root = Path(".").resolve()
    with loads.loading(root):
        loaded = timed("load", load, [Path("components")], True, loads)
    planned = timed("plan", plan, loaded.repo)
    versioned = timed("version", version, planned.plan, Path("."))
    request = Request(Path("components"), Path(output), "prod", None)
    label = f"open the build folder, render and write ({workers()} processes), the manifest"
    _, written = timed(label, render_into, versioned, owner(loaded.repo), "prod", reuse, request)
    timed("save the caches", lambda: (loads.save(), reuse.save()))
    jobs = len(versioned.plan.jobs) + len(versioned.plan.stable)
    return timed, reuse, loads, jobs, written.written


def _replay() -> None:
    timed = _Phases()
    request = Request(Path("components"), Path("build"), "prod", None)
    payload = store.read(cache_file(request.output), "compile")
    assert payload is not None
    record = timed("read the record", json.loads, payload)
    timed("hash jobgen's files and libraries", reads.environment)
    timed(f"re-hash {len(record['reads']['opened'])} files read", reads.unchanged, record["reads"])
    root = Path(record["root"])
    cache = store.cache_folder(request.output)
    timed("git facts (rev-parse, status)", git_facts, root, request.output, cache)
    timed(f"check the build folder ({record['files']} files)", build_intact, request.output, record)
    timed.show("warm compile in process: the checks of a replay")


def _in_process(root: Path, components: Path, leaf: int, n: int) -> None:
    os.chdir(root)  # as the command runs: diagnostics' paths, in every job, are relative to it
    with without_collector():  # as the command runs: its collector off
        _phases(components, leaf, n)


def _phases(components: Path, leaf: int, n: int) -> None:
    timed, _, _, jobs, written = _compile("phases-cold")
    timed.show(
        f"cold compile in process ({jobs} jobs and stable jobs, {written} files written, "
        "no cache; CPU s of this process only, not of the forked renderers)"
    )
    _replay()
    # The cold compile above left a new untracked folder: git's status moved, so the
    # record is brought up to date first, as the next `jobgen compile` would.
    _cli(Path.cwd())
    _change(components, leaf, n)
    _sliced()


_SLICE_STEPS = (
    (replay, "last_compile", "read the record, re-hash the files it read"),
    (sliced, "_find", "find the one changed file: git facts, the build folder's files"),
    (loader, "load", "load it and what it depends on"),
    (planner, "plan", "plan them, as they were and as they are"),
    (history, "read_history", "read git's history"),
    (versioner, "version_from", "version both plans"),
    (build_patch, "open_patch", "open the build folder, read the manifest"),
    (renderer, "render_each", "render and write the component's jobs"),
    (build_patch.BuildPatch, "finish_patch", "remove its stale files, write the manifest"),
    (sliced, "_remember", "update the compile record"),
    (loaded.LoadCache, "save", "save the load cache"),
)


def _sliced() -> None:
    """The one-component compile `jobgen compile` does after one change, its steps timed
    where it calls them (a step called twice counts once, both calls summed)."""
    spent: dict[str, list[float]] = {label: [0.0, 0.0] for _, _, label in _SLICE_STEPS}
    originals = [(holder, name, getattr(holder, name)) for holder, name, _ in _SLICE_STEPS]

    def timing(label: str, fn: Callable[..., T]) -> Callable[..., T]:
        def timed(*args: object, **kwargs: object) -> T:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label][0] += time.perf_counter() - wall
                spent[label][1] += time.process_time() - cpu

        return timed

    request = Request(Path("components"), Path("build"), "prod", None)
    for (holder, name, _), (_, _, label) in zip(originals, _SLICE_STEPS, strict=True):
        setattr(holder, name, timing(label, getattr(holder, name)))
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        done = sliced.compile_component(request, "prod", replay.last_compile(request))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        for holder, name, original in originals:
            setattr(holder, name, original)
    assert done is not None, "the change was not compiled alone"
    report, written = done
    timed = _Phases()
    timed.rows = [(label, w, c) for label, (w, c) in spent.items()]
    timed.rows.append(
        (
            "the rest (imports, Jinja compiling its templates)",
            wall - sum(w for w, _ in spent.values()),
            cpu - sum(c for _, c in spent.values()),
        )
    )
    timed.show(
        f"one-change compile in process: the component compiled alone ({written.written} "
        f"files written, {written.removed} removed, {report.jobs} jobs in the manifest)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    as_installed()
    bench(args.count, args.runs)


if __name__ == "__main__":
    main()
