"""The integration phase of `<env>-release` (the talk, slide 28).

After component X is released to an environment, every component X depends
on and every component that depends on X (both transitively) is made present
in that environment at the version production runs, by its own
`<env>-release` with INTEGRATION=false; then the `integration_test` of every
dependent runs, concurrently. The production versions are parameters of the
release, named after each component, and checked before the phase runs:
never guessed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from jobgen.load.model import Component, Environment, Repo
from jobgen.plan import names
from jobgen.plan.model import Call, Job
from jobgen.plan.specs import Arg, BuildCall, GeneratedScript, Param, Phase, PipelineSpec

INTEGRATION_PARAM = Param(
    "INTEGRATION",
    default="true",
    description="false when another release runs this one as part of its integration phase",
)


def version_param(component: str) -> str:
    """`platform-api` -> `PLATFORM_API_PRODUCTION_VERSION`."""
    return component.upper().replace("-", "_") + "_PRODUCTION_VERSION"


def add_integration(jobs: Sequence[Job], repo: Repo) -> list[Job]:
    """Every `<env>-release` of a component with related components, with its integration phase."""
    by_name = {job.name: job for job in jobs}
    graph = _Graph(repo.components)
    releases = {
        names.env_pipeline_name(component.name, env.name, "release"): (component, env)
        for component in repo.components
        for env in component.environments
    }
    result = []
    for job in jobs:
        release = releases.get(job.name)
        if release is None or not _generated(job):
            result.append(job)
            continue
        component, env = release
        result.append(_with_integration(job, component, env, graph, by_name))
    return result


def _generated(job: Job) -> bool:
    return isinstance(job.spec, PipelineSpec) and isinstance(job.spec.script, GeneratedScript)


def _with_integration(
    job: Job, component: Component, env: Environment, graph: _Graph, jobs: Mapping[str, Job]
) -> Job:
    related = sorted(graph.dependencies(component.name) | graph.dependents(component.name))
    present = [
        BuildCall(
            names.env_pipeline_name(other, env.name, "release"),
            (
                Arg("GIT_HASH", "param", version_param(other)),
                Arg("INTEGRATION", "literal", "false"),
            ),
            branch=other,
        )
        for other in related
        if names.env_pipeline_name(other, env.name, "release") in jobs
    ]
    tests = [
        _integration_test(other, env.name, graph, jobs)
        for other in sorted(graph.dependents(component.name))
        if names.worker_name(other, "integration_test") in jobs
    ]
    if not present and not tests:
        return job
    involved = sorted({c.branch for c in present} | {c.branch for c in tests})
    needs = tuple(
        (version_param(other), f"the commit production runs of {other}") for other in involved
    )
    phases = [
        Phase(f"integration: {env.name}", tuple(present), env.pos, integration=True),
        Phase("integration tests", tuple(tests), env.pos, integration=True),
    ]
    phases = [p for p in phases if p.calls]
    phases[0] = dataclasses.replace(phases[0], needs=needs)  # checked once, before anything runs
    return _extend(job, phases, involved)


def _integration_test(other: str, env: str, graph: _Graph, jobs: Mapping[str, Job]) -> BuildCall:
    worker = jobs[names.worker_name(other, "integration_test")]
    values = graph.env_values(other, env)
    args = [Arg("GIT_HASH", "param", version_param(other))]
    args += [
        Arg(p.name, "literal", values.get(p.name, ""))
        for p in worker.spec.params  # type: ignore[attr-defined]
        if p.name != "GIT_HASH"
    ]
    return BuildCall(worker.name, tuple(args), branch=other)


def _extend(job: Job, phases: list[Phase], involved: list[str]) -> Job:
    spec = job.spec
    assert isinstance(spec, PipelineSpec) and isinstance(spec.script, GeneratedScript)
    params = (
        spec.params
        + tuple(
            Param(version_param(other), description=f"the commit production runs of {other}")
            for other in involved
        )
        + (INTEGRATION_PARAM,)
    )
    script = dataclasses.replace(spec.script, phases=spec.script.phases + tuple(phases))
    calls = job.calls + tuple(Call(c.target, phase.pos) for phase in phases for c in phase.calls)
    return dataclasses.replace(
        job, spec=dataclasses.replace(spec, params=params, script=script), calls=calls
    )


class _Graph:
    """Dependencies between components, both ways, and each one's environment values."""

    def __init__(self, components: Sequence[Component]) -> None:
        self._deps = {c.name: {d.value for d in c.dependencies} for c in components}
        self._reverse: dict[str, set[str]] = {}
        for source, targets in self._deps.items():
            for target in targets:
                self._reverse.setdefault(target, set()).add(source)
        self._envs = {
            c.name: {e.name: {v.name: v.value for v in e.variables} for e in c.environments}
            for c in components
        }

    def dependencies(self, name: str) -> set[str]:
        """What `name` depends on, transitively."""
        return self._reach(name, self._deps)

    def dependents(self, name: str) -> set[str]:
        """What depends on `name`, transitively."""
        return self._reach(name, self._reverse)

    def env_values(self, name: str, env: str) -> dict[str, str]:
        """The variables component `name` sets in environment `env`."""
        return self._envs.get(name, {}).get(env, {})

    @staticmethod
    def _reach(start: str, edges: Mapping[str, set[str]]) -> set[str]:
        seen: set[str] = set()
        stack = list(edges.get(start, ()))
        while stack:
            node = stack.pop()
            if node not in seen and node != start:
                seen.add(node)
                stack.extend(edges.get(node, ()))
        return seen
