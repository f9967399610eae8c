"""A one-component compile: when one leaf component's file is all that changed, only its jobs.

The compile record (replay.py) says what the last compile read. When the only
input that changed since is one component file, the component is a leaf (no
other component depends on it, and no job of another calls one of its jobs
but those of the components it depends on) and git says nothing else moved,
a full compile would change only that component's jobs, provided the other
components do not see the change. That is checked, not assumed:

- the component and every component it depends on, transitively (the only
  ones whose jobs can name its jobs: their release phases run its integration
  tests), are loaded, planned and versioned twice, with the component as the
  last compile loaded it (the load cache) and as it is now; every job and
  stable job of the others must come out the same both times, version included;
- its new jobs' names must not be another component's, and the compile must
  find no problem at all (a full compile reports problems with all their context).

Then only the component's jobs are rendered and written (jobgen/output/build_patch.py)
and the records are brought to what a full compile leaves. Anything that does
not hold means a full compile. tests/jobgen/incremental/replay_test.py holds
the result to a cold compile's, byte for byte, through random changes.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobgen.incremental import reads, store
from jobgen.incremental.gitfacts import git_facts
from jobgen.incremental.replay import (
    JOBS,
    Last,
    Report,
    Request,
    build_intact,
    folder_state,
    forget,
    write_record,
)
from jobgen.plan.views import closure

if TYPE_CHECKING:
    from jobgen.compiler import Source
    from jobgen.groovy.compile import Mode
    from jobgen.incremental.loaded import LoadCache
    from jobgen.load.model import Repo
    from jobgen.output.build_dir import Written
    from jobgen.output.build_patch import Patched
    from jobgen.version.model import Versioned

Index = dict[str, dict[str, Any]]  # component file -> what the record keeps of it


def component_index(versioned: Versioned, sources: Sequence[Source]) -> Index:
    """What a later one-component compile needs to know of each component file: its
    component, dependencies, jobs and stable jobs, and the components whose jobs call
    its jobs. Empty when some job comes from no component file (self-deploy jobs)."""
    component_of = {job.name: job.component for job in versioned.plan.jobs}
    component_of.update((stable.name, stable.component) for stable in versioned.plan.stable)
    if not set(component_of.values()) <= {source.component for source in sources}:
        return {}
    jobs: dict[str, list[str]] = defaultdict(list)
    stables: dict[str, list[str]] = defaultdict(list)
    callers: dict[str, set[str]] = defaultdict(set)

    def called(caller: str, targets: Iterable[str]) -> None:
        for target in targets:
            callee = component_of.get(target, caller)
            if callee != caller:
                callers[callee].add(caller)

    for job in versioned.plan.jobs:
        jobs[job.component].append(job.name)
        called(job.component, (call.target for call in job.calls))
    for stable in versioned.plan.stable:
        stables[stable.component].append(stable.name)
        called(stable.component, [stable.runs])
    return {
        source.path: {
            "name": source.component,
            "dependencies": list(source.dependencies),
            "callers": sorted(callers[source.component]),
            "jobs": jobs[source.component],
            "stable": stables[source.component],
        }
        for source in sources
    }


@dataclasses.dataclass(frozen=True)
class _Slice:
    """The changed component file and what the last compile's record says around it."""

    record: dict[str, Any]
    index: Index
    path: str  # absolute, as the record names it
    name: str
    family: tuple[str, ...]  # the files of the component and of what it depends on
    git: str
    root: Path


def compile_component(
    request: Request, mode: Mode, last: Last | None
) -> tuple[Report, Written] | None:
    """Compile only the changed component when that gives a full compile's result, else None."""
    found = _find(request, last)
    if found is None:
        return None
    return _compile(request, mode, found)


