"""What the versioner returns: a deployed name for every job of the plan."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from jobgen.plan.model import Job, Plan


@dataclass(frozen=True)
class Version:
    """`{name}-v{number}-{git_hash}`; dirty jobs get a name no commit can produce."""

    number: int
    git_hash: str
    deployed_name: str
    dirty: bool = False
    dirty_hash: str = ""  # sha256 of the current inputs (and callees) when dirty


@dataclass(frozen=True)
class Versioned:
    """The plan and the version of each of its jobs, keyed by common name."""

    plan: Plan
    versions: dict[str, Version]

    def full_name(self, job: Job) -> str:
        """The job's path on the master: folder and deployed name."""
        name = self.versions[job.name].deployed_name
        return f"{job.folder}/{name}" if job.folder else name

    @cached_property
    def full_names(self) -> dict[str, str]:
        """Every job's full name by its name: worked out once, the render and the build
        writer ask for all 13,000 of them (1000 components). Not to be changed."""
        return {job.name: self.full_name(job) for job in self.plan.jobs}
