"""A folder of the build as the compile record sees it: one line an entry, hashed.

The record of a compile (jobgen/incremental/replay.py) keeps a digest of each folder
below jobs/: the names and kinds of its entries, and each file's size and mtime. It is
taken from the folder itself, or from what the build writer wrote there
(build_dir.py): both list it in these lines, so that the digests are equal exactly
when the folder holds what was written.
"""

from __future__ import annotations

import hashlib
from collections import Counter
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


def whole_counts(paths: Iterable[str]) -> dict[str, int]:
    """How many of `paths` (the files a build plans) each folder holds, for each folder
    that holds no folder: one whose files are all in a process's share is whole there
    (`take_whole`)."""
    counts = Counter(path.rpartition("/")[0] for path in paths)
    holders: set[str] = set()
    for folder in list(counts):
        above = folder.rpartition("/")[0]
        while above and above not in holders:
            holders.add(above)
            above = above.rpartition("/")[0]
    for folder in holders:
        counts.pop(folder, None)
    return dict(counts)


Digests = dict[str, str]  # folder -> listing_digest of its entries


def take_whole(listed: Listed, counts: Mapping[str, int]) -> Digests:
    """The digests of the folders of `listed` that hold all their files there and no
    folder (`whole_counts`), taken out of it.

    Made where the lines were (each forked renderer, at the end of its share): the parent
    alone then hashes only the folders whose files more than one process wrote, and those
    that hold folders (`folder_digests`). A folder given too few lines here only makes a
    digest that the folder does not match: the next compile compiles."""
    whole: Digests = {}
    for folder, lines in listed.items():
        if counts.get(folder) == len(lines):
            whole[folder] = listing_digest(lines)
    for folder in whole:
        del listed[folder]
    return whole


def folder_digests(shares: Iterable[tuple[Listed, Digests]], top: str) -> Digests:
    """The digest of every folder below `top`, from each process's share: (the lines of the
    folders not whole there, the digests of those that were: `take_whole`)."""
    digests: Digests = {}
    listings = []
    for listed, whole in shares:
        digests.update(whole)
        listings.append(listed)
    folders = with_folders(listings, top, list(digests))
    for folder, lines in folders.items():
        digests[folder] = listing_digest(lines)
    return digests


def with_folders(listings: Iterable[Listed], top: str, others: Iterable[str] = ()) -> Listed:
    """`listings` as one, and each folder below `top` listed in the folder that holds it,
    those of `others` (folders whose lines are not asked for) too."""
    folders: Listed = {}
    for listing in listings:
        for folder, lines in listing.items():
            held = folders.get(folder)
            if held is None:
                folders[folder] = list(lines)
            else:
                held += lines
    for folder in [*folders, *others]:
        while folder != top and "/" in folder:
            above, _, name = folder.rpartition("/")
            known = above in folders
            folders.setdefault(above, []).append(folder_entry(name))
            if known:
                break  # its own line went to the folder above it when it was first met
            folder = above
    return folders
