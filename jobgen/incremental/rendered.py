"""Reuse of rendered jobs: a job whose render inputs are unchanged is read back from the build.

Rendering a job is a function of the job itself (the plan's frozen dataclass,
its deployed name included), the owner, the Groovy library, jobgen's own files
and the full names of the jobs it looks up. The key hashes the first four; the
names it looked up are stored with the entry and compared on use. The bytes are
not kept twice: the build folder holds them, and an entry is used only when the
file there still has the sha256 the entry recorded. Anything else the render
phase reads (a file outside jobgen's package) is recorded too, and when it
changed the whole cache is dropped.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from jobgen.incremental import reads, store
from jobgen.output.build_dir import job_paths
from jobgen.plan.stable import StableJob
from jobgen.render.model import Kept, RenderedAlias

KIND = "render"
Rendered = tuple[str | None, bytes, str]  # groovy, config.xml, config sha256


class RenderCache:
    """The entries of the last compile into `output`, and this compile's."""

    def __init__(self, output: Path) -> None:
        self._file = store.cache_folder(output) / f"{output.resolve().name}.{KIND}"
        reads.private(self._file.parent)
        # Renders read back from the build are outputs, not inputs: write_build owns jobs/
        # whole (it deletes whatever it did not write there), so no input can live in it.
        reads.private(output / "jobs")
        self._build = output
        self._build_path = os.fspath(output)
        self._salt = b""
        self._old: dict[bytes, tuple[object, ...]] = {}
        self._new: dict[bytes, tuple[object, ...]] = {}
        self._keys: dict[str, bytes] = {}  # full name -> key of its last lookup
        self._hits: dict[str, tuple[object, ...]] = {}  # full name -> entry found, not yet read
        self._signatures: dict[str, tuple[int, int]] = {}  # path -> (size, mtime_ns) when saved
        self._saved = 0
        self._reads = reads.Reads()
        self.reused = 0

    @contextmanager
    def rendering(self, *inputs: object) -> Iterator[None]:
        """Around the render phase: `inputs` are what every job's render shares."""
        self._salt = reads.environment().encode() + _digest(inputs)
        self._old = self._load()
        with reads.recording() as recorded:
            self._reads = recorded
            yield

    def job(self, job: object, names: Mapping[str, str], full_name: str) -> bool:
        """True when an earlier render of `job` may stand: same inputs, same names looked up.

        Its bytes are read back only when used (`read_job`), one job at a time.
        """
        key = hashlib.sha256(self._salt + _digest(job)).digest()
        self._keys[full_name] = key
        entry = self._old.get(key)
        if entry is None or not _same_names(entry, names, job_paths(full_name)):
            return False
        self._hits[full_name] = entry
        return True

    def kept_job(self, full_name: str) -> tuple[tuple[tuple[str, str], ...], str] | None:
        """The files (path, sha256) and content hash of the job `job` found, when the build
        folder still holds its files untouched since the last compile: none is read."""
        entry = self._untouched(full_name)
        return None if entry is None else (_entry_files(entry), str(entry[4]))

    def kept_alias(self, stable: StableJob, target: str) -> Kept | None:
        """The stable job `alias` found, without its bytes, when its file is untouched."""
        entry = self._untouched(stable.full_name)
        if entry is None:
            return None
        _, _, sha, content, plugins = entry
        alias = RenderedAlias(
            stable.name,
            stable.component,
            stable.full_name,
            target,
            b"",
            str(sha),
            stable,
            str(content),
            tuple(str(p) for p in plugins),  # type: ignore[attr-defined]
        )
        return Kept(alias, _entry_files(entry))

    def _untouched(self, full_name: str) -> tuple[object, ...] | None:
        """The entry found for `full_name` when each of its files kept its size and mtime.

        A file keeps both while nobody writes it; one whose mtime is too close to the
        record's to tell (git's "racy" rule) is read instead (`read_job`, `read_alias`).
        """
        entry = self._hits.get(full_name)
        if entry is None:
            return None
        files = _entry_files(entry)
        for path, _ in files:
            recorded = self._signatures.get(path)
            if recorded is None or recorded[1] >= self._saved - _RACY_NS:
                return None
            try:  # lstat: the compile's recording wraps os.stat, and no symlink is followed
                found = os.lstat(os.path.join(self._build_path, path))
            except OSError:
                return None
            if (found.st_size, found.st_mtime_ns) != tuple(recorded):
                return None
        del self._hits[full_name]
        self.keep(full_name, entry)
        self.reused += 1
        return entry

    def read_job(self, full_name: str) -> Rendered | None:
        """The earlier render `job` found, when the build folder still holds exactly it."""
        entry = self._hits.pop(full_name)
        try:
            _, paths, config_hash, groovy_hash, sha = entry
            config = (self._build / paths[0]).read_bytes()  # type: ignore[index]
            groovy = (self._build / paths[1]).read_text("utf-8") if groovy_hash else None  # type: ignore[index]
        except (OSError, ValueError, TypeError):
            return None
        if hashlib.sha256(config).hexdigest() != config_hash:
            return None
        if (None if groovy is None else hashlib.sha256(groovy.encode()).hexdigest()) != groovy_hash:
            return None
        self.keep(full_name, entry)
        self.reused += 1
        return groovy, config, str(sha)

    @staticmethod
    def job_entry(
        full_name: str, rendered: Rendered, asked: Mapping[str, str | None]
    ) -> tuple[object, ...]:
        """What the cache keeps of a fresh render (plain values: a forked renderer makes it).

        `asked` are the names the render looked up, with their full names: a later
        compile reuses it only while each of them is the same.
        """
        groovy, config, sha = rendered
        return (
            tuple(sorted(asked.items())),
            job_paths(full_name),
            hashlib.sha256(config).hexdigest(),
            None if groovy is None else hashlib.sha256(groovy.encode()).hexdigest(),
            sha,
        )

    @staticmethod
    def alias_entry(alias: RenderedAlias) -> tuple[object, ...]:
        """What the cache keeps of a stable job's fresh render."""
        return (
            job_paths(alias.full_name)[0],
            hashlib.sha256(alias.config_xml).hexdigest(),
            alias.config_sha256,
            alias.content,
            alias.plugins,
        )

    def keep(self, full_name: str, entry: tuple[object, ...]) -> None:
        """Keep the entry of a fresh render of what was last looked up under `full_name`."""
        self._new[self._keys.pop(full_name)] = entry

    def alias(self, stable: StableJob, target: str, owner: str) -> bool:
        """True when an earlier render of the stable job may stand (`read_alias` reads it).

        The stable job, what it runs and the owner decide everything the alias holds
        but its bytes, which the build folder keeps.
        """
        key = hashlib.sha256(self._salt + b"alias" + _digest((stable, target, owner))).digest()
        self._keys[stable.full_name] = key
        entry = self._old.get(key)
        if entry is None:
            return False
        self._hits[stable.full_name] = entry
        return True

    def read_alias(self, stable: StableJob, target: str) -> RenderedAlias | None:
        """The earlier render `alias` found, when the build folder still holds exactly it."""
        entry = self._hits.pop(stable.full_name)
        try:
            path, config_hash, sha, content, plugins = entry
            config = (self._build / str(path)).read_bytes()
        except (OSError, ValueError, TypeError):
            return None
        if hashlib.sha256(config).hexdigest() != config_hash:
            return None
        self.keep(stable.full_name, entry)
        self.reused += 1
        return RenderedAlias(
            stable.name,
            stable.component,
            stable.full_name,
            target,
            config,
            str(sha),
            stable,
            str(content),
            tuple(str(p) for p in plugins),  # type: ignore[attr-defined]
        )

    def save(self) -> None:
        """Keep this compile's entries (call once the build folder holds its files), with each
        file's size and mtime there: a later compile trusts a file that kept both."""
        saved = time.time_ns()  # before the files are looked at: see `kept`
        signatures = {}
        for entry in self._new.values():
            for path, _ in _entry_files(entry):
                try:
                    found = os.lstat(os.path.join(self._build_path, path))
                except OSError:
                    continue
                signatures[path] = (found.st_size, found.st_mtime_ns)
        payload = (self._salt, reads.snapshot(self._reads), self._new, signatures, saved)
        store.write(self._file, KIND, store.dumps_plain(payload))

    def _load(self) -> dict[bytes, tuple[object, ...]]:
        data = store.read(self._file, KIND)
        value = store.loads_plain(data) if data is not None else None
        if not isinstance(value, tuple) or len(value) != 5:
            return {}
        salt, snapshot, entries, signatures, saved = value
        if salt != self._salt or not isinstance(entries, dict):
            return {}
        if not isinstance(snapshot, dict) or not reads.unchanged(snapshot):
            return {}
        if isinstance(signatures, dict) and isinstance(saved, int):
            self._signatures, self._saved = signatures, saved
        return entries


