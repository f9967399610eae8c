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
import pickle
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from jobgen.incremental import reads, store
from jobgen.output.build_dir import job_paths
from jobgen.plan.stable import StableJob
from jobgen.render.model import RenderedAlias

KIND = "render"
Rendered = tuple[str | None, bytes, str]  # groovy, config.xml, config sha256


class _Lookups(Mapping[str, str]):
    """The full names, remembering which ones a render asked for."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self._names = names
        self.asked: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        value = self._names[name]
        self.asked[name] = value
        return value

    def __iter__(self) -> Iterator[str]:
        self.asked.update(self._names)  # a render that walks all names depends on all of them
        return iter(self._names)

    def __len__(self) -> int:
        self.asked.update(self._names)
        return len(self._names)


class RenderCache:
    """The entries of the last compile into `output`, and this compile's."""

    def __init__(self, output: Path) -> None:
        self._file = store.cache_folder(output) / f"{output.resolve().name}.{KIND}"
        reads.private(self._file.parent)
        # Renders read back from the build are outputs, not inputs: write_build owns jobs/
        # whole (it deletes whatever it did not write there), so no input can live in it.
        reads.private(output / "jobs")
        self._build = output
        self._salt = b""
        self._old: dict[bytes, tuple[object, ...]] = {}
        self._new: dict[bytes, tuple[object, ...]] = {}
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

    def rendered(
        self,
        inputs: object,
        names: Mapping[str, str],
        full_name: str,
        fresh: Callable[[Mapping[str, str]], Rendered],
    ) -> Rendered:
        """The job's render read back from the build folder when still valid, else `fresh`'s."""
        key = hashlib.sha256(self._salt + _digest(inputs)).digest()
        paths = job_paths(full_name)
        entry = self._old.get(key)
        found = self._reuse(entry, names, paths) if entry is not None else None
        if found is not None:
            self._new[key] = entry  # type: ignore[assignment]
            self.reused += 1
            return found
        lookups = _Lookups(names)
        groovy, config, sha = fresh(lookups)
        self._new[key] = (
            tuple(sorted(lookups.asked.items())),
            paths,
            hashlib.sha256(config).hexdigest(),
            None if groovy is None else hashlib.sha256(groovy.encode()).hexdigest(),
            sha,
        )
        return groovy, config, sha

    def alias(
        self, stable: StableJob, target: str, owner: str, fresh: Callable[[], RenderedAlias]
    ) -> RenderedAlias:
        """A stable job's render read back from the build folder when still valid, else `fresh`'s.

        The stable job, what it runs and the owner decide everything the alias holds
        but its bytes, which the build folder keeps.
        """
        key = hashlib.sha256(self._salt + b"alias" + _digest((stable, target, owner))).digest()
        entry = self._old.get(key)
        if entry is not None:
            found = self._reuse_alias(entry, stable, target)
            if found is not None:
                self._new[key] = entry
                self.reused += 1
                return found
        alias = fresh()
        self._new[key] = (
            job_paths(alias.full_name)[0],
            hashlib.sha256(alias.config_xml).hexdigest(),
            alias.config_sha256,
            alias.content,
            alias.plugins,
        )
        return alias

    def _reuse_alias(
        self, entry: tuple[object, ...], stable: StableJob, target: str
    ) -> RenderedAlias | None:
        try:
            path, config_hash, sha, content, plugins = entry
            config = (self._build / str(path)).read_bytes()
        except (OSError, ValueError, TypeError):
            return None
        if hashlib.sha256(config).hexdigest() != config_hash:
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
            tuple(str(p) for p in plugins),  # type: ignore[attr-defined]
        )

    def save(self) -> None:
        """Keep this compile's entries (call once the build folder holds its files)."""
        payload = (self._salt, reads.snapshot(self._reads), self._new)
        store.write(self._file, KIND, store.dumps_plain(payload))

    def _load(self) -> dict[bytes, tuple[object, ...]]:
        data = store.read(self._file, KIND)
        value = store.loads_plain(data) if data is not None else None
        if not isinstance(value, tuple) or len(value) != 3:
            return {}
        salt, snapshot, entries = value
        if salt != self._salt or not isinstance(entries, dict):
            return {}
        if not isinstance(snapshot, dict) or not reads.unchanged(snapshot):
            return {}
        return entries

    def _reuse(
        self, entry: tuple[object, ...], names: Mapping[str, str], paths: tuple[str, str]
    ) -> Rendered | None:
        try:
            asked, old_paths, config_hash, groovy_hash, sha = entry
            if old_paths != paths or any(names.get(n) != v for n, v in asked):  # type: ignore[attr-defined]
                return None
            config = (self._build / paths[0]).read_bytes()
            groovy = (self._build / paths[1]).read_text("utf-8") if groovy_hash else None
        except (OSError, ValueError, TypeError):
            return None
        if hashlib.sha256(config).hexdigest() != config_hash:
            return None
        if (None if groovy is None else hashlib.sha256(groovy.encode()).hexdigest()) != groovy_hash:
            return None
        return groovy, config, str(sha)


def _digest(value: object) -> bytes:
    # Equal pickles unpickle to equal values, so equal digests mean equal inputs; the
    # reverse need not hold (a different pickle of equal values only costs a render).
    return hashlib.sha256(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)).digest()
