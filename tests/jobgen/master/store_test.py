"""JENKINS_HOME on disk: atomic writes, and a store that loads what an earlier one wrote."""

import pytest

from jobgen.master.configxml import parse_config
from jobgen.master.store import Store, atomic_write

FOLDER = b"<com.cloudbees.hudson.plugins.folder.Folder/>"
JOB = b"<project><description>kept</description></project>"


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "config.xml"
    atomic_write(target, b"old")
    with pytest.raises(TypeError):
        atomic_write(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["config.xml"]


def test_a_new_store_loads_nested_items_case_insensitively(tmp_path):
    first = Store(tmp_path)
    folder = first.create(first.root, "Team", FOLDER, parse_config(FOLDER, persist=True))
    first.create(folder, "Job", JOB, parse_config(JOB, persist=True))
    second = Store(tmp_path)
    job = second.find(["team", "JOB"])
    assert job is not None and job.full_name == "Team/Job"
    assert job.info.description == "kept"


def test_rename_moves_the_folder_and_its_children(tmp_path):
    store = Store(tmp_path)
    folder = store.create(store.root, "old", FOLDER, parse_config(FOLDER, persist=True))
    store.create(folder, "child", JOB, parse_config(JOB, persist=True))
    store.rename(store.root, folder, "new")
    assert store.find(["new", "child"]).full_name == "new/child"
    assert not (tmp_path / "jobs" / "old").exists()


def test_an_item_whose_name_starts_with_a_dot_survives_a_restart(tmp_path):
    config = b"<project><description>hidden</description></project>"
    store = Store(tmp_path)
    store.create(store.root, ".hidden", config, parse_config(config, persist=True))
    doomed = store.create(store.root, "doomed", config, parse_config(config, persist=True))
    store.delete(store.root, doomed)
    again = Store(tmp_path)
    assert list(again.root.children) == [".hidden"]
