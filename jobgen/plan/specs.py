"""Kind-specific data the templates render: resolved, with no decisions left.

A `Job.spec` is one of `FolderSpec`, `WorkerSpec` or `PipelineSpec`. Names of
other jobs appear only as common names; the renderer maps them to deployed
names once versions are known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from jobgen.diagnostics import SourcePos

ArgSource = Literal["git_hash", "param", "literal", "build_number", "version"]


@dataclass(frozen=True)
class Param:
    """A parameter of a job: a string unless `type` says otherwise (jobgen/load/parameters.py)."""

    name: str
    default: str = ""
    description: str = ""
    required: bool = False
    type: str = "string"
    choices: tuple[str, ...] = ()  # type choice: the default first, as Jenkins defaults to it


@dataclass(frozen=True)
class Retention:
    """Build discarder: -1 means no limit on that axis."""

    days: int
    builds: int


@dataclass(frozen=True)
class Binding:
    """A credential bound to environment variables for the length of a build."""

    type: str  # usernamePassword | string | file | sshUserPrivateKey
    credentials_id: str
    variables: tuple[str, ...]


@dataclass(frozen=True)
class Scm:
    """A git checkout; `included` limits what counts as a change (the watched path)."""

    url: str
    branch: str
    included: tuple[str, ...] = ()
    credentials_id: str | None = None  # `repo_credentials`: a Jenkins credential id, never a secret


@dataclass(frozen=True)
class CopyIn:
    """Files a worker copies in before its step (copyartifact): an earlier step's archive.

    `source` is the producing worker's common name; `number_param` the parameter
    holding the build number the orchestration passes (default: the last success)."""

    source: str
    filter: str  # comma-separated Ant globs, as CopyArtifact.filter reads them
    number_param: str


@dataclass(frozen=True)
class FolderSpec:
    """A component folder: its description and its default `current` view (plan/views.py)."""

    description: str
    current_view: str | None = None  # includeRegex of the folder's default list view
    # Common names of the folder's versioned jobs its stable jobs run now: the view's jobNames
    current: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkerSpec:
    """A freestyle job with one shell builder."""

    description: str
    params: tuple[Param, ...]
    label: str
    step: str  # the user's shell text, run as written
    toolchains: tuple[tuple[str, str], ...]  # (node|ruby|python, version): the pre-script
    docker: str | None  # image the step runs in; the toolchain then comes from the image
    docker_env: tuple[str, ...]  # variables passed into the container
    timeout_minutes: int
    bindings: tuple[Binding, ...]
    artifacts: tuple[str, ...]
    retention: Retention
    scm: Scm | None = None
    poll: str | None = None  # SCMTrigger spec for watcher jobs ("": notifyCommit only)
    downstream: tuple[str, ...] = ()  # common names started after a successful build
    docker_entrypoint: str | None = None  # `requirements.docker.entrypoint`: replaces the image's
    docker_registry: str | None = None  # the registry `docker_login` logs in to (None: Docker Hub)
    docker_login: str | None = None  # a usernamePassword credential id for `docker login`
    junit: str | None = None  # JUnit XML files to publish; failing tests make the build UNSTABLE
    copies: tuple[CopyIn, ...] = ()  # earlier steps' files copied in before the step runs
    copy_permission: str | None = None  # who may copy this job's artifacts (a name pattern)


@dataclass(frozen=True)
class Arg:
    """A parameter passed to a callee: the commit, one of our parameters, or a fixed value.

    "version" is the commit another component runs in the environment (value: that
    component), given or found by the integration phase (plan/integration.py).
    """

    name: str
    source: ArgSource
    value: str = ""  # the parameter's name for "param", the text for "literal"
    # "build_number": the number of this run's build of step `value` (its files are copied in)


@dataclass(frozen=True)
class BuildCall:
    """One `build` step of a generated phase: the callee and what it is passed."""

    target: str
    args: tuple[Arg, ...]
    branch: str = ""  # the parallel branch's name: the component, so failures name it
    stable: bool = False  # build the target's stable job: its version is not part of ours


@dataclass(frozen=True)
class VersionLookup:
    """The commit `component` runs in an environment: `param` when given, else what its
    stable `<env>-release` job last released (`release`, a common name; docs/versions.md)."""

    component: str
    param: str
    release: str


@dataclass(frozen=True)
class Phase:
    """A stage of concurrent builds; `approval` asks for input before it runs.

    An `integration` phase is skipped when the job runs as part of another
    component's integration phase (INTEGRATION=false), so releases never recurse.
    """

    name: str
    calls: tuple[BuildCall, ...]
    pos: SourcePos
    approval: str | None = None
    approval_message: str = ""
    integration: bool = False
    needs: tuple[tuple[str, str], ...] = ()  # (parameter, why): checked before the phase runs
    record: str = ""  # the step whose build number later phases pass on (files are copied)
    alerts: tuple[AlertCheck, ...] = ()  # thresholds checked once the phase's build finished
    lookups: tuple[VersionLookup, ...] = ()  # versions found before the phase runs
    given_only: bool = False  # each call runs only when its component's version was given


@dataclass(frozen=True)
class AlertCheck:
    """A threshold on a metric the phase's worker wrote, parsed at load time.

    The orchestration copies `metrics` in from `source` (a common name), reads
    it with readJSON and compares one number: nothing is evaluated as text."""

    source: str
    metrics: str
    metric: str
    op: str
    threshold: str  # a decimal literal, admitted by jobgen/load/alerts.py
    webhook_credential: str
    message: str


@dataclass(frozen=True)
class Notify:
    """Who hears about which results of an orchestration."""

    on: tuple[str, ...]
    emails: tuple[str, ...]
    webhook_credential: str | None


@dataclass(frozen=True)
class GeneratedScript:
    """The phases of a generated orchestration, rendered by the Groovy template."""

    component: str
    repo: str
    branch: str
    label: str
    phases: tuple[Phase, ...]
    notify: Notify | None
    repo_credentials: str | None = None  # Jenkins credential id git authenticates with


@dataclass(frozen=True)
class HandScript:
    """A hand-written orchestration: its Groovy source, read by the loader's edge.

    `dynamic` are the spans of job names computed at run time; `may_call` the
    names they may resolve to (the job declares them).
    """

    path: str
    text: str
    dynamic: tuple[tuple[int, int], ...] = ()
    may_call: tuple[str, ...] = ()
    # The team's own Groovy library files it uses, (path, text), in the order compiled in.
    library: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SelfDeployScript:
    """A self-deploy job: deploy one target of jobgen.yaml from the jobs repository itself.

    It runs on the target's deployer master (a master never deploys itself):
    checkout, install the pinned jobgen, validate, test, diff, deploy, prune,
    then (when others wait for it) the functional test and their self-deploy jobs.
    """

    target: str
    repo: str  # the jobs repository (`repository:` in jobgen.yaml)
    branch: str
    components: str  # the components folder, relative to the repository root
    credentials_id: str  # usernamePassword, bound into user_env / token_env
    user_env: str
    token_env: str
    functional_test: bool = False  # another target waits for this one's functional test
    then: tuple[str, ...] = ()  # common names of the self-deploy jobs started afterwards
    repo_credentials: str | None = None  # `repository.credentials`: clone a private repository
    install_index: str | None = None  # pip's --index-url for the pinned jobgen (None: PyPI)
    install_wheel: str | None = None  # or a wheel committed in the jobs repository
    test_job: str = "process_model"  # `jobgen functional-test --job ... --jobs ... --rate ...`
    test_runs: int = 100
    test_rate: float = 10.0


@dataclass(frozen=True)
class PipelineSpec:
    """A pipeline job running a compiled Groovy script in the sandbox."""

    description: str
    params: tuple[Param, ...]
    retention: Retention
    script: GeneratedScript | HandScript | SelfDeployScript
    schedule: str | None = None
    disable_concurrent: bool = False
    # `schedule: {parameters:}`: (name, value) of the scheduled runs (ParameterizedTimerTrigger)
    schedule_parameters: tuple[tuple[str, str], ...] = ()
