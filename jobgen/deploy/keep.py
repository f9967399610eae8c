"""What prune must keep: the whole call closure of everything that can still run.

Roots are the compiled current set, every stable job that can run (compiled,
or still enabled) with the version it runs and the one it ran just before
(rollback's target), and every job building or queued. From each root prune
follows calls transitively: a versioned job names its callees on its calls
line (render/calls.py); a job deployed before that line existed has its
config read and every job of ours it mentions kept, which keeps too much
rather than too little.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from jobgen.deploy.listing import Listing, RemoteItem
from jobgen.render.aliases import alias_state
from jobgen.render.calls import parse_calls

ReadConfig = Callable[[str], str]


def keep_set(
    listing: Listing,
    owner: str,
    prefix: str,
    current: Collection[str],
    queued: Collection[str] = (),
    read_config: ReadConfig | None = None,
) -> set[str]:
    """Full names prune must not delete; `current` is already prefixed."""
    roots = set(current)
    owned = [item for item in listing.owned_by(owner) if not item.is_folder]
    for item in owned:
        if item.building or item.in_queue or item.full_name in queued:
            roots.add(item.full_name)
        state = alias_state(item.description)
        if state and (item.full_name in current or not item.disabled):
            roots.add(item.full_name)
            roots |= {prefix + name for name in (state.target, state.previous) if name}
    return _closure(roots, listing, owned, prefix, read_config)


def removed_reason(item: RemoteItem) -> str:
    """Why a stable job that is not compiled any more goes now: deploy disabled it."""
    if item.disabled and alias_state(item.description) is not None:
        return "a removed component's stable job, disabled by deploy"
    return ""


def _closure(
    roots: set[str],
    listing: Listing,
    owned: list[RemoteItem],
    prefix: str,
    read_config: ReadConfig | None,
) -> set[str]:
    seen: set[str] = set()
    stack = sorted(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        item = listing.items.get(name)
        if item is None or item.is_folder:
            continue
        stack.extend(n for n in _callees(item, owned, prefix, read_config) if n not in seen)
    return seen


def _callees(
    item: RemoteItem, owned: list[RemoteItem], prefix: str, read_config: ReadConfig | None
) -> list[str]:
    calls = parse_calls(item.description)
    if calls is not None:
        return [prefix + name for name in calls]
    if alias_state(item.description) is not None or read_config is None:
        return []  # a stable job's callees are its state's target and previous
    text = read_config(item.full_name)
    return [other.full_name for other in owned if other.full_name.rpartition("/")[2] in text]
