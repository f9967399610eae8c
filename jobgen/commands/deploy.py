"""`jobgen deploy`: create what the master lacks; aliases switched last."""

from __future__ import annotations

import sys
from pathlib import Path

from jobgen.deploy.client import MasterError
from jobgen.deploy.connect import connect
from jobgen.deploy.deployer import DeployError, deploy
from jobgen.deploy.redact import without_userinfo
from jobgen.deploy.session import compile_for_master
from jobgen.deploy.targets import TargetError
from jobgen.diagnostics import ExitCode


def run(
    components: Path,
    target: str | None = None,
    url: str | None = None,
    workers: int | None = None,
    force: bool = False,
    allow_dirty: bool = False,
    verify: bool = False,
    check_plugins: bool = True,
) -> int:
    """Compile and deploy; 0 when the master holds every job, 1 when deploy refused or failed."""
    compiled = compile_for_master(components, target)
    if compiled is None:
        return ExitCode.INVALID
    try:
        with connect(compiled.root, target, url) as connection:
            if compiled.dirty and not connection.embedded and not allow_dirty:
                print(_dirty_message(compiled.dirty), file=sys.stderr)
                return ExitCode.INVALID
            pool = workers or connection.client.target.workers
            report = deploy(
                compiled.artifacts,
                connection.client,
                compiled.owner,
                force=force,
                verify=verify,
                workers=pool,
                check_plugins=check_plugins,
            )
            where = without_userinfo(connection.client.target.name)
    except (DeployError, MasterError, TargetError) as error:
        print(f"jobgen deploy: {without_userinfo(str(error))}", file=sys.stderr)
        return ExitCode.INVALID
    # Say what "unchanged" rests on: a hand edit on the master keeps its recorded hash.
    basis = "every config read" if report.verified else "recorded hashes trusted, see --verify"
    print(
        f"deployed to {where}: {len(report.created)} created, {len(report.recreated)} recreated, "
        f"{report.unchanged} unchanged ({basis}), {len(report.aliases)} aliases switched "
        f"({report.writes} write requests)"
    )
    return ExitCode.OK


def _dirty_message(dirty: tuple[str, ...]) -> str:
    shown = ", ".join(dirty[:10]) + (f" and {len(dirty) - 10} more" if len(dirty) > 10 else "")
    return (
        f"jobgen deploy: {len(dirty)} jobs have uncommitted inputs ({shown}); "
        "commit them first, or pass --allow-dirty"
    )
