"""Deploy ids: which aliases one deploy switched, kept across an interrupted and resumed deploy.

Every alias records the id of the deploy that last switched it, and rollback
moves back exactly the aliases of the newest id. A deploy killed halfway and
run again must therefore switch its remaining aliases under the id of the
first attempt, or rollback would move back only the second attempt's share
and leave the rest forward: two releases at once.

An id is the UTC time its deploy began switching, then a key of the whole
compiled set of alias targets. A deploy whose set is the one the newest id
on the master was switching continues that id; any other deploy (another
commit, or the same commit again after a rollback) starts a new one.
"""

from __future__ import annotations

import hashlib
import time

from jobgen.deploy.listing import Listing
from jobgen.render.aliases import alias_state
from jobgen.render.model import Artifacts


def deploy_id() -> str:
    """When aliases were switched, sortable as text: UTC time to the microsecond."""
    now = time.time_ns() // 1000
    return (
        time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 1_000_000)) + f".{now % 1_000_000:06d}Z"
    )


def alias_set_key(artifacts: Artifacts) -> str:
    """A short key of every compiled alias and the version it runs."""
    pairs = sorted(f"{alias.full_name}={alias.target}" for alias in artifacts.aliases)
    return hashlib.sha256("\n".join(pairs).encode()).hexdigest()[:12]


def switch_id(listing: Listing, owner: str, set_key: str) -> str:
    """The id this deploy's alias switches record: the newest one when it is this set's."""
    newest = max(
        (
            state.deploy
            for item in listing.owned_by(owner)
            if (state := alias_state(item.description)) is not None
        ),
        default="",
    )
    if newest.endswith(f"-{set_key}"):
        return newest  # the same deploy, resumed
    return f"{deploy_id()}-{set_key}"
