"""Running one pipeline script on the embedded master's Groovy runtime, without a master.

The master's side of the protocol is a stub: `build` answers from a function.
Used by the sandbox tests, which need many scripts in one JVM and no HTTP.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from jobgen.master.pipeline.runtime import GroovyRuntime

Downstream = Callable[[str, dict[str, Any]], dict[str, Any]]


@contextmanager
def pipeline_runtime() -> Iterator[GroovyRuntime]:
    """One Groovy JVM serving pipeline scripts, closed at the end of the block."""
    started = GroovyRuntime()
    try:
        yield started
    finally:
        started.close()


def finished(result: str) -> Downstream:
    """A `build` answer: every downstream build ends with `result`."""

    def answer(step: str, args: dict[str, Any]) -> dict[str, Any]:
        job = str(args.get("job"))
        return {"result": result, "name": job, "full_name": job, "number": 1, "url": "u"}

    return answer


def run_pipeline(
    runtime: GroovyRuntime,
    script: str,
    downstream: Downstream,
    params: dict[str, str] | None = None,
    **env: str,
) -> dict[str, Any]:
    """Run `script` as build #1 of job `t`; the runtime's answer: {result, log, error}."""
    variables = {"BUILD_URL": "http://127.0.0.1/job/t/1/", "JOB_NAME": "t", "BUILD_NUMBER": "1"}
    request = {
        "script": script,
        "params": params or {},
        "env": {**variables, **env},
        "job": env.get("JOB_NAME", "t"),
        "number": 1,
    }
    return runtime.run(request, downstream, threading.Event())
