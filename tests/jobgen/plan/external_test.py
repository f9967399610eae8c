"""Calls to external jobs leave the plan's calls: never rewritten, checked or versioned."""

from __future__ import annotations

from pathlib import Path

from jobgen.load.loader import load
from jobgen.plan.planner import plan
from tests.authoring_repo import make_authoring_repo


def test_a_listed_external_job_is_called_by_its_name_and_versions_by_the_list(
    tmp_path: Path,
) -> None:
    components = make_authoring_repo(tmp_path)
    planned = plan(load([components]).repo)
    assert planned.diagnostics == ()
    diagnose = planned.plan.by_name()["diagnose"]
    assert [c.target for c in diagnose.calls] == ["probe"]
    assert diagnose.external == ("legacy/deploy-db",)
    assert "jobgen.yaml#external_jobs" in diagnose.inputs
    assert "jobgen.yaml#external_jobs" not in planned.plan.by_name()["probe"].inputs


def test_an_unlisted_job_is_still_an_unknown_job(tmp_path: Path) -> None:
    components = make_authoring_repo(tmp_path)
    settings = tmp_path / "jobgen.yaml"
    settings.write_text(settings.read_text().replace("external_jobs: [legacy/deploy-db]\n", ""))
    planned = plan(load([components]).repo)
    assert [d.code for d in planned.diagnostics] == ["unknown-job"]
    assert "'legacy/deploy-db'" in planned.diagnostics[0].message


def test_an_absolute_name_is_the_same_external_job(tmp_path: Path) -> None:
    components = make_authoring_repo(tmp_path)
    script = components / "ops" / "diagnose.groovy"
    script.write_text(script.read_text().replace("'legacy/deploy-db'", "'/legacy/deploy-db'"))
    planned = plan(load([components]).repo)
    assert planned.diagnostics == ()
    assert planned.plan.by_name()["diagnose"].external == ("legacy/deploy-db",)
