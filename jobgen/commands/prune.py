"""`jobgen prune`: delete (or disable) managed jobs that are stale."""

from __future__ import annotations

import sys
from pathlib import Path

from jobgen.deploy.client import MasterError
from jobgen.deploy.connect import connect
from jobgen.deploy.prune import prune_actions, stale_on_master
from jobgen.deploy.redact import without_userinfo
from jobgen.deploy.session import compile_for_master
from jobgen.deploy.targets import TargetError
from jobgen.diagnostics import ExitCode


def run(
    components: Path,
    target: str | None = None,
    url: str | None = None,
    keep_days: float = 7,
    dry_run: bool = False,
    disable: bool = False,
) -> int:
    """Remove stale versions; `dry_run` only lists them with the reason."""
    compiled = compile_for_master(components, target)
    if compiled is None:
        return ExitCode.INVALID
    try:
        with connect(compiled.root, target, url) as connection:
            client = connection.client
            stale = stale_on_master(client, compiled.artifacts, compiled.owner, keep_days)
            actions = prune_actions(stale, disable)
            for action, item in actions:
                if not dry_run:
                    (client.disable if action == "disable" else client.delete)(item.full_name)
                done = f"would {action}" if dry_run else f"{action}d"
                print(f"{done} {item.full_name}: {item.reason}")
    except (MasterError, TargetError) as error:
        print(f"jobgen prune: {without_userinfo(str(error))}", file=sys.stderr)
        return ExitCode.INVALID
    print(f"{len(actions)} stale items{' (dry run)' if dry_run else ''}")
    return ExitCode.OK
