"""Files shipped with jobgen that a job is rendered with, as inputs for versioning.

Templates and the Groovy library ship inside the package. When the jobs
repository is jobgen's own checkout (the demo), they are in its history and
count as inputs; otherwise `jobgen.yaml`'s version pin stands for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from jobgen.plan.model import JobKind

# The installed package's own folder: templates and the Groovy library are its package data.
SHIPPED_ROOT = Path(str(files("jobgen")))
TEMPLATES = SHIPPED_ROOT / "templates"
GROOVY_LIB = SHIPPED_ROOT / "groovy_lib"
PIN_FILE = "jobgen.yaml"

TEMPLATES_BY_KIND: dict[str, tuple[str, ...]] = {
    "folder": ("folder.xml.j2", "macros.xml.j2", "parameters.xml.j2"),
    "worker": (
        "worker.xml.j2",
        "macros.xml.j2",
        "parameters.xml.j2",
        "worker.sh.j2",
        "toolchain/node.sh.j2",
        "toolchain/python.sh.j2",
        "toolchain/ruby.sh.j2",
    ),
    "orchestration": ("pipeline.xml.j2", "macros.xml.j2", "parameters.xml.j2"),
    "generated": ("orchestration.groovy.j2", "required.groovy.j2", "versions.groovy.j2"),
    "hand": ("resolver.groovy.j2", "required.groovy.j2"),
}


def shipped_inputs(
    root: Path, kind: JobKind, generated: bool = False, hand: bool = False
) -> tuple[str, ...]:
    """The pin file, and the shipped files rendering `kind` uses that lie inside `root`."""
    names = TEMPLATES_BY_KIND[kind]
    names += TEMPLATES_BY_KIND["generated"] if generated else ()
    names += TEMPLATES_BY_KIND["hand"] if hand else ()
    files = [TEMPLATES / name for name in names]
    if kind == "orchestration":
        files += sorted(GROOVY_LIB.glob("prod/*.groovy")) + sorted(
            GROOVY_LIB.glob("common/*.groovy")
        )
    inside = [_relative(path, root) for path in files]
    return (PIN_FILE, *sorted(p for p in inside if p is not None))


def _relative(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


@dataclass(frozen=True)
class Shipped:
    """The shipped inputs of each kind of job, looked up once per plan."""

    folder: tuple[str, ...]
    worker: tuple[str, ...]
    hand_pipeline: tuple[str, ...]
    generated_pipeline: tuple[str, ...]


def shipped(root: Path) -> Shipped:
    """Every kind's shipped inputs for the jobs repository at `root`."""
    return Shipped(
        folder=shipped_inputs(root, "folder"),
        worker=shipped_inputs(root, "worker"),
        hand_pipeline=shipped_inputs(root, "orchestration", hand=True),
        generated_pipeline=shipped_inputs(root, "orchestration", generated=True),
    )
