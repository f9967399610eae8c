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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from jobgen.output.digest import sha256_hex
from jobgen.output.guard import (
    OWNED,
    check_output,
    owned_files,
    read_plain,
    record_owned,
    record_quoted,
    remove_file,
    write_file,
)
from jobgen.output.jsontext import quoted
from jobgen.render.model import Artifacts, Kept, RenderedAlias, RenderedJob

MANIFEST = "manifest.json"
JOBS = "jobs"


@dataclass(frozen=True)
class Written:
    """What a compile did to the build folder."""

    written: int
    unchanged: int
    removed: int
    # path -> (size, mtime in ns) of each file written or found unchanged, as the
    # writer saw it (jobgen/incremental/rendered.py records them for the next compile)
    signatures: dict[str, tuple[int, int]] = field(default_factory=dict)


def write_build(artifacts: Artifacts, output: Path) -> Written:
    """Make `output` hold exactly `artifacts`: configs under jobs/, the manifest beside them.

    Raises OutputRefused, touching nothing, when `output` is not jobgen's to write
    (jobgen.output.guard).
    """
    planned = planned_files(
        ((job.full_name, job.groovy is not None) for job in artifacts.jobs),
        (alias.full_name for alias in artifacts.aliases),
    )
    writer = BuildWriter(output, planned)
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


@dataclass(frozen=True)
class Entry:
    """What the manifest says of one job or stable job, and what writing its files did."""

    name: str  # the manifest sorts its lines by it
    line: str  # its line of the manifest: made where it was rendered, on every core
    files: dict[str, str]  # path -> sha256 of what the build folder holds there
    written: int
    # path -> (size, mtime in ns) of each file this compile wrote or found holding its
    # bytes (none for a Kept job: the render cache has them from the last compile)
    signatures: dict[str, tuple[int, int]] = field(default_factory=dict)


def planned_files(jobs: Iterable[tuple[str, bool]], aliases: Iterable[str]) -> set[str]:
    """The paths a build writes, recorded before any is written: each job's config (and its
    Groovy, when it has one: `(full name, has Groovy)`), each stable job's config."""
    files: set[str] = set()
    for full_name, has_groovy in jobs:
        config, script = job_paths(full_name)
        files.update((config, script) if has_groovy else (config,))
    files.update(job_paths(full_name)[0] for full_name in aliases)
    return files


class BuildWriter:
    """Writes one compile into the build folder, a job at a time, from any process.

    Opening it checks the folder (guard), removes the manifest and records every
    planned file as jobgen's before any is written; `add` writes a job's files whose
    bytes differ from the last manifest's and returns its entry (a forked renderer
    calls it: only the entry travels back); `finish` removes the files of jobs that
    are gone and writes the manifest last.
    """

    def __init__(self, output: Path, planned: set[str]) -> None:
        with writing(output):
            self._open(output, planned)

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
        output.mkdir(parents=True, exist_ok=True)
        self._record_planned(planned)
        self._checked: set[str] = set()  # folders found real (guard.write_file)
        remove_file(output, MANIFEST, self._checked)

    def _record_planned(self, planned: set[str]) -> None:
        record_owned(self._output, self._owned | planned)

    def add(self, item: RenderedJob | RenderedAlias | Kept) -> Entry:
        """Write `item`'s files unless the build already holds those bytes."""
        try:  # `writing`'s work, without a context manager's generator once a job
            return self._add(item)
        except OSError as error:
            raise _failed(error, self._output) from error

    def _add(self, item: RenderedJob | RenderedAlias | Kept) -> Entry:
        if isinstance(item, Kept):  # the render cache checked its files: nothing to write
            paths = [path for path, _ in item.files]
            if isinstance(item.item, RenderedJob):
                manifest = _job_entry(item.item, paths[0], paths[1] if paths[1:] else None)
            else:
                manifest = _alias_entry(item.item, paths[0])
            return _entry(manifest, dict(item.files), 0)
        files: dict[str, bytes | str] = {}
        if isinstance(item, RenderedJob):
            config, script = job_paths(item.full_name)
            files[config] = item.config_xml
            if item.groovy is not None:
                files[script] = item.groovy
            manifest = _job_entry(item, config, script if item.groovy is not None else None)
        else:
            config = job_paths(item.full_name)[0]
            files[config] = item.config_xml
            manifest = _alias_entry(item, config)
        hashes: dict[str, str] = {}
        signatures: dict[str, tuple[int, int]] = {}
        written = 0
        for path, data in files.items():
            hashes[path] = digest = sha256_hex(data)  # the render cache's entry asks it too
            content = _bytes(data)
            # The manifest says what was written, not what the folder holds now: a file
            # edited by hand since must be written again, so the bytes are compared.
            if self._previous.get(path) == digest:
                held = _holds(os.path.join(self._output, path), content)
                if held is not None:
                    signatures[path] = held
                    continue
            signatures[path] = write_file(self._output, path, content, self._checked)
            written += 1
        return _entry(manifest, hashes, written, signatures)

    def finish(self, jobs: Iterable[Entry], aliases: Iterable[Entry]) -> Written:
        """Remove what no job wrote this time, then write the manifest: the build is whole."""
        with writing(self._output):
            return self._finish(list(jobs), list(aliases))

    def _finish(self, jobs: list[Entry], aliases: list[Entry]) -> Written:
        hashes = {path: sha for entry in [*jobs, *aliases] for path, sha in entry.files.items()}
        written = sum(entry.written for entry in [*jobs, *aliases])
        # Only files an earlier compile recorded are deleted, never anything else in the folder.
        stale = sorted(self._owned - set(hashes) - {MANIFEST})
        removed = sum(remove_file(self._output, path, self._checked) for path in stale)
        files = [file_line(path, sha) for path, sha in sorted(hashes.items())]
        text = manifest_text(
            [e.line for e in sorted(aliases, key=_by_name)],
            files,
            [e.line for e in sorted(jobs, key=_by_name)],
        )
        self._write_manifest(text, files)
        signatures: dict[str, tuple[int, int]] = {}
        for entry in [*jobs, *aliases]:
            signatures.update(entry.signatures)
        return Written(written, len(hashes) - written, removed, signatures)

    def _write_manifest(self, text: str, files: list[str]) -> str:
        """The last write: the manifest, then the record of exactly the files it lists
        (`files`: its file lines). Returns the manifest's sha256."""
        data = text.encode("utf-8")
        write_file(self._output, MANIFEST, data, self._checked)
        record_quoted(self._output, [quoted_path(line) for line in files])
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


