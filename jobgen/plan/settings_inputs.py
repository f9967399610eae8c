"""Which parts of jobgen.yaml each job depends on, as version inputs.

A job depends on `jobgen.yaml#SECTION` inputs instead of the whole file, so
that a settings edit renames only the jobs whose rendered configuration
depends on it (jobgen/version/sections.py finds the commits that changed
each section):
- `rest`, everything but the sections below (the pin, `owner:`, any key a
  later jobgen adds): every job;
- `defaults`: every job of every component (jobgen/load/defaults.py);
- `external_jobs`: the jobs that call an external job (jobgen/plan/external.py);
- `repository` and `targets/NAME`: the self-deploy jobs, each only the
  targets it deploys or starts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from jobgen.load.model import Repo
from jobgen.plan.evolve import evolve
from jobgen.plan.model import Job
from jobgen.plan.selfdeploy import FOLDER, WATCHER

SETTINGS = "jobgen.yaml"
REST = "rest"
OWN_SECTIONS = ("targets", "repository", "defaults", "external_jobs")


def section_input(section: str) -> str:
    """The input name of one section, e.g. `jobgen.yaml#targets/qa-test`."""
    return f"{SETTINGS}#{section}"


def settle_inputs(jobs: Sequence[Job], repo: Repo) -> list[Job]:
    """Each job with jobgen.yaml replaced by the sections it depends on, and its sources added."""
    return _settle(jobs, repo, lambda job: True)


def settled_root(root: tuple[str, ...], sources: tuple[str, ...]) -> tuple[str, ...]:
    """A component's shipped `root` inputs as `settle_inputs` leaves them, with its `sources`.

    The planner builds a component's jobs from these, so each job's inputs are settled as it is
    made, not copied again in a pass over all jobs: the same as settling afterwards for a job of
    any component but the self-deploy folder's, whose inputs also follow its calls, and as long
    as the job's own paths are not jobgen.yaml itself (`unsettled` finds those).
    """
    return _settled_inputs(set(root) | set(sources))


def unsettled(job: Job) -> bool:
    """Whether `job`'s inputs still name jobgen.yaml whole (a path of its own is that file)."""
    return SETTINGS in job.inputs


def settle_self_deploy(jobs: Sequence[Job], repo: Repo) -> list[Job]:
    """`settle_inputs` for the jobs the planner has not settled as it made them: the self-deploy
    folder's (its jobs' inputs follow their calls, which the passes before change)."""
    return _settle(jobs, repo, lambda job: job.component == FOLDER)


def _settle(jobs: Sequence[Job], repo: Repo, which: Callable[[Job], bool]) -> list[Job]:
    """The jobs, each of those `which` picks settled (`_settled`)."""
    sources = {c.name: c.sources for c in repo.components}
    targets = {t.name for t in repo.targets}
    return [
        _settled(job, sources.get(job.component, ()), targets) if which(job) else job
        for job in jobs
    ]


def _settled_inputs(inputs: set[str]) -> tuple[str, ...]:
    if SETTINGS in inputs:
        inputs.discard(SETTINGS)
        inputs.add(section_input(REST))
    return tuple(sorted(inputs))


def _settled(job: Job, sources: tuple[str, ...], targets: set[str]) -> Job:
    inputs = set(job.inputs) | set(sources)
    if job.component == FOLDER and job.kind != "folder":
        inputs.add(section_input("repository"))
        named = [c.target for c in job.calls] + ([] if job.name == WATCHER else [job.name])
        prefix = f"{FOLDER}-"
        deployed = {n.removeprefix(prefix) for n in named if n.startswith(prefix)}
        inputs.update(section_input(f"targets/{t}") for t in sorted(deployed & targets))
    return evolve(job, inputs=_settled_inputs(inputs))
