"""The self-deploy job as rendered: XML parsed back, Groovy compiled and run with stand-ins."""

import dataclasses
import io
import json
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from jobgen.commands.test import run_with_scripts
from jobgen.compiler import compile_tree
from jobgen.diagnostics import SourcePos
from jobgen.groovy.compile import BODY_END_MARKER, BODY_MARKER
from jobgen.groovy.runner import JobScript
from jobgen.groovy.runtime import groovy_env, groovy_tool
from jobgen.groovy.scenario import load_scenarios
from jobgen.load.loader import load
from jobgen.load.model import JobsRepository, Name, Repo, Target
from jobgen.plan.planner import plan
from jobgen.render.model import Artifacts, RenderedJob
from jobgen.render.renderer import render
from tests.hostile import HOSTILE
from tests.jobgen.render.renderer_test import fixed_versions
from tests.repos import EXAMPLES, make_jobs_repo

POS = SourcePos("jobgen.yaml", 3, 3)


@pytest.fixture(scope="module")
def artifacts() -> Artifacts:
    planned = plan(load([EXAMPLES]).repo, target="qa-qa").plan
    return render(fixed_versions(planned), owner="jobs-repo")


def _job(artifacts: Artifacts, name: str) -> RenderedJob:
    return next(job for job in artifacts.jobs if job.job.name == name)


def test_the_self_deploy_job_is_a_sandboxed_pipeline_with_its_script(artifacts: Artifacts) -> None:
    job = _job(artifacts, "jobgen-deploy-qa-test")
    root = etree.fromstring(job.config_xml)
    assert root.tag == "flow-definition"
    assert root.findtext("definition/script") == job.groovy
    assert root.findtext("definition/sandbox") == "true"
    assert job.full_name == "jobgen-deploy/jobgen-deploy-qa-test-v3-abc1234"
    names = [p.findtext("name") for p in root.iter("hudson.model.StringParameterDefinition")]
    assert names == ["GIT_HASH"]
    assert (
        root.find(
            ".//org.jenkinsci.plugins.workflow.job.properties.DisableConcurrentBuildsJobProperty"
        )
        is not None
    )


def test_the_stages_run_in_order_and_start_qa_prod_after_the_functional_test(
    artifacts: Artifacts,
) -> None:
    script = _job(artifacts, "jobgen-deploy-qa-test").groovy
    assert script is not None
    order = [
        "stage('checkout')",
        "stage('install jobgen')",
        "jobgen validate components'",
        "jobgen test -c components'",
        "usernamePassword(credentialsId: 'qa-test-jenkins-deploy', "
        "usernameVariable: 'QA_TEST_JENKINS_USER', passwordVariable: 'QA_TEST_JENKINS_TOKEN')",
        "jobgen diff -c components --target qa-test'",
        "jobgen deploy -c components --target qa-test'",
        "jobgen prune -c components --target qa-test'",
        "jobgen functional-test --target qa-test --job process_model --jobs 100 --rate 10.0'",
        "build(job: 'jobgen-deploy-qa-prod-v3-abc1234'",  # same folder: a plain name
    ]
    places = [script.index(text) for text in order]
    assert places == sorted(places)
    prod = _job(artifacts, "jobgen-deploy-qa-prod").groovy
    assert prod is not None
    assert "functional-test" not in prod and "build(job:" not in prod.split(BODY_MARKER)[1]


def test_the_watcher_polls_the_jobs_repository_and_starts_qa_test(artifacts: Artifacts) -> None:
    watcher = next(a for a in artifacts.aliases if a.name == "jobgen-deploy-watch")
    root = etree.fromstring(watcher.config_xml)
    assert root.findtext("scm/userRemoteConfigs/hudson.plugins.git.UserRemoteConfig/url") == (
        "https://github.com/somesite/jenkins-jobs.git"
    )
    regions = root.findtext(".//hudson.plugins.git.extensions.impl.PathRestriction/includedRegions")
    assert regions.split("\n") == [
        "components/.*",
        r"jobgen\.yaml",
        "jobgen/templates/.*",
        "jobgen/groovy_lib/.*",
        "groovy_lib/.*",  # the team's own Groovy library
    ]
    assert root.findtext(".//hudson.triggers.SCMTrigger/spec")
    # It starts the stable job, which runs the deployed version.
    assert root.findtext("publishers/hudson.tasks.BuildTrigger/childProjects") == (
        "jobgen-deploy-qa-test"
    )


