"""Reading the repository's files: component files and the files they name (`script:`, ...).

A reference must lead, after following every symlink, to a regular file
inside the repository and outside `.git/`, of at most MAX_FILE_BYTES. The
file is examined with stat before it is opened, so a FIFO never blocks the
load and /dev/zero is never read; it is then opened without blocking and
checked again, so a file swapped for a FIFO in between cannot block either.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MAX_FILE_BYTES = 1_000_000
# Component files: a 10 MB value must still reach the schema to be reported at its field.
MAX_COMPONENT_BYTES = 16_000_000


@dataclass(frozen=True)
class RepoFile:
    """A file's text, or why it cannot be used (`missing` when it simply does not exist)."""

    text: str = ""
    problem: str = ""
    missing: bool = False


class RealPaths:
    """`os.path.realpath`, each folder resolved once: a load resolves 1000 files of one folder.

    realpath resolves a path a component at a time, from the left, with an lstat each
    (four a file under /tmp/x/components); the real path of `folder/name` is the real
    folder joined with `name` unless that is a symlink, which realpath then follows.
    Kept for one load only: folders are not watched for change.
    """

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def __call__(self, path: str | os.PathLike[str]) -> str:
        folder, name = os.path.split(os.fspath(path))
        if name in ("", os.curdir, os.pardir):
            return os.path.realpath(path)
        real_folder = self._folders.get(folder)
        if real_folder is None:
            real_folder = self._folders[folder] = os.path.realpath(folder or os.curdir)
        joined = os.path.join(real_folder, name)
        try:
            link = stat.S_ISLNK(os.lstat(joined).st_mode)
        except OSError:
            link = False  # realpath too goes on with a name that is not there
        return os.path.realpath(path) if link else joined


def read_repo_file(
    root: Path,
    relative: Path | str,
    limit: int = MAX_FILE_BYTES,
    realpath: Callable[[str | os.PathLike[str]], str] = os.path.realpath,
) -> RepoFile:
    """The text of `root / relative`, or the reason it is refused."""
    try:
        real_root = realpath(root)
        real = realpath(os.path.join(root, relative))
    except OSError as exc:  # e.g. a symlink loop on some systems
        return RepoFile(problem=_os_problem(exc))
    inside = os.path.relpath(real, real_root)
    if inside == os.pardir or inside.startswith(os.pardir + os.sep) or os.path.isabs(inside):
        return RepoFile(problem=f"leads outside the repository (to {real})")
    if ".git" in inside.split(os.sep):
        return RepoFile(problem="is inside .git/, which is git's, not a source file")
    return read_regular_file(real, limit)


def read_in_repository(
    root: Path,
    path: Path,
    limit: int = MAX_FILE_BYTES,
    realpath: Callable[[str | os.PathLike[str]], str] = os.path.realpath,
) -> RepoFile:
    """The text of `path` (named from the working folder, or absolute) under the rules of a
    reference: the repository's own files (component files, jobgen.yaml, templates,
    `_defaults.yaml`, scenarios) are read only when they lead inside it too, so a
    component file linked to a file elsewhere on the machine is refused, never shown."""
    return read_repo_file(root, os.path.abspath(path), limit, realpath)


def read_regular_file(path: Path | str, limit: int) -> RepoFile:
    """The UTF-8 text of a regular file of at most `limit` bytes, or the reason it is refused."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return RepoFile(problem="does not exist", missing=True)
    except OSError as exc:
        return RepoFile(problem=_os_problem(exc))
    problem = _not_regular(info.st_mode) or _too_big(info.st_size, limit)
    if problem:
        return RepoFile(problem=problem)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return RepoFile(problem=_os_problem(exc))
    with os.fdopen(fd, "rb") as file:
        opened = os.fstat(file.fileno())
        problem = _not_regular(opened.st_mode) or _too_big(opened.st_size, limit)
        data = b"" if problem else _read_at_most(file, opened.st_size + 1, limit + 1)
    problem = problem or _too_big(len(data), limit)
    if problem:
        return RepoFile(problem=problem)
    try:
        return RepoFile(text=data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return RepoFile(problem=f"is not UTF-8 text ({exc.reason} at byte {exc.start})")


def _read_at_most(file: BinaryIO, expected: int, most: int) -> bytes:
    """`file.read(most)`, without making room for `most` bytes first: read(16 MB) allocates
    16 MB and gives back the rest, the most of a small file's read (17 ms a 1000 files).
    `expected` bytes (its size as stat saw it, and one more) are read first; a file that
    gave that many, because it grew or says no size (/proc), is read on to `most`."""
    first = min(expected, most)
    data = file.read(first)
    if len(data) == first < most:
        data += file.read(most - first)
    return data


def _not_regular(mode: int) -> str:
    if stat.S_ISREG(mode):
        return ""
    kinds = {
        stat.S_ISDIR: "a directory",
        stat.S_ISFIFO: "a FIFO (named pipe)",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISSOCK: "a socket",
    }
    kind = next((name for test, name in kinds.items() if test(mode)), "not a file")
    return f"is {kind}, not a regular file"


def _too_big(size: int, limit: int) -> str:
    return f"is {size:,} bytes, over the limit of {limit:,}" if size > limit else ""


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "has a name too long for the file system (File name too long)"
    if exc.errno == errno.ELOOP:
        return "is a loop of symlinks"
    return f"cannot be read: {exc.strerror or exc}"
