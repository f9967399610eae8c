"""The sha256 of a file's bytes, worked out once a file however many ask.

A fresh render's config.xml and Groovy are hashed by the build writer (the
manifest lists each file's sha256) and by the render cache (its entry checks
the file before it is trusted again), one after the other in the process that
rendered them. The last few results are kept with the very object hashed, and
found again by identity (`is`): a text or bytes object never changes, and one
held here cannot be freed and its place taken by another.
"""

from __future__ import annotations

import hashlib

_KEPT = 4  # a job's two files, asked by the cache then by the writer, or a stable job's one

_recent: list[tuple[bytes | str, str, bytes]] = []  # (object hashed, sha256, its bytes)


def sha256_hex(data: bytes | str) -> str:
    """The sha256 of `data` (a text as its UTF-8 bytes, as written to the build folder)."""
    return hashed(data)[0]


def hashed(data: bytes | str) -> tuple[str, bytes]:
    """The sha256 of `data` and the bytes hashed: a text's UTF-8 encoding, made once for
    the hash and the file alike (a pipeline's Groovy is a text of about 10 kB)."""
    # A scan of a few entries, not a dict by id(): id() raises an audit event, which the
    # read recording hooks (incremental/reads.py), at a Python call each.
    for kept, digest, raw in _recent:
        if kept is data:
            return digest, raw
    raw = data.encode() if isinstance(data, str) else data
    digest = hashlib.sha256(raw).hexdigest()
    if len(_recent) >= _KEPT:
        del _recent[0]  # the oldest
    _recent.append((data, digest, raw))
    return digest, raw
