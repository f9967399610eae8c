"""Time a cold, a warm and a one-change `jobgen compile` of N synthetic components.

Usage: python -m bench.incremental [N] [--runs R]   (default 1000, 3 runs), from the project root.

Each figure is the minimum of R runs (the machine may be shared): wall seconds,
CPU seconds (user + system, the steadier figure under load) and peak RSS of the
`jobgen compile` process. Then the one-change compile again in process, phase
by phase, with the number of jobs rendered and taken from the render cache.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import make_repo
from jobgen.compiler import owner
from jobgen.incremental.rendered import RenderCache
from jobgen.load.loader import load
from jobgen.output.build_dir import write_build
from jobgen.plan.planner import plan
from jobgen.render.renderer import render
from jobgen.version.versioner import version


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


def _in_process(root: Path, components: Path, leaf: int, n: int) -> None:
    _change(components, leaf, n)
    os.chdir(root)  # as the command runs: diagnostics' paths, in every job, are relative to it
    components = Path("components")
    phases: list[tuple[str, float]] = []

    def timed(label: str, fn, *args):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        value = fn(*args)
        phases.append((label, time.perf_counter() - start))
        return value

    reuse = RenderCache(Path("build"))
    loaded = timed("load", load, [components])
    planned = timed("plan", plan, loaded.repo)
    versioned = timed("version", version, planned.plan, Path("."))
    artifacts = timed("render", render, versioned, owner(loaded.repo), "prod", reuse)
    written = timed("write", write_build, artifacts, Path("build"))
    timed("save render cache", reuse.save)
    print(
        f"\none change in process ({len(artifacts.jobs)} jobs, {reuse.reused} taken from the "
        f"cache, {len(artifacts.jobs) - reuse.reused} rendered, {written.written} files written):"
    )
    print(" | ".join(f"{label} {seconds:.3f} s" for label, seconds in phases))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bench(args.count, args.runs)


if __name__ == "__main__":
    main()
