"""Drift: a managed job whose config on the master is not what this commit compiles to.

One definition for `diff`, `deploy --verify` and `deploy --force`: each
existing versioned job's config.xml is read and compared with the compiled
bytes, both canonical, so a config Jenkins merely re-saved is not drift and
a hand edit on the master is, whatever hash its marker records.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from jobgen.deploy.canonical import canonical, unified
from jobgen.deploy.client import MasterClient
from jobgen.render.model import RenderedJob


@dataclass(frozen=True)
class Drift:
    """A drifted job, and the unified diff from the master's config to the compiled one."""

    job: RenderedJob
    diff: str

    @property
    def full_name(self) -> str:
        """The job's full name below the target's root folder."""
        return self.job.full_name


def find_drift(
    client: MasterClient, jobs: Sequence[RenderedJob], prefix: str, workers: int = 8
) -> list[Drift]:
    """Every job of `jobs` (present on the master) whose config differs; sorted by name."""
    existing = [job for job in jobs if job.job.kind != "folder"]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        drifts = [d for d in pool.map(lambda j: _drift(client, j, prefix), existing) if d]
    return sorted(drifts, key=lambda d: d.full_name)


def _drift(client: MasterClient, job: RenderedJob, prefix: str) -> Drift | None:
    remote = client.config(prefix + job.full_name)
    if canonical(remote) == canonical(job.config_xml):
        return None
    return Drift(job, unified(job.full_name, remote, job.config_xml))
