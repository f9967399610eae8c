"""What `compile -o DIR` may touch: only files inside DIR that jobgen wrote itself.

DIR is refused when it is the working folder or one of its parents, when it
holds a file jobgen did not write, or when anything inside it is a symlink
(a write or delete through it would land elsewhere). Files written are
recorded in `.jobgen-written` before they are written, so after a crash
midway the next compile still knows them, and only recorded files are ever
deleted. Every path is checked component by component (lstat, or an open
relative to the folder above that refuses a symlink: `Folders`): no symlink is
followed below DIR.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import weakref
from collections.abc import Collection, Iterable
from pathlib import Path

from jobgen.output.jsontext import quoted

OWNED = ".jobgen-written"
_SHOWN = 5


class OutputRefused(Exception):
    """The output folder is not one jobgen may write into; the message says why."""


def owned_files(output: Path, in_manifest: Iterable[object]) -> set[str]:
    """Every file jobgen recorded writing into `output`, and those its last manifest lists
    (`in_manifest`: a folder written before the record existed)."""
    return _listed(output / OWNED, "written") | _plain(in_manifest)


def _listed(path: Path, key: str) -> set[str]:
    try:
        data = json.loads(read_plain(path))
    except (OSError, ValueError):
        return set()
    listed = data.get(key) if isinstance(data, dict) else None
    return _plain(listed) if isinstance(listed, dict | list) else set()


def _plain(paths: Iterable[object]) -> set[str]:
    return {p for p in paths if isinstance(p, str) and _is_plain_relative(p)}


def check_output(
    output: Path, owned: set[str], own_names: Iterable[str], trusted: Iterable[str] = ()
) -> None:
    """Raise OutputRefused unless `output` is jobgen's to write into.

    Folders named in `trusted` (relative to `output`) are not scanned: the caller has
    found them exactly as a compile that passed this check left them.
    """
    real = Path(os.path.realpath(output))
    cwd = Path.cwd().resolve()
    if real == cwd or real in cwd.parents:
        raise OutputRefused(
            f"{output} is the working folder or one of its parents; "
            "name a folder of its own, e.g. -o build"
        )
    if not os.path.lexists(output):
        return
    if not output.is_dir():
        raise OutputRefused(f"{output} exists and is not a folder")
    allowed = owned | set(own_names)
    foreign: list[str] = []
    links: list[str] = []
    _scan(os.fspath(output), "", allowed, foreign, links, {f"{t}/" for t in trusted})
    if links:
        raise OutputRefused(
            f"{output} holds symlinks jobgen will not write through: {_some(links)}"
        )
    if foreign:
        raise OutputRefused(
            f"{output} holds files jobgen did not write: {_some(foreign)}; "
            "name an empty or new folder, or one jobgen compiled into before"
        )


def _scan(
    folder: str,
    prefix: str,
    allowed: set[str],
    foreign: list[str],
    links: list[str],
    trusted: Collection[str] = (),
) -> None:
    """Sort `folder`'s entries into symlinks and files not in `allowed`, never following a link.

    os.scandir reports each entry's type from the listing itself: one system call a
    folder instead of an lstat an entry (23,000 files in a build folder).
    """
    with os.scandir(folder) as entries:
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_symlink():
                links.append(relative)
            elif entry.is_dir(follow_symlinks=False):
                if relative + "/" not in trusted:
                    _scan(entry.path, relative + "/", allowed, foreign, links, trusted)
            elif relative not in allowed:
                foreign.append(relative)


def record_owned(output: Path, paths: Iterable[str]) -> None:
    """Record `paths` as jobgen's before writing them, in no particular order.

    This record only has to name every file a compile may leave (owned_files reads it
    as a set); the compile's end writes it again, sorted, as exactly the files its
    manifest lists (record_quoted). Not sorting 26,000 paths here spares the parent,
    alone before any render, about 15 ms.
    """
    record_quoted(output, [quoted(path) for path in paths])


def record_quoted(output: Path, listed: list[str]) -> None:
    """Record as jobgen's the paths whose JSON strings (jsontext.quoted) are `listed`, in
    the order of the paths: a caller that holds them quoted does not quote 26,000 again."""
    write_file(output, OWNED, _record_text(listed).encode("utf-8"))


def recorded_exactly(output: Path, listed: list[str]) -> bool:
    """True when the record of `output` is what record_quoted(output, listed) writes."""
    try:
        return read_plain(output / OWNED) == _record_text(listed)
    except (OSError, ValueError):
        return False


def _record_text(listed: list[str]) -> str:
    # One path a line, as json.dumps(indent=0) writes it, without its pure-Python encoder.
    if not listed:
        return '{\n"written": []\n}\n'
    return '{\n"written": [\n' + ",\n".join(listed) + "\n]\n}\n"


def write_file(
    output: Path, relative: str, data: bytes, checked: set[str] | None = None
) -> tuple[int, int]:
    """Write `output/relative`, creating folders, never following a symlink below `output`;
    the file's size and mtime (ns) once written.

    `checked` holds folders this run already made or found to be real folders, so a
    build of 23,000 files checks each folder once, not once a file.
    """
    target = _inside(output, relative, checked)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
    fd = os.open(target, flags, 0o644)
    try:  # the descriptor itself, not a buffered file object around it: 26,000 files a build
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        # The render cache trusts a file that kept these (jobgen/incremental/rendered.py):
        # taken from the descriptor now, not by a second pass over 26,000 paths later.
        written = os.fstat(fd)
    finally:
        os.close(fd)
    return written.st_size, written.st_mtime_ns


_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
# A folder's descriptor only names where files go: on Linux O_PATH, which reads nothing
# (the compile's read recording leaves such opens out: incremental/reads.py).
_NAMES = getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY
_FOLDER = _NAMES | os.O_NOFOLLOW
_HELD = 64  # folders whose descriptors are kept open at once (a build's jobs come folder by folder)


class Folders:
    """Writes files below `output` through a descriptor of each folder, held once opened.

    Each folder is opened relative to the one above it, never following a symlink
    (O_NOFOLLOW), and made when absent; a file is then opened relative to its folder.
    The kernel walks one name a file instead of the whole path (26,000 files a build),
    and there is no second check of a folder: a descriptor stays on the folder jobgen
    made or found real, so a symlink put in its place later is never written through.
    """

    def __init__(self, output: Path) -> None:
        self._output = os.fspath(output)
        # The output folder itself may be reached through a symlink (checked by check_output).
        self._top = os.open(self._output, _NAMES)
        self._held: dict[str, int] = {}  # folder (below output, its parts joined by /) -> fd
        self._made: set[str] = set()  # folders made or found, open or not: none made again
        # Closed when this is freed (a writer dropped midway by an error), or by `close`.
        self._closing = weakref.finalize(self, _close_all, self._held, self._top)

    def write_each(
        self, files: Iterable[tuple[str, bytes]], signatures: dict[str, tuple[int, int]]
    ) -> None:
        """Write each `(relative path, bytes)`, creating folders; put each file's size and
        mtime (ns), taken from its descriptor once written, in `signatures` by path."""
        held = self._held
        opened, write, fstat, close = os.open, os.write, os.fstat, os.close  # 26,000 files
        for path, data in files:
            folder, _, name = path.rpartition("/")
            at = held.get(folder)
            # A held folder was checked whole (a file right in the output folder has none held);
            # a name of its own is plain: no dot first, no NUL.
            if at is None or not name or name[0] == "." or "\0" in name:
                at, name = self._folder_of(path)
            fd = opened(name, _FLAGS, 0o644, dir_fd=at)
            try:  # the descriptor itself, not a buffered file object around it
                done = write(fd, data)
                if done < len(data):
                    _write_rest(fd, data, done)
                # The render cache trusts a file that kept these (incremental/rendered.py):
                # taken from the descriptor now, not by a second pass over the paths later.
                found = fstat(fd)
            finally:
                close(fd)
            signatures[path] = (found.st_size, found.st_mtime_ns)

    def close(self) -> None:
        """Close every folder's descriptor; this writes nothing more."""
        self._closing()

    def _folder_of(self, relative: str) -> tuple[int, str]:
        """The descriptor of `relative`'s folder, each folder down to it opened (and made)
        without following a symlink, and the file's name in it."""
        if not _is_plain_relative(relative):
            raise OutputRefused(f"{relative!r} is not a path inside {self._output}")
        *folders, name = [part for part in relative.split("/") if part not in ("", ".")]
        held = self._held
        if len(held) > _HELD:
            _close_all(held)
        at, folder = self._top, ""
        for part in folders:
            folder = f"{folder}/{part}" if folder else part
            found = held.get(folder)
            if found is None:
                found = _opened(at, part, self._output, folder, folder not in self._made)
                self._made.add(folder)
            at = held[folder] = found
        return at, name


