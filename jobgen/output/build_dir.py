"""The build folder: `manifest.json` and every job's config.xml (and compiled Groovy).

A recompile rewrites only the files whose bytes changed (the manifest holds
each file's sha256) and removes the files of jobs that are gone, so the
folder always holds exactly the current compile; it writes and deletes only
what jobgen.output.guard allows. The manifest is removed
first and written last: after a crash midway there is none, and the next
compile writes everything again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from jobgen.output.digest import hashed
from jobgen.output.guard import (
    OWNED,
    Folders,
    check_output,
    owned_files,
    read_plain,
    record_owned,
    record_quoted,
    remove_file,
    write_file,
)
from jobgen.output.listing import (
    Digests,
    Listed,
    folder_digests,
    listed_lines,
    take_whole,
    whole_counts,
)
from jobgen.output.manifest_lines import (
    alias_line,
    file_lines,
    job_line,
    manifest_text,
    quoted_paths,
)
from jobgen.output.sorted_lines import Keyed, keyed, merged
from jobgen.render.model import Artifacts, Kept, RenderedAlias, RenderedJob

MANIFEST = "manifest.json"
JOBS = "jobs"


@dataclass(frozen=True)
class Written:
    """What a compile did to the build folder."""

    written: int
    unchanged: int
    removed: int
    manifest_sha256: str = ""  # of the manifest written
    # Each folder below jobs/ (its path in the build folder) with the digest of its
    # entries (listing.py), as the writer left them; None when it does not know every
    # file's size and mtime (jobgen/incremental/replay.py then looks at the folders)
    folders: Digests | None = None
    recent: list[tuple[int, str, str]] = field(default_factory=list)  # (mtime, path, sha256)


Signatures = dict[str, tuple[int, int]]  # path -> (size, mtime in ns), as the writer saw it


def write_build(
    artifacts: Artifacts, output: Path, signatures: Signatures | None = None
) -> Written:
    """Make `output` hold exactly `artifacts`: configs under jobs/, the manifest beside them.

    Raises OutputRefused, touching nothing, when `output` is not jobgen's to write
    (jobgen.output.guard). `signatures` gets each file written or found holding its bytes.
    """
    planned = planned_files(
        ((job.full_name, job.groovy is not None) for job in artifacts.jobs),
        (alias.full_name for alias in artifacts.aliases),
    )
    writer = BuildWriter(output, planned, signatures)
    jobs = [writer.add(job) for job in artifacts.jobs]
    aliases = [writer.add(alias) for alias in artifacts.aliases]
    return writer.finish(jobs, aliases)


class WriteFailed(Exception):
    """The build folder could not be written (a name too long, no permission, a full disk).

    Raised instead of the OSError so that a command tells it apart from an OSError of
    the render (a broken installation's missing template is jobgen's fault, not the
    folder's). Its arguments are plain strings: it crosses from a forked renderer.
    """

    def __init__(self, where: str, why: str) -> None:
        super().__init__(where, why)
        self.where, self.why = where, why

    def __str__(self) -> str:
        return f"cannot write {self.where}: {self.why}"


@contextmanager
def writing(output: Path) -> Iterator[None]:
    """Turn an OSError of writing into `output` into WriteFailed."""
    try:
        yield
    except OSError as error:
        raise _failed(error, output) from error


def _failed(error: OSError, output: Path) -> WriteFailed:
    return WriteFailed(str(error.filename or output), error.strerror or str(error))


class Entry(NamedTuple):
    """What the manifest says of one job or stable job, and what writing its files did.

    A named tuple: made once a job (19,000 a build), it costs a third of a frozen
    dataclass, which sets each field through object.__setattr__."""

    name: str  # the manifest sorts its lines by it
    line: str  # its line of the manifest: made where it was rendered, on every core
    files: dict[str, str]  # path -> sha256 of what the build folder holds there
    written: int


@dataclass(frozen=True)
class Share:
    """The entries `BuildWriter.put` kept in one process, as the manifest's lines: each
    sorted where it was made, so that the parent only merges them (`finish_shares`)."""

    jobs: Keyed  # (names, manifest lines) of the jobs
    aliases: Keyed  # (names, manifest lines) of the stable jobs
    files: Keyed  # (paths, file lines) of the files
    written: int
    # The listing.py lines of these files by folder, but for the folders whole here, whose
    # digests are in `whole`; None when a file's size and mtime are not known
    listed: Listed | None
    whole: Digests
    recent: list[tuple[int, str, str]]  # Written.recent of these files


def _share_of(
    jobs: list[Entry],
    aliases: list[Entry],
    signatures: Signatures,
    since: int,
    counts: dict[str, int],
) -> Share:
    """`counts`: listing.whole_counts of the planned files."""
    entries = [*jobs, *aliases]
    pairs = [item for e in entries for item in e.files.items()]  # (path, sha256) of each file
    files = file_lines(pairs)
    listed, recent = listed_lines(pairs, signatures, since)
    whole = {} if listed is None else take_whole(listed, counts)
    return Share(
        keyed([(e.name, e.line) for e in jobs]),
        keyed([(e.name, e.line) for e in aliases]),
        keyed(files),
        sum(e.written for e in entries),
        listed,
        whole,
        recent,
    )


_BATCH = 512  # files `put` holds before it writes them (about 380 jobs', under 5 MB)


def planned_files(jobs: Iterable[tuple[str, bool]], aliases: Iterable[str]) -> set[str]:
    """The paths a build writes, recorded before any is written: each job's config (and its
    Groovy, when it has one: `(full name, has Groovy)`), each stable job's config."""
    # In the parent before any render (26,000 paths for 1000 components): one list, made a
    # set once, and a Groovy file's name worked out only for a job that has one.
    files = [config_path(full_name) for full_name in aliases]
    for full_name, has_groovy in jobs:
        if has_groovy:
            files += _paths(full_name)
        else:
            files.append(config_path(full_name))
    return set(files)


