"""Running scenarios on the real Groovy: every scenario of a run in one JVM.

The input is plain data (`JobScript`, `Scenario`), so the runner can be used
and tested without the compiler; `jobgen.commands.test` builds it from
`compile_tree`.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jobgen.groovy.compile import body_range
from jobgen.groovy.defaults import Defaults
from jobgen.groovy.hoist import split_classes
from jobgen.groovy.libraries import SharedLibrary, used_libraries
from jobgen.groovy.runtime import groovy_env, groovy_tool
from jobgen.groovy.sandbox import WHITELIST, sandbox_first_line
from jobgen.groovy.sandbox.classpath import classpath
from jobgen.groovy.scenario import Scenario

DRIVER = Path(__file__).resolve().parent / "driver.groovy"
SUPPORT = DRIVER.with_name("support.groovy")
SCENARIO_TIMEOUT_S = 30
DRIVER_JAVA_OPTS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto"


@dataclass(frozen=True)
class JobScript:
    """An orchestration compiled in test mode, with what is needed to report on it."""

    name: str  # common name
    text: str  # the full compiled script (test-mode library around the job's Groovy)
    source: str  # the job's own Groovy file, for `FILE:LINE` in messages
    names: Mapping[str, str] = field(default_factory=dict)  # deployed name -> common name
    defaults: Defaults = field(default_factory=Defaults)  # declared parameters' defaults
    libraries: tuple[str, ...] = ()  # shared libraries loaded as by `@Library` (a library's tests)


@dataclass(frozen=True)
class RunError:
    """Why a run stopped: unmocked, rejected, error, interrupted, exception, compile, timeout,
    internal. `rejected`: the sandbox refused a call a real Jenkins would refuse too.
    """

    kind: str
    message: str
    line: int | None
    source: str

    def where(self) -> str:
        """`FILE:LINE` in the job's own Groovy, or the file alone."""
        return f"{self.source}:{self.line}" if self.line else self.source

    def describe(self) -> str:
        """One line for the user: where, what kind, the message."""
        return f"{self.where()}: {self.kind}: {self.message}"


@dataclass(frozen=True)
class Outcome:
    """What one scenario's run did."""

    id: str
    result: str | None
    calls: tuple[Any, ...]
    reports: tuple[Any, ...]
    registrations: tuple[Any, ...]
    error: RunError | None
    log: tuple[str, ...]
    # The calls as they nest: `{step: args}`, plus `calls: [...]` under a block that
    # made any; a parallel branch is `{branch: name, calls: [...]}`.
    tree: tuple[Any, ...] = ()


class DriverFailed(RuntimeError):
    """The JVM running the scenarios failed as a whole; the message holds its stderr."""


def run_scenarios(
    scripts: Mapping[str, JobScript],
    scenarios: Sequence[Scenario],
    threads: int | None = None,
    timeout_s: int = SCENARIO_TIMEOUT_S,
    libraries: Mapping[str, SharedLibrary] | None = None,
) -> list[Outcome]:
    """Run every scenario against the script of its job (keyed by common name), in one JVM.

    A scenario whose job is not in `scripts` gets an `internal` error outcome.
    """
    if not scenarios:
        return []
    payload = _payload(scripts, scenarios, threads, timeout_s, libraries or {})
    with tempfile.TemporaryDirectory(prefix="jobgen-test-") as tmp:
        source, target = Path(tmp) / "in.json", Path(tmp) / "out.json"
        source.write_text(json.dumps(payload), encoding="utf-8")
        _run_driver(source, target, bound_s=60 + timeout_s * len(scenarios))
        raw = json.loads(target.read_text(encoding="utf-8"))
    return [_outcome(item, scripts.get(s.job), s) for item, s in zip(raw, scenarios, strict=True)]


def _payload(
    scripts: Mapping[str, JobScript],
    scenarios: Sequence[Scenario],
    threads: int | None,
    timeout_s: int,
    libraries: Mapping[str, SharedLibrary],
) -> dict[str, Any]:
    used = {s.job for s in scenarios}
    texts: dict[str, Any] = {}
    shared: str | None = None
    for name in sorted(used & scripts.keys()):
        text = scripts[name].text
        classes, rest = split_classes(text)
        shared = classes if shared is None else shared
        if classes and classes == shared:
            text = rest  # its classes come from the shared copy (jobgen/groovy/hoist.py)
        first, last = body_range(text)
        static, loads = used_libraries(text)
        static = list(dict.fromkeys([*scripts[name].libraries, *static]))
        # Sandboxed: the common library and the body, not the mocks before or the epilogue.
        texts[name] = {
            "text": text,
            "first": first,
            "last": last,
            "sandbox": sandbox_first_line(text, first),
            "libraries": static,
            "loads": loads,
        }
    entries = []
    for scenario in scenarios:
        job = scripts.get(scenario.job)
        entries.append(
            {
                "id": scenario.id,
                "script": scenario.job if job else None,
                "scenario": {
                    "job": scenario.job,
                    "params": job.defaults.applied(scenario.params) if job else {},
                    "env": dict(job.defaults.env) if job else {},
                    "answers": dict(scenario.answers),
                    "names": dict(job.names) if job else {},
                },
            }
        )
    return {
        "threads": threads or 0,
        "timeout": timeout_s,
        "sandbox": str(classpath()),
        "whitelist": str(WHITELIST),
        "scripts": texts,
        "scenarios": entries,
        "support": str(SUPPORT),
        "classes": shared or "",
        "libraries": {name: lib.paths() for name, lib in libraries.items()},
    }


def _run_driver(source: Path, target: Path, bound_s: int) -> None:
    command = [groovy_tool("groovy"), str(DRIVER), str(source), str(target)]
    env = groovy_env()
    # A run lasts seconds, mostly compiling Groovy: the JIT's quick tier alone and one
    # GC thread beat the defaults (C2 and parallel GC threads) on a few busy cores;
    # bench/RESULTS.md has the figures. The user's JAVA_OPTS come last and win.
    env["JAVA_OPTS"] = f"{DRIVER_JAVA_OPTS} {env.get('JAVA_OPTS', '')}".strip()
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=bound_s)
    except subprocess.TimeoutExpired as exc:
        raise DriverFailed(f"the Groovy driver did not finish within {bound_s} s") from exc
    if done.returncode != 0 or not target.exists():
        raise DriverFailed(f"the Groovy driver failed (exit {done.returncode}):\n{done.stderr}")


def _outcome(item: Mapping[str, Any], script: JobScript | None, scenario: Scenario) -> Outcome:
    error = item.get("error")
    run_error = None
    if script is None:
        run_error = RunError(
            "internal", f"no orchestration job named {scenario.job!r}", None, str(scenario.file)
        )
    elif error:
        line = error.get("line")
        # A failure inside a shared library's file is shown there, not at the job's call.
        source = str(error.get("file") or script.source)
        run_error = RunError(str(error.get("kind")), str(error.get("message")), line, source)
    return Outcome(
        id=str(item["id"]),
        result=item.get("result"),
        calls=tuple(item.get("calls") or ()),
        reports=tuple(item.get("reports") or ()),
        registrations=tuple(item.get("registrations") or ()),
        error=run_error,
        log=tuple(str(line) for line in item.get("log") or ()),
        tree=tuple(item.get("tree") or ()),
    )
