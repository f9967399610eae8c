"""The plugin preflight covers every step a job calls, at versions that have what we write."""

from __future__ import annotations

import pytest

from jobgen.deploy.plugins import missing_plugins
from jobgen.diagnostics import SourcePos
from jobgen.load.loader import load
from jobgen.plan.model import Job
from jobgen.plan.planner import plan
from jobgen.plan.specs import HandScript, PipelineSpec, Retention
from jobgen.render.plugins import MINIMUM, STEP_PLUGINS, plugins_for, steps_used
from tests.repos import EXAMPLES

POS = SourcePos("components/x.yaml", 1, 1)

# (plugin, what we write or call): the first release that has it (docs/jenkins-facts.md).
FIRST_RELEASE_WITH = {
    # workflow-job commit 81eea9f0 (JENKINS-43353), first tag 1145.v7f2433caa07f; not in 2.40-2.42.
    ("workflow-job", "DisableConcurrentBuildsJobProperty.abortPrevious"): "1145.v7f2433caa07f",
    # git-plugin commit 21ad9bab1 adds GitUsernamePasswordBinding, first tag git-4.8.0.
    ("git", "gitUsernamePassword"): "4.8.0",
    # pipeline-utility-steps: json/ReadJSONStep.java and WriteJSONStep.java first in tag 1.3.0.
    ("pipeline-utility-steps", "readJSON"): "1.3.0",
}


def _hand(text: str) -> Job:
    spec = PipelineSpec("d", (), Retention(3, 100), HandScript("x.groovy", text))
    return Job("x", "x", "orchestration", "x", "pipeline.xml.j2", (), POS, spec=spec)


def _plugins(job: Job) -> set[str]:
    return {p.partition("@")[0] for p in plugins_for(job)}


def test_a_hand_written_groovy_needs_the_plugins_of_the_steps_it_calls() -> None:
    job = _hand(
        "node('linux') {\n"
        "    def cfg = readJSON(file: 'cfg.json')\n"
        "    withCredentials([usernamePassword(credentialsId: 'c', usernameVariable: 'U',\n"
        "                                      passwordVariable: 'P')]) { sh 'deploy' }\n"
        "}\n"
    )
    assert {"pipeline-utility-steps", "credentials-binding", "workflow-durable-task-step"} <= (
        _plugins(job)
    )
    assert "http_request" not in _plugins(job)


def test_names_in_comments_strings_keys_and_members_are_not_steps() -> None:
    text = (
        "// readJSON(file: 'x') would need pipeline-utility-steps\n"
        "echo 'withCredentials is not called here'\n"
        "def m = [lock: 1]\n"
        "m.junit()\n"
    )
    assert steps_used(text) == {"echo"}


def test_the_example_promise_orchestration_needs_http_request() -> None:
    jobs = plan(load([EXAMPLES]).repo).plan.jobs
    process = next(j for j in jobs if j.name == "process_model")
    assert {"http_request", "pipeline-build-step", "pipeline-stage-step"} <= _plugins(process)


@pytest.mark.parametrize(("plugin", "what"), sorted(FIRST_RELEASE_WITH))
def test_each_minimum_has_what_we_write(plugin: str, what: str) -> None:
    needed = f"{plugin}@{FIRST_RELEASE_WITH[plugin, what]}"
    assert missing_plugins([needed], {plugin: MINIMUM[plugin]}) == [], what


def test_workflow_job_2_40_is_refused_for_abort_previous() -> None:
    # The example: a master on workflow-job 2.40 would load abortPrevious as garbage.
    assert missing_plugins([f"workflow-job@{MINIMUM['workflow-job']}"], {"workflow-job": "2.40"})


def test_every_catalogued_step_has_a_minimum() -> None:
    assert set(STEP_PLUGINS.values()) <= set(MINIMUM)


def test_test_reports_shared_files_and_alerts_name_their_plugins():
    jobs = plan(load([EXAMPLES]).repo).plan.by_name()
    assert "junit@1.40" in plugins_for(jobs["renewal-report-test"])
    assert "copyartifact@1.44" in plugins_for(jobs["renewal-report-release"])  # copies in
    assert "copyartifact@1.44" in plugins_for(jobs["renewal-report-build"])  # lets copy
    chain = plugins_for(jobs["renewal-report-build-test"])  # the alert: copy, read, post
    assert {"copyartifact@1.44", "pipeline-utility-steps@2.0", "http_request@1.8.27"} <= set(chain)
    assert not {"junit@1.40", "copyartifact@1.44"} & set(plugins_for(jobs["teams-api-build"]))
