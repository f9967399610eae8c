"""The sandbox is compiled once per content, and found again by the next JVM."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobgen.groovy.sandbox import SANDBOX_DIR
from jobgen.groovy.sandbox.classpath import MARKER, classpath


def test_the_classes_are_compiled_once_and_reused(tmp_path: Path) -> None:
    first = classpath(tmp_path)
    assert first.parent == tmp_path and (first / MARKER).exists()
    assert (first / "JobgenSandboxVisitor.class").exists()
    stamp = (first / MARKER).stat().st_mtime_ns
    assert classpath(tmp_path) == first
    assert (first / MARKER).stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [first.name]  # no half-compiled leftovers


def test_without_groovyc_the_harness_compiles_the_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert classpath(tmp_path / "cache") == SANDBOX_DIR
