"""Checks across the whole plan: names unique and acceptable to Jenkins, calls that resolve."""

from __future__ import annotations

from collections.abc import Sequence

from jobgen.diagnostics import Diagnostic
from jobgen.plan.model import Job
from jobgen.plan.names import jenkins_name_problem
from jobgen.suggest import closest

# The longest version suffix a deployed name gets: `-v99999-dirty1234567`.
_SUFFIX = len("-v99999-dirty1234567")
_MAX_NAME_BYTES = 255  # one path component on ext4: Jenkins stores each job as a directory


def check_job_names(jobs: Sequence[Job]) -> list[Diagnostic]:
    """Two jobs with one name, and names Jenkins would refuse."""
    found: list[Diagnostic] = []
    first: dict[str, Job] = {}
    for job in jobs:
        other = first.setdefault(job.name.lower(), job)
        if other is not job:
            found.append(_duplicate(job, other))
        problem = jenkins_name_problem(job.name)
        if problem is None and len((job.name).encode()) + _SUFFIX > _MAX_NAME_BYTES:
            problem = "the deployed name would be longer than 255 bytes"
        if problem:
            found.append(
                Diagnostic(
                    job.pos,
                    "bad-job-name",
                    f"Jenkins would reject the job name '{job.name}': {problem}",
                    hint="use letters, digits, '-' and '_' in component and job names",
                )
            )
    return found


def _duplicate(job: Job, other: Job) -> Diagnostic:
    return Diagnostic(
        job.pos,
        "duplicate-job",
        f"two jobs are named '{job.name}' (Jenkins names ignore case)",
        hint="rename one of them; generated jobs are named <component>-<step>",
        context=(f"the other one: {other.pos} (component {other.component})",),
    )


def check_calls(jobs: Sequence[Job]) -> list[Diagnostic]:
    """Every call names a job of the plan; the closest existing name is suggested."""
    known = {job.name for job in jobs if job.kind != "folder"}
    found = []
    for job in jobs:
        for call in job.calls:
            if call.target in known:
                continue
            close = closest(call.target, sorted(known))
            hint = f"did you mean '{close}'?" if close else "no job of that name is planned"
            found.append(
                Diagnostic(
                    call.pos,
                    "unknown-job",
                    f"'{job.name}' calls '{call.target}', which is not a job of this repository",
                    hint=hint,
                )
            )
    return found