def _hostile_repo(value: str) -> Repo:
    qq = Target("qq", value, POS)
    deployed = Target(
        "qa-test",
        value,
        POS,
        user_env=value,
        token_env=value,
        deployer=Name("qq", POS),
        credentials=value,
    )
    follower = dataclasses.replace(deployed, name="qa-prod", after=Name("qa-test", POS))
    return Repo(
        Path("/nonexistent"),
        (),
        "0.1.0",
        targets=(qq, deployed, follower),
        repository=JobsRepository(value, value, POS),
    )


def _render_hostile(value: str, mode: str = "prod") -> Artifacts:
    planned = plan(_hostile_repo(value), target="qq").plan
    return render(fixed_versions(planned), owner="o", mode=mode)  # type: ignore[arg-type]


def _groovyc(scripts: list[str], out: Path) -> subprocess.CompletedProcess[str]:
    out.mkdir()
    files = []
    for index, text in enumerate(scripts):
        path = out / f"SelfDeploy{index}.groovy"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    command = [groovy_tool("groovyc"), "-d", str(out / "classes"), *files]
    return subprocess.run(command, capture_output=True, text=True, env=groovy_env())


def test_every_self_deploy_script_compiles_with_groovyc(
    tmp_path: Path, artifacts: Artifacts
) -> None:
    hostile = _render_hostile("".join(HOSTILE))
    scripts = [
        j.groovy
        for j in artifacts.jobs + hostile.jobs
        if j.groovy is not None and j.job.component == "jobgen-deploy"
    ]
    assert len(scripts) == 4
    result = _groovyc(scripts, tmp_path / "prod")
    assert result.returncode == 0, result.stderr
    # Test mode defines the mock classes in every script: one script per compiler run.
    test_mode = _render_hostile("".join(HOSTILE), mode="test")
    script = _job(test_mode, "jobgen-deploy-qa-test").groovy
    assert script is not None
    result = _groovyc([script], tmp_path / "test")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_target_fields_keep_the_xml_well_formed(value: str) -> None:
    rendered = _render_hostile(value)
    for job in rendered.jobs:
        etree.fromstring(job.config_xml)
    for alias in rendered.aliases:
        root = etree.fromstring(alias.config_xml)
        if alias.name == "jobgen-deploy-watch":
            url = root.findtext("scm/userRemoteConfigs/hudson.plugins.git.UserRemoteConfig/url")
            assert url == value


# Jenkins steps cannot run here: these stand-ins record every argument as JSON.
_RECORDING_STEPS = r"""
import groovy.json.JsonOutput
calls = []
def record(name, args) { calls << [name, args] }
def stage(name, body) { record('stage', [name]); body() }
def node(body) { body() }
def sh(Map args) { record('sh', [args.script]); return args.returnStatus ? 1 : 'abc1234' }
def build(Map args) { record('build', [args.job, args.parameters]) }
def string(Map args) { return args }
def usernamePassword(Map args) { return args }
def withCredentials(list, body) { record('withCredentials', list); body() }
def error(String message) { throw new RuntimeException(message) }
"""


