"""The whole compile: load -> plan -> version -> render, with every diagnostic of the run.

Commands (`compile`, `test`, later `deploy` and `diff`) call `compile_tree`
and get plain data back; only the command modules write files or print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jobgen.diagnostics import Diagnostic, JobgenError, SourcePos, errors
from jobgen.groovy.compile import Mode
from jobgen.load.loader import load
from jobgen.load.model import Repo
from jobgen.plan.planner import plan
from jobgen.render.model import Artifacts
from jobgen.render.renderer import Reuse, render
from jobgen.version.versioner import version


@dataclass(frozen=True)
class CompileResult:
    """The rendered jobs (None when the input had errors), and every diagnostic found."""

    artifacts: Artifacts | None
    diagnostics: tuple[Diagnostic, ...]
    root: Path
    owner: str
    files: int  # component files read, for the summary line
    dirty: tuple[str, ...] = ()  # common names of jobs built from uncommitted inputs


def compile_tree(
    components: Path, mode: Mode = "prod", target: str | None = None, reuse: Reuse | None = None
) -> CompileResult:
    """Compile the components folder of a jobs repository.

    For a `target` named in jobgen.yaml, the self-deploy jobs of the targets it
    deploys are compiled too; without one, there are none. `reuse` offers earlier
    renders (jobgen/incremental/rendered.py).
    """
    loaded = load([components])
    diagnostics = list(loaded.diagnostics)
    root, who = loaded.repo.root, owner(loaded.repo)

    def result(artifacts: Artifacts | None, dirty: tuple[str, ...] = ()) -> CompileResult:
        return CompileResult(artifacts, tuple(diagnostics), root, who, len(loaded.files), dirty)

    if target is not None and loaded.repo.target(target) is None:
        diagnostics.append(_unknown_target(loaded.repo, target))
    if errors(diagnostics):
        # The planner assumes well-formed components: it runs on a clean load only.
        return result(None)
    planned = plan(loaded.repo, target=target)
    diagnostics += planned.diagnostics
    if errors(diagnostics):
        return result(None)
    try:
        versioned = version(planned.plan, root)
    except JobgenError as error:
        diagnostics += error.diagnostics
        return result(None)
    artifacts = render(versioned, who, mode, reuse)
    return result(artifacts, tuple(n for n, v in sorted(versioned.versions.items()) if v.dirty))


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
