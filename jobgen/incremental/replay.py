"""The whole compile remembered: when nothing it read has changed, replay its report.

A compile records what it read (jobgen/incremental/reads.py), the git facts
(gitfacts.py), jobgen's own files and libraries, its arguments, and what it
wrote. The next compile with the same arguments checks all of that first; if
every input is as it was and the build folder still holds exactly what was
written, the build is already the compile's result: nothing is loaded,
rendered or written, and the same report is printed. Any difference, or a
cache that is foreign or corrupt, means a full compile.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobgen.incremental import reads, store
from jobgen.incremental.gitfacts import GitFacts, git_facts
from jobgen.output.listing import file_entry, folder_entry, listing_digest
from jobgen.parallel import map_forked

if TYPE_CHECKING:
    from jobgen.output.build_dir import Written

KIND = "compile"
MANIFEST = "manifest.json"
JOBS = "jobs"


@dataclass(frozen=True)
class Request:
    """One `jobgen compile` invocation's arguments, as they decide its result."""

    components: Path
    output: Path
    mode: str
    target: str | None

    def identity(self) -> dict[str, object]:
        return {
            "components": str(self.components.resolve()),
            "output": str(self.output.resolve()),
            "mode": self.mode,
            "target": self.target,
            "cwd": os.getcwd(),  # diagnostics show paths relative to it
        }


@dataclass(frozen=True)
class Report:
    """What a compile printed: its diagnostics (stderr) and the numbers of its summary."""

    diagnostics: str
    jobs: int
    files: int
    dirty: tuple[str, ...]


def cache_file(output: Path) -> Path:
    return store.cache_file(output, KIND)


@dataclass(frozen=True)
class Last:
    """The last compile's record, and what it read that is no longer as it was."""

    record: dict[str, Any]
    changed: list[tuple[str, str]]  # (section, path) of reads.Reads


def last_compile(request: Request) -> Last | None:
    """The last compile with these arguments and this jobgen, else None."""
    payload = store.read(cache_file(request.output), KIND)
    record = _json(payload) if payload is not None else None
    if not isinstance(record, dict) or record.get("request") != request.identity():
        return None
    if record.get("environment") != reads.environment():
        return None
    recorded = record.get("reads")
    changed = reads.changed(recorded) if isinstance(recorded, dict) else None
    return None if changed is None else Last(record, changed)


