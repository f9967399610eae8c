"""Worker jobs as a real agent runs them: the checkout, private repositories, docker steps.

The XML is checked against the real class and field names (facts in docs/jenkins-facts.md,
`## realjobs`); the shell command is run with bash, git is real, and `docker`, `aws` and
`pyenv` are stand-ins that record what they were asked.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from jobgen.load.loader import load
from jobgen.plan.planner import plan
from jobgen.render.model import Artifacts, RenderedJob
from jobgen.render.renderer import render
from tests.jobgen.render.renderer_test import fixed_versions
from tests.repos import EXAMPLES, git

PRIVATE = """\
component: reports
repo: https://git.example.com/private/reports.git
repo_credentials: reports-reader
branch: main
path: src
requirements:
  labels: [linux]
  docker:
    image: registry.example.com/py:3.11
    entrypoint: ""
    registry: registry.example.com
    registry_credentials: registry-reader
steps:
  build: ./build.sh
credentials:
  - {id: settings, type: file, env: [SETTINGS_FILE]}
jobs:
  publish:
    bash: reports/publish.bash
    parameters: {GIT_HASH: {default: main}}
  notify_only:
    bash: reports/publish.bash
    checkout: false
"""


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory) -> Artifacts:
    root = tmp_path_factory.mktemp("repo")
    (root / "reports").mkdir()
    (root / "reports" / "publish.bash").write_text("echo publish\n")
    (root / "reports.yaml").write_text(PRIVATE)
    loaded = load([root])
    assert loaded.repo is not None, loaded.diagnostics
    return render(fixed_versions(plan(loaded.repo).plan), owner="o")


def _job(artifacts: Artifacts, name: str) -> RenderedJob:
    return next(job for job in artifacts.jobs if job.job.name == name)


def _xml(job: RenderedJob) -> etree._Element:
    return etree.fromstring(job.config_xml)


REMOTE = "scm/userRemoteConfigs/hudson.plugins.git.UserRemoteConfig"


def test_every_checkout_of_a_private_repo_carries_its_credential_id(private: Artifacts) -> None:
    # git-plugin UserRemoteConfig.java:52-58: fields url, name, refspec, credentialsId.
    watcher = next(a for a in private.aliases if a.name == "reports-watch")  # a stable job
    configs = {name: _job(private, name).config_xml for name in ("reports-build", "publish")}
    configs["reports-watch"] = watcher.config_xml
    for name, config in configs.items():
        remote = etree.fromstring(config).find(REMOTE)
        assert remote is not None, name
        assert remote.findtext("url") == "https://git.example.com/private/reports.git"
        assert remote.findtext("credentialsId") == "reports-reader", name


def test_commit_resolution_authenticates_with_the_git_plugins_binding(private: Artifacts) -> None:
    # git-plugin GitUsernamePasswordBinding.java:82,202: @Symbol gitUsernamePassword sets
    # GIT_ASKPASS, so `git ls-remote` authenticates without the secret in the command line.
    script = _job(private, "reports-build-test").groovy or ""
    binding = "withCredentials([gitUsernamePassword(credentialsId: 'reports-reader')]) {"
    assert binding in script
    after = script.split(binding, 1)[1]
    assert after.index("git ls-remote") < after.index("}")
    assert "git@4.8.0" in _job(private, "reports-build-test").plugins


def test_hand_written_bash_workers_check_out_their_component(private: Artifacts) -> None:
    publish = _xml(_job(private, "publish"))
    assert publish.find("scm").get("class") == "hudson.plugins.git.GitSCM"
    assert publish.findtext("scm/branches/hudson.plugins.git.BranchSpec/name") == "${GIT_HASH}"
    assert _xml(_job(private, "notify_only")).find("scm").get("class") == "hudson.scm.NullSCM"


def _stubs(tmp_path: Path) -> dict[str, str]:
    log = tmp_path / "calls.log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    docker = bin_dir / "docker"
    # Records the arguments, and what `docker login` reads on stdin, and where DOCKER_CONFIG is.
    docker.write_text(
        "#!/bin/bash\n"
        f'printf "%s\\0" "$@" >> {log}; printf "\\n" >> {log}\n'
        f'if [ "$1" = login ]; then cat > {tmp_path}/stdin; '
        f'echo "$DOCKER_CONFIG" > {tmp_path}/cfg; fi\n'
    )
    docker.chmod(0o755)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    return {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "WORKSPACE": str(workspace),
        "JOB_NAME": "reports/reports-build-v3-abc1234",
        "BUILD_URL": "http://jenkins.example.com/job/reports/job/reports-build-v3-abc1234/7/",
        "GIT_HASH": "abc1234",
        "JOBGEN_DOCKER_USER": "robot",
        "JOBGEN_DOCKER_PASSWORD": "s3cret-pw",
        "SETTINGS_FILE": f"{workspace}@tmp/secretFiles/0f/settings.xml",
    }


def _calls(tmp_path: Path) -> list[list[str]]:
    lines = (tmp_path / "calls.log").read_text().split("\n")
    return [line.split("\0")[:-1] for line in lines if line]


def test_docker_steps_run_as_docker_workflows_inside_does(
    tmp_path: Path, private: Artifacts
) -> None:
    command = _xml(_job(private, "reports-build")).findtext("builders/hudson.tasks.Shell/command")
    env = _stubs(tmp_path)
    done = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    login, run = _calls(tmp_path)
    ws = env["WORKSPACE"]
    # docker-commons style login: user in the arguments, the password only on stdin.
    assert login == ["login", "--username", "robot", "--password-stdin", "registry.example.com"]
    assert (tmp_path / "stdin").read_text() == "s3cret-pw\n"
    assert "s3cret-pw" not in done.stderr  # `set -x` starts after the login
    config = (tmp_path / "cfg").read_text().strip()
    assert config.startswith(f"{ws}@tmp/") and not Path(config).exists()  # removed at the end
    # docker-workflow DockerClient.java:119-139 and WithContainerStep.java:195-200: uid:gid,
    # the workspace and its @tmp (file credentials: UnbindableDir.java:61-65) at the same paths.
    ids = f"{os.getuid()}:{os.getgid()}"
    assert run[run.index("--user") + 1] == ids
    assert run[run.index("--workdir") + 1] == ws
    volumes = [run[i + 1] for i, arg in enumerate(run) if arg == "--volume"]
    assert volumes == [f"{ws}:{ws}:rw,z", f"{ws}@tmp:{ws}@tmp:rw,z"]
    passed = {run[i + 1] for i, arg in enumerate(run) if arg == "--env"}
    assert {"BUILD_URL", "JOB_NAME", "WORKSPACE", "GIT_HASH", "SETTINGS_FILE"} <= passed
    assert not passed & {"JOBGEN_DOCKER_USER", "JOBGEN_DOCKER_PASSWORD"}
    assert run[run.index("--entrypoint") + 1] == ""
    assert run[-4:] == ["registry.example.com/py:3.11", "bash", "-ec", "./build.sh"]


def test_the_registry_credential_is_bound_by_the_job_not_written_anywhere(
    private: Artifacts,
) -> None:
    # credentials-binding UsernamePasswordMultiBinding.java:48-51: usernameVariable,
    # passwordVariable (and credentialsId from MultiBinding).
    xml = _xml(_job(private, "reports-build"))
    bindings = xml.findall(
        "buildWrappers/org.jenkinsci.plugins.credentialsbinding.impl.SecretBuildWrapper/bindings/"
        "org.jenkinsci.plugins.credentialsbinding.impl.UsernamePasswordMultiBinding"
    )
    assert [(b.findtext("credentialsId"), b.findtext("usernameVariable")) for b in bindings] == [
        ("registry-reader", "JOBGEN_DOCKER_USER")
    ]


def _model_tools(tmp_path: Path) -> tuple[Path, str]:
    """The model-tools repository of the example: tools/ scripts at a commit."""
    remote = tmp_path / "model-tools"
    (remote / "tools").mkdir(parents=True)
    for name in ("inspect_manifold", "measure_size", "estimate_price"):
        (remote / "tools" / f"{name}.py").write_text(
            "import json, sys\nprint(json.dumps({'inputs': sys.argv[1:]}))\n"
        )
    git(remote, "init", "-q", "-b", "master")
    git(remote, "add", "-A")
    git(remote, "commit", "-q", "-m", "tools")
    return remote, git(remote, "rev-parse", "HEAD").strip()


def test_the_model_processing_workers_run_in_the_workspace_their_checkout_makes(
    tmp_path: Path,
) -> None:
    # Before `checkout:`, these workers got no checkout and died on `git -C tools fetch`.
    artifacts = render(fixed_versions(plan(load([EXAMPLES]).repo).plan), owner="o")
    remote, commit = _model_tools(tmp_path)
    for name in ("inspect_manifold", "measure_size", "estimate_price"):
        xml = _xml(_job(artifacts, name))
        ref = xml.findtext("scm/branches/hudson.plugins.git.BranchSpec/name")
        assert ref == "${TOOLS_COMMIT}"
        workspace = tmp_path / name
        # What the git plugin does on the agent: clone, then check out the expanded BranchSpec.
        subprocess.run(["git", "clone", "-q", str(remote), str(workspace)], check=True)
        git(workspace, "checkout", "-q", "--detach", commit)
        env = _agent(tmp_path / f"{name}-bin")
        env.update(WORKSPACE=str(workspace), TOOLS_COMMIT=commit)
        env.update(SOURCE_S3_FILE_PATH="s3://up/m.stl", RESULT_S3_FILE_PATH="s3://res/m")
        command = xml.findtext("builders/hudson.tasks.Shell/command")
        done = subprocess.run(
            ["bash", "-c", command], cwd=workspace, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]


def _agent(bin_dir: Path) -> dict[str, str]:
    """An agent with python3 as `python` and stand-ins for pyenv and aws."""
    bin_dir.mkdir(parents=True)
    (bin_dir / "aws").write_text('#!/bin/bash\n[ "$3" = "${3#s3:}" ] || echo "{}" > "$4"\n')
    (bin_dir / "python").symlink_to(
        subprocess.check_output(["which", "python3"], text=True).strip()
    )
    pyenv_root = bin_dir.parent / f"{bin_dir.name}-pyenv"
    (pyenv_root / "bin").mkdir(parents=True)
    (pyenv_root / "bin" / "pyenv").write_text("#!/bin/bash\nexit 0\n")
    for tool in (bin_dir / "aws", pyenv_root / "bin" / "pyenv"):
        tool.chmod(0o755)
    return {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "PYENV_ROOT": str(pyenv_root),
        "HOME": str(bin_dir),
    }


# ---- test reports and shared files (docs/jenkins-facts.md, `## features`) ----


@pytest.fixture(scope="module")
def examples() -> dict[str, etree._Element]:
    rendered = render(fixed_versions(plan(load([EXAMPLES]).repo).plan), owner="o")
    return {job.job.name: etree.fromstring(job.config_xml) for job in rendered.jobs}


def test_junit_publishes_with_the_junit_plugins_archiver(examples):
    # junit-plugin JUnitResultArchiver.java:72 (class), :79 testResults, :99 healthScaleFactor,
    # :104 allowEmptyResults; :194-196 failing tests set the build UNSTABLE.
    (archiver,) = examples["renewal-report-test"].findall(
        "publishers/hudson.tasks.junit.JUnitResultArchiver"
    )
    assert archiver.findtext("testResults") == "reports/**/*.xml"
    assert archiver.findtext("allowEmptyResults") == "false"  # no report is a failure
    assert float(archiver.findtext("healthScaleFactor")) == 1.0
    assert not examples["renewal-report-build"].findall(
        "publishers/hudson.tasks.junit.JUnitResultArchiver"
    )


def test_a_user_copies_in_the_producers_files_from_the_build_the_chain_names(examples):
    # copyartifact CopyArtifact.java:133-142 (project, filter, target, excludes, selector,
    # doNotFingerprintArtifacts); SpecificBuildSelector.java:47 buildNumber, expanded at :60.
    upload = examples["renewal-report-release"]
    builders = [child.tag for child in upload.find("builders")]
    assert builders == ["hudson.plugins.copyartifact.CopyArtifact", "hudson.tasks.Shell"]
    copy = upload.find("builders/hudson.plugins.copyartifact.CopyArtifact")
    assert copy.findtext("project") == "renewal-report-build-v3-abc1234"  # the deployed name
    assert copy.findtext("filter") == "out/renewal-report.html"
    selector = copy.find("selector")
    assert selector.get("class") == "hudson.plugins.copyartifact.SpecificBuildSelector"
    assert selector.findtext("buildNumber") == "${BUILD_BUILD_NUMBER}"
    names = [p.findtext("name") for p in upload.iter("hudson.model.StringParameterDefinition")]
    assert "BUILD_BUILD_NUMBER" in names


def test_the_producer_archives_and_names_who_may_copy(examples):
    # CopyArtifactPermissionProperty.java:62 projectNameList, :96-104 matched against the
    # copier's name relative to the source's folder, `*` a wildcard.
    build = examples["renewal-report-build"]
    (permission,) = build.findall(
        "properties/hudson.plugins.copyartifact.CopyArtifactPermissionProperty"
    )
    assert [s.text for s in permission.findall("projectNameList/string")] == ["renewal-report-*"]
    archived = build.findtext("publishers/hudson.tasks.ArtifactArchiver/artifacts")
    assert archived == "out/renewal-report.html,out/metrics.json"
    assert not examples["teams-api-build"].findall(
        "properties/hudson.plugins.copyartifact.CopyArtifactPermissionProperty"
    )
