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

import copyreg
import dataclasses
import functools
import hashlib
import operator
import os
import pickle
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jobgen import parallel
from jobgen.incremental import reads, store
from jobgen.output.build_dir import config_path, job_paths
from jobgen.output.digest import sha256_hex
from jobgen.plan.model import Job
from jobgen.plan.stable import StableJob
from jobgen.render.model import Entry, Files, Kept, Rendered, RenderedAlias

KIND = "render"


class RenderCache:
    """The entries of the last compile into `output`, and this compile's."""

    def __init__(self, output: Path) -> None:
        self._file = store.cache_file(output, KIND)
        reads.private(self._file.parent)
        # Renders read back from the build are outputs, not inputs: write_build owns jobs/
        # whole (it deletes whatever it did not write there), so no input can live in it.
        reads.private(output / "jobs")
        self._build = output
        self._build_path = os.fspath(output)
        self._salt = b""
        self._salted = hashlib.sha256()
        self._ahead: tuple[bytes, Sequence[Job], parallel.Meanwhile[Job, bytes]] | None = None
        self._keys: dict[str, tuple[Job, bytes]] = {}  # job name -> (the job, its key)
        self._old: dict[bytes, Entry] = {}
        self._new: dict[bytes, Entry] = {}  # recorded in this process, since its last share
        self._shares: list[tuple[bytes, int]] = []  # each process's entries, pickled; reused
        self._signatures: dict[str, tuple[int, int]] = {}  # path -> (size, mtime_ns) when saved
        self._saved = 0
        self._reads = reads.Reads()
        # path -> (size, mtime in ns) of each file the build writer wrote or found holding
        # its bytes in this process, as it saw them (output/build_dir.py fills it), or that
        # `untouched` found as the last compile recorded it
        self.written: dict[str, tuple[int, int]] = {}
        self.reused = 0

    def keys_ahead(self, jobs: Sequence[Job], *inputs: object) -> None:
        """Start working out the keys of `jobs` (the plan's, before versioning) in a forked
        child, for the render phase to take with the same `inputs` (`rendering`).

        A key is the job's plan data alone, known once the plan is: the versioner then works
        alone on one core for about a quarter of a second in a cold compile of 1000
        components, while the keys are a tenth of the render's CPU on every core.
        """
        self.stop_keys()
        salt = _salt(inputs)
        keys = parallel.meanwhile(functools.partial(_digest, salted=hashlib.sha256(salt)), jobs)
        self._ahead = salt, jobs, keys

    def stop_keys(self) -> None:
        """Stop working out keys ahead, when the render phase is not to run after all."""
        if self._ahead is not None:
            self._ahead[2].cancel()
            self._ahead = None

    @contextmanager
    def rendering(self, *inputs: object) -> Iterator[None]:
        """Around the render phase: `inputs` are what every job's render shares."""
        self._salt = _salt(inputs)
        self._salted = hashlib.sha256(self._salt)
        self._keys = self._taken_ahead()
        self._old = self._load()
        with reads.recording() as recorded, parallel.gathering(self._share) as shares:
            self._reads = recorded
            yield
        self._shares = shares
        self.reused = sum(reused for _, reused in shares)

    # Every method from here to `record` is called once a job, in whichever process renders
    # it (jobgen/parallel.py): they read the last compile's entries; `record` keeps the new
    # ones in that process, until the render's end gathers them (`_share`).

    def job_key(self, job: Job) -> bytes:
        """The key of a job's render inputs (its deployed name and calls included)."""
        ahead = self._keys.get(job.name)
        if ahead is not None and ahead[0] is job:  # the very job the key was worked out for
            return ahead[1]
        return _digest(job, self._salted)

    def _taken_ahead(self) -> dict[str, tuple[Job, bytes]]:
        """The keys `keys_ahead` worked out by now, by job name, when its inputs were these."""
        if self._ahead is None:
            return {}
        salt, jobs, keys = self._ahead
        self._ahead = None
        if salt != self._salt:
            keys.cancel()
            return {}
        done = keys.done()  # the keys of the first jobs: those the child got to
        return {job.name: (job, key) for job, key in zip(jobs[: len(done)], done, strict=True)}

    def alias_key(self, stable: StableJob, target: str, owner: str) -> bytes:
        """The key of a stable job's render: it, what it runs and the owner decide it all."""
        return _digest(("alias", stable, target, owner), self._salted)

    def found_job(self, key: bytes, names: Mapping[str, str], full_name: str) -> Entry | None:
        """The last compile's entry for `key`, when each name its render looked up is the same."""
        entry = self._old.get(key)
        if entry is None or not _same_names(entry, names, job_paths(full_name)):
            return None
        return entry

    def found_alias(self, key: bytes) -> Entry | None:
        """The last compile's entry for a stable job's `key`."""
        return self._old.get(key)

    def untouched(self, entry: Entry) -> tuple[tuple[str, str], ...] | None:
        """The entry's files (path, sha256) when each kept its size and mtime since the last
        compile recorded them: the build folder holds them as written, none is read.

        A file keeps both while nobody writes it; one whose mtime is too close to the
        record's to tell (git's "racy" rule) is read instead (`read_job`, `read_alias`).
        Those of files found untouched go to `written`, as the build holds them.
        """
        files = _entry_files(entry)
        found: list[tuple[str, tuple[int, int]]] = []
        for path, _ in files:
            recorded = self._signatures.get(path)
            if recorded is None or recorded[1] >= self._saved - reads.RACY_NS:
                return None
            try:  # lstat: the compile's recording wraps os.stat, and no symlink is followed
                now = os.lstat(os.path.join(self._build_path, path))
            except OSError:
                return None
            if (now.st_size, now.st_mtime_ns) != tuple(recorded):
                return None
            found.append((path, (now.st_size, now.st_mtime_ns)))
        self.written.update(found)
        return files or None

    @staticmethod
    def content_hash(entry: Entry) -> str:
        """A job entry's config_sha256 (the hash its marker carries)."""
        return str(entry[4])

    @staticmethod
    def kept_alias(entry: Entry, stable: StableJob, target: str, files: Files) -> Kept | None:
        """The stable job an untouched entry stands for, without its bytes."""
        alias = _alias(entry, stable, target, b"")
        return None if alias is None else Kept(alias, files)

    def read_job(self, entry: Entry) -> Rendered | None:
        """The job's render read back from the build folder, when it still is what was written."""
        try:
            _, paths, config_hash, groovy_hash, sha = entry
            config = (self._build / paths[0]).read_bytes()  # type: ignore[index]
            groovy = (self._build / paths[1]).read_text("utf-8") if groovy_hash else None  # type: ignore[index]
        except (OSError, ValueError, TypeError):
            return None
        if sha256_hex(config) != config_hash:
            return None
        if (None if groovy is None else sha256_hex(groovy)) != groovy_hash:
            return None
        return groovy, config, str(sha)

    def read_alias(self, entry: Entry, stable: StableJob, target: str) -> RenderedAlias | None:
        """The stable job's render read back from the build folder, when still as written."""
        try:
            config = (self._build / str(entry[0])).read_bytes()
        except (OSError, ValueError, TypeError, IndexError):
            return None
        if sha256_hex(config) != entry[1]:
            return None
        return _alias(entry, stable, target, config)

    @staticmethod
    def job_entry(full_name: str, rendered: Rendered, asked: Mapping[str, str | None]) -> Entry:
        """What the cache keeps of a fresh render (plain values).

        `asked` are the names the render looked up, with their full names: a later
        compile reuses it only while each of them is the same.
        """
        groovy, config, sha = rendered
        return (
            tuple(sorted(asked.items())),
            job_paths(full_name),
            sha256_hex(config),  # the build writer asks too: hashed once (output/digest.py)
            None if groovy is None else sha256_hex(groovy),
            sha,
        )

    @staticmethod
    def alias_entry(alias: RenderedAlias) -> Entry:
        """What the cache keeps of a stable job's fresh render."""
        return (
            config_path(alias.full_name),
            sha256_hex(alias.config_xml),
            alias.config_sha256,
            alias.content,
            alias.plugins,
        )

    def record(self, key: bytes, entry: Entry, reused: bool) -> None:
        """Keep an entry for the next compile (in the process that rendered the job)."""
        self._new[key] = entry
        self.reused += reused

    def _share(self) -> tuple[bytes, int]:
        """This process's entries since its last share, with the size and mtime of each file
        in `written`, pickled where they were made (at the render's end, in each process:
        jobgen/parallel.py); how many were reused. The parent then only joins the shares.

        In a compile, `written` holds every file of this process's entries: each entry's
        job went to the build writer, which wrote its files or found them holding their
        bytes, or this cache found them untouched. The writer's gathering, an outer block,
        has written its last files by now (commands/compile.py). A file written otherwise,
        after the render, has none: the next compile reads it back and checks its sha256.
        """
        share = store.dumps_plain((self._new, self.written)), self.reused
        self._new, self.reused = {}, 0
        return share

    def save(self) -> None:
        """Keep this compile's entries; call once the build folder holds its files."""
        saved = time.time_ns()  # after every write: see `untouched`
        shares = [entries for entries, _ in self._shares]
        payload = (self._salt, reads.snapshot(self._reads), shares, saved)
        store.write(self._file, KIND, store.dumps_plain(payload))

    def _load(self) -> dict[bytes, tuple[object, ...]]:
        record = store.read_record(self._file, KIND, self._salt, 4)
        if record is None:
            return {}
        _, shares, saved = record
        if not isinstance(shares, list) or not isinstance(saved, int):
            return {}
        entries: dict[bytes, tuple[object, ...]] = {}
        signatures: dict[str, tuple[int, int]] = {}
        for share in shares:
            value = store.loads_plain(share) if isinstance(share, bytes) else None
            if not isinstance(value, tuple) or len(value) != 2:
                return {}
            if not isinstance(value[0], dict) or not isinstance(value[1], dict):
                return {}
            entries.update(value[0])
            signatures.update(value[1])
        self._signatures, self._saved = signatures, saved
        return entries


