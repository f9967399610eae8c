"""The URLs real clients use: views, the plugin manager with depth and tree."""

import requests

from tests.jobgen.master.support import TOKEN, USER, freestyle

AUTH = (USER, TOKEN)


def test_jobs_through_jenkins_all_view_and_a_folder_view(server, master):
    # Jenkins' AllView is "all" (AllView.DEFAULT_VIEW_NAME), a folder's is "All"
    # (cloudbees-folder AbstractFolder.initViews); items resolve through both.
    server.create_folder("f")
    server.create_job("f/app", freestyle("inside"))
    root_view = requests.get(f"{master.url}view/all/api/json", auth=AUTH).json()
    assert root_view["_class"] == "hudson.model.AllView" and root_view["name"] == "all"
    assert [j["name"] for j in root_view["jobs"]] == ["f"]
    nested = requests.get(f"{master.url}view/all/job/f/view/All/job/app/api/json", auth=AUTH)
    assert nested.json()["description"] == "inside"
    folder_view = requests.get(f"{master.url}job/f/view/All/api/json", auth=AUTH).json()
    assert folder_view["name"] == "All" and folder_view["url"] == f"{master.url}job/f/"
    config = requests.get(f"{master.url}view/all/config.xml", auth=AUTH)
    assert "<name>all</name>" in config.text
    assert requests.get(f"{master.url}view/other/api/json", auth=AUTH).status_code == 404
    assert requests.get(f"{master.url}job/f/view/all/api/json", auth=AUTH).status_code == 404


def test_plugin_manager_honours_depth_and_tree(master):
    url = f"{master.url}pluginManager/api/json"
    shallow = requests.get(url, auth=AUTH).json()
    # PluginManager.getPlugins and the PluginWrapper fields are visibility 1: at depth 0
    # the list holds bare objects, at depth 1 their fields.
    assert shallow["plugins"][0] == {"_class": "hudson.PluginWrapper"}
    deep = requests.get(url, params={"depth": "1"}, auth=AUTH).json()
    assert {"shortName", "version", "active"} <= set(deep["plugins"][0])
    picked = requests.get(url, params={"tree": "plugins[shortName]{0,2}"}, auth=AUTH).json()
    assert picked["plugins"] == [
        {"_class": "hudson.PluginWrapper", "shortName": p["shortName"]} for p in deep["plugins"][:2]
    ]
