"""The folder a person opens lists the stable jobs and the versions they run: after a
deploy, after a rollback, and after a deploy stopped halfway and run again.

Read through the folder view's REST listing (`job/F/view/current/api/json`), what the
folder page shows; ListView lists the items its jobNames name and those its includeRegex
matches (jenkins ListView.java:243-256; docs/jenkins-facts.md, view16).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from jobgen.compiler import compile_tree
from jobgen.deploy.client import MasterError
from jobgen.deploy.deployer import deploy
from jobgen.deploy.rollback import rollback
from jobgen.master import EmbeddedMaster, Record
from jobgen.render.model import Artifacts
from jobgen.render.plugins import MINIMUM
from tests.jobgen.render.folder_xml_test import FRONTEND_RUNS, FRONTEND_STABLE
from tests.masters import TOKEN, USER, client_for, writes
from tests.repos import commit_all

OWNER = "somesite-jobs"


def _view(master: EmbeddedMaster, name: str = "current", root: str = "") -> set[str]:
    url = f"{master.url}{root}job/frontend/view/{name}/api/json"
    return {job["name"] for job in requests.get(url, auth=(USER, TOKEN)).json()["jobs"]}


def _expected(artifacts: Artifacts) -> set[str]:
    deployed = {j.job.name: j.deployed_name for j in artifacts.jobs}
    return FRONTEND_STABLE | {deployed[f"frontend-{name}"] for name in FRONTEND_RUNS}


def _changed(components: Path) -> Artifacts:
    path = components / "frontend.yaml"
    path.write_text(path.read_text() + "# touched\n")
    commit_all(components.parent, "frontend touched: each of its jobs gets a new version")
    result = compile_tree(components)
    assert result.artifacts is not None
    return result.artifacts


def test_the_view_follows_deploy_rollback_and_deploy_again(master, components, artifacts):
    deploy(artifacts, client_for(master), OWNER)
    first = _expected(artifacts)
    assert _view(master) == first
    second = _changed(components)
    start = len(writes(master))
    deploy(second, client_for(master), OWNER)
    assert _view(master) == _expected(second) and _expected(second) != first
    assert first <= _view(master, "All")  # the older versions stay, off the view
    done = writes(master)[start:]
    # The folder is rewritten once, after the stable jobs it lists were switched.
    folder = done.index("POST /job/frontend/config.xml")
    assert done.count("POST /job/frontend/config.xml") == 1
    assert folder == len(done) - 1
    assert not any("/job/model-processing/config.xml" in w for w in done)  # unchanged
    start = len(writes(master))
    moved = rollback(second, client_for(master), OWNER)
    assert _view(master) == first
    # The moved stable jobs, then the one folder they are in; no other folder is touched.
    assert writes(master)[start:] == [
        *(f"POST /job/{m.alias.replace('/', '/job/')}/config.xml" for m in moved),
        "POST /job/frontend/config.xml",
    ]
    deploy(second, client_for(master), OWNER)
    assert _view(master) == _expected(second)
    again = len(writes(master))
    deploy(second, client_for(master), OWNER)
    assert writes(master)[again:] == []


def test_rollback_under_a_root_folder_rewrites_the_view_there(master, components, artifacts):
    client = client_for(master, folder="team")
    deploy(artifacts, client, OWNER)
    second = _changed(components)
    deploy(second, client, OWNER)
    assert _view(master, root="job/team/") == _expected(second)
    rollback(second, client, OWNER)
    assert _view(master, root="job/team/") == _expected(artifacts)


def test_a_deploy_stopped_before_the_folder_is_rewritten_finishes_when_run_again(
    tmp_path, components, artifacts
):
    entries = {
        f"/job/frontend/job/{name}/config.xml" for name in FRONTEND_STABLE - {"frontend-watch"}
    }
    switched: list[str] = []

    def stop_at_the_folder(record: Record) -> None:
        # Every entry is switched (the watcher starts an entry: it stays); the master then
        # refuses everything, as a deploy killed (or a master gone) before the folder's view
        # is rewritten.
        if record.method == "POST" and record.path in entries:
            switched.append(record.path)
            if len(switched) == len(entries):  # the first deploy creates them (createItem)
                running.faults(rate=1.0, statuses=(403,))

    with EmbeddedMaster.start(tmp_path / "home", USER, TOKEN, on_request=stop_at_the_folder) as m:
        running = m
        m.set_plugins({name: f"{version}.1" for name, version in MINIMUM.items()})
        deploy(artifacts, client_for(m), OWNER)
        second = _changed(components)
        with pytest.raises(MasterError):
            deploy(second, client_for(m), OWNER)
        m.faults(rate=0.0)
        assert _view(m) == _expected(artifacts)  # stopped: the view still names the old set
        deploy(second, client_for(m), OWNER)
        assert _view(m) == _expected(second)
