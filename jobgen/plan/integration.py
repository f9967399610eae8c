"""The integration phase of `<env>-release` (the talk, slide 28; docs/versions.md).

After component X is released to an environment, the version every related
component runs there (everything X depends on and everything that depends on
X, both transitively) is known: given as `<C>_PRODUCTION_VERSION`, or else
found by the phase itself from what C's stable `<env>-release` job last
released. A component given explicitly is made present at that version by
its own release worker; then the `integration_test` of every dependent and of
X itself runs, concurrently, each at its own version.

The phase builds only workers, which call nothing: two related releases at
once never wait on each other (their `<env>-release` jobs disallow concurrent
builds), and no approval is asked beyond the one of the release that started
it. It never names another component's versioned orchestration, so a change to
one component renames none of its dependents' releases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from jobgen.load.model import Component, Environment, Repo
from jobgen.plan import names
from jobgen.plan.evolve import evolve
from jobgen.plan.model import Call, Job
from jobgen.plan.specs import (
    Arg,
    ArgSource,
    BuildCall,
    GeneratedScript,
    Param,
    Phase,
    PipelineSpec,
    VersionLookup,
    WorkerSpec,
)

INTEGRATION_PARAM = Param(
    "INTEGRATION",
    default="true",
    description="false when another release runs this one as part of its integration phase",
)


def version_param(component: str) -> str:
    """`platform-api` -> `PLATFORM_API_PRODUCTION_VERSION`."""
    return component.upper().replace("-", "_") + "_PRODUCTION_VERSION"


def add_integration(
    jobs: Sequence[Job], repo: Repo, stable_callees: set[str] | None = None
) -> list[Job]:
    """Every `<env>-release` of a component with related components, with its integration phase.

    `stable_callees`, when given, gets the workers the phases build through their stable job:
    what plan/stable.py would otherwise gather from every phase of every job, here known as the
    calls are built (each built call is in a phase: a release gets its phases when it has any).
    """
    by_name = {job.name: job for job in jobs}
    graph = _Graph(repo.components)
    calls = _WorkerCalls(graph, by_name)
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
        result.append(_with_integration(job, component, env, graph, calls))
    if stable_callees is not None:
        stable_callees.update(call.target for call in calls.built() if call.stable)
    return result


def _generated(job: Job) -> bool:
    return isinstance(job.spec, PipelineSpec) and isinstance(job.spec.script, GeneratedScript)


def _with_integration(
    job: Job, component: Component, env: Environment, graph: _Graph, calls: _WorkerCalls
) -> Job:
    jobs = calls.jobs
    related, dependents = graph.related(component.name)
    released = [
        other for other in related if names.env_pipeline_name(other, env.name, "release") in jobs
    ]
    present = [
        _present(other, env.name, calls)
        for other in released
        if names.worker_name(other, "release") in jobs
    ]
    testers = [*sorted(dependents & set(released)), component.name]
    tests = [
        _integration_test(other, component.name, env.name, calls)
        for other in testers
        if names.worker_name(other, "integration_test") in jobs
    ]
    if not present and not tests:
        return job
    lookups = tuple(calls.lookup(other, env.name) for other in released)
    phases = [
        Phase(f"integration: {env.name}", tuple(present), env.pos, integration=True),
        Phase("integration tests", tuple(tests), env.pos, integration=True),
    ]
    phases = [p for p in phases if p.calls]
    # Versions are known before anything runs; the presence phase runs only for given ones.
    phases[0] = evolve(phases[0], lookups=lookups)
    if phases[0].name != "integration tests":
        phases[0] = evolve(phases[0], given_only=True)
    return _extend(job, phases, tuple(calls.version_param(other) for other in released))


def _present(other: str, env: str, calls: _WorkerCalls) -> BuildCall:
    """`other`'s release worker at the version asked for, with `other`'s values of `env`."""
    worker = names.worker_name(other, "release")
    return calls.call(worker, other, env, "version", stable=True)


def _integration_test(other: str, released: str, env: str, calls: _WorkerCalls) -> BuildCall:
    source: ArgSource = "git_hash" if other == released else "version"  # ours: just released
    worker = names.worker_name(other, "integration_test")
    return calls.call(worker, other, env, source, stable=other != released)


class _WorkerCalls:
    """The calls of workers the integration phases make, each built once: a component's
    release worker and integration test recur in the phase of every related release."""

    def __init__(self, graph: _Graph, jobs: Mapping[str, Job]) -> None:
        self.graph = graph
        self.jobs = jobs
        self._built: dict[tuple[str, str, str, ArgSource, bool], BuildCall] = {}
        self._lookups: dict[tuple[str, str], VersionLookup] = {}
        self._params: dict[str, Param] = {}

    def lookup(self, other: str, env: str) -> VersionLookup:
        """How the phase finds the commit `other` runs in `env`: alike in every release of `env`
        that involves `other`, so made once."""
        key = (other, env)
        if key not in self._lookups:
            release = names.env_pipeline_name(other, env, "release")
            self._lookups[key] = VersionLookup(other, version_param(other), f"{other}/{release}")
        return self._lookups[key]

    def version_param(self, other: str) -> Param:
        """The parameter that gives `other`'s commit: alike in every release involving it."""
        if other not in self._params:
            self._params[other] = Param(
                version_param(other),
                description=f"the commit {other} runs there (empty: what it last released there)",
            )
        return self._params[other]

    def call(
        self, worker_name: str, other: str, env: str, source: ArgSource, stable: bool
    ) -> BuildCall:
        """A call of another component's worker goes to its stable job (plan/stable.py), so a
        new version of that component renames nothing here; our own worker is called by
        version."""
        key = (worker_name, other, env, source, stable)
        if key not in self._built:
            worker = self.jobs[worker_name]
            assert isinstance(worker.spec, WorkerSpec)
            values = self.graph.env_values(other, env)
            args = [Arg("GIT_HASH", source, other if source == "version" else "")]
            args += [
                Arg(p.name, "literal", values.get(p.name, ""))
                for p in worker.spec.params
                if p.name != "GIT_HASH"
            ]
            self._built[key] = BuildCall(worker.name, tuple(args), branch=other, stable=stable)
        return self._built[key]

    def built(self) -> list[BuildCall]:
        """Every call built so far."""
        return list(self._built.values())


