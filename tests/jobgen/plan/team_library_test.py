"""The team library is part of the version closure of exactly the orchestrations using it."""

from __future__ import annotations

from pathlib import Path

from jobgen.compiler import compile_tree
from jobgen.load.team_library import GroovyFile
from jobgen.plan.team_library import used_files
from tests.authoring_repo import make_authoring_repo
from tests.repos import commit_all


def _names(components: Path) -> dict[str, str]:
    result = compile_tree(components)
    assert result.artifacts is not None, result.diagnostics
    return {r.job.name: r.deployed_name for r in result.artifacts.jobs if r.job.kind != "folder"}


def test_editing_a_library_file_renames_the_orchestrations_that_use_it(tmp_path: Path) -> None:
    components = make_authoring_repo(tmp_path)
    before = _names(components)
    (tmp_path / "groovy_lib" / "prefix.groovy").write_text("String teamPrefix() {\n  'ops: '\n}\n")
    commit_all(tmp_path, "a new prefix")
    after = _names(components)
    # diagnose uses prefix.groovy through notify.groovy; its alias follows; probe does not.
    assert {n for n in after if after[n] != before[n]} == {"diagnose"}
    (tmp_path / "groovy_lib" / "unused.groovy").write_text("def neverCalled() {\n}\n")
    commit_all(tmp_path, "unused changes")
    assert _names(components) == after


def test_uses_are_found_in_code_not_in_comments_or_strings() -> None:
    library = [GroovyFile("groovy_lib/a.groovy", "def helper() {}\n", ("helper",))]
    assert used_files("// helper()\necho('helper')\n", library) == []
    assert used_files("helper()\n", library) == library
    assert used_files("helper 'x'\n", library) == library  # Groovy's command syntax
