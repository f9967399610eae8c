"""`jobgen test`: run the scenarios of `components/*/tests/` on the compiled test-mode Groovy.

One line per scenario (`PASS id` / `FAIL id` and the mismatch), then exactly
`N passed, N failed`; exit 1 when anything failed or could not run.
"""

from __future__ import annotations

import fnmatch
import importlib
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from jobgen.diagnostics import Diagnostic, ExitCode
from jobgen.groovy.builtin import builtin_scenarios
from jobgen.groovy.defaults import declared_defaults
from jobgen.groovy.golden import read_golden, write_golden
from jobgen.groovy.junit import Verdict, write_junit_xml
from jobgen.groovy.libraries import SharedLibrary, find_libraries
from jobgen.groovy.library_tests import library_scenarios
from jobgen.groovy.report import check
from jobgen.groovy.runner import DriverFailed, JobScript, run_scenarios
from jobgen.groovy.runtime import GroovyNotFound
from jobgen.groovy.scenario import Scenario, load_scenarios
from jobgen.plan.specs import GeneratedScript


def run(
    components: Path,
    pattern: str | None = None,
    update: bool = False,
    junit_xml: Path | None = None,
) -> int:
    """Compile the tree in test mode, run the selected scenarios, print the verdicts."""
    scenarios, problems = load_scenarios(components)
    compiled = compiled_scripts(components)
    if isinstance(compiled, list):
        for diagnostic in compiled:
            print(diagnostic.format(), file=sys.stderr)
        return ExitCode.INVALID
    scripts, builtins = compiled
    # Shared libraries: loaded by the jobs that name them, and tested by their own scenarios.
    libraries, unusable = find_libraries(components.parent)
    if unusable:
        for diagnostic in unusable:
            print(diagnostic.format(), file=sys.stderr)
        return ExitCode.INVALID
    own, library_scripts, invalid = library_scenarios(libraries)
    scripts = {**scripts, **library_scripts}
    every = [*scenarios, *own, *builtins]
    selected = [s for s in every if selected_by(s.id, pattern)]
    if pattern and not selected and not problems and not invalid:
        # As pytest -k: selecting nothing is not a pass.
        print(f"jobgen test: no scenario matches -k {pattern!r} (of {len(every)})", file=sys.stderr)
        return ExitCode.NO_TESTS
    return run_with_scripts(
        scripts,
        selected,
        [*problems, *invalid],
        update=update,
        junit_xml=junit_xml,
        libraries=libraries,
    )


def run_with_scripts(
    scripts: Mapping[str, JobScript],
    scenarios: Sequence[Scenario],
    problems: Sequence[Diagnostic] = (),
    update: bool = False,
    out: TextIO | None = None,
    junit_xml: Path | None = None,
    libraries: Mapping[str, SharedLibrary] | None = None,
) -> int:
    """Run scenarios against already compiled scripts; the part of `run` after compiling."""
    stream = out or sys.stdout
    verdicts: list[Verdict] = []  # for --junit-xml
    failed = _report_invalid(problems, stream, verdicts)
    runnable = [s for s in scenarios if s.job in scripts]
    for scenario in scenarios:
        if scenario.job not in scripts:
            known = ", ".join(sorted(scripts)) or "none"
            print(f"FAIL {scenario.id}", file=stream)
            missing = (
                f"{scenario.job_pos}: no orchestration job named {scenario.job!r}"
                f" (orchestrations: {known})"
            )
            print(f"  {missing}", file=stream)
            verdicts.append(Verdict(scenario.id, (missing,)))
            failed += 1
    if runnable:
        # The JVM takes seconds to start (tens on a busy machine): say so before the silence.
        print(f"running {len(runnable)} scenarios on Groovy (starting the JVM)...", file=sys.stderr)
    try:
        outcomes = run_scenarios(scripts, runnable, libraries=libraries)
    except (GroovyNotFound, DriverFailed) as exc:
        print(f"jobgen test: {exc}", file=sys.stderr)
        return ExitCode.INTERNAL
    passed = 0
    for scenario, outcome in zip(runnable, outcomes, strict=True):
        note = ""
        if update and not scenario.builtin and write_golden(scenario, outcome.tree):
            note = f" (wrote {scenario.golden.name})"
        golden = None if scenario.builtin else read_golden(scenario)
        mismatches = check(scenario, outcome, golden)
        verdict = "FAIL" if mismatches else "PASS"
        print(f"{verdict} {scenario.id}{note}", file=stream)
        for mismatch in mismatches:
            print("  " + mismatch, file=stream)
        passed += not mismatches
        failed += bool(mismatches)
        verdicts.append(Verdict(scenario.id, tuple(mismatches)))
    if junit_xml is not None:
        write_junit_xml(junit_xml, verdicts)
    print(f"{passed} passed, {failed} failed", file=stream)
    return ExitCode.INVALID if failed else ExitCode.OK


def selected_by(scenario_id: str, pattern: str | None) -> bool:
    """`-k`: a glob when it has wildcards, else a substring of `component/scenario`."""
    if not pattern:
        return True
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatchcase(scenario_id, pattern)
    return pattern in scenario_id


def _report_invalid(problems: Sequence[Diagnostic], stream: TextIO, verdicts: list[Verdict]) -> int:
    files = sorted({d.pos.path for d in problems if d.pos})
    for path in files:
        print(f"FAIL {path} (invalid scenario file)", file=stream)
        found = [d.format() for d in problems if d.pos and d.pos.path == path]
        for text in found:
            print("  " + text.replace("\n", "\n  "), file=stream)
        verdicts.append(Verdict(path, tuple(found), classname="invalid scenario file"))
    return len(files)


def compiled_scripts(
    components: Path,
) -> tuple[dict[str, JobScript], list[Scenario]] | list[Diagnostic]:
    """The test-mode Groovy of every orchestration by common name and the built-in
    scenarios of the generated ones, or the compile errors."""
    # The lead's core (jobgen/compiler.py); looked up at run time so this module
    # imports, and the runner is usable, while the compiler is still being written.
    compiler = importlib.import_module("jobgen.compiler")
    result = compiler.compile_tree(components, mode="test")
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors or result.artifacts is None:
        return errors
    jobs = result.artifacts.jobs
    names: dict[str, str] = {}
    for rendered in jobs:
        names[rendered.deployed_name] = rendered.job.name
        names[rendered.full_name] = rendered.job.name
    scripts = {
        r.job.name: JobScript(
            r.job.name,
            r.groovy,
            _source(r.job.inputs, r.job.name),
            names,
            declared_defaults(getattr(r.job.spec, "params", ())),
        )
        for r in jobs
        if r.groovy is not None
    }
    # Workers that publish JUnit results: their UNSTABLE has a built-in scenario.
    junit = frozenset(r.job.name for r in jobs if getattr(r.job.spec, "junit", None))
    builtins = [
        scenario
        for r in jobs
        if r.groovy is not None and isinstance(getattr(r.job.spec, "script", None), GeneratedScript)
        for scenario in builtin_scenarios(
            r.job.name, r.job.component, r.job.spec.script, r.job.spec.params, r.job.pos, junit
        )
    ]
    return scripts, builtins


def _source(inputs: Sequence[str], name: str) -> str:
    groovy = [i for i in inputs if str(i).endswith(".groovy") and "groovy_lib" not in str(i)]
    return str(groovy[0]) if groovy else f"{name} (generated Groovy)"
