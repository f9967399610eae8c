"""Worker jobs: one freestyle job per step, per hand-written bash job, and the path watcher."""

from __future__ import annotations

import re

from jobgen.load.model import Component, HandJob, Requirements, Step
from jobgen.plan import names, sharing
from jobgen.plan.model import Call, Job
from jobgen.plan.parameters import declared_param
from jobgen.plan.specs import Binding, CopyIn, Param, Retention, Scm, WorkerSpec

DEFAULT_RETENTION = Retention(days=3, builds=100)  # the talk: 2-3 days of logs, < 200 builds
DEFAULT_TIMEOUT_MINUTES = 60
POLL_SPEC = "H/5 * * * *"
_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def declared_params(job: HandJob) -> tuple[Param, ...]:
    """The parameters a hand-written job declares, typed (jobgen/plan/parameters.py)."""
    return tuple(declared_param(p) for p in job.parameters)


def retention(component: Component) -> Retention:
    """The component's build discarder, or the default that keeps a master's disk in check."""
    if component.retention is None:
        return DEFAULT_RETENTION
    days, builds = component.retention.days, component.retention.builds
    return Retention(-1 if days is None else days, -1 if builds is None else builds)


def label(requirements: Requirements) -> str:
    """The agent label expression: every listed label is required."""
    return " && ".join(requirements.labels)


def variables_used(text: str) -> set[str]:
    """Names referenced as `$NAME` or `${NAME}` in shell text."""
    return set(_VARIABLE.findall(text))


def environment_variables(component: Component) -> list[str]:
    """Every variable the component or any environment of it sets, in first-seen order."""
    seen: dict[str, None] = dict.fromkeys(v.name for v in component.variables)
    for env in component.environments:
        for variable in env.variables:
            seen.setdefault(variable.name, None)
    return list(seen)


def step_workers(component: Component, root_inputs: tuple[str, ...]) -> list[Job]:
    """One worker per step of the component."""
    shared = _Shared(component, root_inputs)
    return [_step_worker(component, step, shared) for step in component.steps]


class _Shared:
    """What every step worker of a component has alike, worked out once, not once a step."""

    def __init__(self, component: Component, root_inputs: tuple[str, ...]) -> None:
        self.root_inputs = root_inputs
        self.file = component.file.as_posix()
        self.own = {v.name: v.value for v in component.variables}
        self.variables = environment_variables(component)
        self.retention = retention(component)
        self.label = label(component.requirements)


def _step_worker(component: Component, step: Step, shared: _Shared) -> Job:
    script_path = step.script_file.as_posix() if step.script_file else None
    text = step.command  # the loader has read a `script:` file into the command already
    used = variables_used(text)
    git_hash = Param(
        "GIT_HASH",
        default=component.branch,
        description="the commit to build (default: the head of the branch)",
    )
    own = shared.own
    env_params = [
        Param(
            name,
            default=own.get(name, ""),
            description="a variable of the component; an environment's stage and release set it",
        )
        if name in own
        else Param(name, description="set by the environment's stage and release jobs")
        for name in shared.variables
        if name in used
    ]
    copies = sharing.copies_in(component, step)
    params = (git_hash, *env_params, *sharing.copy_params(copies))
    scm = (
        Scm(component.repo, "${GIT_HASH}", credentials_id=component.repo_credentials)
        if component.repo
        else None
    )
    what = f"The {step.name} step of {component.name}. {component.description}".strip()
    bindings = _bindings(component, step)
    spec = _worker_spec(
        component,
        component.requirements,
        what,
        text,
        params,
        bindings,
        step,
        scm,
        junit=step.junit,
        artifacts=sharing.archived(step),
        copies=copies,
        copy_permission=sharing.copy_permission(component, step),
        shared=shared,
    )
    inputs = (shared.file, *([script_path] if script_path else []))
    return Job(
        name=names.worker_name(component.name, step.name),
        component=component.name,
        kind="worker",
        folder=component.name,
        template="worker.xml.j2",
        inputs=tuple(sorted(set(inputs + shared.root_inputs))),
        pos=step.pos,
        # The copied-in files come from the producer: its version is part of this one's.
        calls=tuple(Call(c.source, step.pos) for c in copies),
        spec=spec,
    )