class BuildWriter:
    """Writes one compile into the build folder, a job at a time, from any process.

    Opening it checks the folder (guard), removes the manifest and records every
    planned file as jobgen's before any is written; `add` writes a job's files whose
    bytes differ from the last manifest's and returns its entry (a forked renderer
    calls it: only the entry travels back); `finish` removes the files of jobs that
    are gone and writes the manifest last.

    `put` is `add` keeping the entry in the process that wrote it, and `share` turns
    those into the manifest lines `finish_shares` only merges: each forked renderer
    prepares its part (jobgen/parallel.py: gathering). `signatures` gets the size and
    mtime of each file written or found holding its bytes (the render cache's).
    """

    def __init__(
        self,
        output: Path,
        planned: set[str],
        signatures: Signatures | None = None,
        recent_ns: int | None = None,
    ) -> None:
        self._keep(signatures, recent_ns)
        with writing(output):
            self._open(output, planned)

    def _keep(self, signatures: Signatures | None, recent_ns: int | None = None) -> None:
        """`recent_ns`: how far back from a share a file's mtime counts as recent (every
        file's does without it: Written.recent)."""
        self._signatures = {} if signatures is None else signatures
        self._recent_ns = recent_ns
        self._pending: list[tuple[str, bytes]] = []  # (path, bytes) `put` has yet to write
        self._jobs: list[Entry] = []
        self._aliases: list[Entry] = []
        self._counts: dict[str, int] | None = None  # whole_counts of the planned files

    def _open(self, output: Path, planned: set[str]) -> None:
        previous = _previous_files(output / MANIFEST)  # read once: 12 MB for 1000 components
        owned = owned_files(output, previous)
        check_output(output, owned, (MANIFEST, OWNED))
        self._start(output, owned, previous, planned)

    def _start(
        self, output: Path, owned: set[str], previous: dict[str, str], planned: set[str]
    ) -> None:
        """Record what will be written and take the manifest away: from here the build is
        unfinished until `finish` (a crash leaves no manifest, and the next compile is full)."""
        self._output = output
        self._owned = owned
        self._previous = previous
        self._planned = planned
        output.mkdir(parents=True, exist_ok=True)
        self._record_planned(planned)
        self._checked: set[str] = set()  # folders found real (guard.remove_file, write_file)
        remove_file(output, MANIFEST, self._checked)
        self._folders = Folders(output)  # the jobs' files go through it: forked renderers too

    def _record_planned(self, planned: set[str]) -> None:
        record_owned(self._output, self._owned | planned if self._owned else planned)

    def add(self, item: RenderedJob | RenderedAlias | Kept) -> Entry:
        """Write `item`'s files unless the build already holds those bytes."""
        try:  # `writing`'s work, without a context manager's generator once a job
            return self._add(item, None)
        except OSError as error:
            raise _failed(error, self._output) from error

    def put(self, item: RenderedJob | RenderedAlias | Kept) -> None:
        """`add`, the entry kept here for `share`: nothing goes back to the parent a job.

        The files are written a batch of jobs at a time (`share` writes the last batch):
        written one by one between renders, each write took half again as long (30 us a
        file against 19 us, in a cold compile of 1000 components), the system call's code
        and data no longer in the processor's caches after a job's render. 512 files a
        batch rather than 64: 18.3 us a file against 19.8 (three runs each, one process);
        no gain beyond, and the peak RSS of that compile did not move (163 MB).
        """
        pending = self._pending
        try:
            entry = self._add(item, pending)
            if len(pending) >= _BATCH:
                self._write_pending()
        except OSError as error:
            raise _failed(error, self._output) from error
        job = isinstance(item.item if isinstance(item, Kept) else item, RenderedJob)
        (self._jobs if job else self._aliases).append(entry)

    def share(self) -> Share:
        """What `put` kept in this process since its last share, as manifest lines, once
        its files are written (and their sizes and mtimes in `signatures`)."""
        with writing(self._output):
            self._write_pending()
        share = _share_of(
            self._jobs, self._aliases, self._signatures, self._since(), self._whole_counts()
        )
        self._jobs, self._aliases = [], []
        return share

    def _whole_counts(self) -> dict[str, int]:
        # Worked out by each process, at its share's end (4 ms): not by the parent alone
        # before the fork.
        if self._counts is None:
            self._counts = whole_counts(self._planned)
        return self._counts

    def _write_pending(self) -> None:
        self._folders.write_each(self._pending, self._signatures)
        self._pending.clear()

    def _since(self) -> int:
        return 0 if self._recent_ns is None else time.time_ns() - self._recent_ns

    def _add(
        self, item: RenderedJob | RenderedAlias | Kept, pending: list[tuple[str, bytes]] | None
    ) -> Entry:
        """`item`'s entry, its files written now, or put in `pending` to write."""
        if isinstance(item, Kept):  # the render cache checked its files: nothing to write
            paths = [path for path, _ in item.files]
            if isinstance(item.item, RenderedJob):
                name = item.item.job.name
                line = job_line(item.item, paths[0], paths[1] if paths[1:] else None)
            else:
                name, line = item.item.name, alias_line(item.item, paths[0])
            return Entry(name, line, dict(item.files), 0)
        files: tuple[tuple[str, bytes | str], ...]
        if isinstance(item, RenderedJob):
            config, script = job_paths(item.full_name)
            groovy = item.groovy
            if groovy is None:
                files = ((config, item.config_xml),)
                line = job_line(item, config, None)
            else:
                files = ((config, item.config_xml), (script, groovy))
                line = job_line(item, config, script)
            name = item.job.name
        else:
            config = config_path(item.full_name)
            files = ((config, item.config_xml),)
            name, line = item.name, alias_line(item, config)
        hashes: dict[str, str] = {}
        previous = self._previous
        written = 0
        for path, data in files:
            digest, content = hashed(data)  # the render cache's entry asked it first
            hashes[path] = digest
            # The manifest says what was written, not what the folder holds now: a file
            # edited by hand since must be written again, so the bytes are compared.
            if previous and previous.get(path) == digest:
                held = _holds(os.path.join(self._output, path), content)
                if held is not None:
                    self._signatures[path] = held
                    continue
            if pending is None:
                self._folders.write_each(((path, content),), self._signatures)
            else:
                pending.append((path, content))
            written += 1
        return Entry(name, line, hashes, written)

    def finish(self, jobs: Iterable[Entry], aliases: Iterable[Entry]) -> Written:
        """Remove what no job wrote this time, then write the manifest: the build is whole."""
        return self.finish_shares(
            [
                _share_of(
                    list(jobs),
                    list(aliases),
                    self._signatures,
                    self._since(),
                    self._whole_counts(),
                )
            ]
        )

    def finish_shares(self, shares: Iterable[Share]) -> Written:
        """`finish` of the entries each process `put` and `share`d."""
        with writing(self._output):
            return self._finish(list(shares))

    def _finish(self, shares: list[Share]) -> Written:
        self._write_pending()  # none after a share: put's files without one
        self._folders.close()  # the removals below may take folders away
        paths, lines = merged([s.files for s in shares])
        files = set(paths)
        if len(files) < len(paths):  # a path twice: the manifest's object names it once
            by_path = dict(zip(paths, lines, strict=True))
            paths, lines = list(by_path), list(by_path.values())
        written = sum(share.written for share in shares)
        # Only files an earlier compile recorded are deleted, never anything else in the folder.
        stale = sorted(self._owned - files - {MANIFEST})
        removed = sum(remove_file(self._output, path, self._checked) for path in stale)
        text = manifest_text(
            merged([s.aliases for s in shares])[1], lines, merged([s.jobs for s in shares])[1]
        )
        sha = self._write_manifest(text, lines)
        listed = [(s.listed, s.whole) for s in shares if s.listed is not None]
        folders = folder_digests(listed, JOBS) if len(listed) == len(shares) else None
        recent = [file for share in shares for file in share.recent]
        return Written(written, len(files) - written, removed, sha, folders, recent)

    def _write_manifest(self, text: str, files: list[str]) -> str:
        """The last write: the manifest, then the record of exactly the files it lists
        (`files`: its file lines). Returns the manifest's sha256."""
        data = text.encode("utf-8")
        write_file(self._output, MANIFEST, data, self._checked)
        record_quoted(self._output, quoted_paths(files))
        return hashlib.sha256(data).hexdigest()


