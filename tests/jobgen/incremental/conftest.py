"""Fixtures of the incremental compile's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.repos import make_jobs_repo


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A committed jobs repository of the examples, as the working folder."""
    root = tmp_path / "repo"
    make_jobs_repo(root)
    monkeypatch.chdir(root)
    return root