def job_paths(full_name: str) -> tuple[str, str]:
    """Where a job's config.xml and its Groovy (when it has one) go in the build folder.

    The Groovy file is `jobs/frontend/frontend_build_test_v9_1a2b3c4.groovy`: Groovy names
    a script's class after its file, and a dash in a class name stops `groovy FILE`.
    """
    folder, _, name = full_name.rpartition("/")
    safe = _NOT_A_CLASS_NAME.sub("_", name)
    script = f"{JOBS}/{folder}/{safe}.groovy" if folder else f"{JOBS}/{safe}.groovy"
    return f"{JOBS}/{full_name}.xml", script


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _job_entry(job: RenderedJob, config: str, groovy: str | None) -> dict[str, object]:
    entry: dict[str, object] = {
        "name": job.job.name,
        "deployed_name": job.deployed_name,
        "full_name": job.full_name,
        "component": job.job.component,
        "kind": job.job.kind,
        "version": job.version,
        "git_hash": job.git_hash,
        "config_sha256": job.config_sha256,
        "calls": sorted({call.target for call in job.job.calls}),
        "config": config,
        "plugins": list(job.plugins),
    }
    if groovy is not None:
        entry["groovy"] = groovy
    return entry


def _alias_entry(alias: RenderedAlias, config: str) -> dict[str, object]:
    return {
        "name": alias.name,
        "full_name": alias.full_name,
        "component": alias.component,
        "target": alias.target,
        "config_sha256": alias.config_sha256,
        "config": config,
    }


def _by_name(entry: Entry) -> str:
    return entry.name


def _entry(
    manifest: dict[str, object],
    files: dict[str, str],
    written: int,
    signatures: dict[str, tuple[int, int]] | None = None,
) -> Entry:
    return Entry(str(manifest["name"]), entry_line(manifest), files, written, signatures or {})


def entry_line(entry: dict[str, object]) -> str:
    """A job's or stable job's line of the manifest (what json.dumps(entry, sort_keys=True)
    writes, by one encoder made once instead of one made a line: 19,000 lines a build)."""
    return _LINE.encode(entry)


# json.dumps's own settings but for check_circular: an entry holds strings and lists only.
_LINE = json.JSONEncoder(sort_keys=True, check_circular=False)


def file_line(path: str, sha256: str) -> str:
    """A file's line of the manifest."""
    return f"{quoted(path)}: {quoted(sha256)}"


def quoted_path(line: str) -> str:
    """The path of a file line of the manifest, as a JSON string (`quoted(path)`)."""
    return line[:-_SHA_END]


def file_sha256(line: str) -> str:
    """The sha256 of a file line of the manifest."""
    return line[-_SHA_END + len(': "') : -1]


_SHA_END = len(': ""') + 64  # after the path: `: "<sha256, 64 hex digits>"`


def manifest_text(aliases: list[str], files: list[str], jobs: list[str]) -> str:
    """The manifest as JSON with one job, alias or file a line, each section sorted: readable,
    diffable, and written by json's C encoder (an indented dump of 14,000 jobs takes the
    slow path). jobgen/output/build_patch.py reads this layout back line by line."""

    return manifest_of(",\n".join(aliases), ",\n".join(files), ",\n".join(jobs))


def manifest_of(aliases: str, files: str, jobs: str) -> str:
    """manifest_text of each section's lines joined by ",\n"."""

    def entries(body: str) -> str:
        return "[\n" + body + "\n]" if body else "[]"

    lines = [
        f'"aliases": {entries(aliases)}',
        '"files": {\n' + files + "\n}",
        f'"jobs": {entries(jobs)}',
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _previous_files(manifest: Path) -> dict[str, str]:
    """The last manifest's files with their sha256 (none when it is absent or unreadable)."""
    try:
        files = json.loads(read_plain(manifest)).get("files", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return files if isinstance(files, dict) else {}
