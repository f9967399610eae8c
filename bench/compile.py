"""Time `jobgen validate` and `jobgen compile` on N synthetic components.

Usage: python -m bench.compile [N ...]   (default: 100 1000), from the project root.
Prints, per N: jobs produced, seconds for each phase in process, and the
end-to-end seconds of the CLI (interpreter start included).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bench.synthetic import as_installed, make_repo
from jobgen.load.loader import load
from jobgen.output.build_dir import write_build
from jobgen.plan.planner import plan
from jobgen.render.renderer import render
from jobgen.version.versioner import version

T = TypeVar("T")


def _timed(label: str, fn: Callable[..., T], *args: object) -> T:
    start = time.perf_counter()
    value = fn(*args)
    print(f"  {label:<22} {time.perf_counter() - start:7.3f} s")
    return value


def _cli(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "jobgen", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def bench(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        components = make_repo(root, count)
        print(f"N = {count} components")
        loaded = _timed("load", load, [components])
        planned = _timed("plan", plan, loaded.repo)
        versioned = _timed("version", version, planned.plan, root)
        artifacts = _timed("render", render, versioned, "bench")
        written = _timed("write (fresh folder)", write_build, artifacts, root / "inproc")
        print(f"  jobs {len(artifacts.jobs)}, files {written.written}")
        print(f"  cli validate           {_cli(['validate', 'components'], root):7.3f} s")
        print(f"  cli compile, cold      {_cli(['compile'], root):7.3f} s   (every file written)")
        print(f"  cli compile, warm      {_cli(['compile'], root):7.3f} s   (nothing changed)")


def main() -> None:
    as_installed()
    for count in [int(a) for a in sys.argv[1:]] or [100, 1000]:
        bench(count)


if __name__ == "__main__":
    main()
