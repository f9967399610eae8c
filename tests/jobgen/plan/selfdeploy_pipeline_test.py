"""The generated self-deploy pipeline, run: the QA chain of slide 29 on embedded masters.

Master A (qa-qa) runs pipelines and their `sh` steps for real; a person deploys
the jobs repository to it. Its job jobgen-deploy-qa-test then clones the
repository, installs the jobgen wheel committed there (repository.install),
validates, tests, diffs, deploys and prunes master B (qa-test) with the
credential stored on A, runs `jobgen functional-test` against B, and starts
jobgen-deploy-qa-prod, which deploys master C the same way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import jenkins
import pytest

from jobgen import __version__
from jobgen.master import EmbeddedMaster
from tests.package import Dist
from tests.repos import commit_all, make_jobs_repo

pytestmark = pytest.mark.slow

A_TOKEN, B_TOKEN, C_TOKEN = "a" * 32, "b" * 32, "c" * 32
NOW = {"quiet_period": 0.0}  # the chain, not the queue, is under test


@pytest.fixture
def masters(tmp_path: Path) -> Iterator[tuple[EmbeddedMaster, EmbeddedMaster, EmbeddedMaster]]:
    with ExitStack() as stack:
        a = stack.enter_context(
            EmbeddedMaster.start(
                tmp_path / "a", "person", A_TOKEN, run_pipelines=True, run_shell=True, **NOW
            )
        )
        b = stack.enter_context(
            EmbeddedMaster.start(tmp_path / "b", "deployer", B_TOKEN, run_pipelines=True, **NOW)
        )
        c = stack.enter_context(EmbeddedMaster.start(tmp_path / "c", "deployer", C_TOKEN, **NOW))
        yield a, b, c


def test_self_deploy_installs_the_pinned_wheel_deploys_tests_and_starts_the_next_target(
    tmp_path: Path,
    dist: Dist,
    masters: tuple[EmbeddedMaster, EmbeddedMaster, EmbeddedMaster],
) -> None:
    a, b, c = masters
    repo = tmp_path / "repo"
    make_jobs_repo(repo)
    (repo / "wheels").mkdir()
    shutil.copy(dist.wheel, repo / "wheels")
    (repo / "jobgen.yaml").write_text(_settings(repo, dist.wheel.name, a, b, c), "utf-8")
    commit_all(repo, "self-deploy from a committed wheel")
    a.add_credentials("qa-test-deploy", "deployer", B_TOKEN)
    a.add_credentials("qa-prod-deploy", "deployer", C_TOKEN)
    env = {**os.environ, "QA_QA_USER": "person", "QA_QA_TOKEN": A_TOKEN}

    person = _jobgen(repo, env, "deploy", "--target", "qa-qa")
    assert person.returncode == 0, person.stderr
    run = _jobgen(
        repo, env, "trigger", "jobgen-deploy-qa-test", "--target", "qa-qa", "--wait",
        "--param", "GIT_HASH=", "--timeout", "900",
    )  # fmt: skip
    a.wait_idle(timeout=900)  # jobgen-deploy-qa-prod, started by qa-test's last stage

    server = jenkins.Jenkins(a.url, username="person", password=A_TOKEN)
    logs = {name: _last_log(server, name) for name in ("qa-test", "qa-prod")}
    assert run.returncode == 0, run.stdout + run.stderr + logs["qa-test"][-4000:]
    log = logs["qa-test"]
    assert f"jobgen-{__version__}-py3-none-any.whl" in log  # installed from the committed wheel
    for stage in ("validate", "test", "diff", "deploy", "prune", "functional test"):
        assert f"[Pipeline] {{ ({stage})" in log
    assert "functional-test --target qa-test" in log
    assert "submitted 3" in log and "lost reports 0" in log and "\nOK" in log
    assert "Finished: SUCCESS" in logs["qa-prod"], logs["qa-prod"][-4000:]
    for master, token in ((b, B_TOKEN), (c, C_TOKEN)):
        names = _job_names(master, token)
        assert any(n.startswith("model-processing/process_model-v") for n in names)
    # docs/jenkins-facts.md (package): bound secrets are masked as **** in the console.
    assert B_TOKEN not in log and C_TOKEN not in logs["qa-prod"]


def _settings(
    repo: Path, wheel: str, a: EmbeddedMaster, b: EmbeddedMaster, c: EmbeddedMaster
) -> str:
    return f"""jobgen: {__version__}
owner: selfdeploy
repository:
  url: {repo}
  branch: main
  install: wheels/{wheel}
  functional_test: {{job: process_model, runs: 3, rate: 5}}
targets:
  qa-qa: {{url: "{a.url}", user_env: QA_QA_USER, token_env: QA_QA_TOKEN}}
  qa-test:
    url: "{b.url}"
    user_env: QA_TEST_USER
    token_env: QA_TEST_TOKEN
    deployer: qa-qa
    credentials: qa-test-deploy
  qa-prod:
    url: "{c.url}"
    user_env: QA_PROD_USER
    token_env: QA_PROD_TOKEN
    deployer: qa-qa
    after: qa-test
    credentials: qa-prod-deploy
"""


def _jobgen(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "jobgen", *args]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=1200)


def _last_log(server: jenkins.Jenkins, target: str) -> str:
    for job in server.get_all_jobs(folder_depth=2):
        name = str(job["fullname"])
        if name.startswith(f"jobgen-deploy/jobgen-deploy-{target}-v"):
            last = server.get_job_info(name)["lastBuild"]
            return str(server.get_build_console_output(name, last["number"])) if last else ""
    return f"(no self-deploy job for {target})"


def _job_names(master: EmbeddedMaster, token: str) -> list[str]:
    server = jenkins.Jenkins(master.url, username="deployer", password=token)
    return [str(job["fullname"]) for job in server.get_all_jobs(folder_depth=2)]
