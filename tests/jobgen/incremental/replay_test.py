"""The incremental compile gives exactly what a cold compile gives, whatever changed."""

from __future__ import annotations

import json
import os
import random
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import jobgen.compiler
from jobgen import parallel
from jobgen.incremental import reads, replay, store
from jobgen.incremental.replay import build_state, cache_file
from jobgen.render.templates import environment
from tests.jobgen.incremental.compiles import Compiles as _Repo
from tests.jobgen.incremental.compiles import edit as _edit
from tests.repos import commit_all, git


def _changes(repo: _Repo, rng: random.Random) -> list[Callable[[], None]]:
    components = repo.components
    yamls = sorted(components.glob("*.yaml"))
    scripts = sorted(components.rglob("*.bash")) + sorted(components.rglob("*.groovy"))
    n = rng.randrange(1000)

    def describe() -> None:
        _edit(rng.choice(yamls), r"^description: (.*)$", rf"description: \1 {n}")

    def step() -> None:
        _edit(components / "frontend.yaml", r"^  test: .*$", f"  test: npm test -- --shard {n}")

    def depend() -> None:
        # A leaf's dependencies are what its dependencies' releases see of it.
        frontend = components / "frontend.yaml"
        text = frontend.read_text()
        fewer = text.replace("[platform-api, teams-api]", "[platform-api]")
        frontend.write_text(
            fewer if fewer != text else text.replace("[platform-api]", "[platform-api, teams-api]")
        )

    def integration() -> None:
        # What a dependency's release runs of the leaf: its integration test, by name.
        frontend = components / "frontend.yaml"
        text = frontend.read_text()
        without = re.sub(r"^  integration_test: .*\n", "", text, flags=re.M)
        frontend.write_text(
            without
            if without != text
            else text.replace(
                "\ndependencies:", f"\n  integration_test: npm run it {n}\ndependencies:", 1
            )
        )

    def script() -> None:
        path = rng.choice(scripts)
        path.write_text(
            path.read_text() + f"\n// {n}\n" if path.suffix == ".groovy" else f"\n# {n}\n"
        )

    def template() -> None:
        # Every component extending it changes, though none of their files did.
        _edit(components / "_templates" / "core-service.yaml", r"^branch: .*$", f"branch: b{n}")

    def defaults() -> None:
        (components / "_defaults.yaml").write_text(f"requirements:\n  labels: [pool-{n}]\n")

    def settings() -> None:
        _edit(repo.root / "jobgen.yaml", r"^owner: .*$", f"owner: team-{n}")

    def add() -> None:
        text = (components / "teams-api.yaml").read_text()
        (components / f"extra-{n}.yaml").write_text(text.replace("teams-api", f"extra-{n}", 1))

    def remove() -> None:
        extras = sorted(components.glob("extra-*.yaml"))
        if extras:
            rng.choice(extras).unlink()

    def commit() -> None:
        git(repo.root, "add", "-A")
        git(repo.root, "commit", "-q", "--allow-empty", "-m", f"change {n}")

    def amend() -> None:
        # The same files under a new commit: every version's hash changes.
        git(
            repo.root,
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-q",
            "--amend",
            "--allow-empty",
            "-m",
            f"amended {n}",
        )

    def touch() -> None:
        os.utime(rng.choice(yamls))

    def mode() -> None:
        repo.mode = "test" if repo.mode == "prod" else "prod"

    def broken() -> None:
        (components / "broken.yaml").write_text("component: broken\nbranch: [not, a, string]\n")

    def revert() -> None:
        git(repo.root, "checkout", "-q", "--", ".")

    return [
        describe,
        step,
        depend,
        integration,
        script,
        template,
        defaults,
        settings,
        add,
        remove,
        commit,
        amend,
        touch,
        mode,
        broken,
        revert,
    ]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_compiles_equal_cold_compiles_through_random_changes(
    tmp_path, monkeypatch, seed
):
    repo = _Repo(tmp_path, monkeypatch)
    rng = random.Random(seed)
    assert not repo.check()
    done = []
    for _ in range(16):
        change = rng.choice(_changes(repo, rng))
        change()
        done.append(change.__name__)
        repo.check()
        # Nothing changed since the last check: a successful compile is replayed.
        assert repo.check() == repo.ok, f"replayed: {not repo.ok} after {done}"
        if change.__name__ == "broken":
            assert not repo.ok
            (repo.components / "broken.yaml").unlink()
            repo.check()
        assert repo.ok, f"failed after {done}"
    assert repo.sliced, f"no change was compiled alone: {done}"


