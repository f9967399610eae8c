"""Aliases: a job under an entry point's plain common name that runs its deployed version.

Callers outside jobgen (a platform application, a person) keep one name;
deploy re-points the alias to each new version and rollback points it back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobgen.plan.model import Job
from jobgen.plan.specs import Param, PipelineSpec, Retention, WorkerSpec
from jobgen.render.marker import Marker
from jobgen.render.model import RenderedAlias
from jobgen.render.stamp import stamp
from jobgen.render.templates import render_template

ALIAS_PREFIX = "[jobgen-alias]"
_LINE = re.compile(r"^\[jobgen-alias\] (?P<body>.*)$", re.MULTILINE)
_PAIR = re.compile(r"(\w+)=(\S*)")


@dataclass(frozen=True)
class AliasState:
    """What an alias on a master runs, what it ran before, and which deploy switched it."""

    target: str
    previous: str = ""
    deploy: str = ""


def alias_state(description: str | None) -> AliasState | None:
    """The alias line of a description, or None for a job that is not an alias."""
    match = _LINE.search(description or "")
    if match is None:
        return None
    pairs = dict(_PAIR.findall(match.group("body")))
    if "target" not in pairs:
        return None
    return AliasState(pairs["target"], pairs.get("previous", ""), pairs.get("deploy", ""))


def _alias_line(state: AliasState) -> str:
    line = f"{ALIAS_PREFIX} target={state.target}"
    if state.previous:
        line += f" previous={state.previous}"
    if state.deploy:
        line += f" deploy={state.deploy}"
    return line


def render_alias(
    job: Job, state: AliasState | str, owner: str, params: tuple[Param, ...] | None = None
) -> RenderedAlias:
    """The alias of `job` running `state.target` (a deployed version in the same folder).

    `params` default to the job's own; rollback passes those of the older version.
    """
    spec = job.spec
    assert isinstance(spec, PipelineSpec | WorkerSpec), f"{job.name} cannot have an alias"
    state = AliasState(state) if isinstance(state, str) else state
    return _render(job, state, owner, spec.params if params is None else params, spec.retention)


def _render(
    job: Job, state: AliasState, owner: str, params: tuple[Param, ...], retention: Retention
) -> RenderedAlias:
    target_full_name = state.target
    target = target_full_name.rpartition("/")[2]
    from_env = [p.name for p in params if p.type in ("node", "label")]
    script = render_template("alias.groovy.j2", name=job.name, target=target, from_env=from_env)
    description = f"Stable entry point of {job.name}: runs {target}."
    xml = render_template(
        "alias.xml.j2", description=description, params=params, retention=retention, script=script
    )
    full_name = f"{job.folder}/{job.name}" if job.folder else job.name
    marker = Marker(owner=owner, item=full_name, name=job.name, component=job.component)
    config, sha = stamp(xml, marker, extra=_alias_line(state))
    return RenderedAlias(job.name, job.component, full_name, target_full_name, config, sha)
