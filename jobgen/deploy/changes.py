"""What a deploy would change: compiled jobs compared with one listing of the master.

A versioned name is immutable: present with the same content hash means
done, present with another hash means drift, and an item of that name that
jobgen did not create (or another repository owns) is a conflict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jobgen.deploy.listing import Listing
from jobgen.render.model import RenderedJob


@dataclass(frozen=True)
class Changes:
    """The compiled jobs sorted into what deploy does with each."""

    create: tuple[RenderedJob, ...]
    unchanged: tuple[RenderedJob, ...]
    drifted: tuple[RenderedJob, ...]  # ours, same name, different content hash
    conflicts: tuple[RenderedJob, ...]  # the name is taken by an item we do not own


def compare(jobs: Sequence[RenderedJob], listing: Listing, owner: str, prefix: str) -> Changes:
    """Sort every compiled job by what the master already has under its full name."""
    create, unchanged, drifted, conflicts = [], [], [], []
    for job in jobs:
        remote = listing.items.get(prefix + job.full_name)
        if remote is None:
            create.append(job)
        elif not listing.ours(remote, owner) or remote.marker.name != job.job.name:  # type: ignore[union-attr]
            conflicts.append(job)
        elif job.job.kind == "folder" or remote.marker.sha256 == job.config_sha256:  # type: ignore[union-attr]
            unchanged.append(job)
        else:
            drifted.append(job)
    return Changes(tuple(create), tuple(unchanged), tuple(drifted), tuple(conflicts))


def creation_waves(jobs: Sequence[RenderedJob]) -> list[list[RenderedJob]]:
    """Folders first, then callees before callers: each wave only calls jobs of earlier waves.

    Jobs of one wave can be created concurrently. A cycle (which validate
    rejects) would leave jobs over; they go in a last wave rather than be lost.
    """
    pending = {job.job.name: job for job in jobs}
    waves: list[list[RenderedJob]] = []
    folders = [job for job in jobs if job.job.kind == "folder"]
    if folders:
        waves.append(folders)
        for job in folders:
            del pending[job.job.name]
    while pending:
        ready = [
            job
            for job in pending.values()
            if not any(call.target in pending for call in job.job.calls)
        ]
        if not ready:
            ready = list(pending.values())
        waves.append(sorted(ready, key=lambda job: job.job.name))
        for job in ready:
            del pending[job.job.name]
    return waves
