"""`jobgen diff`: the dry run against a live master. Exit 0 nothing to do, 1 changes, 2 error."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jobgen.deploy.client import MasterError
from jobgen.deploy.connect import connect
from jobgen.deploy.differ import DryRun, dry_run
from jobgen.deploy.redact import without_userinfo
from jobgen.deploy.session import compile_for_master
from jobgen.deploy.targets import TargetError

NOTHING, CHANGES, ERROR = 0, 1, 2


def run(
    components: Path,
    target: str | None = None,
    url: str | None = None,
    keep_days: float = 7,
    output_format: str = "text",
) -> int:
    """Print what deploy and prune would do; the exit code says whether anything would."""
    compiled = compile_for_master(components, target)
    if compiled is None:
        return ERROR
    try:
        with connect(compiled.root, target, url) as connection:
            client = connection.client
            result = dry_run(compiled.artifacts, client, compiled.owner, keep_days)
    except (MasterError, TargetError) as error:
        print(f"jobgen diff: {without_userinfo(str(error))}", file=sys.stderr)
        return ERROR
    if output_format == "json":
        print(json.dumps(_as_json(result), indent=2))
    else:
        print(_as_text(result), end="")
    return NOTHING if result.empty else CHANGES


def _as_json(result: DryRun) -> dict[str, object]:
    return {
        "create": list(result.create),
        "drifted": [{"job": d.full_name, "diff": d.diff} for d in result.drifted],
        "conflicts": list(result.conflicts),
        "aliases": list(result.aliases),
        "delete": [{"job": s.full_name, "reason": s.reason} for s in result.delete],
        "replaced": [
            {"job": r.full_name, "replaces": r.replaces, "diff": r.diff} for r in result.replaced
        ],
    }


def _as_text(result: DryRun) -> str:
    if result.empty:
        return "nothing to do: the master holds exactly what this commit compiles to\n"
    lines = [f"create  {name}" for name in result.create]
    lines += [f"alias   {name}" for name in result.aliases]
    lines += [f"delete  {s.full_name} ({s.reason})" for s in result.delete]
    lines += [
        f"taken   {name} (an item jobgen does not own has this name)" for name in result.conflicts
    ]
    lines += [f"drifted {d.full_name}\n{d.diff}" for d in result.drifted]
    lines += [f"changed {r.full_name} (replaces {r.replaces})\n{r.diff}" for r in result.replaced]
    counts = (
        f"{len(result.create)} to create, {len(result.aliases)} aliases, "
        f"{len(result.delete)} to delete, {len(result.drifted)} drifted, "
        f"{len(result.conflicts)} taken"
    )
    return "\n".join(lines) + f"\n{counts}\n"
