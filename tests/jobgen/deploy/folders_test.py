"""A folder deployed before the `current` view gets it on the next deploy, children kept."""

from __future__ import annotations

import dataclasses

from lxml import etree

from jobgen.deploy.deployer import deploy
from jobgen.load.loader import load
from jobgen.plan.model import Plan
from jobgen.plan.planner import plan
from jobgen.plan.specs import FolderSpec
from jobgen.render.model import Artifacts
from jobgen.render.renderer import render
from tests.jobgen.render.renderer_test import fixed_versions
from tests.masters import client_for, python_jenkins, writes

OWNER = "somesite-jobs"


def _without_views(planned: Plan) -> Plan:
    jobs = tuple(
        dataclasses.replace(j, spec=FolderSpec(j.spec.description))
        if isinstance(j.spec, FolderSpec)
        else j
        for j in planned.jobs
    )
    return dataclasses.replace(planned, jobs=jobs)


def _render(planned: Plan) -> Artifacts:
    return render(fixed_versions(planned), owner=OWNER)


def test_an_old_folder_takes_the_view_and_keeps_its_jobs(master):
    from tests.repos import EXAMPLES

    planned = plan(load([EXAMPLES]).repo).plan
    old, new = _render(_without_views(planned)), _render(planned)
    deploy(old, client_for(master), OWNER)
    server = python_jenkins(master)
    before = {job["fullname"] for job in server.get_all_jobs()}
    assert b"hudson.model.ListView" not in server.get_job_config("frontend").encode()
    start = len(writes(master))
    report = deploy(new, client_for(master), OWNER)
    assert report.created == ()  # every versioned job was there already
    config = etree.fromstring(server.get_job_config("frontend").encode())
    assert config.findtext("folderViews/primaryView") == "current"
    assert config.find("folderViews/views/hudson.model.ListView") is not None
    assert {job["fullname"] for job in server.get_all_jobs()} == before
    folders = [f"POST /job/{j.full_name}/config.xml" for j in new.jobs if j.job.kind == "folder"]
    assert sorted(writes(master)[start:]) == sorted(folders)
    # Once up to date, a deploy writes nothing.
    again = len(writes(master))
    deploy(new, client_for(master), OWNER)
    assert writes(master)[again:] == []