def _alias(entry: Entry, stable: StableJob, target: str, config: bytes) -> RenderedAlias | None:
    """The stable job a cache entry `(path, config hash, sha, content, plugins)` recorded."""
    try:
        _, _, sha, content, plugins = entry
        names = tuple(str(p) for p in plugins)  # type: ignore[attr-defined]
    except (ValueError, TypeError):
        return None
    return RenderedAlias(
        stable.name,
        stable.component,
        stable.full_name,
        target,
        config,
        str(sha),
        stable,
        str(content),
        names,
    )


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


def _salt(inputs: tuple[object, ...]) -> bytes:
    """What every key of a render starts with: jobgen and its libraries, then `inputs`."""
    return reads.environment().encode() + _digest(inputs)


def _digest(value: object, salted: hashlib._Hash | None = None) -> bytes:
    """The sha256 of `value`'s pickle (`_Pickler`), after what `salted` has hashed."""
    # Equal pickles unpickle to equal values, so equal digests mean equal inputs; the
    # reverse need not hold (a different pickle of equal values only costs a render).
    digest = hashlib.sha256() if salted is None else salted.copy()
    _Pickler(_Sink(digest), pickle.HIGHEST_PROTOCOL).dump(value)  # straight into the hash
    return digest.digest()


class _Sink:
    """A file whose writes go to a hash (the pickler writes each frame once, as a whole)."""

    def __init__(self, digest: hashlib._Hash) -> None:
        self.write = digest.update


