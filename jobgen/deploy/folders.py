"""Component folders whose compiled config changed: rewritten in place, children untouched.

A folder is not a versioned job: it keeps its plain name and holds every
version. What it carries (its description, its default `current` view of the
stable jobs and the versions they run: jobgen/plan/views.py) changes with each
new version and with jobgen, so a managed folder whose recorded content hash
differs from the compiled one gets its config.xml POSTed again, which Jenkins
applies to the folder alone (AbstractFolder keeps its items). Deploy does it
after the switch; rollback writes the view it leaves (deploy/current_view.py).
Drift in a folder is not refused: nothing in it runs.
"""

from __future__ import annotations

from collections.abc import Sequence

from jobgen.deploy.client import MasterClient
from jobgen.deploy.listing import Listing
from jobgen.render.model import RenderedJob


def stale_folders(
    jobs: Sequence[RenderedJob], listing: Listing, prefix: str
) -> tuple[RenderedJob, ...]:
    """Managed folders already on the master whose marker records other content."""
    stale = []
    for job in jobs:
        remote = listing.items.get(prefix + job.full_name)
        if job.job.kind != "folder" or remote is None or remote.marker is None:
            continue
        if remote.marker.sha256 != job.config_sha256:
            stale.append(job)
    return tuple(stale)


def refresh_folders(client: MasterClient, folders: Sequence[RenderedJob], prefix: str) -> None:
    """POST each folder's compiled config.xml over the one on the master."""
    for folder in folders:
        client.reconfigure(prefix + folder.full_name, folder.config_xml)
