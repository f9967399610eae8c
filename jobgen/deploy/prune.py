"""Prune: which managed jobs are stale, decided from one listing.

A job goes when it is ours, not in the call closure of anything that can
still run (deploy/keep.py: the current set, what stable jobs run and ran just
before, what is building or queued), and has not run for `keep_days`; a
removed component's stable job goes once deploy disabled it.
Folders of ours go once nothing else is left in them.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from jobgen.deploy.client import MasterClient
from jobgen.deploy.discarded import undecidable
from jobgen.deploy.keep import ReadConfig, keep_set, removed_reason
from jobgen.deploy.listing import Listing, RemoteItem
from jobgen.render.model import Artifacts

DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class Stale:
    """A job prune would remove, and why."""

    full_name: str
    reason: str
    is_folder: bool = False
    disabled: bool = False  # already disabled: `prune --disable` has nothing to do


def stale_jobs(
    listing: Listing,
    current: Collection[str],
    owner: str,
    keep_days: float,
    now_ms: int,
    queued: Collection[str] = (),
    prefix: str = "",
    unsure: Collection[str] = (),
    read_config: ReadConfig | None = None,
) -> list[Stale]:
    """Everything prune may delete, deepest first so folders empty before they go.

    `current` and alias targets are full names below the target's root folder `prefix`.
    """
    current_full = {prefix + name for name in current}
    protected = keep_set(listing, owner, prefix, current_full, queued, read_config)
    protected |= {prefix.rstrip("/")} if prefix else set()
    protected |= set(unsure)  # a discarder removed the evidence of a possibly recent run
    stale = [
        Stale(item.full_name, reason, disabled=item.disabled)
        for item in listing.owned_by(owner)
        if not item.is_folder and item.full_name not in protected
        for reason in [removed_reason(item) or _why_stale(item, keep_days, now_ms, queued)]
        if reason
    ]
    gone = {s.full_name for s in stale}
    stale += _empty_folders(listing, owner, protected, gone)
    return sorted(stale, key=lambda s: (-s.full_name.count("/"), s.full_name))


def stale_on_master(
    client: MasterClient,
    artifacts: Artifacts,
    owner: str,
    keep_days: float,
    listing: Listing | None = None,
    now_ms: int | None = None,
) -> list[Stale]:
    """What prune would remove from `client`'s master now, given the compiled current set."""
    current = [j.full_name for j in artifacts.jobs] + [a.full_name for a in artifacts.aliases]
    now = int(time.time() * 1000) if now_ms is None else now_ms
    seen = client.listing() if listing is None else listing
    queued, prefix = client.queued(), client.prefix
    read = functools.cache(client.config)  # old versions without a calls line: read once
    candidates = stale_jobs(seen, current, owner, keep_days, now, queued, prefix, read_config=read)
    named = [seen.items[s.full_name] for s in candidates if s.full_name in seen.items]
    unsure = undecidable(named, keep_days, client.config)
    return stale_jobs(seen, current, owner, keep_days, now, queued, prefix, unsure, read)


def _why_stale(item: RemoteItem, keep_days: float, now_ms: int, queued: Collection[str]) -> str:
    if item.building or item.in_queue or item.full_name in queued:
        return ""
    if item.last_build_ms is None:
        if item.next_build is not None and item.next_build > 1:
            return "not in the current set, its builds discarded"
        return "not in the current set, never run"
    age_days = (now_ms - item.last_build_ms) / DAY_MS
    if age_days < keep_days:
        return ""
    return f"not in the current set, last run {age_days:.0f} days ago"


def _empty_folders(
    listing: Listing, owner: str, protected: set[str], gone: set[str]
) -> list[Stale]:
    children: Mapping[str, list[str]] = _children(listing)
    folders = []
    for item in listing.owned_by(owner):
        if not item.is_folder or item.full_name in protected:
            continue
        left = [c for c in children.get(item.full_name, []) if c not in gone]
        if not left:
            folders.append(Stale(item.full_name, "a component folder left empty", is_folder=True))
    return folders


def _children(listing: Listing) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for name in listing.items:
        parent = name.rpartition("/")[0]
        children.setdefault(parent, []).append(name)
    return children


def prune_actions(stale: Sequence[Stale], disable: bool) -> list[tuple[str, Stale]]:
    """What to do with each stale item: `delete`, or `disable` (folders and disabled jobs skip)."""
    if not disable:
        return [("delete", item) for item in stale]
    return [("disable", item) for item in stale if not item.is_folder and not item.disabled]
