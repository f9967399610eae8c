"""HEAD's history read once: compiles while HEAD stays take it from the cache, never stale."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from jobgen.incremental import store
from jobgen.incremental.history_cache import KIND, HistoryCache
from jobgen.version.history import read_history
from tests.jobgen.incremental.compiles import Compiles, edit
from tests.repos import commit_all


@pytest.fixture
def git_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `git` first on PATH that logs its arguments, then runs the real git."""
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "git-calls.log"
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec {shutil.which("git")} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log


def _history_reads(log: Path) -> int:
    calls = log.read_text().splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return sum(" log " in f" {call} " for call in calls)


def test_a_compile_while_head_stays_reads_no_history_and_a_commit_reads_it_again(
    tmp_path, monkeypatch, git_calls
):
    repo = Compiles(tmp_path, monkeypatch)
    assert repo.compile("build")[0] == 0
    assert _history_reads(git_calls) == 1
    edit(repo.components / "frontend.yaml", r"^description: .*$", "description: one")
    edit(repo.components / "teams-api.yaml", r"^description: .*$", "description: two")
    assert repo.compile("build")[0] == 0  # two files changed: a full compile
    assert repo.full_compiles == 2 and repo.sliced == 0
    assert _history_reads(git_calls) == 0  # HEAD as it was: its history from the cache
    commit_all(repo.root, "describe")
    repo.check()  # HEAD moved: read again; byte for byte a cold compile's
    assert _history_reads(git_calls) == 2  # this compile's, and the cold one's
    assert "-v2-" in (repo.root / "build" / "manifest.json").read_text()


def test_the_cached_history_is_the_history_git_gives(tmp_path, monkeypatch):
    repo = Compiles(tmp_path, monkeypatch)
    cache = HistoryCache(repo.root / "build")
    first = read_history(repo.root, cache)
    assert read_history(repo.root, cache) == first == read_history(repo.root)


def test_a_cache_of_another_head_or_a_corrupt_one_is_not_used(tmp_path, monkeypatch):
    repo = Compiles(tmp_path, monkeypatch)
    cache = HistoryCache(repo.root / "build")
    before = read_history(repo.root, cache)
    (repo.components / "frontend.yaml").write_text(
        (repo.components / "frontend.yaml").read_text() + "\n"
    )
    commit_all(repo.root, "one more commit")
    after = read_history(repo.root, cache)
    assert len(after.commits) == len(before.commits) + 1
    assert after == read_history(repo.root)
    file = store.cache_file(repo.root / "build", KIND)
    file.write_bytes(file.read_bytes().replace(b'"head"', b'"hexd"'))  # checksum now wrong
    assert cache.get(after.commits[0], "") is None
    assert read_history(repo.root, cache) == after
