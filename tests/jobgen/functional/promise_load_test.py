"""`jobgen functional-test`, run as a user runs it: an embedded master, real Groovy, real HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.repos import make_jobs_repo

pytestmark = pytest.mark.slow  # a master, a JVM, twenty runs at ten a second

JOBGEN = [sys.executable, "-m", "jobgen", "functional-test"]


def test_twenty_runs_at_ten_per_second_all_call_back_exactly_once(tmp_path: Path) -> None:
    components = make_jobs_repo(tmp_path / "repo")
    argv = [*JOBGEN, "--jobs", "20", "--rate", "10", "--json"]
    done = subprocess.run(
        [*argv, "-c", str(components), "--timeout", "120"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(done.stdout)
    assert figures["submitted"] == figures["started"] == 20
    assert figures["registrations"] == figures["reports"] == 20
    assert figures["duplicates"] == figures["failures"] == 0
    assert figures["lost_registrations"] == figures["lost_reports"] == 0
    assert set(figures["submit_to_report"]) == {"p50", "p90", "p99", "max"}


def test_runs_that_never_call_back_are_counted_lost_and_fail_the_test(
    tmp_path: Path,
) -> None:
    components = make_jobs_repo(tmp_path / "repo")
    argv = [*JOBGEN, "--jobs", "3", "--rate", "10", "--json"]
    done = subprocess.run(
        [*argv, "-c", str(components), "--job", "inspect_manifold", "--timeout", "5"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    figures = json.loads(done.stdout)
    assert done.returncode == 1
    assert figures["submitted"] == 3 and figures["reports"] == 0
    assert figures["lost_reports"] == 3
