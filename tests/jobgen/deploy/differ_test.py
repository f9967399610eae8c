"""Drift: a config the master re-saved is not drift; an edit made on the master is."""

import re

from jobgen.deploy.deployer import deploy
from jobgen.deploy.differ import dry_run
from tests.masters import client_for, python_jenkins

OWNER = "somesite-jobs"  # `owner:` in the example jobgen.yaml


def test_a_jenkins_resave_is_not_drift_and_a_real_edit_is(master, artifacts):
    deploy(artifacts, client_for(master), OWNER)
    server = python_jenkins(master)
    job = next(j for j in artifacts.jobs if b"hudson.tasks.LogRotator" in j.config_xml)
    # A save on the master (what the UI's Save button and updateByXml do) re-serialises it.
    server.reconfig_job(job.full_name, server.get_job_config(job.full_name))
    stored = server.get_job_config(job.full_name)
    # What the master stores is a Jenkins save of our config (XStream writes LogRotator's
    # removeLastBuild and every other field): different bytes, same meaning.
    assert "<removeLastBuild>false</removeLastBuild>" in stored
    assert stored.encode() != job.config_xml
    assert dry_run(artifacts, client_for(master), OWNER, keep_days=7).drifted == ()
    edited = re.sub(r"<numToKeep>\d+</numToKeep>", "<numToKeep>1</numToKeep>", stored)
    server.reconfig_job(job.full_name, edited)
    drifted = dry_run(artifacts, client_for(master), OWNER, keep_days=7).drifted
    assert [d.full_name for d in drifted] == [job.full_name]
    assert re.search(r"^-\s*<numToKeep>1</numToKeep>$", drifted[0].diff, re.M)
    assert re.search(r"^\+\s*<numToKeep>\d+</numToKeep>$", drifted[0].diff, re.M)
