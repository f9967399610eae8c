"""Orchestration jobs: the generated build-test... chains and hand-written Groovy jobs.

An orchestration does no work itself (the talk, slide 14): it runs phases of
concurrent `build` calls to workers, pinned to one commit found at the start.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from jobgen.load.model import Component, Environment, HandJob, Step
from jobgen.plan import names, sharing
from jobgen.plan.model import Call, Job
from jobgen.plan.specs import (
    AlertCheck,
    Arg,
    BuildCall,
    GeneratedScript,
    HandScript,
    Notify,
    Param,
    Phase,
    PipelineSpec,
    WorkerSpec,
)
from jobgen.plan.workers import declared_params, environment_variables, label, retention

CHAINS = (
    ("build-test", "test"),
    ("build-test-stage", "stage"),
    ("build-test-stage-release", "release"),
)
_ORDER = ("build", "test", "stage", "release")


def generated(component: Component, workers: Mapping[str, Job], root: tuple[str, ...]) -> list[Job]:
    """The chains present for the component's steps, plain and per environment."""
    steps = {s.name for s in component.steps}
    if "build" not in steps:
        return []
    chains = _Chains(component, workers)
    jobs = []
    for chain, last in CHAINS:
        if last in steps or last == "test":
            name = names.pipeline_name(component.name, chain)
            jobs.append(_chain(chains, name, _upto(last, steps), None, root))
    for env in component.environments:
        for action in ("stage", "release"):
            if action in steps:
                name = names.env_pipeline_name(component.name, env.name, action)
                jobs.append(_chain(chains, name, _upto(action, steps), env, root))
    return jobs


class _Chains:
    """What a component's chains share: up to seven chains run the same four steps, so each
    step's build call is built once, and its phase once for every (approval, record) it runs
    with, not once a chain."""

    def __init__(self, component: Component, workers: Mapping[str, Job]) -> None:
        self.component = component
        self.workers = workers
        self.steps = {s.name: s for s in reversed(component.steps)}  # the first of a name wins
        self.notify = _notify(component)
        self.scheduled = scheduled(component)
        self.entry_point = entry_point(component)
        self._phases: dict[tuple[str, str | None, str, str], Phase] = {}
        self._calls: dict[str, tuple[BuildCall, tuple[AlertCheck, ...]]] = {}
        self.calls: dict[str, tuple[Call, ...]] = {}  # a step's phase's calls, as its job's
        # What every chain of the component has alike, worked out once, not once a chain.
        self.retention = retention(component)
        self.label = label(component.requirements)
        self.variables = environment_variables(component)
        self.values = {v.name: v.value for v in component.variables}
        self.uses = {name: {u.value for u in step.uses} for name, step in self.steps.items()}
        self.records: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.schedule_parameters = tuple((p.name, p.value) for p in component.schedule_parameters)
        self.inputs: tuple[str, ...] | None = None

    def phase(self, step_name: str, env: Environment | None, record: str) -> Phase:
        component = self.component
        approval = env.approval if env and step_name == "release" else None
        where = env.name if env else "the chosen environment"
        message = f"Release {component.name} to {where}?" if approval else ""
        key = (step_name, approval, message, record)
        if key not in self._phases:
            step = self.steps[step_name]
            call, alerts = self._call(step_name)
            phase = Phase(
                step_name,
                (call,),
                step.pos,
                approval=approval,
                approval_message=message,
                record=record,
                alerts=alerts,
            )
            self._phases[key] = phase
            self.calls[step_name] = tuple(Call(c.target, phase.pos) for c in phase.calls)
        return self._phases[key]

    def _call(self, step_name: str) -> tuple[BuildCall, tuple[AlertCheck, ...]]:
        if step_name not in self._calls:
            step = self.steps[step_name]
            worker = self.workers[names.worker_name(self.component.name, step_name)]
            assert isinstance(worker.spec, WorkerSpec)
            args = with_build_numbers(pass_through(worker.spec.params), step)
            self._calls[step_name] = BuildCall(worker.name, args), alert_checks(worker.name, step)
        return self._calls[step_name]


def entry_point(component: Component) -> str | None:
    """The generated job a change or the schedule starts: `<component>-build-test`."""
    if component.step("build") is None:
        return None
    return names.pipeline_name(component.name, "build-test")


def scheduled(component: Component) -> str | None:
    """The chain `schedule:` starts: `run:` when given, else the entry point (build-test)."""
    if component.schedule_run is not None:
        return f"{component.name}-{component.schedule_run.value}"
    return entry_point(component)


