"""Files steps share, planned: what a worker archives, copies in, and who may copy it.

Each step is its own freestyle job, maybe on another agent, so a workspace is
never shared. A step's `produces:` (and `metrics:`) files are archived by its
build (ArtifactArchiver); a later step's `uses:` copies them in with the
copyartifact plugin from the very build the orchestration ran, whose number it
passes as `<STEP>_BUILD_NUMBER` (docs/component-file.md, "Steps share files").
Stash/unstash cannot serve: a stash lives inside one Pipeline build, and the
steps are separate freestyle builds.
"""

from __future__ import annotations

from jobgen.load.model import Component, Step
from jobgen.plan import names
from jobgen.plan.specs import CopyIn, Param

# SpecificBuildSelector reads a permalink too: a worker started by hand copies the last success.
DEFAULT_BUILD = "lastSuccessfulBuild"


def number_param(step: str) -> str:
    """`BUILD_BUILD_NUMBER`: the parameter carrying the build of `step` to copy from."""
    return f"{step.upper()}_BUILD_NUMBER"


def copies_in(component: Component, step: Step) -> tuple[CopyIn, ...]:
    """What `step` copies in: every used step's `produces:` files, from its worker."""
    found = []
    for name in step.uses:
        producer = component.step(name.value)
        if producer is None or not producer.produces:
            continue  # reported by jobgen/load/sharing_checks.py
        found.append(
            CopyIn(
                names.worker_name(component.name, name.value),
                ",".join(producer.produces),
                number_param(name.value),
            )
        )
    return tuple(found)


def copy_params(copies: tuple[CopyIn, ...]) -> tuple[Param, ...]:
    """One build-number parameter per copied-in step."""
    return tuple(
        Param(
            c.number_param,
            default=DEFAULT_BUILD,
            description=f"the build of {c.source} whose files are copied in (set by the chain)",
        )
        for c in copies
    )


def archived(step: Step) -> tuple[str, ...]:
    """`artifacts:`, `produces:` and the metrics file, each once, in that order."""
    files = (*step.artifacts, *step.produces, *([step.metrics] if step.metrics else []))
    return tuple(dict.fromkeys(files))


def copy_permission(component: Component, step: Step) -> str | None:
    """The jobs that may copy this worker's artifacts: the component's own (same folder).

    copyartifact refuses a copy unless the source job names the copier
    (CopyArtifactPermissionProperty); the pattern is matched against the copier's
    name relative to this job's folder, so `<component>-*` admits only its siblings."""
    if not step.produces and not step.metrics:
        return None
    return f"{component.name}-*"
