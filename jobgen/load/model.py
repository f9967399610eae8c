"""What the loader returns: the component files as typed, positioned data.

Every object keeps the `SourcePos` of the YAML node it came from, so any later
phase can report an error against the component file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from jobgen.diagnostics import Diagnostic, SourcePos
from jobgen.load.team_library import GroovyFile

STEP_NAMES = ("build", "test", "stage", "release", "integration_test")
CredentialType = Literal["usernamePassword", "string", "file", "sshUserPrivateKey"]
NotifyResult = Literal["success", "failure", "unstable", "fixed", "aborted", "always"]


@dataclass(frozen=True)
class Name:
    """A name written in a component file (a dependency, a credential id), with its place."""

    value: str
    pos: SourcePos


@dataclass(frozen=True)
class Requirements:
    """What the agent must have: language versions, labels, a docker image."""

    node: str | None = None
    ruby: str | None = None
    python: str | None = None
    labels: tuple[str, ...] = ()
    docker: str | None = None  # the image
    pos: SourcePos | None = None
    docker_entrypoint: str | None = None  # replaces the image's ENTRYPOINT ('' for none)
    docker_registry: str | None = None  # the registry `docker login` logs in to
    docker_registry_credentials: str | None = None  # its usernamePassword credential id


@dataclass(frozen=True)
class Alert:
    """A threshold on a metric a step writes, parsed at load time (never evaluated as text).

    `threshold` is the number as written (a decimal literal the regex admitted)."""

    metric: str
    op: str  # < <= > >= == !=
    threshold: str
    webhook_credential: str  # a string credential holding the webhook URL; never the URL
    message: str
    pos: SourcePos


@dataclass(frozen=True)
class Step:
    """One pipeline step: shell text (inline, or read from `script:`) and its options."""

    name: str
    command: str
    pos: SourcePos
    script_file: Path | None = None  # the file `script:` named, resolved against the component file
    timeout_minutes: int | None = None
    credentials: tuple[Name, ...] = ()
    artifacts: tuple[str, ...] = ()
    script_pos: SourcePos | None = None  # where `script:` named the file
    junit: str | None = None  # JUnit XML report files (an Ant glob) the step publishes
    produces: tuple[str, ...] = ()  # files later steps may copy in (archived)
    uses: tuple[Name, ...] = ()  # earlier steps whose `produces:` files this step copies in
    metrics: str | None = None  # a JSON file of numbers the step writes; alerts read it
    alerts: tuple[Alert, ...] = ()


@dataclass(frozen=True)
class Variable:
    name: str
    value: str
    pos: SourcePos


@dataclass(frozen=True)
class Environment:
    """A deployment environment: its variables become job parameters."""

    name: str
    variables: tuple[Variable, ...]
    pos: SourcePos
    approval: str | None = None


@dataclass(frozen=True)
class Credential:
    """A Jenkins credential id and the environment variables it binds; never a secret."""

    id: str
    type: CredentialType
    env: tuple[str, ...]
    pos: SourcePos


@dataclass(frozen=True)
class Notify:
    on: tuple[NotifyResult, ...]
    email: tuple[str, ...]
    pos: SourcePos
    webhook_credential: str | None = None


@dataclass(frozen=True)
class Retention:
    """Build discarder settings; None means no limit on that axis."""

    days: int | None
    builds: int | None
    pos: SourcePos | None = None


ParameterType = Literal["string", "text", "boolean", "choice", "credentials", "node", "label"]


@dataclass(frozen=True)
class Parameter:
    """A declared job parameter; `default` as written (`true`/`false` for a boolean)."""

    name: str
    pos: SourcePos
    required: bool = False
    default: str | None = None
    description: str = ""
    type: ParameterType = "string"
    choices: tuple[str, ...] = ()  # type: choice, in the order written


@dataclass(frozen=True)
class HandJob:
    """A hand-written job from `jobs:`: an orchestration (groovy) or a worker (bash)."""

    name: str
    pos: SourcePos
    groovy: Path | None = None  # resolved against the repository root
    bash: Path | None = None
    parameters: tuple[Parameter, ...] = ()
    may_call: tuple[Name, ...] = ()  # names a dynamic build("x-${y}") may resolve to
    entrypoint: bool = False
    description: str = ""
    requirements: Requirements | None = None  # None: the component's requirements apply
    file_pos: SourcePos | None = None  # where `groovy:` or `bash:` named the file
    source: str = ""  # the text of that file, read by the loader ("" when missing)
    checkout: bool | str = True  # a bash job's checkout of the repo: False, True, or the ref


@dataclass(frozen=True)
class Component:
    """One component file."""

    name: str
    file: Path  # the component file, relative to the repository root
    pos: SourcePos
    description: str = ""
    repo: str = ""
    branch: str = "main"
    path: str = ""
    repo_credentials: str | None = None  # Jenkins credential id for a private repo
    requirements: Requirements = field(default_factory=Requirements)
    steps: tuple[Step, ...] = ()
    environments: tuple[Environment, ...] = ()
    dependencies: tuple[Name, ...] = ()
    credentials: tuple[Credential, ...] = ()
    schedule: str | None = None
    notify: Notify | None = None
    retention: Retention | None = None
    jobs: tuple[HandJob, ...] = ()
    # Version inputs besides `file`: the templates it extends, jobgen.yaml's defaults.
    sources: tuple[str, ...] = ()
    variables: tuple[Variable, ...] = ()  # component-level; an environment's override them
    watch: Literal["poll", "webhook", "off"] = "poll"  # what starts the chain on a change
    poll: str | None = None  # `watch: {poll: CRON}`: the polling interval (None: the default)
    schedule_run: Name | None = None  # `schedule: {run: CHAIN}`: the chain the schedule starts
    schedule_parameters: tuple[Variable, ...] = ()  # `schedule: {parameters:}` of scheduled runs
    # `schedule: {awaits_approval: true}`: where the file says a scheduled run may wait for a person
    schedule_awaits_approval: SourcePos | None = None

    def step(self, name: str) -> Step | None:
        """The step called `name`, if the component has one."""
        return next((s for s in self.steps if s.name == name), None)


@dataclass(frozen=True)
class Target:
    """A Jenkins master named under `targets:` in jobgen.yaml; never holds a secret.

    `user_env`/`token_env` name the environment variables the credentials are
    read from; `credentials` is the Jenkins credential id the deployer master
    binds into those variables when its self-deploy job deploys this target.
    """

    name: str
    url: str
    pos: SourcePos
    user_env: str = "JOBGEN_USER"
    token_env: str = "JOBGEN_TOKEN"
    netrc: str | None = None  # a netrc file outside the repository
    folder: str = ""
    timeout: float = 30.0
    workers: int = 8
    deployer: Name | None = None  # the target whose master runs this one's self-deploy job
    after: Name | None = None  # deployed once this target's functional test passed
    credentials: str | None = None


@dataclass(frozen=True)
class FunctionalTest:
    """`repository.functional_test`: the promise runs self-deploy submits before the next target."""

    job: str = "process_model"
    runs: int = 100
    rate: float = 10.0


@dataclass(frozen=True)
class JobsRepository:
    """Where the jobs repository itself lives: the self-deploy jobs check it out."""

    url: str
    branch: str
    pos: SourcePos
    credentials: str | None = None  # a Jenkins credential id for a private repository
    # Where self-deploy installs the pinned jobgen from: an index URL or a committed wheel's path.
    install: str | None = None
    functional_test: FunctionalTest | None = None


@dataclass(frozen=True)
class Repo:
    """Everything the loader read: the components and the repository they live in."""

    root: Path
    components: tuple[Component, ...]
    jobgen_version: str | None = None  # the pin from jobgen.yaml, if present
    targets: tuple[Target, ...] = ()  # from jobgen.yaml, in the order written
    owner: str | None = None  # `owner:` in jobgen.yaml: who owns the deployed jobs
    repository: JobsRepository | None = None
    external_jobs: tuple[Name, ...] = ()  # `external_jobs:`: jobs jobgen calls, never manages
    team_library: tuple[GroovyFile, ...] = ()  # `groovy_lib/*.groovy` of the jobs repository

    def target(self, name: str) -> Target | None:
        """The target called `name`, if jobgen.yaml names one."""
        return next((t for t in self.targets if t.name == name), None)


@dataclass(frozen=True)
class LoadResult:
    """The repository as far as it could be read, and every diagnostic found on the way."""

    repo: Repo
    diagnostics: tuple[Diagnostic, ...] = ()
    files: tuple[Path, ...] = ()  # every component file read, as the user named it
    # Component files read only so that references resolve (siblings of named files).
    context_files: tuple[Path, ...] = ()
    # Each component of `files` with the file it was read from, in their order.
    read_from: tuple[tuple[Path, Component], ...] = ()
