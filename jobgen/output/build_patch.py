"""One component's jobs swapped into a build folder; every other file is left as it is.

A one-component compile (jobgen/incremental/sliced.py) renders only the jobs of
the component that changed. `BuildPatch` writes them as a full compile would
(build_dir.py): the files whose bytes differ, the removal of the component's
files that are gone, and a manifest byte for byte what a full compile writes.
The manifest holds one job, stable job or file a line, so it is patched line by
line rather than parsed whole (parsing 12 MB of JSON is a fifth of a second). Only
the manifest a compile wrote is patched: its sha256 must be the one the caller
recorded then, which also vouches for its layout without reading it twice. A
manifest that is not, or a build folder whose record of written files disagrees
with it, is not patched: the compile is then a full one.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from jobgen.output.build_dir import (
    JOBS,
    MANIFEST,
    BuildWriter,
    Entry,
    Written,
    writing,
)
from jobgen.output.guard import (
    OWNED,
    check_output,
    record_quoted,
    recorded_exactly,
    remove_file,
)
from jobgen.output.jsontext import quoted, unquoted
from jobgen.output.manifest_lines import file_lines, file_sha256, manifest_text, quoted_paths
from jobgen.output.sorted_lines import SEPARATOR, SortedLines, Span

T = TypeVar("T")
_SECTIONS = ('"aliases": ', '"files": ', '"jobs": ')


@dataclass(frozen=True)
class _Manifest:
    """The manifest's sections: the stable jobs' and jobs' lines where they lie in its text,
    the file lines (without their separating commas) with each file's path."""

    aliases: SortedLines
    files: list[str]
    jobs: SortedLines
    paths: list[str]
    quoted: list[str]  # each path as a JSON string, as the manifest and the record hold it


@dataclass(frozen=True)
class Patched:
    """What patching did, and the files the build folder now holds."""

    written: Written
    jobs: int  # in the manifest: the report counts them there, not in any record
    files: int
    touched: tuple[str, ...]  # paths written or removed
    manifest_sha256: str  # of the manifest written: the compile record keeps it


class BuildPatch(BuildWriter):
    """Writes one component's jobs into a build folder that holds a whole earlier compile
    (made by `open_patch`); `add` is BuildWriter's."""

    def __init__(
        self,
        output: Path,
        manifest: _Manifest,
        old: tuple[list[Span], list[Span]],
        owned: set[str],
        previous: dict[str, str],
        planned: set[str],
    ) -> None:
        # Not BuildWriter's opening: `open_patch` has checked the folder and read the manifest.
        self._keep(None)
        self._manifest = manifest
        self._old = old  # where the component's stable jobs and jobs lie in the last manifest
        with writing(output):
            self._start(output, owned, previous, planned)

    def _record_planned(self, planned: set[str]) -> None:
        # The last record, which open_patch found to list the manifest's files, with the new
        # paths put in their places: 26,000 paths are not sorted and quoted again.
        paths, listed = list(self._manifest.paths), list(self._manifest.quoted)
        for path in sorted(planned - self._owned):
            at = bisect.bisect_left(paths, path)
            paths.insert(at, path)
            listed.insert(at, quoted(path))
        record_quoted(self._output, listed)

    def finish_patch(self, jobs: Iterable[Entry], aliases: Iterable[Entry]) -> Patched:
        """Remove the component's files no job wrote this time, then write the manifest."""
        with writing(self._output):
            return self._finish_patch(list(jobs), list(aliases))

    def _finish_patch(self, jobs: list[Entry], aliases: list[Entry]) -> Patched:
        self._folders.close()  # the removals below may take folders away
        new_files = {path: sha for entry in [*jobs, *aliases] for path, sha in entry.files.items()}
        stale = sorted(set(self._previous) - set(new_files))
        removed = sum(remove_file(self._output, path, self._checked) for path in stale)
        manifest = self._manifest
        files = _merged(
            [
                pair
                for pair in zip(manifest.paths, manifest.files, strict=True)
                if pair[0] not in self._previous
            ],
            file_lines(new_files.items()),
            lambda pair: pair[0],
        )
        old_aliases, old_jobs = self._old
        job_lines = [entry.line for entry in jobs]
        alias_lines = [entry.line for entry in aliases]
        lines = [line for _, line in files]
        text = manifest_text(
            manifest.aliases.patched(old_aliases, alias_lines, _name),
            lines,
            manifest.jobs.patched(old_jobs, job_lines, _name),
        )
        manifest_sha256 = self._write_manifest(text, lines)
        written = sum(entry.written for entry in [*jobs, *aliases])
        touched = tuple(sorted({*new_files, *stale}))
        done = Written(written, len(files) - written, removed)
        count = manifest.jobs.count() - len(old_jobs) + len(job_lines)
        return Patched(done, count, len(files), touched, manifest_sha256)


