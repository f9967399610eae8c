"""Calls to jobs jobgen does not manage (`external_jobs:` in jobgen.yaml).

Jenkins' `build job: 'legacy/deploy-db'` looks the name up relative to the
calling job's folder, then falls back to the full name (Jenkins.getItem;
docs/jenkins-facts.md), and a leading `/` makes it absolute. Such a call is
taken out of the job's calls: it is never rewritten to a versioned name,
never checked against the plan, and never part of a version closure; the job
depends on `external_jobs:` instead, and deploy checks the job exists.
"""

from __future__ import annotations

from collections.abc import Sequence

from jobgen.load.model import Repo
from jobgen.plan.evolve import evolve
from jobgen.plan.model import Job
from jobgen.plan.settings_inputs import section_input

EXTERNAL_INPUT = section_input("external_jobs")


def external_name(target: str) -> str:
    """A call's job name as listed in `external_jobs:` (absolute or not, the same job)."""
    return target.strip("/")


def without_external_calls(jobs: Sequence[Job], repo: Repo) -> list[Job]:
    """The jobs with their calls to external jobs left out, depending on `external_jobs:`."""
    external = {name.value for name in repo.external_jobs}
    if not external:
        return list(jobs)
    found = []
    for job in jobs:
        kept = tuple(c for c in job.calls if external_name(c.target) not in external)
        if len(kept) == len(job.calls):
            found.append(job)
            continue
        inputs = tuple(sorted({*job.inputs, EXTERNAL_INPUT}))
        called = sorted({external_name(c.target) for c in job.calls} & external)
        found.append(evolve(job, calls=kept, inputs=inputs, external=tuple(called)))
    return found
