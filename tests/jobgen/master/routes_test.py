"""api/json as python-jenkins and jobgen read it: tree=, depth=, the root object."""

import requests

from tests.jobgen.master.support import TOKEN, USER, freestyle


def test_tree_selects_fields_and_depth_zero_trims_nested_builds(server, master):
    server.create_folder("f")
    server.create_job("f/b", freestyle("described"))
    server.create_job("f/A", freestyle())
    master.set_last_build_time("f/b", 1_700_000_000_000)
    tree = server.get_info(query="?tree=jobs[name,jobs[name,description,lastBuild[number]]]")
    inner = tree["jobs"][0]["jobs"]
    assert [j["name"] for j in inner] == ["A", "b"]  # sorted case-insensitively
    assert inner[1] == {
        "_class": "hudson.model.FreeStyleProject",
        "name": "b",
        "description": "described",
        "lastBuild": {"_class": "hudson.model.FreeStyleBuild", "number": 1},
    }
    job = server.get_job_info("f/b")
    assert set(job["lastBuild"]) == {"_class", "number", "url"}
    deep = server.get_job_info("f/b", depth=1)
    assert deep["lastBuild"]["timestamp"] == 1_700_000_000_000


def test_root_info_has_what_wait_for_normal_op_needs(server):
    info = server.get_info()
    assert info["mode"] == "NORMAL" and info["useCrumbs"] is True
    assert info["quietingDown"] is False and info["views"]


def test_bad_tree_is_a_server_error(master):
    # stapler ResponseImpl.serveExposedBean: a malformed tree is a ServletException (500).
    response = requests.get(f"{master.url}api/json?tree=jobs[name", auth=(USER, TOKEN))
    assert response.status_code == 500
    assert "Malformed tree expression" in response.text


def test_quiet_down(server):
    server.quiet_down()
    assert server.get_info()["quietingDown"] is True


def test_tree_is_not_trimmed_and_star_selects_everything(server, master):
    # stapler NamedPathPruner: names are not trimmed; `*` stands for any property.
    server.create_job("a", freestyle("desc"))
    spaced = server.get_info(query="?tree=jobs[name, description]")
    assert spaced["jobs"] == [{"_class": "hudson.model.FreeStyleProject", "name": "a"}]
    starred = server.get_info(query="?tree=jobs[*]")["jobs"][0]
    assert starred["description"] == "desc" and starred["buildable"] is True
    assert starred["lastBuild"] is None and "nextBuildNumber" in starred
