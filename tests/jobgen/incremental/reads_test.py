"""What a compile read is recorded as it runs, and jobgen's own files are part of every key."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from jobgen.incremental import reads
from tests.repos import make_jobs_repo


def test_files_opened_probed_and_listed_are_recorded(tmp_path):
    (tmp_path / "read.txt").write_text("x")
    with reads.recording() as recorded:
        (tmp_path / "read.txt").read_text()
        (tmp_path / "absent.txt").is_file()
        list((tmp_path).iterdir())
    (tmp_path / "after.txt").exists()
    assert set(recorded.opened) == {str(tmp_path / "read.txt")}
    assert str(tmp_path / "absent.txt") in recorded.probed
    assert str(tmp_path / "after.txt") not in recorded.probed
    assert set(recorded.listed) == {str(tmp_path)}
    assert recorded.probed[str(tmp_path / "absent.txt")] == "-"


def test_a_file_only_written_is_not_recorded_as_read(tmp_path):
    # A compile writes 26,000 files; none of them is an input. A file created exclusively
    # or opened to write without creating it tells whether it was there: that is a read.
    (tmp_path / "appended.txt").write_text("x")
    (tmp_path / "updated.txt").write_text("x")
    (tmp_path / "both.txt").write_text("x")
    with reads.recording() as recorded:
        (tmp_path / "written.txt").write_text("x")
        with open(tmp_path / "appended.txt", "a") as file:
            file.write("y")
        fd = os.open(tmp_path / "raw.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.close(fd)
        fd = os.open(tmp_path / "updated.txt", os.O_WRONLY)
        os.close(fd)
        with open(tmp_path / "both.txt", "r+") as file:
            file.write("y")
        with open(tmp_path / "new.txt", "x") as file:
            file.write("y")
    read = {str(tmp_path / name) for name in ("updated.txt", "both.txt", "new.txt")}
    assert set(recorded.opened) == read


def test_a_recorded_state_is_unchanged_until_a_file_probe_or_listing_changes(tmp_path):
    (tmp_path / "read.txt").write_text("x")
    with reads.recording() as recorded:
        (tmp_path / "read.txt").read_text()
        (tmp_path / "absent.txt").exists()
        os.listdir(tmp_path)
    state = reads.snapshot(recorded)
    assert reads.unchanged(state)
    (tmp_path / "absent.txt").mkdir()
    assert not reads.unchanged(state)
    (tmp_path / "absent.txt").rmdir()
    (tmp_path / "read.txt").write_text("y")
    assert not reads.unchanged(state)


def _compile(root: Path, package: Path, output: str) -> bytes:
    env = {**os.environ, "PYTHONPATH": str(package)}
    command = [sys.executable, "-m", "jobgen", "compile", "-o", output]
    subprocess.run(command, cwd=root, env=env, check=True, capture_output=True)
    return (root / output / "manifest.json").read_bytes()


def test_a_change_to_jobgens_own_templates_compiles_again(tmp_path):
    # A copy of the package stands for another jobgen build of the same version.
    package = tmp_path / "package"
    shutil.copytree(reads.PACKAGE, package / "jobgen", ignore=shutil.ignore_patterns("__pycache__"))
    root = tmp_path / "repo"
    make_jobs_repo(root)
    before = _compile(root, package, "build")
    template = package / "jobgen" / "templates" / "folder.xml.j2"
    template.write_text(template.read_text().replace("</description>", " </description>", 1))
    after = _compile(root, package, "build")
    assert after != before
    assert after == _compile(root, package, "../cold")


@pytest.mark.skipif(not os.path.isdir("/dev/shm"), reason="no /dev/shm here")
def test_files_in_shared_memory_are_recorded_like_any_other():
    # /dev/ holds devices, which are no input; a jobs repository kept in /dev/shm (a
    # tmpfs, as fast as a build gets) is: left out, its changes would replay an old build.
    folder = Path(tempfile.mkdtemp(dir="/dev/shm"))
    try:
        (folder / "component.yaml").write_text("name: a\n")
        with reads.recording() as recorded:
            (folder / "component.yaml").read_text()
            with open(os.devnull, "rb"):
                pass
        assert set(recorded.opened) == {str(folder / "component.yaml")}
    finally:
        shutil.rmtree(folder)


def test_a_folder_opened_only_to_name_files_in_it_is_not_recorded_as_read(tmp_path):
    # O_PATH: a descriptor that can neither read nor list (the build writer's folders).
    if not hasattr(os, "O_PATH"):
        pytest.skip("O_PATH is Linux's")
    with reads.recording() as recorded:
        os.close(os.open(tmp_path, os.O_PATH | os.O_DIRECTORY))
        os.close(os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY))
    assert set(recorded.opened) == {str(tmp_path)}  # the second open could list it
    with reads.recording() as recorded:
        os.close(os.open(tmp_path, os.O_PATH | os.O_DIRECTORY))
    assert recorded.opened == {}


def test_a_remembered_digest_stands_only_while_the_file_is_as_it_was(tmp_path):
    # A digest taken long enough after the file's last write is remembered, and given again
    # while the file keeps its inode, size, mtime and mode (a compile checks its inputs two
    # or three times); anything else about the path is looked at afresh.
    path = tmp_path / "component.yaml"
    path.write_text("name: a\n")
    old = 1_000_000_000
    os.utime(path, ns=(old, old))
    first = reads.file_digest(str(path))
    assert first == reads.file_digest(str(path)) != "-"
    with reads.recording() as recorded:
        assert reads.file_digest(str(path)) == first
    assert set(recorded.opened) == {str(path)}  # a cache that checks an input reads it
    path.chmod(0o600 if path.stat().st_mode & 0o777 != 0o600 else 0o640)
    path.write_text("name: b\n")  # same size, the mtime put back: the mode tells
    os.utime(path, ns=(old, old))
    assert reads.file_digest(str(path)) not in (first, "-")
    path.unlink()
    assert reads.file_digest(str(path)) == "-"
    path.mkdir()
    assert reads.file_digest(str(path)) == reads.listing_digest(str(path))
