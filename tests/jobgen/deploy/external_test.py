"""External jobs: deploy names the missing ones before any write; prune never touches them.

Against the embedded master over real HTTP. The orchestration calls
`legacy/deploy-db` by its real full name (Jenkins resolves it relative to the
caller's folder, then as a full name: docs/jenkins-facts.md, authoring).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jobgen.deploy.deployer import DeployError, deploy
from jobgen.deploy.prune import stale_on_master
from jobgen.master import EmbeddedMaster
from jobgen.render.model import Artifacts
from tests.authoring_repo import compiled_ops
from tests.masters import client_for, python_jenkins, writes

OWNER = "ops-jobs"
HAND_MADE = "<project><description>managed by hand</description></project>"


@pytest.fixture
def ops(tmp_path: Path) -> Artifacts:
    return compiled_ops(tmp_path / "repo")


def test_the_call_keeps_the_real_full_name(ops: Artifacts) -> None:
    diagnose = next(j for j in ops.jobs if j.job.name == "diagnose")
    assert diagnose.groovy is not None
    assert "build(job: 'legacy/deploy-db')" in diagnose.groovy
    assert diagnose.job.external == ("legacy/deploy-db",)


def test_deploy_names_a_missing_external_job_and_changes_nothing(
    master: EmbeddedMaster, ops: Artifacts
) -> None:
    with pytest.raises(DeployError, match=r"missing on the master.*: legacy/deploy-db"):
        deploy(ops, client_for(master), OWNER)
    assert writes(master) == []


def test_deploy_goes_on_when_it_exists_and_prune_never_touches_it(
    master: EmbeddedMaster, ops: Artifacts
) -> None:
    server = python_jenkins(master)
    server.create_folder("legacy")
    server.create_job("legacy/deploy-db", HAND_MADE)
    deploy(ops, client_for(master), OWNER)
    stale = stale_on_master(client_for(master), ops, OWNER, keep_days=0)
    assert not [s for s in stale if s.full_name.startswith("legacy")]
    assert server.get_job_config("legacy/deploy-db") == HAND_MADE


def test_under_a_root_folder_the_job_is_looked_up_by_its_full_name(
    master: EmbeddedMaster, ops: Artifacts
) -> None:
    with pytest.raises(DeployError, match="legacy/deploy-db"):
        deploy(ops, client_for(master, folder="jobs"), OWNER)
    server = python_jenkins(master)
    server.create_folder("legacy")
    server.create_job("legacy/deploy-db", HAND_MADE)
    deploy(ops, client_for(master, folder="jobs"), OWNER)
    assert server.job_exists("jobs/ops/diagnose")
