"""The committed history of the last compile, kept: HEAD's history cannot change.

Versions come from `git log HEAD` over the whole history (jobgen/version/history.py):
about a second for 5,000 commits, paid by every compile that versions, the
one-component compile included. What HEAD's commits touched is fixed by HEAD itself
(and where the jobs repository sits in the work tree), so it is kept, keyed by both,
and read back instead while HEAD stays; uncommitted changes are read from git every
time. The file is a plain JSON payload in store.py's checked envelope.
"""

from __future__ import annotations

import json
from pathlib import Path

from jobgen.incremental import reads, store
from jobgen.version.history import Committed

KIND = "history"


class HistoryCache:
    """The committed history the last compile into `output` read."""

    def __init__(self, output: Path) -> None:
        self._file = store.cache_file(output, KIND)
        reads.private(self._file.parent)  # the caches are the compile's, never its inputs

    def get(self, head: str, prefix: str) -> Committed | None:
        payload = store.read(self._file, KIND)
        try:
            kept = json.loads(payload) if payload is not None else None
        except ValueError:
            return None
        if not isinstance(kept, dict) or kept.get("head") != head or kept.get("prefix") != prefix:
            return None
        commits, touched = kept.get("commits"), kept.get("touched")
        if not isinstance(commits, list) or not isinstance(touched, dict):
            return None
        try:
            return Committed(
                tuple(str(c) for c in commits),
                {str(path): tuple(int(i) for i in found) for path, found in touched.items()},
            )
        except (TypeError, ValueError):
            return None

    def put(self, head: str, prefix: str, committed: Committed) -> None:
        kept = {
            "head": head,
            "prefix": prefix,
            "commits": list(committed.commits),
            "touched": {path: list(found) for path, found in committed.touched.items()},
        }
        store.write(self._file, KIND, json.dumps(kept).encode())
