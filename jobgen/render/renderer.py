"""The render phase's entry: config.xml (and compiled Groovy) for every versioned job.

Templates make no decisions; this module only supplies them the plan's data,
the deployed names of callees, and the marker that carries the content hash.
Every XML output is parsed back with lxml and written in one canonical form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Protocol

from jobgen.groovy.compile import Library, Mode, load_library, wrap
from jobgen.plan.model import Job
from jobgen.plan.specs import (
    FolderSpec,
    HandScript,
    PipelineSpec,
    SelfDeployScript,
    WorkerSpec,
)
from jobgen.plan.stable import StableJob
from jobgen.render.aliases import render_alias, stable_targets
from jobgen.render.calls import calls_line
from jobgen.render.escape import shell_word
from jobgen.render.gitauth import git_auth
from jobgen.render.marker import Marker
from jobgen.render.model import Artifacts, RenderedAlias, RenderedJob
from jobgen.render.paths import relative_name
from jobgen.render.plugins import plugins_for
from jobgen.render.preamble import hand_preamble
from jobgen.render.rewrite import RESOLVER, rewrite_calls
from jobgen.render.stamp import stamp
from jobgen.render.templates import render_template
from jobgen.render.worker_xml import worker_xml
from jobgen.version.model import Versioned


class Reuse(Protocol):
    """Where earlier renders may be taken from (jobgen/incremental/rendered.py)."""

    def rendering(self, *shared: object) -> AbstractContextManager[None]: ...

    def rendered(
        self,
        inputs: object,
        names: Mapping[str, str],
        full_name: str,
        fresh: Callable[[Mapping[str, str]], tuple[str | None, bytes, str]],
    ) -> tuple[str | None, bytes, str]: ...

    def alias(
        self, stable: StableJob, target: str, owner: str, fresh: Callable[[], RenderedAlias]
    ) -> RenderedAlias: ...


def render(
    versioned: Versioned, owner: str, mode: Mode = "prod", reuse: Reuse | None = None
) -> Artifacts:
    """Render every job of the plan under its deployed name.

    With `reuse`, a job whose render inputs are those of an earlier render is
    taken from it: the job, the owner and the library, and the names it looks up.
    """
    full_names = {job.name: versioned.full_name(job) for job in versioned.plan.jobs}
    library = load_library(mode)
    stable = versioned.plan.stable
    targets = stable_targets(stable, full_names)
    with reuse.rendering(owner, library) if reuse is not None else nullcontext():
        rendered = [
            _render_job(versioned, job, full_names, owner, library, reuse)
            for job in versioned.plan.jobs
        ]
        aliases = [_render_alias(s, t, owner, reuse) for s, t in zip(stable, targets, strict=True)]
    return Artifacts(tuple(rendered), tuple(aliases))


def _render_alias(stable: StableJob, target: str, owner: str, reuse: Reuse | None) -> RenderedAlias:
    if reuse is None:
        return render_alias(stable, target, owner)
    return reuse.alias(stable, target, owner, lambda: render_alias(stable, target, owner))


def reference(caller: Job, callee_full_name: str) -> str:
    """How `caller` names a callee: plain in its own folder, `../folder/name` elsewhere."""
    return relative_name(caller.folder, callee_full_name)


class _References(Mapping[str, str]):
    """How one job names each of the others, computed only for the names it asks for."""

    def __init__(self, caller: Job, full_names: Mapping[str, str]) -> None:
        self._caller = caller
        self._full_names = full_names

    def __getitem__(self, name: str) -> str:
        return reference(self._caller, self._full_names[name])

    def full_name(self, name: str) -> str:
        """The callee's own full name, not relative to the caller."""
        return self._full_names[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._full_names)

    def __len__(self) -> int:
        return len(self._full_names)


def _render_job(
    versioned: Versioned,
    job: Job,
    full_names: Mapping[str, str],
    owner: str,
    library: Library,
    reuse: Reuse | None = None,
) -> RenderedJob:
    version = versioned.versions[job.name]

    def fresh(names: Mapping[str, str]) -> tuple[str | None, bytes, str]:
        groovy, xml_text = _render_kind(job, _References(job, names), library)
        marker = Marker(owner, item=names[job.name], name=job.name, component=job.component)
        return (groovy, *stamp(xml_text, marker, extra=calls_line(_callees(job, names))))

    if reuse is None:
        groovy, config, sha = fresh(full_names)
    else:
        groovy, config, sha = reuse.rendered(job, full_names, full_names[job.name], fresh)
    return RenderedJob(
        job=job,
        full_name=full_names[job.name],
        deployed_name=version.deployed_name,
        version=version.number,
        git_hash=version.git_hash,
        config_xml=config,
        config_sha256=sha,
        groovy=groovy,
        plugins=plugins_for(job),
    )


