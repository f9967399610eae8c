"""The calls a hand-written orchestration makes, found in its Groovy."""

from __future__ import annotations

from jobgen.diagnostics import Diagnostic
from jobgen.load.model import HandJob
from jobgen.plan.model import Call
from jobgen.plan.references import scan_references


def scan_hand_calls(job: HandJob, source: str) -> tuple[list[Call], list[Diagnostic]]:
    """Literal `build` references, plus the names a job with dynamic references declared."""
    assert job.groovy is not None
    scan = scan_references(source, job.groovy.as_posix())
    calls = list(scan.calls)
    problems = []
    if scan.dynamic and not job.may_call:
        problems = [
            Diagnostic(
                ref.pos,
                "dynamic-call",
                f"'{job.name}' calls a job whose name is computed at run time: {ref.text}",
                hint="list every name it may resolve to under `may_call:` in the component file",
            )
            for ref in scan.dynamic
        ]
    calls += [Call(name.value, name.pos) for name in job.may_call]
    return calls, problems