def open_patch(
    output: Path, component: str, planned: set[str], manifest_sha256: str
) -> BuildPatch | None:
    """A patch of `component`'s jobs (whose files are `planned`) into the build at `output`;
    None, touching nothing, when the manifest is not the one whose sha256 the caller
    recorded after the compile that wrote it, the folder is not exactly what its manifest
    and its record of written files say, or a planned file is another component's.

    The caller has found the build's jobs/ folder file for file as the last compile
    left it (jobgen/incremental/replay.py's build_intact): only the rest of the
    output folder is checked for files jobgen did not write.
    """
    with writing(output):
        manifest = _read(output / MANIFEST, manifest_sha256)
        if manifest is None:
            return None
        if not recorded_exactly(output, manifest.quoted):
            return None  # an interrupted compile left files behind: a full one cleans up
        owned = set(manifest.paths)
        check_output(output, owned, (MANIFEST, OWNED), trusted=[JOBS])
        old = (_of(manifest.aliases, component), _of(manifest.jobs, component))
        old_files = {
            path
            for section, spans in zip((manifest.aliases, manifest.jobs), old, strict=True)
            for span in spans
            for path in _paths(json.loads(section.line(span)))
        }
        previous = {
            path: file_sha256(line)
            for path, line in zip(manifest.paths, manifest.files, strict=True)
            if path in old_files
        }
        if planned & (owned - set(previous)):
            return None
    return BuildPatch(output, manifest, old, owned, previous, planned)


def _read(path: Path, sha256: str) -> _Manifest | None:
    """The manifest's sections, when its bytes are those whose `sha256` the compile that
    wrote them (with manifest_text) recorded, and so in exactly that layout."""
    try:
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            return None
        text = data.decode("utf-8")
    except (OSError, ValueError):
        return None
    sections: list[SortedLines] = []
    at = 2  # after "{\n"
    brackets = (("[", "]"), ("{", "}"), ("[", "]"))
    for header, (opener, closer) in zip(_SECTIONS, brackets, strict=True):
        if not text.startswith(header, at):
            return None
        at += len(header)
        if text.startswith("[]", at):  # an empty list
            sections.append(SortedLines(text, at, at))
            at += 2
        else:
            # One entry a line (JSON has no raw line break inside a value): ",\n" ends each.
            # The jobs come last: their end is known without searching 7 MB for it.
            if header != _SECTIONS[-1]:
                end = text.find("\n" + closer, at)
            else:
                end = len(text) - len("\n]\n}\n") if text.endswith("\n]\n}\n") else -1
            if not text.startswith(opener + "\n", at) or end < 0:
                return None
            sections.append(SortedLines(text, at + 2, end))
            at = end + 2
        at += 2  # ",\n" between sections, "\n}" after the last
    aliases, files_section, jobs = sections
    body = files_section.line((files_section.start, files_section.end))
    files = body.split(SEPARATOR) if body else []
    listed = quoted_paths(files)
    return _Manifest(aliases, files, jobs, [unquoted(path) for path in listed], listed)


def _merged(kept: list[T], new: list[T], key: Callable[[T], str]) -> list[T]:
    """`kept` (sorted by `key`) with `new` put in their places."""
    merged = list(kept)
    for line in new:
        bisect.insort(merged, line, key=key)
    return merged


def _of(section: SortedLines, component: str) -> list[Span]:
    """Where `component`'s lines lie in `section`."""
    spans = section.containing(f'"component": {json.dumps(component)}')
    return [s for s in spans if json.loads(section.line(s)).get("component") == component]


def _name(line: str) -> str:
    return str(json.loads(line)["name"])


def _paths(entry: dict[str, object]) -> list[str]:
    return [str(entry[key]) for key in ("config", "groovy") if key in entry]
