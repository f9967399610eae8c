"""A hand-written orchestration's script: the team library it uses, then its required checks,
then its own Groovy, whose lines keep their numbers."""

from __future__ import annotations

from pathlib import Path

from jobgen.compiler import compile_tree
from jobgen.groovy.compile import body_range
from tests.authoring_repo import DIAGNOSE, make_authoring_repo


def _scripts(tmp_path: Path) -> dict[str, str]:
    result = compile_tree(make_authoring_repo(tmp_path))
    assert result.artifacts is not None, result.diagnostics
    return {r.job.name: r.groovy for r in result.artifacts.jobs if r.groovy}


def test_the_library_files_it_uses_and_the_required_checks_come_before_its_body(
    tmp_path: Path,
) -> None:
    script = _scripts(tmp_path)["diagnose"]
    notify = script.index("def notifyTeam(String message)")
    prefix = script.index("String teamPrefix()")  # used by notify.groovy, not by the job
    check = script.index("if (!params['TICKET']) {\n    error('parameter TICKET is required')")
    first, _ = body_range(script)
    body = script.splitlines()[first - 1 :]
    assert notify < prefix < check < script.index(DIAGNOSE.splitlines()[0])
    assert body[: len(DIAGNOSE.splitlines())][0] == DIAGNOSE.splitlines()[0]
    assert "neverCalled" not in script  # unused.groovy is compiled into nothing
    assert "parameter OWNER" not in script  # only required parameters are checked