def hand_orchestration(
    component: Component,
    job: HandJob,
    calls: Sequence[Call],
    root: tuple[str, ...],
    dynamic: tuple[tuple[int, int], ...] = (),
) -> Job:
    """A pipeline job running the hand-written Groovy of a `jobs:` entry."""
    assert job.groovy is not None
    path = job.groovy.as_posix()
    params = declared_params(job)
    spec = PipelineSpec(
        description=job.description or component.description,
        params=params,
        retention=retention(component),
        script=HandScript(path, job.source, dynamic, tuple(n.value for n in job.may_call)),
    )
    return Job(
        name=job.name,
        component=component.name,
        kind="orchestration",
        folder=component.name,
        template="pipeline.xml.j2",
        inputs=tuple(sorted({component.file.as_posix(), path, *root})),
        pos=job.pos,
        calls=tuple(calls),
        spec=spec,
        entrypoint=job.entrypoint,
    )


def _upto(last: str, steps: set[str]) -> tuple[str, ...]:
    return tuple(s for s in _ORDER[: _ORDER.index(last) + 1] if s in steps)


def _chain(
    chains: _Chains,
    name: str,
    steps: tuple[str, ...],
    env: Environment | None,
    root: tuple[str, ...],
) -> Job:
    component = chains.component
    phases = tuple(_phases(chains, steps, env))
    if chains.inputs is None:
        chains.inputs = tuple(sorted({component.file.as_posix(), *root}))
    spec = PipelineSpec(
        description=component.description,
        params=_params(component, env, _passed(phases), chains),
        retention=chains.retention,
        script=GeneratedScript(
            component=component.name,
            repo=component.repo,
            branch=component.branch,
            label=chains.label,
            phases=phases,
            notify=chains.notify,
            repo_credentials=component.repo_credentials,
        ),
        schedule=component.schedule if name == chains.scheduled else None,
        schedule_parameters=chains.schedule_parameters if name == chains.scheduled else (),
        disable_concurrent="release" in steps,
    )
    calls = tuple(call for phase in phases for call in chains.calls[phase.name])
    return Job(
        name=name,
        component=component.name,
        kind="orchestration",
        folder=component.name,
        template="pipeline.xml.j2",
        inputs=chains.inputs,
        pos=env.pos if env else component.pos,
        calls=calls,
        spec=spec,
        # `watch: false`: no watcher starts build-test, a person does; it stays a stable job.
        entrypoint=(env is not None and "release" in steps)
        or (component.watch == "off" and name == chains.entry_point),
    )


def _phases(chains: _Chains, steps: tuple[str, ...], env: Environment | None) -> list[Phase]:
    if steps not in chains.records:  # a plain chain and an environment's run the same steps
        uses = chains.uses
        chains.records[steps] = tuple(
            step_name if any(step_name in uses[s] for s in steps[i + 1 :]) else ""
            for i, step_name in enumerate(steps)
        )
    records = chains.records[steps]
    return [chains.phase(step_name, env, records[i]) for i, step_name in enumerate(steps)]


def pass_through(params: tuple[Param, ...]) -> tuple[Arg, ...]:
    """The commit as GIT_HASH, every other parameter from the caller's parameter of that name."""
    return tuple(
        Arg(p.name, "git_hash") if p.name == "GIT_HASH" else Arg(p.name, "param", p.name)
        for p in params
    )


def with_build_numbers(args: tuple[Arg, ...], step: Step) -> tuple[Arg, ...]:
    """A copied-in step's build number comes from this run's build of it, not a parameter."""
    numbers = {sharing.number_param(u.value): u.value for u in step.uses}
    return tuple(
        Arg(a.name, "build_number", numbers[a.name]) if a.name in numbers else a for a in args
    )


def alert_checks(worker: str, step: Step) -> tuple[AlertCheck, ...]:
    """The step's thresholds, checked on the metrics file its build archived."""
    if step.metrics is None:
        return ()
    return tuple(
        AlertCheck(
            worker, step.metrics, a.metric, a.op, a.threshold, a.webhook_credential, a.message
        )
        for a in step.alerts
    )


def _passed(phases: tuple[Phase, ...]) -> set[str]:
    """The parameters the chain's builds pass on from the chain's own parameters."""
    return {
        arg.value
        for phase in phases
        for call in phase.calls
        for arg in call.args
        if arg.source == "param"
    }


def _params(
    component: Component, env: Environment | None, passed: set[str], chains: _Chains
) -> tuple[Param, ...]:
    """GIT_HASH, and the environment variables the chain's workers use (and only those)."""
    git_hash = Param(
        "GIT_HASH",
        description=f"the commit to build (empty: the head of {component.branch})",
    )
    values = chains.values
    if env:
        values = values | {v.name: v.value for v in env.variables}
    env_params = tuple(
        Param(
            name,
            default=values.get(name, ""),
            description=f"environment variable{f' of {env.name}' if env else ''}",
            required=name not in values,
        )
        for name in chains.variables
        if name in passed
    )
    return (git_hash, *env_params)


def _notify(component: Component) -> Notify | None:
    notify = component.notify
    if notify is None:
        return None
    return Notify(tuple(notify.on), tuple(notify.email), notify.webhook_credential)
