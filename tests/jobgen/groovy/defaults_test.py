"""`jobgen test` applies declared defaults, typed as a Pipeline sees them; a missing required
parameter fails the run at once, by name. Real Groovy, through the command a user runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jobgen.groovy.defaults import declared_defaults
from jobgen.plan.specs import Param
from tests.authoring_repo import make_authoring_repo


def test_declared_defaults_are_typed_as_jenkins_gives_them() -> None:
    defaults = declared_defaults(
        (
            Param("S"),
            Param("B", "true", type="boolean"),
            Param("C", "full", type="choice", choices=("full", "quick")),
            Param("K", "", type="credentials"),
            Param("N", "agent-7", type="node"),
            Param("L", "", type="label"),
        )
    )
    # A string without a default is "" (StringParameterDefinition); node and label are in env.
    assert defaults.params == {"S": "", "B": True, "C": "full", "K": None}
    assert defaults.env == {"N": "agent-7"}
    assert defaults.applied({"B": False}) == {"S": "", "B": False, "C": "full", "K": None}


def test_jobgen_test_runs_with_defaults_and_fails_fast_on_a_missing_required(
    tmp_path: Path,
) -> None:
    # happy.yaml gives only TICKET and expects DRY_RUN to be a Boolean true, DEPTH the
    # declared choice, AGENT in env; missing_ticket.yaml expects "parameter TICKET is required"
    # before any build (tests/authoring_repo.py).
    components = make_authoring_repo(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "jobgen", "test", "-c", str(components)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.stdout.splitlines()[-3:] == [
        "PASS ops/happy",
        "PASS ops/missing_ticket",
        "2 passed, 0 failed",
    ], done.stdout + done.stderr
    assert done.returncode == 0
