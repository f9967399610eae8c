"""api4jenkins 2.1, unmodified, against the embedded master: jobs, folders, a build with
parameters followed from its queue item, and the progressive console."""

import pytest
from api4jenkins import Jenkins

from tests.jobgen.master.support import TOKEN, USER, freestyle, wait_for


@pytest.fixture
def client(master) -> Jenkins:
    return Jenkins(master.url, auth=(USER, TOKEN))


def test_jobs_and_folders(client):
    assert client.version == "2.479.1"
    client.create_job("team/app", freestyle("made by api4jenkins"), recursive=True)
    job = client.get_job("team/app")
    assert type(job).__name__ == "FreeStyleProject" and job.full_name == "team/app"
    assert type(client.get_job("team")).__name__ == "Folder"
    assert [j.full_name for j in client.iter(depth=1)] == ["team", "team/app"]
    assert "made by api4jenkins" in job.configure()
    job.configure(freestyle("changed"))
    assert job.description == "changed"
    client.delete_job("team/app")
    assert client.get_job("team/app") is None


def test_build_with_parameters_queue_item_and_progressive_console(client, master):
    client.create_job("worker", freestyle(params=("GIT_REF",)))
    item = client.build_job("worker", GIT_REF="main")
    assert item.id > 0
    build = wait_for(item.get_build)
    assert wait_for(lambda: build.result) == "SUCCESS"
    assert build.project.full_name == "worker" and build.get_previous_build() is None
    assert build.get_parameters()[0].value == "main"
    lines = list(build.progressive_output())
    assert "GIT_REF=main" in lines and lines[-1] == "Finished: SUCCESS"
    assert list(build.console_text())[-1] == "Finished: SUCCESS"
