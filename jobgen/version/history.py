"""The repository's whole history, read in one `git log` pass, following renames.

Paths are kept relative to the jobs repository's root (the folder holding
jobgen.yaml, which may sit below the git top level). A file renamed with
`git mv` keeps its older commits: they count for its current path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from jobgen.diagnostics import Diagnostic, JobgenError, SourcePos
from jobgen.git_cli import GitFailed, git_output, run_git
from jobgen.version.sections import SETTINGS, dirty_sections, section_digests, touched_sections


@dataclass(frozen=True)
class History:
    """Commits newest first, and for each current path the indices of the commits touching it."""

    commits: tuple[str, ...]
    touched: Mapping[str, tuple[int, ...]]
    dirty: frozenset[str]  # paths with uncommitted changes, untracked files included
    # jobgen.yaml's sections (`jobgen.yaml#targets/qa-test`): a hash of each current value.
    sections: Mapping[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Committed:
    """The part of a History that HEAD alone fixes: its commits cannot change."""

    commits: tuple[str, ...]
    touched: Mapping[str, tuple[int, ...]]


class Remembered(Protocol):
    """Where the committed history of earlier compiles may be kept
    (jobgen/incremental/history_cache.py)."""

    def get(self, head: str, prefix: str) -> Committed | None: ...

    def put(self, head: str, prefix: str, committed: Committed) -> None: ...


def read_history(root: Path, remembered: Remembered | None = None) -> History:
    """One `git log` over HEAD (unless `remembered` holds HEAD's) and one `git status`; a
    clear error for what cannot be versioned."""
    prefix, head = _open(root)
    committed = remembered.get(head, prefix) if remembered is not None else None
    try:
        if committed is None:
            committed = _committed(root, prefix)
            if remembered is not None:
                remembered.put(head, prefix, committed)
        status = git_output(root, "status", "--porcelain", "-z", "--untracked-files=all")
    except GitFailed as failed:
        # A broken object store, a lock, a corrupt index: git's own words say what is wrong.
        what = f"could not be read by git: {failed.stderr.strip()}"
        raise JobgenError([_error(SourcePos(str(root)), "git-failed", what, _FSCK)]) from None
    dirty = _dirty_paths(status, prefix)
    settings = root / SETTINGS
    current = settings.read_text("utf-8", errors="replace") if settings.is_file() else None
    if SETTINGS in dirty:
        dirty |= dirty_sections(root, prefix, current)
    return History(committed.commits, committed.touched, frozenset(dirty), section_digests(current))


def _committed(root: Path, prefix: str) -> Committed:
    # --topo-order: a file's renames are seen before its older commits, whatever the clocks.
    log = git_output(
        root, "log", "--format=%x01%H", "--name-status", "-M", "-z", "--topo-order", "HEAD"
    )
    commits, touched = _parse_log(log, prefix)
    touched.update(touched_sections(root, prefix, commits, touched.get(SETTINGS, ())))
    return Committed(tuple(commits), touched)


def _open(root: Path) -> tuple[str, str]:
    """The jobs repository's root relative to git's top level, as a path prefix ("" at the
    top), and the HEAD commit, once the repository is found to be one that can be versioned."""
    pos = SourcePos(str(root))
    facts = ("--is-bare-repository", "--is-shallow-repository", "--show-prefix")
    try:
        # --verify HEAD last: it fails (exit 1, the other answers printed) with no commit yet.
        done = run_git(root, "rev-parse", *facts, "--verify", "--quiet", "HEAD")
    except OSError as missing:  # no git program at all
        what = f"could not be read: git did not start ({missing.strerror})"
        raise JobgenError([_error(pos, "git-failed", what, _INSTALL_GIT)]) from None
    answers = done.stdout.split("\n")
    if done.returncode not in (0, 1) or len(answers) < len(facts):
        raise JobgenError([_error(pos, "not-a-repo", "is not in a git repository", _INIT)])
    bare, shallow, prefix, head = [*answers, ""][: len(facts) + 1]
    if bare == "true":
        raise JobgenError([_error(pos, "bare", "is a bare repository", _CLONE)])
    if shallow == "true":
        raise JobgenError([_error(pos, "shallow", "is a shallow clone", _UNSHALLOW)])
    if done.returncode != 0:
        raise JobgenError([_error(pos, "no-commits", "has no commits yet", _COMMIT)])
    return prefix, head


_INIT = "versions count commits: run `git init`, then commit jobgen.yaml and components/"
_UNSHALLOW = (
    "versions count every commit that touched a job's inputs: run `git fetch --unshallow` "
    "(in CI, check out with full history, e.g. fetch-depth: 0)"
)
_CLONE = "versions need a checkout: compile in a clone of the repository (git clone DIR)"
_FSCK = "run `git status` and `git fsck` there to see what is wrong"
_COMMIT = "versions count commits: commit jobgen.yaml and components/ first"
_INSTALL_GIT = "versions come from git's history: install git (e.g. apt-get install git)"


def _error(pos: SourcePos, code: str, what: str, hint: str) -> Diagnostic:
    return Diagnostic(pos, code, f"cannot version jobs: {pos.path} {what}", hint=hint)


def _parse_log(log: str, prefix: str) -> tuple[list[str], dict[str, tuple[int, ...]]]:
    """Walk `\x01HASH\0` headers and `STATUS\0PATH\0[PATH\0]` entries, newest commit first.

    Fields are consumed by count, never split on the header mark, so a path holding
    any character git allows (newlines, \x01) cannot be mistaken for a commit.
    """
    commits: list[str] = []
    touched: dict[str, list[int]] = {}
    current: dict[str, str] = {}  # an older path -> the path it is known by today
    fields = log.split("\0")
    i = 0
    while i < len(fields):
        field = fields[i].lstrip("\n")
        i += 1
        if field.startswith("\x01"):
            commits.append(field[1:])
        elif field[:1] in ("R", "C") and i + 1 < len(fields):
            old, new = fields[i], fields[i + 1]
            i += 2
            today = current.get(new, new)
            if field[0] == "R":
                current[old] = today
            _record(touched, today, len(commits) - 1, prefix)
        elif field and i < len(fields):
            path = fields[i]
            i += 1
            _record(touched, current.get(path, path), len(commits) - 1, prefix)
    return commits, {path: tuple(indices) for path, indices in touched.items()}


def _record(touched: dict[str, list[int]], path: str, index: int, prefix: str) -> None:
    if not path.startswith(prefix):
        return
    indices = touched.setdefault(path[len(prefix) :], [])
    if not indices or indices[-1] != index:
        indices.append(index)


def _dirty_paths(status: str, prefix: str) -> set[str]:
    paths = set()
    entries = status.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if "R" in code or "C" in code:
            i += 1  # the old path of a rename follows; the new path is what is dirty
        if path.startswith(prefix):
            paths.add(path[len(prefix) :])
    return paths


def ignored_files(root: Path, paths: list[str]) -> frozenset[str]:
    """Those of `paths` (relative to `root`, all on disk) that git does not track."""
    tracked = git_output(root, "--literal-pathspecs", "ls-files", "-z", "--", *paths)
    return frozenset(paths) - set(tracked.split("\0"))
