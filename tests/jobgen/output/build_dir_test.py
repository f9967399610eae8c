"""The build writer: what it writes, and the size and mtime it reports for each file."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from jobgen.incremental.replay import build_state
from jobgen.output.build_dir import (
    BuildWriter,
    WriteFailed,
    config_path,
    job_paths,
    planned_files,
    write_build,
)
from jobgen.output.guard import OWNED
from jobgen.render.model import RenderedJob


def _found(build: Path, paths: object) -> dict[str, tuple[int, int]]:
    stats = {p: os.lstat(build / p) for p in paths}  # type: ignore[attr-defined]
    return {p: (s.st_size, s.st_mtime_ns) for p, s in stats.items()}


def test_each_file_written_or_found_unchanged_is_reported_with_its_size_and_mtime(artifacts):
    # The render cache trusts a file that kept these (incremental/rendered.py): they must
    # be the file's own, for one just written and for one found holding its bytes alike.
    build = Path("build")
    first: dict[str, tuple[int, int]] = {}
    assert write_build(artifacts, build, first).written == len(first) > 0
    assert first == _found(build, first)
    again: dict[str, tuple[int, int]] = {}
    assert write_build(artifacts, build, again).written == 0 and again == first


def test_a_file_edited_since_is_written_again_and_reported_as_it_now_is(artifacts):
    build = Path("build")
    first: dict[str, tuple[int, int]] = {}
    write_build(artifacts, build, first)
    path = next(p for p in first if p.endswith(".xml"))
    original = (build / path).read_bytes()
    (build / path).write_bytes(original + b"edited")
    again: dict[str, tuple[int, int]] = {}
    assert write_build(artifacts, build, again).written == 1
    assert (build / path).read_bytes() == original
    assert again == _found(build, first)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_jobs_put_in_shares_make_the_build_they_make_added_one_by_one(artifacts, tmp_path):
    # Each forked renderer puts its jobs and hands its share of the manifest over once
    # (commands/compile.py): the shares, however the jobs fell into them, give the same
    # folder, manifest and record of written files byte for byte.
    whole = write_build(artifacts, tmp_path / "whole")
    items = [*artifacts.jobs, *artifacts.aliases]
    writer = BuildWriter(
        tmp_path / "shared",
        planned_files(
            ((job.full_name, job.groovy is not None) for job in artifacts.jobs),
            (alias.full_name for alias in artifacts.aliases),
        ),
    )
    shares = []
    for start in range(3):  # every third item, as three processes share them out
        for item in items[start::3]:
            writer.put(item)
        shares.append(writer.share())
    done = writer.finish_shares(reversed(shares))
    assert done.manifest_sha256 == whole.manifest_sha256
    assert (done.written, done.unchanged, done.removed) == (whole.written, 0, 0)
    assert done.folders is not None and whole.folders is not None
    assert done.folders.keys() == whole.folders.keys()  # the same folders, of other mtimes
    # What the compile record keeps of each folder is what a look at it finds.
    found: dict[str, str] = {}
    build_state(os.path.join(tmp_path / "shared", "jobs"), found)
    assert {os.path.join(tmp_path / "shared", f): d for f, d in done.folders.items()} == found
    assert _tree(tmp_path / "shared") == _tree(tmp_path / "whole")


@pytest.mark.parametrize(
    ("full_name", "script"),
    [
        ("frontend/frontend-build-v9_1a2b3c4", "jobs/frontend/frontend_build_v9_1a2b3c4.groovy"),
        ("plain", "jobs/plain.groovy"),
        ("a/b/x.y z", "jobs/a/b/x_y_z.groovy"),
        ("f/café-1", "jobs/f/caf__1.groovy"),  # not ASCII: not a letter to Groovy's file name
        ("f/--", "jobs/f/__.groovy"),
    ],
)
def test_a_scripts_file_name_is_a_groovy_class_name(full_name, script):
    # `groovy FILE` names the script's class after the file: a dash or a dot stops it.
    assert job_paths(full_name) == (f"jobs/{full_name}.xml", script)
    assert config_path(full_name) == f"jobs/{full_name}.xml"
    # planned_files works the paths out on its own: the same ones
    assert planned_files([(full_name, True)], [full_name]) == {f"jobs/{full_name}.xml", script}


def test_a_jobs_folder_replaced_by_a_symlink_midway_is_never_written_through(artifacts, tmp_path):
    # The folders are checked when the writer opens them, not again at each file: what it
    # writes later must still land in the folder it checked, never where a link points.
    by_folder: dict[str, list[RenderedJob]] = {}
    for job in artifacts.jobs:
        by_folder.setdefault(job.full_name.rpartition("/")[0], []).append(job)
    folder, jobs = next((f, js) for f, js in by_folder.items() if f and len(js) > 1)
    build, outside = tmp_path / "build", tmp_path / "outside"
    outside.mkdir()
    writer = BuildWriter(build, planned_files(((j.full_name, False) for j in jobs), ()))
    writer.add(jobs[0])
    shutil.rmtree(build / "jobs" / folder)
    (build / "jobs" / folder).symlink_to(outside)
    with pytest.raises(WriteFailed):
        writer.add(jobs[1])
    assert list(outside.iterdir()) == []


def test_the_record_names_each_planned_file_before_any_write_then_the_manifests_sorted(
    artifacts, tmp_path
):
    # After a crash midway, the next compile deletes only what the record names (guard.py):
    # every planned file is in it before the first write; the finished build's record is
    # exactly the manifest's files, sorted, as build_patch.py checks it.
    build = tmp_path / "build"
    planned = planned_files(
        ((job.full_name, job.groovy is not None) for job in artifacts.jobs),
        (alias.full_name for alias in artifacts.aliases),
    )
    writer = BuildWriter(build, planned)
    assert set(json.loads((build / OWNED).read_text())["written"]) == planned
    jobs = [writer.add(job) for job in artifacts.jobs]
    writer.finish(jobs, [writer.add(alias) for alias in artifacts.aliases])
    files = json.loads((build / "manifest.json").read_text())["files"]
    assert json.loads((build / OWNED).read_text())["written"] == sorted(files) == sorted(planned)
