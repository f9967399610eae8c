"""Issue 18 on the real Groovy: answers for any step, the call tree with `within:`/`times:`,
step signatures and @NonCPS. Every case runs in one JVM."""

from pathlib import Path
from typing import Any

import pytest

from jobgen.diagnostics import SourcePos
from jobgen.groovy.compile import compile_groovy
from jobgen.groovy.report import check
from jobgen.groovy.runner import JobScript, Outcome, run_scenarios
from jobgen.groovy.scenario import Expected, Scenario

NESTED = """
stage('checks') {
    parallel(
        lint: { build 'lint' },
        test: { build 'test'; build 'test' },
    )
}
stage('price') { build 'estimate_price' }
"""

# name -> (job body, answers)
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "custom_step": (
        "def r = slackSend(channel: '#ops')\necho(\"got ${r.ts}\")\n",
        {"slackSend": {"ts": "42"}},
    ),
    "custom_list": (
        "echo(readYaml(file: 'a'))\necho(readYaml(file: 'b'))\necho(readYaml(file: 'c'))\n",
        {"readYaml": ["first", "second"]},
    ),
    "custom_block": (
        "withAWS(region: 'eu-west-1') {\n  echo('inside')\n}\n",
        {"withAWS": None},
    ),
    "unanswered": ("echo('a')\nslackSend(channel: '#ops')\n", {}),
    "sh_patterns": (
        "node {\n"
        "  echo(sh(returnStdout: true, script: 'make -j4 all'))\n"
        "  echo(sh(returnStdout: true, script: 'git rev-parse HEAD'))\n"
        "  echo(sh(returnStdout: true, script: 'docker build .'))\n"
        "  echo(sh(returnStdout: true, script: 'exact'))\n"
        "}\n",
        {
            "sh": {
                "exact": "from exact",
                "re:^make .*": "from regex",
                "git rev-parse *": "from glob",
                "*": "from star",
            }
        },
    ),
    "nested": (NESTED, {}),
    "misspelt": ("build(jobb: 'x')\n", {}),
    "unknown_far": ("sh(script: 'x', retunrStdout: true, color: 'red')\n", {}),
    "noncps": (
        "@NonCPS\ndef names(String t) {\n  t.tokenize(',').collect { sh(script: it) }\n}\n"
        "node { names('a,b') }\n",
        {},
    ),
    "noncps_echo": (
        "@NonCPS\ndef shout(String t) {\n  echo(t.toUpperCase())\n  return t.size()\n}\n"
        "echo(\"${shout('hi')}\")\n",
        {},
    ),
}


def _scenario(name: str, answers: dict[str, Any], expected: Expected | None = None) -> Scenario:
    pos = SourcePos(f"{name}.yaml")
    return Scenario(
        name,
        name,
        "c",
        Path(f"/nonexistent/{name}.yaml"),
        pos,
        name,
        pos,
        {},
        answers,
        expected or Expected(),
    )


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    scripts = {
        name: JobScript(name, compile_groovy(body, "test").text, f"{name}.groovy")
        for name, (body, _) in CASES.items()
    }
    ran = run_scenarios(scripts, [_scenario(n, a) for n, (_, a) in CASES.items()])
    return {o.id: o for o in ran}


def echoes(outcome: Outcome) -> list[Any]:
    return [c["echo"] for c in outcome.calls if "echo" in c]


def test_a_scenario_answers_a_step_jobgen_does_not_mock(outcomes):
    out = outcomes["custom_step"]
    assert out.error is None
    assert out.calls[0] == {"slackSend": {"channel": "#ops"}}
    assert echoes(out) == ["got 42"]


def test_a_list_answers_successive_calls_and_the_last_repeats(outcomes):
    assert echoes(outcomes["custom_list"]) == ["first", "second", "second"]


def test_an_answered_block_step_runs_its_body_nested_under_it(outcomes):
    out = outcomes["custom_block"]
    block = {"withAWS": [{"region": "eu-west-1"}, "{...}"], "calls": [{"echo": "inside"}]}
    assert out.tree == (block,)


def test_a_step_with_no_answer_still_fails_with_its_name_and_line(outcomes):
    error = outcomes["unanswered"].error
    assert (error.kind, error.line) == ("unmocked", 2)
    assert "slackSend(channel: '#ops')" in error.message


def test_sh_answers_match_exact_text_then_regex_and_glob_then_star(outcomes):
    assert echoes(outcomes["sh_patterns"]) == [
        "from regex",
        "from glob",
        "from star",
        "from exact",
    ]


def test_the_record_keeps_stage_branch_build_nesting(outcomes):
    tree = outcomes["nested"].tree
    assert tree[0]["stage"] == ["checks", "{...}"]
    parallel = tree[0]["calls"][0]
    assert [b["branch"] for b in parallel["calls"]] == ["lint", "test"]
    assert parallel["calls"][1]["calls"] == [{"build": {"job": "test"}}] * 2
    # The flat list of calls leaves the branches out.
    assert [next(iter(c)) for c in outcomes["nested"].calls] == [
        "stage", "parallel", "build", "build", "build", "stage", "build",
    ]  # fmt: skip


def _verdict(outcome: Outcome, **expected: Any) -> list[str]:
    return check(_scenario(outcome.id, {}, Expected(**expected)), outcome, None)


def test_within_and_times_say_where_and_how_often_a_call_was_made(outcomes):
    out = outcomes["nested"]
    ok = (
        {"build": {"job": "lint"}, "within": {"stage": "checks", "branch": "lint"}},
        {"build": {"job": "test"}, "within": {"branch": "test"}, "times": 2},
        {"build": {"job": "estimate_price"}, "within": {"stage": "price"}},
    )
    assert _verdict(out, calls_include=ok) == []
    wrong_place = ({"build": {"job": "estimate_price"}, "within": {"stage": "checks"}},)
    assert "not found" in _verdict(out, calls_include=wrong_place)[0]
    wrong_count = ({"build": {"job": "test"}, "times": 3},)
    assert "build: {job: test} 3 times" in _verdict(out, calls_include=wrong_count)[0]
    twice_not_once = ({"build": {"job": "test"}, "times": 1},)
    assert "made 2 times" in _verdict(out, calls_include=twice_not_once)[0]
    excluded = ({"build": {"job": "lint"}, "within": {"stage": "price"}},)
    assert _verdict(out, calls_exclude=excluded) == []


def test_a_misspelt_parameter_fails_with_the_closest_real_one(outcomes):
    # Fact: BuildTriggerStep's @DataBoundConstructor takes `job` (docs/jenkins-facts.md).
    error = outcomes["misspelt"].error
    assert error.kind == "signature"
    assert error.message == "build() has no parameter `jobb`; did you mean `job`?"
    assert _verdict(outcomes["misspelt"], result="FAILURE") == [error.describe()]


def test_an_unknown_parameter_lists_the_real_ones(outcomes):
    error = outcomes["unknown_far"].error
    assert error.message == "sh() has no parameter `retunrStdout`; did you mean `returnStdout`?"


def test_a_step_called_from_a_noncps_method_fails_as_jenkins_reports_it(outcomes):
    # Fact: workflow-cps CpsVmExecutorService.mismatchMessage.
    error = outcomes["noncps"].error
    assert error.kind == "noncps"
    assert error.message.startswith(
        "expected to call WorkflowScript.names but wound up catching sh; "
        "see: https://jenkins.io/redirect/pipeline-cps-method-mismatches/"
    )


def test_noncps_methods_compile_and_run_with_synchronous_steps(outcomes):
    out = outcomes["noncps_echo"]
    assert out.error is None
    assert echoes(out) == ["HI", "2"]
