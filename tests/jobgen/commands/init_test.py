"""`jobgen init`: a jobs repository that validates and compiles at once (tests and deploys:
tests/package_test.py, from the installed wheel)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from jobgen import __version__
from jobgen.commands.init import FILES


def _jobgen(cwd: Path, *args: str, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "jobgen", *args], cwd=cwd, capture_output=True, text=True, env=env
    )


def _env_with_identity() -> dict[str, str]:
    env = dict(os.environ)
    for role in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{role}_NAME"], env[f"GIT_{role}_EMAIL"] = "t", "t@example.com"
    return env


def test_init_writes_a_repository_with_a_first_commit_that_validates_and_compiles(tmp_path):
    result = _jobgen(tmp_path, "init", "my-jobs", env=_env_with_identity())
    assert result.returncode == 0, result.stderr
    repo = tmp_path / "my-jobs"
    for name in FILES:
        assert (repo / name).is_file(), name
    settings = yaml.safe_load((repo / "jobgen.yaml").read_text())
    assert settings == {"jobgen": __version__, "owner": "my-jobs"}
    assert (repo / ".gitignore").read_text().splitlines()[-2:] == ["build/", ".jobgen/"]
    log = subprocess.run(["git", "-C", str(repo), "log", "--oneline"], capture_output=True)
    assert len(log.stdout.decode().splitlines()) == 1
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True)
    assert status.stdout == b""
    assert _jobgen(repo, "validate").returncode == 0
    compiled = _jobgen(repo, "compile")
    assert compiled.returncode == 0, compiled.stderr
    assert "uncommitted" not in compiled.stdout
    assert "example-build-test" in (repo / "build" / "manifest.json").read_text()


def test_the_pre_commit_config_uses_jobgens_own_hook_at_the_pinned_version(tmp_path):
    assert _jobgen(tmp_path, "init", env=_env_with_identity()).returncode == 0
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    (repo,) = config["repos"]
    assert repo["rev"] == f"v{__version__}"
    assert [h["id"] for h in repo["hooks"]] == ["jobgen-validate"]
    ours = yaml.safe_load((Path(__file__).parents[3] / ".pre-commit-hooks.yaml").read_text())
    assert "jobgen-validate" in {hook["id"] for hook in ours}
    checked = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_inside_an_existing_repository_init_commits_nothing_and_prints_the_command(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = _jobgen(tmp_path, "init", "jobs", "--owner", "team-a")
    assert result.returncode == 0
    assert "git -C jobs add -A && git -C jobs commit -m" in result.stdout
    log = subprocess.run(["git", "-C", str(tmp_path), "log"], capture_output=True)
    assert log.returncode != 0  # still no commit: the user's to make
    assert "owner: team-a" in (tmp_path / "jobs" / "jobgen.yaml").read_text()


def test_without_a_git_identity_init_says_the_one_command_to_run(tmp_path):
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tuseConfigOnly = true\n")  # no identity guessed from the host
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=str(config), GIT_CONFIG_NOSYSTEM="1", EMAIL="")
    result = _jobgen(tmp_path, "init", "jobs", env=env)
    assert result.returncode == 0
    assert "git -C jobs commit -m 'Start a jobs repository with jobgen init'" in result.stdout


def test_init_never_overwrites_a_file(tmp_path):
    (tmp_path / "jobgen.yaml").write_text("jobgen: 0.0.1\n")
    result = _jobgen(tmp_path, "init")
    assert result.returncode == 1
    assert "already holds jobgen.yaml" in result.stderr
    assert (tmp_path / "jobgen.yaml").read_text() == "jobgen: 0.0.1\n"
    assert not (tmp_path / "components").exists()
