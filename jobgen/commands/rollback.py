"""`jobgen rollback`: point the aliases back at the previously deployed set."""

from __future__ import annotations

import sys
from pathlib import Path

from jobgen.deploy.client import MasterError
from jobgen.deploy.connect import connect
from jobgen.deploy.rollback import NothingToRollBack, RollbackError, rollback
from jobgen.deploy.session import compile_for_master
from jobgen.deploy.targets import TargetError
from jobgen.diagnostics import ExitCode


def run(components: Path, target: str | None = None, url: str | None = None) -> int:
    """Roll the last deploy's aliases back; 0 (and says so) when there is nothing to roll back."""
    compiled = compile_for_master(components, target)
    if compiled is None:
        return ExitCode.INVALID
    try:
        with connect(compiled.root, target, url) as connection:
            moved = rollback(compiled.artifacts, connection.client, compiled.owner)
    except NothingToRollBack as nothing:
        print(f"jobgen rollback: {nothing}")
        return ExitCode.OK
    except (RollbackError, MasterError, TargetError) as error:
        print(f"jobgen rollback: {error}", file=sys.stderr)
        return ExitCode.INVALID
    for move in moved:
        print(f"{move.alias} -> {move.target}")
    print(f"{len(moved)} aliases rolled back")
    return ExitCode.OK
