"""The whole compile: load -> plan -> version -> render, with every diagnostic of the run.

Commands (`compile`, `test`, later `deploy` and `diff`) call `compile_tree`
and get plain data back; only the command modules write files or print.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jobgen.diagnostics import Diagnostic, JobgenError, SourcePos, errors
from jobgen.groovy.compile import Mode
from jobgen.load.loader import Reuse as LoadReuse
from jobgen.load.loader import load
from jobgen.load.model import LoadResult, Repo
from jobgen.plan.model import Plan
from jobgen.plan.planner import plan
from jobgen.render.model import Artifacts
from jobgen.render.renderer import Reuse, render
from jobgen.version.history import Remembered
from jobgen.version.model import Versioned
from jobgen.version.versioner import version


def compile_tree(
    components: Path, mode: Mode = "prod", target: str | None = None, reuse: Reuse | None = None
) -> CompileResult:
    """Compile the components folder of a jobs repository.

    For a `target` named in jobgen.yaml, the self-deploy jobs of the targets it
    deploys are compiled too; without one, there are none. `reuse` offers earlier
    renders (jobgen/incremental/rendered.py).
    """
    prepared = prepare_tree(components, target)
    if prepared.versioned is None:
        return CompileResult(**vars(prepared))
    artifacts = render(prepared.versioned, prepared.owner, mode, reuse)
    return CompileResult(**vars(prepared), artifacts=artifacts)


@dataclass(frozen=True)
class Prepared:
    """Everything but the render: the named jobs (None when the input had errors)."""

    versioned: Versioned | None
    diagnostics: tuple[Diagnostic, ...]
    root: Path
    owner: str
    files: int  # component files read, for the summary line
    dirty: tuple[str, ...] = ()  # common names of jobs built from uncommitted inputs
    sources: tuple[Source, ...] = ()  # each component and the file it came from


@dataclass(frozen=True)
class Source:
    """A component file as the load read it: its absolute path, the component, its dependencies."""

    path: str
    component: str
    dependencies: tuple[str, ...]


@dataclass(frozen=True)
class CompileResult(Prepared):
    """All of it: the rendered jobs too (None when the input had errors)."""

    artifacts: Artifacts | None = None


def prepare_tree(
    components: Path,
    target: str | None = None,
    reuse: LoadReuse | None = None,
    history: Remembered | None = None,
    on_plan: Callable[[Plan, Repo], None] | None = None,
) -> Prepared:
    """Load, plan and version the components folder: render_each (or render) does the rest.

    `jobgen compile` renders straight into the build folder from here, so the whole
    build is never held in memory at once. `reuse` offers earlier loads of component
    files (jobgen/incremental/loaded.py), `history` HEAD's history as an earlier compile
    read it (jobgen/incremental/history_cache.py). `on_plan` is told the checked plan and
    the repository before the versions are worked out (a compile starts the render
    cache's keys on the core the versioner leaves idle, and takes git's facts).
    """
    loaded = load([components], reuse=reuse)
    diagnostics = list(loaded.diagnostics)
    root, who = loaded.repo.root, owner(loaded.repo)

    def result(versioned: Versioned | None = None) -> Prepared:
        dirty: tuple[str, ...] = ()
        if versioned is not None:
            dirty = tuple(sorted(n for n, v in versioned.versions.items() if v.dirty))
        return Prepared(
            versioned, tuple(diagnostics), root, who, len(loaded.files), dirty, sources(loaded)
        )

    if target is not None and loaded.repo.target(target) is None:
        diagnostics.append(_unknown_target(loaded.repo, target))
    if errors(diagnostics):
        # The planner assumes well-formed components: it runs on a clean load only.
        return result()
    planned = plan(loaded.repo, target=target)
    diagnostics += planned.diagnostics
    if errors(diagnostics):
        return result()
    if on_plan is not None:
        on_plan(planned.plan, loaded.repo)
    try:
        versioned = version(planned.plan, root, history)
    except JobgenError as error:
        diagnostics += error.diagnostics
        return result()
    return result(versioned)


def sources(loaded: LoadResult) -> tuple[Source, ...]:
    """Each loaded component with the file it came from, as the compile's reads name it."""
    found = []
    here = os.getcwd()  # once: abspath asks the kernel for it each time
    for path, component in loaded.read_from:
        deps = tuple(d.value for d in component.dependencies)
        found.append(Source(os.path.normpath(os.path.join(here, path)), component.name, deps))
    return tuple(found)


def _unknown_target(repo: Repo, target: str) -> Diagnostic:
    known = ", ".join(t.name for t in repo.targets) or "none"
    return Diagnostic(
        SourcePos(str(repo.root / "jobgen.yaml")),
        "unknown-target",
        f"no target named `{target}` in jobgen.yaml",
        f"targets: {known}",
    )


def owner(repo: Repo) -> str:
    """Who owns the deployed jobs: `owner:` in jobgen.yaml, else the repository's folder name.

    The folder name differs between clones, so two clones would not recognise
    each other's jobs; `owner:` makes deploy and prune agree wherever they run.
    """
    return repo.owner or repo.root.resolve().name or "jobs"
