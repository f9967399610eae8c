"""Stable jobs rendered: entries that run a deployed version, and watchers (plan/stable.py).

Callers outside jobgen (a platform application, a person, a trigger) keep one
name; deploy re-points a stable job to each new version and rollback points it
back. The state line in its description says what it runs, what it ran
before, which deploy switched it, and a hash of its content without that line
(so deploy also rewrites a stable job whose schedule or watch changed).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from jobgen.plan.model import Job
from jobgen.plan.specs import Param, Retention
from jobgen.plan.stable import StableJob
from jobgen.render.escape import comment_text, groovy_string
from jobgen.render.marker import Marker
from jobgen.render.model import RenderedAlias
from jobgen.render.paths import relative_name
from jobgen.render.plugins import pinned, plugins_for
from jobgen.render.stamp import RenderError, placed_script, stamp, template_text, with_script
from jobgen.render.templates import render_template
from jobgen.render.worker_xml import worker_xml

ALIAS_PREFIX = "[jobgen-alias]"
# The description an entry's shared config is rendered with (`_entry_config`), and that
# element as the template writes it: plain text is written as it is. The name and target
# its shared script is rendered with too (`_entry_script`).
_SENTINEL = "jobgen-entry-description"
_DESCRIBED = f"<description>{_SENTINEL}</description>"
_LINE = re.compile(r"^\[jobgen-alias\] (?P<body>.*)$", re.MULTILINE)
_PAIR = re.compile(r"(\w+)=(\S*)")


@dataclass(frozen=True)
class AliasState:
    """What a stable job runs, what it ran before, which deploy switched it, its content."""

    target: str
    previous: str = ""
    deploy: str = ""
    content: str = ""


def alias_state(description: str | None) -> AliasState | None:
    """The state line of a description, or None for a job that is not a stable job."""
    match = _LINE.search(description or "")
    if match is None:
        return None
    pairs = dict(_PAIR.findall(match.group("body")))
    if "target" not in pairs:
        return None
    return AliasState(
        pairs["target"],
        pairs.get("previous", ""),
        pairs.get("deploy", ""),
        pairs.get("content", ""),
    )


def _alias_line(state: AliasState) -> str:
    line = f"{ALIAS_PREFIX} target={state.target}"
    for key in ("previous", "deploy", "content"):
        value = getattr(state, key)
        if value:
            line += f" {key}={value}"
    return line


def stable_targets(stable: Sequence[StableJob], full_names: Mapping[str, str]) -> list[str]:
    """The full name each stable job runs: an entry its deployed version, a watcher the
    stable entry it starts (looked up in one table: a scan per watcher was quadratic)."""
    entries = {s.name: s.full_name for s in stable if s.watch is None}
    return [full_names[s.runs] if s.watch is None else entries[s.runs] for s in stable]


def render_alias(
    job: StableJob,
    state: AliasState | str,
    owner: str,
    params: tuple[Param, ...] | None = None,
) -> RenderedAlias:
    """`job` running `state.target`; `params` default to its own (rollback: the older version's)."""
    state = AliasState(state) if isinstance(state, str) else state
    xml, script, slot = _xml(job, state.target, job.params if params is None else params)
    placed = placed_script(script)  # escaped once, for the content hash and the stamp
    content = _content(xml, script, placed, job.name, slot)
    state = AliasState(state.target, state.previous, state.deploy, content)
    marker = Marker(owner=owner, item=job.full_name, name=job.name, component=job.component)
    line = _alias_line(state)
    config, sha = stamp(xml, marker, line, script=script, slot=slot, placed=placed)
    plugins = _watcher_plugins(job) if job.watch else _entry_plugins(job)
    return RenderedAlias(
        job.name, job.component, job.full_name, state.target, config, sha, job, content, plugins
    )


def _content(xml: str, script: str, placed: bytes | None, name: str, slot: str) -> str:
    """A hash of the config as its template writes it, the script (a watcher's command) in
    it (`with_script`): deployed masters hold it, so what it hashes never changes, or the
    next deploy would rewrite every stable job. Hashed in pieces, from the script as stamp
    places it: the template escapes the same and quotes too (markupsafe: &#34; and &#39;).
    """
    if placed is None:  # a script stamp cannot place: the whole config, as ever
        return hashlib.sha256(with_script(xml, script, name, slot).encode()).hexdigest()[:16]
    empty = f"<{slot}></{slot}>"  # the template's element, rendered empty
    head, found, tail = xml.partition(empty)
    if not found or empty in tail:
        raise RenderError(f"{name}: the template has no single empty <{slot}>")
    digest = hashlib.sha256(head.encode())
    digest.update(b"<%s>" % slot.encode())
    digest.update(placed.replace(b'"', b"&#34;").replace(b"'", b"&#39;"))
    digest.update(b"</%s>" % slot.encode())
    digest.update(tail.encode())
    return digest.hexdigest()[:16]


def _entry_plugins(job: StableJob) -> tuple[str, ...]:
    """An entry builds its version; a release records what it released (node, copyartifact)."""
    names = {"workflow-job", "workflow-cps", "workflow-basic-steps", "pipeline-build-step"}
    if job.records:
        names |= {"copyartifact", "workflow-durable-task-step"}
    if job.schedule_parameters:
        names |= {"parameterized-scheduler"}
    return pinned(frozenset(names))


def _watcher_plugins(job: StableJob) -> tuple[str, ...]:
    """What a worker with the watcher's spec needs (git, credentials): plugins_for decides."""
    as_worker = Job(job.name, job.component, "worker", job.folder, "worker.xml.j2", (), job.pos)
    return plugins_for(dataclasses.replace(as_worker, spec=job.watch))


def _xml(job: StableJob, target_full_name: str, params: tuple[Param, ...]) -> tuple[str, str, str]:
    """The config without the text stamp puts in (an entry's script, a watcher's command),
    that text and the element it goes in."""
    if job.watch is not None:
        # Downstream are stable entries of its own folder (plan/stable.py makes them so):
        # the watcher's config never names a version, so a switch leaves its polling alone.
        xml, command = worker_xml("worker.xml.j2", job.name, job.watch, job.watch.downstream)
        return xml, command, "command"
    from_env = tuple(p.name for p in params if p.type in ("node", "label"))
    lead, middle, end = _entry_script(from_env, job.passes_previous, job.records)
    called = groovy_string(relative_name(job.folder, target_full_name))
    script = "".join((lead, comment_text(job.name), middle, called, end))
    target = target_full_name.rpartition("/")[2]
    shared = (params, job.retention, job.schedule, job.schedule_parameters, job.records)
    description = f"{job.description} Now: {target}."
    # The first: the template writes its description before any parameter's.
    head, _, tail = _entry_config(*shared).partition(_DESCRIBED)
    # Escaped as the template escapes it (autoescape, a carriage return as `&#13;`).
    xml = "".join((head, "<description>", template_text(description), "</description>", tail))
    return xml, script, "script"


@lru_cache(maxsize=64)
def _entry_script(from_env: tuple[str, ...], previous: bool, records: bool) -> tuple[str, str, str]:
    """An entry's script around its name and its target, which `_xml` puts in as the
    template writes them (`| comment`, `| groovy`): a handful of scripts in a repository
    but for those two, rendered once each."""
    script = render_template(
        "alias.groovy.j2",
        name=_SENTINEL,
        target=_SENTINEL,
        from_env=list(from_env),
        previous=previous,
        records=records,
    )
    # The name once in the head comment, then the target once (tests/jobgen/render/
    # aliases_test.py holds the template to that).
    head, _, rest = script.partition(comment_text(_SENTINEL))
    middle, _, tail = rest.partition(groovy_string(_SENTINEL))
    return head, middle, tail


@lru_cache(maxsize=1024)
def _entry_config(
    params: tuple[Param, ...],
    retention: Retention,
    schedule: str | None,
    schedule_parameters: tuple[tuple[str, str], ...],
    records: bool,
) -> str:
    """An entry's config with `_SENTINEL` for its description, which `_xml` puts in: a
    component and environment's entries share the rest (4,990 entries, 2,003 configs in
    1000 components), and the template uses the description nowhere else."""
    return render_template(
        "alias.xml.j2",
        description=_SENTINEL,
        params=params,
        retention=retention,
        schedule=schedule,
        schedule_parameters=schedule_parameters,
        records=records,
        script="",
    )
