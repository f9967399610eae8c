"""`jobgen validate` of hostile files: bounded time and memory, no traceback.

    python -m bench.hostile [--size-mb 5] [--keep DIR]

Writes a repository of hostile component files (each about --size-mb, a few
small), runs `python -m jobgen validate` on each file alone and on the whole
folder, and prints wall time, peak RSS (the child's own, from GNU time), the exit
code and the first diagnostic line. A traceback, an exit code other than 1,
or a run over 200 MB fails the run (exit 1).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

MB = 1_000_000
LIMIT_RSS_MB = 200


def _big_string(size: int) -> str:
    return 'component: big\ndescription: "' + "A" * size + '"\n'


def _many_keys(size: int) -> str:
    keys = "".join(f"k{i}: v\n" for i in range(size // 10))
    return "component: keys\n" + keys


def _deep_flow(size: int) -> str:
    return "component: deep\ndescription: " + "[" * (size // 2) + "]" * (size // 2) + "\n"


def _deep_block(size: int) -> str:
    depth = int(size**0.5)  # indentation grows as depth squared
    lines = [f"{'  ' * i}k{i}:" for i in range(depth)]
    return "component: deepblock\njobs:\n" + "\n".join("  " + line for line in lines) + " x\n"


def _billion_laughs(_: int) -> str:
    lines = ["component: laughs", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def _big_numbers(size: int) -> str:
    numbers = "".join(f"  x{i}: {'9' * 5000}\n" for i in range(size // 5100))
    return "component: numbers\nretention:\n" + numbers


def _wide_list(size: int) -> str:
    return "component: wide\ndependencies: [" + ", ".join(["a"] * (size // 3)) + "]\n"


def _long_line_of_tokens(size: int) -> str:
    token = "xK9mQ2vLp8RtZ4wN7bY3cF6hJ1dS5gA0eU "
    return "component: tokens\nsteps:\n  build: " + token * (size // len(token)) + "\n"


def _control_characters(size: int) -> str:
    return 'component: control\ndescription: "' + "\\x1b[2J\\x07" * (size // 12) + '"\n'


def _many_jobs(size: int) -> str:
    jobs = "".join(f"  j{i}:\n    bash: missing{i}.sh\n" for i in range(size // 40))
    return "component: jobs\njobs:\n" + jobs


CASES: dict[str, Callable[[int], str]] = {
    "big-string": _big_string,
    "many-keys": _many_keys,
    "deep-flow": _deep_flow,
    "deep-block": _deep_block,
    "billion-laughs": _billion_laughs,
    "big-numbers": _big_numbers,
    "wide-list": _wide_list,
    "token-line": _long_line_of_tokens,
    "control-chars": _control_characters,
    "many-jobs": _many_jobs,
}


def write_repository(root: Path, size: int) -> list[Path]:
    """One repository per case (so that validating one file reads no hostile siblings),
    and one holding every case; returns the component folders, the shared one last."""
    folders = []
    for name, make in CASES.items():
        text = make(size)
        for where in (root / name, root / "all"):
            (where / "components").mkdir(parents=True, exist_ok=True)
            (where / "jobgen.yaml").write_text("jobgen: 0.1.0\n")
            (where / "components" / f"{name}.yaml").write_text(text, encoding="utf-8")
        folders.append(root / name / "components")
    return [*folders, root / "all" / "components"]


def run_validate(path: Path, cwd: Path) -> tuple[float, float, int, str, bool]:
    """Seconds, peak RSS in MB (GNU time's %M), exit code, first stdout line, traceback seen."""
    start = time.perf_counter()
    done = subprocess.run(
        [TIME, "-f", "%M", sys.executable, "-m", "jobgen", "validate", str(path)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    err = done.stderr.splitlines()
    peak = int(err[-1]) / 1024 if err and err[-1].isdigit() else float("nan")
    first = done.stdout.splitlines()[0][:90] if done.stdout else (err[0][:90] if err else "")
    return seconds, peak, done.returncode, first, "Traceback" in done.stderr


TIME = "/usr/bin/time"  # GNU time: the child's own peak RSS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=5.0)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args(argv)
    size = int(args.size_mb * MB)
    with tempfile.TemporaryDirectory(prefix="jobgen-hostile-") as tmp:
        root = args.keep or Path(tmp)
        folders = write_repository(root, size)
        failed = False
        print(f"{'case':<16} {'MB':>5} {'seconds':>8} {'peak MB':>8} exit  first line")
        for folder in folders:
            seconds, peak, code, first, traceback = run_validate(Path("components"), folder.parent)
            mb = sum(p.stat().st_size for p in folder.iterdir()) / MB
            name = folder.parent.name if folder.parent.name != "all" else "(all at once)"
            print(f"{name:<16} {mb:5.1f} {seconds:8.2f} {peak:8.0f} {code:>4}  {first}", flush=True)
            failed |= traceback or code != 1 or peak > LIMIT_RSS_MB
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
