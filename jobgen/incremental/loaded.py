"""Reuse of loaded component files: a file whose bytes are unchanged is not parsed again.

Loading one component file (YAML, defaults and templates, the schema, the
conversion) is a function of its bytes and of what else the load read: jobgen.yaml,
`_defaults.yaml`, templates, the files components reference, the folders listed.
The cache keeps, per component file, the sha256 of its bytes with the component and
the diagnostics it gave; everything else the load read is recorded as a whole, and
when any of it changed the cache is dropped. Checking that record reads those
files again, so every compile (and its replay record) still depends on them.

Components are jobgen's own frozen dataclasses: the cache is read back by an
unpickler that builds only those, paths and plain values, never any other class
or call (store.py's header and checksum turn away foreign and corrupt files).
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import importlib
import io
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jobgen.diagnostics import Diagnostic
from jobgen.incremental import reads, store
from jobgen.load.loader import Loaded
from jobgen.load.model import Component

KIND = "load"


class LoadCache:
    """The component files loaded by the last compile into `output`, and this compile's."""

    def __init__(self, output: Path) -> None:
        self._file = store.cache_file(output, KIND)
        reads.private(self._file.parent)
        self._salt = b""
        self._old: dict[str, tuple[str, bytes]] = {}
        self._new: dict[str, tuple[str, bytes]] = {}
        self._old_reads: dict[str, dict[str, str]] = {}
        self._reads = reads.Reads()
        self.reused = 0

    @contextmanager
    def loading(self, root: Path) -> Iterator[None]:
        """Around the load phase of the repository at `root`."""
        salt = f"{reads.environment()}\0{root.resolve()}\0{os.getcwd()}"
        self._salt = salt.encode(errors="surrogateescape")  # paths as the file system has them
        with reads.recording() as recorded:
            self._reads = recorded
            self._old = self._load()  # inside the recording: its checks are this load's reads
            yield

    def remembers(self) -> bool:
        """Whether the last compile left any file's load to reuse."""
        return bool(self._old)

    def get(self, path: Path, text: str) -> Loaded | None:
        """What loading `path` gave last time, when its bytes are `text`'s."""
        entry = self._old.get(str(path))
        if entry is None or entry[0] != _digest(text):
            return None
        loaded = _loads(entry[1])
        if loaded is None:
            return None
        self._new[str(path)] = entry
        self.reused += 1
        return loaded

    @staticmethod
    def pickled(loaded: Loaded) -> bytes:
        """What `put` keeps of a file's load: taken where the file was parsed (any process)."""
        return pickle.dumps(loaded, pickle.HIGHEST_PROTOCOL)

    def put(self, path: Path, text: str, pickled: bytes) -> None:
        """Remember what loading `path` (with bytes `text`) gave, as `pickled` made it."""
        self._new[str(path)] = (_digest(text), pickled)

    def previous(self, path: Path) -> tuple[str, Loaded] | None:
        """What the last compile's load of `path` gave, whatever the file holds now, with the
        sha256 of the bytes it was loaded from (a one-component compile compares with it)."""
        entry = self._old.get(str(path))
        loaded = None if entry is None else _loads(entry[1])
        return None if entry is None or loaded is None else (entry[0], loaded)

    def discard(self) -> None:
        """Keep nothing of this load (it found problems outside the component files)."""
        self._new.clear()

    def save(self, merge: bool = False) -> None:
        """Keep this load's entries, with a record of everything else it read.

        With `merge` (a load of a few files), the last compile's entries and reads are
        kept beside this load's: the whole record still covers every component file.
        """
        seen = reads.snapshot(self._reads)
        entries = {**self._old, **self._new} if merge else self._new
        if merge:
            seen = reads.merged(self._old_reads, seen)
        components = {os.path.abspath(path) for path in entries}
        seen["opened"] = {p: d for p, d in seen["opened"].items() if p not in components}
        payload = (self._salt, seen, entries)
        store.write(self._file, KIND, store.dumps_plain(payload))

    def _load(self) -> dict[str, tuple[str, bytes]]:
        record = store.read_record(self._file, KIND, self._salt, 3)
        if record is None or not isinstance(record[1], dict):
            return {}
        self._old_reads = record[0]  # type: ignore[assignment]
        return record[1]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# Outside jobgen: only the path classes a component holds.
_ALLOWED = {("pathlib", "PosixPath"), ("pathlib", "PurePosixPath"), ("pathlib", "Path")}


class _ComponentUnpickler(pickle.Unpickler):
    """Builds jobgen's dataclasses and enums, paths and plain values: no other class, no call."""

    def find_class(self, module: str, name: str) -> object:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        if module == "jobgen" or module.startswith("jobgen."):
            found = getattr(importlib.import_module(module), name, None)
            if isinstance(found, type) and (
                dataclasses.is_dataclass(found) or issubclass(found, enum.Enum)
            ):
                return found
        raise pickle.UnpicklingError(f"cache holds a global {module}.{name}: refused")


def _loads(data: bytes) -> Loaded | None:
    try:
        value = _ComponentUnpickler(io.BytesIO(data)).load()
    except Exception:  # any malformed payload means: load the file again
        return None
    if not isinstance(value, tuple) or len(value) != 2:
        return None
    component, diagnostics = value
    if component is not None and not isinstance(component, Component):
        return None
    if not isinstance(diagnostics, tuple) or not all(
        isinstance(d, Diagnostic) for d in diagnostics
    ):
        return None
    return component, diagnostics