def _holds(path: str, content: bytes) -> tuple[int, int] | None:
    """The size and mtime (ns) of `path` when it is a plain file (no symlink followed)
    holding exactly `content`, else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as file:
        found = os.fstat(file.fileno())
        if not stat.S_ISREG(found.st_mode) or file.read(len(content) + 1) != content:
            return None
        return found.st_size, found.st_mtime_ns


_NOT_A_CLASS_NAME = re.compile(r"[^A-Za-z0-9_]")
_last_paths: tuple[str | None, tuple[str, str]] = (None, ("", ""))  # job_paths' last answer


def config_path(full_name: str) -> str:
    """Where a job's or stable job's config.xml goes in the build folder (job_paths' first)."""
    return f"{JOBS}/{full_name}.xml"


def job_paths(full_name: str) -> tuple[str, str]:
    """Where a job's config.xml and its Groovy (when it has one) go in the build folder.

    The Groovy file is `jobs/frontend/frontend_build_test_v9_1a2b3c4.groovy`: Groovy names
    a script's class after its file, and a dash in a class name stops `groovy FILE`.
    """
    global _last_paths
    # The render cache's entry asks for a fresh job's paths, then the writer does: the last
    # answer is kept (an equal name gives equal paths; the same object compares at once).
    if _last_paths[0] == full_name:
        return _last_paths[1]
    paths = _paths(full_name)
    _last_paths = (full_name, paths)
    return paths


def _paths(full_name: str) -> tuple[str, str]:
    folder, _, name = full_name.rpartition("/")
    safe = name.replace("-", "_")  # most names: letters, digits, dashes
    if not (safe.isascii() and safe.replace("_", "").isalnum()):
        safe = _NOT_A_CLASS_NAME.sub("_", name)
    script = f"{JOBS}/{folder}/{safe}.groovy" if folder else f"{JOBS}/{safe}.groovy"
    return config_path(full_name), script


def _previous_files(manifest: Path) -> dict[str, str]:
    """The last manifest's files with their sha256 (none when it is absent or unreadable)."""
    try:
        files = json.loads(read_plain(manifest)).get("files", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return files if isinstance(files, dict) else {}
