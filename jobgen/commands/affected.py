"""`jobgen affected --since REV`: the components and jobs whose deployed names changed.

Both sides are compiled from clean checkouts (a worktree of REV and one of
HEAD), so CI can run just the tests of what a push changed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from jobgen.affected.compare import Changed, changed_jobs, deployed_names
from jobgen.affected.worktree import RevisionError, checked_out, resolve
from jobgen.commands.validate import print_diagnostics
from jobgen.commands.workspace import shown_path
from jobgen.compiler import compile_tree
from jobgen.diagnostics import Diagnostic, ExitCode
from jobgen.load.loader import find_root


def run(components: Path, since: str, output_format: str = "text") -> int:
    """Print what changed between `since` and HEAD; exit 1 when HEAD does not compile."""
    root = find_root(components.resolve())
    relative = components.resolve().relative_to(root.resolve())
    try:
        resolve(root, since)
        with checked_out(root, "HEAD") as head_tree:
            after = compile_tree(head_tree / relative)
            if after.artifacts is None:
                shown = relocated(after.diagnostics, head_tree, root)
                print_diagnostics(shown, after.files)
                return ExitCode.INVALID
            with checked_out(root, since) as old_tree:
                before = compile_tree(old_tree / relative)
    except RevisionError as error:
        print(f"jobgen affected: {error}", file=sys.stderr)
        return ExitCode.USAGE
    # A revision that does not compile (or pins another jobgen) affects everything.
    old = deployed_names(before.artifacts) if before.artifacts else {}
    changed = changed_jobs(old, deployed_names(after.artifacts))
    if output_format == "json":
        print(json.dumps(_as_json(changed, since), indent=2))
    else:
        print(_as_text(changed, since), end="")
    return ExitCode.OK


def relocated(diagnostics: Sequence[Diagnostic], tree: Path, root: Path) -> list[Diagnostic]:
    """Diagnostics about files of a temporary checkout, pointed at the same files in `root`:
    the user edits those, and the checkout is gone when the command ends."""
    moved, tree = [], tree.resolve()
    for diagnostic in diagnostics:
        pos = diagnostic.pos
        if pos is not None and Path(pos.path).resolve().is_relative_to(tree):
            there = shown_path(root / Path(pos.path).resolve().relative_to(tree))
            diagnostic = replace(diagnostic, pos=replace(pos, path=str(there)))
        moved.append(diagnostic)
    return moved


def _as_json(changed: list[Changed], since: str) -> dict[str, object]:
    return {
        "since": since,
        "components": sorted({c.component for c in changed}),
        "jobs": [
            {"name": c.name, "component": c.component, "before": c.before, "after": c.after}
            for c in changed
        ],
    }


def _as_text(changed: list[Changed], since: str) -> str:
    if not changed:
        return f"no job changed since {since}\n"
    components = sorted({c.component for c in changed})
    lines = [f"components: {' '.join(components)}"]
    lines += [f"{c.name}: {c.before or '(new)'} -> {c.after or '(removed)'}" for c in changed]
    return "\n".join(lines) + "\n"
