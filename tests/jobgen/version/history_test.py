"""Reading a real repository's history in one pass: commits, renames, dirty files, errors."""

import os
from pathlib import Path

import pytest

from jobgen.diagnostics import JobgenError
from jobgen.version.history import History, ignored_files, read_history
from tests.repos import commit_all, git


def _write(root: Path, path: str, text: str) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text)


def _commit(root: Path, files: dict[str, str], message: str = "change") -> str:
    for path, text in files.items():
        _write(root, path, text)
    commit_all(root, message)
    return git(root, "rev-parse", "HEAD").strip()


def _hashes(history: History, path: str) -> list[str]:
    return [history.commits[i] for i in history.touched[path]]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    return tmp_path


def test_commits_come_newest_first_with_the_paths_they_touched(repo):
    first = _commit(repo, {"a.txt": "1", "b.txt": "1"})
    second = _commit(repo, {"a.txt": "2"})
    history = read_history(repo)
    assert history.commits == (second, first)
    assert _hashes(history, "a.txt") == [second, first]
    assert _hashes(history, "b.txt") == [first]
    assert history.dirty == frozenset()


def test_a_renamed_file_keeps_the_commits_of_its_old_names(repo):
    first = _commit(repo, {"old.bash": "make\n" * 20})
    git(repo, "mv", "old.bash", "mid.bash")
    moved = _commit(repo, {})
    git(repo, "mv", "mid.bash", "new.bash")
    again = _commit(repo, {})
    history = read_history(repo)
    assert _hashes(history, "new.bash") == [again, moved, first]


def test_a_new_file_at_a_renamed_files_old_path_starts_its_own_history(repo):
    first = _commit(repo, {"a.bash": "make\n" * 20})
    git(repo, "mv", "a.bash", "b.bash")
    moved = _commit(repo, {})
    fresh = _commit(repo, {"a.bash": "something else entirely\n"})
    history = read_history(repo)
    assert _hashes(history, "a.bash") == [fresh]
    assert _hashes(history, "b.bash") == [moved, first]


def test_paths_with_any_characters_are_read_whole(repo):
    names = ["with space.yaml", "line\nbreak.bash", "mark\x01inside.groovy", "ünïcødé.sh"]
    sha = _commit(repo, {name: "x" for name in names})
    history = read_history(repo)
    assert history.commits == (sha,)
    assert set(history.touched) == set(names)


def test_commits_merged_from_a_branch_count(repo):
    _commit(repo, {"a.txt": "1"})
    git(repo, "checkout", "-q", "-b", "topic")
    on_branch = _commit(repo, {"b.txt": "1"})
    git(repo, "checkout", "-q", "main")
    _commit(repo, {"c.txt": "1"})
    git(repo, "merge", "-q", "--no-edit", "topic")
    assert _hashes(read_history(repo), "b.txt") == [on_branch]


def test_a_jobs_repository_below_the_top_level_sees_its_own_paths(repo):
    sha = _commit(repo, {"jobs/jobgen.yaml": "jobgen: 0.1.0\n", "elsewhere.txt": "x"})
    _write(repo, "jobs/new.yaml", "untracked")
    _write(repo, "other/new.yaml", "untracked, outside")
    history = read_history(repo / "jobs")
    # The file, and its one section (jobgen/version/sections.py).
    assert set(history.touched) == {"jobgen.yaml", "jobgen.yaml#rest"}
    assert history.commits == (sha,)
    assert history.dirty == {"new.yaml"}


def test_modified_staged_deleted_renamed_and_untracked_files_are_dirty(repo):
    _commit(repo, {f"{name}.txt": name * 40 for name in ("mod", "staged", "gone", "moved", "same")})
    _write(repo, "mod.txt", "changed")
    _write(repo, "staged.txt", "changed")
    git(repo, "add", "staged.txt")
    (repo / "gone.txt").unlink()
    git(repo, "mv", "moved.txt", "renamed.txt")
    _write(repo, "dir/untracked.txt", "new")
    dirty = read_history(repo).dirty
    assert dirty == {"mod.txt", "staged.txt", "gone.txt", "renamed.txt", "dir/untracked.txt"}


def test_ignored_files_are_those_git_does_not_track(repo):
    _write(repo, ".gitignore", "*.local\n")
    _commit(repo, {"kept.txt": "x", "odd[*].txt": "x"})
    _write(repo, "secret.local", "x")
    assert ignored_files(repo, ["kept.txt", "odd[*].txt", "secret.local"]) == {"secret.local"}


def test_a_folder_outside_git_says_to_run_git_init(tmp_path):
    with pytest.raises(JobgenError) as error:
        read_history(tmp_path)
    assert "not in a git repository" in str(error.value)
    assert "git init" in error.value.diagnostics[0].hint


def test_a_repository_without_commits_says_to_commit(repo):
    _write(repo, "jobgen.yaml", "jobgen: 0.1.0\n")
    with pytest.raises(JobgenError) as error:
        read_history(repo)
    assert "no commits yet" in str(error.value) and "commit" in error.value.diagnostics[0].hint


def test_a_shallow_clone_says_to_fetch_the_whole_history(repo, tmp_path_factory):
    _commit(repo, {"a.txt": "1"})
    _commit(repo, {"a.txt": "2"})
    clone = tmp_path_factory.mktemp("shallow") / "clone"
    git(repo, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    with pytest.raises(JobgenError) as error:
        read_history(clone)
    assert "shallow clone" in str(error.value)
    assert "git fetch --unshallow" in error.value.diagnostics[0].hint


def test_a_bare_repository_says_to_compile_in_a_clone(tmp_path):
    git(tmp_path, "init", "-q", "--bare")
    with pytest.raises(JobgenError) as error:
        read_history(tmp_path)
    assert "bare repository" in str(error.value) and "git clone" in str(error.value)


def test_a_broken_repository_is_an_error_with_gits_words_not_a_traceback(repo):
    _commit(repo, {"a.txt": "1"})
    (repo / ".git/index").write_bytes(b"not an index")
    with pytest.raises(JobgenError) as error:
        read_history(repo)
    assert "could not be read by git" in str(error.value) and "index" in str(error.value)


def test_a_name_that_is_not_utf8_is_versioned_under_its_own_file_name(repo):
    # git prints names as bytes; decoded as the file system decodes them, a Latin-1 name
    # maps to the file on disk instead of failing the whole history.
    name = os.fsdecode(b"caf\xe9.txt")
    (repo / name).write_text("1")
    commit_all(repo, "latin-1")
    (repo / name).write_text("2")
    history = read_history(repo)
    assert name in history.touched and name in history.dirty
    assert ignored_files(repo, [name]) == frozenset()


def test_no_git_program_is_an_error_that_says_to_install_it(repo, monkeypatch):
    _commit(repo, {"a.txt": "1"})
    monkeypatch.setenv("PATH", str(repo / "no-such-bin"))
    with pytest.raises(JobgenError) as error:
        read_history(repo)
    assert "git did not start" in str(error.value)
    assert "install git" in error.value.diagnostics[0].hint
