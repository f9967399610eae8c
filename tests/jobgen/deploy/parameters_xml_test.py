"""Rollback reads the parameters of the version it points back to: every type round-trips."""

from __future__ import annotations

from pathlib import Path

from jobgen.deploy.rollback import parameters
from tests.authoring_repo import compiled_ops


def test_every_typed_parameter_reads_back_as_it_was_planned(tmp_path: Path) -> None:
    ops = compiled_ops(tmp_path)
    for name in ("diagnose", "probe"):
        rendered = next(r for r in ops.jobs if r.job.name == name)
        planned = rendered.job.spec.params  # type: ignore[attr-defined]
        assert parameters(rendered.config_xml) == planned
