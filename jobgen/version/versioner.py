"""The version phase's entry: `{name}-v{N}-{hash}` for every job of the plan.

N counts the commits that touched any input of the job or of a job it calls;
hash is the newest of them. A job whose inputs (or its callees') have
uncommitted changes gets `-dirty` and a hash of their current content
instead, a name no commit can produce.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from jobgen.plan.model import Plan
from jobgen.version.closure import input_closure
from jobgen.version.history import History, read_history
from jobgen.version.model import Version, Versioned

SHORT = 7


def version(plan: Plan, root: Path) -> Versioned:
    """Read the history once and name every job."""
    return version_from(plan, read_history(root), root)


def version_from(plan: Plan, history: History, root: Path) -> Versioned:
    """Name every job from an already read history (the benchmark times this part)."""
    closure = input_closure(plan.jobs)
    versions = {}
    for job in plan.jobs:
        inputs = closure[job.name]
        touched: set[int] = set()
        for path in inputs:
            touched.update(history.touched.get(path, ()))
        number = len(touched)
        newest = history.commits[min(touched)][:SHORT] if touched else "0000000"
        dirty = job.versioned and not history.dirty.isdisjoint(inputs)
        if not job.versioned:
            name = job.name
        elif dirty:
            name = f"{job.name}-v{number}-dirty{_content_hash(root, inputs)[:SHORT]}"
        else:
            name = f"{job.name}-v{number}-{newest}"
        versions[job.name] = Version(number, newest, name, dirty)
    return Versioned(plan, versions)


def _content_hash(root: Path, inputs: frozenset[str]) -> str:
    digest = hashlib.sha256()
    for path in sorted(inputs):
        file = root / path
        digest.update(path.encode() + b"\0")
        digest.update(file.read_bytes() if file.is_file() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()
