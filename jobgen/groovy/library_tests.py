"""A shared library's own scenarios: `libraries/<name>/tests/*.yaml`, each with `run:`.

The `run:` Groovy is compiled in test mode like a job's, with the library loaded
as `@Library('<name>') _` would load it, so a scenario calls the library's global
steps directly and checks their calls, answers and errors like a job's.
"""

from __future__ import annotations

from collections.abc import Mapping

from jobgen.diagnostics import Diagnostic
from jobgen.groovy.compile import load_library, wrap
from jobgen.groovy.libraries import SCENARIOS, SharedLibrary
from jobgen.groovy.runner import JobScript
from jobgen.groovy.scenario import GOLDEN_SUFFIX, Scenario, load_file

PREFIX = "library:"


def library_scenarios(
    libraries: Mapping[str, SharedLibrary],
) -> tuple[list[Scenario], dict[str, JobScript], list[Diagnostic]]:
    """Every library scenario, the script each one runs (keyed by its `job`), the problems."""
    scenarios: list[Scenario] = []
    scripts: dict[str, JobScript] = {}
    problems: list[Diagnostic] = []
    library_text = None
    for name, library in sorted(libraries.items()):
        folder = library.root / SCENARIOS
        files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
        for path in (p for p in files if not p.name.endswith(GOLDEN_SUFFIX)):
            found, invalid = load_file(library.root, path, component=PREFIX + name, library=name)
            problems.extend(invalid)
            for scenario in found:
                library_text = library_text or load_library("test")
                # Blank lines first, so a line of the run is that line of the scenario file.
                body = "\n" * (scenario.run_line - 1) + (scenario.run or "")
                text = wrap(body, library_text).text
                scripts[scenario.job] = JobScript(scenario.job, text, str(path), libraries=(name,))
                scenarios.append(scenario)
    return scenarios, scripts, problems