def _find(request: Request, last: Last | None) -> _Slice | None:
    """The one changed leaf component, when nothing else the last compile read moved."""
    if last is None or request.target is not None or last.record.get("diagnostics") != "":
        return None
    record, index = last.record, last.record.get("components")
    if not isinstance(index, dict) or len(last.changed) != 1:
        return None
    section, path = last.changed[0]
    entry = index.get(path)
    if section != "opened" or not isinstance(entry, dict):
        return None
    if os.path.dirname(path) != os.path.abspath(request.components):
        return None
    name = str(entry["name"])
    if any(name in other["dependencies"] for other in index.values()):
        return None  # not a leaf: its dependents' releases run its jobs
    family = _dependencies(index, path)
    names = {str(index[f]["name"]) for f in family}
    if not set(entry["callers"]) <= names:
        return None
    root = Path(str(record.get("root")))
    git = git_facts(root, request.output, store.cache_folder(request.output))
    if git is None or not _only_moved(record.get("git"), git, root, path):
        return None
    if not build_intact(request.output, record):
        return None
    return _Slice(record, index, path, name, family, git, root)


def _dependencies(index: Index, path: str) -> tuple[str, ...]:
    """The component file at `path`, then the files of every component it depends on."""
    files = {str(entry["name"]): file for file, entry in index.items()}
    depends = {name: index[file]["dependencies"] for name, file in files.items()}
    reached = closure([str(index[path]["name"])], depends)
    return (path, *sorted(files[name] for name in reached if files[name] != path))


def _only_moved(recorded: object, now: str, root: Path, path: str) -> bool:
    """Git's facts are the recorded ones but for the status of the file at `path`.

    The facts are `root\\0rev-parse output\\0status` (gitfacts.py); the status
    lists `XY path` entries relative to the top of the work tree; a rename or copy
    (two paths an entry) is not told apart here, so it means a full compile.
    """
    if not isinstance(recorded, str):
        return False
    old, new = recorded.split("\0", 2), now.split("\0", 2)
    if len(old) != 3 or len(new) != 3 or old[:2] != new[:2]:
        return False
    prefix = old[1].split("\n", 1)[0]
    relative = prefix + os.path.relpath(path, root.resolve()).replace(os.sep, "/")

    def others(status: str) -> list[str] | None:
        entries = [entry for entry in status.split("\0") if entry]
        if any(entry[:1] in "RC" or entry[1:2] in "RC" for entry in entries):
            return None
        return [entry for entry in entries if entry[3:] != relative]

    before = others(old[2])
    return before is not None and before == others(new[2])


def _compile(request: Request, mode: Mode, found: _Slice) -> tuple[Report, Written] | None:
    # Imported here: a compile that is replayed or full needs none of them.
    from jobgen.compiler import owner
    from jobgen.incremental.loaded import LoadCache
    from jobgen.output.build_dir import planned_files
    from jobgen.output.build_patch import open_patch
    from jobgen.plan.specs import PipelineSpec
    from jobgen.render.renderer import render_each

    reads.private(request.output)  # the build folder is the compile's output, never an input
    loads = LoadCache(request.output)
    with reads.recording() as seen:
        named = _named(request, found, loads)
        if named is None:
            return None
        repo, versioned = named
        mine = [j for j in versioned.plan.jobs if j.component == found.name]
        stable = [s for s in versioned.plan.stable if s.component == found.name]
        if _taken(found, [j.name for j in mine] + [s.name for s in stable]):
            return None
        patch = open_patch(
            request.output,
            found.name,
            planned_files(
                ((versioned.full_name(j), isinstance(j.spec, PipelineSpec)) for j in mine),
                (s.full_name for s in stable),
            ),
            str(found.record["manifest"]),  # build_intact found the manifest to be this one
        )
        if patch is None:
            return None
        jobs, aliases = render_each(versioned, owner(repo), patch.add, mode, component=found.name)
    patched = patch.finish_patch(jobs, aliases)
    report = _report(found, versioned, patched.jobs, patched.files)
    _remember(request, found, versioned, reads.snapshot(seen), report, patched)
    loads.save(merge=True)
    return report, patched.written


