"""The dry run: what deploy and prune would do, and which managed jobs have drifted.

Drift is found two ways: a content hash in the listing that differs from
the compiled one, and (reading each existing job's config.xml) a config
edited on the master since it was deployed. Both sides are canonicalised
first, so a config Jenkins merely re-saved is not drift.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from jobgen.deploy.canonical import canonical, unified
from jobgen.deploy.changes import compare
from jobgen.deploy.client import MasterClient
from jobgen.deploy.listing import Listing
from jobgen.deploy.prune import Stale, stale_on_master
from jobgen.render.aliases import alias_state
from jobgen.render.model import Artifacts, RenderedJob


@dataclass(frozen=True)
class Drift:
    """A managed job whose config on the master is not what this commit compiles to."""

    full_name: str
    diff: str


@dataclass(frozen=True)
class DryRun:
    """Everything deploy and prune would change."""

    create: tuple[str, ...]
    drifted: tuple[Drift, ...]
    conflicts: tuple[str, ...]
    aliases: tuple[str, ...]  # aliases deploy would create or re-point
    delete: tuple[Stale, ...]

    @property
    def empty(self) -> bool:
        """True when deploy and prune would change nothing."""
        return not (self.create or self.drifted or self.conflicts or self.aliases or self.delete)


def dry_run(
    artifacts: Artifacts, client: MasterClient, owner: str, keep_days: float, workers: int = 8
) -> DryRun:
    """Compare the compiled jobs with the master without writing anything."""
    listing = client.listing()
    prefix = client.prefix
    changes = compare(artifacts.jobs, listing, owner, prefix)
    existing = [j for j in changes.unchanged + changes.drifted if j.job.kind != "folder"]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        drifts = [d for d in pool.map(lambda j: _drift(client, j, prefix), existing) if d]
    aliases = [
        alias.full_name
        for alias in artifacts.aliases
        if (state := alias_state(_description(listing, prefix + alias.full_name))) is None
        or state.target != alias.target
    ]
    stale = stale_on_master(client, artifacts, owner, keep_days, listing)
    return DryRun(
        create=tuple(j.full_name for j in changes.create),
        drifted=tuple(sorted(drifts, key=lambda d: d.full_name)),
        conflicts=tuple(j.full_name for j in changes.conflicts),
        aliases=tuple(aliases),
        delete=tuple(stale),
    )


def _description(listing: Listing, full_name: str) -> str | None:
    item = listing.items.get(full_name)
    return item.description if item else None


def _drift(client: MasterClient, job: RenderedJob, prefix: str) -> Drift | None:
    remote = client.config(prefix + job.full_name)
    if canonical(remote) == canonical(job.config_xml):
        return None
    return Drift(job.full_name, unified(job.full_name, remote, job.config_xml))
