"""How fast `jobgen test` runs scenarios: N scenarios over M distinct orchestrations, one JVM.

    .venv/bin/python bench/groovy_tests.py [--scenarios 1000] [--jobs 20] [--threads N]

Prints the wall time of the whole run (JVM start, parsing every script once,
running every scenario) and the per-scenario figure. The target is 1,000
scenarios in under 10 s (issue 18). The jobs use what issue 18 added: a shared
library's global step (`@Library`), a step answered by the scenario, `sh`
answered by a regular expression, a @NonCPS method, and the call tree.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from jobgen.diagnostics import SourcePos
from jobgen.groovy.compile import compile_groovy
from jobgen.groovy.libraries import SharedLibrary
from jobgen.groovy.runner import JobScript, run_scenarios
from jobgen.groovy.scenario import Expected, Scenario

BODY = """@Library('bench-tools') _

@NonCPS
def abbreviated(String hash) { hash.take(8) }

def hash = ''
node('linux') {
    hash = sh(returnStdout: true, script: 'git rev-parse HEAD').trim()
    notifyStart(abbreviated(hash))
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _library(folder: Path) -> dict[str, SharedLibrary]:
    vars_dir = folder / "bench-tools" / "vars"
    vars_dir.mkdir(parents=True)
    (vars_dir / "notifyStart.groovy").write_text(
        "def call(String hash) {\n"
        "    slackSend(channel: '#builds', message: \"start ${hash}\")\n"
        "}\n"
    )
    return {"bench-tools": SharedLibrary("bench-tools", folder / "bench-tools")}


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
                answers={
                    "build": failing,
                    "sh": {"re:^git rev-parse": f"{i:040x}"},
                    "slackSend": {"ts": str(i)},
                },
                expected=Expected(result="FAILURE" if failing else "SUCCESS"),
            )
        )
    return scenarios


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--threads", type=int, default=None, help="default: one per core")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scripts = _scripts(args.jobs)
        scenarios = _scenarios(args.scenarios, args.jobs, Path(tmp))
        start = time.perf_counter()
        cpu_start = _children_cpu()
        outcomes = run_scenarios(
            scripts, scenarios, threads=args.threads, libraries=_library(Path(tmp))
        )
        elapsed = time.perf_counter() - start
        cpu = _children_cpu() - cpu_start
    wrong = [
        o.id
        for o, s in zip(outcomes, scenarios, strict=True)
        if o.result != s.expected.result or not o.tree
    ]
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}")
    print(f"{len(scenarios)} scenarios over {args.jobs} distinct scripts, one JVM")
    print(
        f"wall time: {elapsed:.2f} s  ({1000 * elapsed / max(1, len(scenarios)):.1f} ms a scenario)"
    )
    # The machine may be shared: CPU seconds say how much work the run was, whatever
    # else runs; wall time on an idle machine is about CPU time / cores.
    print(f"JVM CPU time: {cpu:.2f} s (user + system)  load average: {os.getloadavg()[0]:.1f}")
    print(f"unexpected results: {len(wrong)}")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