def _opened(at: int, part: str, top: str, folder: str, make: bool) -> int:
    """The descriptor of folder `part` in the folder `at` (`folder` below `top`), made when
    absent if `make`; OutputRefused when it is a symlink or not a folder."""
    if make:
        with contextlib.suppress(FileExistsError):
            os.mkdir(part, dir_fd=at)
    try:
        return os.open(part, _FOLDER, dir_fd=at)
    except OSError:
        mode = os.lstat(part, dir_fd=at).st_mode
        shown = os.path.join(top, folder)
        if stat.S_ISLNK(mode):
            raise OutputRefused(f"{shown} is a symlink; jobgen does not write through it") from None
        if not stat.S_ISDIR(mode):
            raise OutputRefused(f"{shown} is not a folder (a symlink?)") from None
        raise


def _write_rest(fd: int, data: bytes, done: int) -> None:
    """Write what a short write left of `data` after its first `done` bytes."""
    view = memoryview(data)[done:]
    while view:
        view = view[os.write(fd, view) :]


def _close_all(held: dict[str, int], top: int | None = None) -> None:
    """Close the descriptors `held` (and `top`, the output folder's)."""
    fds = [*held.values(), *(() if top is None else (top,))]
    held.clear()
    for fd in fds:
        os.close(fd)


