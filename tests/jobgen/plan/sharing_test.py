"""Files steps share, planned from the renewal-report example: archive, copy in, permission.

copyartifact facts (docs/jenkins-facts.md, features): the copy is refused unless the source
job's CopyArtifactPermissionProperty names the copier, matched relative to the source's
folder; SpecificBuildSelector expands variables and also reads a permalink.
"""

from __future__ import annotations

import pytest

from jobgen.load.loader import load
from jobgen.plan.model import Plan
from jobgen.plan.planner import plan
from jobgen.plan.specs import Arg, CopyIn, GeneratedScript, PipelineSpec, WorkerSpec
from tests.repos import EXAMPLES


@pytest.fixture(scope="module")
def example_plan() -> Plan:
    result = plan(load([EXAMPLES]).repo)
    assert result.diagnostics == ()
    return result.plan


def _worker(plan_: Plan, name: str) -> WorkerSpec:
    spec = plan_.by_name()[name].spec
    assert isinstance(spec, WorkerSpec)
    return spec


def test_the_producer_archives_its_files_and_lets_only_its_siblings_copy_them(example_plan):
    build = _worker(example_plan, "renewal-report-build")
    assert build.artifacts == ("out/renewal-report.html", "out/metrics.json")
    assert build.copy_permission == "renewal-report-*"
    assert build.copies == ()
    # A step that shares nothing grants nothing.
    assert _worker(example_plan, "teams-api-build").copy_permission is None


def test_a_user_copies_in_from_the_producer_by_build_number(example_plan):
    for name in ("renewal-report-test", "renewal-report-release"):
        spec = _worker(example_plan, name)
        assert spec.copies == (
            CopyIn("renewal-report-build", "out/renewal-report.html", "BUILD_BUILD_NUMBER"),
        )
        number = next(p for p in spec.params if p.name == "BUILD_BUILD_NUMBER")
        assert number.default == "lastSuccessfulBuild"  # started by hand: the last success
        job = example_plan.by_name()[name]
        assert [c.target for c in job.calls] == ["renewal-report-build"]  # versioned with it


def test_the_chain_passes_the_number_of_the_build_it_ran(example_plan):
    spec = example_plan.by_name()["renewal-report-build-test-stage-release"].spec
    assert isinstance(spec, PipelineSpec) and isinstance(spec.script, GeneratedScript)
    build, test, release = spec.script.phases
    assert build.record == "build" and test.record == "" and release.record == ""
    assert Arg("BUILD_BUILD_NUMBER", "build_number", "build") in test.calls[0].args
    assert Arg("BUILD_BUILD_NUMBER", "build_number", "build") in release.calls[0].args
    # Not a parameter of the chain: nobody has to fill it in.
    assert "BUILD_BUILD_NUMBER" not in {p.name for p in spec.params}


def test_the_alert_is_checked_after_the_step_that_writes_the_metrics(example_plan):
    spec = example_plan.by_name()["renewal-report-build-test"].spec
    assert isinstance(spec, PipelineSpec) and isinstance(spec.script, GeneratedScript)
    (alert,) = spec.script.phases[0].alerts
    assert (alert.source, alert.metrics, alert.metric, alert.op, alert.threshold) == (
        "renewal-report-build",
        "out/metrics.json",
        "renewal_rate",
        "<",
        "0.70",
    )
    assert spec.script.phases[1].alerts == ()


def test_component_variables_are_defaults_everywhere(example_plan):
    chain = example_plan.by_name()["renewal-report-build-test-stage-release"].spec
    assert isinstance(chain, PipelineSpec)
    page = next(p for p in chain.params if p.name == "CONFLUENCE_PAGE")
    assert (page.default, page.required) == ("Renewal report drafts", False)
    upload = _worker(example_plan, "renewal-report-release")
    assert next(p for p in upload.params if p.name == "CONFLUENCE_PAGE").default == (
        "Renewal report drafts"
    )
    months = next(
        p for p in _worker(example_plan, "renewal-report-build").params if p.name == "REPORT_MONTHS"
    )
    assert months.default == "36"
