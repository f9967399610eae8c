"""Self-deploy jobs: the jobs repository deploys itself, each target from its deployer.

The talk (slide 29): Jenkins must not release itself, so QA QA watches the jobs
repository and deploys QA Test, then QA Prod once QA Test's functional test
passed. Compiling for target D gives, for every target T with `deployer: D`,
a pipeline `jobgen-deploy-T`, plus one watcher that polls the repository and
counts only the paths jobgen reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jobgen.load.model import FunctionalTest, JobsRepository, Repo, Target
from jobgen.plan.inputs import TEMPLATES, shipped_inputs
from jobgen.plan.model import Call, Job
from jobgen.plan.specs import (
    FolderSpec,
    Param,
    PipelineSpec,
    Scm,
    SelfDeployScript,
)
from jobgen.plan.workers import DEFAULT_RETENTION, polling_spec

FOLDER = "jobgen-deploy"
WATCHER = f"{FOLDER}-watch"
TEMPLATE = "selfdeploy.groovy.j2"
# Besides the components folder, what jobgen reads: a change anywhere else deploys nothing.
READ_PATHS = (r"jobgen\.yaml", "jobgen/templates/.*", "jobgen/groovy_lib/.*", "groovy_lib/.*")


def job_name(target: str) -> str:
    """`jobgen-deploy-qa-test`: the job that deploys `target`."""
    return f"{FOLDER}-{target}"


def self_deploy_jobs(repo: Repo, target: str | None) -> list[Job]:
    """The self-deploy jobs that live on `target`'s master; none without a target."""
    if target is None or repo.repository is None:
        return []  # validate reports a deployer without `repository:`
    deployed = [
        t
        for t in repo.targets
        if t.deployer is not None and t.deployer.value == target and t.credentials
    ]
    if not deployed:
        return []
    components = _components_folder(repo)
    inputs = _inputs(repo.root)
    jobs = [_pipeline(t, deployed, repo.repository, components, inputs) for t in deployed]
    first = [t for t in deployed if t.after is None]
    watcher = _watcher(repo.repository, first, components, shipped_inputs(repo.root, "worker"))
    folder = _folder(repo.repository, shipped_inputs(repo.root, "folder"))
    return [folder, watcher, *jobs]


def _components_folder(repo: Repo) -> str:
    folders = sorted({c.file.parent.as_posix() for c in repo.components})
    return folders[0] if folders else "components"


def _inputs(root: Path) -> tuple[str, ...]:
    shipped = shipped_inputs(root, "orchestration")
    try:
        template = (TEMPLATES / TEMPLATE).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return shipped  # jobgen installed elsewhere: the pin in jobgen.yaml stands for it
    return tuple(sorted({*shipped, template}))


def _pipeline(
    target: Target,
    deployed: list[Target],
    repository: JobsRepository,
    components: str,
    inputs: tuple[str, ...],
) -> Job:
    followers = [t for t in deployed if t.after is not None and t.after.value == target.name]
    assert target.credentials is not None
    script = SelfDeployScript(
        target=target.name,
        repo=repository.url,
        branch=repository.branch,
        components=components,
        credentials_id=target.credentials,
        user_env=target.user_env,
        token_env=target.token_env,
        functional_test=bool(followers),
        then=tuple(job_name(t.name) for t in followers),
        repo_credentials=repository.credentials,
        **_install(repository),
    )
    spec = PipelineSpec(
        description=f"Deploys the jobs repository to target {target.name} ({target.url}): "
        "validate, test, diff, deploy, prune.",
        params=(
            Param(
                "GIT_HASH",
                description=f"the commit to deploy (empty: the head of {repository.branch})",
            ),
        ),
        retention=DEFAULT_RETENTION,
        script=script,
        disable_concurrent=True,  # two deploys of one target at once would race each other
    )
    calls = tuple(Call(job_name(t.name), t.after.pos) for t in followers if t.after)
    return Job(
        name=job_name(target.name),
        component=FOLDER,
        kind="orchestration",
        folder=FOLDER,
        template="pipeline.xml.j2",
        inputs=inputs,
        pos=target.pos,
        calls=calls,
        spec=spec,
    )


def _install(repository: JobsRepository) -> dict[str, Any]:
    """Where the pinned jobgen comes from, and what the functional test submits."""
    source = repository.install
    wheel = source is not None and "://" not in source
    test = repository.functional_test or FunctionalTest()
    return {
        "install_index": None if wheel else source,
        "install_wheel": source if wheel else None,
        "test_job": test.job,
        "test_runs": test.runs,
        "test_rate": test.rate,
    }


def _watcher(
    repository: JobsRepository, first: list[Target], components: str, inputs: tuple[str, ...]
) -> Job:
    included = (f"{components}/.*", *READ_PATHS)
    starts = tuple(job_name(t.name) for t in first)
    spec = polling_spec(
        description=f"Starts {', '.join(starts) or 'nothing'} when {repository.url} changes "
        "in what jobgen reads",
        label="",
        scm=Scm(repository.url, repository.branch, included, repository.credentials),
        starts=starts,
        retention=DEFAULT_RETENTION,
    )
    return Job(
        name=WATCHER,
        component=FOLDER,
        kind="worker",
        folder=FOLDER,
        template="worker.xml.j2",
        inputs=inputs,
        pos=repository.pos,
        calls=tuple(Call(name, repository.pos) for name in starts),
        spec=spec,
    )


def _folder(repository: JobsRepository, inputs: tuple[str, ...]) -> Job:
    return Job(
        name=FOLDER,
        component=FOLDER,
        kind="folder",
        folder="",
        template="folder.xml.j2",
        inputs=inputs,
        pos=repository.pos,
        spec=FolderSpec("Self-deploy jobs: this master deploys the jobs repository to others."),
    )
