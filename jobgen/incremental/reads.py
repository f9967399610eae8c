"""What a compile read: every file opened, path probed and folder listed, recorded as it runs.

The record is taken from the interpreter itself (the `open`, `os.listdir` and
`os.scandir` audit events, and `os.stat` for existence probes), not from a list
of inputs kept by hand: a file a new feature reads is an input by construction.
Python's own files, installed libraries and jobgen's package are left out here;
`environment()` covers them as a whole.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
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
# Devices are no input, but /dev/shm is a folder of files like any other (a tmpfs).
_SHARED_MEMORY = "/dev/shm/"


@dataclass
class Reads:
    """Absolute paths, as the compile touched them, each with what it saw at that moment.

    A file's digest is taken when the compile opens it, a folder's listing when
    the compile lists it, a probe's answer from the probe itself: comparing them
    with the state after the compile shows whether anything changed while it ran.
    """

    opened: dict[str, str] = field(default_factory=dict)
    probed: dict[str, str] = field(default_factory=dict)
    listed: dict[str, str] = field(default_factory=dict)

    def add(self, section: dict[str, str], path: object, seen: Callable[[str], str]) -> None:
        text = _tracked(path)
        if text is not None and text not in section:
            section[text] = seen(text)


def _tracked(path: object) -> str | None:
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str | os.PathLike):
        return None  # a file descriptor: its path was recorded when it was opened
    text = os.path.abspath(os.fspath(path))
    if text.startswith(_SKIPPED) and not text.startswith(_SHARED_MEMORY):
        return None
    if text.startswith(tuple(_private)) or text + os.sep in _private:
        return None
    if TEMPLATE_CACHE in text and _in_template_cache(text):
        return None  # compiled templates: keyed by their sources, which environment() hashes
    return text


# Jinja's per-user folder of compiled templates in the temp dir (jinja2/bccache.py,
# FileSystemBytecodeCache._get_default_cache_dir): `_jinja2-cache-<uid>`.
TEMPLATE_CACHE = "_jinja2-cache-"


def _in_template_cache(path: str) -> bool:
    """The folder itself (Jinja opens it) or a file in it."""
    folder, name = os.path.split(path)
    return name.startswith(TEMPLATE_CACHE) or os.path.basename(folder).startswith(TEMPLATE_CACHE)


_active: list[Reads] = []
_private: set[str] = set()
_busy = False  # the hook's own reads are not the compile's


def private(folder: Path) -> None:
    """Never record reads of `folder` or below it: the caches' own files and the build folder
    the compile writes are not its inputs."""
    _private.add(str(folder.resolve()) + os.sep)


_hooked = False


def _audit(event: str, args: tuple[object, ...]) -> None:
    global _busy
    if not _active or _busy or event not in ("open", "os.listdir", "os.scandir"):
        return
    if event == "open" and _reads_nothing(args):
        return  # a build's 26,000 files, each looked at once a recording open, for nothing
    _busy = True
    try:
        # Every recording open at the time sees the read: a phase's record nests in the compile's.
        for reads in _active:
            if event == "open":
                reads.add(reads.opened, args[0], file_digest)
            else:
                where = args[0] if args and args[0] is not None else "."
                reads.add(reads.listed, where, listing_digest)
    finally:
        _busy = False


# An open that writes and creates unless present, never exclusively: it reads nothing, and
# does the same whether or not the file was there. Its flags: os.open's own, or those
# open() computed from its mode (both audit events carry them: path, mode, flags).
_ACCESS = os.O_ACCMODE | os.O_CREAT | os.O_EXCL
_WRITES = os.O_WRONLY | os.O_CREAT
# Linux's O_PATH: a descriptor that only names a place, which can neither read nor list it
# (open(2)). The build writer opens the build's folders so (output/guard.py: Folders),
# relative to one another: the audit event has no dir_fd, so the name would be taken as
# one in the working folder, and a folder of that name there read as an input.
_PATH = getattr(os, "O_PATH", 0)


def _reads_nothing(args: tuple[object, ...]) -> bool:
    flags = args[2] if len(args) > 2 else None
    return isinstance(flags, int) and (flags & _ACCESS == _WRITES or bool(flags & _PATH))


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
        try:
            result = real_stat(path, *args, **kwargs)
        except OSError:
            reads.add(reads.probed, path, lambda _: "-")
            raise
        reads.add(reads.probed, path, lambda _: _kind(result.st_mode))
        return result

    _active.append(reads)
    os.stat = stat
    try:
        yield reads
    finally:
        os.stat = real_stat
        _active.pop()


def absorb(other: Reads) -> None:
    """Add what another process read (a forked renderer) to every recording open here."""
    for reads in _active:
        for mine, theirs in (
            (reads.opened, other.opened),
            (reads.probed, other.probed),
            (reads.listed, other.listed),
        ):
            for path, seen in theirs.items():
                mine.setdefault(path, seen)


def file_digest(path: str) -> str:
    """A file's sha256; a folder's is that of its sorted names; '-' when absent."""
    known = _digests.get(path)
    if known is not None and not _active:
        # A file hashed before is looked at, not opened (and closed): the compile record
        # checks its 1000 inputs at the end, alone in the parent (open and fstat cost 3
        # stats). Only while nothing records: a recording takes the open as a read of an
        # input (a cache checking its inputs), which a stat is not (`_audit`).
        try:
            found = _STAT(path)
        except OSError:
            return "-"
        if known[0] == _state(found):
            return known[1]
    try:
        with open(path, "rb") as file:
            found = os.fstat(file.fileno())
            state = _state(found)
            if known is not None and known[0] == state:
                return known[1]
            digest = hashlib.file_digest(file, "sha256").hexdigest()
            if found.st_mtime_ns < time.time_ns() - RACY_NS:
                _digests[path] = (state, digest)
            return digest
    except IsADirectoryError:
        return listing_digest(path)
    except OSError:
        return "-"


# Digests this process took, by path, with the file's inode, size, mtime and mode then: a compile
# checks its 1000 inputs two or three times (the last compile's record, the load cache, the
# new record); a file is read again only when one of those moved. A file modified within
# the clock's tick of being hashed could keep all three, so it is never remembered (RACY_NS).
_digests: dict[str, tuple[tuple[int, int, int, int], str]] = {}  # (inode, size, mtime, mode)
_Remembered = list[tuple[str, tuple[tuple[int, int, int, int], str]]]
_STAT = os.stat  # never the recording's (`recording`)


def _state(found: os.stat_result) -> tuple[int, int, int, int]:
    """What must not have moved for a remembered digest to hold (`_digests`)."""
    return found.st_ino, found.st_size, found.st_mtime_ns, found.st_mode


def digests_mark() -> int:
    """How many digests this process remembers: `digests_since` takes those after."""
    return len(_digests)


def digests_since(mark: int) -> _Remembered:
    """The digests remembered since `mark` (a forked child's, handed to its parent)."""
    return list(itertools.islice(_digests.items(), mark, None))


def remember(digests: _Remembered) -> None:
    """Take digests another process remembered: the compile record checks every input
    again at its end, in the parent, and the load read half of them in a child."""
    for path, known in digests:
        _digests.setdefault(path, known)


def listing_digest(path: str) -> str:
    """The sha256 of a folder's sorted entry names; '-' when it cannot be listed."""
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return "-"
    # As the file system gives them: a name that is not UTF-8 is hashed as its bytes.
    return hashlib.sha256("\0".join(names).encode(errors="surrogateescape")).hexdigest()


def kind(path: str) -> str:
    """What a probe sees: a file, a folder, something else or nothing."""
    try:
        return _kind(os.stat(path).st_mode)
    except OSError:
        return "-"


def _kind(mode: int) -> str:
    return "f" if mode & 0o170000 == 0o100000 else "d" if mode & 0o170000 == 0o040000 else "o"


def snapshot(reads: Reads) -> dict[str, dict[str, str]]:
    """What the compile saw of everything it read, to compare with a later state."""
    return {
        "opened": dict(sorted(reads.opened.items())),
        "probed": dict(sorted(reads.probed.items())),
        "listed": dict(sorted(reads.listed.items())),
    }


def merged(
    older: Mapping[str, Mapping[str, str]], newer: Mapping[str, Mapping[str, str]]
) -> dict[str, dict[str, str]]:
    """Two snapshots as one: what `newer` saw of a path wins over what `older` saw."""
    return {
        section: {**older.get(section, {}), **newer.get(section, {})}
        for section in ("opened", "probed", "listed")
    }


_CHECKS = (("opened", file_digest), ("probed", kind), ("listed", listing_digest))
# A file whose mtime is this close to a record's may have changed within the same clock
# tick without its mtime moving (git's "racy" rule): it is read, not trusted by its stat.
RACY_NS = 100_000_000  # well above a coarse file system clock's tick


def unchanged(recorded: dict[str, dict[str, str]]) -> bool:
    """True when every recorded file, probe and listing is as it was."""
    return changed(recorded) == []


def changed(recorded: dict[str, dict[str, str]]) -> list[tuple[str, str]] | None:
    """Every recorded (section, path) that is no longer as it was; None for a malformed record."""
    found = []
    for section, current in _CHECKS:
        entries = recorded.get(section)
        if not isinstance(entries, dict):
            return None
        found += [(section, path) for path, seen in entries.items() if current(path) != seen]
    return found


@functools.cache
def environment() -> str:
    """jobgen's package files (code, templates, Groovy library) and the installed libraries.

    Every file of the package is hashed; libraries by the names of the installed
    distributions (their versions), Python by its version string. Once a process: the
    code running cannot change under it, and the caches of a compile ask two or three times.
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