def test_a_touched_file_with_the_same_bytes_is_replayed(tmp_path, monkeypatch):
    repo = _Repo(tmp_path, monkeypatch)
    repo.check()
    os.utime(repo.components / "frontend.yaml")
    assert repo.check()


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-10],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped
        lambda data: data.replace(b"format=", b"format=9", 1),  # another format
        lambda data: b"some other tool's cache\n" + data,  # foreign
        lambda data: b"",
    ],
)
def test_a_corrupt_or_foreign_record_is_ignored(tmp_path, monkeypatch, damage):
    repo = _Repo(tmp_path, monkeypatch)
    repo.check()
    record = cache_file(repo.root / "build")
    record.write_bytes(damage(record.read_bytes()))
    # A change the damaged record cannot know about: trusting it would replay the old build.
    _edit(repo.components / "frontend.yaml", r"^description: .*$", "description: changed")
    before = repo.full_compiles
    assert not repo.check()
    assert repo.full_compiles == before + 2
    assert b"description: changed" not in (repo.root / "build" / "manifest.json").read_bytes()


def test_a_record_rewritten_with_a_valid_checksum_still_needs_matching_inputs(
    tmp_path, monkeypatch
):
    repo = _Repo(tmp_path, monkeypatch)
    repo.check()
    record = cache_file(repo.root / "build")
    payload = store.read(record, "compile")
    assert payload is not None
    store.write(record, "compile", payload.replace(b'"jobs": ', b'"jobs": 1', 1))
    _edit(repo.components / "frontend.yaml", r"^description: .*$", "description: changed")
    # Compiled alone or whole, the summary counts the jobs the build holds, never the record's.
    repo.check()


def test_a_build_folder_changed_by_hand_is_compiled_again(tmp_path, monkeypatch):
    repo = _Repo(tmp_path, monkeypatch)
    repo.check()
    config = next((repo.root / "build" / "jobs").rglob("*.xml"))
    config.unlink()
    assert not repo.check()
    assert config.is_file()


def test_an_input_changed_while_compiling_leaves_no_record(tmp_path, monkeypatch):
    repo = _Repo(tmp_path, monkeypatch)
    prepare_tree = jobgen.compiler.prepare_tree
    frontend = repo.components / "frontend.yaml"

    def edited_midway(*args: object, **kwargs: object) -> object:
        result = prepare_tree(*args, **kwargs)  # type: ignore[arg-type]
        frontend.write_text(frontend.read_text().replace("description: ", "description: new ", 1))
        return result

    monkeypatch.setattr(jobgen.compiler, "prepare_tree", edited_midway)
    repo.compile("build")
    monkeypatch.setattr(jobgen.compiler, "prepare_tree", prepare_tree)
    # The build holds the old description; a replay would keep it for the new file.
    assert not repo.check()


def test_a_commit_made_while_compiling_is_not_recorded_as_the_one_the_versions_came_from(
    tmp_path, monkeypatch
):
    # git's facts are taken before the history is read (gitfacts.GitFacts): taken at the
    # end, the commit below was recorded, and the next compile replayed a build whose
    # versions were still the uncommitted ones.
    repo = _Repo(tmp_path, monkeypatch)
    _edit(repo.components / "frontend.yaml", r"^description: (.*)$", r"description: \1 new")
    prepare_tree = jobgen.compiler.prepare_tree

    def committed_midway(*args: object, **kwargs: object) -> object:
        result = prepare_tree(*args, **kwargs)  # type: ignore[arg-type]
        commit_all(repo.root, "committed while the jobs render")  # the files stay as read
        return result

    monkeypatch.setattr(jobgen.compiler, "prepare_tree", committed_midway)
    repo.compile("build")
    monkeypatch.setattr(jobgen.compiler, "prepare_tree", prepare_tree)
    assert "dirty" in (repo.root / "build" / "manifest.json").read_text()
    assert not repo.check()  # compiled again, as a cold compile of the commit


