"""compile -o DIR writes and deletes only inside DIR, only what jobgen wrote, never via symlinks."""

import json
import os

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
