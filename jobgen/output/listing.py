"""A folder of the build as the compile record sees it: one line an entry, hashed.

The record of a compile (jobgen/incremental/replay.py) keeps a digest of each folder
below jobs/: the names and kinds of its entries, and each file's size and mtime. It is
taken from the folder itself, or from what the build writer wrote there
(build_dir.py): both list it in these lines, so that the digests are equal exactly
when the folder holds what was written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping


def file_entry(name: str, size: int, mtime_ns: int, kind: str = "f") -> str:
    """A file's line (`kind` "l" for a symlink)."""
    return f"{kind} {name} {size} {mtime_ns}\0"


def folder_entry(name: str) -> str:
    """A folder's line in the listing of the folder that holds it."""
    return f"d {name}\0"


def listing_digest(lines: list[str]) -> str:
    """The digest of a folder whose entries are `lines` (in any order: sorted here)."""
    # One line per entry, sorted as text and hashed once: a hash update per entry, and
    # sorting the entries by a key, were half the cost of looking at 26,000 files.
    lines.sort()  # in the listing's order, which a folder made again may change
    return hashlib.sha256("".join(lines).encode(errors="surrogateescape")).hexdigest()


Listed = dict[str, list[str]]  # folder (a path in the build folder) -> its entries' lines


def listed_lines(
    files: Iterable[tuple[str, str]], signatures: Mapping[str, tuple[int, int]], since: int
) -> tuple[Listed | None, list[tuple[int, str, str]]]:
    """The lines of `files` (path, sha256) by folder, with the size and mtime `signatures`
    gives each, and (mtime, path, sha256) of those modified at `since` or later; no lines
    when a file's size and mtime are not in `signatures`."""
    listed: Listed = {}
    recent: list[tuple[int, str, str]] = []
    for path, sha in files:
        found = signatures.get(path)
        if found is None:
            return None, []
        folder, _, name = path.rpartition("/")
        lines = listed.get(folder)
        if lines is None:
            lines = listed[folder] = []
        size, mtime = found
        lines.append(f"f {name} {size} {mtime}\0")  # file_entry's, without a call (26,000)
        if mtime >= since:
            recent.append((mtime, path, sha))
    return listed, recent


def with_folders(listings: Iterable[Listed], top: str) -> Listed:
    """`listings` as one, and each folder below `top` listed in the folder that holds it."""
    folders: Listed = {}
    for listing in listings:
        for folder, lines in listing.items():
            held = folders.get(folder)
            if held is None:
                folders[folder] = list(lines)
            else:
                held += lines
    for folder in list(folders):
        while folder != top and "/" in folder:
            above, _, name = folder.rpartition("/")
            known = above in folders
            folders.setdefault(above, []).append(folder_entry(name))
            if known:
                break  # its own line went to the folder above it when it was first met
            folder = above
    return folders
