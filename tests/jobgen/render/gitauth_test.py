"""Command-line git in a pipeline reaches a private repository through a binding, never a secret."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from jobgen.render.gitauth import KEY_VARIABLE, SSH_COMMAND, git_auth


def test_an_https_repository_uses_the_git_plugins_binding() -> None:
    # git-plugin GitUsernamePasswordBinding.java:82,202 (@Symbol gitUsernamePassword, GIT_ASKPASS).
    auth = git_auth("https://git.example.com/reports.git", "reports-reader")
    assert auth is not None
    assert auth.bindings == "[gitUsernamePassword(credentialsId: 'reports-reader')]"
    assert auth.env == "[]"
    assert git_auth("https://git.example.com/reports.git", None) is None


def test_a_credential_id_stays_one_groovy_literal() -> None:
    auth = git_auth("git@git.example.com:reports.git", "it's ${evil}")
    assert auth is not None
    assert "credentialsId: 'it\\'s ${evil}'" in auth.bindings


def test_an_ssh_repository_gets_the_key_through_git_ssh_command(tmp_path: Path) -> None:
    auth = git_auth("ssh://git@git.example.invalid/reports.git", "reports-key")
    assert auth is not None
    assert auth.bindings == (
        "[sshUserPrivateKey(credentialsId: 'reports-key', keyFileVariable: 'JOBGEN_GIT_KEY')]"
    )
    # Real git: GIT_SSH_COMMAND "is interpreted by the shell" (git(1), GIT_SSH_COMMAND), so the
    # key file bound to JOBGEN_GIT_KEY reaches ssh without appearing in the Groovy.
    record = tmp_path / "ssh.args"
    fake = tmp_path / "ssh"
    fake.write_text(f'#!/bin/bash\nprintf "%s\\n" "$@" > {record}\nexit 1\n')
    fake.chmod(0o755)
    name, _, value = SSH_COMMAND.partition("=")
    env = {
        "PATH": f"{tmp_path}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        name: value,
        KEY_VARIABLE: str(tmp_path / "secret key"),
    }
    subprocess.run(
        ["git", "ls-remote", "ssh://git@git.example.invalid/reports.git"],
        env=env,
        capture_output=True,
        check=False,
    )
    args = record.read_text().splitlines()
    assert args[:4] == ["-i", str(tmp_path / "secret key"), "-o", "IdentitiesOnly=yes"]
    assert "git@git.example.invalid" in args
