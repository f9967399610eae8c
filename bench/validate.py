"""How fast is `jobgen validate`? Target: 100 components well under a second.

Usage: .venv/bin/python -m bench.validate [N] [--runs R]   (from the project root)

Generates N synthetic components like the design's example (bench/synthetic.py:
steps, two environments, dependencies, notify) in a temp dir, then prints:
the interpreter's own start time, the end-to-end `python -m jobgen validate DIR`
wall time (best and median of R runs), and the in-process load phase split
into YAML, schema and checks.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.synthetic import make_repo


def _wall(command: list[str], runs: int, cwd: Path) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return times


def _timed(fn: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def in_process(components: Path, runs: int) -> dict[str, float]:
    """The load phase in this process, best of `runs`, split by stage."""
    from jobgen.load.checks import run_checks
    from jobgen.load.loader import load
    from jobgen.load.schema import validate_component
    from jobgen.load.yaml_nodes import parse_yaml

    files = sorted(components.glob("*.yaml"))
    texts = [f.read_text() for f in files]
    parsed = [parse_yaml(t, str(f)) for t, f in zip(texts, files, strict=True)]
    repo = load([components]).repo
    return {
        "yaml (compose + positions)": _timed(
            lambda: [parse_yaml(t, str(f)) for t, f in zip(texts, files, strict=True)], runs
        ),
        "schema (jsonschema, all errors)": _timed(
            lambda: [validate_component(p.value, p.positions) for p in parsed], runs
        ),
        "cross-file checks": _timed(lambda: run_checks(repo), runs),
        "load() total": _timed(lambda: load([components]), runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jobgen-bench-") as tmp:
        components = make_repo(Path(tmp), args.count)
        python = [sys.executable]
        bare = _wall([*python, "-c", "pass"], args.runs, Path(tmp))
        imports = _wall(
            [
                *python,
                "-c",
                "import jobgen.commands.validate, jobgen.load.schema as s; s._validator()",
            ],
            args.runs,
            Path(tmp),
        )
        e2e = _wall([*python, "-m", "jobgen", "validate", str(components)], args.runs, Path(tmp))
        phases = in_process(components, args.runs)
    print(
        f"jobgen validate, {args.count} components, {args.runs} runs, "
        f"python {sys.version.split()[0]}"
    )
    print(f"  interpreter start (python -c pass)     best {min(bare):.3f} s")
    print(f"  imports + schema compile               best {min(imports):.3f} s")
    print(
        f"  python -m jobgen validate DIR          best {min(e2e):.3f} s, "
        f"median {statistics.median(e2e):.3f} s"
    )
    print(f"  end to end minus interpreter start     {min(e2e) - min(bare):.3f} s")
    for name, seconds in phases.items():
        print(f"  in process: {name:<28} {seconds * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
