"""What a new version changes: the config of the version it replaces, diffed with the new one.

A versioned name is new with every change, so without this `diff` could only
say "create X-v4"; a reviewer wants the lines that changed. The old version
is the one the job's alias runs now, else the highest version of the same
common name of ours in the same folder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from jobgen.deploy.canonical import unified
from jobgen.deploy.client import MasterClient
from jobgen.deploy.listing import Listing, RemoteItem
from jobgen.render.aliases import alias_state
from jobgen.render.model import RenderedJob

_VERSION = re.compile(r"-v(?P<number>\d+)-[^-/]+$")


@dataclass(frozen=True)
class Replacement:
    """A job to create, the version of it on the master it replaces, and the diff between."""

    full_name: str
    replaces: str
    diff: str


def replacements(
    client: MasterClient,
    listing: Listing,
    creating: Sequence[RenderedJob],
    owner: str,
    workers: int = 8,
) -> list[Replacement]:
    """For each job to create that replaces a version of ours on the master, the diff."""
    olds = _current_versions(listing, owner)
    pairs = [
        (job, olds[key]) for job in creating if (key := _key(job.full_name, job.job.name)) in olds
    ]

    def one(pair: tuple[RenderedJob, str]) -> Replacement:
        job, old = pair
        remote = client.config(listing.prefix + old)
        return Replacement(job.full_name, old, unified(old, remote, job.config_xml))

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(one, pairs))


def _key(full_name: str, name: str) -> tuple[str, str]:
    return (full_name.rpartition("/")[0], name)


def _current_versions(listing: Listing, owner: str) -> dict[tuple[str, str], str]:
    """(folder, common name) -> full name below the root of the version in use now."""
    newest: dict[tuple[str, str], tuple[int, str]] = {}
    running: dict[tuple[str, str], str] = {}
    for item in listing.owned_by(owner):
        relative = item.full_name.removeprefix(listing.prefix)
        if item.is_folder or item.marker is None:
            continue
        key = _key(relative, item.marker.name)
        state = alias_state(item.description)
        if state is not None:
            running[key] = state.target
            continue
        number = _number(item)
        if number > newest.get(key, (-1, ""))[0]:
            newest[key] = (number, relative)
    found = {key: name for key, (_, name) in newest.items()}
    # The alias's target, where it still exists as a version of ours.
    found.update({key: target for key, target in running.items() if _ours(listing, owner, target)})
    return found


def _number(item: RemoteItem) -> int:
    match = _VERSION.search(item.full_name)
    return int(match.group("number")) if match else 0


def _ours(listing: Listing, owner: str, relative: str) -> bool:
    item = listing.items.get(listing.prefix + relative)
    return item is not None and listing.ours(item, owner)
