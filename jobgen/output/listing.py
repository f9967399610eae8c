"""A folder of the build as the compile record sees it: one line an entry, hashed.

The record of a compile (jobgen/incremental/replay.py) keeps a digest of each folder
below jobs/: the names and kinds of its entries, and each file's size and mtime. It is
taken from the folder itself, or from what the build writer wrote there
(build_dir.py): both list it in these lines, so that the digests are equal exactly
when the folder holds what was written.
"""

from __future__ import annotations

import hashlib


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
