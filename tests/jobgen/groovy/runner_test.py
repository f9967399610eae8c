"""The mock library's Jenkins semantics, on the real Groovy: every case runs in one JVM."""

from pathlib import Path
from typing import Any

import pytest

from jobgen.diagnostics import SourcePos
from jobgen.groovy.compile import compile_groovy
from jobgen.groovy.runner import JobScript, Outcome, run_scenarios
from jobgen.groovy.scenario import Scenario

HOSTILE = 'it\'s "quoted" ${env.JOB_NAME} $(rm -rf /) \\back\\slash\nnew line ünï©ødé ☃'

# name -> (job body, params, answers)
CASES: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "propagate": (
        "build(job: 'inspect_manifold')\necho('not reached')\n",
        {},
        {"build": {"inspect_manifold": "FAILURE"}},
    ),
    "no_propagate": (
        "def r = build(job: 'inspect_manifold', propagate: false)\necho(r.result)\n",
        {},
        {"build": {"inspect_manifold": "FAILURE"}},
    ),
    "unstable_callee": ("build 'tests'\n", {}, {"build": {"tests": "UNSTABLE"}}),
    "parallel": (
        "parallel(a: { build 'one' }, b: { build 'two' }, c: { build 'three' })\necho('after')\n",
        {},
        {"build": {"one": "FAILURE"}},
    ),
    "fail_fast": (
        "parallel(a: { build 'one' }, b: { build 'two' }, failFast: true)\n",
        {},
        {"build": {"one": "FAILURE"}},
    ),
    "error": ("echo('before')\n\nerror('stop here')\necho('after')\n", {}, {}),
    "catch_error": (
        "catchError(buildResult: 'UNSTABLE', stageResult: 'FAILURE') {\n  error('x')\n}\n"
        "echo('carried on')\n",
        {},
        {},
    ),
    "unmocked": ("echo('a')\n\nslackSend(channel: '#ops', message: \"it's\")\n", {}, {}),
    "unmocked_caught": ("catchError {\n  mystery 'x'\n}\n", {}, {}),
    "sh": (
        "node {\n  def h = sh(returnStdout: true, script: 'git rev-parse HEAD').trim()\n"
        "  build(job: 'deploy', parameters: [string(name: 'GIT_HASH', value: h)])\n}\n",
        {},
        {"sh": {"git rev-parse HEAD": "abc123\n"}},
    ),
    "sh_outside_node": ("sh 'make'\n", {}, {}),
    "sh_fails": ("node { sh 'make' }\n", {}, {"sh": {"make": {"status": 2}}}),
    "hostile": (
        "echo(params.X)\nbuild(job: 'w', parameters: [string(name: 'X', value: params.X)])\n",
        {"X": HOSTILE},
        {},
    ),
    "deployed_names": ("build(job: 'frontend/frontend-build-v3-abc1234')\n", {}, {}),
    "input_abort": ("input(message: 'Release?')\necho('released')\n", {}, {"input": "abort"}),
    "retry": ("retry(3) { build 'flaky' }\n", {}, {"build": {"flaky": ["FAILURE", "SUCCESS"]}}),
    "promise_success": (
        "withPromise('proc') {\n  return [size: build('measure').result]\n}\n",
        {"REGISTRATION_RETURN_URL": "http://p.test/reg", "REPORT_RETURN_URL": "http://p.test/rep"},
        {},
    ),
    "promise_failure": (
        "withPromise('proc') {\n  error('mesh is broken')\n}\n",
        {"REPORT_RETURN_URL": "http://p.test/rep"},
        {},
    ),
    "compile_error": ("echo('a')\ndef = 5\n", {}, {}),
    "sandbox_file": ("echo('a')\n\nnew File('/etc/passwd').text\n", {}, {}),
    "sandbox_caught": (
        "try {\n  System.getenv('HOME')\n} catch (e) {\n  echo('swallowed')\n}\n",
        {},
        {},
    ),
    "sandbox_e_result": (
        "try {\n  build(job: 'down')\n} catch (e) {\n  echo(e.result.toString())\n  throw e\n}\n",
        {},
        {"build": {"down": "FAILURE"}},
    ),
    "sandbox_mock_internals": ("echo(__jobgen.calls.size())\n", {}, {}),
    "credentials": (
        "withCredentials([usernamePassword(credentialsId: 'c', usernameVariable: 'U', "
        "passwordVariable: 'P')]) {\n  echo(env.P)\n}\necho(String.valueOf(env.P))\n",
        {},
        {},
    ),
}