def _extend(job: Job, phases: list[Phase], versions: tuple[Param, ...]) -> Job:
    spec = job.spec
    assert isinstance(spec, PipelineSpec) and isinstance(spec.script, GeneratedScript)
    params = spec.params + versions + (INTEGRATION_PARAM,)
    script = evolve(spec.script, phases=spec.script.phases + tuple(phases))
    calls = job.calls + tuple(
        Call(c.target, phase.pos) for phase in phases for c in phase.calls if not c.stable
    )
    return evolve(job, spec=evolve(spec, params=params, script=script), calls=calls)


class _Graph:
    """Dependencies between components, both ways, and each one's environment values."""

    def __init__(self, components: Sequence[Component]) -> None:
        self._deps = {c.name: {d.value for d in c.dependencies} for c in components}
        self._reverse: dict[str, set[str]] = {}
        for source, targets in self._deps.items():
            for target in targets:
                self._reverse.setdefault(target, set()).add(source)
        self._related: dict[str, tuple[list[str], set[str]]] = {}
        self._envs = {
            c.name: {e.name: {v.name: v.value for v in e.variables} for e in c.environments}
            for c in components
        }

    def related(self, name: str) -> tuple[list[str], set[str]]:
        """What `name` depends on and what depends on it, sorted; and the latter alone.

        Each component has a release in every environment: worked out once a component."""
        if name not in self._related:
            dependents = self.dependents(name)
            self._related[name] = sorted(self.dependencies(name) | dependents), dependents
        return self._related[name]

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
