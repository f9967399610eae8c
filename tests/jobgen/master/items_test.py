"""Items through the unmodified python-jenkins client: create, read, change, delete, folders."""

import jenkins
import pytest
import requests

from tests.jobgen.master.support import PIPELINE, freestyle


def _post_xml(server: jenkins.Jenkins, path: str, body: bytes) -> requests.Response:
    request = requests.Request(
        "POST",
        server._build_url(path),
        data=body,
        headers={"Content-Type": "text/xml; charset=utf-8"},
    )
    return server.jenkins_request(request)


def test_create_read_reconfigure_delete(server):
    server.create_job("alpha", freestyle("first"))
    assert server.job_exists("alpha")
    assert "<description>first</description>" in server.get_job_config("alpha")
    assert server.get_job_info("alpha")["description"] == "first"

    server.reconfig_job("alpha", freestyle("second"))
    assert server.get_job_info("alpha")["description"] == "second"

    server.delete_job("alpha")
    assert not server.job_exists("alpha")
    with pytest.raises(jenkins.NotFoundException):
        server.get_job_config("alpha")


def test_folders_nest_and_list_recursively(server):
    server.create_folder("outer")
    server.create_folder("outer/inner")
    server.create_job("outer/inner/job one", freestyle())
    server.create_job("outer/pipe", PIPELINE)
    jobs = {j["fullname"]: j for j in server.get_all_jobs()}
    assert set(jobs) == {"outer", "outer/inner", "outer/inner/job one", "outer/pipe"}
    assert jobs["outer/inner/job one"]["color"] == "notbuilt"
    assert "color" not in jobs["outer"]
    assert jobs["outer/pipe"]["_class"] == "org.jenkinsci.plugins.workflow.job.WorkflowJob"
    assert jobs["outer/inner/job one"]["url"].endswith("/job/outer/job/inner/job/job%20one/")


def test_deleting_a_folder_deletes_what_it_holds(server, master):
    server.create_folder("f")
    server.create_job("f/a", freestyle())
    server.delete_job("f")
    assert not server.job_exists("f/a")
    assert not (master.home / "jobs" / "f").exists()


def test_existing_name_is_refused_by_the_client_and_by_the_master(server):
    server.create_job("dup", freestyle())
    with pytest.raises(jenkins.JenkinsException, match=r"job\[dup\] already exists"):
        server.create_job("dup", freestyle())
    # Names are case-insensitive: a raw createItem of `DUP` gets Jenkins' 400.
    with pytest.raises(requests.HTTPError) as raised:
        _post_xml(server, "createItem?name=DUP", freestyle().encode())
    assert raised.value.response.status_code == 400
    assert raised.value.response.headers["X-Error"].startswith("A job already exists with the name")


def test_lookup_is_case_insensitive_and_keeps_the_stored_case(server):
    server.create_job("MixedCase", freestyle("m"))
    assert server.get_job_info("mixedcase")["name"] == "MixedCase"
    with pytest.raises(jenkins.JenkinsException, match="unexpected job name"):
        server.job_exists("mixedcase")


def test_unsafe_name_is_a_400(server):
    with pytest.raises(requests.HTTPError) as raised:
        server.create_job("bad;name", freestyle())
    assert raised.value.response.status_code == 400
    assert "is an unsafe character" in raised.value.response.text


@pytest.mark.parametrize(
    "body",
    [b"<project><unclosed></project>", b"<no.such.Type/>"],
    ids=["malformed", "unknown root"],
)
def test_bad_xml_is_a_500_and_leaves_nothing_behind(server, master, body):
    with pytest.raises(jenkins.JenkinsException, match=r"\[500\]"):
        server.create_job("broken", body.decode())
    assert not server.job_exists("broken")
    assert not (master.home / "jobs" / "broken").exists()


def test_reconfigure_with_malformed_xml_or_another_type_is_a_500(server):
    server.create_job("keep", freestyle("kept"))
    for bad in ("<project><oops></project>", PIPELINE):
        with pytest.raises(jenkins.JenkinsException, match=r"\[500\]"):
            server.reconfig_job("keep", bad)
    assert server.get_job_info("keep")["description"] == "kept"


def test_creating_in_a_missing_folder(server):
    with pytest.raises(jenkins.JenkinsException, match="folder for the job does not exist"):
        server.create_job("nowhere/job", freestyle())


def test_existing_folder_cannot_be_created_again(server):
    server.create_folder("twice")
    with pytest.raises(jenkins.JenkinsException, match="Probably it already exists"):
        server.create_folder("twice")


def test_missing_job_errors_map_to_python_jenkins_exceptions(server):
    with pytest.raises(jenkins.JenkinsException, match=r"job\[ghost\] does not exist"):
        server.get_job_info("ghost")
    with pytest.raises(jenkins.NotFoundException):
        server.reconfig_job("ghost", freestyle())
    with pytest.raises(jenkins.NotFoundException):
        server.delete_job("ghost")
    assert server.job_exists("ghost") is None


def test_copy_rename_enable_disable(server):
    server.create_job("orig", freestyle("o"))
    server.copy_job("orig", "copy")
    assert server.get_job_info("copy")["description"] == "o"
    server.rename_job("copy", "renamed")
    assert not server.job_exists("copy")
    server.disable_job("renamed")
    info = server.get_job_info("renamed")
    assert info["color"] == "disabled" and info["buildable"] is False
    assert "<disabled>true</disabled>" in server.get_job_config("renamed")
    server.enable_job("renamed")
    assert server.get_job_info("renamed")["buildable"] is True


def test_config_is_written_to_jenkins_home(server, master):
    server.create_folder("f")
    server.create_job("f/j", freestyle("on disk"))
    config = master.home / "jobs" / "f" / "jobs" / "j" / "config.xml"
    assert "on disk" in config.read_text()
    assert not list(config.parent.glob(".*.tmp"))  # atomic write left no temporary file


def test_get_on_a_post_only_action_is_405(server):
    server.create_job("j", freestyle())
    response = requests.get(server._build_url("job/j/doDelete"), auth=server._auths[0][1])
    assert response.status_code == 405
