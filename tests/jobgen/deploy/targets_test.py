"""Targets for deploy come from the loader's reading of jobgen.yaml; credentials from outside."""

from pathlib import Path

import pytest

from jobgen.deploy.targets import TargetError, named_target

SETTINGS = """\
jobgen: 0.1.0
targets:
  qa-test:
    url: https://jenkins-qa-test.example.com/
    user_env: QA_USER
    token_env: QA_TOKEN
    folder: /jobs/
    timeout: 12
    workers: 3
"""


def test_a_named_target_takes_its_fields_and_credentials_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "jobgen.yaml").write_text(SETTINGS)
    monkeypatch.setenv("QA_USER", "deployer")
    monkeypatch.setenv("QA_TOKEN", "t0ken-value")
    target = named_target(tmp_path, "qa-test")
    assert (target.url, target.folder, target.timeout, target.workers) == (
        "https://jenkins-qa-test.example.com/",
        "jobs",
        12.0,
        3,
    )
    assert (target.user, target.token) == ("deployer", "t0ken-value")
    assert "t0ken-value" not in repr(target)


def test_an_unknown_target_names_the_known_ones(tmp_path: Path) -> None:
    (tmp_path / "jobgen.yaml").write_text(SETTINGS)
    with pytest.raises(TargetError, match=r"no target named 'prod' .*known: qa-test"):
        named_target(tmp_path, "prod")


def test_a_bad_jobgen_yaml_stops_with_positioned_errors(tmp_path: Path) -> None:
    (tmp_path / "jobgen.yaml").write_text(SETTINGS + "    urll: x\n")
    with pytest.raises(TargetError, match=r"jobgen.yaml:10:5: error: unknown field `urll`"):
        named_target(tmp_path, "qa-test")


def test_a_netrc_inside_the_repository_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QA_USER", raising=False)
    monkeypatch.delenv("QA_TOKEN", raising=False)
    (tmp_path / "jobgen.yaml").write_text(SETTINGS + "    netrc: creds.netrc\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TargetError, match="outside the repository"):
        named_target(tmp_path, "qa-test")


def test_a_netrc_outside_the_repository_gives_the_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QA_USER", raising=False)
    monkeypatch.delenv("QA_TOKEN", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    netrc = home / "jenkins.netrc"
    netrc.write_text("machine jenkins-qa-test.example.com login ci password pw-from-netrc\n")
    netrc.chmod(0o600)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "jobgen.yaml").write_text(SETTINGS + f"    netrc: {netrc}\n")
    target = named_target(repo, "qa-test")
    assert (target.user, target.token) == ("ci", "pw-from-netrc")
