"""`jobgen validate --explain COMPONENT`: print one component after inheritance."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from jobgen.diagnostics import ExitCode, errors
from jobgen.load.explain import explain
from jobgen.load.model import LoadResult


def run_explain(result: LoadResult, wanted: str, out: TextIO) -> int:
    """The merged component named `wanted` (a component name or its file); 2 when unknown."""
    repo = result.repo
    by_name = {c.name: c.file for c in repo.components}
    by_file = {(repo.root / c.file).resolve(): c.file for c in repo.components}
    file = by_name.get(wanted) or by_file.get(Path(wanted).resolve())
    if file is None:
        known = ", ".join(sorted(by_name)) or "none"
        print(f"jobgen validate: no component {wanted!r} (components: {known})", file=sys.stderr)
        return ExitCode.USAGE
    out.write(explain(_shown(repo.root / file), repo.root))
    own = [d for d in errors(result.diagnostics) if any(str(file) in f for f in d.context)]
    own += [d for d in errors(result.diagnostics) if d.pos and d.pos.path.endswith(str(file))]
    for diagnostic in own:
        print(diagnostic.format(), file=sys.stderr)
    return ExitCode.INVALID if own else ExitCode.OK


def _shown(path: Path) -> Path:
    """As the user would type it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path
