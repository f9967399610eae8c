"""git, run as a command: the one way jobgen asks git anything.

Every question is a `git -C FOLDER ...` process whose output is read whole. Paths
git prints are bytes; they are decoded as the file system's names are
(`surrogateescape`), so a name that is not UTF-8 still maps to its file.
GitPython did this for the history until its import alone (40 ms, a tenth of a
one-change compile) outweighed what it offered: every call was a git process anyway.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitFailed(Exception):
    """git exited non-zero; `stderr` holds its own words about why."""

    def __init__(self, args: tuple[str, ...], code: int, stdout: str, stderr: str) -> None:
        super().__init__(f"git {' '.join(args[:1])} exited {code}: {stderr.strip()}")
        self.code = code
        self.stdout = stdout
        self.stderr = stderr


def run_git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`git -C folder args...`, whatever its exit code (OSError when git is missing)."""
    return subprocess.run(
        ["git", "-C", str(folder), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        check=False,
    )


class Started:
    """`git -C folder args...` started, not waited for: `output()` waits and reads it."""

    def __init__(self, folder: Path, *args: str) -> None:
        self._args = args
        self._process = subprocess.Popen(
            ["git", "-C", str(folder), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
        )

    def output(self) -> str:
        """What it printed; GitFailed when it exited non-zero."""
        stdout, stderr = self._process.communicate()
        if self._process.returncode != 0:
            raise GitFailed(self._args, self._process.returncode, stdout, stderr)
        return stdout


def git_answer(folder: Path, *args: str) -> str | None:
    """What `git -C folder args...` prints; None when it exits non-zero."""
    done = run_git(folder, *args)
    return done.stdout if done.returncode == 0 else None


def git_output(folder: Path, *args: str) -> str:
    """What `git -C folder args...` prints; GitFailed when it exits non-zero."""
    done = run_git(folder, *args)
    if done.returncode != 0:
        raise GitFailed(args, done.returncode, done.stdout, done.stderr)
    return done.stdout
