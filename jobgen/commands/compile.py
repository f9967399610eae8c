"""`jobgen compile`: write build/manifest.json and every job's config.xml (and Groovy)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jobgen.commands.validate import print_diagnostics
from jobgen.compiler import compile_tree
from jobgen.diagnostics import ExitCode
from jobgen.groovy.compile import Mode
from jobgen.output.build_dir import MANIFEST, write_build
from jobgen.output.guard import OutputRefused


def run(components: Path, output: Path, mode: Mode = "prod", target: str | None = None) -> int:
    """Compile `components` into `output`; exit 1 with every error when the input is invalid.

    `target` adds the self-deploy jobs that live on that target's master.
    """
    if not os.path.isdir(components):  # Path.is_dir raises on a name too long
        print(f"jobgen compile: {components} is not a folder of component files", file=sys.stderr)
        return ExitCode.USAGE
    result = compile_tree(components, mode, target)
    print_diagnostics(result.diagnostics, result.files)
    if result.artifacts is None:
        return ExitCode.INVALID
    try:
        written = write_build(result.artifacts, output)
    except OutputRefused as refused:
        print(f"jobgen compile: refusing to write into {output}: {refused}", file=sys.stderr)
        return ExitCode.USAGE
    except OSError as error:  # a name too long, no permission, a full disk: one line, no trace
        where = error.filename or output
        print(f"jobgen compile: cannot write {where}: {error.strerror or error}", file=sys.stderr)
        return ExitCode.USAGE
    jobs = result.artifacts.jobs
    print(
        f"compiled {len(jobs)} jobs ({mode} mode) into {output}/{MANIFEST}: "
        f"{written.written} files written, {written.unchanged} unchanged, {written.removed} removed"
    )
    if result.dirty:
        print(f"{len(result.dirty)} jobs have uncommitted inputs: {', '.join(result.dirty)}")
    return ExitCode.OK
