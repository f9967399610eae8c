"""The pre-commit hook, installed by `jobgen install-hook` or run by the pre-commit framework,
on real git repositories: a bad component blocks the commit with FILE:LINE:COL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from jobgen.commands.install_hook import MARKER
from tests.repos import PROJECT, make_jobs_repo

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
# `dependencies: [nowhere]` names no component: an error at line 3, column 16.
BAD = "component: broken\nrepo: https://example.com/x.git\ndependencies: [nowhere]\n"
GOOD = "component: fine\nrepo: https://example.com/x.git\nsteps: {build: make}\n"


def _jobgen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "jobgen", *args]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)


def _commit(
    root: Path, name: str, text: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    (root / "components" / name).write_text(text)
    subprocess.run([*GIT, "-C", str(root), "add", "components"], check=True)
    return subprocess.run(
        [*GIT, "-C", str(root), "commit", "-q", "-m", f"add {name}"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def _head_files(root: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "ls-tree", "-r", "--name-only", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_installed_hook_blocks_a_bad_component_and_lets_a_good_one_in(tmp_path: Path) -> None:
    make_jobs_repo(tmp_path)
    installed = _jobgen(tmp_path, "install-hook")
    assert installed.returncode == 0, installed.stderr
    assert MARKER in (tmp_path / ".git" / "hooks" / "pre-commit").read_text()
    blocked = _commit(tmp_path, "broken.yaml", BAD)
    assert blocked.returncode != 0
    assert "components/broken.yaml:3:16: error:" in blocked.stdout + blocked.stderr
    assert "components/broken.yaml" not in _head_files(tmp_path)
    (tmp_path / "components" / "broken.yaml").unlink()
    subprocess.run([*GIT, "-C", str(tmp_path), "add", "-A", "components"], check=True)
    passed = _commit(tmp_path, "fine.yaml", GOOD)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "components/fine.yaml" in _head_files(tmp_path)


def test_a_hook_jobgen_did_not_write_is_kept_unless_forced(tmp_path: Path) -> None:
    make_jobs_repo(tmp_path)
    hook = tmp_path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho my own checks\n")
    refused = _jobgen(tmp_path, "install-hook")
    assert refused.returncode == 1
    assert "not written by jobgen" in refused.stderr and "--force" in refused.stderr
    assert hook.read_text() == "#!/bin/sh\necho my own checks\n"
    forced = _jobgen(tmp_path, "install-hook", "--force")
    assert forced.returncode == 0 and MARKER in hook.read_text()
    again = _jobgen(tmp_path, "install-hook")  # its own hook: rewritten without --force
    assert again.returncode == 0


def test_outside_a_git_repository_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "components").mkdir()
    result = _jobgen(tmp_path, "install-hook")
    assert result.returncode == 2 and "not inside a git work tree" in result.stderr


def _local_config(hook: dict[str, object]) -> str:
    """A `repo: local` config running this repository's hook with the jobgen under test.

    pre-commit would install `language: python` hooks from PyPI; `system` runs the
    jobgen of this checkout, with the manifest's own `files` and `pass_filenames`.
    """
    local = {
        **hook,
        "language": "system",
        "entry": f"{sys.executable} -m jobgen validate",
    }
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}, sort_keys=False)


PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


@pytest.mark.skipif(not PRE_COMMIT.exists(), reason="pip install pre-commit (a dev dependency)")
def test_the_pre_commit_framework_runs_jobgen_validate_from_the_manifest(tmp_path: Path) -> None:
    (hook,) = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "jobgen-validate"
    make_jobs_repo(tmp_path)
    (tmp_path / ".pre-commit-config.yaml").write_text(_local_config(hook))
    subprocess.run([*GIT, "-C", str(tmp_path), "add", ".pre-commit-config.yaml"], check=True)
    subprocess.run([*GIT, "-C", str(tmp_path), "commit", "-q", "-m", "hooks"], check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / ".cache-pre-commit")}
    subprocess.run(
        [str(PRE_COMMIT), "install"], cwd=tmp_path, check=True, env=env, capture_output=True
    )
    blocked = _commit(tmp_path, "broken.yaml", BAD, env)
    assert blocked.returncode != 0
    assert "components/broken.yaml:3:16: error:" in blocked.stdout + blocked.stderr
    (tmp_path / "components" / "broken.yaml").unlink()
    subprocess.run([*GIT, "-C", str(tmp_path), "add", "-A", "components"], check=True)
    passed = _commit(tmp_path, "fine.yaml", GOOD, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "jobgen validate...." in passed.stderr and "Passed" in passed.stderr
    assert "components/fine.yaml" in _head_files(tmp_path)
