"""Built-in scenarios catch the generated-orchestration bugs they exist for."""

from dataclasses import replace

from jobgen.diagnostics import SourcePos
from jobgen.groovy.builtin import FOUND_HASH, builtin_scenarios
from jobgen.groovy.compile import compile_groovy
from jobgen.groovy.report import check
from jobgen.groovy.runner import JobScript, run_scenarios
from jobgen.plan.specs import Arg, BuildCall, GeneratedScript, Notify, Param, Phase

POS = SourcePos("components/web.yaml", 1, 1)


def _phase(name: str, *targets: str, integration: bool = False) -> Phase:
    calls = tuple(
        BuildCall(t, (Arg("GIT_HASH", "git_hash"),), branch=t.split("-")[0]) for t in targets
    )
    return Phase(name, calls, POS, integration=integration)


SCRIPT = GeneratedScript(
    "web",
    "https://example.test/web.git",
    "main",
    "linux",
    (
        _phase("build", "web-build"),
        _phase("test", "web-test"),
        _phase("release", "web-release"),
        _phase("integration: qa", "api-qa-release", integration=True),
        _phase("integration tests", "web-integration-test", integration=True),
    ),
    None,
)

# The shape the template renders, written by hand; {hash} and {propagate} break it on purpose.
BODY = """def gitHash = ''
node('linux') { gitHash = sh(returnStdout: true, script: 'git ls-remote x').trim() }
%s
"""


def _body(hash_expr: str = "gitHash", propagate: str = "true") -> str:
    lines = []
    for phase in SCRIPT.phases:
        lines.append(f"stage('{phase.name}') {{")
        for call in phase.calls:
            lines.append(
                f"  build(job: '{call.target}', propagate: {propagate}, parameters: "
                f"[string(name: 'GIT_HASH', value: {hash_expr})])"
            )
        lines.append("}")
    return BODY % "\n".join(lines)


def _verdicts(body: str) -> dict[str, list[str]]:
    scenarios = builtin_scenarios("web-qa-release", "web", SCRIPT, [Param("GIT_HASH")], POS)
    script = JobScript("web-qa-release", compile_groovy(body, "test").text, "generated")
    outcomes = run_scenarios({"web-qa-release": script}, scenarios)
    return {s.name: check(s, o, None) for s, o in zip(scenarios, outcomes, strict=True)}


def test_a_correct_orchestration_passes_every_builtin_scenario():
    verdicts = _verdicts(_body())
    assert sorted(verdicts) == [
        "failing-release-of-api-stops-integration",
        "failing-test-stops-later-phases",
        "git-hash-reaches-every-phase",
    ]
    assert all(problems == [] for problems in verdicts.values()), verdicts


def test_a_lost_git_hash_and_ignored_failures_go_red():
    lost = _verdicts(_body(hash_expr="''"))
    assert "calls_include: call 1 not found" in lost["git-hash-reaches-every-phase"][0]
    assert FOUND_HASH in lost["git-hash-reaches-every-phase"][0]
    ignored = _verdicts(_body(propagate="false"))
    assert "calls_exclude: build: {job: web-release} was made" in "\n".join(
        ignored["failing-test-stops-later-phases"]
    )
    assert any(
        "web-integration-test" in p for p in ignored["failing-release-of-api-stops-integration"]
    )


LAST = GeneratedScript(
    "web",
    "https://example.test/web.git",
    "main",
    "linux",
    (_phase("build", "web-build"), _phase("test", "web-test")),
    Notify(("failure", "unstable"), ("a@example.com",), None),
)

# The template's result handling, by hand; {keep} and {told} break it on purpose.
LAST_BODY = """def gitHash = ''
node('linux') { gitHash = sh(returnStdout: true, script: 'git ls-remote x').trim() }
def r = 'SUCCESS'
def given = [string(name: 'GIT_HASH', value: gitHash)]
stage('build') {
  r = build(job: 'web-build', propagate: false, parameters: given).result
}
if (r == 'SUCCESS') {
  stage('test') {
    def t = build(job: 'web-test', propagate: false, parameters: given)
    %(keep)s
  }
}
mail(to: 'a@example.com', subject: "${env.JOB_NAME} #${env.BUILD_NUMBER}: %(told)s", body: '')
"""
KEEP = "r = t.result; if (r != 'SUCCESS') { currentBuild.result = r }"


def _last_verdicts(keep: str = KEEP, told: str = "${r}") -> dict[str, list[str]]:
    scenarios = builtin_scenarios(
        "web-build-test", "web", LAST, [Param("GIT_HASH")], POS, frozenset({"web-test"})
    )
    body = LAST_BODY % {"keep": keep, "told": told}
    script = JobScript("web-build-test", compile_groovy(body, "test").text, "generated")
    outcomes = run_scenarios({"web-build-test": script}, scenarios)
    return {s.name: check(s, o, None) for s, o in zip(scenarios, outcomes, strict=True)}


def test_failing_tests_of_the_last_step_make_the_chain_unstable_and_say_so():
    # The walk of issue 16: with `junit:` on a chain's last step there was no built-in
    # UNSTABLE scenario at all (it needed a later phase to show the stop).
    verdicts = _last_verdicts()
    assert sorted(verdicts) == [
        "git-hash-reaches-every-phase",
        "unstable-tests-make-the-chain-unstable",
    ]
    assert all(problems == [] for problems in verdicts.values()), verdicts
    # A chain that drops the last step's UNSTABLE ends SUCCESS and mails SUCCESS: red.
    dropped = _last_verdicts(keep="")
    assert (
        "result: expected UNSTABLE, got SUCCESS"
        in dropped["unstable-tests-make-the-chain-unstable"]
    )
    # One that keeps the result but mails something else: red too.
    untold = _last_verdicts(told="done")
    assert any(
        "web-build-test #1: UNSTABLE" in p for p in untold["unstable-tests-make-the-chain-unstable"]
    )


def test_a_notify_without_unstable_must_not_tell_of_it():
    quiet = replace(LAST, notify=Notify(("failure",), ("a@example.com",), None))
    scenarios = builtin_scenarios(
        "web-build-test", "web", quiet, [Param("GIT_HASH")], POS, frozenset({"web-test"})
    )
    unstable = next(s for s in scenarios if s.name == "unstable-tests-make-the-chain-unstable")
    assert unstable.expected.calls_exclude == (
        {"mail": {"to": "a@example.com", "subject": "web-build-test #1: UNSTABLE"}},
    )