def _named(request: Request, found: _Slice, loads: LoadCache) -> tuple[Repo, Versioned] | None:
    """The component and what it depends on, loaded, planned and versioned; None when the
    change reaches the others' jobs, or the compile finds a problem to report."""
    from jobgen.incremental.history_cache import HistoryCache
    from jobgen.load.loader import load
    from jobgen.plan.planner import plan
    from jobgen.version.history import read_history
    from jobgen.version.versioner import version_from

    # Named as the whole compile named them: positions and cache entries are the same.
    files = [request.components / os.path.basename(f) for f in found.family]
    loaded = load(files, siblings=False, reuse=loads)
    previous = loads.previous(files[0])
    if loaded.diagnostics or previous is None:
        return None
    digest, (was, _) = previous
    now = [c for c in loaded.repo.components if c.name == found.name]
    if digest != found.record["reads"]["opened"][found.path] or was is None or len(now) != 1:
        return None  # the load cache is not of the last compile, or the component was renamed
    if len(loaded.repo.components) != len(files):
        return None
    components = tuple(was if c is now[0] else c for c in loaded.repo.components)
    planned, before = (
        plan(loaded.repo),
        plan(dataclasses.replace(loaded.repo, components=components)),
    )
    if planned.diagnostics or before.diagnostics:
        return None
    history = read_history(found.root, HistoryCache(request.output))
    versioned = version_from(planned.plan, history, found.root)
    if _others(versioned, found.name) != _others(
        version_from(before.plan, history, found.root), found.name
    ):
        return None  # the change reaches another component's jobs
    return loaded.repo, versioned


def _others(versioned: Versioned, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every job of the other components with its version, and their stable jobs."""
    jobs = {
        job.name: (job, versioned.versions[job.name])
        for job in versioned.plan.jobs
        if job.component != name
    }
    stable = {s.name: s for s in versioned.plan.stable if s.component != name}
    return jobs, stable


def _taken(found: _Slice, names: Sequence[str]) -> bool:
    """Whether another component has a job of one of `names`."""
    others = {
        str(job)
        for file, entry in found.index.items()
        if file != found.path
        for key in ("jobs", "stable")
        for job in entry[key]
    }
    return not others.isdisjoint(names)


def _report(found: _Slice, versioned: Versioned, jobs: int, files: int) -> Report:
    old_jobs = set(found.index[found.path]["jobs"])
    dirty = {str(d) for d in found.record["dirty"]} - old_jobs
    dirty |= {
        job.name
        for job in versioned.plan.jobs
        if job.component == found.name and versioned.versions[job.name].dirty
    }
    return Report("", jobs, files, tuple(sorted(dirty)))


def _remember(
    request: Request,
    found: _Slice,
    versioned: Versioned,
    seen: Mapping[str, dict[str, str]],
    report: Report,
    patched: Patched,
) -> None:
    """Bring the compile record to what a full compile would have left."""
    record = dict(found.record)
    merged = reads.merged(record["reads"], seen)
    if not reads.unchanged(merged):
        forget(request.output)  # an input changed while compiling: the next compile is full
        return
    output = request.output
    saved = time.time_ns()  # before the folders are looked at: see replay.build_intact
    folders: dict[str, str] = dict(record["folders"])
    racy: dict[str, str] = dict(record["racy"])
    jobs_folder = os.path.join(output, JOBS)
    changed = set()
    for path in patched.touched:
        racy.pop(os.path.join(output, path), None)
        folder = os.path.dirname(os.path.join(output, path))
        while folder.startswith(jobs_folder) and folder not in changed:
            changed.add(folder)
            folder = os.path.dirname(folder)
    for folder in changed:
        folders.pop(folder, None)
        if os.path.isdir(folder):
            folder_state(folder, folders, saved, racy)
    index = dict(found.index)
    index[found.path] = {
        **found.index[found.path],
        "jobs": [j.name for j in versioned.plan.jobs if j.component == found.name],
        "stable": [s.name for s in versioned.plan.stable if s.component == found.name],
    }
    record.update(
        reads=merged,
        git=found.git,
        jobs=report.jobs,
        dirty=list(report.dirty),
        manifest=patched.manifest_sha256,
        folders=folders,
        racy=racy,
        files=report.files,
        saved=saved,
        components=index,
    )
    write_record(output, record)
