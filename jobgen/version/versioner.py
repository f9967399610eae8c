"""The version phase's entry: `{name}-v{N}-{hash}` for every job of the plan.

N counts the commits that touched any input of the job or of a job it calls;
hash is the newest of them. A job whose inputs (or its callees') have
uncommitted changes gets `-dirty` and a hash of their current content
instead, a name no commit can produce.

Commit sets are Python ints used as bit sets (bit i = the i-th newest commit),
folded once per group of the call graph, callees first: 12,000 jobs whose
orchestrations reach thousands of inputs stay a few big-int ORs each.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from jobgen.plan.model import Job, Plan
from jobgen.version.closure import Group, call_groups
from jobgen.version.history import History, Remembered, ignored_files, read_history
from jobgen.version.model import Version, Versioned

SHORT = 7
NO_COMMIT = "0" * SHORT  # inputs that no commit touched (all of them uncommitted)


@dataclass(frozen=True)
class _Folded:
    """What a group and everything it calls add up to."""

    commits: int  # bit set of commit indices
    dirty_hash: str  # "" when every input is committed


def version(plan: Plan, root: Path, remembered: Remembered | None = None) -> Versioned:
    """Read the history once and name every job (HEAD's history from `remembered` when it
    holds it)."""
    return version_from(plan, read_history(root, remembered), root)


def version_from(plan: Plan, history: History, root: Path) -> Versioned:
    """Name every job from an already read history (the benchmark times this part)."""
    jobs = plan.by_name()
    groups = call_groups(plan.jobs)
    inputs = {path for job in plan.jobs for path in job.inputs}
    folded = _fold(groups, jobs, history, _Contents(root, history, inputs))
    versions = {}
    for group, state in zip(groups, folded, strict=True):
        for name in group.members:
            versions[name] = _version(jobs[name], state, history)
    return Versioned(plan, versions)


def _version(job: Job, state: _Folded, history: History) -> Version:
    number, newest = _count(state.commits, history)
    if not job.versioned:
        # A folder keeps its plain name, so nothing about it is dirty for compile or deploy.
        return Version(number, newest, job.name)
    if state.dirty_hash:
        name = f"{job.name}-v{number}-dirty{state.dirty_hash[:SHORT]}"
    else:
        name = f"{job.name}-v{number}-{newest}"
    return Version(number, newest, name, bool(state.dirty_hash), state.dirty_hash)


def _count(commits: int, history: History) -> tuple[int, str]:
    """How many commits the set holds, and the short hash of the newest (the lowest bit)."""
    if not commits:
        return 0, NO_COMMIT
    newest = (commits & -commits).bit_length() - 1
    return commits.bit_count(), history.commits[newest][:SHORT]


def _fold(
    groups: Sequence[Group], jobs: Mapping[str, Job], history: History, contents: _Contents
) -> list[_Folded]:
    """Each group's commits and dirty hash, from its own inputs and its callees' results."""
    masks: dict[str, int] = {}
    # A group's own inputs, their commits and whether one is dirty, by the inputs as the jobs
    # list them: the jobs of a component mostly list the same ones, so each is worked out once.
    by_inputs: dict[tuple[str, ...], tuple[list[str], int, bool]] = {}
    folded: list[_Folded] = []
    for group in groups:
        listed = tuple(path for name in group.members for path in jobs[name].inputs)
        known = by_inputs.get(listed)
        if known is None:
            own = sorted(set(listed))
            commits = 0
            for path in own:
                if path not in masks:
                    masks[path] = _mask(history.touched.get(path, ()))
                commits |= masks[path]
            known = by_inputs[listed] = own, commits, any(contents.dirty(p) for p in own)
        own, commits, own_dirty = known
        callees = [folded[i] for i in group.callees]
        for callee in callees:
            commits |= callee.commits
        dirty = any(c.dirty_hash for c in callees) or own_dirty
        digest = contents.digest(own, [_key(c, history) for c in callees]) if dirty else ""
        folded.append(_Folded(commits, digest))
    return folded


def _mask(indices: Sequence[int]) -> int:
    mask = 0
    for index in indices:
        mask |= 1 << index
    return mask


def _key(callee: _Folded, history: History) -> str:
    # A clean callee's files are exactly its committed version; a dirty one's hash covers them.
    if callee.dirty_hash:
        return callee.dirty_hash
    number, newest = _count(callee.commits, history)
    return f"v{number}-{newest}"


class _Contents:
    """Dirty checks and content hashes of input files, each file read at most once."""

    def __init__(self, root: Path, history: History, inputs: set[str]) -> None:
        self._root = root
        self._history = history
        self._files: dict[str, bytes] = {}
        # Inputs on disk with no history and no status are gitignored: never committed, so dirty.
        unseen = {
            path
            for path in inputs
            if path not in history.touched and path not in history.dirty and (root / path).is_file()
        }
        self._ignored = ignored_files(root, sorted(unseen)) if unseen else frozenset()

    def dirty(self, path: str) -> bool:
        """True when the file's current content is not what a commit holds."""
        return path in self._history.dirty or path in self._ignored

    def digest(self, paths: Sequence[str], callee_keys: Sequence[str]) -> str:
        """A sha256 of the files' current content and the callees' versions."""
        digest = hashlib.sha256()
        for path in paths:
            # The path as the file system holds it: a name that is not UTF-8 has its own bytes.
            digest.update(os.fsencode(path) + b"\0" + self._file(path) + b"\0")
        for key in sorted(callee_keys):
            digest.update(key.encode() + b"\0")
        return digest.hexdigest()

    def _file(self, path: str) -> bytes:
        if path in self._history.sections:
            return self._history.sections[path]
        if path not in self._files:
            file = self._root / path
            content = file.read_bytes() if file.is_file() else b"<missing>"
            self._files[path] = hashlib.sha256(content).digest()
        return self._files[path]