def _callees(job: Job, full_names: Mapping[str, str]) -> list[str]:
    """Full names of every job `job` may start: its calls, downstream and computed names."""
    names = {call.target for call in job.calls}
    if isinstance(job.spec, WorkerSpec):
        names |= set(job.spec.downstream)
    if isinstance(job.spec, PipelineSpec) and isinstance(job.spec.script, HandScript):
        names |= set(job.spec.script.may_call)
    return [full_names[name] for name in names if name in full_names]


def _render_kind(job: Job, refs: Mapping[str, str], library: Library) -> tuple[str | None, str]:
    spec = job.spec
    if isinstance(spec, FolderSpec):
        return None, render_template(job.template, description=spec.description, spec=spec)
    if isinstance(spec, WorkerSpec):
        downstream = [refs[name] for name in spec.downstream]
        copy_sources = [refs[c.source] for c in spec.copies]
        return None, worker_xml(job.template, job.name, spec, downstream, copy_sources)
    assert isinstance(spec, PipelineSpec), f"unknown spec for {job.name}"
    script = wrap(_groovy_body(job, spec, refs), library, hand_preamble(spec)).text
    xml = render_template(job.template, description=spec.description, spec=spec, script=script)
    return script, xml


def _groovy_body(job: Job, spec: PipelineSpec, refs: Mapping[str, str]) -> str:
    script = spec.script
    if isinstance(script, SelfDeployScript):
        return render_template(
            "selfdeploy.groovy.j2",
            name=job.name,
            script=script,
            ls_remote=_ls_remote(script.repo, script.branch),
            ref=lambda target: refs[target],
            git_auth=git_auth(script.repo, script.repo_credentials),
        )
    if isinstance(script, HandScript):
        return _hand_body(job, script, refs)
    return render_template(
        "orchestration.groovy.j2",
        name=job.name,
        script=script,
        ls_remote=_ls_remote(script.repo, script.branch),
        ref=lambda target: refs[target],
        stable_ref=lambda target: _stable_ref(job, target, refs),
        required=[p.name for p in spec.params if p.required],
        git_auth=git_auth(script.repo, script.repo_credentials),
    )


def _stable_ref(caller: Job, target: str, refs: Mapping[str, str]) -> str:
    """How `caller` names a stable job: `target` is its common name or its `folder/name`."""
    if "/" not in target:
        assert isinstance(refs, _References)
        folder = refs.full_name(target).rpartition("/")[0]
        target = f"{folder}/{target}" if folder else target
    return reference(caller, target)


def _hand_body(job: Job, script: HandScript, refs: Mapping[str, str]) -> str:
    """The job's own Groovy with its references rewritten; computed names get a resolver."""
    calls = [c for c in job.calls if c.span]
    body = rewrite_calls(script.text, calls, refs, script.dynamic)
    if not script.dynamic:
        return body
    # Appended, so the lines of the job's own Groovy keep their numbers.
    names = [(name, refs[name]) for name in script.may_call]
    return body + render_template("resolver.groovy.j2", resolver=RESOLVER, names=names)


def _ls_remote(repo: str, branch: str) -> str:
    """The shell command printing the head commit of `branch` in `repo`."""
    # `--`: git then refuses a repository that looks like an option (--upload-pack=...).
    return f"git ls-remote -- {shell_word(repo)} {shell_word(f'refs/heads/{branch}')} | cut -f1"


def render_root_folder(owner: str, full_name: str) -> bytes:
    """The folder a target's components go under (`folder:` in jobgen.yaml)."""
    xml = render_template(
        "folder.xml.j2", description=f"Jobs deployed by jobgen from {owner}.", spec=None
    )
    config, _ = stamp(xml, Marker(owner=owner, item=full_name, name=full_name, component=""))
    return config
