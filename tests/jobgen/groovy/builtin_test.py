"""Built-in scenarios catch the generated-orchestration bugs they exist for."""

from jobgen.diagnostics import SourcePos
from jobgen.groovy.builtin import FOUND_HASH, builtin_scenarios
from jobgen.groovy.compile import compile_groovy
from jobgen.groovy.report import check
from jobgen.groovy.runner import JobScript, run_scenarios
from jobgen.plan.specs import Arg, BuildCall, GeneratedScript, Param, Phase

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
