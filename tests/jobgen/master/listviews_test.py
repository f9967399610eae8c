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


FOLDER_WITH_A_LIST_VIEW = """<?xml version='1.1' encoding='UTF-8'?>
<com.cloudbees.hudson.plugins.folder.Folder>
  <description/><properties/>
  <folderViews class="com.cloudbees.hudson.plugins.folder.views.DefaultFolderViewHolder">
    <views>
      <hudson.model.AllView>
        <owner class="com.cloudbees.hudson.plugins.folder.Folder" reference="../../../.."/>
        <name>All</name>
      </hudson.model.AllView>
      <hudson.model.ListView>
        <owner class="com.cloudbees.hudson.plugins.folder.Folder" reference="../../../.."/>
        <name>current</name>
        <description>The stable jobs</description>
        <includeRegex>(?!.*-v[0-9]+-[0-9a-f]+$).+</includeRegex>
        <recurse>false</recurse>
      </hudson.model.ListView>
    </views>
    <primaryView>current</primaryView>
    <tabBar class="hudson.views.DefaultViewsTabBar"/>
  </folderViews>
</com.cloudbees.hudson.plugins.folder.Folder>
"""


def test_a_folder_opens_on_its_primary_list_view_of_matching_jobs(server, master):
    # A folder's views and primary view come from its folderViews (cloudbees-folder
    # DefaultFolderViewHolder); getViews sorts by name (View.SORTER); the primary view's url is
    # its owner's, another's is view/NAME/ (View.getUrl); a ListView lists the items whose
    # whole name matches includeRegex (docs/jenkins-facts.md, features and walk16).
    server.create_job("f", FOLDER_WITH_A_LIST_VIEW)
    for name in ("app-build-v1-abc1234", "app-build-test", "app-build-test-v2-0123abc"):
        server.create_job(f"f/{name}", freestyle(name))
    folder = server.get_job_info("f")
    current = {"_class": "hudson.model.ListView", "name": "current", "url": f"{master.url}job/f/"}
    every = {"_class": "hudson.model.AllView", "name": "All", "url": f"{master.url}job/f/view/All/"}
    assert folder["primaryView"] == current
    assert folder["views"] == [every, current]
    view = requests.get(f"{master.url}job/f/view/current/api/json", auth=AUTH).json()
    assert view["_class"] == "hudson.model.ListView" and view["url"] == current["url"]
    assert [j["name"] for j in view["jobs"]] == ["app-build-test"]
    assert view["description"] == "The stable jobs"
    everything = requests.get(f"{master.url}job/f/view/All/api/json", auth=AUTH).json()
    assert len(everything["jobs"]) == 3 and everything["url"] == every["url"]
    job = requests.get(f"{master.url}job/f/view/current/job/app-build-test/api/json", auth=AUTH)
    assert job.json()["description"] == "app-build-test"
    assert requests.get(f"{master.url}job/f/view/none/api/json", auth=AUTH).status_code == 404
    # A config.xml POST (deploy rewriting a managed folder) is saved as Jenkins writes it.
    server.reconfig_job("f", FOLDER_WITH_A_LIST_VIEW)
    assert server.get_job_info("f")["primaryView"] == current
    assert "<primaryView>current</primaryView>" in server.get_job_config("f")


def _named_view(names: str) -> str:
    return FOLDER_WITH_A_LIST_VIEW.replace(
        "<includeRegex>(?!.*-v[0-9]+-[0-9a-f]+$).+</includeRegex>", f"<jobNames>{names}</jobNames>"
    )


def test_a_list_view_names_jobs_case_insensitively_only_with_the_comparator(server, master):
    # ListView's jobNames is a TreeSet; XStream rebuilds it with the <comparator> it names,
    # in natural (case-sensitive) order without one; Jenkins writes String's
    # CaseInsensitiveComparator (ListView.java:88; docs/jenkins-facts.md, view16). A name of
    # a job not there yet is kept, and lists it once it exists (ListView.java:243-249).
    ignoring = '<comparator class="java.lang.String$CaseInsensitiveComparator"/>'
    server.create_job("f", _named_view(f"{ignoring}<string>APP-v1-abc</string>"))
    server.create_job("g", _named_view("<string>APP-v1-abc</string><string>later</string>"))
    for folder in ("f", "g"):
        server.create_job(f"{folder}/app-v1-abc", freestyle("x"))
        server.create_job(f"{folder}/other", freestyle("x"))

    def listed(folder: str) -> list[str]:
        view = requests.get(f"{master.url}job/{folder}/view/current/api/json", auth=AUTH)
        return [j["name"] for j in view.json()["jobs"]]

    assert listed("f") == ["app-v1-abc"]
    assert listed("g") == []
    server.create_job("g/later", freestyle("x"))
    assert listed("g") == ["later"]