def hand_worker(component: Component, job: HandJob, root_inputs: tuple[str, ...]) -> Job:
    """A worker from `jobs:` with a bash file and its declared parameters."""
    assert job.bash is not None
    path = job.bash.as_posix()
    params = declared_params(job)
    spec = _worker_spec(
        component,
        job.requirements or component.requirements,
        job.description or component.description,
        job.source,
        params,
        _all_bindings(component),
        None,
        hand_checkout(component, job, params),
    )
    return Job(
        name=job.name,
        component=component.name,
        kind="worker",
        folder=component.name,
        template="worker.xml.j2",
        inputs=tuple(sorted({component.file.as_posix(), path, *root_inputs})),
        pos=job.pos,
        spec=spec,
        entrypoint=job.entrypoint,
    )


def hand_checkout(component: Component, job: HandJob, params: tuple[Param, ...]) -> Scm | None:
    """The checkout of a bash job: the component's repo at `checkout:` (a ref), or by default at
    `${GIT_HASH}` when the job takes one, else at the branch; none with `checkout: false`."""
    if not component.repo or job.checkout is False:
        return None
    if isinstance(job.checkout, str):
        ref = job.checkout
    else:
        ref = "${GIT_HASH}" if any(p.name == "GIT_HASH" for p in params) else component.branch
    return Scm(component.repo, ref, credentials_id=component.repo_credentials)


def watcher(component: Component, first: str, root: tuple[str, ...]) -> Job:
    """Polls `repo`/`branch`, counts only changes under `path`, then starts `first`."""
    watched = component.path.strip("/")
    included = (f"{watched}/.*",) if watched else ()
    spec = polling_spec(
        description=f"Starts {first} when {component.repo} changes under {watched or '/'}",
        label=label(component.requirements),
        scm=Scm(component.repo, component.branch, included, component.repo_credentials),
        starts=(first,),
        retention=retention(component),
        # `webhook`: polled only when the SCM host calls the git plugin's notifyCommit.
        poll="" if component.watch == "webhook" else component.poll or POLL_SPEC,
    )
    return Job(
        name=names.watcher_name(component.name),
        component=component.name,
        kind="worker",
        folder=component.name,
        template="worker.xml.j2",
        inputs=tuple(sorted({component.file.as_posix(), *root})),
        pos=component.pos,
        calls=(Call(first, component.pos),),
        spec=spec,
    )


def polling_spec(
    description: str,
    label: str,
    scm: Scm,
    starts: tuple[str, ...],
    retention: Retention,
    poll: str = POLL_SPEC,
) -> WorkerSpec:
    """A worker that polls `scm` (only its included paths count) and starts `starts` after it."""
    return WorkerSpec(
        description=description,
        params=(),
        label=label,
        step='echo "change found; starting the jobs downstream"',
        toolchains=(),
        docker=None,
        docker_env=(),
        timeout_minutes=10,
        bindings=(),
        artifacts=(),
        retention=retention,
        scm=scm,
        poll=poll,
        downstream=starts,
    )


def _worker_spec(
    component: Component,
    req: Requirements,
    description: str,
    text: str,
    params: tuple[Param, ...],
    bindings: tuple[Binding, ...],
    step: Step | None,
    scm: Scm | None = None,
    *,
    junit: str | None = None,
    artifacts: tuple[str, ...] = (),
    copies: tuple[CopyIn, ...] = (),
    copy_permission: str | None = None,
    shared: _Shared | None = None,
) -> WorkerSpec:
    toolchains = tuple(
        (tool, version)
        for tool, version in (("node", req.node), ("ruby", req.ruby), ("python", req.python))
        if version
    )
    passed = tuple(p.name for p in params) + tuple(v for b in bindings for v in b.variables)
    login = req.docker_registry_credentials if req.docker else None
    return WorkerSpec(
        description=description,
        params=params,
        label=shared.label if shared and req is component.requirements else label(req),
        step=text,
        toolchains=() if req.docker else toolchains,
        docker=req.docker,
        docker_env=passed if req.docker else (),
        timeout_minutes=(step.timeout_minutes if step else None) or DEFAULT_TIMEOUT_MINUTES,
        bindings=bindings,
        artifacts=artifacts,
        retention=shared.retention if shared else retention(component),
        scm=scm,
        docker_entrypoint=req.docker_entrypoint if req.docker else None,
        docker_registry=req.docker_registry if login else None,
        docker_login=login,
        junit=junit,
        copies=copies,
        copy_permission=copy_permission,
    )


def _bindings(component: Component, step: Step) -> tuple[Binding, ...]:
    # A step that names no credentials gets the component's; one that names some gets only those.
    if not step.credentials:
        return _all_bindings(component)
    wanted = {name.value for name in step.credentials}
    return tuple(b for b in _all_bindings(component) if b.credentials_id in wanted)


def _all_bindings(component: Component) -> tuple[Binding, ...]:
    return tuple(Binding(c.type, c.id, c.env) for c in component.credentials)
