"""Stable jobs: the unversioned jobs people and machines start (docs/versions.md).

Versioned jobs are immutable and carry no trigger. What is started from
outside lives on a stable job under the plain common name that runs the
current version: entry points and `<env>-release` jobs, the chain a watcher
or a schedule starts, and the watcher itself. They hold the triggers (one
SCMTrigger per watcher, one TimerTrigger per schedule, whatever was deployed
before), the build history a person reads, retention and "fixed" detection
(the chain notifies; the stable job tells it its own previous result).
Deploy switches them last; rollback moves them back.

The planner expands components as if every job were versioned; `split` then
moves the triggers off the versioned jobs onto stable ones.
Issue 16's `watch:` and `schedule: {cron, run}` fit here: a watcher with
another trigger, a schedule on the stable job of another chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jobgen.diagnostics import SourcePos
from jobgen.plan.evolve import evolve
from jobgen.plan.model import Job
from jobgen.plan.specs import (
    GeneratedScript,
    Param,
    PipelineSpec,
    Retention,
    WorkerSpec,
)


@dataclass(frozen=True)
class StableJob:
    """One stable job: what it runs, and what it carries for the versions it runs.

    An entry (`watch` None) is a pipeline that builds the deployed version of
    `runs` with its own parameters. A watcher is a freestyle job that polls
    `watch.scm` and starts the stable entries named in `watch.downstream`;
    `runs` is then the first of them.
    """

    name: str
    component: str
    folder: str
    runs: str  # common name of the versioned job an entry runs; a watcher's first stable entry
    pos: SourcePos
    description: str
    params: tuple[Param, ...]
    retention: Retention
    schedule: str | None = None  # the TimerTrigger's spec
    # `schedule: {parameters:}` (issue 16): a ParameterizedTimerTrigger's (name, value) pairs
    schedule_parameters: tuple[tuple[str, str], ...] = ()
    passes_previous: bool = False  # tells the version its previous result ("fixed" detection)
    watch: WorkerSpec | None = None  # a watcher's SCM, poll spec and downstream entries
    records: bool = False  # a release: archives the commit it released (jobgen-released.txt)

    @property
    def full_name(self) -> str:
        """The job's path on the master: it keeps its plain name."""
        return f"{self.folder}/{self.name}" if self.folder else self.name


PREVIOUS_RESULT = Param(
    "JOBGEN_PREVIOUS_RESULT",
    description="set by the stable job that runs this version: its previous build's result",
)


def split(
    jobs: Sequence[Job], stable_callees: set[str] | None = None
) -> tuple[list[Job], list[StableJob]]:
    """The versioned jobs (without triggers) and the stable jobs that carry them.

    `stable_callees`: the targets of every stable call of the jobs' phases, when the caller
    knows them already (plan/integration.py makes them all); else gathered here.
    """
    # poll "" is `watch: webhook` (notifyCommit only): still a watcher; None is no watcher.
    watchers = {j.name for j in jobs if isinstance(j.spec, WorkerSpec) and j.spec.poll is not None}
    started = {
        name
        for j in jobs
        if j.name in watchers and isinstance(j.spec, WorkerSpec)
        for name in j.spec.downstream
    }
    started |= _stable_callees(jobs) if stable_callees is None else stable_callees
    versioned: list[Job] = []
    stable: list[StableJob] = []
    for job in jobs:
        if job.name in watchers:
            stable.append(_watcher(job))
            continue
        spec = job.spec
        scheduled = isinstance(spec, PipelineSpec) and spec.schedule is not None
        if not (job.entrypoint or scheduled or job.name in started):
            versioned.append(job)
            continue
        entry, bare = _entry(job)
        stable.append(entry)
        versioned.append(bare)
    return versioned, stable


def _stable_callees(jobs: Sequence[Job]) -> set[str]:
    """Workers other components build through their stable job (their integration phase)."""
    return {
        call.target
        for job in jobs
        if isinstance(job.spec, PipelineSpec) and isinstance(job.spec.script, GeneratedScript)
        for phase in job.spec.script.phases
        for call in phase.calls
        if call.stable
    }


def _entry(job: Job) -> tuple[StableJob, Job]:
    """The stable entry of `job`, and `job` without what moved onto it."""
    spec = job.spec
    assert isinstance(spec, PipelineSpec | WorkerSpec), f"{job.name} cannot be started"
    schedule = spec.schedule if isinstance(spec, PipelineSpec) else None
    schedule_parameters = spec.schedule_parameters if isinstance(spec, PipelineSpec) else ()
    bare = job
    records = passes_previous = False
    if isinstance(spec, PipelineSpec):
        script = spec.script
        params = spec.params
        if isinstance(script, GeneratedScript):
            records = any(phase.name == "release" for phase in script.phases)
            # The chain notifies, and "fixed" compares with the stable job's history.
            passes_previous = script.notify is not None
            params += (PREVIOUS_RESULT,) if passes_previous else ()
        bare = evolve(
            job,
            spec=evolve(spec, schedule=None, schedule_parameters=(), params=params),
        )
    entry = StableJob(
        name=job.name,
        component=job.component,
        folder=job.folder,
        runs=job.name,
        pos=job.pos,
        description=f"Stable entry point of {job.name}: runs its deployed version.",
        params=spec.params,
        retention=spec.retention,
        schedule=schedule,
        schedule_parameters=schedule_parameters,
        passes_previous=passes_previous,
        records=records,
    )
    return entry, bare


def _watcher(job: Job) -> StableJob:
    spec = job.spec
    assert isinstance(spec, WorkerSpec) and spec.downstream
    # The entries it starts live in its own folder: the rendered watcher names them plainly.
    return StableJob(
        name=job.name,
        component=job.component,
        folder=job.folder,
        runs=spec.downstream[0],
        pos=job.pos,
        description=spec.description,
        params=(),
        retention=spec.retention,
        watch=spec,
    )
