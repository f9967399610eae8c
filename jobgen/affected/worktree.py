"""A revision of the jobs repository checked out beside it, for compiling as it was."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jobgen.git_cli import run_git


class RevisionError(Exception):
    """The revision does not exist or cannot be checked out; the message says which."""


@contextmanager
def checked_out(root: Path, revision: str) -> Iterator[Path]:
    """A detached worktree of `revision` (its history included), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="jobgen-rev-") as tmp:
        path = Path(tmp) / "tree"
        _git(root, "worktree", "add", "--quiet", "--detach", str(path), revision)
        try:
            yield path
        finally:
            _git(root, "worktree", "remove", "--force", str(path))


def resolve(root: Path, revision: str) -> str:
    """The full commit hash `revision` names."""
    return _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").strip()


def _git(root: Path, *args: str) -> str:
    result = run_git(root, *args)
    if result.returncode != 0:
        detail = result.stderr.strip() or f"git {args[0]} failed"
        raise RevisionError(f"{' '.join(args[:1])} {args[-1]}: {detail}")
    return result.stdout
