"""What a compile read: every file opened, path probed and folder listed, recorded as it runs.

The record is taken from the interpreter itself (the `open`, `os.listdir` and
`os.scandir` audit events, and `os.stat` for existence probes), not from a list
of inputs kept by hand: a file a new feature reads is an input by construction.
Python's own files, installed libraries and jobgen's package are left out here;
`environment()` covers them as a whole.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jobgen

PACKAGE = Path(jobgen.__file__).resolve().parent
_SKIPPED = tuple(
    {str(Path(p).resolve()) + os.sep for p in (sys.prefix, sys.base_prefix, PACKAGE)}
    | {"/dev/", "/proc/", "/sys/"}
)


@dataclass
class Reads:
    """Absolute paths, as the compile touched them."""

    opened: set[str] = field(default_factory=set)
    probed: set[str] = field(default_factory=set)
    listed: set[str] = field(default_factory=set)

    def add(self, kind: set[str], path: object) -> None:
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not isinstance(path, str | os.PathLike):
            return  # a file descriptor: its path was recorded when it was opened
        text = os.path.abspath(os.fspath(path))
        if not text.startswith(_SKIPPED) and not text.startswith(tuple(_private)):
            kind.add(text)


_active: list[Reads] = []
_private: set[str] = set()


def private(folder: Path) -> None:
    """Never record reads below `folder`: the caches' own files are not the compile's inputs."""
    _private.add(str(folder.resolve()) + os.sep)


_hooked = False


def _audit(event: str, args: tuple[object, ...]) -> None:
    if not _active:
        return
    # Every recording open at the time sees the read: a phase's record nests in the compile's.
    if event == "open":
        for reads in _active:
            reads.add(reads.opened, args[0])
    elif event in ("os.listdir", "os.scandir"):
        for reads in _active:
            reads.add(reads.listed, args[0] if args and args[0] is not None else ".")


@contextmanager
def recording() -> Iterator[Reads]:
    """Record this thread's reads until the block ends."""
    global _hooked
    if not _hooked:
        sys.addaudithook(_audit)  # a hook cannot be removed: it stays, idle when nothing records
        _hooked = True
    reads = Reads()
    real_stat = os.stat

    def stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        reads.add(reads.probed, path)
        return real_stat(path, *args, **kwargs)

    _active.append(reads)
    os.stat = stat
    try:
        yield reads
    finally:
        os.stat = real_stat
        _active.pop()


def file_digest(path: str) -> str:
    """A file's sha256; a folder's is that of its sorted names; '-' when absent."""
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except IsADirectoryError:
        return listing_digest(path)
    except OSError:
        return "-"


def listing_digest(path: str) -> str:
    """The sha256 of a folder's sorted entry names; '-' when it cannot be listed."""
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return "-"
    return hashlib.sha256("\0".join(names).encode()).hexdigest()


def kind(path: str) -> str:
    """What a probe saw: a file, a folder, something else or nothing."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "-"
    return "f" if mode & 0o170000 == 0o100000 else "d" if mode & 0o170000 == 0o040000 else "o"


def snapshot(reads: Reads) -> dict[str, dict[str, str]]:
    """The current state of everything recorded, to compare with a later run's."""
    return {
        "opened": {p: file_digest(p) for p in sorted(reads.opened)},
        "probed": {p: kind(p) for p in sorted(reads.probed)},
        "listed": {p: listing_digest(p) for p in sorted(reads.listed)},
    }


def unchanged(recorded: dict[str, dict[str, str]]) -> bool:
    """True when every recorded file, probe and listing is as it was."""
    checks = (("opened", file_digest), ("probed", kind), ("listed", listing_digest))
    for section, current in checks:
        entries = recorded.get(section)
        if not isinstance(entries, dict):
            return False
        for path, seen in entries.items():
            if current(path) != seen:
                return False
    return True


def environment() -> str:
    """jobgen's package files (code, templates, Groovy library) and the installed libraries.

    Every file of the package is hashed; libraries by the names of the installed
    distributions (their versions), Python by its version string.
    """
    digest = hashlib.sha256(sys.version.encode())
    for folder, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(folder, name)
            digest.update(path.encode() + b"\0" + file_digest(path).encode())
    for entry in sys.path:
        if entry and os.path.isdir(entry) and entry.endswith("-packages"):
            digest.update(listing_digest(entry).encode())
    return digest.hexdigest()
