"""Hostile text in every string field: XML stays well-formed, shell and Groovy keep it literal."""

import dataclasses
import os
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from jobgen.diagnostics import SourcePos
from jobgen.load.model import (
    Alert,
    Component,
    Credential,
    Environment,
    HandJob,
    Name,
    Notify,
    Parameter,
    Repo,
    Requirements,
    Step,
    Variable,
)
from jobgen.plan.planner import plan
from jobgen.render.model import Artifacts
from jobgen.render.renderer import render
from tests.hostile import HOSTILE
from tests.jobgen.render.renderer_test import fixed_versions

POS = SourcePos("components/evil.yaml", 1, 1)


def _component(value: str) -> Component:
    return Component(
        name="evil",
        file=Path("components/evil.yaml"),
        pos=POS,
        description=value,
        repo=value,
        branch=value,
        path=value,
        requirements=Requirements(node=value, ruby=value, python=value, labels=(value,)),
        steps=(
            Step("build", value, POS, artifacts=(value,)),
            Step("test", "echo test", POS),
            Step("release", f"echo $VAR {value}", POS),
        ),
        environments=(Environment("qa", (Variable("VAR", value, POS),), POS, approval=value),),
        credentials=(Credential(value, "string", ("TOKEN",), POS),),
        schedule=value,
        notify=Notify(("failure",), (value,), POS, webhook_credential=value),
        jobs=(
            HandJob(
                "evil-hand",
                POS,
                bash=Path("components/evil.sh"),
                parameters=(Parameter("P", POS, default=value, description=value),),
                description=value,
                source=f"echo {value!r}\n",
            ),
        ),
    )


def _render(value: str, mode: str = "prod") -> Artifacts:
    repo = Repo(Path("/nonexistent"), (_component(value),), "0.1.0")
    result = plan(repo)
    return render(fixed_versions(result.plan), owner="o", mode=mode)  # type: ignore[arg-type]


def _texts(config: bytes) -> list[str]:
    root = etree.fromstring(config)
    return [text for text in root.itertext()]


@pytest.mark.parametrize("value", HOSTILE)
def test_xml_is_well_formed_and_keeps_every_value(value):
    artifacts = _render(value)
    configs = [job.config_xml for job in artifacts.jobs]
    configs += [alias.config_xml for alias in artifacts.aliases]  # stable jobs: the schedule
    texts = "\n".join(t for config in configs for t in _texts(config))
    for config in configs:
        etree.fromstring(config)  # raises on anything malformed
    # description, repo, branch spec, labels, artifacts, schedule, parameter default and
    # description, credential id: each must come back out of the XML exactly.
    fields = {
        "description": f"\n\n{value}",  # after the marker line (render/marker.py)
        "repo url": f"{value}",
        "label": value,
        "artifacts": value,
        "schedule": value,
        "parameter default": value,
    }
    for field, expected in fields.items():
        assert expected in texts, field


def _stub_tools(tmp_path: Path) -> dict[str, str]:
    """nvm/rvm/pyenv/docker/curl that record their arguments instead of installing anything."""
    log = tmp_path / "calls.log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = f'printf "%s\\0" "$(basename "$0")" "$@" >> {log}; printf "\\n" >> {log}\n'
    for tool in ("docker", "curl", "pyenv", "grep"):
        script = bin_dir / tool
        script.write_text("#!/bin/bash\n" + record)
        script.chmod(0o755)
    nvm = tmp_path / "nvm"
    nvm.mkdir()
    (nvm / "nvm.sh").write_text(
        f'nvm() {{ printf "%s\\0" nvm "$@" >> {log}; printf "\\n" >> {log}; }}\n'
    )
    rvm = tmp_path / "home" / ".rvm" / "scripts"
    rvm.mkdir(parents=True)
    (rvm / "rvm").write_text(
        f'rvm() {{ printf "%s\\0" rvm "$@" >> {log}; printf "\\n" >> {log}; }}\n'
    )
    (tmp_path / "pyenv" / "bin").mkdir(parents=True)
    (tmp_path / "pyenv" / "bin" / "pyenv").symlink_to(bin_dir / "pyenv")
    return {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "NVM_DIR": str(nvm),
        "HOME": str(tmp_path / "home"),
        "PYENV_ROOT": str(tmp_path / "pyenv"),
        "WORKSPACE": str(tmp_path),
        "VAR": "from-the-environment",
    }


def _calls(log: Path) -> list[list[str]]:
    lines = log.read_bytes().decode().split("\0\n")
    return [line.split("\0") for line in lines if line]


@pytest.mark.parametrize("value", HOSTILE)
def test_toolchain_versions_reach_the_managers_as_one_literal_word(tmp_path, value):
    worker = next(j for j in _render(value).jobs if j.job.name == "evil-build")
    command = etree.fromstring(worker.config_xml).findtext("builders/hudson.tasks.Shell/command")
    env = _stub_tools(tmp_path)
    script = tmp_path / "worker.sh"
    # The step itself is the user's shell code and runs as written: replace it by a no-op.
    script.write_text(command.replace(value + "\n", ":\n") if value.strip() else command)
    subprocess.run(["bash", str(script)], env=env, check=False, capture_output=True)
    calls = _calls(tmp_path / "calls.log")
    assert ["nvm", "install", value] in calls
    assert ["nvm", "use", value] in calls
    assert ["pyenv", "install", "--skip-existing", value] in calls


