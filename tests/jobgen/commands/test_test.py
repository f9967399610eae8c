"""`jobgen test` on the real Groovy: it passes, it goes red, golden files round-trip."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jobgen.commands.test import run_with_scripts, selected_by
from jobgen.groovy.compile import compile_groovy
from jobgen.groovy.runner import JobScript
from jobgen.groovy.scenario import load_scenarios

REPO = Path(__file__).resolve().parents[3]
BODY = """withPromise('process_model') {
    def r = build(job: 'inspect_manifold-v2-0123abc', propagate: false).result
    stage('price') { build 'estimate_price' }
    return [manifold: r]
}
"""
SCENARIO = """job: process_model
params: {REPORT_RETURN_URL: 'http://platform.test/report'}
answers:
  build: {inspect_manifold: UNSTABLE}
expected:
  result: SUCCESS
  report: {Status: SUCCESS, Data: {manifold: UNSTABLE}}
  calls_include:
    - build: {job: inspect_manifold}
    - build: {job: estimate_price}
"""


def _tree(tmp_path: Path, scenario: str = SCENARIO) -> Path:
    tests = tmp_path / "components" / "model" / "tests"
    tests.mkdir(parents=True)
    (tests / "manifold.yaml").write_text(scenario)
    return tmp_path / "components"


def _run(components: Path, body: str, capsys, update: bool = False) -> tuple[int, str]:
    scripts = {
        "process_model": JobScript(
            "process_model",
            compile_groovy(body, "test").text,
            "model/process_model.groovy",
            {"inspect_manifold-v2-0123abc": "inspect_manifold"},
        )
    }
    scenarios, problems = load_scenarios(components)
    code = run_with_scripts(scripts, scenarios, problems, update=update)
    return code, capsys.readouterr().out


def test_a_passing_scenario_prints_pass_and_exits_0(tmp_path, capsys):
    code, out = _run(_tree(tmp_path), BODY, capsys)
    assert out.splitlines() == ["PASS model/manifold", "1 passed, 0 failed"]
    assert code == 0


def test_a_broken_orchestration_goes_red(tmp_path, capsys):
    # The same scenario on a job that forgot the price stage: jobgen test must fail.
    broken = BODY.replace("stage('price') { build 'estimate_price' }", "")
    code, out = _run(_tree(tmp_path), broken, capsys)
    assert code == 1
    assert out.splitlines()[0] == "FAIL model/manifold"
    assert "call 2 not found after call 1: build: {job: estimate_price}" in out
    assert out.splitlines()[-1] == "0 passed, 1 failed"


def test_an_unmocked_step_fails_with_the_job_file_and_line(tmp_path, capsys):
    code, out = _run(_tree(tmp_path), BODY.replace("return", "slackSend 'hi'\n    return"), capsys)
    assert code == 1
    assert "model/process_model.groovy:4: unmocked: unmocked step slackSend('hi')" in out


def test_a_wrong_result_shows_what_stopped_the_run(tmp_path, capsys):
    scenario = SCENARIO.replace("{inspect_manifold: UNSTABLE}", "{estimate_price: FAILURE}")
    code, out = _run(_tree(tmp_path, scenario), BODY, capsys)
    assert code == 1
    assert "result: expected SUCCESS, got FAILURE" in out
    assert "stopped by model/process_model.groovy:3: interrupted: estimate_price #1" in out


@pytest.mark.slow
def test_golden_files_round_trip(tmp_path, capsys):
    components = _tree(tmp_path)
    code, out = _run(components, BODY, capsys, update=True)
    golden = components / "model" / "tests" / "manifold.calls.yaml"
    assert code == 0 and "(wrote manifold.calls.yaml)" in out
    written = golden.read_text()
    assert "inspect_manifold-v2" not in written and "- build: {job: estimate_price}" in written
    # Unchanged job: passes, and a second update leaves the file as it was.
    assert _run(components, BODY, capsys)[0] == 0
    assert "wrote" not in _run(components, BODY, capsys, update=True)[1]
    assert golden.read_text() == written
    # A changed job: the golden file catches a call the scenario says nothing about.
    code, out = _run(components, BODY.replace("return", "echo 'extra'\n    return"), capsys)
    assert code == 1
    assert "calls differ from manifold.calls.yaml" in out and "\n    +echo: extra" in out


def test_invalid_scenario_files_fail_with_positions(tmp_path, capsys):
    code, out = _run(_tree(tmp_path, "job: process_model\nexpect: {}\n"), BODY, capsys)
    assert code == 1
    assert "manifold.yaml:2:1: error: unknown key 'expect' in a scenario" in out
    assert "did you mean 'expected'?" in out
    assert out.splitlines()[-1] == "0 passed, 1 failed"


def test_an_unknown_job_fails_the_scenario(tmp_path, capsys):
    code, out = _run(_tree(tmp_path, "job: nope\n"), BODY, capsys)
    assert code == 1
    assert "manifold.yaml:1:6: no orchestration job named 'nope'" in out


def test_pattern_selects_by_substring_or_glob():
    assert selected_by("model-processing/happy_path", "happy")
    assert selected_by("model-processing/happy_path", "model-*/h*")
    assert not selected_by("model-processing/happy_path", "frontend")


@pytest.mark.skipif(not (REPO / "jobgen" / "compiler.py").exists(), reason="no compiler yet")
def test_jobgen_test_end_to_end_on_the_compiled_example_repo(tmp_path):
    # The example components, compiled by compile_tree in test mode, in a fresh git repo.
    result = _jobgen_test_on_the_examples(tmp_path, "model-processing")
    assert "PASS model-processing/happy_path" in result.stdout, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].endswith(" 0 failed")
    assert result.returncode == 0


def test_failure_paths_and_failing_notifications_of_the_examples_pass(tmp_path):
    # components/*/tests/notify.yaml: a mail server or webhook that refuses is logged and the
    # result stands; an unstable downstream build keeps the chain UNSTABLE; a private repo's
    # head is resolved inside gitUsernamePassword. Real Groovy 2.4.21, prod templates in test mode.
    result = _jobgen_test_on_the_examples(tmp_path, "notify")
    for name in (
        "frontend/notify/mail_server_down_keeps_the_failure",
        "frontend/notify/mail_server_down_keeps_fixed_green",
        "frontend/notify/unstable_test_stops_the_chain_and_stays_unstable",
        "renewal-report/notify/failing_notifications_are_logged_not_raised",
        "renewal-report/notify/private_repo_head_not_found_fails_and_notifies",
    ):
        assert f"PASS {name}" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0, result.stdout


def test_the_monthly_reports_alert_checks_and_shared_files_pass(tmp_path):
    # components/renewal-report/tests/report.yaml and the built-in scenarios: the alert fires
    # below the threshold with a link to the build and stays quiet on or above it, failing
    # checks keep the run UNSTABLE (no upload, the team is told), later steps copy in the
    # build this run made. Real Groovy 2.4.21 running groovy_lib/common/alerts.groovy.
    result = _jobgen_test_on_the_examples(tmp_path, "renewal-report")
    chain = "renewal-report-build-test-stage-release/builtin"
    passed = {line.split()[1] for line in result.stdout.splitlines() if line.startswith("PASS ")}
    assert {
        "renewal-report/report/renewal_rate_below_threshold_alerts_with_a_link_to_the_build",
        "renewal-report/report/renewal_rate_above_threshold_stays_quiet",
        "renewal-report/report/renewal_rate_on_the_threshold_stays_quiet",
        "renewal-report/report/later_steps_copy_in_this_runs_build",
        "renewal-report/report/failing_checks_keep_the_run_unstable_and_stop_the_upload",
        "renewal-report/report/passing_checks_after_unstable_are_fixed",
        "renewal-report/report/a_missing_metric_fails_the_run",
        f"renewal-report/{chain}:alert-renewal_rate-fires",
        f"renewal-report/{chain}:alert-renewal_rate-stays-quiet",
        f"renewal-report/{chain}:unstable-tests-stop-later-phases",
        # The checks are build-test's last step: failing tests still make it UNSTABLE, and
        # the mail and the webhook say so (walk of issue 16: no built-in covered it).
        "renewal-report/renewal-report-build-test/builtin:unstable-tests-make-the-chain-unstable",
    } <= passed, result.stdout + result.stderr
    assert result.returncode == 0, result.stdout


def _jobgen_test_on_the_examples(tmp_path: Path, pattern: str) -> subprocess.CompletedProcess[str]:
    """`jobgen test -k PATTERN` in a fresh git repo holding the example components."""
    shutil.copytree(REPO / "components", tmp_path / "components")
    shutil.copy(REPO / "jobgen.yaml", tmp_path / "jobgen.yaml")
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "jobs"]):
        subprocess.run(
            ["git", "-c", "user.email=t@t", "-c", "user.name=t", *command],
            cwd=tmp_path,
            check=True,
        )
    result = subprocess.run(
        [sys.executable, "-m", "jobgen", "test", "-c", "components", "-k", pattern],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    return result
