"""The controller's own objects through python-jenkins: plugins, nodes, running builds."""

from tests.jobgen.master.support import build_number, freestyle, wait_for


def test_plugins_default_and_set_by_the_test(server, master):
    assert server.get_plugin_info("workflow-cps")["longName"] == "Pipeline: Groovy"
    master.set_plugins({"workflow-job": "1.0"})
    assert server.get_plugin_info("workflow-job")["version"] == "1.0"
    assert server.get_plugin_info("workflow-cps") is None


def test_nodes_and_running_builds(server):
    assert server.get_nodes() == [{"name": "Built-In Node", "offline": False}]
    assert server.get_running_builds() == []


def test_a_running_build_shows_on_the_built_in_node(server, master):
    server.create_folder("f")
    server.create_job("f/slow", freestyle())
    master.set_result("f/slow", delay=1.0)
    number = build_number(server, server.build_job("f/slow"))
    running = wait_for(server.get_running_builds)
    # python-jenkins takes the name from the first path segment only: the top folder.
    assert [(r["name"], r["number"], r["node"]) for r in running] == [("f", number, "(master)")]
