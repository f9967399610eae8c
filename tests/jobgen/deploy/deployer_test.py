import pytest

from jobgen.deploy.canonical import canonical
from jobgen.deploy.deployer import DeployError, deploy
from jobgen.deploy.differ import dry_run
from jobgen.render.aliases import alias_state
from tests.masters import client_for, python_jenkins, writes

OWNER = "somesite-jobs"  # `owner:` in the example jobgen.yaml


def _names_on(master):  # type: ignore[no-untyped-def]
    return {job["fullname"] for job in python_jenkins(master).get_all_jobs()}


def _expected(artifacts):  # type: ignore[no-untyped-def]
    return {j.full_name for j in artifacts.jobs} | {a.full_name for a in artifacts.aliases}


def test_first_deploy_creates_exactly_the_manifest_and_a_second_writes_nothing(master, artifacts):
    report = deploy(artifacts, client_for(master), OWNER)
    assert _names_on(master) == _expected(artifacts)
    assert len(report.created) == len(artifacts.jobs)
    assert len(report.aliases) == len(artifacts.aliases)
    before = len(writes(master))
    again = deploy(artifacts, client_for(master), OWNER)
    assert writes(master)[before:] == []
    assert again.created == () and again.writes == 0
    assert again.unchanged == len(artifacts.jobs)


def test_aliases_run_the_deployed_version(master, artifacts):
    deploy(artifacts, client_for(master), OWNER)
    server = python_jenkins(master)
    info = server.get_job_info("model-processing/process_model")
    state = alias_state(info["description"])
    assert state is not None
    assert state.target == next(
        j.full_name for j in artifacts.jobs if j.job.name == "process_model"
    )
    config = server.get_job_config("model-processing/process_model")
    assert state.target.rpartition("/")[2] in config


def test_missing_plugins_stop_deploy_before_any_write(master, artifacts):
    master.set_plugins({"workflow-job": "2.40", "cloudbees-folder": "6.15"})
    with pytest.raises(DeployError, match="git \\(not installed"):
        deploy(artifacts, client_for(master), OWNER)
    assert writes(master) == []


def test_drift_stops_deploy_and_force_recreates(master, artifacts):
    deploy(artifacts, client_for(master), OWNER)
    job = next(j for j in artifacts.jobs if j.job.name == "frontend-build")
    server = python_jenkins(master)
    drifted = job.config_xml.replace(job.config_sha256.encode(), b"0" * 64)
    server.reconfig_job(job.full_name, drifted.decode())
    before = len(writes(master))
    with pytest.raises(DeployError, match=r"drift.*frontend-build"):
        deploy(artifacts, client_for(master), OWNER)
    assert len(writes(master)) == before  # nothing changed
    report = deploy(artifacts, client_for(master), OWNER, force=True)
    assert report.recreated == (job.full_name,)
    # The master re-serialises what it stores, as a Jenkins save does: compare the meaning.
    assert canonical(server.get_job_config(job.full_name)) == canonical(job.config_xml)


def test_a_job_jobgen_did_not_create_is_never_touched(master, artifacts):
    server = python_jenkins(master)
    server.create_folder("frontend")
    hand_made = "<project><description>made by hand</description></project>"
    name = next(j.full_name for j in artifacts.jobs if j.job.name == "frontend-test")
    server.create_job(name, hand_made)
    before = len(writes(master))
    with pytest.raises(DeployError, match="did not create"):
        deploy(artifacts, client_for(master), OWNER)
    assert len(writes(master)) == before
    assert "made by hand" in server.get_job_config(name)


def test_deploy_converges_through_failing_requests_and_dropped_connections(master, artifacts):
    master.faults(rate=0.10, statuses=(500, 502, 503), drop=True, seed=7)
    deploy(artifacts, client_for(master), OWNER, workers=4)
    master.faults(rate=0.0)
    assert _names_on(master) == _expected(artifacts)
    assert deploy(artifacts, client_for(master), OWNER).writes == 0


def test_a_root_folder_holds_every_component_folder(master, artifacts):
    deploy(artifacts, client_for(master, folder="team/jobs"), OWNER)
    assert _names_on(master) == {"team", "team/jobs"} | {
        f"team/jobs/{name}" for name in _expected(artifacts)
    }
    assert deploy(artifacts, client_for(master, folder="team/jobs"), OWNER).writes == 0


def test_a_hand_edit_is_trusted_by_default_refused_by_verify_and_repaired_by_force(
    master, artifacts
):
    deploy(artifacts, client_for(master), OWNER)
    job = next(j for j in artifacts.jobs if j.job.name == "frontend-test")
    server = python_jenkins(master)
    # Edited on the master: the marker (and its recorded hash) is kept, the content is not.
    edited = job.config_xml.decode().replace("npm test", "npm test || true")
    assert edited != job.config_xml.decode()
    server.reconfig_job(job.full_name, edited)
    before = len(writes(master))
    trusted = deploy(artifacts, client_for(master), OWNER)
    assert not trusted.verified and trusted.unchanged == len(artifacts.jobs)
    with pytest.raises(DeployError, match=r"drift.*frontend-test"):
        deploy(artifacts, client_for(master), OWNER, verify=True)
    assert writes(master)[before:] == []
    report = deploy(artifacts, client_for(master), OWNER, force=True)
    assert report.verified and report.recreated == (job.full_name,)
    # Repaired through config.xml, which the master re-serialises as a save does.
    assert canonical(server.get_job_config(job.full_name)) == canonical(job.config_xml)
    assert dry_run(artifacts, client_for(master), OWNER, keep_days=7).drifted == ()
    clean = deploy(artifacts, client_for(master), OWNER, verify=True)
    assert clean.unchanged == len(artifacts.jobs) and clean.recreated == ()
