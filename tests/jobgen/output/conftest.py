"""Fixtures of the build folder's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobgen.compiler import compile_tree
from jobgen.render.model import Artifacts
from tests.repos import make_jobs_repo


@pytest.fixture
def artifacts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Artifacts:
    """The examples compiled, in a committed repository that is the working folder."""
    components = make_jobs_repo(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    result = compile_tree(components)
    assert result.artifacts is not None
    return result.artifacts