def _scenario(name: str, job: str, params: dict[str, Any], answers: dict[str, Any]) -> Scenario:
    pos = SourcePos("t.yaml", 1, 1)
    return Scenario(
        name, name, "c", Path(f"/nonexistent/{name}.yaml"), pos, job, pos, params, answers
    )


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    scripts = {
        name: JobScript(
            name,
            compile_groovy(body, "test").text,
            f"{name}.groovy",
            {"frontend-build-v3-abc1234": "frontend-build"},
        )
        for name, (body, _, _) in CASES.items()
    }
    scenarios = [_scenario(n, n, p, a) for n, (_, p, a) in CASES.items()]
    # The same script twice more: what one run records must not show up in another.
    scenarios += [_scenario(f"again{i}", "parallel", {}, {}) for i in range(2)]
    ran = run_scenarios(scripts, scenarios)
    return {o.id: o for o in ran}


def steps(outcome: Outcome, name: str) -> list[Any]:
    return [c[name] for c in outcome.calls if name in c]


def test_build_with_propagate_fails_the_run_where_it_was_called(outcomes):
    out = outcomes["propagate"]
    assert out.result == "FAILURE"
    assert out.error.line == 1
    assert out.error.message.startswith("inspect_manifold #1 completed with status FAILURE")
    assert steps(out, "echo") == []


def test_build_without_propagate_returns_the_result(outcomes):
    out = outcomes["no_propagate"]
    assert out.result == "SUCCESS"
    assert steps(out, "echo") == ["FAILURE"]


def test_an_unstable_callee_makes_the_run_unstable(outcomes):
    assert outcomes["unstable_callee"].result == "UNSTABLE"


def test_parallel_runs_every_branch_then_fails(outcomes):
    out = outcomes["parallel"]
    assert [b["job"] for b in steps(out, "build")] == ["one", "two", "three"]
    assert out.result == "FAILURE"
    assert steps(out, "echo") == []
    assert "Failed in branch a" in out.log


def test_fail_fast_stops_the_other_branches(outcomes):
    out = outcomes["fail_fast"]
    assert [b["job"] for b in steps(out, "build")] == ["one"]
    assert out.result == "FAILURE"


def test_error_stops_the_run_at_its_line(outcomes):
    out = outcomes["error"]
    assert steps(out, "echo") == ["before"]
    assert (out.result, out.error.kind, out.error.message) == ("FAILURE", "error", "stop here")
    assert out.error.describe() == "error.groovy:3: error: stop here"


def test_catch_error_marks_the_result_and_carries_on(outcomes):
    out = outcomes["catch_error"]
    assert out.result == "UNSTABLE"
    assert steps(out, "echo") == ["carried on"]
    assert out.error is None


def test_an_unmocked_step_names_the_call_and_the_line_in_the_job(outcomes):
    out = outcomes["unmocked"]
    assert out.error.kind == "unmocked"
    assert out.error.message == "unmocked step slackSend(channel: '#ops', message: 'it\\'s')"
    assert out.error.where() == "unmocked.groovy:3"


def test_an_unmocked_step_fails_even_when_caught(outcomes):
    out = outcomes["unmocked_caught"]
    assert out.error.kind == "unmocked"
    assert out.error.line == 2


def test_sh_answers_from_the_scenario(outcomes):
    out = outcomes["sh"]
    assert out.result == "SUCCESS"
    build = steps(out, "build")[0]
    assert build["parameters"] == [{"string": {"name": "GIT_HASH", "value": "abc123"}}]


def test_sh_needs_a_node(outcomes):
    out = outcomes["sh_outside_node"]
    assert out.result == "FAILURE"
    assert "hudson.FilePath is missing" in out.error.message


