"""compile -o DIR writes and deletes only inside DIR, only what jobgen wrote, never via symlinks."""

import json
import os
import shutil

import pytest

from jobgen.incremental import reads
from jobgen.output.guard import Folders, OutputRefused
from tests.jobgen.commands.compile_test import _compile
from tests.repos import make_jobs_repo


def test_the_working_folder_is_refused_and_left_untouched(tmp_path):
    make_jobs_repo(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = _compile(tmp_path, "-o", ".")
    assert result.returncode == 2
    assert "refusing to write into ." in result.stderr and "working folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_folder_holding_files_jobgen_did_not_write_is_refused_never_emptied(tmp_path):
    make_jobs_repo(tmp_path)
    mine = tmp_path / "docs" / "jobs" / "notes.xml"
    mine.parent.mkdir(parents=True)
    mine.write_text("mine")
    result = _compile(tmp_path, "-o", "docs")
    assert result.returncode == 2
    assert "holds files jobgen did not write: jobs/notes.xml" in result.stderr
    assert mine.read_text() == "mine" and not (tmp_path / "docs" / "manifest.json").exists()


def test_a_symlink_inside_the_output_folder_is_never_written_through(tmp_path):
    make_jobs_repo(tmp_path)
    assert _compile(tmp_path).returncode == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    jobs = tmp_path / "build" / "jobs"
    os.rename(jobs, tmp_path / "old-jobs")
    jobs.symlink_to(outside)
    result = _compile(tmp_path)
    assert result.returncode == 2 and "symlink" in result.stderr
    assert list(outside.iterdir()) == []


def test_only_files_recorded_as_written_are_deleted(tmp_path):
    components = make_jobs_repo(tmp_path)
    assert _compile(tmp_path).returncode == 0
    build = tmp_path / "build"
    # A manifest edited to name a file outside the folder and one jobgen never wrote.
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    manifest = json.loads((build / "manifest.json").read_text())
    manifest["files"]["../victim.txt"] = "0" * 64
    (build / "manifest.json").write_text(json.dumps(manifest))
    (components / "frontend.yaml").unlink()
    assert _compile(tmp_path).returncode == 0
    assert victim.read_text() == "keep"


def test_a_compile_interrupted_midway_can_be_rerun(tmp_path):
    make_jobs_repo(tmp_path)
    assert _compile(tmp_path).returncode == 0
    (tmp_path / "build" / "manifest.json").unlink()  # as a crash before the manifest leaves it
    result = _compile(tmp_path)
    assert result.returncode == 0, result.stderr


def _outside_and_build(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    build = tmp_path / "build"
    build.mkdir()
    return outside, build


def test_files_are_written_into_folders_made_for_them_with_their_own_size_and_mtime(tmp_path):
    # More folders than Folders keeps open at once, and some visited again after: every file
    # lands where its path says, and the size and mtime given are the file's (the render
    # cache trusts a file that kept them: incremental/rendered.py).
    _, build = _outside_and_build(tmp_path)
    folders = Folders(build)
    files = [(f"jobs/c{i % 80}/j{i}.xml", b"x" * i) for i in range(200)]
    files.append(("jobs/a/b/deep.groovy", b"deep"))
    signatures: dict[str, tuple[int, int]] = {}
    for start in range(0, len(files), 7):
        folders.write_each(files[start : start + 7], signatures)
    folders.close()
    assert {p: (build / p).read_bytes() for p, _ in files} == dict(files)
    stats = {p: os.lstat(build / p) for p, _ in files}
    assert signatures == {p: (s.st_size, s.st_mtime_ns) for p, s in stats.items()}


def test_a_folder_replaced_by_a_symlink_between_two_writes_is_never_written_through(tmp_path):
    outside, build = _outside_and_build(tmp_path)
    folders = Folders(build)
    folders.write_each([("jobs/frontend/a.xml", b"a")], {})
    shutil.rmtree(build / "jobs" / "frontend")
    (build / "jobs" / "frontend").symlink_to(outside)
    with pytest.raises(OSError):  # the folder it made is gone; nothing is written elsewhere
        folders.write_each([("jobs/frontend/b.xml", b"b")], {})
    folders.close()
    assert list(outside.iterdir()) == []


def test_a_symlink_met_on_the_way_to_a_file_is_refused_and_never_written_through(tmp_path):
    outside, build = _outside_and_build(tmp_path)
    (build / "jobs").mkdir()
    (build / "jobs" / "frontend").symlink_to(outside)
    (build / "jobs" / "plain").write_text("a file")
    folders = Folders(build)
    with pytest.raises(OutputRefused, match="is a symlink"):
        folders.write_each([("jobs/frontend/a.xml", b"a")], {})
    with pytest.raises(OutputRefused, match="not a folder"):
        folders.write_each([("jobs/plain/a.xml", b"a")], {})
    folders.close()
    assert list(outside.iterdir()) == [] and (build / "jobs" / "plain").read_text() == "a file"


@pytest.mark.parametrize("path", ["../outside/a.xml", "/a.xml", "jobs/../../outside/a.xml"])
def test_a_path_that_is_not_plainly_inside_the_output_folder_is_refused(tmp_path, path):
    outside, build = _outside_and_build(tmp_path)
    folders = Folders(build)
    folders.write_each([("jobs/a.xml", b"a")], {})  # the folders on the way are held
    with pytest.raises(OutputRefused, match="is not a path inside"):
        folders.write_each([(path, b"b")], {})
    folders.close()
    assert list(outside.iterdir()) == [] and not (tmp_path / "a.xml").exists()


def test_writing_the_build_records_no_read(tmp_path, monkeypatch):
    # The render phase records what it reads (incremental/reads.py): a folder opened to
    # write into, named relative to the one above it, is no input, least of all a file or
    # folder of that name in the working folder.
    _, build = _outside_and_build(tmp_path)
    work = tmp_path / "work"
    (work / "jobs" / "frontend").mkdir(parents=True)
    monkeypatch.chdir(work)
    folders = Folders(build)
    with reads.recording() as recorded:
        folders.write_each([("jobs/frontend/a.xml", b"a"), ("jobs/b/c.xml", b"c")], {})
    folders.close()
    assert (recorded.opened, recorded.listed) == ({}, {})