def replay(request: Request, last: Last | None) -> Report | None:
    """The report of the last compile when it is still the result, else None."""
    if last is None or last.changed:
        return None
    record = last.record
    root = record.get("root")
    if not isinstance(root, str) or git_facts(
        Path(root), request.output, store.cache_folder(request.output)
    ) != record.get("git"):
        return None
    if not build_intact(request.output, record):
        return None
    try:
        return Report(
            str(record["diagnostics"]),
            int(record["jobs"]),
            int(record["files"]),
            tuple(str(d) for d in record["dirty"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


@dataclass
class Recorder:
    """Takes the facts before a compile and its reads during it; `save` stores the record."""

    request: Request
    environment: str = ""
    reads: reads.Reads = field(default_factory=reads.Reads)
    git: GitFacts | None = None  # taken during the compile (take_git_facts)

    @contextmanager
    def compiling(self) -> Iterator[None]:
        # Facts are taken before the compile reads anything: a change during it
        # leaves a record that no longer matches, never one that wrongly does.
        self.environment = reads.environment()
        # The build folder is the compile's output (written as jobs render), never an input.
        reads.private(self.request.output)
        with reads.recording() as recorded:
            self.reads = recorded
            yield

    def take_git_facts(self, root: Path) -> None:
        """Take git's facts for `root` now, before the compile reads the history its
        versions come from; `save` records them (GitFacts)."""
        self.git = GitFacts(root, self.request.output, store.cache_folder(self.request.output))

    def save(
        self,
        root: Path,
        report: Report,
        components: Mapping[str, object],
        written: Written | None = None,
    ) -> None:
        """Store the record of a compile whose build folder now holds its result.

        `components` is what a later one-component compile needs to know of each
        component file (jobgen/incremental/sliced.py). `written` is what the build
        writer did: when it lists every file it left below jobs/ with its size and mtime,
        the folders' digests are made from that, not by looking at 26,000 files again.
        """
        output = self.request.output
        manifest = output / MANIFEST
        seen = reads.snapshot(self.reads)
        if not reads.unchanged(seen):
            return  # an input changed while the compile ran: its result may mix both states
        saved = time.time_ns()  # before the folders are read: see build_intact
        racy: dict[str, str] = {}
        folders: dict[str, str] = {}
        if written is not None and written.folders is not None:
            files = _written_state(output, written, folders, saved, racy)
        else:
            files = build_state(os.path.join(output, JOBS), folders, saved, racy)
        record = {
            "request": self.request.identity(),
            "environment": self.environment,
            "reads": seen,
            "root": str(root.resolve()),
            "git": self._git_facts(root),
            "diagnostics": report.diagnostics,
            "jobs": report.jobs,
            "dirty": list(report.dirty),
            # As the writer wrote it (hashed then), else read: a manifest changed since
            # makes the next compile compile (build_intact reads it again).
            "manifest": written.manifest_sha256
            if written is not None and written.manifest_sha256
            else reads.file_digest(str(manifest)),
            "folders": folders,
            "racy": racy,
            "files": files,
            "saved": saved,
            "components": components,
        }
        if record["git"] is None:
            return
        write_record(output, record)

    def _git_facts(self, root: Path) -> str | None:
        """The facts taken during the compile, else now (a compile that took none)."""
        taken = self.git
        if taken is None or taken.root != root:
            taken = GitFacts(root, self.request.output, store.cache_folder(self.request.output))
        return taken.result()


def _written_state(
    output: Path, written: Written, states: dict[str, str], saved: int, racy: dict[str, str]
) -> int:
    """build_state of the folders as the build writer left them (`written.folders`); the
    files counted.

    What the writer saw of each file when it wrote it, found it holding its bytes or the
    render cache found it untouched: a file changed since, or a file put beside them, makes
    the folder differ from the record, and the next compile compiles (build_intact). A
    file written within the clock's tick of `saved` is recorded with the sha256 the writer
    wrote, and read again then.
    """
    base = os.fspath(output)  # once, not a Path's conversion for each of 1000 folders
    for folder, digest in (written.folders or {}).items():
        states[os.path.join(base, folder)] = digest
    for mtime, path, sha in written.recent:
        if mtime >= saved - reads.RACY_NS:
            racy[os.path.join(output, path)] = sha
    return written.written + written.unchanged


def write_record(output: Path, record: Mapping[str, object]) -> None:
    store.write(cache_file(output), KIND, json.dumps(record).encode())


def forget(output: Path) -> None:
    """Drop the record (a compile that failed or changed the build otherwise)."""
    cache_file(output).unlink(missing_ok=True)


def build_intact(output: Path, record: dict[str, object]) -> bool:
    """The build folder holds what the record says: the same manifest, the same files, each
    with the size and mtime it had (a file is not written without its mtime moving).

    Files whose mtime was so close to the record's that a change could have followed
    within the clock's tick (git's "racy" rule) were recorded with their sha256 and
    are read again.
    """
    folders, racy = record.get("folders"), record.get("racy")
    if not isinstance(folders, dict) or not isinstance(racy, dict):
        return False
    if reads.file_digest(str(output / MANIFEST)) != record.get("manifest"):
        return False
    found: dict[str, str] = {}
    try:
        build_state(os.path.join(output, JOBS), found)
    except OSError:
        return False
    return found == folders and all(reads.file_digest(p) == sha for p, sha in racy.items())


def build_state(
    folder: str, states: dict[str, str], saved: int = 0, racy: dict[str, str] | None = None
) -> int:
    """Put in `states` a digest of `folder` and of each folder below it; the files counted.

    A folder's digest covers its entries' names and kinds and each file's size and
    mtime. With `racy`, files whose mtime is within the clock's tick of `saved` go
    there with their sha256.
    """
    if not os.path.isdir(folder):
        return 0  # no job at all: no jobs/ folder
    count, below = folder_state(folder, states, saved, racy)
    # A stat a file is most of it (26,000 for 1000 components), and the GIL keeps threads
    # from overlapping them: the folders below are shared out to forked processes.
    walk = partial(_subtree, saved=saved, racy=racy is not None)
    for found, found_racy, found_count in map_forked(walk, below):
        states.update(found)
        count += found_count
        if racy is not None:
            racy.update(found_racy)
    return count


def _subtree(folder: str, saved: int, racy: bool) -> tuple[dict[str, str], dict[str, str], int]:
    """build_state of `folder` in one process: its digests, its racy files (when `racy`),
    its files counted."""
    states: dict[str, str] = {}
    found_racy: dict[str, str] = {}
    count = _walk(folder, states, saved, found_racy if racy else None)
    return states, found_racy, count


def _walk(folder: str, states: dict[str, str], saved: int, racy: dict[str, str] | None) -> int:
    count, below = folder_state(folder, states, saved, racy)
    return count + sum(_walk(path, states, saved, racy) for path in below)


def folder_state(
    folder: str, states: dict[str, str], saved: int = 0, racy: dict[str, str] | None = None
) -> tuple[int, list[str]]:
    """Put `folder`'s digest in `states`; its files counted and its folders (build_state)."""
    lines: list[str] = []
    count, below = 0, []
    with os.scandir(folder) as listed:
        entries = list(listed)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            below.append(entry.path)
            lines.append(folder_entry(entry.name))
            continue
        found = entry.stat(follow_symlinks=False)
        kind = "l" if entry.is_symlink() else "f"
        lines.append(file_entry(entry.name, found.st_size, found.st_mtime_ns, kind))
        count += 1
        if racy is not None and found.st_mtime_ns >= saved - reads.RACY_NS:
            racy[entry.path] = reads.file_digest(entry.path)
    states[folder] = listing_digest(lines)
    return count, below


def _json(payload: bytes) -> object:
    try:
        return json.loads(payload)
    except ValueError:
        return None
