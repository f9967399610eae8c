"""Rollback: point the stable jobs switched by the last deploy back at what they ran before,
and each folder's `current` view at those versions (deploy/current_view.py)."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from jobgen.deploy.canonical import canonical
from jobgen.deploy.client import MasterClient
from jobgen.deploy.current_view import rewrite_views
from jobgen.deploy.deploy_ids import deploy_id
from jobgen.deploy.parameters_xml import declared_parameters
from jobgen.plan.specs import Param
from jobgen.render.aliases import AliasState, alias_state, render_alias
from jobgen.render.model import Artifacts


class RollbackError(Exception):
    """Rollback cannot be done; the message says why."""


class NothingToRollBack(RollbackError):
    """The master holds nothing to roll back: not a failure, the command says so and exits 0."""


@dataclass(frozen=True)
class Rollback:
    """An alias and the version it is pointed back to."""

    alias: str
    target: str


def rollback(artifacts: Artifacts, client: MasterClient, owner: str) -> list[Rollback]:
    """Re-point every alias of the newest deploy to its previous target; return what moved."""
    prefix = client.prefix
    jobs = {alias.name: alias.stable for alias in artifacts.aliases if alias.stable}
    switched = []
    listing = client.listing()
    for item in listing.owned_by(owner):
        state = alias_state(item.description)
        if state and item.marker and item.marker.name in jobs:
            switched.append((item.full_name, item.marker.name, state))
    if not switched:
        raise NothingToRollBack("no aliases of this repository on the master: nothing to roll back")
    newest = max(state.deploy for _, _, state in switched)
    moves = [(f, n, s) for f, n, s in switched if s.deploy == newest and s.previous]
    if not moves:
        raise NothingToRollBack(
            "the last deploy recorded no previous versions: nothing to roll back"
        )
    stamp = deploy_id()
    done = []
    for full_name, name, state in moves:
        stable = jobs[name]
        assert stable is not None
        # An entry takes the older version's parameters; a watcher starts a stable entry.
        params = None if stable.watch else _entry_params(client.config(prefix + state.previous))
        back = AliasState(state.previous, state.target, stamp)
        alias = render_alias(stable, back, owner, params)
        client.reconfigure(full_name, alias.config_xml)
        done.append(Rollback(full_name, state.previous))
    # Then each folder's view, as deploy refreshes it after the switch: what the jobs run now.
    moved = {r.alias: r.target for r in done}
    runs = {full_name: moved.get(full_name, now.target) for full_name, _, now in switched}
    rewrite_views(client, listing, owner, artifacts, runs, moved)
    return done


def _entry_params(config: str | bytes) -> tuple[Param, ...]:
    """The older version's parameters a person gives; the stable job sets JOBGEN_* itself."""
    return tuple(p for p in parameters(config) if not p.name.startswith("JOBGEN_"))


def parameters(config: str | bytes) -> tuple[Param, ...]:
    """The parameters a config.xml declares, typed, as the alias must declare them too."""
    return declared_parameters(etree.fromstring(canonical(config).encode("utf-8")))