def test_the_first_compile_with_no_compiled_templates_yet_is_replayed(tmp_path, monkeypatch):
    # Compiled templates go to Jinja's per-user temp folder as the compile runs: they are
    # not inputs (reads.TEMPLATE_CACHE), or no first compile would leave a record.
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    environment.cache_clear()
    try:
        repo = _Repo(tmp_path, monkeypatch)
        assert not repo.check()
        assert list((tmp_path / "tmp").glob("_jinja2-cache-*/*"))
        assert repo.check()
    finally:
        environment.cache_clear()


def test_a_build_folder_looked_at_by_forked_processes_gives_what_one_process_gives(
    tmp_path, monkeypatch
):
    for component in range(6):
        folder = tmp_path / "jobs" / f"c{component}" / "nested"
        folder.mkdir(parents=True)
        for job in range(5):
            (folder.parent / f"job-{job}.xml").write_text(f"{component} {job}")
            (folder / f"inner-{job}.groovy").write_text("x" * job)
    jobs = str(tmp_path / "jobs")
    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    alone: dict[str, str] = {}
    racy_alone: dict[str, str] = {}
    count = build_state(jobs, alone, time.time_ns(), racy_alone)
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    monkeypatch.setattr(parallel, "RUN", 1)  # runs of one item: every process has work
    monkeypatch.setenv(parallel.WORKERS_ENV, "3")
    shared: dict[str, str] = {}
    racy_shared: dict[str, str] = {}
    assert build_state(jobs, shared, time.time_ns(), racy_shared) == count == 60
    assert shared == alone and racy_shared == racy_alone and len(racy_alone) == 60


def _record(repo: _Repo) -> dict[str, object]:
    payload = store.read(cache_file(repo.root / "build"), "compile")
    assert payload is not None
    return json.loads(payload)


@pytest.mark.parametrize("processes", [1, 3])
def test_the_record_of_the_build_folder_is_what_the_folder_holds(tmp_path, monkeypatch, processes):
    # The record's digests come from what the build writer saw of each file it wrote, kept
    # or found holding its bytes, in whichever process: they must be those of the folder.
    monkeypatch.setattr(reads, "RACY_NS", 0)  # files older than the record: found by stat
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    monkeypatch.setattr(parallel, "RUN", 1)  # runs of one item: every process has work
    monkeypatch.setenv(parallel.WORKERS_ENV, str(processes))
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)  # see parallel_test
    repo = _Repo(tmp_path, monkeypatch)
    for names in ((), ("teams-api", "frontend")):  # cold, then a full compile keeping files
        for name in names:
            _edit(repo.components / f"{name}.yaml", r"^description: (.*)$", r"description: \1 x")
        assert not repo.check()
        record = _record(repo)
        found: dict[str, str] = {}
        with monkeypatch.context() as alone:
            alone.setenv(parallel.WORKERS_ENV, "1")
            count = build_state(os.path.join("build", "jobs"), found)  # as the record names it
        assert record["folders"] == found and record["files"] == count
        assert repo.check()  # replayed


def test_a_file_changed_after_it_was_written_is_not_recorded_as_the_build(tmp_path, monkeypatch):
    # A file edited between its write and the compile record, even within the clock's tick
    # and to the same size, differs from what the compile wrote: the next compile writes it
    # again rather than replay a build that holds the edit.
    repo = _Repo(tmp_path, monkeypatch)
    real = replay.Recorder.save
    edited: list[Path] = []

    def edit_then_save(self: replay.Recorder, *args: object, **kwargs: object) -> None:
        if not edited:
            config = next((repo.root / "build" / "jobs").rglob("*.xml"))
            stat = config.stat()
            config.write_bytes(config.read_bytes().replace(b"<", b"[", 1))
            os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            edited.append(config)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(replay.Recorder, "save", edit_then_save)
    assert repo.compile("build")[0] == 0 and edited
    assert not repo.check()  # not replayed: written again, as the cold compile writes it
