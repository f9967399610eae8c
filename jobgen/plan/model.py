"""What the planner returns: every job to generate, resolved and ready to render.

A `Job` carries everything later phases need and no back-reference to the
component it came from: versioning reads `inputs` and `calls`, rendering reads
`template` and `spec`. Templates make no decisions; the plan has made them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from jobgen.diagnostics import SourcePos

if TYPE_CHECKING:
    from jobgen.plan.stable import StableJob

JobKind = Literal["folder", "worker", "orchestration"]


@dataclass(frozen=True)
class Call:
    """A reference from one job to another by common name.

    `span` is the [start, end) character range of the quoted name in the job's
    own Groovy source (None for calls the planner generated itself), so the
    renderer can rewrite it to the deployed name without re-parsing.
    """

    target: str
    pos: SourcePos
    span: tuple[int, int] | None = None


@dataclass(frozen=True)
class Job:
    """One Jenkins item to generate.

    `name` is the common name, unique in the repository (`frontend-build`,
    `process_model`); `folder` is the Jenkins folder it lives in ('' for the
    top level); `inputs` are the repository-relative paths whose git history
    versions this job, not counting the jobs it calls.
    """

    name: str
    component: str
    kind: JobKind
    folder: str
    template: str
    inputs: tuple[str, ...]
    pos: SourcePos
    calls: tuple[Call, ...] = ()
    spec: object = None  # kind-specific resolved data for the template; see jobgen.plan.specs
    entrypoint: bool = False  # also deployed as a stable alias under its plain common name
    external: tuple[str, ...] = ()  # full names of jobs it calls that jobgen does not manage

    @property
    def versioned(self) -> bool:
        """Folders keep their plain name; every other job is immutable and versioned."""
        return self.kind != "folder"


@dataclass(frozen=True)
class Plan:
    """All jobs of the repository, sorted by name, callees resolvable by name.

    `stable` are the unversioned jobs that carry triggers and run a version (plan/stable.py).
    """

    jobs: tuple[Job, ...]
    stable: tuple[StableJob, ...] = ()

    def by_name(self) -> dict[str, Job]:
        """Jobs keyed by common name."""
        return {job.name: job for job in self.jobs}
