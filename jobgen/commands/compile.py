"""`jobgen compile`: write build/manifest.json and every job's config.xml (and Groovy)."""

from __future__ import annotations

import gc
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from pathlib import Path
from typing import TYPE_CHECKING

from jobgen import lifetime
from jobgen.diagnostics import ExitCode
from jobgen.incremental.replay import Last, Recorder, Report, Request, last_compile, replay
from jobgen.output.guard import OutputRefused

if TYPE_CHECKING:
    from jobgen.groovy.compile import Mode
    from jobgen.incremental.rendered import RenderCache
    from jobgen.load.model import Repo
    from jobgen.output.build_dir import Written
    from jobgen.plan.model import Plan
    from jobgen.version.model import Versioned


def run(components: Path, output: Path, mode: Mode = "prod", target: str | None = None) -> int:
    """Compile `components` into `output`; exit 1 with every error when the input is invalid.

    `target` adds the self-deploy jobs that live on that target's master. When
    nothing the last compile read has changed, its report is replayed instead
    (jobgen/incremental/replay.py): the build folder already holds the result.
    """
    if not os.path.isdir(components):  # Path.is_dir raises on a name too long
        print(f"jobgen compile: {components} is not a folder of component files", file=sys.stderr)
        return ExitCode.USAGE
    request = Request(components, output, mode, target)
    last = last_compile(request)
    replayed = replay(request, last)
    if replayed is not None:
        _report(replayed, mode, output, written=0, unchanged=replayed.files, removed=0)
        return ExitCode.OK
    sliced = _compile_component(request, mode, last)
    if sliced is not None:
        report, written = sliced
        _report(report, mode, output, written.written, written.unchanged, written.removed)
        return ExitCode.OK
    return _compile(request, mode)


def _compile_component(
    request: Request, mode: Mode, last: Last | None
) -> tuple[Report, Written] | None:
    """Only the jobs of the one component that changed, when that is the whole compile's result."""
    from jobgen.incremental.sliced import compile_component
    from jobgen.output.build_dir import WriteFailed
    from jobgen.output.guard import OutputRefused

    with without_collector(), redirect_stderr(io.StringIO()):
        try:
            return compile_component(request, mode, last)
        except (OutputRefused, WriteFailed):
            return None  # the full compile says what is wrong, in its own words


def _compile(request: Request, mode: Mode) -> int:
    # Imported here: a replayed compile needs none of the phases.
    from jobgen.commands.validate import print_diagnostics
    from jobgen.compiler import owner, prepare_tree
    from jobgen.groovy.compile import load_library
    from jobgen.incremental.history_cache import HistoryCache
    from jobgen.incremental.loaded import LoadCache
    from jobgen.incremental.rendered import RenderCache
    from jobgen.incremental.sliced import Index, component_index
    from jobgen.output.build_dir import WriteFailed
    from jobgen.parallel import while_waiting

    recorder = Recorder(request)
    loads = LoadCache(request.output)
    reuse = RenderCache(request.output)
    text = io.StringIO()
    refusal = ""

    def planned(plan: Plan, repo: Repo) -> None:
        # What render_each renders with (render/renderer.py): a key worked out with other
        # inputs is not taken (RenderCache.rendering compares them).
        reuse.keys_ahead(plan.jobs, owner(repo), load_library(mode))
        recorder.take_git_facts(repo.root)  # before the history is read (gitfacts.py)

    with without_collector(), recorder.compiling(), redirect_stderr(text):
        history = HistoryCache(request.output)
        try:
            prepared = prepare_tree(
                request.components, request.target, loads, history, on_plan=planned
            )
            print_diagnostics(prepared.diagnostics, prepared.files)
            versioned, index = prepared.versioned, list[Index]()
            if versioned is not None:

                def meanwhile() -> None:
                    # None of it needs the render: done while the forked renderers end theirs.
                    loads.save()
                    index.append(component_index(versioned, prepared.sources))

                try:
                    with while_waiting(meanwhile):
                        jobs, written = render_into(versioned, prepared.owner, mode, reuse, request)
                except OutputRefused as refused:
                    refusal = f"jobgen compile: refusing to write into {request.output}: {refused}"
                except WriteFailed as failed:  # a name too long, no permission, a full disk
                    refusal = f"jobgen compile: {failed}"
        finally:
            reuse.stop_keys()  # no render took them (invalid input, a refusal)
    if prepared.versioned is None:
        print(text.getvalue(), end="", file=sys.stderr)
        return ExitCode.INVALID
    if refusal:
        print(refusal, file=sys.stderr)
        return ExitCode.USAGE
    reuse.save()
    report = Report(text.getvalue(), jobs, 0, prepared.dirty)
    recorder.save(prepared.root, report, index[0], written)
    _report(
        report, request.mode, request.output, written.written, written.unchanged, written.removed
    )
    lifetime.keep(prepared, reuse, loads, recorder, written)  # to the OS when jobgen exits
    return ExitCode.OK


def render_into(
    versioned: Versioned, owner: str, mode: Mode, reuse: RenderCache, request: Request
) -> tuple[int, Written]:
    """Render every job straight into the build folder; the number of jobs and what was done.

    Each process that renders keeps its jobs' manifest lines and hands them over once,
    sorted, at the end of its share (jobgen/parallel.py: gathering): the parent, alone
    once the children are done, only merges them and writes the manifest.
    """
    from jobgen.incremental import reads
    from jobgen.output.build_dir import BuildWriter, planned_files
    from jobgen.parallel import gathering
    from jobgen.plan.specs import PipelineSpec
    from jobgen.render.renderer import render_each

    full_names = versioned.full_names
    planned = planned_files(
        ((full_names[j.name], isinstance(j.spec, PipelineSpec)) for j in versioned.plan.jobs),
        (stable.full_name for stable in versioned.plan.stable),
    )
    # Files written in the last moments are listed with their sha256 for the compile
    # record, which reads them again when they are within its clock's tick (replay.py).
    writer = BuildWriter(request.output, planned, reuse.written, recent_ns=2 * reads.RACY_NS)
    # The outer block: the writer's share writes its last files before the render cache's
    # share (gathered inside render_each) takes their sizes and mtimes.
    with gathering(writer.share) as shares:
        jobs, _ = render_each(versioned, owner, writer.put, mode, reuse, kept=writer.put)
    return len(jobs), writer.finish_shares(shares)


@contextmanager
def without_collector() -> Iterator[None]:
    """A compile allocates millions of objects that live to its end and form few cycles:
    the cycle collector would rescan them again and again for almost nothing to free. Even
    with raised thresholds it took about a sixth of the parent's time in a cold compile of
    1000 components (0.7 s of CPU in 105 collections), and more in the forked processes,
    whose scans also copy the pages they touch. Off for the compile, the peak RSS of that
    compile grows by about 13 MB (192 -> 206 MB): the cycles it leaves are few and small.

    At the end what is still alive is frozen (gc.freeze): switched back on, the collector
    would otherwise scan the whole compile's objects at the next allocations (0.45 s),
    just before the process exits. A process that compiles again (tests, benchmarks)
    unfreezes them first, so the cycles of one compile are freed by a later collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    gc.unfreeze()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _report(
    report: Report, mode: str, output: Path, written: int, unchanged: int, removed: int
) -> None:
    print(report.diagnostics, end="", file=sys.stderr)
    print(
        f"compiled {report.jobs} jobs ({mode} mode) into {output}/manifest.json: "
        f"{written} files written, {unchanged} unchanged, {removed} removed"
    )
    if report.dirty:
        print(f"{len(report.dirty)} jobs have uncommitted inputs: {', '.join(report.dirty)}")
