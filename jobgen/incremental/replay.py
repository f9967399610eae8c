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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from jobgen.incremental import reads, store
from jobgen.incremental.gitfacts import git_facts

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


def replay(request: Request) -> Report | None:
    """The report of the last compile when it is still the result, else None."""
    payload = store.read(cache_file(request.output), KIND)
    record = _json(payload) if payload is not None else None
    if not isinstance(record, dict) or record.get("request") != request.identity():
        return None
    if record.get("environment") != reads.environment():
        return None
    if not reads.unchanged(record.get("reads") or {}):
        return None
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

    def save(self, root: Path, report: Report) -> None:
        """Store the record of a compile whose build folder now holds its result."""
        output = self.request.output
        manifest = output / MANIFEST
        seen = reads.snapshot(self.reads)
        if not reads.unchanged(seen):
            return  # an input changed while the compile ran: its result may mix both states
        saved = time.time_ns()  # before the folders are read: see build_intact
        folders, files = _build_folders(output)
        record = {
            "request": self.request.identity(),
            "environment": self.environment,
            "reads": seen,
            "root": str(root.resolve()),
            "git": git_facts(root, output, store.cache_folder(output)),
            "diagnostics": report.diagnostics,
            "jobs": report.jobs,
            "dirty": list(report.dirty),
            "manifest": reads.file_digest(str(manifest)),
            "folders": folders,
            "files": files,
            "saved": saved,
        }
        if record["git"] is None:
            return
        store.write(cache_file(output), KIND, json.dumps(record).encode())


def forget(output: Path) -> None:
    """Drop the record (a compile that failed or changed the build otherwise)."""
    cache_file(output).unlink(missing_ok=True)


def build_intact(output: Path, record: dict[str, object]) -> bool:
    """The build folder holds what the record says: the same manifest, the same file names.

    A folder whose entries change gets a new mtime, so a folder with the recorded
    mtime is trusted without listing it, unless that mtime is so close to the
    record's that a change could have followed within the clock's tick (git's
    "racy" rule); those few are listed and compared.
    """
    folders = record.get("folders")
    saved = record.get("saved")
    if not isinstance(folders, dict) or not isinstance(saved, int):
        return False
    if reads.file_digest(str(output / MANIFEST)) != record.get("manifest"):
        return False
    for folder, (mtime, names) in folders.items():
        try:
            current = os.stat(folder).st_mtime_ns
        except OSError:
            return False
        racy = current != mtime or mtime >= saved - _RACY_NS
        if racy and reads.listing_digest(folder) != names:
            return False
    return True


_RACY_NS = 100_000_000  # well above a coarse file system clock's tick


def _build_folders(output: Path) -> tuple[dict[str, tuple[int, str]], int]:
    """Each folder under the build's jobs/ with its mtime and its listing; and the file count."""
    folders: dict[str, tuple[int, str]] = {}
    count = 0
    for folder, _, files in os.walk(output / JOBS):
        folders[folder] = (os.stat(folder).st_mtime_ns, reads.listing_digest(folder))
        count += len(files)
    return folders, count


def _json(payload: bytes) -> object:
    try:
        return json.loads(payload)
    except ValueError:
        return None
