"""Jenkins shared libraries under `jobgen test`, on the real Groovy: the example
library's own scenarios, jobs that load a library, and how failures are reported."""

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from jobgen.commands.test import run_with_scripts
from jobgen.groovy.compile import compile_groovy
from jobgen.groovy.libraries import find_libraries
from jobgen.groovy.runner import JobScript
from jobgen.groovy.scenario import load_scenarios
from tests.repos import commit_all, make_jobs_repo

REPO = Path(__file__).resolve().parents[3]

JOBS = {
    # Fact: LibraryDecorator imports Library, so `@Library('x') _` needs no import.
    "loads": "@Library('mesh-tools') _\nimport com.somesite.mesh.Limits\n\n"
    "node {\n    echo \"${Limits.acceptable(meshCheck(file: 'm.stl'))}\"\n}\n",
    "versioned": "@Library(['mesh-tools@v2']) _\nnotifyOps('hi')\n",
    "unknown": "@Library('nope') _\necho('never')\n",
    "no_library": "meshCheck(file: 'm.stl')\n",
    "dynamic_unknown": "library('nope')\n",
    "fails_inside": "@Library('mesh-tools') _\nnode {\n    meshCheck(file: 'bad.stl')\n}\n",
}
SCENARIOS = {
    "loads": "answers: {sh: {'re:^mesh-check': 'ok, 1'}}\nexpected:\n  calls_include:\n"
    "    - echo: 'true'\n      within: {node: '{...}'}\n",
    "versioned": "answers: {slackSend: {ts: '7'}}\n",
    "unknown": "",
    "no_library": "",
    "dynamic_unknown": "expected: {result: FAILURE, error: No library named nope found}\n",
    "fails_inside": "answers: {sh: {'*': 'holes: 2'}}\n",
}


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(REPO / "libraries", root / "libraries")
    tests = root / "components" / "c" / "tests"
    tests.mkdir(parents=True)
    for name, text in SCENARIOS.items():
        (tests / f"{name}.yaml").write_text(f"job: {name}\n{text}")
    libraries, problems = find_libraries(root)
    assert problems == []
    scripts = {
        name: JobScript(name, compile_groovy(body, "test").text, f"c/{name}.groovy")
        for name, body in JOBS.items()
    }
    scenarios, invalid = load_scenarios(root / "components")
    assert invalid == []
    out = tmp_path_factory.mktemp("out") / "printed.txt"
    with out.open("w") as stream:
        run_with_scripts(scripts, scenarios, out=stream, libraries=libraries)
    return out.read_text()


def verdict(printed: str, name: str) -> str:
    lines = printed.splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith(f"c/{name}"))
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines)
    )
    return "\n".join(lines[start:end])


def test_a_job_loads_a_library_with_its_vars_and_src_classes(printed):
    assert verdict(printed, "loads") == "PASS c/loads"
    assert verdict(printed, "versioned") == "PASS c/versioned"


def test_an_unknown_library_fails_as_jenkins_fails_it(printed):
    # Fact: LibraryDecorator's "Could not find any definition of libraries {0}".
    message = "Loading libraries failed: Could not find any definition of libraries [nope]"
    assert f"library: {message}" in verdict(printed, "unknown")
    assert verdict(printed, "dynamic_unknown") == "PASS c/dynamic_unknown"


def test_library_steps_are_unknown_without_the_library(printed):
    assert "c/no_library.groovy:1: unmocked: unmocked step meshCheck(file: 'm.stl')" in (
        verdict(printed, "no_library")
    )


def test_a_failure_inside_a_library_step_points_at_the_library_file(printed):
    shown = verdict(printed, "fails_inside")
    assert shown.startswith("FAIL c/fails_inside")
    assert "libraries/mesh-tools/vars/meshCheck.groovy:9: error: mesh bad.stl rejected" in shown


def test_the_example_library_scenarios_pass_and_go_to_a_junit_report(tmp_path):
    make_jobs_repo(tmp_path)
    shutil.copytree(REPO / "libraries", tmp_path / "libraries")
    commit_all(tmp_path, "libraries")
    # One scenario made to fail: its mismatch becomes the testcase's failure message.
    extra = tmp_path / "libraries" / "mesh-tools" / "tests" / "wrong.yaml"
    extra.write_text("run: notifyOps('x')\nanswers: {slackSend: {}}\nexpected: {result: FAILURE}\n")
    command = [sys.executable, "-m", "jobgen", "test", "-k", "library:*", "--junit-xml", "r.xml"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "5 passed, 1 failed", result.stdout + result.stderr
    assert "PASS library:mesh-tools/mesh_check/accepts" in result.stdout
    suite = ET.parse(tmp_path / "r.xml").getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("6", "1")
    cases = {(c.get("classname"), c.get("name")): c for c in suite.iter("testcase")}
    assert ("library:mesh-tools", "mesh_check/accepts") in cases
    failure = cases[("library:mesh-tools", "wrong")].find("failure")
    assert failure.get("message") == "result: expected FAILURE, got SUCCESS"
