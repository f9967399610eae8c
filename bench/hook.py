"""How long does the pre-commit hook make a commit wait? Target: under a second for 100 components.

Usage: .venv/bin/python -m bench.hook [N] [--runs R]   (from the project root)

Makes a committed synthetic jobs repository of N components (bench/synthetic.py)
with the example's QA chain in jobgen.yaml, installs the hook with
`jobgen install-hook`, then prints the wall time (best, median, worst of R runs)
of: the hook script alone, as git runs it; and a whole `git commit` of a
one-line component change with the hook, against the same commit with
`--no-verify` (what the hook adds), and, when the pre-commit package is
installed, the same commit through the framework running `jobgen-validate`
from `.pre-commit-hooks.yaml`. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from bench.synthetic import make_repo

PROJECT = Path(__file__).resolve().parent.parent
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]


def _times(action: Callable[[], object], runs: int) -> list[float]:
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        found.append(time.perf_counter() - start)
    return found


def _line(label: str, times: list[float]) -> str:
    best, median, worst = min(times), statistics.median(times), max(times)
    return f"{label:<36} best {best:6.3f} s   median {median:6.3f} s   worst {worst:6.3f} s"


def _commit(root: Path, counter: list[int], verify: bool) -> None:
    counter[0] += 1
    component = root / "components" / "svc-0.yaml"
    text = component.read_text().splitlines()
    text[1] = f"description: Synthetic service 0, edit {counter[0]}"
    component.write_text("\n".join(text) + "\n")
    subprocess.run([*GIT, "-C", str(root), "add", "components"], check=True)
    flags = [] if verify else ["--no-verify"]
    command = [*GIT, "-C", str(root), "commit", "-q", "-m", f"edit {counter[0]}", *flags]
    subprocess.run(command, check=True, capture_output=True)


def _use_pre_commit(root: Path) -> dict[str, str] | None:
    """Replace the hook by the pre-commit framework's, running this repository's manifest."""
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        return None
    (hook,) = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    local = {**hook, "language": "system", "entry": f"{sys.executable} -m jobgen validate"}
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    subprocess.run([*GIT, "-C", str(root), "add", ".pre-commit-config.yaml"], check=True)
    subprocess.run([*GIT, "-C", str(root), "commit", "-qm", "hooks", "--no-verify"], check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(root.parent / "pre-commit-home")}
    command = [str(pre_commit), "install", "--overwrite"]
    subprocess.run(command, cwd=root, check=True, capture_output=True, env=env)
    return env


def main() -> None:
    """Build the repository, install the hook, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=100)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_repo(root, args.count)
        (root / "jobgen.yaml").write_text((PROJECT / "jobgen.yaml").read_text())
        subprocess.run([*GIT, "-C", str(root), "commit", "-qam", "QA chain"], check=True)
        install = [sys.executable, "-m", "jobgen", "install-hook"]
        subprocess.run(install, cwd=root, check=True, capture_output=True)
        hook = root / ".git" / "hooks" / "pre-commit"
        result = subprocess.run([str(hook)], cwd=root, capture_output=True, text=True)
        print(f"{args.count} components, hook exit {result.returncode}: {result.stdout.strip()}")
        print(f"python {sys.version.split()[0]}, {args.runs} runs each")

        def run_hook() -> None:
            subprocess.run([str(hook)], cwd=root, check=True, capture_output=True)

        print(_line("hook alone (jobgen validate)", _times(run_hook, args.runs)))
        counter = [0]
        with_hook = _times(lambda: _commit(root, counter, verify=True), args.runs)
        without = _times(lambda: _commit(root, counter, verify=False), args.runs)
        print(_line("git commit with the hook", with_hook))
        print(_line("git commit --no-verify", without))
        env = _use_pre_commit(root)
        if env is not None:
            os.environ.update(env)
            framework = _times(lambda: _commit(root, counter, verify=True), args.runs)
            print(_line("git commit, pre-commit framework", framework))


if __name__ == "__main__":
    main()
