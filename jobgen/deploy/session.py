"""What every command that talks to a master starts with: a fresh compile of the tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jobgen.commands.validate import print_diagnostics
from jobgen.compiler import compile_tree
from jobgen.render.model import Artifacts


@dataclass(frozen=True)
class Compiled:
    """The artifacts to compare with a master, who owns them, and which are dirty."""

    artifacts: Artifacts
    owner: str
    root: Path
    dirty: tuple[str, ...]


def compile_for_master(components: Path, target: str | None = None) -> Compiled | None:
    """Compile `components` in prod mode for `target`; print the diagnostics; None when invalid.

    A target's compile includes the self-deploy jobs it hosts, so deploy creates
    them and prune keeps them.
    """
    result = compile_tree(components, "prod", target)
    print_diagnostics(result.diagnostics, result.files)
    if result.artifacts is None:
        return None
    return Compiled(result.artifacts, result.owner, result.root, result.dirty)
