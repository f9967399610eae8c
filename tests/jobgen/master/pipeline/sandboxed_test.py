"""Pipelines on the embedded master run under jobgen's sandbox, as Jenkins runs them under its own.

Facts (docs/jenkins-facts.md, `## sandbox`): the message is script-security's
RejectedAccessException.java:46-48; the console line before it is
ScriptApprovalNote.java:56 with scripts/Messages.properties:4.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import jenkins
import pytest
from lxml import etree

from jobgen.compiler import compile_tree
from jobgen.master import EmbeddedMaster
from jobgen.master.pipeline.runtime import GroovyRuntime
from tests.jobgen.master.support import PASSWORD, TOKEN, USER, build_number, wait_for
from tests.pipeline_runtime import finished, pipeline_runtime, run_pipeline
from tests.repos import make_jobs_repo

CONFIG = """<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job@1436.vfa_244484591f">
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition">
    <script>{script}</script><sandbox>true</sandbox>
  </definition>
  <disabled>false</disabled>
</flow-definition>
"""
REFUSED = "Scripts not permitted to use "


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[EmbeddedMaster, jenkins.Jenkins]]:
    home = tmp_path / "home"
    with EmbeddedMaster.start(
        home, USER, TOKEN, PASSWORD, run_pipelines=True, quiet_period=0
    ) as master:
        yield master, jenkins.Jenkins(master.url, username=USER, password=TOKEN, timeout=30)


def _console(server: jenkins.Jenkins, job: str, script: str) -> str:
    server.create_job(job, CONFIG.format(script=escape(script)))
    number = build_number(server, server.build_job(job))
    wait_for(lambda: not server.get_build_info(job, number)["building"], timeout=60)
    return str(server.get_build_console_output(job, number))


def test_a_pipeline_that_reads_the_masters_home_fails_with_jenkins_message(
    running: tuple[EmbeddedMaster, jenkins.Jenkins], tmp_path: Path
) -> None:
    _, server = running
    # The master keeps its jobs (and a real one its users and tokens) under its home.
    script = f"echo 'start'\necho(new File('{tmp_path / 'home'}', 'config.xml').text)\n"
    console = _console(server, "reader", script)
    signature = "new java.io.File java.lang.String java.lang.String"
    assert f"{REFUSED}{signature}. Administrators can decide whether to approve" in console
    assert f"RejectedAccessException: {REFUSED}{signature}" in console
    assert console.endswith("Finished: FAILURE\n")


def test_a_pipeline_cannot_read_the_environment_of_the_master(
    running: tuple[EmbeddedMaster, jenkins.Jenkins],
) -> None:
    _, server = running
    console = _console(server, "env-reader", "node { echo(System.getenv('HOME')) }")
    assert f"{REFUSED}staticMethod java.lang.System getenv java.lang.String" in console
    assert console.endswith("Finished: FAILURE\n")


# ---- every pipeline jobgen generates for the example repository, in prod mode ----------


def _pipelines(tmp: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """Full name -> (the <script> of its config.xml, a value for each of its parameters)."""
    # For qa-qa, the target that deploys others: its self-deploy jobs are compiled too.
    compiled = compile_tree(make_jobs_repo(tmp / "repo"), target="qa-qa")
    assert compiled.artifacts is not None
    configs = [(j.full_name, j.config_xml) for j in compiled.artifacts.jobs]
    configs += [(a.full_name, a.config_xml) for a in compiled.artifacts.aliases]
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for name, xml in configs:
        root = etree.fromstring(xml)
        script = root.findtext("definition/script")
        if script is None:
            continue
        names = root.xpath(".//parameterDefinitions/*/name/text()")
        # Callback URLs empty: the promise library then posts nothing (no listener here).
        params = {p: "" if p.endswith("_URL") else "x" for p in names}
        found[name] = (script, {**params, "GIT_HASH": "0123abc", "INTEGRATION": "true"})
    return found


@pytest.fixture(scope="module")
def runtime() -> Iterator[GroovyRuntime]:
    with pipeline_runtime() as started:
        yield started


def _refusals(runtime: GroovyRuntime, name: str, script: str, params: dict[str, str]) -> list[str]:
    """Run one script twice, downstream builds all succeeding then all failing; what was refused."""
    refused = []
    for result in ("SUCCESS", "FAILURE"):
        answer = run_pipeline(runtime, script, finished(result), params, JOB_NAME=name)
        refused += [line for line in answer.get("log") or () if line.startswith(REFUSED)]
    return refused


@pytest.mark.slow
def test_every_generated_pipeline_runs_without_a_refused_call(
    runtime: GroovyRuntime, tmp_path: Path
) -> None:
    # Every orchestration, alias and self-deploy job of the examples, each run with its
    # downstream builds all succeeding, then all failing (where e.result used to be read).
    pipelines = _pipelines(tmp_path)
    assert len(pipelines) > 10
    refused = {
        name: found
        for name, (script, params) in sorted(pipelines.items())
        if (found := _refusals(runtime, name, script, params))
    }
    assert refused == {}


def test_the_old_failure_path_of_orchestrations_is_refused(runtime: GroovyRuntime) -> None:
    # The catch block every orchestration had: e.result on the exception `build` throws.
    old = (
        "try {\n  build(job: 'w', parameters: [string(name: 'GIT_HASH', value: 'h')])\n"
        "} catch (e) {\n  def r = 'FAILURE'\n  if (e instanceof InterruptedException) {\n"
        "    try {\n      r = e.result.toString() == 'ABORTED' ? 'ABORTED' : 'FAILURE'\n"
        "    } catch (MissingPropertyException ignored) {\n      r = 'ABORTED'\n    }\n  }\n"
        "  throw e\n}\n"
    )
    assert _refusals(runtime, "old", old, {}) == [
        f"{REFUSED}method org.jenkinsci.plugins.workflow.steps.FlowInterruptedException getResult. "
        "Administrators can decide whether to approve or reject this signature."
    ]
