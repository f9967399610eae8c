"""Built-in scenarios of alerts and test reports, and the values they feed the alerts."""

from __future__ import annotations

import pytest

from jobgen.diagnostics import SourcePos
from jobgen.groovy.builtin import builtin_scenarios
from jobgen.groovy.builtin_alerts import metric_value
from jobgen.load.loader import load
from jobgen.plan.planner import plan
from jobgen.plan.specs import AlertCheck, GeneratedScript, PipelineSpec
from tests.repos import EXAMPLES


def _alert(op: str, threshold: str) -> AlertCheck:
    return AlertCheck("w", "m.json", "rate", op, threshold, "hook", "msg")


@pytest.mark.parametrize(
    ("op", "threshold", "fires", "quiet"),
    [
        ("<", "0.70", -0.3, 1.7),
        ("<=", "5", 4, 6),
        (">", "0.5", 1.5, -0.5),
        (">=", "10", 11, 9),
        ("==", "3", 3, 4),
        ("!=", "3", 4, 3),
    ],
)
def test_values_fall_on_the_side_of_the_threshold_asked_for(op, threshold, fires, quiet):
    assert metric_value(_alert(op, threshold), fires=True) == fires
    assert metric_value(_alert(op, threshold), fires=False) == quiet
    assert type(metric_value(_alert(op, threshold), fires=True)) is type(fires)


def test_every_alert_gets_a_firing_and_a_quiet_run_and_a_junit_step_an_unstable_one():
    jobs = plan(load([EXAMPLES]).repo).plan.by_name()
    spec = jobs["renewal-report-build-test-stage-release"].spec
    assert isinstance(spec, PipelineSpec) and isinstance(spec.script, GeneratedScript)
    scenarios = builtin_scenarios(
        "renewal-report-build-test-stage-release",
        "renewal-report",
        spec.script,
        spec.params,
        SourcePos("renewal-report.yaml", 1, 1),
        frozenset({"renewal-report-test"}),
    )
    by_name = {s.name: s for s in scenarios}
    fires = by_name["alert-renewal_rate-fires"]
    assert fires.answers["copyArtifacts"] == {
        "renewal-report-build": {"out/metrics.json": {"renewal_rate": -0.3}}
    }
    post = {
        "withCredentials": [
            [{"string": {"credentialsId": "opsgenie-hook", "variable": "JOBGEN_ALERT_URL"}}],
            "{...}",
        ]
    }
    assert post in fires.expected.calls_include
    quiet = by_name["alert-renewal_rate-stays-quiet"]
    assert quiet.expected.calls_exclude == (post,)
    unstable = by_name["unstable-tests-stop-later-phases"]
    assert unstable.answers["build"] == {"renewal-report-test": "UNSTABLE"}
    assert unstable.expected.result == "UNSTABLE"
    assert unstable.expected.calls_exclude == ({"build": {"job": "renewal-report-release"}},)
    # The other built-ins run with the quiet metrics, so the alert does not stop them.
    happy = by_name["git-hash-reaches-every-phase"]
    assert happy.answers["copyArtifacts"] == quiet.answers["copyArtifacts"]
