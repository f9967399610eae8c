"""The plan phase's entry: every job of the repository, resolved and checked.

Expansion is per component (folder, workers, orchestrations, hand-written
jobs); the checks then look across the whole plan (unique names, names
Jenkins accepts, calls to jobs that exist).
"""

from __future__ import annotations

from dataclasses import dataclass

from jobgen.diagnostics import Diagnostic
from jobgen.load.model import Component, Repo
from jobgen.plan import orchestrations, selfdeploy, views, workers
from jobgen.plan.checks import check_calls, check_job_names
from jobgen.plan.external import without_external_calls
from jobgen.plan.hand_calls import scan_hand_calls
from jobgen.plan.inputs import Shipped, shipped
from jobgen.plan.integration import add_integration
from jobgen.plan.model import Job, Plan
from jobgen.plan.selfdeploy import FOLDER
from jobgen.plan.settings_inputs import settle_inputs, settle_self_deploy, settled_root, unsettled
from jobgen.plan.specs import FolderSpec
from jobgen.plan.stable import split
from jobgen.plan.team_library import with_team_library


@dataclass(frozen=True)
class PlanResult:
    """The plan (as complete as the input allows) and what was wrong on the way."""

    plan: Plan
    diagnostics: tuple[Diagnostic, ...] = ()


def plan(repo: Repo, target: str | None = None) -> PlanResult:
    """Expand every component into its jobs and check them as a whole.

    With a `target`, the self-deploy jobs that live on that target's master are added.
    """
    diagnostics: list[Diagnostic] = []
    jobs: list[Job] = []
    inputs = shipped(repo.root)
    sources = {c.name: c.sources for c in repo.components}  # the last of a name, as settle_inputs
    settled: dict[tuple[str, ...], Shipped] = {}
    for component in repo.components:
        if component.name == FOLDER:  # settled with the self-deploy jobs, by their calls
            jobs += _component_jobs(component, inputs, diagnostics)
            continue
        own = sources[component.name]
        if own not in settled:
            settled[own] = _settled(inputs, own)
        made = _component_jobs(component, settled[own], diagnostics)
        jobs += settle_inputs(made, repo) if any(unsettled(job) for job in made) else made
    stable_callees: set[str] = set()
    jobs = add_integration(jobs, repo, stable_callees)
    jobs += selfdeploy.self_deploy_jobs(repo, target)
    jobs = with_team_library(without_external_calls(jobs, repo), repo)
    # The later passes add no jobgen.yaml to the others' inputs: settled as they were made.
    jobs = settle_self_deploy(jobs, repo)
    jobs.sort(key=lambda job: job.name)
    diagnostics += check_job_names(jobs)
    diagnostics += check_calls(jobs)
    versioned, stable = split(
        jobs, stable_callees
    )  # after the checks: a watcher's calls are checked too
    versioned = views.with_current(versioned, stable)  # each folder names what its entries run
    return PlanResult(
        Plan(tuple(versioned), tuple(sorted(stable, key=lambda s: s.name))), tuple(diagnostics)
    )


def _settled(inputs: Shipped, sources: tuple[str, ...]) -> Shipped:
    """The shipped inputs with jobgen.yaml settled into its sections, and a component's sources:
    its jobs are settled as they are made (settle_inputs, settled_root)."""
    return Shipped(
        folder=settled_root(inputs.folder, sources),
        worker=settled_root(inputs.worker, sources),
        hand_pipeline=settled_root(inputs.hand_pipeline, sources),
        generated_pipeline=settled_root(inputs.generated_pipeline, sources),
    )


def _component_jobs(
    component: Component,
    inputs: Shipped,
    diagnostics: list[Diagnostic],
) -> list[Job]:
    worker_root = inputs.worker
    steps = workers.step_workers(component, worker_root)
    hand_workers = [
        workers.hand_worker(component, job, worker_root)
        for job in component.jobs
        if job.bash is not None
    ]
    by_name = {job.name: job for job in steps}
    generated = orchestrations.generated(component, by_name, inputs.generated_pipeline)
    hand_root = inputs.hand_pipeline
    hand_pipelines = []
    for job in component.jobs:
        if job.groovy is None:
            continue
        calls, dynamic, problems = scan_hand_calls(job, job.source)
        diagnostics.extend(problems)
        hand_pipelines.append(
            orchestrations.hand_orchestration(component, job, calls, hand_root, dynamic)
        )
    return [
        _folder(component, inputs),
        *steps,
        *_watcher(component, inputs),
        *hand_workers,
        *generated,
        *hand_pipelines,
    ]


def _folder(component: Component, inputs: Shipped) -> Job:
    return Job(
        name=component.name,
        component=component.name,
        kind="folder",
        folder="",
        template="folder.xml.j2",
        inputs=tuple(sorted({component.file.as_posix(), *inputs.folder})),
        pos=component.pos,
        spec=FolderSpec(component.description, current_view=views.STABLE_ONLY),
    )


def _watcher(component: Component, inputs: Shipped) -> list[Job]:
    first = orchestrations.entry_point(component)
    if first is None or not component.repo or component.watch == "off":
        return []  # `watch: false`: only the schedule or a person starts the component
    return [workers.watcher(component, first, inputs.worker)]
