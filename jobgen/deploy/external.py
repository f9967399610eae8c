"""Deploy checks that the jobs jobgen does not manage, but calls, exist on the master.

`external_jobs:` in jobgen.yaml names them; the orchestrations that call
them (Job.external) call them by their real full name. Without a target root
folder the one listing deploy reads already holds them; under a root folder
(or deeper than the listing reaches) each is looked up by name.
"""

from __future__ import annotations

from collections.abc import Iterable

from jobgen.deploy.client import MasterClient, NotFound
from jobgen.deploy.listing import Listing
from jobgen.render.model import Artifacts

LISTED_LEVELS = 4  # the depth of deploy's listing (MasterClient.listing)


def called_external_jobs(artifacts: Artifacts) -> list[str]:
    """The full names of external jobs the compiled jobs call, sorted."""
    return sorted({name for job in artifacts.jobs for name in job.job.external})


def missing_external_jobs(
    names: Iterable[str], client: MasterClient, listing: Listing
) -> list[str]:
    """Those of `names` the master does not hold."""
    return [name for name in names if not _exists(name, client, listing)]


def _exists(name: str, client: MasterClient, listing: Listing) -> bool:
    if not client.prefix and name.count("/") < LISTED_LEVELS:
        return name in listing.items
    try:
        client.config(name)
    except NotFound:
        return False
    return True
