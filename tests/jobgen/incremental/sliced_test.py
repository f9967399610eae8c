"""A one-component compile: taken only when its result is the full compile's, byte for byte.

Every `check()` compiles incrementally into build/ and cold elsewhere and asserts both
agree (tests/jobgen/incremental/compiles.py); these tests say which way the
incremental compile went. In the examples, frontend is a leaf that depends on
platform-api and teams-api; teams-api depends on platform-api.
"""

from __future__ import annotations

import pytest

from tests.jobgen.incremental.compiles import Compiles, edit
from tests.repos import commit_all


def _described(repo: Compiles, component: str, text: str) -> None:
    edit(repo.components / f"{component}.yaml", r"^description: .*$", f"description: {text}")


def test_a_leaf_component_changed_is_compiled_alone(tmp_path, monkeypatch):
    repo = Compiles(tmp_path, monkeypatch)
    repo.check()
    for n in range(3):  # one after the other: each starts from the record the last one left
        _described(repo, "frontend", f"changed {n}")
        assert repo.check()
        assert repo.sliced == n + 1
        assert repo.check()  # and then nothing changed: replayed
        assert repo.sliced == n + 1
    manifest = (repo.root / "build" / "manifest.json").read_text()
    assert "changed 2" in (repo.root / "build" / "jobs" / "frontend.xml").read_text()
    assert '"component": "frontend"' in manifest


def test_a_leaf_without_dependencies_is_compiled_alone(tmp_path, monkeypatch):
    repo = Compiles(tmp_path, monkeypatch)
    repo.check()
    edit(repo.components / "renewal-report.yaml", r"^description: (.*)$", r"description: \1 v2")
    assert repo.check()
    assert repo.sliced == 1


def test_more_than_one_change_is_compiled_whole(tmp_path, monkeypatch):
    repo = Compiles(tmp_path, monkeypatch)
    repo.check()
    _described(repo, "frontend", "changed")
    _described(repo, "renewal-report", "changed")
    assert not repo.check()
    (repo.components / "extra.yaml").write_text(
        (repo.components / "renewal-report.yaml").read_text().replace("renewal-report", "extra", 1)
    )
    assert not repo.check()  # a new component file: the folder's listing changed
    (repo.root / "notes.txt").write_text("not an input, but git sees it\n")
    _described(repo, "frontend", "changed again")
    assert not repo.check()  # git's status moved outside the component file
    assert repo.sliced == 0


def _others_depend_on_it(repo: Compiles) -> None:
    _described(repo, "teams-api", "changed")


def _dependencies_see_it(repo: Compiles) -> None:
    # teams-api's release runs the integration tests of what depends on it: dropping the
    # dependency changes teams-api's jobs, which the compile of frontend alone would miss.
    edit(repo.components / "frontend.yaml", r"^dependencies: .*$", "dependencies: [platform-api]")


def _committed(repo: Compiles) -> None:
    # A commit moves HEAD: every version may count it.
    _described(repo, "frontend", "committed")
    commit_all(repo.root, "frontend: new description")


def _a_problem_to_report(repo: Compiles) -> None:
    edit(repo.components / "frontend.yaml", r"^description: .*$", "description: [not, text]")


@pytest.mark.parametrize(
    "change", [_others_depend_on_it, _dependencies_see_it, _committed, _a_problem_to_report]
)
def test_a_change_the_others_see_is_compiled_whole(tmp_path, monkeypatch, change):
    repo = Compiles(tmp_path, monkeypatch)
    repo.check()
    change(repo)
    assert not repo.check()  # the whole compile, and its result is the cold one's
    assert repo.ok == (change is not _a_problem_to_report)
    assert repo.sliced == 0


def test_a_build_file_edited_by_hand_is_written_again(tmp_path, monkeypatch):
    # Same names, same size, another mtime: the record's digest of the folder sees it.
    repo = Compiles(tmp_path, monkeypatch)
    repo.check()
    config = repo.root / "build" / "jobs" / "teams-api.xml"
    config.write_bytes(config.read_bytes().replace(b"<", b"(", 1))
    _described(repo, "frontend", "changed")
    assert not repo.check()  # whole: the cold compile's bytes are back in teams-api.xml
    assert repo.sliced == 0


def test_a_foreign_file_in_the_build_folder_is_refused_as_by_a_whole_compile(tmp_path, monkeypatch):
    repo = Compiles(tmp_path, monkeypatch)
    repo.check()
    (repo.root / "build" / "notes.txt").write_text("mine\n")
    _described(repo, "frontend", "changed")
    code, err = repo.compile("build")
    assert code == 2
    assert "holds files jobgen did not write: notes.txt" in err
    assert repo.sliced == 0
