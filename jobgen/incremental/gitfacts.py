"""The git facts versions come from, as one string: equal strings mean equal versions.

Versions are computed from `git log HEAD` and `git status` (jobgen/version/history.py).
Given the same files on disk, they are fixed by: the HEAD commit (its history is
immutable), whether the clone is shallow, where the jobs repository sits in the
work tree, and the status of the paths below it. Two git calls, no history walk.
"""

from __future__ import annotations

import os
from pathlib import Path

from jobgen.git_cli import GitFailed, git_output


def git_facts(root: Path, output: Path, cache: Path) -> str | None:
    """The facts for the jobs repository at `root`, or None when git cannot say.

    The build folder `output` and the `cache` folder are left out of the status:
    they hold no input, and untracked they change with every compile.
    """
    pathspec = [".", *_exclude(root, output, cache)]
    try:
        parsed = git_output(root, "rev-parse", "--show-prefix", "--is-shallow-repository", "HEAD")
        status = git_output(
            root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *pathspec
        )
    except (OSError, GitFailed):
        return None
    return f"{root.resolve()}\0{parsed}\0{status}"


def _exclude(root: Path, *folders: Path) -> list[str]:
    """A pathspec leaving out each of `folders` that sits below `root`."""
    spec = []
    for folder in folders:
        relative = os.path.relpath(folder.resolve(), root.resolve())
        if relative != "." and not relative.startswith(".."):
            spec.append(f":(exclude,literal){relative}")
    return spec
