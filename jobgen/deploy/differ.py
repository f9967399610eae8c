"""The dry run: what deploy and prune would do, and which managed jobs have drifted.

Drift is found two ways: a content hash in the listing that differs from
the compiled one, and (reading each existing job's config.xml) a config
edited on the master since it was deployed. Both sides are canonicalised
first, so a config Jenkins merely re-saved is not drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from jobgen.deploy.changes import compare
from jobgen.deploy.client import MasterClient
from jobgen.deploy.drift import Drift, find_drift
from jobgen.deploy.prune import Stale, stale_on_master
from jobgen.deploy.replaced import Replacement, replacements
from jobgen.deploy.switch import plan_switches
from jobgen.render.model import Artifacts


@dataclass(frozen=True)
class DryRun:
    """Everything deploy and prune would change."""

    create: tuple[str, ...]
    drifted: tuple[Drift, ...]
    conflicts: tuple[str, ...]
    aliases: tuple[str, ...]  # aliases deploy would create or re-point
    delete: tuple[Stale, ...]
    replaced: tuple[Replacement, ...] = ()  # new versions, diffed with the ones they replace

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
    drifts = find_drift(client, changes.unchanged + changes.drifted, prefix, workers)
    # What deploy's last step would write, as deploy itself decides it (deploy/switch.py).
    switches = plan_switches(artifacts, listing, owner, prefix)
    aliases = [s.alias.full_name for s in switches.switch]
    aliases += [*switches.conflicts, *switches.removed]
    stale = stale_on_master(client, artifacts, owner, keep_days, listing)
    return DryRun(
        create=tuple(j.full_name for j in changes.create),
        drifted=tuple(drifts),
        conflicts=tuple(j.full_name for j in changes.conflicts),
        aliases=tuple(aliases),
        delete=tuple(stale),
        replaced=tuple(replacements(client, listing, changes.create, owner, workers)),
    )
