"""Switching stable jobs: the last step of a deploy, all together (docs/deploy.md).

A stable job is rewritten when the version it runs changed or its own content
did (a schedule, a watched path, who hears of failures); its builds stay, so
history, "fixed" detection and a watcher's polling baseline carry over. The
stable jobs of a component no longer compiled are disabled (they keep their
history until a later prune deletes them with what they call).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

from jobgen.deploy.client import AlreadyExists, MasterClient
from jobgen.deploy.listing import Listing
from jobgen.render.aliases import AliasState, alias_state, render_alias
from jobgen.render.model import Artifacts, RenderedAlias


@dataclass(frozen=True)
class Switch:
    """A stable job to create or rewrite, and the state it has on the master now."""

    alias: RenderedAlias
    current: AliasState | None  # None: it does not exist yet


@dataclass(frozen=True)
class Switches:
    """What the last step of a deploy will do."""

    switch: tuple[Switch, ...]
    conflicts: tuple[str, ...]  # items jobgen did not create under a stable job's name
    removed: tuple[str, ...]  # enabled stable jobs of ours that nothing compiles any more


def plan_switches(artifacts: Artifacts, listing: Listing, owner: str, prefix: str) -> Switches:
    """Compare the compiled stable jobs with the listing; nothing is written."""
    switches, conflicts = [], []
    for alias in artifacts.aliases:
        remote = listing.items.get(prefix + alias.full_name)
        if remote is None:
            switches.append(Switch(alias, None))
            continue
        state = alias_state(remote.description)
        if not listing.ours(remote, owner) or state is None:
            conflicts.append(alias.full_name)
        elif state.target != alias.target or state.content != alias.content or remote.disabled:
            switches.append(Switch(alias, state))
    return Switches(
        tuple(switches), tuple(conflicts), removed_stable(artifacts, listing, owner, prefix)
    )


def removed_stable(
    artifacts: Artifacts, listing: Listing, owner: str, prefix: str
) -> tuple[str, ...]:
    """Full names of our enabled stable jobs that are not compiled any more."""
    compiled = {prefix + alias.full_name for alias in artifacts.aliases}
    return tuple(
        sorted(
            item.full_name
            for item in listing.owned_by(owner)
            if not item.is_folder
            and not item.disabled
            and alias_state(item.description) is not None
            and item.full_name not in compiled
        )
    )


def apply_switches(
    client: MasterClient, switches: Switches, prefix: str, owner: str, stamp: str
) -> tuple[str, ...]:
    """Every stable job in one quick pass, each recording what it ran before; then the removed."""
    for switch in switches.switch:
        current = switch.current
        previous = current.target if current else ""
        state = AliasState(switch.alias.target, previous, stamp)
        assert switch.alias.stable is not None
        alias = render_alias(switch.alias.stable, state, owner)
        if current is None:
            with contextlib.suppress(AlreadyExists):  # created by a crashed earlier attempt
                client.create(prefix + alias.full_name, alias.config_xml)
        else:
            client.reconfigure(prefix + alias.full_name, alias.config_xml)
    disable_all(client, switches.removed)
    return tuple(switch.alias.full_name for switch in switches.switch)


def disable_all(client: MasterClient, full_names: Sequence[str]) -> None:
    """Disable stable jobs of removed components: no trigger fires, nobody starts them."""
    for full_name in full_names:
        client.disable(full_name)
