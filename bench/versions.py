"""Time the version phase on 1000 components (~12 jobs each) with a 5,000-commit history.

Usage: python -m bench.versions [COMPONENTS [COMMITS]]   (default: 1000 5000), from the
project root. The history is written with one `git fast-import` run in a temp dir
(removed afterwards); the plan is built by hand, so only versioning is timed.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from jobgen.diagnostics import SourcePos
from jobgen.incremental.history_cache import HistoryCache
from jobgen.plan.model import Call, Job, Plan
from jobgen.version.history import read_history
from jobgen.version.versioner import version, version_from

T = TypeVar("T")
WORKERS = 10  # per component; with the orchestration and the folder, 12 jobs
SHARED = (
    "jobgen.yaml",
    "templates/worker.xml.j2",
    "templates/pipeline.xml.j2",
    "templates/folder.xml.j2",
    "groovy_lib/common/promise.groovy",
    "README.md",
)


def _dir(c: int) -> str:
    # Flat, as the component file contract has it: components/NAME.yaml beside NAME/ scripts.
    # (Git diffs that 2,000-entry tree in every commit: the realistic, slower case.)
    return f"components/c{c}"


def _files(components: int) -> list[str]:
    files = list(SHARED)
    for c in range(components):
        files.append(f"{_dir(c)}.yaml")
        files.append(f"{_dir(c)}/pipeline.groovy")
        files += [f"{_dir(c)}/w{w}.bash" for w in range(WORKERS)]
    return files


def _data(text: str) -> str:
    return f"data {len(text.encode())}\n{text}\n"


def _stream(components: int, commits: int, rng: random.Random) -> Iterator[str]:
    """A fast-import stream: one commit adding every file, then small edits and a few renames."""
    files = _files(components)
    renamed: dict[str, str] = {}  # original path -> today's path
    yield "commit refs/heads/main\nmark :1\ncommitter B <b@example.com> 1500000000 +0000\n"
    yield _data("import")
    for path in files:
        yield f"M 100644 inline {path}\n" + _data(f"{path} 0")
    for n in range(2, commits + 1):
        yield f"commit refs/heads/main\nmark :{n}\n"
        yield f"committer B <b@example.com> {1500000000 + n * 60} +0000\n"
        yield _data(f"change {n}") + f"from :{n - 1}\n"
        if rng.random() < 0.01:
            original = rng.choice([f for f in files if f.endswith(".bash") and f not in renamed])
            renamed[original] = original[: -len(".bash")] + ".sh"
            yield f"R {original} {renamed[original]}\n"
            continue
        # Mostly component files; now and then a shared template or the pin.
        pool = SHARED if rng.random() < 0.02 else files
        for path in {rng.choice(pool) for _ in range(rng.randint(1, 3))}:
            yield f"M 100644 inline {renamed.get(path, path)}\n" + _data(f"{path} {n}")
    yield "done\n"


def make_history(root: Path, components: int, commits: int) -> dict[str, str]:
    """A checked-out repository at `root`; returns each renamed file's new path."""
    rng = random.Random(3)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    stream = "".join(_stream(components, commits, rng))
    subprocess.run(
        ["git", "-C", str(root), "fast-import", "--quiet", "--done"],
        input=stream.encode(),
        check=True,
    )
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard"], check=True)
    out = subprocess.run(
        ["git", "-C", str(root), "ls-files", "*.sh"], check=True, capture_output=True, text=True
    ).stdout
    return {p[: -len(".sh")] + ".bash": p for p in out.split()}


def make_plan(components: int, renamed: dict[str, str]) -> Plan:
    """Per component a folder, ten workers and an orchestration calling them and two others'."""
    rng = random.Random(5)
    pos = SourcePos("components/c.yaml", 1, 1)
    jobs: list[Job] = []
    for c in range(components):
        yaml = f"{_dir(c)}.yaml"
        workers = [f"c{c}-w{w}" for w in range(WORKERS)]
        for w, name in enumerate(workers):
            bash = f"{_dir(c)}/w{w}.bash"
            own = ("jobgen.yaml", yaml, renamed.get(bash, bash), "templates/worker.xml.j2")
            jobs.append(Job(name, f"c{c}", "worker", f"c{c}", "worker.xml.j2", own, pos))
        deps = rng.sample(range(max(0, c - 50), c), min(2, c))
        targets = workers + [f"c{d}-release" for d in deps]
        inputs = (
            "jobgen.yaml",
            yaml,
            f"{_dir(c)}/pipeline.groovy",
            "templates/pipeline.xml.j2",
            "groovy_lib/common/promise.groovy",
        )
        calls = tuple(Call(t, pos) for t in targets)
        jobs.append(
            Job(f"c{c}-release", f"c{c}", "orchestration", f"c{c}", "p", inputs, pos, calls)
        )
        jobs.append(Job(f"c{c}", f"c{c}", "folder", "", "f", ("jobgen.yaml", yaml), pos))
    return Plan(tuple(sorted(jobs, key=lambda job: job.name)))


def _timed(label: str, fn: Callable[..., T], *args: object) -> T:
    start = time.perf_counter()
    value = fn(*args)
    print(f"  {label:<34} {time.perf_counter() - start:7.3f} s")
    return value


def bench(components: int, commits: int) -> None:
    """Build the repository, then time versioning it clean and with one dirty worker."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        renamed = make_history(root, components, commits)
        plan = make_plan(components, renamed)
        setup = time.perf_counter() - start
        print(f"{components} components, {len(plan.jobs)} jobs, {commits} commits")
        print(f"  {'setup (fast-import, checkout)':<34} {setup:7.3f} s (not part of the figure)")
        history = _timed("read_history (git log + status)", read_history, root)
        kept = HistoryCache(root / "build")
        _timed("read_history, keeping HEAD's", read_history, root, kept)
        _timed("read_history, HEAD's kept", read_history, root, kept)
        _timed("version_from (names from history)", version_from, plan, history, root)
        for run in range(3):
            _timed(f"version() end to end, run {run + 1}", version, plan, root)
        low = root / _dir(0) / "w0.bash"
        low.write_text(low.read_text() + " edited\n")
        versioned = _timed("version() with c0-w0 dirty", version, plan, root)
        dirty = sum(v.dirty for v in versioned.versions.values())
        print(f"  dirty jobs                         {dirty:7d}")


def main() -> None:
    """Parse the optional sizes and run."""
    args = [int(a) for a in sys.argv[1:]]
    bench(args[0] if args else 1000, args[1] if len(args) > 1 else 5000)


if __name__ == "__main__":
    main()
