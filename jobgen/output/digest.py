"""The sha256 of a file's bytes, worked out once a file however many ask.

A fresh render's config.xml and Groovy are hashed by the build writer (the
manifest lists each file's sha256) and by the render cache (its entry checks
the file before it is trusted again), one after the other in the process that
rendered them. The last few results are kept by the identity of the very object
hashed, which is held while kept: its id cannot be reused, and a text or bytes
object never changes.
"""

from __future__ import annotations

import hashlib

_KEPT = 8  # a job's two files and a stable job's one, with room to spare

_recent: dict[int, tuple[bytes | str, str]] = {}


def sha256_hex(data: bytes | str) -> str:
    """The sha256 of `data` (a text as its UTF-8 bytes, as written to the build folder)."""
    found = _recent.get(id(data))
    if found is not None and found[0] is data:
        return found[1]
    digest = hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()
    if len(_recent) >= _KEPT:
        del _recent[next(iter(_recent))]  # the oldest: a dict keeps its insertion order
    _recent[id(data)] = (data, digest)
    return digest