_RACY_NS = 100_000_000  # well above a coarse file system clock's tick


def _entry_files(entry: tuple[object, ...]) -> tuple[tuple[str, str], ...]:
    """(path, sha256) of each file an entry's render wrote, config.xml first."""
    try:
        if len(entry) == 5 and isinstance(entry[1], tuple):  # a job: (asked, paths, hashes...)
            paths: tuple[object, object] = entry[1]
            config_hash, groovy_hash = entry[2], entry[3]
            files = [(paths[0], config_hash)] + ([(paths[1], groovy_hash)] if groovy_hash else [])
            return tuple((str(p), str(h)) for p, h in files)
        path, config_hash = entry[0], entry[1]  # a stable job: (path, hash, ...)
        return ((str(path), str(config_hash)),)
    except (TypeError, ValueError, IndexError):
        return ()


def _same_names(
    entry: tuple[object, ...], names: Mapping[str, str], paths: tuple[str, str]
) -> bool:
    """The entry was rendered to the same paths, and every name it looked up is unchanged."""
    try:
        asked, old_paths = entry[0], entry[1]
        return old_paths == paths and all(names.get(n) == v for n, v in asked)  # type: ignore[attr-defined]
    except (IndexError, ValueError, TypeError):
        return False


def _digest(value: object) -> bytes:
    # Equal pickles unpickle to equal values, so equal digests mean equal inputs; the
    # reverse need not hold (a different pickle of equal values only costs a render).
    return hashlib.sha256(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)).digest()