def test_hostile_values_reach_groovy_and_the_shell_literally(tmp_path: Path) -> None:
    value = "".join(HOSTILE)
    job = next(j for j in _render_hostile(value).jobs if j.job.name == "jobgen-deploy-qa-test")
    assert job.groovy is not None
    body = job.groovy.split(BODY_MARKER + "\n", 1)[1].split(BODY_END_MARKER, 1)[0]
    path = tmp_path / "run.groovy"
    path.write_text(
        _RECORDING_STEPS
        + "params = [GIT_HASH: '']\n"
        + "try {\n"
        + body.replace("def gitHash", "gitHash", 1)
        + "\n} finally { println('CALLS=' + JsonOutput.toJson(calls)) }\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [groovy_tool(), "-c", "UTF-8", str(path)], capture_output=True, text=True, env=groovy_env()
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("CALLS="))
    calls = json.loads(line[len("CALLS=") :])
    binding = next(c[1][0] for c in calls if c[0] == "withCredentials")
    assert binding == {
        "credentialsId": value,
        "usernameVariable": value,
        "passwordVariable": value,
    }
    scripts = [c[1][0] for c in calls if c[0] == "sh"]
    # The repository, its branch and the target name reach git as one word each.
    fake, calls_dir = tmp_path / "bin", tmp_path / "calls"
    fake.mkdir()
    calls_dir.mkdir()
    (fake / "git").write_text(f'#!/bin/bash\nprintf "%s\\0" "$@" > "$(mktemp -p {calls_dir})"\n')
    (fake / "git").chmod(0o755)
    env = {"PATH": f"{fake}:/usr/bin:/bin"}
    subprocess.run(["bash", "-c", scripts[0]], env=env, check=True)  # ls-remote
    subprocess.run(["bash", "-c", scripts[1] + "abc1234"], env=env, check=True)  # clone
    words = [f.read_bytes().decode().split("\0")[:-1] for f in calls_dir.iterdir()]
    assert ["ls-remote", "--", value, f"refs/heads/{value}"] in words
    assert ["clone", "--quiet", "--", value, "jobs"] in words
    # The build of the follower passes the commit found, not anything from jobgen.yaml.
    assert [
        "build",
        ["jobgen-deploy-qa-prod-v3-abc1234", [{"name": "GIT_HASH", "value": "abc1234"}]],
    ] in calls


# `jobgen test` scenarios (mocked steps, real Groovy) on the compiled self-deploy job.
SCENARIOS = """\
- name: validate_fails
  job: jobgen-deploy-qa-test
  params: {GIT_HASH: 0123456789abcdef0123456789abcdef01234567}
  answers:
    sh:
      "cd jobs && ../.jobgen-venv/bin/jobgen validate components": {status: 1}
  expected:
    result: FAILURE
    error: script returned exit code 1
    calls_include:
      - sh: {script: cd jobs && ../.jobgen-venv/bin/jobgen validate components}
    calls_exclude:
      - sh: {script: cd jobs && ../.jobgen-venv/bin/jobgen test -c components}
      - sh: {script: cd jobs && ../.jobgen-venv/bin/jobgen deploy -c components --target qa-test}
      - build: {job: jobgen-deploy-qa-prod}
- name: changes_are_deployed_then_qa_prod_starts
  job: jobgen-deploy-qa-test
  params: {GIT_HASH: 0123456789abcdef0123456789abcdef01234567}
  answers:
    sh:
      "cd jobs && ../.jobgen-venv/bin/jobgen diff -c components --target qa-test": {status: 1}
  expected:
    result: SUCCESS
    calls_include:
      - sh: {script: cd jobs && ../.jobgen-venv/bin/jobgen deploy -c components --target qa-test}
      - sh: {script: cd jobs && ../.jobgen-venv/bin/jobgen prune -c components --target qa-test}
      - sh: {script: cd jobs && ../.jobgen-venv/bin/jobgen functional-test --target qa-test
          --job process_model --jobs 100 --rate 10.0}
      - build: {job: jobgen-deploy-qa-prod, wait: false}
- name: diff_error_stops_the_deploy
  job: jobgen-deploy-qa-test
  params: {GIT_HASH: 0123456789abcdef0123456789abcdef01234567}
  answers:
    sh:
      "cd jobs && ../.jobgen-venv/bin/jobgen diff -c components --target qa-test": {status: 2}
  expected:
    result: FAILURE
    error: jobgen diff failed with exit code 2
    calls_exclude:
      - sh: {script: cd jobs && ../.jobgen-venv/bin/jobgen deploy -c components --target qa-test}
"""


