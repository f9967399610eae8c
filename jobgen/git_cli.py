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
    return Started(folder, *args).finished()


class Started:
    """`git -C folder args...` started, not waited for: `finished()` or `output()` waits
    and reads it (every git question goes through here: run_git is start-then-finish)."""

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

    def finished(self) -> subprocess.CompletedProcess[str]:
        """What it printed and how it exited, whatever its exit code."""
        process = self._process
        try:
            stdout, stderr = process.communicate()
        except BaseException:  # interrupted: as subprocess.run, no git left running
            process.kill()
            process.wait()
            raise
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)

    def output(self) -> str:
        """What it printed; GitFailed when it exited non-zero."""
        return _succeeded(self._args, self.finished())


def git_answer(folder: Path, *args: str) -> str | None:
    """What `git -C folder args...` prints; None when it exits non-zero."""
    done = run_git(folder, *args)
    return done.stdout if done.returncode == 0 else None


def git_output(folder: Path, *args: str) -> str:
    """What `git -C folder args...` prints; GitFailed when it exits non-zero."""
    return Started(folder, *args).output()


def _succeeded(args: tuple[str, ...], done: subprocess.CompletedProcess[str]) -> str:
    if done.returncode != 0:
        raise GitFailed(args, done.returncode, done.stdout, done.stderr)
    return str(done.stdout)
