"""The folder view a person opens first: the stable jobs and the versions they run now.

A list view (hudson.model.ListView) lists two kinds of items of the folder.
Its includeRegex takes every item whose name is not a version
(`{name}-v{N}-{hash}`): the stable jobs, whatever deploy adds or switches,
without anyone rewriting the folder's config.xml. Its jobNames name the
current versions: the versioned jobs of the folder that its stable jobs run,
with what those call in the folder (an orchestration and its workers), so a
person sees the chain a stable job starts and no older version. Versions are
per job, so they are named, not matched; deploy rewrites the folder when they
change, and rollback rewrites the view to what the stable jobs run after it
(jobgen/deploy/folders.py, jobgen/deploy/current_view.py).
ListView matches the whole name (Pattern.matcher(name).matches(), ListView.java:255).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from jobgen.plan.evolve import evolve
from jobgen.plan.model import Job
from jobgen.plan.specs import FolderSpec, WorkerSpec
from jobgen.plan.stable import StableJob

VIEW_NAME = "current"
# `-v{N}-{hash}` and `-v{N}-dirty{hash}` (jobgen/version/versioner.py) at the end of a name.
VERSIONED = r"-v[0-9]+-(dirty)?[0-9a-f]+"
STABLE_ONLY = rf"(?!.*{VERSIONED}$).+"


def is_listed(name: str) -> bool:
    """Whether the view's regex lists the job `name`, as Java's Pattern.matches would decide."""
    return re.fullmatch(STABLE_ONLY, name) is not None


def with_current(jobs: Sequence[Job], stable: Sequence[StableJob]) -> list[Job]:
    """`jobs` with each component folder's view naming the versions its stable jobs run."""
    calls: dict[str, dict[str, set[str]]] = defaultdict(dict)  # folder -> job -> callees
    for job in jobs:
        if job.versioned:
            calls[job.folder][job.name] = callees(job)
    roots: dict[str, list[str]] = defaultdict(list)
    for entry in stable:
        # A watcher starts stable entries of its own folder (plan/stable.py): theirs cover it.
        if entry.watch is None:
            roots[entry.folder].append(entry.runs)
    return [
        _named(job, closure(roots[job.name], calls[job.name]))
        if isinstance(job.spec, FolderSpec) and job.spec.current_view
        else job
        for job in jobs
    ]


def callees(job: Job) -> set[str]:
    """Common names of the jobs `job` may start: its calls (may_call included) and downstream."""
    names = {call.target for call in job.calls}
    if isinstance(job.spec, WorkerSpec):
        names |= set(job.spec.downstream)
    return names


def closure(roots: Iterable[str], calls: Mapping[str, Iterable[str]]) -> set[str]:
    """`roots` and what they call, transitively, among the jobs of one folder (`calls`' keys).

    `calls` maps each job of the folder to what it calls; a name outside it (another
    folder's job) is neither listed nor followed: the view shows its own folder only.
    Rollback follows the same rule over the master's calls lines (deploy/current_view.py).
    """
    seen: set[str] = set()
    stack = [name for name in roots if name in calls]
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(n for n in calls[name] if n in calls and n not in seen)
    return seen


def _named(folder: Job, current: set[str]) -> Job:
    assert isinstance(folder.spec, FolderSpec)
    spec = evolve(folder.spec, current=tuple(sorted(current)))
    return evolve(folder, spec=spec)
