"""The calls a hand-written orchestration makes, found in its Groovy."""

from __future__ import annotations

from jobgen.diagnostics import Diagnostic
from jobgen.load.model import HandJob
from jobgen.plan.model import Call
from jobgen.plan.references import scan_references


def scan_hand_calls(
    job: HandJob, source: str
) -> tuple[list[Call], tuple[tuple[int, int], ...], list[Diagnostic]]:
    """Literal references, the names a job with computed ones declared, and where those are.

    The spans of the computed names let render resolve them at run time to
    the deployed names of the declared jobs (and to nothing else).
    """
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
    return calls, tuple(ref.span for ref in scan.dynamic), problems