def test_jobgen_test_scenarios_a_failing_validate_stops_the_deploy(tmp_path: Path) -> None:
    components = make_jobs_repo(tmp_path / "repo")
    result = compile_tree(components, mode="test", target="qa-qa")
    assert result.artifacts is not None, result.diagnostics
    names = {r.deployed_name: r.job.name for r in result.artifacts.jobs}
    scripts = {
        r.job.name: JobScript(r.job.name, r.groovy, "jobgen.yaml", names)
        for r in result.artifacts.jobs
        if r.groovy is not None and r.job.component == "jobgen-deploy"
    }
    tests = components / "jobgen-deploy" / "tests"
    tests.mkdir(parents=True)
    (tests / "selfdeploy.yaml").write_text(SCENARIOS)
    found, problems = load_scenarios(components)
    assert problems == []
    scenarios = [s for s in found if s.job in scripts]  # the components' own run elsewhere
    out = io.StringIO()
    code = run_with_scripts(scripts, scenarios, out=out)
    assert code == 0, out.getvalue()
    assert "3 passed, 0 failed" in out.getvalue()


def test_a_private_jobs_repository_is_cloned_with_the_git_plugins_binding(
    artifacts: Artifacts,
) -> None:
    # `repository.credentials` in jobgen.yaml; git-plugin GitUsernamePasswordBinding.java:82,202.
    job = _job(artifacts, "jobgen-deploy-qa-test")
    script = job.groovy or ""
    binding = "withCredentials([gitUsernamePassword(credentialsId: 'jobs-reader')]) {"
    inside = script.split(binding, 1)[1].split("stage('install jobgen')", 1)[0]
    assert "git ls-remote" in inside and "git clone" in inside
    assert "git@4.8.0" in job.plugins
    stable = next(a for a in artifacts.aliases if a.name == "jobgen-deploy-watch")
    assert "git@4.8.0" in stable.plugins
    watcher = etree.fromstring(stable.config_xml)
    remote = watcher.find("scm/userRemoteConfigs/hudson.plugins.git.UserRemoteConfig")
    assert remote is not None and remote.findtext("credentialsId") == "jobs-reader"


@pytest.mark.parametrize("kind", ["wheel", "index"])
def test_the_install_source_reaches_pip_as_one_word(tmp_path: Path, kind: str) -> None:
    value = "".join(HOSTILE)
    source = f"wheels/{value}.whl" if kind == "wheel" else f"https://pypi.example.com/{value}"
    repo = _hostile_repo("x")
    repository = dataclasses.replace(repo.repository, install=source)  # type: ignore[type-var]
    planned = plan(dataclasses.replace(repo, repository=repository), target="qq").plan
    job = next(
        j
        for j in render(fixed_versions(planned), owner="o").jobs
        if j.job.name == "jobgen-deploy-qa-test"
    )
    assert job.groovy is not None
    body = job.groovy.split(BODY_MARKER + "\n", 1)[1].split(BODY_END_MARKER, 1)[0]
    path = tmp_path / "run.groovy"
    script = body.replace("def gitHash", "gitHash", 1)
    path.write_text(
        f"{_RECORDING_STEPS}params = [GIT_HASH: '']\ntry {{\n{script}\n}} "
        "finally { println('CALLS=' + JsonOutput.toJson(calls)) }\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [groovy_tool(), "-c", "UTF-8", str(path)], capture_output=True, text=True, env=groovy_env()
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("CALLS="))
    install = next(c[1][0] for c in json.loads(line[6:]) if c[0] == "sh" and "pip" in c[1][0])
    # A python3 that makes a venv whose pip records its arguments, one per line.
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python3").write_text(
        "#!/bin/bash\nmkdir -p .jobgen-venv/bin\n"
        'printf \'#!/bin/bash\\nprintf "%%s\\\\0" "$@" > pip-args\\n\' > .jobgen-venv/bin/pip\n'
        "chmod +x .jobgen-venv/bin/pip\n"
    )
    (fake / "python3").chmod(0o755)
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "jobgen.yaml").write_text("jobgen: 0.1.0\n")
    env = {"PATH": f"{fake}:/usr/bin:/bin"}
    subprocess.run(["bash", "-c", install], env=env, cwd=tmp_path, check=True)
    words = (tmp_path / "pip-args").read_bytes().decode().split("\0")[:-1]
    if kind == "wheel":
        assert words[-1] == f"jobs/{source}"
    else:
        assert words[-3:] == ["--index-url", source, "jobgen==0.1.0"]
