"""Referenced files: regular, inside the repository, outside .git/, at most 1 MB; never blocking."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jobgen.commands.validate import format_text
from jobgen.load.loader import load
from jobgen.load.repo_files import MAX_FILE_BYTES, RealPaths, read_regular_file, read_repo_file


def _repo(tmp_path: Path, step_script: str) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[core]\n")
    (tmp_path / "jobgen.yaml").write_text("jobgen: 0.1.0\n")
    components = tmp_path / "components"
    components.mkdir()
    (components / "a.yaml").write_text(
        f"component: a\nsteps:\n  build: {{script: {step_script}}}\n"
    )
    return components


def _errors_at_the_reference(components: Path) -> list[str]:
    result = load([components])
    return [f"{d.pos.line}:{d.pos.col} {d.message}" for d in result.diagnostics if d.pos]


def test_a_fifo_is_an_error_and_never_blocks_the_load(tmp_path):
    components = _repo(tmp_path, "pipe.sh")
    os.mkfifo(components / "pipe.sh")  # nobody writes to it: opening it for reading would hang
    assert _errors_at_the_reference(components) == [
        "3:19 `components/pipe.sh` is a FIFO (named pipe), not a regular file"
    ]


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("/dev/zero", "leads outside the repository (to /dev/zero)"),
        ("/etc/hostname", "leads outside the repository (to /etc/hostname)"),
        ("../.git/config", "is inside .git/, which is git's, not a source file"),
        ("missing-target", None),
    ],
)
def test_symlinks_are_followed_and_must_end_inside_the_repository(tmp_path, target, says):
    components = _repo(tmp_path, "link.sh")
    (components / "link.sh").symlink_to(target)
    found = _errors_at_the_reference(components)
    if says is None:  # a dangling link is a missing file, reported once
        assert found == ["3:19 file not found: components/link.sh"]
    else:
        assert found == [f"3:19 `components/link.sh` {says}"]


def test_a_folder_or_a_file_over_the_limit_is_refused(tmp_path):
    components = _repo(tmp_path, "big.sh")
    (components / "big.sh").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    (components / "dir.sh").mkdir()
    assert (
        "over the limit of 1,000,000" in read_repo_file(tmp_path, Path("components/big.sh")).problem
    )
    assert read_repo_file(tmp_path, Path("components/dir.sh")).problem == (
        "is a directory, not a regular file"
    )


def test_a_name_too_long_for_the_file_system_is_a_positioned_error(tmp_path):
    components = _repo(tmp_path, "x" * 300 + ".sh")
    (found,) = _errors_at_the_reference(components)
    assert found.startswith("3:19 steps.build.script: the value has a name over 255 bytes")


def test_a_component_file_that_is_a_dangling_symlink_or_a_folder_is_an_error(tmp_path):
    components = _repo(tmp_path, "a.sh")
    (components / "a.sh").write_text("make\n")
    (components / "gone.yaml").symlink_to("nowhere.yaml")
    (components / "folder.yaml").mkdir()
    text = format_text(load([components]).diagnostics, 3)
    assert "gone.yaml:1:1: error: component file is a symlink to nothing" in text
    assert "folder.yaml:1:1: error: component file is a directory, not a regular file" in text


def test_a_component_file_that_is_a_fifo_never_blocks(tmp_path):
    components = _repo(tmp_path, "a.sh")
    (components / "a.sh").write_text("make\n")
    os.mkfifo(components / "fifo.yaml")
    text = format_text(load([components]).diagnostics, 2)
    assert "fifo.yaml:1:1: error: component file is a FIFO (named pipe), not a regular file" in text


def test_a_secret_in_a_referenced_script_is_refused_at_the_reference(tmp_path):
    components = _repo(tmp_path, "deploy.sh")
    key = "AKIA" + "Z7QXJ3K2LMNP4RST"
    (components / "deploy.sh").write_text(f"AWS_ACCESS_KEY_ID={key} aws s3 cp x y\n")
    result = load([components])
    (found,) = [d for d in result.diagnostics if d.code == "secret-in-file"]
    assert found.pos is not None and (found.pos.line, found.pos.col) == (3, 19)
    assert key not in format_text(result.diagnostics, 1)


_OUTSIDE = "component: leaked\ndescription: OUTSIDE-MARKER\n"


@pytest.mark.parametrize(
    "link",
    [
        "components/leak.yaml",  # a component file
        "jobgen.yaml",
        "components/_templates/base.yaml",  # a template a component extends
        "components/_defaults.yaml",
    ],
)
def test_the_repositorys_own_files_leading_outside_it_are_refused_unread(tmp_path, link):
    # As a reference is (above): a component file linked to a file elsewhere on the machine
    # (an agent's credentials, in CI) must not be read, nor shown in a diagnostic.
    repo = tmp_path / "repo"
    repo.mkdir()
    components = _repo(repo, "a.sh")
    (components / "a.sh").write_text("make\n")
    (components / "b.yaml").write_text("component: b\nextends: base\nsteps: {build: make}\n")
    (components / "_templates").mkdir()
    (components / "_templates" / "base.yaml").write_text("description: from the template\n")
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(_OUTSIDE)
    (repo / link).unlink(missing_ok=True)
    (repo / link).symlink_to(outside)
    text = format_text(load([components]).diagnostics, 10)
    assert f"leads outside the repository (to {outside})" in text
    assert "OUTSIDE-MARKER" not in text and "leaked" not in text
    if link.endswith(("leak.yaml", "jobgen.yaml")):
        assert "hint: jobgen reads only the repository's files" in text


def test_a_scenario_file_leading_outside_the_repository_is_refused_unread(tmp_path):
    from jobgen.groovy.scenario import load_scenarios

    repo = tmp_path / "repo"
    repo.mkdir()
    components = _repo(repo, "a.sh")
    (components / "a" / "tests").mkdir(parents=True)
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("job: OUTSIDE-MARKER\n")
    (components / "a" / "tests" / "s.yaml").symlink_to(outside)
    scenarios, (problem,) = load_scenarios(components)
    assert scenarios == []
    assert f"leads outside the repository (to {outside})" in problem.message
    assert "OUTSIDE-MARKER" not in problem.message


def test_a_golden_file_leading_outside_the_repository_is_never_read_or_written(tmp_path):
    # `jobgen test` reads a scenario's golden calls and `--update` writes them: a golden
    # file linked elsewhere would show that file in a diff, or be overwritten.
    from jobgen.groovy.scenario import load_scenarios

    repo = tmp_path / "repo"
    repo.mkdir()
    components = _repo(repo, "a.sh")
    (components / "a" / "tests").mkdir(parents=True)
    (components / "a" / "tests" / "s.yaml").write_text("job: a-build\n")
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("- OUTSIDE-MARKER\n")
    (components / "a" / "tests" / "s.calls.yaml").symlink_to(outside)
    scenarios, (problem,) = load_scenarios(components)
    assert scenarios == []  # nothing runs, so nothing is compared or written
    assert problem.pos is not None and problem.pos.path.endswith("s.calls.yaml")
    assert f"leads outside the repository (to {outside})" in problem.message
    assert outside.read_text() == "- OUTSIDE-MARKER\n"


def test_real_paths_are_realpaths_through_linked_folders_files_loops_and_dots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "a.yaml").write_text("component: a\n")
    (tmp_path / "linked").symlink_to(real)  # a linked folder
    (real / "b.yaml").symlink_to(real / "sub" / "c.yaml")  # a linked file, its target missing
    (real / "loop.yaml").symlink_to(real / "loop.yaml")
    (real / "sub" / "up").symlink_to(tmp_path)
    monkeypatch.chdir(tmp_path / "linked")
    names = [
        *(
            f"{folder}/{name}"
            for folder in ("linked", "real", "linked/sub/up/linked")
            for name in ("a.yaml", "b.yaml", "loop.yaml", "none.yaml", "sub", "sub/", ".", "..")
        ),
        "linked/sub/up/../a.yaml",
        "linked/./a.yaml",
        "linked//a.yaml",
    ]
    paths = [*(str(tmp_path / n) for n in names), "a.yaml", "sub/up/real/b.yaml", "../x", ".", ""]
    realpath = RealPaths()
    for _ in range(2):  # the second time each folder is known
        assert [realpath(p) for p in paths] == [os.path.realpath(p) for p in paths]
    assert realpath(tmp_path / "linked" / "b.yaml") == str(real / "sub" / "c.yaml")


def test_a_file_is_read_whole_even_when_its_size_says_less() -> None:
    # /proc files are regular files of size 0 with text in them: read to the end, or the limit.
    status = Path("/proc/self/status")
    assert os.stat(status).st_size == 0
    assert "\nPid:" in read_regular_file(status, MAX_FILE_BYTES).text
    assert read_regular_file(status, 10).problem == "is 11 bytes, over the limit of 10"