# Jenkins steps cannot run here: these stand-ins record every argument as JSON.
_RECORDING_STEPS = r"""
import groovy.json.JsonOutput
calls = []
def record(name, args) { calls << [name, args.collect { it instanceof Closure ? '{...}' : it }] }
def stage(name, body) { record('stage', [name]); body() }
def node(label, body) { record('node', [label]); body() }
def sh(Map args) { record('sh', [args.script]); return 'abc1234' }
def build(Map args) { record('build', [args.job]); return [result: 'SUCCESS'] }
def jobgenWorse(current, run) { current }  // groovy_lib/common/results.groovy
def string(Map args) { return args }
def input(Map args) { record('input', [args.message, args.submitter]) }
def mail(Map args) { record('mail', [args.to]) }
def httpRequest(Map args) { record('httpRequest', [args.url]) }
def withCredentials(list, body) { record('withCredentials', list); body() }
def error(String message) { throw new RuntimeException(message) }
def echo(String message) { }
"""


def _run_recorded(script: str, tmp_path: Path) -> list[list[object]]:
    import json

    from jobgen.groovy.compile import BODY_MARKER, library_files
    from jobgen.groovy.runtime import groovy_env, groovy_tool

    # The job's own body only: the library around it defines methods, which cannot sit in a try.
    # A stable job's script has no library around it: it is all body.
    body = script.split(BODY_MARKER + "\n", 1)[1] if BODY_MARKER in script else script
    epilogue = "".join(path.read_text() for path in library_files("prod")[1])
    body = body[: len(body) - len(epilogue)] if epilogue and body.endswith(epilogue) else body
    body = body.replace("def gitHash", "gitHash", 1)
    path = tmp_path / "run.groovy"
    path.write_text(
        _RECORDING_STEPS
        + "params = [GIT_HASH: '', VAR: 'x']\nenv = [:]\n"
        + "currentBuild = [previousBuild: [result: 'SUCCESS']]\n"
        + "try {\n"
        + body
        + "\n} finally { println('CALLS=' + JsonOutput.toJson(calls)) }\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [groovy_tool(), "-c", "UTF-8", str(path)],
        capture_output=True,
        text=True,
        env=groovy_env(),
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("CALLS="))
    return json.loads(line[len("CALLS=") :])


def test_values_stay_literal_in_the_generated_groovy(tmp_path):
    # One run with every hostile string at once: a single JVM start.
    value = "".join(HOSTILE)
    component = _component(value)
    notify = Notify(("always",), (value,), POS, webhook_credential=value)
    component = dataclasses.replace(component, notify=notify)
    repo = Repo(Path("/nonexistent"), (component,), "0.1.0")
    planned = plan(repo).plan
    artifacts = render(fixed_versions(planned), owner="o")
    job = next(j for j in artifacts.jobs if j.job.name == "evil-qa-release")
    calls = _run_recorded(job.groovy, tmp_path)
    assert ["node", [value]] in calls
    assert ["input", ["Release evil to qa?", value]] in calls
    assert ["mail", [value]] in calls
    assert any(c[0] == "withCredentials" and c[1][0]["credentialsId"] == value for c in calls)
    # The commit lookup reaches git as exactly two words: the repository and the branch.
    ls_remote = next(c[1][0] for c in calls if c[0] == "sh")
    git_log = tmp_path / "git.log"
    fake_git = tmp_path / "bin" / "git"
    fake_git.parent.mkdir()
    fake_git.write_text(f'#!/bin/bash\nprintf "%s\\0" "$@" > {git_log}\n')
    fake_git.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake_git.parent}:{os.environ['PATH']}"}
    subprocess.run(["bash", "-c", ls_remote], env=env, check=True)
    words = git_log.read_bytes().decode().split("\0")[:-1]
    assert words == ["ls-remote", "--", value, f"refs/heads/{value}"]


def _sharing(value: str) -> Repo:
    alert = Alert("rate", "<", "0.5", value, value, POS)
    steps = (
        Step(
            "build", "echo b", POS, produces=(value,), metrics=value, alerts=(alert,), junit=value
        ),
        Step("release", "echo r", POS, uses=(Name("build", POS),)),
    )
    component = dataclasses.replace(_component(value), steps=steps)
    return Repo(Path("/nonexistent"), (component,), "0.1.0")


@pytest.mark.parametrize("value", HOSTILE)
def test_test_reports_and_shared_files_keep_every_value_in_the_xml(value):
    artifacts = render(fixed_versions(plan(_sharing(value)).plan), owner="o")
    configs = {job.job.name: etree.fromstring(job.config_xml) for job in artifacts.jobs}
    build, release = configs["evil-build"], configs["evil-release"]
    assert build.findtext("publishers/hudson.tasks.junit.JUnitResultArchiver/testResults") == value
    archived = build.findtext("publishers/hudson.tasks.ArtifactArchiver/artifacts")
    assert archived == value  # produces: and metrics: name the same file: archived once
    copy = release.find("builders/hudson.plugins.copyartifact.CopyArtifact")
    assert copy.findtext("filter") == value


def test_alert_texts_stay_literal_in_the_generated_groovy(tmp_path):
    from jobgen.groovy.compile import BODY_MARKER

    value = "".join(HOSTILE)
    artifacts = render(fixed_versions(plan(_sharing(value)).plan), owner="o")
    job = next(j for j in artifacts.jobs if j.job.name == "evil-build-test")
    # The library's alert functions, recorded: what the template passes them must be literal.
    stubs = (
        "jobgenReadMetrics = { j, n, f -> calls << ['read', [f]]; [rate: 0] }\n"
        "jobgenAlert = { m, metric, op, threshold, credential, message ->"
        " calls << ['alert', [metric, op, threshold, credential, message]] }\n"
    )
    script = job.groovy.replace(BODY_MARKER + "\n", BODY_MARKER + "\n" + stubs, 1)
    calls = _run_recorded(script, tmp_path)
    assert ["read", [value]] in calls
    assert ["alert", ["rate", "<", 0.5, value, value]] in calls
