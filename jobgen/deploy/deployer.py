"""Deploy: create what the master lacks, folders first and callees before callers.

The steps are ordered so that a crash at any point leaves the master usable
and the next run finishes the work: nothing existing is changed until every
check passed, versioned jobs are only ever created (never edited), and the
aliases that callers use are switched last.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from jobgen.deploy.changes import Changes, compare, creation_waves
from jobgen.deploy.client import AlreadyExists, MasterClient
from jobgen.deploy.deploy_ids import alias_set_key, switch_id
from jobgen.deploy.drift import find_drift
from jobgen.deploy.external import called_external_jobs, missing_external_jobs
from jobgen.deploy.folders import refresh_folders, stale_folders
from jobgen.deploy.listing import Listing
from jobgen.deploy.plugins import missing_plugins
from jobgen.deploy.progress import Progress
from jobgen.deploy.switch import Switches, apply_switches, plan_switches
from jobgen.render.model import Artifacts, RenderedJob
from jobgen.render.renderer import render_root_folder


class DeployError(Exception):
    """Deploy stopped before changing anything; the message says why and how to go on."""


@dataclass(frozen=True)
class DeployReport:
    """What one deploy did."""

    created: tuple[str, ...]
    recreated: tuple[str, ...]
    unchanged: int
    aliases: tuple[str, ...]  # stable jobs created or switched
    writes: int
    verified: bool = False  # every existing config read; False: the listing's hashes trusted
    disabled: tuple[str, ...] = ()  # stable jobs of removed components


def deploy(
    artifacts: Artifacts,
    client: MasterClient,
    owner: str,
    *,
    force: bool = False,
    verify: bool = False,
    workers: int = 8,
    check_plugins: bool = True,
) -> DeployReport:
    """Make the master hold every compiled job; return what was done.

    By default an existing job is judged by the content hash its marker records
    (one listing request). `verify` (and `force`, which must repair what `diff`
    reports) reads every existing config as `diff` does, so a hand edit on the
    master is drift: refused, or with `force` recreated.

    `check_plugins=False` (`--skip-plugin-check`) trusts the master to have the plugins: reading
    its list needs Overall/SystemRead, which a deploy account may lack.
    """
    if check_plugins:
        _check_plugins(artifacts, client)
    listing = client.listing()
    _check_external_jobs(artifacts, client, listing)
    prefix = client.prefix
    changes = compare(artifacts.jobs, listing, owner, prefix)
    verified = verify or force
    if verified:
        existing = changes.unchanged + changes.drifted
        drifted = tuple(d.job for d in find_drift(client, existing, prefix, workers))
        names = {j.full_name for j in drifted}
        unchanged = tuple(j for j in existing if j.full_name not in names)
        changes = dataclasses.replace(changes, unchanged=unchanged, drifted=drifted)
    switches = plan_switches(artifacts, listing, owner, prefix)
    _refuse_unsafe(changes, force)
    _refuse_stable_conflicts(switches)
    _ensure_root(client, listing, owner)
    created = _create(client, changes.create, prefix, workers)
    recreated = _recreate(client, changes.drifted, prefix, workers) if force else ()
    stamp = switch_id(listing, owner, alias_set_key(artifacts))
    switched = apply_switches(client, switches, prefix, owner, stamp)
    # Folders (already checked as ours by compare) take their new description and view,
    # whose names are the versions the stable jobs run: after the switch, so a refreshed
    # view never names versions nothing runs yet; a deploy stopped before this rewrites
    # them when run again (the folder's recorded hash still differs from the compiled one).
    refresh_folders(client, stale_folders(changes.unchanged, listing, prefix), prefix)
    return DeployReport(
        created=created,
        recreated=recreated,
        unchanged=len(changes.unchanged),
        aliases=switched,
        writes=client.writes,
        verified=verified,
        disabled=switches.removed,
    )


def _check_plugins(artifacts: Artifacts, client: MasterClient) -> None:
    needed = {plugin for job in artifacts.jobs for plugin in job.plugins}
    needed |= {plugin for alias in artifacts.aliases for plugin in alias.plugins}
    missing = missing_plugins(needed, client.plugins())
    if missing:
        raise DeployError(
            "the master lacks plugins the jobs need (nothing was changed): "
            + ", ".join(missing)
            + "\n    install or update them on the master, then deploy again"
        )


def _check_external_jobs(artifacts: Artifacts, client: MasterClient, listing: Listing) -> None:
    missing = missing_external_jobs(called_external_jobs(artifacts), client, listing)
    if missing:
        raise DeployError(
            "jobs named under external_jobs: in jobgen.yaml and called by orchestrations are "
            "missing on the master (nothing was changed): "
            + ", ".join(missing)
            + "\n    create them there (jobgen does not manage them), or fix the names"
        )


def _refuse_unsafe(changes: Changes, force: bool) -> None:
    if changes.conflicts:
        names = ", ".join(job.full_name for job in changes.conflicts)
        raise DeployError(
            f"items jobgen did not create (or another repository owns) hold these names: {names}"
            "\n    nothing was changed; rename or remove those items on the master"
        )
    if changes.drifted and not force:
        names = ", ".join(job.full_name for job in changes.drifted)
        raise DeployError(
            f"drift: these versioned jobs differ from what this commit compiles to: {names}"
            "\n    nothing was changed; see `jobgen diff`, then deploy with --force to recreate"
        )


def _refuse_stable_conflicts(switches: Switches) -> None:
    if switches.conflicts:
        raise DeployError(
            "items jobgen did not create hold the names of entry points: "
            + ", ".join(switches.conflicts)
            + "\n    nothing was changed; rename or remove those items on the master"
        )


def _ensure_root(client: MasterClient, listing: Listing, owner: str) -> None:
    folder = client.target.folder
    if not folder or folder in listing.items:
        return
    parent = ""
    for part in folder.split("/"):
        parent = f"{parent}/{part}" if parent else part
        if parent not in listing.items:
            config = render_root_folder(owner, parent)
            _tolerate_existing(partial(client.create, parent, config))


def _create(
    client: MasterClient, jobs: Sequence[RenderedJob], prefix: str, workers: int
) -> tuple[str, ...]:
    if not jobs:
        return ()
    progress = Progress(len(jobs), "creating")

    def create(job: RenderedJob) -> None:
        # Created by an earlier attempt whose answer was lost: same name, same bytes.
        _tolerate_existing(lambda: client.create(prefix + job.full_name, job.config_xml))
        progress.advance()

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for wave in creation_waves(jobs):
            list(pool.map(create, wave))  # a wave only calls jobs of earlier waves
    return tuple(job.full_name for job in jobs)


def _recreate(
    client: MasterClient, jobs: Sequence[RenderedJob], prefix: str, workers: int
) -> tuple[str, ...]:
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(lambda j: client.reconfigure(prefix + j.full_name, j.config_xml), jobs))
    return tuple(job.full_name for job in jobs)


def _tolerate_existing(action: Callable[[], None]) -> None:
    with contextlib.suppress(AlreadyExists):
        action()