def test_a_failing_sh_fails_the_run(outcomes):
    assert outcomes["sh_fails"].error.message == "script returned exit code 2"


def test_hostile_parameters_stay_literal(outcomes):
    out = outcomes["hostile"]
    assert out.result == "SUCCESS"
    assert steps(out, "echo") == [HOSTILE]
    assert steps(out, "build")[0]["parameters"][0]["string"]["value"] == HOSTILE


def test_builds_are_recorded_by_common_name(outcomes):
    assert steps(outcomes["deployed_names"], "build") == [{"job": "frontend-build"}]


def test_an_aborted_input_aborts_the_run(outcomes):
    out = outcomes["input_abort"]
    assert out.result == "ABORTED"
    assert steps(out, "echo") == []


def test_retry_uses_successive_answers(outcomes):
    out = outcomes["retry"]
    assert out.result == "SUCCESS"
    assert len(steps(out, "build")) == 2


def test_promise_registers_and_reports(outcomes):
    out = outcomes["promise_success"]
    assert out.registrations == (
        {
            "build_url": "http://jenkins.test/job/promise_success/1/",
            "job": "promise_success",
            "number": 1,
        },
    )
    assert out.reports == (
        {
            "Process": "proc",
            "Status": "SUCCESS",
            "Reason": "proc completed",
            "Data": {"size": "SUCCESS"},
            "Log": {"build_url": "http://jenkins.test/job/promise_success/1/"},
        },
    )


def test_promise_reports_a_failure_and_fails_the_build(outcomes):
    out = outcomes["promise_failure"]
    assert out.result == "FAILURE"
    assert out.registrations == ()  # no REGISTRATION_RETURN_URL given
    (report,) = out.reports
    assert (report["Status"], report["Reason"]) == ("FAILURE", "mesh is broken")


def test_a_compile_error_points_at_the_job_line(outcomes):
    out = outcomes["compile_error"]
    assert out.error.kind == "compile"
    assert out.error.line == 2


def test_credentials_are_masked_and_scoped(outcomes):
    assert steps(outcomes["credentials"], "echo") == ["****", "null"]


def test_runs_of_the_same_script_do_not_share_records(outcomes):
    assert outcomes["again0"].calls == outcomes["again1"].calls
    assert len(steps(outcomes["again1"], "build")) == 3
    assert outcomes["again1"].calls[1] == {"build": {"job": "one"}}


# The sandbox (jobgen/groovy/sandbox): the job's Groovy and the common library run under
# Jenkins' rules; the mocks do not, as Jenkins runs step implementations outside its sandbox.
# Messages: script-security RejectedAccessException.java:46-48.


def test_a_call_jenkins_refuses_fails_the_scenario_at_its_line(outcomes):
    out = outcomes["sandbox_file"]
    assert (out.result, out.error.kind) == ("FAILURE", "rejected")
    assert out.error.describe() == (
        "sandbox_file.groovy:3: rejected: "
        "Scripts not permitted to use new java.io.File java.lang.String"
    )
    assert steps(out, "echo") == ["a"]


def test_a_refused_call_fails_the_scenario_even_when_the_job_catches_it(outcomes):
    # Jenkins queues every refused signature for approval, caught or not (GroovySandbox.enter).
    out = outcomes["sandbox_caught"]
    assert (out.error.kind, out.error.line) == ("rejected", 2)
    assert out.error.message == (
        "Scripts not permitted to use staticMethod java.lang.System getenv java.lang.String"
    )


def test_reading_the_result_from_a_failed_builds_exception_is_refused(outcomes):
    out = outcomes["sandbox_e_result"]
    assert (out.error.kind, out.error.line) == ("rejected", 4)
    assert out.error.message == (
        "Scripts not permitted to use method "
        "org.jenkinsci.plugins.workflow.steps.FlowInterruptedException getResult"
    )


def test_the_mocks_state_is_out_of_the_jobs_reach(outcomes):
    out = outcomes["sandbox_mock_internals"]
    assert out.error.kind == "rejected"
    assert out.error.message == "Scripts not permitted to use method JobgenState getCalls"