def _dataclass(*_: object) -> None:
    """Stands for a dataclass in a key's pickle, which is hashed and never read back."""


class _Reducers(dict[type, Callable[[Any], Any]]):
    """How `_digest` pickles each type it meets: a dataclass as the name of its class and
    the values of its fields in order (a job's plan data is a tree of frozen dataclasses).

    That is the default pickle without the field names, and with the class's full name
    as a string (pickled once a key, then a memo reference) instead of the class itself,
    which the pickler looks up in its module at each key's first use of each class: about
    two thirds of the default's cost (the keys were the render phase's largest cost after
    templates and parse-back). The full name tells classes apart as the class did. Any
    other type is pickled as by default.
    """

    def __missing__(self, cls: type) -> Callable[[Any], Any]:
        reduce: Callable[[Any], Any] | None
        if dataclasses.is_dataclass(cls):
            reduce = _dataclass_reducer(cls)
        else:
            reduce = copyreg.dispatch_table.get(cls)
            reduce = reduce or operator.methodcaller("__reduce_ex__", pickle.HIGHEST_PROTOCOL)
        self[cls] = reduce
        return reduce


class _Pickler(pickle.Pickler):
    dispatch_table = _Reducers()


def _dataclass_reducer(cls: type) -> Callable[[Any], tuple[Callable[..., None], tuple[Any, ...]]]:
    """A dataclass instance as `_dataclass` of its class's full name and its fields' values."""
    tag = f"{cls.__module__}.{cls.__qualname__}"
    names = [field.name for field in dataclasses.fields(cls)]
    if len(names) > 1:
        values = operator.attrgetter(*names)  # a tuple of the values, in field order
        return lambda obj: (_dataclass, (tag, values(obj)))
    if names:
        value = operator.attrgetter(names[0])
        return lambda obj: (_dataclass, (tag, (value(obj),)))
    return lambda obj: (_dataclass, (tag, ()))
