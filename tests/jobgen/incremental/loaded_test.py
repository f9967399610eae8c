"""A recompile parses only the component files whose bytes changed, and trusts no foreign cache."""

from __future__ import annotations

import os
import pickle
import re
from pathlib import Path

from jobgen.compiler import prepare_tree
from jobgen.incremental import store
from jobgen.incremental.loaded import KIND, LoadCache


def _prepare() -> tuple[LoadCache, object]:
    cache = LoadCache(Path("build"))
    prepared = prepare_tree(Path("components"), reuse=cache)
    assert prepared.versioned is not None
    cache.save()
    return cache, prepared.versioned


def _edit(path: Path, pattern: str, replacement: str) -> None:
    path.write_text(re.sub(pattern, replacement, path.read_text(), count=1, flags=re.M))


def test_one_changed_file_is_loaded_again_the_others_come_from_the_cache(repo):
    first, _ = _prepare()
    assert first.reused == 0
    _edit(repo / "components" / "teams-api.yaml", r"^description: ", "description: changed ")
    again, versioned = _prepare()
    files = len(list((repo / "components").glob("*.yaml")))
    assert again.reused == files - 1
    cold = prepare_tree(Path("components")).versioned
    assert versioned == cold


def test_a_template_change_loads_every_file_again(repo):
    _prepare()
    template = repo / "components" / "_templates" / "core-service.yaml"
    _edit(template, r"^branch: .*$", "branch: release")
    again, versioned = _prepare()
    assert again.reused == 0
    assert versioned == prepare_tree(Path("components")).versioned
    jobs = [j for j in versioned.plan.jobs if j.component == "teams-api"]  # type: ignore[attr-defined]
    assert any("release" in repr(j.spec) for j in jobs)


class _Hostile:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("touch owned-by-cache",))


def test_a_cache_holding_any_other_class_is_refused_never_run(repo):
    _prepare()
    cache_file = next((repo / ".jobgen" / "cache").glob(f"*.{KIND}"))
    payload = store.loads_plain(store.read(cache_file, KIND) or b"")
    assert isinstance(payload, tuple)
    salt, snapshot, entries = payload
    # A valid header and checksum around a payload that would run a command when unpickled.
    forged = {path: (digest, pickle.dumps(_Hostile())) for path, (digest, _) in entries.items()}
    store.write(cache_file, KIND, store.dumps_plain((salt, snapshot, forged)))
    again, versioned = _prepare()
    assert again.reused == 0
    assert not (repo / "owned-by-cache").exists()
    assert versioned == prepare_tree(Path("components")).versioned


def test_loads_cached_by_forked_processes_are_reused_whole(repo, monkeypatch):
    """A first load parses on every core and each child sends its files' loads pickled as
    the cache keeps them (load/loader.py `_Parse`): the next load reuses every file, and
    what it gives is what a load in one process without any cache gives."""
    from jobgen import parallel

    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)  # see parallel_test.py
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    monkeypatch.setattr(parallel, "RUN", 1)  # runs of one item: every process has work
    monkeypatch.setenv(parallel.WORKERS_ENV, "3")
    forks: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    first, forked = _prepare()
    assert forks  # the load did share its files out
    again, reused = _prepare()
    files = len(list((repo / "components").glob("*.yaml")))
    assert first.reused == 0 and again.reused == files
    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    alone = prepare_tree(Path("components")).versioned
    assert forked == alone and reused == alone
