"""`jobgen install-hook`: a git pre-commit hook running `jobgen validate`, for people without
the pre-commit framework.

The hook validates the whole components folder (and jobgen.yaml), offline, so
cross-file rules (dependencies, duplicate names, target loops) hold for the
commit, not just for the files it touches. A hook jobgen did not write is
never replaced unless `--force`: it may be someone's own work.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from jobgen.diagnostics import ExitCode
from jobgen.git_cli import git_answer

MARKER = "# written by jobgen install-hook"


def run(components: Path, force: bool = False) -> int:
    """Write the hook of the git repository holding `components`; 0 done, 1 refused, 2 usage."""
    if not components.is_dir():
        print(f"jobgen install-hook: {components} is not a folder", file=sys.stderr)
        return ExitCode.USAGE
    git_dir = _git_path(components, "hooks")
    top = _git_toplevel(components)
    if git_dir is None or top is None:
        print(f"jobgen install-hook: {components} is not inside a git work tree", file=sys.stderr)
        return ExitCode.USAGE
    hook = git_dir / "pre-commit"
    if hook.exists() and MARKER not in _read(hook) and not force:
        print(
            f"jobgen install-hook: {hook} exists and was not written by jobgen; "
            "keep it, add `jobgen validate` to it yourself, or pass --force to replace it",
            file=sys.stderr,
        )
        return ExitCode.INVALID
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(hook_script(_relative(components, top)), encoding="utf-8")
    hook.chmod(0o755)
    print(f"installed {hook}: every commit runs jobgen validate on {_relative(components, top)}")
    return ExitCode.OK


def hook_script(components: str) -> str:
    """The hook: this jobgen's Python, validating the components folder from the work tree's top."""
    command = shlex.join([sys.executable, "-m", "jobgen", "validate", components])
    return (
        "#!/bin/sh\n"
        f"{MARKER}; rerun it to update, delete this file to remove it.\n"
        "# Validates the working tree's component files and jobgen.yaml (no master needed).\n"
        f"exec {command}\n"
    )


def _git_path(start: Path, name: str) -> Path | None:
    """Where git keeps `name` (honours core.hooksPath and worktrees), absolute."""
    out = _git(start, "rev-parse", "--git-path", name)
    return None if out is None else (_folder(start) / out).resolve()


def _git_toplevel(start: Path) -> Path | None:
    out = _git(start, "rev-parse", "--show-toplevel")
    return None if out is None else Path(out).resolve()


def _git(start: Path, *args: str) -> str | None:
    out = git_answer(_folder(start), *args)
    return None if out is None else out.strip()


def _folder(path: Path) -> Path:
    return path if path.is_dir() else path.parent


def _relative(path: Path, top: Path) -> str:
    try:
        return path.resolve().relative_to(top).as_posix() or "."
    except ValueError:
        return str(path.resolve())


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
