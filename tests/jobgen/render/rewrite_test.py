"""Rewriting `build` references to deployed names: only the names move."""

import subprocess

import pytest

from jobgen.diagnostics import SourcePos
from jobgen.groovy.runtime import groovy_env
from jobgen.plan.model import Call
from jobgen.plan.references import scan_references
from jobgen.render.rewrite import rewrite_calls

SOURCE = """\
// build('deploy') stays a comment
def note = "build('deploy')"
build('deploy')
build job: "test", wait: false, propagate: false
results.add(build(
    job: 'deploy',
    parameters: [string(name: 'TARGET', value: 'deploy')]))
"""
NAMES = {"deploy": "../ops/deploy-v3-abc1234", "test": "app/test-v12-0f0f0f0"}


def _rewrite(source: str) -> str:
    return rewrite_calls(source, scan_references(source, "p.groovy").calls, NAMES)


def test_every_reference_gets_its_deployed_name_and_nothing_else_changes():
    assert _rewrite(SOURCE) == SOURCE.replace(
        "build('deploy')\n", "build('../ops/deploy-v3-abc1234')\n"
    ).replace('job: "test"', 'job: "app/test-v12-0f0f0f0"').replace(
        "job: 'deploy'", "job: '../ops/deploy-v3-abc1234'"
    )


def test_comments_strings_and_parameters_keep_the_plain_name():
    rewritten = _rewrite(SOURCE)
    assert "// build('deploy') stays a comment" in rewritten
    assert "def note = \"build('deploy')\"" in rewritten
    assert "value: 'deploy'" in rewritten


def test_rewritten_source_scans_to_the_deployed_names():
    calls = scan_references(_rewrite(SOURCE), "p.groovy").calls
    assert [c.target for c in calls] == [NAMES["deploy"], NAMES["test"], NAMES["deploy"]]


def test_no_calls_leaves_the_source_as_it_was():
    assert rewrite_calls(SOURCE, [], NAMES) == SOURCE


def test_a_name_that_would_need_escaping_is_refused():
    calls = scan_references("build('x')\n", "p.groovy").calls
    for bad in ["x'); sh('rm -rf /", "x-${y}", "x\ny", "x\\"]:
        with pytest.raises(AssertionError):
            rewrite_calls("build('x')\n", calls, {"x": bad})


def test_a_span_from_other_source_is_refused():
    stale = Call("x", SourcePos("p.groovy", 1, 7), (6, 7))
    with pytest.raises(AssertionError):
        rewrite_calls("build('y')\n", [stale], {"x": "x-v1-abc1234"})


# Real Groovy decides what is a call: every `build` it runs records its job name.
GROOVY_PRELUDE = """\
calls = []
def build(String job) { calls << job; null }
def build(Map args) { calls << args.job; null }
def string(Map args) { args }
def parallel(Map branches) { branches.values()*.call() }
"""
GROOVY_JOBS = """\
// build('commented')
/* build("blocked") */
def text = "build('in-a-string')" + '''build('triple')''' + /build('slashy')/
def half = 10 / 2 / 5
build('plain')
build("double")
build job: 'command', wait: false
build(job: "named", parameters: [string(name: 'X', value: 'build(\\'nested\\')')], propagate: false)
build(wait: true,
      job: 'later')
parallel a: { build job: 'branch-a' }, b: { build(job: 'branch-b', wait: false) }
def env = 'qa'
build("dynamic-${env}")
def shown = "ran ${build('in-gstring')} and \\${build('escaped')}"
def f() { return build('returned') }
f()
if (half) { build('then') } else build('never-run')
println calls.join('\\n')
"""


def test_real_groovy_runs_exactly_the_rewritten_names(tmp_path):
    calls = scan_references(GROOVY_JOBS, "p.groovy").calls
    names = {c.target: f"f/{c.target}-v1-abc1234" for c in calls}
    script = tmp_path / "jobs.groovy"
    script.write_text(GROOVY_PRELUDE + rewrite_calls(GROOVY_JOBS, calls, names))
    run = subprocess.run(
        ["groovy", str(script)], capture_output=True, text=True, env=groovy_env(), check=False
    )
    assert run.returncode == 0, run.stderr
    ran = run.stdout.split()
    literal = ["plain", "double", "command", "named", "later", "branch-a", "branch-b"]
    later = ("in-gstring", "returned", "then")
    assert ran == [names[n] for n in literal] + ["dynamic-qa"] + [names[n] for n in later]
    assert set(names) == {*literal, *later, "never-run"}
