"""How fast `jobgen test` runs scenarios: N scenarios over M distinct orchestrations, one JVM.

    .venv/bin/python bench/groovy_tests.py [--scenarios 500] [--jobs 20]

Prints the wall time of the whole run (JVM start, parsing every script once,
running every scenario) and the per-scenario figure. The target is 500
scenarios in under a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from jobgen.diagnostics import SourcePos
from jobgen.groovy.compile import compile_groovy
from jobgen.groovy.runner import JobScript, run_scenarios
from jobgen.groovy.scenario import Expected, Scenario

BODY = """
def hash = ''
node('linux') {
    hash = sh(returnStdout: true, script: 'git rev-parse HEAD').trim()
}
withPromise('orchestration_%(n)d') {
    def results = [:]
    def pinned = [string(name: 'GIT_HASH', value: hash)]
    stage('build') {
        results.build = build(job: 'worker_%(n)d_build', parameters: pinned).result
    }
    stage('checks') {
        parallel(
            lint: { results.lint = build(job: 'worker_%(n)d_lint', parameters: pinned).result },
            test: { results.test = build(job: 'worker_%(n)d_test', parameters: pinned).result },
        )
    }
    catchError(buildResult: 'UNSTABLE') {
        build(job: 'worker_%(n)d_report', parameters: [booleanParam(name: 'FULL', value: true)])
    }
    return results
}
"""


def _scripts(jobs: int) -> dict[str, JobScript]:
    return {
        f"orchestration_{n}": JobScript(
            f"orchestration_{n}",
            compile_groovy(BODY % {"n": n}, "test").text,
            f"bench/orchestration_{n}.groovy",
        )
        for n in range(jobs)
    }


def _scenarios(count: int, jobs: int, folder: Path) -> list[Scenario]:
    scenarios = []
    for i in range(count):
        n = i % jobs
        failing = {f"worker_{n}_test": "FAILURE"} if i % 3 == 0 else {}
        scenarios.append(
            Scenario(
                id=f"bench/s{i}",
                name=f"s{i}",
                component="bench",
                file=folder / f"s{i}.yaml",
                pos=SourcePos("bench"),
                job=f"orchestration_{n}",
                job_pos=SourcePos("bench"),
                params={"REPORT_RETURN_URL": f"http://platform.test/report/{i}"},
                answers={"build": failing, "sh": {"git rev-parse HEAD": f"{i:040x}"}},
                expected=Expected(result="FAILURE" if failing else "SUCCESS"),
            )
        )
    return scenarios


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scripts = _scripts(args.jobs)
        scenarios = _scenarios(args.scenarios, args.jobs, Path(tmp))
        start = time.perf_counter()
        outcomes = run_scenarios(scripts, scenarios)
        elapsed = time.perf_counter() - start
    wrong = [
        o.id for o, s in zip(outcomes, scenarios, strict=True) if o.result != s.expected.result
    ]
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}")
    print(f"{len(scenarios)} scenarios over {args.jobs} distinct scripts, one JVM")
    print(
        f"wall time: {elapsed:.2f} s  ({1000 * elapsed / max(1, len(scenarios)):.1f} ms a scenario)"
    )
    print(f"unexpected results: {len(wrong)}")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
