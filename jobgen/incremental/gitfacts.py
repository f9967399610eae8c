"""The git facts versions come from, as one string: equal strings mean equal versions.

Versions are computed from `git log HEAD` and `git status` (jobgen/version/history.py).
Given the same files on disk, they are fixed by: the HEAD commit (its history is
immutable), whether the clone is shallow, where the jobs repository sits in the
work tree, and the status of the paths below it. Two git calls, no history walk.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from jobgen.git_cli import GitFailed, Started


def git_facts(root: Path, output: Path, cache: Path) -> str | None:
    """The facts for the jobs repository at `root`, or None when git cannot say.

    The build folder `output` and the `cache` folder are left out of the status:
    they hold no input, and untracked they change with every compile.
    """
    return GitFacts(root, output, cache).result()


class GitFacts:
    """`git_facts`, its two git calls started at once and read when `result` is asked.

    A compile takes them before it reads the history its versions come from, and reads
    them at its end: taken after, a commit made meanwhile would be recorded as the one
    the versions came from. Both git processes run beside the compile meanwhile.
    """

    def __init__(self, root: Path, output: Path, cache: Path) -> None:
        self.root = root
        pathspec = ["--", ".", *_exclude(root, output, cache)]
        try:
            self._calls: tuple[Started, Started] | None = (
                Started(root, "rev-parse", "--show-prefix", "--is-shallow-repository", "HEAD"),
                Started(root, "status", "--porcelain", "-z", "--untracked-files=all", *pathspec),
            )
        except OSError:  # no git
            self._calls = None

    @functools.cached_property
    def _facts(self) -> str | None:
        if self._calls is None:
            return None
        try:
            parsed, status = (call.output() for call in self._calls)
        except GitFailed:
            return None
        return f"{self.root.resolve()}\0{parsed}\0{status}"

    def result(self) -> str | None:
        """The facts (read once, however often asked), or None when git cannot say."""
        return self._facts


def _exclude(root: Path, *folders: Path) -> list[str]:
    """A pathspec leaving out each of `folders` that sits below `root`."""
    spec = []
    for folder in folders:
        relative = os.path.relpath(folder.resolve(), root.resolve())
        if relative != "." and not relative.startswith(".."):
            spec.append(f":(exclude,literal){relative}")
    return spec