def remove_file(output: Path, relative: str, checked: set[str] | None = None) -> bool:
    """Delete `output/relative` when it is a plain file, then its folders left empty."""
    target = _inside(output, relative, checked, create=False)
    try:
        if not stat.S_ISREG(os.lstat(target).st_mode):
            return False
        os.unlink(target)
    except FileNotFoundError:
        return False
    folder = os.path.dirname(target)
    top = os.fspath(output)
    while folder != top and folder.startswith(top + os.sep):
        try:
            os.rmdir(folder)
        except OSError:
            break  # not empty: other files live there
        if checked is not None:
            checked.discard(folder)
        folder = os.path.dirname(folder)
    return True


def _inside(
    output: Path, relative: str, checked: set[str] | None = None, create: bool = True
) -> str:
    """`output/relative` once every folder between them is a real folder (made when `create`)."""
    simple = _is_simple(relative)
    if not simple and not _plain_parts(relative):
        raise OutputRefused(f"{relative!r} is not a path inside {output}")
    checked = set() if checked is None else checked
    top = os.fspath(output)
    above = relative.rpartition("/")[0]
    if simple and above:
        # Plain parts only: the loop below would join its folder as `top/above`, and a
        # folder in `checked` had each folder above it checked first. Most files of a build
        # land in a folder already checked: no join, no split (26,000 a build).
        base = top if top.endswith("/") else top + "/"  # os.path.join's own rule
        if base + above in checked:
            return base + relative
    folder = top
    *folders, name = [part for part in relative.split("/") if part not in ("", ".")]
    for parent in folders:
        folder = os.path.join(folder, parent)
        if folder in checked:
            continue
        try:
            if create:
                os.mkdir(folder)
                checked.add(folder)
                continue
        except FileExistsError:
            pass
        try:
            mode = os.lstat(folder).st_mode
        except FileNotFoundError:
            break  # nothing below it to remove
        if stat.S_ISLNK(mode):
            raise OutputRefused(f"{folder} is a symlink; jobgen does not write through it")
        if not stat.S_ISDIR(mode):
            raise OutputRefused(f"{folder} is not a folder (a symlink?)")
        checked.add(folder)
    return os.path.join(os.fspath(output), *folders, name)


def _is_simple(path: str) -> bool:
    # A path with no part starting with a dot, no empty part and no NUL, that does not
    # start with a slash, is plain: every path jobgen writes (52,000 a build), told apart
    # with a few scans instead of a split.
    if not path or path[0] in "/." or path[-1] == "/":
        return False
    return "/." not in path and "//" not in path and "\0" not in path


def _is_plain_relative(path: str) -> bool:
    return _is_simple(path) or _plain_parts(path)


def _plain_parts(path: str) -> bool:
    # PurePosixPath(path).parts, without building one object per path.
    parts = [part for part in path.split("/") if part not in ("", ".")]
    return bool(parts) and not path.startswith("/") and ".." not in parts and "\0" not in path


def read_plain(path: Path) -> str:
    """The text of `path`, a regular file reached without following a symlink."""
    if not stat.S_ISREG(os.lstat(path).st_mode):
        raise OSError("not a plain file")
    return path.read_text(encoding="utf-8")


def _some(paths: list[str]) -> str:
    more = f" and {len(paths) - _SHOWN} more" if len(paths) > _SHOWN else ""
    return ", ".join(sorted(paths)[:_SHOWN]) + more
