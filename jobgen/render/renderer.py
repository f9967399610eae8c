"""The render phase's entry: config.xml (and compiled Groovy) for every versioned job.

Templates make no decisions; this module only supplies them the plan's data,
the deployed names of callees, and the marker that carries the content hash.
Every XML output is parsed back with lxml and written in one canonical form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Generic, Protocol, TypeVar

from jobgen.groovy.compile import Library, Mode, load_library, wrap
from jobgen.parallel import map_forked
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
from jobgen.render.build_calls import phase_rows
from jobgen.render.calls import calls_line
from jobgen.render.escape import shell_word
from jobgen.render.folder_xml import folder_xml
from jobgen.render.gitauth import git_auth
from jobgen.render.marker import Marker
from jobgen.render.model import (
    Artifacts,
    Entry,
    Files,
    Kept,
    Rendered,
    RenderedAlias,
    RenderedJob,
)
from jobgen.render.paths import relative_name
from jobgen.render.plugins import plugins_for
from jobgen.render.preamble import hand_preamble
from jobgen.render.rewrite import RESOLVER, rewrite_calls
from jobgen.render.stamp import stamp
from jobgen.render.templates import render_template
from jobgen.render.worker_xml import worker_xml
from jobgen.version.model import Versioned

T = TypeVar("T")


class Reuse(Protocol):
    """Where earlier renders may be taken from (jobgen/incremental/rendered.py).

    Everything but `rendering` runs once a job, in whichever process renders it;
    only `record` changes anything, in that process (`rendering` gathers what each
    process recorded: jobgen/parallel.py).
    """

    def rendering(self, *shared: object) -> AbstractContextManager[None]: ...

    def job_key(self, job: Job) -> bytes: ...

    def alias_key(self, stable: StableJob, target: str, owner: str) -> bytes: ...

    def found_job(self, key: bytes, names: Mapping[str, str], full_name: str) -> Entry | None: ...

    def found_alias(self, key: bytes) -> Entry | None: ...

    def untouched(self, entry: Entry) -> Files | None: ...

    def content_hash(self, entry: Entry) -> str: ...

    def kept_alias(
        self, entry: Entry, stable: StableJob, target: str, files: Files
    ) -> Kept | None: ...

    def read_job(self, entry: Entry) -> Rendered | None: ...

    def read_alias(self, entry: Entry, stable: StableJob, target: str) -> RenderedAlias | None: ...

    def job_entry(
        self, full_name: str, rendered: Rendered, asked: Mapping[str, str | None]
    ) -> Entry: ...

    def alias_entry(self, alias: RenderedAlias) -> Entry: ...

    def record(self, key: bytes, entry: Entry, reused: bool) -> None: ...


def render(
    versioned: Versioned, owner: str, mode: Mode = "prod", reuse: Reuse | None = None
) -> Artifacts:
    """Render every job of the plan under its deployed name, on every core (jobgen/parallel.py).

    With `reuse`, a job whose render inputs are those of an earlier render is
    taken from it: the job, the owner and the library, and the names it looks up.
    """
    jobs, aliases = render_each(versioned, owner, _keep_whole, mode, reuse)
    return Artifacts(tuple(jobs), tuple(aliases))  # type: ignore[arg-type]


def _keep_whole(item: RenderedJob | RenderedAlias) -> RenderedJob | RenderedAlias:
    return item


def render_each(
    versioned: Versioned,
    owner: str,
    each: Callable[[RenderedJob | RenderedAlias], T],
    mode: Mode = "prod",
    reuse: Reuse | None = None,
    kept: Callable[[Kept], T] | None = None,
    component: str | None = None,
) -> tuple[list[T], list[T]]:
    """`each` of every rendered job, then of every stable job, in the plan's order.

    Each job is looked up in `reuse`, read back or rendered, and handed to `each`
    where that happens, a forked child included; only `each`'s result comes back:
    a compile writes each job's files there and keeps a few strings a job, never
    the whole build in memory (jobgen/output/build_dir.py). With `kept`, a job the
    cache finds whose files the build folder still holds untouched goes to `kept`
    without its bytes, which are then never read. With `component`, only that
    component's jobs and stable jobs are rendered (the names of all are looked up).
    """
    full_names = versioned.full_names
    library = load_library(mode)
    jobs = [j for j in versioned.plan.jobs if component in (None, j.component)]
    stable = versioned.plan.stable
    aliases = [
        (s, target)
        for s, target in zip(stable, stable_targets(stable, full_names), strict=True)
        if component in (None, s.component)
    ]
    renderer = _Renderer(versioned, full_names, owner, library, each, reuse, kept)
    with reuse.rendering(owner, library) if reuse is not None else nullcontext():
        tasks: list[_Task] = [*jobs, *aliases]
        results = map_forked(renderer, tasks)
    return results[: len(jobs)], results[len(jobs) :]


_Task = Job | tuple[StableJob, str]  # a versioned job, or a stable job with what it runs


class _Renderer(Generic[T]):
    """Does one task: reuse or render, then `each` (or `kept`); in any process alike."""

    def __init__(
        self,
        versioned: Versioned,
        full_names: Mapping[str, str],
        owner: str,
        library: Library,
        each: Callable[[RenderedJob | RenderedAlias], T],
        reuse: Reuse | None,
        kept: Callable[[Kept], T] | None = None,
    ) -> None:
        self._versioned = versioned
        self._full_names = full_names
        self._owner = owner
        self._library = library
        self._each = each
        self._reuse = reuse
        self._kept = kept

    def __call__(self, task: _Task) -> T:
        if isinstance(task, tuple):
            return self._alias(*task)
        reuse = self._reuse
        full_name = self._full_names[task.name]
        if reuse is None:
            return self._each(self._rendered(task, self._fresh(task)[0]))
        key = reuse.job_key(task)
        entry = reuse.found_job(key, self._full_names, full_name)
        if entry is not None:
            files = reuse.untouched(entry) if self._kept is not None else None
            if files is not None and self._kept is not None:
                reuse.record(key, entry, True)
                done = (None, b"", reuse.content_hash(entry))
                return self._kept(Kept(self._rendered(task, done), files))
            found = reuse.read_job(entry)
            if found is not None:
                reuse.record(key, entry, True)
                return self._each(self._rendered(task, found))
        rendered, asked = self._fresh(task)
        reuse.record(key, reuse.job_entry(full_name, rendered, asked), False)
        return self._each(self._rendered(task, rendered))

    def _alias(self, stable: StableJob, target: str) -> T:
        reuse = self._reuse
        if reuse is None:
            return self._each(render_alias(stable, target, self._owner))
        key = reuse.alias_key(stable, target, self._owner)
        entry = reuse.found_alias(key)
        if entry is not None:
            files = reuse.untouched(entry) if self._kept is not None else None
            kept = None if files is None else reuse.kept_alias(entry, stable, target, files)
            if kept is not None and self._kept is not None:
                reuse.record(key, entry, True)
                return self._kept(kept)
            alias = reuse.read_alias(entry, stable, target)
            if alias is not None:
                reuse.record(key, entry, True)
                return self._each(alias)
        alias = render_alias(stable, target, self._owner)
        reuse.record(key, reuse.alias_entry(alias), False)
        return self._each(alias)

    def _fresh(self, job: Job) -> tuple[Rendered, dict[str, str | None]]:
        """The job rendered now, and the names it looked up (the render cache's key)."""
        names = _Asked(self._full_names)
        groovy, xml_text, placed, slot = _render_kind(job, _References(job, names), self._library)
        item = names[job.name]
        marker = Marker(self._owner, item=item, name=job.name, component=job.component)
        # A pipeline's script, a worker's command goes in after the rest is stamped
        # (render/stamp.py).
        extra = calls_line(_callees(job, names))
        # Every pipeline's script starts and ends as its library does: escaped once.
        shared = ("", "") if groovy is None else (self._library.lead, self._library.tail)
        config, sha = stamp(xml_text, marker, extra, script=placed, slot=slot, shared=shared)
        return (groovy, config, sha), names.asked

    def _rendered(self, job: Job, rendered: Rendered) -> RenderedJob:
        return _rendered_job(self._versioned, job, self._full_names, rendered)


class _Asked(Mapping[str, str]):
    """The full names, remembering which ones a render asked for (the render cache's key)."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self._names = names
        self.asked: dict[str, str | None] = {}

    def __getitem__(self, name: str) -> str:
        value = self._names.get(name)
        self.asked[name] = value  # an absent name too: the render depends on its absence
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        self.asked.update(self._names)  # a render that walks all names depends on all of them
        return iter(self._names)

    def __len__(self) -> int:
        self.asked.update(self._names)
        return len(self._names)


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


def _rendered_job(
    versioned: Versioned, job: Job, full_names: Mapping[str, str], rendered: Rendered
) -> RenderedJob:
    name = job.name
    version = versioned.versions[name]
    groovy, config, sha = rendered
    # Positional, in the fields' order (job, full_name, deployed_name, version, git_hash,
    # config_xml, config_sha256, groovy, plugins): 1.0 us a job against 1.7 by keywords.
    return RenderedJob(
        job,
        full_names[name],
        version.deployed_name,
        version.number,
        version.git_hash,
        config,
        sha,
        groovy,
        plugins_for(job),
    )


def _callees(job: Job, full_names: Mapping[str, str]) -> list[str]:
    """Full names of every job `job` may start: its calls, downstream and computed names."""
    names = {call.target for call in job.calls}
    if isinstance(job.spec, WorkerSpec):
        names |= set(job.spec.downstream)
    if isinstance(job.spec, PipelineSpec) and isinstance(job.spec.script, HandScript):
        names |= set(job.spec.script.may_call)
    return [full_names[name] for name in names if name in full_names]


def _render_kind(
    job: Job, refs: Mapping[str, str], library: Library
) -> tuple[str | None, str, str | None, str]:
    """A pipeline's compiled script (None for other kinds), the config without the text
    stamp places in it (a pipeline's script, a worker's command), that text and the
    element it goes in."""
    spec = job.spec
    if isinstance(spec, FolderSpec):
        # The view names the current versions' deployed names: looked up, so cached by them.
        assert isinstance(refs, _References)
        current = [refs.full_name(name) for name in spec.current]
        return None, folder_xml(spec, refs.full_name(job.name), current), None, "script"
    if isinstance(spec, WorkerSpec):
        downstream = [refs[name] for name in spec.downstream]
        copy_sources = [refs[c.source] for c in spec.copies]
        xml, command = worker_xml(job.template, job.name, spec, downstream, copy_sources)
        return None, xml, command, "command"
    assert isinstance(spec, PipelineSpec), f"unknown spec for {job.name}"
    script = wrap(_groovy_body(job, spec, refs), library, hand_preamble(spec)).text
    # Rendered without its script, which stamp puts in: stamp(xml, ..., script=script).
    xml = render_template(job.template, description=spec.description, spec=spec, script="")
    return script, xml, script, "script"


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

    ref = refs.__getitem__  # bound, not wrapped: called for every build call

    def stable_ref(target: str) -> str:
        return _stable_ref(job, target, refs)

    return render_template(
        "orchestration.groovy.j2",
        name=job.name,
        script=script,
        ls_remote=_ls_remote(script.repo, script.branch),
        ref=ref,
        stable_ref=stable_ref,
        phases=phase_rows(script.phases),
        records=any(phase.record for phase in script.phases),
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
