"""What a command that failed unexpectedly prints: one line and an exit code, never a traceback.

A usage problem (a folder that is not there) is exit 2; a master that refused a
request (an HTTP 400, a connection refused), an unknown target or a file that
cannot be written is exit 1 with the reason;
anything else is jobgen's own fault, exit 3, with the traceback only under --debug.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from jobgen.commands.workspace import UsageError
from jobgen.diagnostics import ExitCode


def report(command: str, error: Exception, debug: bool = False) -> int:
    """Print `error` for a user (and its traceback with `debug`); return the exit code."""
    if isinstance(error, UsageError):
        print(f"{command}: error: {error}", file=sys.stderr)
        return ExitCode.USAGE
    if _from_master(error):
        if debug:
            traceback.print_exception(error, file=sys.stderr)
        print(f"{command}: the master answered: {_one_line(error)}", file=sys.stderr)
        return ExitCode.INVALID
    if _settings(error) or (isinstance(error, OSError) and not _in_jobgen(error)):
        # A target jobgen.yaml does not define, a file that cannot be written: the user's to fix.
        print(f"{command}: {_one_line(error)}", file=sys.stderr)
        return ExitCode.INVALID
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    print(
        f"{command}: internal error: {type(error).__name__}: {_one_line(error)} "
        "(a bug in jobgen; --debug prints the traceback)",
        file=sys.stderr,
    )
    return ExitCode.INTERNAL


def _from_master(error: BaseException) -> bool:
    # Imported here: most commands never talk to a master, and these imports are not free.
    import jenkins
    import requests

    from jobgen.deploy.client import MasterError

    return isinstance(error, requests.RequestException | jenkins.JenkinsException | MasterError)


def _settings(error: BaseException) -> bool:
    from jobgen.deploy.targets import TargetError

    return isinstance(error, TargetError)


def _in_jobgen(error: OSError) -> bool:
    # A file of jobgen's own installation that cannot be read is jobgen's fault, not the user's;
    # Jinja's TemplateNotFound is an OSError too, and templates are jobgen's own.
    if type(error).__module__.startswith("jinja2"):
        return True
    package = Path(__file__).resolve().parent.parent
    names = [name for name in (error.filename, error.filename2) if name]
    return any(Path(str(name)).resolve().is_relative_to(package) for name in names)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[:300] + ("..." if len(text) > 300 else "") if text else "(no message)"
