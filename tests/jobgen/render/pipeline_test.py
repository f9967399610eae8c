"""Triggers as Jenkins reads them: the watcher's SCMTrigger and the schedule's timer, both
on stable jobs (plan/stable.py).

git-plugin GitStatus.java:56-57 (`/git/`), :118-128 notifyCommit (a token unless access
control is disabled), :428-429 it polls only jobs with an SCMTrigger that does not ignore
post-commit hooks; parameterized-scheduler ParameterizedTimerTrigger.java:33 (field),
:103-107 (reparsed on start), ParameterParser.java:17-19 (`%`, `=`, `;`).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from jobgen.load.loader import load
from jobgen.plan.planner import plan
from jobgen.render.renderer import render
from tests.jobgen.render.renderer_test import fixed_versions
from tests.repos import EXAMPLES

APP = """\
component: app
repo: https://git.example.com/app.git
path: src
variables: {PAGE: drafts}
steps:
  build: ./build.sh
  release: ./upload.sh "$PAGE"
"""


def _configs(root: Path, extra: str) -> dict[str, etree._Element]:
    root.mkdir(exist_ok=True)
    (root / "app.yaml").write_text(APP + extra)
    loaded = load([root])
    assert not loaded.diagnostics, [d.format() for d in loaded.diagnostics]
    rendered = render(fixed_versions(plan(loaded.repo).plan), owner="o")
    for job in rendered.jobs:  # versioned jobs carry no trigger: their stable jobs do
        assert b"Trigger" not in job.config_xml, job.job.name
    return {job.name: etree.fromstring(job.config_xml) for job in rendered.aliases}


def _scm_trigger(config: etree._Element) -> etree._Element:
    (trigger,) = config.findall("triggers/hudson.triggers.SCMTrigger")
    return trigger


def test_poll_is_the_default_and_its_interval_can_be_set(tmp_path: Path):
    assert _scm_trigger(_configs(tmp_path / "a", "")["app-watch"]).findtext("spec") == "H/5 * * * *"
    configs = _configs(tmp_path / "b", 'watch: {poll: "H/30 * * * *"}\n')
    assert _scm_trigger(configs["app-watch"]).findtext("spec") == "H/30 * * * *"


def test_webhook_polls_only_when_the_scm_host_calls_notify_commit(tmp_path: Path):
    trigger = _scm_trigger(_configs(tmp_path, "watch: webhook\n")["app-watch"])
    assert trigger.findtext("spec") == ""  # no timed polling
    assert trigger.findtext("ignorePostCommitHooks") == "false"  # notifyCommit reaches it


def test_watch_false_generates_no_watcher(tmp_path: Path):
    configs = _configs(tmp_path, "watch: false\n")
    assert "app-watch" not in configs
    assert not [c for c in configs.values() if c.findall("triggers/hudson.triggers.SCMTrigger")]


def test_a_schedule_starts_the_chain_it_names_with_its_parameters(tmp_path: Path):
    extra = (
        'schedule: {cron: "H 6 1 * *", run: build-test-stage-release, '
        "parameters: {PAGE: reports}}\n"
    )
    configs = _configs(tmp_path, extra)
    path = "properties/org.jenkinsci.plugins.workflow.job.properties.PipelineTriggersJobProperty"
    triggers = {name: c.find(path) for name, c in configs.items() if c.find(path) is not None}
    assert list(triggers) == ["app-build-test-stage-release"]  # not build-test
    (timer,) = triggers["app-build-test-stage-release"].findall(
        "triggers/org.jenkinsci.plugins.parameterizedscheduler.ParameterizedTimerTrigger"
    )
    assert timer.findtext("parameterizedSpecification") == "H 6 1 * * %PAGE=reports"


def test_a_plain_schedule_stays_a_timer_on_build_test(tmp_path: Path):
    configs = _configs(tmp_path, 'schedule: "H 6 * * 1"\n')
    path = (
        "properties/org.jenkinsci.plugins.workflow.job.properties.PipelineTriggersJobProperty/"
        "triggers/hudson.triggers.TimerTrigger/spec"
    )
    assert {n: c.findtext(path) for n, c in configs.items() if c.findtext(path)} == {
        "app-build-test": "H 6 * * 1"
    }


def test_the_monthly_report_is_one_scheduled_run_to_publish_with_no_watcher():
    rendered = render(fixed_versions(plan(load([EXAMPLES]).repo).plan), owner="o")
    report = {j.job.name: j for j in rendered.jobs if j.job.component == "renewal-report"}
    stable = {a.name: a for a in rendered.aliases if a.component == "renewal-report"}
    assert "renewal-report-watch" not in stable
    assert not [name for name, job in report.items() if b"TimerTrigger" in job.config_xml]
    scheduled = [name for name, job in stable.items() if b"TimerTrigger" in job.config_xml]
    assert scheduled == ["renewal-report-build-test-stage-release"]
    script = report["renewal-report-build-test-stage-release"].groovy
    assert script is not None
    for step in ("build", "test", "release"):
        assert f"renewal-report-{step}-v3-abc1234" in script
